#ifndef FINOPS_CRAWLER_CALENDAR_DATE_HPP
#define FINOPS_CRAWLER_CALENDAR_DATE_HPP
/// \file
/// `calendar_date`: a UTC calendar day such as a Cost Explorer TimePeriod
/// bound ("YYYY-MM-DD"), and the proleptic Gregorian arithmetic behind it,
/// the library's one home of date math (the CLI's periods, request
/// validation and SigV4's date stamps use it).
///
/// Everything is computed from days since 1970-01-01 (civil-from-days
/// arithmetic): no locale, no time zone database, no gmtime/mktime, so every
/// function is pure and thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "finops_crawler/config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace detail {

/// A proleptic Gregorian date; month 1..12, day 1..31.
struct civil_date {
  std::int64_t year = 1970;
  unsigned month = 1;
  unsigned day = 1;
};

/// Whether `y` is a Gregorian leap year.
constexpr bool is_leap_year(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month `m` (1..12) of year `y`; 0 for an invalid month.
constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned table[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return (m == 2 && is_leap_year(y)) ? 29u : table[m - 1];
}

/// Days from 1970-01-01 to y-m-d (negative before). Precondition: a valid
/// date. Works by shifting the year to start in March (so the leap day is
/// last) and counting whole 400-year eras of 146097 days.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= (m <= 2) ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                             // [0, 399]
  const std::int64_t month_from_march = (m > 2) ? m - 3 : m + 9;              // [0, 11]
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

/// The date `days` after 1970-01-01 (inverse of days_from_civil).
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;  // [0, 11]
  civil_date out;
  out.day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  out.month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  out.year = year_of_era + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

/// Whole seconds since the epoch, rounded toward negative infinity.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}

/// Writes `v` as exactly `width` decimal digits (zero-padded) at `out`.
inline void write_digits(char* out, std::uint64_t v, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

/// Reads exactly `n` decimal digits at `s[pos]`; false if any is not a digit.
inline bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
  if (pos > s.size() || s.size() - pos < n) return false;
  unsigned v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  out = v;
  return true;
}

/// A time point from seconds since the epoch; errc::invalid_argument when
/// system_clock cannot represent it (e.g. beyond 2262 with nanosecond ticks).
inline result<std::chrono::system_clock::time_point> time_from_unix_seconds(std::int64_t s) {
  using tp = std::chrono::system_clock::time_point;
  const std::int64_t max_s = std::chrono::duration_cast<std::chrono::seconds>(tp::max().time_since_epoch()).count();
  const std::int64_t min_s = std::chrono::duration_cast<std::chrono::seconds>(tp::min().time_since_epoch()).count();
  if (s > max_s - 1 || s < min_s + 1) {
    return error(errc::invalid_argument, "time is outside the range std::chrono::system_clock can represent");
  }
  return tp(std::chrono::duration_cast<tp::duration>(std::chrono::seconds(s)));
}

}  // namespace detail

/// A calendar day (UTC), e.g. a Cost Explorer TimePeriod bound.
///
/// Stored as days since 1970-01-01, so adding days and comparing are O(1).
/// parse() accepts years 0000..9999; add_days may go outside that range, and
/// to_string() then still prints the year (with a '-' sign when negative).
/// A plain value: trivially copyable, thread-safe to share.
class calendar_date {
 public:
  /// 1970-01-01.
  constexpr calendar_date() noexcept = default;

  /// The day `days` after 1970-01-01.
  static constexpr calendar_date from_days(std::int64_t days) noexcept { return calendar_date(days); }

  /// A validated date; errc::invalid_argument for e.g. month 13 or Feb 30.
  static result<calendar_date> from_ymd(std::int64_t year, unsigned month, unsigned day);

  /// Parses exactly "YYYY-MM-DD"; errc::invalid_argument with the reason.
  static result<calendar_date> parse(std::string_view s);

  /// The UTC day containing `t`.
  static calendar_date from_time(std::chrono::system_clock::time_point t) noexcept;

  /// Days since 1970-01-01 (negative before).
  constexpr std::int64_t days_since_epoch() const noexcept { return days_; }
  /// Calendar fields.
  constexpr detail::civil_date fields() const noexcept { return detail::civil_from_days(days_); }
  constexpr std::int64_t year() const noexcept { return fields().year; }
  constexpr unsigned month() const noexcept { return fields().month; }
  constexpr unsigned day() const noexcept { return fields().day; }

  /// This date moved by `n` days (n may be negative).
  constexpr calendar_date add_days(std::int64_t n) const noexcept { return calendar_date(days_ + n); }

  /// "YYYY-MM-DD" (years beyond 0000..9999 print more digits or a sign).
  std::string to_string() const;

  /// Midnight UTC at the start of this day; errc::invalid_argument when
  /// system_clock cannot represent it.
  result<std::chrono::system_clock::time_point> to_time() const;

  /// Days from `b` to `a` (a - b).
  friend constexpr std::int64_t operator-(calendar_date a, calendar_date b) noexcept { return a.days_ - b.days_; }
  friend constexpr bool operator==(calendar_date a, calendar_date b) noexcept { return a.days_ == b.days_; }
  friend constexpr bool operator!=(calendar_date a, calendar_date b) noexcept { return a.days_ != b.days_; }
  friend constexpr bool operator<(calendar_date a, calendar_date b) noexcept { return a.days_ < b.days_; }
  friend constexpr bool operator<=(calendar_date a, calendar_date b) noexcept { return a.days_ <= b.days_; }
  friend constexpr bool operator>(calendar_date a, calendar_date b) noexcept { return a.days_ > b.days_; }
  friend constexpr bool operator>=(calendar_date a, calendar_date b) noexcept { return a.days_ >= b.days_; }

 private:
  constexpr explicit calendar_date(std::int64_t days) noexcept : days_(days) {}
  std::int64_t days_ = 0;
};


namespace detail {
/// The public calendar day under the name it had when it lived here.
using calendar_date = ::finops_crawler::calendar_date;
}  // namespace detail

}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/calendar_date-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_CALENDAR_DATE_HPP
