#ifndef FINOPS_CRAWLER_CLI_SUMMARY_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_SUMMARY_COMMAND_HPP
/// \file
/// `finops-crawler summary`: month to date vs the same days of last month,
/// last month vs the month before, the last 7 days vs the 7 before and
/// yesterday, for the total and the top groups (SERVICE by default), with
/// the forecast of the rest of the month (summary_model.hpp has the rules).
///
/// Requests: one DAILY GetCostAndUsage crawl grouped by the key over
/// summary_fetch_range(today) (one billable request per page; the
/// simulator's 1000 groups a page hold 7 services x 92 days in one), and
/// one GetCostForecast: 2 billable requests. With --cache the crawl is
/// split at final_cutoff(today) so the month before last (final) is cached:
/// 3 requests the first time, 2 after (the recent part and the forecast).
/// Flags, the output format and credentials are checked before the first
/// request; a forecast AWS refuses (too little history, a missing
/// ce:GetCostForecast permission) leaves the rest of the summary, with a
/// note.

#include <iosfwd>
#include <string>
#include <vector>

#include "context.hpp"
#include "crawl_guard.hpp"
#include "exit_codes.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The flags of `summary`.
struct summary_flags {
  std::string by = "SERVICE";            ///< --by: a dimension, TAG:key or COST_CATEGORY:name
  int top = 5;                           ///< --top N, 1..50
  std::string metric = "UnblendedCost";  ///< a cost metric (GetCostAndUsage spelling)
  std::vector<std::string> filters;      ///< --filter DIMENSION=v[,v], combined with And
  std::string format;                    ///< table|markdown|json|csv; empty = table
  std::string today;                     ///< YYYY-MM-DD; empty: FINOPS_CRAWLER_TODAY, else the clock (UTC)
  bool no_forecast = false;              ///< --no-forecast: skip GetCostForecast (one request less)
  guard_flags guard;                     ///< --max-requests, --max-cost, --dry-run
};

/// Runs `summary`: the report on `out`, messages on `err`.
exit_code run_summary(const summary_flags& f, const connection_flags& conn, const cli_context& ctx,
                      std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SUMMARY_COMMAND_HPP
