#ifndef FINOPS_CRAWLER_CLI_FORECAST_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_FORECAST_COMMAND_HPP
/// \file
/// `finops-crawler forecast`: GetCostForecast (USD 0.01 a request, not
/// paginated): the forecast for a future period, each DAILY or MONTHLY
/// period's mean with its prediction interval, and the total.
///
/// Default period: from today to the first day of next month (the rest of
/// the month, as the Cost Explorer console shows it). AWS needs Start on or
/// after today ("must be equal to or later than the current date") and
/// forecasts up to 18 months ahead (MONTHLY; DAILY 3 months).
///
/// Output: csv (`period_start,period_end,mean,lower_bound,upper_bound,unit`,
/// amounts exactly as AWS sent them, a last row `total` with the Total),
/// json (AWS's own response shape and field names), or a table.

#include <iosfwd>
#include <string>
#include <vector>

#include "context.hpp"
#include "exit_codes.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The flags of `forecast`.
struct forecast_flags {
  std::string start;                       ///< --start DATE (default today)
  std::string end;                         ///< --end DATE (default the 1st of next month)
  std::string metric = "UNBLENDED_COST";   ///< GetCostForecast's spelling (UnblendedCost also accepted)
  std::string granularity = "MONTHLY";     ///< DAILY or MONTHLY
  int prediction_interval = 80;            ///< 51..99
  std::vector<std::string> filters;        ///< DIMENSION=v[,v], combined with And
  std::string format;                      ///< csv|json|table; empty = table on a terminal, else csv
};

/// Runs `forecast`: flags checked first (exit 2, nothing sent), then one
/// request. Report on `out`, messages on `err`.
exit_code run_forecast(const forecast_flags& f, const connection_flags& conn, const cli_context& ctx,
                       std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_FORECAST_COMMAND_HPP
