// detail/time.hpp: civil-from-days arithmetic, X-Amz-Date, ISO-8601, calendar_date.
#include "finops_crawler/detail/time.hpp"

#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

namespace fd = finops_crawler::detail;
using finops_crawler::errc;
using std::chrono::seconds;

namespace test_time {
inline std::chrono::system_clock::time_point at(std::int64_t s) {
  return std::chrono::system_clock::time_point(seconds(s));
}
inline std::string amz(std::chrono::system_clock::time_point t) {
  char buf[16];
  REQUIRE(fd::format_amz_date(t, buf));
  return std::string(buf, 16);
}
}  // namespace test_time
using namespace test_time;

TEST_CASE("days_from_civil / civil_from_days") {
  CHECK(fd::days_from_civil(1970, 1, 1) == 0);
  CHECK(fd::days_from_civil(2015, 8, 30) == 16677);
  CHECK(fd::days_from_civil(2000, 3, 1) == 11017);
  CHECK(fd::days_from_civil(1, 1, 1) == -719162);
  CHECK(fd::days_from_civil(9999, 12, 31) == 2932896);
  CHECK(fd::days_from_civil(1969, 12, 31) == -1);
  static_assert(fd::days_from_civil(2024, 2, 29) + 1 == fd::days_from_civil(2024, 3, 1), "constexpr");

  CHECK(fd::is_leap_year(2000));
  CHECK_FALSE(fd::is_leap_year(1900));
  CHECK(fd::is_leap_year(2024));
  CHECK_FALSE(fd::is_leap_year(2023));
  CHECK(fd::days_in_month(2024, 2) == 29);
  CHECK(fd::days_in_month(2100, 2) == 28);
  CHECK(fd::days_in_month(2023, 13) == 0);

  // Round trip and day-by-day continuity over years -200..5800 (bounded loop).
  fd::civil_date prev = fd::civil_from_days(-800001);
  for (std::int64_t d = -800000; d <= 1400000; ++d) {
    const fd::civil_date c = fd::civil_from_days(d);
    if (fd::days_from_civil(c.year, c.month, c.day) != d) {
      FAIL("round trip broke at day ", d);
    }
    const bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
    const bool next_month = c.year == prev.year && c.month == prev.month + 1 && c.day == 1 &&
                            prev.day == fd::days_in_month(prev.year, prev.month);
    const bool next_year = c.year == prev.year + 1 && c.month == 1 && c.day == 1 && prev.month == 12 && prev.day == 31;
    if (!(next_day || next_month || next_year)) FAIL("discontinuity at day ", d);
    prev = c;
  }
}

TEST_CASE("X-Amz-Date and date stamp formatting") {
  CHECK(amz(at(1440938160)) == "20150830T123600Z");
  CHECK(amz(at(0)) == "19700101T000000Z");
  CHECK(amz(at(-1)) == "19691231T235959Z");
  CHECK(amz(at(951782400)) == "20000229T000000Z");
  CHECK(amz(at(4102444799)) == "20991231T235959Z");
  // Sub-second parts are dropped, also before the epoch (floor, not truncation).
  CHECK(amz(at(1440938160) + std::chrono::milliseconds(999)) == "20150830T123600Z");
  CHECK(amz(at(0) - std::chrono::milliseconds(1)) == "19691231T235959Z");
  CHECK(fd::amz_date(at(1440938160)).value() == "20150830T123600Z");
  CHECK(fd::date_stamp(at(1440938160)).value() == "20150830");

  const fd::utc_fields far = fd::utc_from_unix_seconds(253402300799);  // 9999-12-31T23:59:59Z
  CHECK(far.year == 9999);
  CHECK(far.month == 12);
  CHECK(far.second == 59);
  const fd::utc_fields early = fd::utc_from_unix_seconds(-62135596800);  // 0001-01-01T00:00:00Z
  CHECK(early.year == 1);
  CHECK(early.day == 1);

  // Formatting is pure: two threads agree with a single one.
  std::vector<std::string> a(1000), b(1000);
  std::thread t1([&a] {
    char buf[16];
    for (int i = 0; i < 1000; ++i) {
      (void)fd::format_amz_date(at(1440938160 + i * 86399), buf);
      a[static_cast<std::size_t>(i)].assign(buf, 16);
    }
  });
  std::thread t2([&b] {
    char buf[16];
    for (int i = 0; i < 1000; ++i) {
      (void)fd::format_amz_date(at(1440938160 + i * 86399), buf);
      b[static_cast<std::size_t>(i)].assign(buf, 16);
    }
  });
  t1.join();
  t2.join();
  CHECK(a == b);
  CHECK(a[1] == "20150831T123559Z");
}

TEST_CASE("parse_amz_date") {
  CHECK(fd::parse_amz_date("20150830T123600Z").value() == at(1440938160));
  for (const char* bad : {"", "20150830T123600", "2015083T123600Z", "20150830X123600Z", "20151330T123600Z",
                          "20150230T123600Z", "20150830T243600Z", "20150830T126000Z", "20150830T123660Z",
                          "2015-08-30T12:36:00Z", "20150830t123600z", "2015083aT123600Z"}) {
    CAPTURE(bad);
    CHECK(fd::parse_amz_date(bad).code() == errc::invalid_argument);
  }
}

TEST_CASE("parse_iso8601") {
  const auto t = at(1440938160);
  CHECK(fd::parse_iso8601("2015-08-30T12:36:00Z").value() == t);
  CHECK(fd::parse_iso8601("2015-08-30t12:36:00z").value() == t);
  CHECK(fd::parse_iso8601("2015-08-30T12:36:00.999Z").value() == t);
  CHECK(fd::parse_iso8601("2015-08-30T14:36:00+02:00").value() == t);
  CHECK(fd::parse_iso8601("2015-08-30T07:06:00-0530").value() == t);
  CHECK(fd::parse_iso8601("2015-08-31T00:00:00+11:24").value() == t);
  CHECK(fd::parse_iso8601("20150830T123600Z").value() == t);
  CHECK(fd::parse_iso8601("1969-12-31T23:59:59Z").value() == at(-1));
  CHECK(fd::parse_iso8601("2024-02-29T00:00:00Z").value() == at(1709164800));
  for (const char* bad :
       {"", "2015-08-30", "2015-08-30T12:36:00", "2015-08-30 12:36:00Z", "2015-08-30T12:36Z", "2015-02-30T12:36:00Z",
        "2023-02-29T00:00:00Z", "2015-13-01T00:00:00Z", "2015-08-30T24:00:00Z", "2015-08-30T12:36:60Z",
        "2015-08-30T12:36:00.Z", "2015-08-30T12:36:00+2:00", "2015-08-30T12:36:00+24:00", "2015-08-30T12:36:00Zjunk",
        "15-08-30T12:36:00Z", "2015/08/30T12:36:00Z", "9999-12-31T23:59:59Z"}) {
    CAPTURE(bad);
    auto r = fd::parse_iso8601(bad);
    CHECK(r.code() == errc::invalid_argument);
    CHECK_FALSE(r.error().message.empty());
  }
}

TEST_CASE("calendar_date") {
  const auto d = fd::calendar_date::parse("2024-02-28").value();
  CHECK(d.year() == 2024);
  CHECK(d.month() == 2);
  CHECK(d.day() == 28);
  CHECK(d.add_days(1).to_string() == "2024-02-29");
  CHECK(d.add_days(2).to_string() == "2024-03-01");
  CHECK(d.add_days(-59).to_string() == "2023-12-31");
  CHECK(d.add_days(366).to_string() == "2025-02-28");
  CHECK(d.add_days(2) - d == 2);
  CHECK(d < d.add_days(1));
  CHECK(d <= d);
  CHECK(d >= d);
  CHECK(d.add_days(1) > d);
  CHECK(d != d.add_days(1));
  CHECK(d == fd::calendar_date::from_ymd(2024, 2, 28).value());
  CHECK(fd::calendar_date().to_string() == "1970-01-01");
  CHECK(fd::calendar_date::from_days(-1).to_string() == "1969-12-31");
  CHECK(fd::calendar_date::parse("0001-01-01").value().to_string() == "0001-01-01");
  CHECK(fd::calendar_date::parse("0000-03-01").value().add_days(-1).to_string() == "0000-02-29");
  CHECK(fd::calendar_date::parse("0000-01-01").value().add_days(-1).to_string() == "-0001-12-31");
  CHECK(fd::calendar_date::parse("9999-12-31").value().add_days(1).to_string() == "10000-01-01");
  CHECK(fd::calendar_date::from_time(at(1440938160)).to_string() == "2015-08-30");
  CHECK(fd::calendar_date::from_time(at(-1)).to_string() == "1969-12-31");
  CHECK(fd::calendar_date::parse("2015-08-30").value().to_time().value() == at(1440892800));
  CHECK(fd::calendar_date::parse("2015-08-30").value().days_since_epoch() == 16677);

  for (const char* bad : {"", "2024-2-28", "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00",
                          "2024/01/01", "24-01-01", "2024-01-01T00:00:00Z", "2024-01-0a"}) {
    CAPTURE(bad);
    auto r = fd::calendar_date::parse(bad);
    CHECK(r.code() == errc::invalid_argument);
    CHECK_FALSE(r.error().message.empty());
  }
  CHECK(fd::calendar_date::from_ymd(2024, 4, 31).code() == errc::invalid_argument);
}
