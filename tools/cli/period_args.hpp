#ifndef FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
#define FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
/// \file
/// The report period from the command line: --start/--end, --last or
/// --month, turned into one half-open interval of UTC dates [start, end), the
/// shape Cost Explorer's TimePeriod takes (Start inclusive, End exclusive).
/// Checked here, before any request is sent. Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// A proleptic Gregorian calendar date. Plain value.
struct civil_date {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..days_in_month
  friend bool operator==(const civil_date& a, const civil_date& b) noexcept {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator!=(const civil_date& a, const civil_date& b) noexcept { return !(a == b); }
};

/// Whether `y` is a Gregorian leap year.
inline constexpr bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Days in month `m` (1..12) of year `y`.
inline constexpr int days_in_month(int y, int m) noexcept {
  constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

/// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil.
inline constexpr std::int64_t to_days(civil_date d) noexcept {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = d.month > 2 ? d.month - 3 : d.month + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The date `days` days after 1970-01-01. Inverse of to_days.
inline constexpr civil_date from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return civil_date{y, m, d};
}

/// `d` plus `n` days (n may be negative).
inline constexpr civil_date add_days(civil_date d, std::int64_t n) noexcept { return from_days(to_days(d) + n); }

/// The first day of the month `n` months after d's month (n may be negative).
inline constexpr civil_date add_months_first(civil_date d, int n) noexcept {
  int idx = d.year * 12 + (d.month - 1) + n;
  int y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  return civil_date{y, idx - y * 12 + 1, 1};
}

/// `YYYY-MM-DD`, zero-padded.
std::string format_date(civil_date d);

/// Parses exactly `YYYY-MM-DD` (a real calendar date, year 1900..9999).
/// nullopt for anything else ("2024-2-1", "2024-02-30", trailing text).
std::optional<civil_date> parse_date(std::string_view s) noexcept;

/// Parses exactly `YYYY-MM` into the first day of that month.
std::optional<civil_date> parse_month(std::string_view s) noexcept;

/// Today's date in UTC (Cost Explorer's days are UTC days). Reads the clock.
civil_date today_utc() noexcept;

/// A half-open range of days: Start inclusive, End exclusive, as AWS means it.
struct date_range {
  civil_date start;
  civil_date end;
  /// Number of days in the range (end - start).
  std::int64_t days() const noexcept { return to_days(end) - to_days(start); }
};

/// The period flags as typed; empty strings mean "not given".
struct period_flags {
  std::string start;  ///< --start YYYY-MM-DD
  std::string end;    ///< --end YYYY-MM-DD (exclusive)
  std::string last;   ///< --last Nd | Nm
  std::string month;  ///< --month YYYY-MM
};

/// Turns the flags into a range. Exactly one form must be used:
///   --start S --end E   [S, E); E must be after S.
///   --last Nd           the N whole days before today: [today-N, today).
///   --last Nm           the current month so far and the N-1 months before
///                       it: [first day of the month N-1 months back, today);
///                       on the 1st of a month, the N previous whole months.
///   --month YYYY-MM     that calendar month: [YYYY-MM-01, next month's 1st).
/// `default_days` is used when no flag is given (0 = a period is required).
/// Errors: errc::invalid_argument with a message naming the flag and the
/// accepted form (bad date, End not after Start, mixed forms, N out of
/// 1..3650 days / 1..120 months).
result<date_range> resolve_period(const period_flags& f, civil_date today, int default_days = 0);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
