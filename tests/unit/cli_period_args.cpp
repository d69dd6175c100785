#include "period_args.hpp"

#include <doctest/doctest.h>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
civil_date d(int y, int m, int dd) { return civil_date{y, m, dd}; }
std::string range(const result<date_range>& r) {
  if (!r) return "error: " + r.error().message;
  return format_date(r->start) + ".." + format_date(r->end);
}
}  // namespace

TEST_CASE("day arithmetic matches the calendar") {
  CHECK(to_days(d(1970, 1, 1)) == 0);
  CHECK(to_days(d(2000, 3, 1)) - to_days(d(2000, 2, 28)) == 2);  // 2000 is a leap year
  CHECK(to_days(d(1900, 3, 1)) - to_days(d(1900, 2, 28)) == 1);  // 1900 is not
  // Walk 20 years day by day against an independent month table.
  civil_date x = d(2019, 12, 25);
  for (int i = 0; i < 366 * 20; ++i) {
    civil_date next = add_days(x, 1);
    civil_date expect = x;
    if (++expect.day > days_in_month(expect.year, expect.month)) {
      expect.day = 1;
      if (++expect.month > 12) {
        expect.month = 1;
        ++expect.year;
      }
    }
    REQUIRE(next == expect);
    x = next;
  }
  CHECK(add_months_first(d(2026, 1, 15), -1) == d(2025, 12, 1));
  CHECK(add_months_first(d(2026, 12, 31), 1) == d(2027, 1, 1));
  CHECK(add_months_first(d(2026, 3, 3), -14) == d(2025, 1, 1));
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
  CHECK(format_date(*parse_date("2024-01-09")) == "2024-01-09");
  CHECK(format_date(civil_date{987, 1, 2}) == "0987-01-02");
  CHECK(parse_month("2024-02"));
  CHECK_FALSE(parse_month("2024-2"));
  CHECK_FALSE(parse_month("2024-02-01"));
}

TEST_CASE("resolve_period forms") {
  const civil_date today = d(2026, 11, 26);
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
  const civil_date today = d(2026, 11, 26);
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
