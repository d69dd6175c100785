#ifndef FINOPS_CRAWLER_CLI_COSTS_PROFILES_HPP
#define FINOPS_CRAWLER_CLI_COSTS_PROFILES_HPP
/// \file
/// `finops-crawler costs` for several profiles (--profile A --profile B,
/// --profiles-file FILE): the same report for each, through the
/// per-profile driver (multi_profile.hpp), into one output whose rows carry
/// `profile` and `profile_account` (csv and ndjson: two columns after the
/// others; table: two columns first). `--format json` and `--pivot` are
/// refused (exit 2): neither has a place for a profile; so are --dry-run
/// and --resume (one profile at a time). --max-requests and --max-cost cap
/// each profile's crawl.
///
/// Each profile's rows are held until its report is complete and then
/// written whole, so the output never holds part of a profile: a profile
/// that fails contributes no row (the others' rows are complete, exit 6),
/// and an interrupt leaves the output at the end of the last complete
/// profile. Memory: one profile's rows (a 90-day, 200-group report ~2 MB).

#include <iosfwd>
#include <string>

#include "costs_command.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Runs `costs` for every profile of the list in `conn`. `format` is the
/// resolved --format and `query` the validated request (both checked by
/// run_costs before it calls this, so nothing is sent on a bad flag); the
/// output file is created before the first request. Returns the counts
/// summed over the profiles and the run's exit status.
costs_outcome run_costs_for_profiles(const costs_flags& f, const std::string& format, const costs_query& query,
                                     const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                                     std::ostream& err);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_COSTS_PROFILES_HPP
