// ce::crawl: the pagination driver. First against a scripted page source
// (no network: every stop rule, the callback protocol, the counters), then
// end to end through real libcurl against the in-process simulator: page
// sizes 1, 7 and larger than the data, split periods merged, totals exact
// against the synthetic ground truth, billable requests = pages, faults.
#include "finops_crawler/aws/ce/crawl.hpp"

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/merged_results.hpp"
#include "sim_test_support.hpp"
#include "synthetic_data.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

// ---------------------------------------------------------------------------
// A scripted source: page i has next token tokens[i] ("" = last page).

struct fake_page {
  std::string token;
  bool has_token = false;
  int number = -1;
  bool has_next_page_token() const noexcept { return has_token; }
  std::string_view next_page_token() const noexcept { return token; }
};

struct fake_source {
  // token -> (page number, its next token, present?)
  struct entry {
    int number;
    std::string next;
    bool present;
  };
  std::map<std::string, entry> pages;
  std::vector<std::string> asked;  // tokens requested, in order
  int fail_at = -1;                // page number whose fetch fails
  errc fail_code = errc::unexpected_shape;
  ce::source_counters c;

  status fetch_page(std::string_view token, fake_page& page) {
    asked.emplace_back(token);
    ++c.requests_sent;
    auto it = pages.find(std::string(token));
    if (it == pages.end()) return status(errc::invalid_argument, "unknown token");
    if (it->second.number == fail_at) return status(fail_code, "ResultsByTime[0].Groups is not an array");
    ++c.billable_requests;
    page.number = it->second.number;
    page.token = it->second.next;
    page.has_token = it->second.present;
    return {};
  }
  std::size_t last_body_bytes() const noexcept { return 100; }
  ce::source_counters counters() const noexcept { return c; }
};

// A chain of n pages: "" -> t1 -> t2 ... -> t(n-1) -> end.
fake_source chain(int n) {
  fake_source s;
  for (int i = 0; i < n; ++i) {
    std::string key = i == 0 ? "" : "t" + std::to_string(i);
    bool last = i == n - 1;
    s.pages[key] = {i, last ? "" : "t" + std::to_string(i + 1), !last};
  }
  return s;
}

using sim_test::has;

}  // namespace

TEST_CASE("a chain of pages is followed until the token is absent") {
  for (int n : {1, 2, 7}) {
    CAPTURE(n);
    fake_source src = chain(n);
    fake_page page;
    std::vector<int> seen;
    std::vector<bool> last_flags;
    auto r = ce::crawl(src, page, [&](const fake_page& p, const ce::page_info& info) {
      CHECK(info.index == seen.size());
      CHECK(info.body_bytes == 100);
      seen.push_back(p.number);
      last_flags.push_back(info.last);
    });
    REQUIRE_MESSAGE(r, r.error().describe());
    CHECK(r->pages == static_cast<std::uint64_t>(n));
    CHECK(r->complete);
    CHECK(r->resume_token.empty());
    CHECK(r->billable_requests == static_cast<std::uint64_t>(n));
    CHECK(r->requests_sent == static_cast<std::uint64_t>(n));
    CHECK(r->body_bytes == 100u * static_cast<unsigned>(n));
    CHECK(r->largest_body_bytes == 100);
    CHECK(r->estimated_cost_cents() == static_cast<std::uint64_t>(n));
    REQUIRE(seen.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) CHECK(seen[static_cast<std::size_t>(i)] == i);
    CHECK(last_flags.back());
    CHECK(src.asked.front().empty());
  }
}

TEST_CASE("the estimated cost is exact in dollars") {
  ce::crawl_stats s;
  s.billable_requests = 0;
  CHECK(s.estimated_cost_usd().to_string() == "0.00");
  s.billable_requests = 7;
  CHECK(s.estimated_cost_usd().to_string() == "0.07");
  s.billable_requests = 1234;
  CHECK(s.estimated_cost_usd().to_string() == "12.34");
  CHECK(s.estimated_cost_usd() == *decimal::parse("12.34"));
}

TEST_CASE("a repeated token stops the crawl with limit_reached") {
  SUBCASE("a token pointing back to an earlier page") {
    fake_source src = chain(3);
    src.pages["t2"] = {2, "t1", true};  // t1 -> t2 -> t1 -> ...
    fake_page page;
    int calls = 0;
    auto r = ce::crawl(src, page, [&](const fake_page&, const ce::page_info&) { ++calls; });
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::limit_reached);
    CHECK(has(r.error().message, "repeated"));
    CHECK(has(r.error().message, "\"t1\""));
    CHECK(calls == 3);
    CHECK(src.asked.size() == 3);  // the repeat is never requested (never billed)
  }
  SUBCASE("a page that names itself") {
    fake_source src;
    src.pages[""] = {0, "same", true};
    src.pages["same"] = {1, "same", true};
    fake_page page;
    auto r = ce::crawl(src, page, [](const fake_page&, const ce::page_info&) {});
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::limit_reached);
    CHECK(src.asked.size() == 2);
  }
  SUBCASE("the resume token coming back") {
    fake_source src = chain(3);
    src.pages["t2"] = {2, "t1", true};
    fake_page page;
    auto r = ce::crawl(src, page, [](const fake_page&, const ce::page_info&) {}, {}, "t1");
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::limit_reached);
    CHECK(src.asked == std::vector<std::string>{"t1", "t2"});
  }
}

TEST_CASE("an empty token present in a reply is a shape error, not the end") {
  fake_source src;
  src.pages[""] = {0, "", true};
  fake_page page;
  int calls = 0;
  auto r = ce::crawl(src, page, [&](const fake_page&, const ce::page_info&) { ++calls; });
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unexpected_shape);
  CHECK(has(r.error().message, "page 1: "));
  CHECK(calls == 0);
}

TEST_CASE("a page that fails to parse stops the crawl: never skipped") {
  fake_source src = chain(5);
  src.fail_at = 2;
  fake_page page;
  std::vector<int> seen;
  auto r = ce::crawl(src, page, [&](const fake_page& p, const ce::page_info&) { seen.push_back(p.number); });
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::unexpected_shape);
  CHECK(has(r.error().message, "page 3: ResultsByTime[0].Groups"));
  CHECK(seen == std::vector<int>{0, 1});
  CHECK(src.asked.size() == 3);
}

TEST_CASE("max_pages caps the crawl") {
  SUBCASE("more pages left: limit_reached by default") {
    fake_source src = chain(10);
    fake_page page;
    ce::crawl_options o;
    o.max_pages = 4;
    int calls = 0;
    auto r = ce::crawl(src, page, [&](const fake_page&, const ce::page_info&) { ++calls; }, o);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::limit_reached);
    CHECK(has(r.error().message, "max_pages = 4"));
    CHECK(calls == 4);
    CHECK(src.asked.size() == 4);
  }
  SUBCASE("allow_partial keeps the pages and says where to resume") {
    fake_source src = chain(10);
    fake_page page;
    ce::crawl_options o;
    o.max_pages = 4;
    o.allow_partial = true;
    auto r = ce::crawl(src, page, [](const fake_page&, const ce::page_info&) {}, o);
    REQUIRE(r);
    CHECK(r->pages == 4);
    CHECK_FALSE(r->complete);
    CHECK(r->resume_token == "t4");
    CHECK(r->billable_requests == 4);
    // Resuming from there reads the remaining six pages.
    auto rest = ce::crawl(src, page, [](const fake_page&, const ce::page_info&) {}, {}, r->resume_token);
    REQUIRE(rest);
    CHECK(rest->pages == 6);
    CHECK(rest->complete);
  }
  SUBCASE("exactly max_pages pages: complete, no error") {
    fake_source src = chain(4);
    fake_page page;
    ce::crawl_options o;
    o.max_pages = 4;
    auto r = ce::crawl(src, page, [](const fake_page&, const ce::page_info&) {}, o);
    REQUIRE(r);
    CHECK(r->complete);
    CHECK(r->pages == 4);
  }
}

TEST_CASE("the callback can stop the crawl or fail it") {
  SUBCASE("false stops successfully, incomplete, with the resume token") {
    fake_source src = chain(5);
    fake_page page;
    auto r = ce::crawl(src, page, [](const fake_page& p, const ce::page_info&) { return p.number < 1; });
    REQUIRE(r);
    CHECK(r->pages == 2);
    CHECK_FALSE(r->complete);
    CHECK(r->resume_token == "t2");
  }
  SUBCASE("an error is returned as is") {
    fake_source src = chain(5);
    fake_page page;
    auto r = ce::crawl(src, page, [](const fake_page& p, const ce::page_info&) -> status {
      if (p.number == 1) return status(errc::unexpected_shape, "merge refused");
      return {};
    });
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unexpected_shape);
    CHECK(r.error().message == "merge refused");
    CHECK(src.asked.size() == 2);
  }
}

// ---------------------------------------------------------------------------
// End to end against the simulator.

namespace {

sim::options sim_options(std::size_t page_size) {
  sim::options o;
  o.data.seed = 42;
  o.data.start_date = "2024-03-01";
  o.data.days = 12;
  o.page_size_groups = page_size;
  o.threads = 2;
  o.keep_alive_timeout_s = 2;
  return o;
}

aws::client_options client_for(const sim::simulator& s) {
  return sim_test::client_options(aws::cost_explorer_api, s.endpoint_url(), 5);
}

ce::cost_and_usage_request python_request(const sim::data_set& ds) {
  ce::cost_and_usage_request r;
  r.time_period = {sim::format_date(ds.first_day()), sim::format_date(ds.end_day())};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE"), ce::group_by::dimension("USAGE_TYPE")};
  return r;
}

std::vector<sim::period_result> truth_for(const sim::data_set& ds) {
  sim::query q;
  q.start_day = ds.first_day();
  q.end_day = ds.end_day();
  q.gran = sim::granularity::daily;
  q.metrics = {sim::metric::unblended_cost};
  q.group_by = {sim::group_def{false, sim::dimension::service, {}}, sim::group_def{false, sim::dimension::usage_type, {}}};
  return sim::ground_truth(ds, q);
}

decimal dec(const std::string& s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, s);
  return *d;
}

// Compares merged periods with the ground truth group by group, exactly, and
// returns the number of groups compared.
std::size_t check_exact(const std::vector<ce::owned_result_by_time>& got, const std::vector<sim::period_result>& truth) {
  REQUIRE(got.size() == truth.size());
  std::size_t groups = 0;
  decimal sum_got, sum_truth;
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].start == sim::format_date(truth[i].start_day));
    CHECK(got[i].end == sim::format_date(truth[i].end_day));
    REQUIRE(got[i].groups.size() == truth[i].groups.size());
    std::map<std::vector<std::string>, std::string> by_keys;
    for (const auto& g : got[i].groups) {
      REQUIRE(g.metrics.size() == 1);
      CHECK(g.metrics[0].name == "UnblendedCost");
      CHECK(g.metrics[0].unit == "USD");
      CHECK_MESSAGE(by_keys.emplace(g.keys, g.metrics[0].amount).second, "duplicated group");
    }
    for (const auto& t : truth[i].groups) {
      auto it = by_keys.find(t.keys);
      REQUIRE_MESSAGE(it != by_keys.end(), "dropped group " << t.keys[0] << " / " << t.keys[1]);
      const decimal want = dec(t.metrics[0].amount.to_string());
      const decimal have = dec(it->second);
      CHECK_MESSAGE(have == want, it->second << " != " << t.metrics[0].amount.to_string());
      REQUIRE(sum_got.add_assign(have));
      REQUIRE(sum_truth.add_assign(want));
      ++groups;
    }
  }
  CHECK(sum_got == sum_truth);
  CHECK(sum_got.to_string() == sum_got.to_string());
  return groups;
}

}  // namespace

TEST_CASE("simulator: every page size gives the same exact totals, no group lost or doubled") {
  sim_test::prepare_process();
  std::size_t total_groups = 0;
  for (std::size_t page_size : {std::size_t{1}, std::size_t{7}, std::size_t{100000}}) {
    CAPTURE(page_size);
    sim::simulator s(sim_options(page_size));
    auto port = s.start();
    REQUIRE_MESSAGE(port, port.error().describe());
    ce::cost_explorer explorer{aws::json_client(client_for(s))};
    const auto truth = truth_for(s.data());
    ce::merged_results merged;
    std::uint64_t split_pages = 0;
    ce::period_continuity continuity;
    auto stats = explorer.crawl_cost_and_usage(python_request(s.data()),
                                               [&](const ce::cost_page& page, const ce::page_info&) {
                                                 if (continuity.feed(page)) ++split_pages;
                                                 return merged.add_page(page);
                                               });
    REQUIRE_MESSAGE(stats, stats.error().describe());
    const std::size_t groups = check_exact(merged.results(), truth);
    CHECK(groups > 100);
    if (total_groups == 0) total_groups = groups;
    CHECK(groups == total_groups);
    CHECK(stats->complete);
    // One billable request per page, as the simulator counted them too.
    CHECK(stats->billable_requests == stats->pages);
    CHECK(s.stats().billable == stats->pages);
    CHECK(explorer.counters().billable_requests == stats->pages);
    CHECK(stats->estimated_cost_cents() == stats->pages);
    if (page_size == 1) {
      CHECK(stats->pages == groups);
      CHECK(split_pages > 0);  // days do continue across pages
    } else if (page_size == 7) {
      CHECK(stats->pages == (groups + 6) / 7);
      CHECK(split_pages > 0);
    } else {
      CHECK(stats->pages == 1);
    }
  }
}

TEST_CASE("simulator: max_pages stops a real crawl, and resuming completes it exactly") {
  sim_test::prepare_process();
  sim::simulator s(sim_options(7));
  REQUIRE(s.start());
  ce::cost_explorer explorer{aws::json_client(client_for(s))};
  ce::cost_and_usage_request req = python_request(s.data());
  ce::merged_results merged;
  auto add = [&](const ce::cost_page& page, const ce::page_info&) { return merged.add_page(page); };

  ce::crawl_options capped;
  capped.max_pages = 3;
  auto refused = explorer.crawl_cost_and_usage(req, add, capped);
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == errc::limit_reached);
  CHECK(s.stats().billable == 3);

  merged = ce::merged_results();
  capped.allow_partial = true;
  auto first = explorer.crawl_cost_and_usage(req, add, capped);
  REQUIRE(first);
  CHECK(first->pages == 3);
  CHECK_FALSE(first->complete);
  req.next_page_token = first->resume_token;
  auto rest = explorer.crawl_cost_and_usage(req, add);
  REQUIRE_MESSAGE(rest, rest.error().describe());
  CHECK(rest->complete);
  check_exact(merged.results(), truth_for(s.data()));
  CHECK(s.stats().billable == 3 + first->pages + rest->pages);
}

TEST_CASE("simulator: with throttling, 5xx, dropped connections and truncated 200s, totals stay exact") {
  sim_test::prepare_process();
  sim::options o = sim_options(7);
  o.faults.seed = 99;
  o.faults.set_failure_rate(0.4);
  o.faults.max_consecutive = 2;  // the client makes 5 attempts
  sim::simulator s(o);
  REQUIRE(s.start());
  ce::cost_explorer explorer{aws::json_client(client_for(s))};
  ce::merged_results merged;
  auto stats = explorer.crawl_cost_and_usage(python_request(s.data()), [&](const ce::cost_page& page,
                                                                           const ce::page_info&) {
    return merged.add_page(page);
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  check_exact(merged.results(), truth_for(s.data()));
  const auto st = s.stats();
  std::uint64_t injected = 0;
  for (std::size_t k = 0; k < sim::fault_count; ++k)
    if (sim::is_failure(static_cast<sim::fault>(k))) injected += st.faults[k];
  CHECK(injected > 0);
  CHECK(st.faults[static_cast<std::size_t>(sim::fault::truncated_json)] > 0);
  CHECK(stats->retries >= injected);
  CHECK(stats->requests_sent == stats->pages + stats->retries);
  // Billed pages: one per page; a failed attempt is not billed.
  CHECK(stats->billable_requests == stats->pages);
  CHECK(st.billable == stats->pages);
}

TEST_CASE("simulator: a scripted truncated 200 on a middle page is retried, not skipped") {
  sim_test::prepare_process();
  sim::simulator s(sim_options(7));
  REQUIRE(s.start());
  ce::cost_explorer explorer{aws::json_client(client_for(s))};
  ce::merged_results merged;
  int page_no = 0;
  auto stats = explorer.crawl_cost_and_usage(python_request(s.data()), [&](const ce::cost_page& page,
                                                                           const ce::page_info&) {
    if (++page_no == 2) {
      s.script_faults(sim::fault::truncated_json, 1);
      s.script_faults(sim::fault::connection_close, 1);
    }
    return merged.add_page(page);
  });
  REQUIRE_MESSAGE(stats, stats.error().describe());
  CHECK(stats->retries == 2);
  check_exact(merged.results(), truth_for(s.data()));
}
