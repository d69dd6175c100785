#ifndef FINOPS_CRAWLER_CLI_COST_CATEGORIES_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_COST_CATEGORIES_COMMAND_HPP
/// \file
/// `finops-crawler cost-categories [--name NAME]`: the cost categories with
/// costs in a period, or with --name the values of one category
/// (GetCostCategories, every page; USD 0.01 per page), for `costs
/// --group-by COST_CATEGORY:name` and `--filter COST_CATEGORY:name=value`.
///
/// Output: csv (`cost_category`, or `cost_category,value` with --name), a
/// table, or json: AWS's response shape and field names, every page merged
/// (`{"CostCategoryNames": [...], "CostCategoryValues": [...],
/// "ReturnSize": N, "TotalSize": N}`; CostCategoryValues only with --name,
/// as AWS).

#include <iosfwd>
#include <string>

#include "context.hpp"
#include "exit_codes.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The flags of `cost-categories`.
struct cost_categories_flags {
  std::string name;      ///< --name NAME: list this category's values instead of the names
  period_flags period;   ///< default: the last 30 days
  std::string format;    ///< csv|json|table; empty = table on a terminal, else csv
};

/// Runs `cost-categories`: flags and the request checked first (exit 2,
/// nothing sent), then every GetCostCategories page.
exit_code run_cost_categories(const cost_categories_flags& f, const connection_flags& conn, const cli_context& ctx,
                              std::ostream& out, std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_COST_CATEGORIES_COMMAND_HPP
