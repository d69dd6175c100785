#ifndef FINOPS_CRAWLER_CLI_TAGS_COMMAND_HPP
#define FINOPS_CRAWLER_CLI_TAGS_COMMAND_HPP
/// \file
/// `finops-crawler tags [--key KEY]`: the cost allocation tag keys that
/// resources carried in a period, or with --key the values of one key
/// (GetTags, every page; USD 0.01 per page). So that `costs --group-by
/// TAG:key` can name a key exactly as AWS spells it (tag keys are case
/// sensitive: "team" and "Team" are two keys).
///
/// Output: csv (`key`, or `key,value` with --key; an untagged value is
/// empty, as TAG grouping's "Key$"), a table, or json: AWS's response shape
/// and field names, every page merged (`{"Tags": [...], "ReturnSize": N,
/// "TotalSize": N}`).

#include <iosfwd>
#include <string>

#include "context.hpp"
#include "exit_codes.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The flags of `tags`.
struct tags_flags {
  std::string key;       ///< --key KEY: list this key's values instead of the keys
  period_flags period;   ///< default: the last 30 days
  std::string format;    ///< csv|json|table; empty = table on a terminal, else csv
};

/// Runs `tags`: flags and the request checked first (exit 2, nothing sent),
/// then every GetTags page. Report on `out`, messages on `err`.
exit_code run_tags(const tags_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                   std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_TAGS_COMMAND_HPP
