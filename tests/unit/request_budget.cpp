// ce::request_budget and the request estimator: the periods a range holds,
// the estimate with and without an earlier run's pages, USD at 0.01 per
// request, and the crawl stopping before the request that would exceed the
// budget (a scripted page source: no network).
#include "finops_crawler/aws/ce/request_budget.hpp"

#include "finops_crawler/aws/ce/crawl.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using namespace finops_crawler;

namespace {

calendar_date day(const char* s) {
  auto d = calendar_date::parse(s);
  REQUIRE(d);
  return *d;
}

struct budget_page {
  std::string token;
  bool has_token = false;
  bool has_next_page_token() const noexcept { return has_token; }
  std::string_view next_page_token() const noexcept { return token; }
};

// Pages "" -> t1 -> ... -> t(n-1); page `fail_at` fails (not billed).
struct budget_source {
  int n = 0;
  int fail_at = -1;
  std::vector<std::string> asked;
  ce::source_counters c;
  status fetch_page(std::string_view token, budget_page& page) {
    asked.emplace_back(token);
    ++c.requests_sent;
    const int i = token.empty() ? 0 : std::stoi(std::string(token.substr(1)));
    if (i == fail_at) return status(errc::transport, "connection reset");
    ++c.billable_requests;
    page.has_token = i + 1 < n;
    page.token = page.has_token ? "t" + std::to_string(i + 1) : "";
    return {};
  }
  std::size_t last_body_bytes() const noexcept { return 10; }
  ce::source_counters counters() const noexcept { return c; }
};

}  // namespace

TEST_CASE("period_count: days, hours, calendar months touched") {
  CHECK(ce::period_count(day("2026-01-01"), day("2026-03-17"), ce::granularity::daily) == 75);
  CHECK(ce::period_count(day("2026-01-01"), day("2026-01-03"), ce::granularity::hourly) == 48);
  CHECK(ce::period_count(day("2026-01-15"), day("2026-03-02"), ce::granularity::monthly) == 3);
  CHECK(ce::period_count(day("2026-01-01"), day("2026-02-01"), ce::granularity::monthly) == 1);
  CHECK(ce::period_count(day("2025-12-31"), day("2026-01-02"), ce::granularity::monthly) == 2);
  CHECK(ce::period_count(day("2026-01-05"), day("2026-01-05"), ce::granularity::daily) == 0);
  CHECK(ce::period_count(day("2026-01-05"), day("2026-01-01"), ce::granularity::monthly) == 0);
}

TEST_CASE("estimate_requests: a guess from the shape, else the earlier run's pages per period") {
  ce::request_shape s;
  s.start = day("2026-01-01");
  s.end = day("2026-01-31");
  CHECK(ce::estimate_requests(s) == 1);  // no GroupBy: one page
  s.group_by_count = 2;
  CHECK(ce::estimate_requests(s) == 5);  // 30 x 150 groups / 1000 per page, rounded up
  s.group_by_count = 1;
  CHECK(ce::estimate_requests(s) == 1);  // 30 x 25 = 750 groups
  s.page_groups = 100;
  CHECK(ce::estimate_requests(s) == 8);
  s.groups_per_period = 35;
  CHECK(ce::estimate_requests(s) == 11);  // 1050 / 100
  s.known_pages = 3;
  s.known_periods = 31;
  CHECK(ce::estimate_requests(s) == 3);  // 30 x 3 / 31 rounded up
  s.end = day("2026-03-04");             // 62 days
  CHECK(ce::estimate_requests(s) == 6);
  s.known_pages = 1;
  s.known_periods = 1000;
  CHECK(ce::estimate_requests(s) == 1);  // never below one page
  s.end = s.start;
  CHECK(ce::estimate_requests(s) == 0);  // nothing to fetch
}

TEST_CASE("usd_for_requests: exact cents") {
  CHECK(ce::usd_for_requests(0) == "0.00");
  CHECK(ce::usd_for_requests(7) == "0.07");
  CHECK(ce::usd_for_requests(37) == "0.37");
  CHECK(ce::usd_for_requests(100) == "1.00");
  CHECK(ce::usd_for_requests(1205) == "12.05");
}

TEST_CASE("request_budget: counts, caps, remaining") {
  ce::request_budget none;
  CHECK(none.allows_next());
  none.charge(1000000);
  CHECK(none.allows_next());
  CHECK(none.remaining() == UINT64_MAX);
  ce::request_budget b(2);
  CHECK(b.allows_next());
  b.charge(1);
  CHECK(b.remaining() == 1);
  b.charge(1);
  CHECK_FALSE(b.allows_next());
  CHECK(b.remaining() == 0);
  CHECK_FALSE(b.exhausted());
}

TEST_CASE("crawl with a budget: stops before the request that would exceed it") {
  budget_source src;
  src.n = 5;
  budget_page page;
  ce::request_budget budget(3);
  ce::crawl_options o;
  o.budget = &budget;
  int seen = 0;
  auto st = ce::crawl(src, page, [&](const budget_page&, const ce::page_info&) { ++seen; }, o);
  REQUIRE(st);
  CHECK(seen == 3);
  CHECK(src.asked.size() == 3);  // the fourth request was never sent
  CHECK_FALSE(st->complete);
  CHECK(st->budget_exhausted);
  CHECK(st->resume_token == "t3");
  CHECK(st->billable_requests == 3);
  CHECK(budget.spent() == 3);
  CHECK(budget.exhausted());

  // The same budget shared by the next crawl: nothing more is sent.
  budget_source again;
  again.n = 2;
  auto st2 = ce::crawl(again, page, [&](const budget_page&, const ce::page_info&) {}, o);
  REQUIRE(st2);
  CHECK(again.asked.empty());
  CHECK(st2->budget_exhausted);
  CHECK(st2->resume_token.empty());  // stopped before its first page
}

TEST_CASE("crawl with a budget: a request that failed is not charged; without a budget nothing changes") {
  budget_source src;
  src.n = 4;
  src.fail_at = 2;
  budget_page page;
  ce::request_budget budget(10);
  ce::crawl_options o;
  o.budget = &budget;
  auto st = ce::crawl(src, page, [&](const budget_page&, const ce::page_info&) {}, o);
  REQUIRE_FALSE(st);
  CHECK(budget.spent() == 2);
  CHECK_FALSE(budget.exhausted());

  budget_source plain;
  plain.n = 4;
  auto full = ce::crawl(plain, page, [&](const budget_page&, const ce::page_info&) {});
  REQUIRE(full);
  CHECK(full->complete);
  CHECK_FALSE(full->budget_exhausted);
  CHECK(full->pages == 4);
}
