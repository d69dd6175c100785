#ifndef FINOPS_CRAWLER_CLI_SUMMARY_MODEL_HPP
#define FINOPS_CRAWLER_CLI_SUMMARY_MODEL_HPP
/// \file
/// The figures of `finops-crawler summary`, computed from daily amounts per
/// group: which windows are compared, their exact sums (finops_crawler::
/// decimal, never a double), the changes, the top groups with an "other"
/// and a total line, and the forecast beside month to date. Pure: no
/// requests, no output (summary_render.hpp writes it). Thread safety: like
/// any value type.
///
/// Every window ends before `today` (today's costs are not in yet) and is
/// half-open [start, end) like AWS's TimePeriod:
///   month to date   [1st of this month, today) vs the same days of last
///                   month (clipped to its end: March 1-30 is compared with
///                   all of February);
///   last month      the whole previous month vs the month before it;
///   last 7 days     [today-7, today) vs [today-14, today-7);
///   yesterday       [today-1, today) vs the day before.
/// All of them lie in summary_fetch_range(today), so one DAILY request
/// (paginated) grouped by the key gives every figure.

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/decimal.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The compared windows, in display order.
enum class summary_window : std::size_t { month_to_date = 0, last_month = 1, last_7_days = 2, yesterday = 3 };
inline constexpr std::size_t summary_window_count = 4;
/// Names used by the JSON and CSV outputs, indexed by summary_window.
inline constexpr std::array<std::string_view, summary_window_count> summary_window_names = {
    "month_to_date", "last_month", "last_7_days", "yesterday"};

/// A window and the one it is compared with.
struct window_pair {
  date_range current;
  date_range previous;
};

/// The four windows for `today` (see the file comment). On the 1st of a
/// month, month to date is empty (today's costs are not in) and compared
/// with an empty range.
std::array<window_pair, summary_window_count> summary_windows(calendar_date today);

/// The days every window needs: [1st of the month before last, today).
date_range summary_fetch_range(calendar_date today);

/// The GetCostAndUsage ranges a summary crawls: the fetch range, or with a
/// response cache two ranges split at final_cutoff(today) (the month before
/// last, final and so cacheable, and the rest), so cached pages' tokens
/// never meet a live crawl. Each range is at least one billable request
/// (one per page), the forecast one more: the estimate a request budget
/// starts from.
std::vector<date_range> summary_crawl_ranges(calendar_date today, bool with_cache);

/// A current figure and the one it is compared with, each with whether any
/// of its days is estimated (AWS may still revise it).
struct comparison {
  decimal current;
  decimal previous;
  bool current_estimated = false;
  bool previous_estimated = false;
  /// current - previous, exact. Errors: overflow (errc::invalid_argument).
  result<decimal> change() const { return decimal::sub(current, previous); }
  /// The change in percent of |previous| (display only: a double), so its
  /// sign is the change's also when previous is negative (credits); nullopt
  /// when previous is zero (no percentage of nothing).
  std::optional<double> percent() const;
};

/// One line of the group table: a group key (or "other"/"total") and its
/// comparisons, indexed by summary_window.
struct summary_group {
  std::string key;
  std::array<comparison, summary_window_count> windows{};
  std::size_t members = 1;  ///< groups summed into this line ("other", "total")
};

/// GetCostForecast's answer for the rest of the month.
struct summary_forecast {
  date_range period;               ///< [today, 1st of next month)
  decimal mean;                    ///< Total (the sum of the periods' MeanValue)
  std::optional<decimal> lower;    ///< sum of the PredictionIntervalLowerBound, when sent
  std::optional<decimal> upper;    ///< sum of the PredictionIntervalUpperBound, when sent
  int interval_level = 80;         ///< PredictionIntervalLevel, percent
  /// The month as forecast (month to date + the rest) vs the whole last
  /// month; current_estimated is true (a forecast is an estimate).
  comparison month;
};

/// Everything a summary shows.
struct summary_report {
  calendar_date today;
  std::string metric = "UnblendedCost";
  std::string unit = "USD";
  std::string group_by = "SERVICE";
  std::array<window_pair, summary_window_count> windows{};
  std::vector<summary_group> top;      ///< the largest groups, largest first (see summary_builder::finish)
  std::optional<summary_group> other;  ///< the groups after the top ones, summed; absent when none
  summary_group total;                 ///< every group
  std::size_t group_count = 0;
  std::optional<summary_forecast> forecast;
  std::string forecast_note;          ///< why there is no forecast, when there is none
};

/// Accumulates daily amounts per group and makes the report. Not
/// thread-safe. Memory: one decimal per (day, group) seen.
class summary_builder {
 public:
  explicit summary_builder(calendar_date today);

  /// Adds one day's amount of one group (a day outside
  /// summary_fetch_range is ignored); `estimated` marks the day estimated
  /// for every group. Errors: overflow (errc::invalid_argument).
  status add(calendar_date day, std::string_view key, const decimal& amount, bool estimated);

  /// Marks a day estimated (a day AWS sent without groups still is).
  void mark_estimated(calendar_date day) { estimated_days_.insert(day); }

  /// The report: groups sorted by month-to-date amount, then last month's,
  /// then key (largest first); the first `top` (>= 1) are kept, the rest
  /// summed into `other`; `total` sums all. Errors: overflow.
  result<summary_report> finish(std::size_t top) const;

  /// Adds the forecast of the rest of the month (mean and bounds as sent)
  /// and compares month to date + mean with the whole last month.
  static status set_forecast(summary_report& r, const decimal& mean, std::optional<decimal> lower,
                             std::optional<decimal> upper, int interval_level);

 private:
  result<comparison> sum(const std::map<calendar_date, decimal>& days, const window_pair& w) const;

  calendar_date today_;
  std::array<window_pair, summary_window_count> windows_;
  date_range range_;
  std::map<std::string, std::map<calendar_date, decimal>, std::less<>> groups_;
  std::set<calendar_date> estimated_days_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SUMMARY_MODEL_HPP
