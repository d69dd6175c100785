#ifndef FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
#define FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
/// \file
/// The report period from the command line: --start/--end, --last or
/// --month, turned into one half-open interval of UTC dates [start, end), the
/// shape Cost Explorer's TimePeriod takes (Start inclusive, End exclusive).
/// Checked here, before any request is sent. Days are calendar_date (the
/// library's one home of date math). Pure; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The first day of the month `n` months after d's month (n may be negative).
constexpr calendar_date add_months_first(calendar_date d, int n) noexcept {
  const detail::civil_date c = d.fields();
  const std::int64_t idx = c.year * 12 + (static_cast<std::int64_t>(c.month) - 1) + n;
  const std::int64_t y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  return calendar_date::from_days(detail::days_from_civil(y, static_cast<unsigned>(idx - y * 12 + 1), 1));
}

/// Parses exactly `YYYY-MM-DD`: a real calendar date, year 1900..9999.
/// errc::invalid_argument for anything else ("2024-2-1", "2024-02-30",
/// trailing text), the message saying why (calendar_date::parse).
result<calendar_date> parse_date(std::string_view s);

/// Parses exactly `YYYY-MM` into the first day of that month.
std::optional<calendar_date> parse_month(std::string_view s) noexcept;

/// Today's date in UTC (Cost Explorer's days are UTC days). Reads the clock.
calendar_date today_utc() noexcept;

/// A half-open range of days: Start inclusive, End exclusive, as AWS means it.
struct date_range {
  calendar_date start;
  calendar_date end;
  /// Number of days in the range (end - start).
  constexpr std::int64_t days() const noexcept { return end - start; }
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
result<date_range> resolve_period(const period_flags& f, calendar_date today, int default_days = 0);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_PERIOD_ARGS_HPP
