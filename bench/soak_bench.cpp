// soak_bench: a fault soak. Crawls a few hundred GetCostAndUsage pages
// through real libcurl from the in-process simulator while about 30 % of
// the requests fail, spread over every failing fault kind (throttling,
// limit exceeded, 500, 503 with HTML, connections closed mid-body,
// truncated 200s, 200s with every member twice), plus slow and gzip
// replies. Every row read is compared with the simulator's ground truth:
// none may be lost, doubled or changed. The limit, in the same run: the
// same crawl from a simulator without faults.
//
//   soak_bench [--rate R] [--days N] [--accounts N] [--page-groups N] [--json]
//
// Prints requests, faults survived (by kind), retries, rows, wall time and
// peak RSS (the whole process: client and simulator threads); --json prints
// one object of named figures, units in the names. Exits 1 when a crawl
// fails or any row is lost, doubled or wrong.
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/http/curl_global.hpp"
#include "bench_support.hpp"
#include "simulator.hpp"
#include "synthetic_data.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace finops_crawler;

namespace {

struct settings {
  double rate = 0.30;
  int days = 120;
  int accounts = 6;
  std::size_t page_groups = 5;
  bool json = false;
};

sim::options sim_options(const settings& s, double rate) {
  sim::options o;
  o.data.seed = 11;
  o.data.account_count = s.accounts;
  o.data.start_date = "2024-01-01";
  o.data.days = s.days;
  o.page_size_groups = s.page_groups;
  o.threads = 2;
  o.faults.seed = 77;
  o.faults.set_failure_rate(rate);
  if (rate > 0) {
    o.faults.probability[static_cast<std::size_t>(sim::fault::slow)] = 0.05;
    o.faults.probability[static_cast<std::size_t>(sim::fault::gzip)] = 0.30;
  }
  o.faults.slow_ms = 20;
  o.faults.max_consecutive = 3;  // the client makes 5 attempts
  return o;
}

ce::cost_and_usage_request request_for(const sim::data_set& ds) {
  ce::cost_and_usage_request r;
  r.time_period = {sim::format_date(ds.first_day()), sim::format_date(ds.end_day())};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("USAGE_TYPE")};
  return r;
}

// The rows GetCostAndUsage must return: (period start, keys) -> amount.
using row_key = std::pair<std::string, std::vector<std::string>>;
std::map<row_key, std::string> truth_rows(const sim::data_set& ds) {
  sim::query q;
  q.start_day = ds.first_day();
  q.end_day = ds.end_day();
  q.gran = sim::granularity::daily;
  q.metrics = {sim::metric::unblended_cost};
  q.group_by = {sim::group_def{false, sim::dimension::service, {}},
                sim::group_def{false, sim::dimension::usage_type, {}}};
  std::map<row_key, std::string> out;
  for (const sim::period_result& p : sim::ground_truth(ds, q))
    for (const auto& g : p.groups) out[{sim::format_date(p.start_day), g.keys}] = g.metrics[0].amount.to_string();
  return out;
}

struct figures {
  bool ok = false;
  std::string failure;
  double seconds = 0;
  ce::crawl_stats stats;
  sim::counters sim;
  std::uint64_t rows = 0, lost = 0, doubled = 0, wrong = 0;
};

// One crawl from a fresh simulator; rows checked against the ground truth.
figures crawl_once(const settings& s, double rate) {
  figures f;
  sim::simulator server(sim_options(s, rate));
  auto port = server.start();
  if (!port) {
    f.failure = port.error().describe();
    return f;
  }
  aws::client_options o = bench_support::sim_client_options(server.endpoint_url());
  // Backoff kept short so the soak measures the client, not its sleeps.
  o.retry.base_delay = std::chrono::milliseconds(2);
  o.retry.throttle_base_delay = std::chrono::milliseconds(5);
  o.retry.max_delay = std::chrono::milliseconds(50);
  ce::cost_explorer explorer{aws::json_client(std::move(o))};
  const std::map<row_key, std::string> truth = truth_rows(server.data());
  std::map<row_key, std::string> got;
  auto on_page = [&](const ce::cost_page& page, const ce::page_info&) -> status {
    for (ce::result_by_time r : page.results())
      for (ce::group g : r.groups()) {
        ++f.rows;
        const ce::metric_value* m = g.metrics().find("UnblendedCost");
        std::vector<std::string> keys;
        for (std::string_view k : g.keys()) keys.emplace_back(k);
        auto [it, fresh] = got.emplace(row_key{std::string(r.start()), std::move(keys)},
                                       m ? std::string(m->amount_text()) : std::string());
        if (!fresh) ++f.doubled;
        (void)it;
      }
    return {};
  };
  const auto t0 = std::chrono::steady_clock::now();
  auto st = explorer.crawl_cost_and_usage(request_for(server.data()), on_page);
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.sim = server.stats();
  if (!st) {
    f.failure = st.error().describe();
    return f;
  }
  f.stats = *st;
  for (const auto& [k, amount] : truth) {
    auto it = got.find(k);
    if (it == got.end()) {
      ++f.lost;
      continue;
    }
    auto want = decimal::parse(amount);
    auto have = decimal::parse(it->second);
    if (!want || !have || !(*want == *have)) ++f.wrong;
  }
  f.wrong += got.size() > truth.size() - f.lost ? got.size() - (truth.size() - f.lost) : 0;  // rows AWS never had
  f.ok = f.lost == 0 && f.doubled == 0 && f.wrong == 0 && f.stats.complete;
  if (!f.ok && f.failure.empty()) f.failure = "rows differ from the ground truth";
  return f;
}

std::uint64_t failing_faults(const sim::counters& c) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < sim::fault_count; ++i)
    if (sim::is_failure(static_cast<sim::fault>(i))) n += c.faults[i];
  return n;
}

bool parse_args(int argc, char** argv, settings& s) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--json") {
      s.json = true;
    } else if (a == "--rate" && v) {
      s.rate = std::atof(v);
      ++i;
    } else if (a == "--days" && v) {
      s.days = std::atoi(v);
      ++i;
    } else if (a == "--accounts" && v) {
      s.accounts = std::atoi(v);
      ++i;
    } else if (a == "--page-groups" && v) {
      s.page_groups = static_cast<std::size_t>(std::atoi(v));
      ++i;
    } else {
      return false;
    }
  }
  return s.rate >= 0 && s.rate <= 0.9 && s.days > 0 && s.days <= 3660 && s.accounts > 0 && s.page_groups > 0;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  if (!parse_args(argc, argv, s)) {
    std::fprintf(stderr, "usage: soak_bench [--rate 0..0.9] [--days N] [--accounts N] [--page-groups N] [--json]\n");
    return 2;
  }
  http::curl_global_guard curl;
  const figures clean = crawl_once(s, 0.0);  // the limit
  const figures soak = crawl_once(s, s.rate);
  const double rss = bench_support::peak_rss_mib();
  const std::uint64_t faults = failing_faults(soak.sim);
  const double fault_share = soak.sim.requests ? static_cast<double>(faults) / static_cast<double>(soak.sim.requests) : 0;
  const double retries_per_fault = faults ? static_cast<double>(soak.stats.retries) / static_cast<double>(faults) : 0;

  if (s.json) {
    std::printf("{\"fault_rate_setting\":%.2f,\"pages\":%llu,\"requests\":%llu,\"faults_survived\":%llu,"
                "\"fault_share_of_requests\":%.3f,\"retries\":%llu,\"retries_per_fault\":%.3f,",
                s.rate, static_cast<unsigned long long>(soak.stats.pages),
                static_cast<unsigned long long>(soak.stats.requests_sent), static_cast<unsigned long long>(faults),
                fault_share, static_cast<unsigned long long>(soak.stats.retries), retries_per_fault);
    for (std::size_t i = 0; i < sim::fault_count; ++i)
      std::printf("\"faults_%s\":%llu,", std::string(sim::fault_names[i]).c_str(),
                  static_cast<unsigned long long>(soak.sim.faults[i]));
    std::printf("\"rows\":%llu,\"rows_lost\":%llu,\"rows_doubled\":%llu,\"rows_wrong\":%llu,\"wall_s\":%.3f,"
                "\"limit_requests\":%llu,\"limit_rows\":%llu,\"limit_wall_s\":%.3f,\"wall_ratio\":%.2f,"
                "\"billable_requests\":%llu,\"sim_billable\":%llu,\"peak_rss_mib\":%.1f,\"ok\":%s}\n",
                static_cast<unsigned long long>(soak.rows), static_cast<unsigned long long>(soak.lost),
                static_cast<unsigned long long>(soak.doubled), static_cast<unsigned long long>(soak.wrong),
                soak.seconds, static_cast<unsigned long long>(clean.stats.requests_sent),
                static_cast<unsigned long long>(clean.rows), clean.seconds,
                clean.seconds > 0 ? soak.seconds / clean.seconds : 0.0,
                static_cast<unsigned long long>(soak.stats.billable_requests),
                static_cast<unsigned long long>(soak.sim.billable), rss, soak.ok && clean.ok ? "true" : "false");
  } else {
    std::printf("soak_bench: GetCostAndUsage DAILY by SERVICE, USAGE_TYPE; %d days, %d accounts, %zu groups per page;\n"
                "real libcurl to the in-process simulator; failing faults at %.0f %% of requests + slow 5 %%, gzip 30 %%\n\n",
                s.days, s.accounts, s.page_groups, s.rate * 100);
    std::printf("                 pages  requests  retries   rows  lost  doubled  wrong   wall s\n");
    std::printf("without faults  %6llu  %8llu  %7llu  %5llu  %4llu  %7llu  %5llu  %7.3f   (the limit)\n",
                static_cast<unsigned long long>(clean.stats.pages),
                static_cast<unsigned long long>(clean.stats.requests_sent),
                static_cast<unsigned long long>(clean.stats.retries), static_cast<unsigned long long>(clean.rows),
                static_cast<unsigned long long>(clean.lost), static_cast<unsigned long long>(clean.doubled),
                static_cast<unsigned long long>(clean.wrong), clean.seconds);
    std::printf("with faults     %6llu  %8llu  %7llu  %5llu  %4llu  %7llu  %5llu  %7.3f   (%.2fx)\n\n",
                static_cast<unsigned long long>(soak.stats.pages),
                static_cast<unsigned long long>(soak.stats.requests_sent),
                static_cast<unsigned long long>(soak.stats.retries), static_cast<unsigned long long>(soak.rows),
                static_cast<unsigned long long>(soak.lost), static_cast<unsigned long long>(soak.doubled),
                static_cast<unsigned long long>(soak.wrong), soak.seconds,
                clean.seconds > 0 ? soak.seconds / clean.seconds : 0.0);
    std::printf("faults survived: %llu (%.1f %% of %llu requests), %.2f retries per fault\n  by kind:",
                static_cast<unsigned long long>(faults), fault_share * 100,
                static_cast<unsigned long long>(soak.sim.requests), retries_per_fault);
    for (std::size_t i = 0; i < sim::fault_count; ++i)
      std::printf(" %s %llu", std::string(sim::fault_names[i]).c_str(),
                  static_cast<unsigned long long>(soak.sim.faults[i]));
    std::printf("\nbilled pages: client %llu, simulator %llu\npeak RSS (client + simulator): %.1f MiB\n",
                static_cast<unsigned long long>(soak.stats.billable_requests),
                static_cast<unsigned long long>(soak.sim.billable), rss);
  }
  if (!clean.ok || !soak.ok) {
    std::fprintf(stderr, "soak_bench: FAILED: %s\n", (!clean.ok ? clean.failure : soak.failure).c_str());
    return 1;
  }
  return 0;
}
