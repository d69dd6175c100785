// crawl_memory: shows that a crawl holds one page at a time. Crawls about
// 200 MiB of large GetCostAndUsage pages from the simulator and prints the
// process's peak RSS (getrusage ru_maxrss) next to the size of one page.
//
// The simulator runs in a forked child process, so its memory is not counted;
// each measurement runs in a forked child of its own (peak RSS cannot be
// reset). The limit is measured in the same run: first a crawl of ONE page
// (the peak RSS then includes libcurl, simdjson's buffers for one page, which
// the client's validation and the page share, ...), then the full crawl. If pages were kept,
// the full crawl's peak would grow by the crawled size (hundreds of MiB);
// holding one page, it stays within the one-page peak plus a few pages of
// buffer slack (buffers grow to the largest page).
//
// Two allocator settings are measured:
//   fixed    mallopt(M_MMAP_THRESHOLD, 128 KiB): every page-sized buffer is
//            its own mapping, returned to the system when freed, so RSS shows
//            exactly what is live. This is the one-page-at-a-time check.
//   default  glibc as a program gets it: its dynamic mmap threshold moves
//            page-sized buffers into the heap after the first free, where
//            fragmentation adds a few MiB that plateau (not data kept: the
//            fixed run shows none of it).
//
//   crawl_memory [--mib N] [--accounts N] [--page-groups N] [--json]
//
// --json prints one object:
//   {"crawled_mib":..,"pages":..,"page_kib":..,"largest_page_kib":..,
//    "peak_rss_one_page_mib":..,"peak_rss_mib":..,"limit_rss_mib":..,"within_limit":..,
//    "default_malloc_peak_rss_one_page_mib":..,"default_malloc_peak_rss_mib":..,...}
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/http/curl_global.hpp"
#include "bench_support.hpp"
#include "simulator.hpp"

#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace finops_crawler;

namespace {

using bench_support::peak_rss_mib;

struct settings {
  double mib = 200;
  int accounts = 120;
  std::size_t page_groups = 2500;
  int days = 0;  // derived from mib
  bool json = false;
};

// Child: serve until killed. Writes the port (or -1) to `fd`.
[[noreturn]] void serve(const settings& s, int fd) {
  sim::options o;
  o.data.seed = 2024;
  o.data.account_count = s.accounts;
  o.data.start_date = "2020-01-01";
  o.data.days = s.days;
  o.data.presence_percent = 95;
  o.page_size_groups = s.page_groups;
  o.threads = 2;
  o.max_body = 1 << 20;
  sim::simulator sim(o);
  auto port = sim.start();
  int p = port ? *port : -1;
  if (!port) std::fprintf(stderr, "crawl_memory: simulator: %s\n", port.error().describe().c_str());
  if (write(fd, &p, sizeof p) != static_cast<ssize_t>(sizeof p)) std::_Exit(1);
  close(fd);
  for (;;) pause();
}

aws::client_options client_for(int port) {
  aws::client_options o = bench_support::sim_client_options("http://127.0.0.1:" + std::to_string(port));
  o.curl.max_response_bytes = std::size_t{256} << 20;
  return o;
}

ce::cost_and_usage_request big_request(const settings& s) {
  ce::cost_and_usage_request r;
  auto start = detail::calendar_date::parse("2020-01-01");
  r.time_period = {"2020-01-01", start->add_days(s.days).to_string()};
  r.granularity = ce::granularity::daily;
  // Every metric: large groups, so large pages.
  r.metrics = {"AmortizedCost",         "BlendedCost",   "NetAmortizedCost", "NetUnblendedCost",
               "NormalizedUsageAmount", "UnblendedCost", "UsageQuantity"};
  r.group_by = {ce::group_by::dimension("LINKED_ACCOUNT"), ce::group_by::dimension("USAGE_TYPE")};
  return r;
}

// What one measurement child reports through its pipe. Plain data.
struct figures {
  double rss_one_mib = 0;
  double rss_all_mib = 0;
  double seconds = 0;
  std::uint64_t pages = 0;
  std::uint64_t groups = 0;
  std::uint64_t billable = 0;
  std::uint64_t body_bytes = 0;
  std::uint64_t first_page_bytes = 0;
  std::uint64_t largest_bytes = 0;
  char cost_usd[32] = {};
  char sum[64] = {};
  bool ok = false;
};

// One page, then the whole crawl, in this process.
figures measure(const settings& s, int port) {
  figures out;
  http::curl_global_guard curl;
  ce::cost_explorer explorer{aws::json_client(client_for(port))};
  const ce::cost_and_usage_request request = big_request(s);
  decimal sum;
  std::uint64_t groups = 0;
  auto on_page = [&](const ce::cost_page& page, const ce::page_info&) -> status {
    // Read every amount, so the whole page is really used.
    for (ce::result_by_time r : page.results())
      for (ce::group g : r.groups()) {
        ++groups;
        if (const ce::metric_value* m = g.metrics().find("UnblendedCost")) {
          auto a = m->amount();
          if (!a) return status(a.error());
          if (status st = sum.add_assign(*a); !st) return st;
        }
      }
    return {};
  };

  // 1. One page: the baseline peak.
  ce::crawl_options one;
  one.max_pages = 1;
  one.allow_partial = true;
  auto first = explorer.crawl_cost_and_usage(request, on_page, one);
  if (!first) {
    std::fprintf(stderr, "crawl_memory: %s\n", first.error().describe().c_str());
    return out;
  }
  out.rss_one_mib = peak_rss_mib();
  out.first_page_bytes = first->largest_body_bytes;

  // 2. The whole crawl.
  sum = decimal();
  groups = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto all = explorer.crawl_cost_and_usage(request, on_page);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!all) {
    std::fprintf(stderr, "crawl_memory: %s\n", all.error().describe().c_str());
    return out;
  }
  out.rss_all_mib = peak_rss_mib();
  out.pages = all->pages;
  out.groups = groups;
  out.billable = all->billable_requests;
  out.body_bytes = all->body_bytes;
  out.largest_bytes = all->largest_body_bytes;
  std::snprintf(out.cost_usd, sizeof out.cost_usd, "%s", all->estimated_cost_usd().to_string().c_str());
  std::snprintf(out.sum, sizeof out.sum, "%s", sum.to_string().c_str());
  out.ok = true;
  return out;
}

// Runs measure() in a forked child (fixed or default malloc) and collects
// its figures; peak RSS is per process, so each mode gets a fresh one.
bool run_measurement(const settings& s, int port, bool fixed_threshold, figures& out) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    close(fds[0]);
    // A fixed threshold also turns off glibc's dynamic adjustment (mallopt(3)).
    if (fixed_threshold) mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    const figures f = measure(s, port);
    const bool written = write(fds[1], &f, sizeof f) == static_cast<ssize_t>(sizeof f);
    close(fds[1]);
    std::_Exit(written && f.ok ? 0 : 1);
  }
  close(fds[1]);
  const bool got = read(fds[0], &out, sizeof out) == static_cast<ssize_t>(sizeof out);
  close(fds[0]);
  int st = 0;
  waitpid(child, &st, 0);
  return got && out.ok;
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    auto next = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "crawl_memory: %s needs a value\n", name);
        std::exit(2);
      }
      return argv[++i];
    };
    if (std::strcmp(argv[i], "--json") == 0) s.json = true;
    else if (std::strcmp(argv[i], "--mib") == 0) s.mib = std::atof(next("--mib"));
    else if (std::strcmp(argv[i], "--accounts") == 0) s.accounts = std::atoi(next("--accounts"));
    else if (std::strcmp(argv[i], "--page-groups") == 0) s.page_groups = std::strtoul(next("--page-groups"), nullptr, 10);
    else {
      std::fprintf(stderr, "usage: crawl_memory [--mib N] [--accounts N] [--page-groups N] [--json]\n");
      return 2;
    }
  }
  if (s.mib <= 0 || s.accounts < 1 || s.page_groups < 1) {
    std::fprintf(stderr, "crawl_memory: --mib, --accounts and --page-groups must be positive\n");
    return 2;
  }
  // Measured on the default catalog: an account has ~11 (account, usage type)
  // groups a day, each ~0.42 KiB of JSON with 7 metrics: days needed for the
  // requested volume.
  const double kib_per_day = static_cast<double>(s.accounts) * 4.6;
  s.days = static_cast<int>(s.mib * 1024.0 / kib_per_day) + 1;
  if (s.days > 3660) s.days = 3660;

  int fds[2];
  if (pipe(fds) != 0) return 1;
  const pid_t child = fork();
  if (child < 0) return 1;
  if (child == 0) {
    close(fds[0]);
    serve(s, fds[1]);
  }
  close(fds[1]);
  int port = -1;
  const bool got = read(fds[0], &port, sizeof port) == static_cast<ssize_t>(sizeof port);
  close(fds[0]);
  auto stop_child = [&] {
    kill(child, SIGTERM);
    int st = 0;
    waitpid(child, &st, 0);
  };
  if (!got || port <= 0) {
    stop_child();
    return 1;
  }

  figures fixed, dflt;
  const bool ok = run_measurement(s, port, true, fixed) && run_measurement(s, port, false, dflt);
  stop_child();
  if (!ok) return 1;

  const double crawled_mib = static_cast<double>(fixed.body_bytes) / (1024.0 * 1024.0);
  const double page_kib = static_cast<double>(fixed.first_page_bytes) / 1024.0;
  const double largest_kib = static_cast<double>(fixed.largest_bytes) / 1024.0;
  // One-page peak plus 4 of the largest pages of slack (the body, the client's
  // validation parser and the page parser each grow to the largest page).
  const double limit = fixed.rss_one_mib + 4.0 * largest_kib / 1024.0;
  const bool within = fixed.rss_all_mib <= limit;
  const char* cost = fixed.cost_usd;

  if (s.json) {
    std::printf(
        "{\"crawled_mib\":%.1f,\"pages\":%llu,\"groups\":%llu,\"page_kib\":%.1f,\"largest_page_kib\":%.1f,"
        "\"peak_rss_one_page_mib\":%.1f,\"peak_rss_mib\":%.1f,\"limit_rss_mib\":%.1f,\"within_limit\":%s,"
        "\"default_malloc_peak_rss_one_page_mib\":%.1f,\"default_malloc_peak_rss_mib\":%.1f,"
        "\"crawl_s\":%.2f,\"crawled_mib_per_s\":%.1f,\"billable_requests\":%llu,\"estimated_cost_usd\":\"%s\"}\n",
        crawled_mib, static_cast<unsigned long long>(fixed.pages), static_cast<unsigned long long>(fixed.groups),
        page_kib, largest_kib, fixed.rss_one_mib, fixed.rss_all_mib, limit, within ? "true" : "false",
        dflt.rss_one_mib, dflt.rss_all_mib, dflt.seconds, crawled_mib / dflt.seconds,
        static_cast<unsigned long long>(fixed.billable), cost);
  } else {
    std::printf("crawled                %.1f MiB in %llu pages (%llu groups; %.1f s, %.1f MiB/s)\n", crawled_mib,
                static_cast<unsigned long long>(fixed.pages), static_cast<unsigned long long>(fixed.groups),
                dflt.seconds, crawled_mib / dflt.seconds);
    std::printf("one page               %.1f KiB (largest %.1f KiB)\n", page_kib, largest_kib);
    std::printf("peak RSS, fixed mmap threshold:  1 page %.1f MiB, whole crawl %.1f MiB\n", fixed.rss_one_mib,
                fixed.rss_all_mib);
    std::printf("  limit %.1f MiB (1-page peak + 4 largest pages): %s\n", limit, within ? "within" : "EXCEEDED");
    std::printf("peak RSS, default glibc malloc:  1 page %.1f MiB, whole crawl %.1f MiB (heap fragmentation)\n",
                dflt.rss_one_mib, dflt.rss_all_mib);
    std::printf("API charge             %llu billable requests = USD %s\n",
                static_cast<unsigned long long>(fixed.billable), cost);
    std::printf("UnblendedCost sum      %s\n", fixed.sum);
  }
  return within ? 0 : 1;
}
