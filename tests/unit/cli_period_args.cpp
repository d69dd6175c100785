#include "period_args.hpp"

#include <doctest/doctest.h>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
calendar_date d(std::int64_t y, unsigned m, unsigned dd) { return calendar_date::from_days(detail::days_from_civil(y, m, dd)); }
std::string range(const result<date_range>& r) {
  if (!r) return "error: " + r.error().message;
  return r->start.to_string() + ".." + r->end.to_string();
}
}  // namespace

// Day arithmetic itself is calendar_date's (tests/unit/time.cpp); the CLI
// adds only whole months.
TEST_CASE("add_months_first") {
  CHECK(add_months_first(d(2026, 1, 15), -1) == d(2025, 12, 1));
  CHECK(add_months_first(d(2026, 12, 31), 1) == d(2027, 1, 1));
  CHECK(add_months_first(d(2026, 3, 3), -14) == d(2025, 1, 1));
  CHECK(add_months_first(d(2026, 3, 3), 0) == d(2026, 3, 1));
  CHECK(add_months_first(d(1, 1, 1), -1) == d(0, 12, 1));
  CHECK(add_months_first(d(0, 1, 1), -13) == d(-2, 12, 1));
  static_assert(add_months_first(calendar_date{}, 1) == calendar_date::from_days(31), "constexpr");
  CHECK(date_range{d(2024, 2, 1), d(2024, 3, 1)}.days() == 29);
}

TEST_CASE("strict date parsing") {
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2024-13-01"));
  CHECK_FALSE(parse_date("2024-00-10"));
  CHECK_FALSE(parse_date("2024-2-01"));
  CHECK_FALSE(parse_date("2024-02-01x"));
  CHECK_FALSE(parse_date("2024/02/01"));
  CHECK_FALSE(parse_date(""));
  CHECK_FALSE(parse_date("yesterday"));
  CHECK_FALSE(parse_date("1899-12-31"));
  CHECK(parse_date("1900-01-01"));
  CHECK(parse_date("2024-01-09")->to_string() == "2024-01-09");
  CHECK(d(987, 1, 2).to_string() == "0987-01-02");
  CHECK(parse_month("2024-02"));
  CHECK(*parse_month("2024-02") == d(2024, 2, 1));
  CHECK_FALSE(parse_month("2024-2"));
  CHECK_FALSE(parse_month("2024-02-01"));
  CHECK_FALSE(parse_month("2024-13"));
  CHECK_FALSE(parse_month("1899-12"));
}

TEST_CASE("resolve_period forms") {
  const calendar_date today = d(2026, 11, 26);
  period_flags f;
  f.start = "2026-01-01";
  f.end = "2026-02-01";
  CHECK(range(resolve_period(f, today)) == "2026-01-01..2026-02-01");

  period_flags last7;
  last7.last = "7d";
  CHECK(range(resolve_period(last7, today)) == "2026-11-19..2026-11-26");
  period_flags last3m;
  last3m.last = "3m";
  CHECK(range(resolve_period(last3m, today)) == "2026-09-01..2026-11-26");
  CHECK(range(resolve_period(last3m, d(2026, 3, 1))) == "2025-12-01..2026-03-01");
  period_flags month;
  month.month = "2024-02";
  CHECK(range(resolve_period(month, today)) == "2024-02-01..2024-03-01");
  month.month = "2025-12";
  CHECK(range(resolve_period(month, today)) == "2025-12-01..2026-01-01");
  CHECK(range(resolve_period(period_flags{}, today, 30)) == "2026-10-27..2026-11-26");
}

TEST_CASE("resolve_period refuses bad input with a message naming the flag") {
  const calendar_date today = d(2026, 11, 26);
  auto refused = [&](period_flags f, std::string_view needle) {
    auto r = resolve_period(f, today);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == finops_crawler::errc::invalid_argument);
    CHECK(r.error().message.find(needle) != std::string::npos);
  };
  refused({"2026-02-01", "2026-01-01", "", ""}, "must be after");
  refused({"2026-01-01", "2026-01-01", "", ""}, "must be after");
  refused({"2026-01-01", "", "", ""}, "go together");
  refused({"2026-01-32", "2026-02-01", "", ""}, "--start");
  refused({"2026-01-01", "tomorrow", "", ""}, "--end");
  refused({"2026-01-01", "2026-02-01", "7d", ""}, "only one");
  refused({"", "", "7", ""}, "--last");
  refused({"", "", "7w", ""}, "--last");
  refused({"", "", "0d", ""}, "1..3650");
  refused({"", "", "999m", ""}, "1..120");
  refused({"", "", "", "2026-13"}, "--month");
  refused({}, "give a period");
}

TEST_CASE("a well-formed day that is not in the calendar says so") {
  const calendar_date today = d(2026, 11, 26);
  auto message = [&](period_flags f) {
    auto r = resolve_period(f, today);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == finops_crawler::errc::invalid_argument);
    return r.error().message;
  };
  CHECK(message({"2026-02-30", "2026-03-01", "", ""}) == "--start '2026-02-30': day 30 does not exist in month 2 of year 2026");
  CHECK(message({"2026-01-01", "2025-02-29", "", ""}) == "--end '2025-02-29': day 29 does not exist in month 2 of year 2025");
  CHECK(message({"2026-13-01", "2027-01-01", "", ""}).find("month must be 1..12") != std::string::npos);
  CHECK(message({"1899-12-31", "2026-01-01", "", ""}).find("1900") != std::string::npos);
  CHECK(message({"2026-2-1", "2026-03-01", "", ""}) == "--start '2026-2-1' is not a date of the form YYYY-MM-DD");
  CHECK(message({"2026--1-01", "2026-03-01", "", ""}) == "--start '2026--1-01' is not a date of the form YYYY-MM-DD");
}
