#ifndef FINOPS_CRAWLER_CLI_MULTI_PROFILE_HPP
#define FINOPS_CRAWLER_CLI_MULTI_PROFILE_HPP
/// \file
/// One report for several profiles in one run (`--profile A --profile B`,
/// `--profiles-file FILE`): the per-profile driver. Any command can use it;
/// it knows nothing of the report. What it does:
///
///  1. reads the list (each --profile, then each line of --profiles-file)
///     and refuses a bad one (exit 2) before anything is sent;
///  2. checks, before any request, that every profile is in the shared
///     files; a missing one is reported and skipped, the others run;
///  3. for each profile in order: opens its session (credentials resolved
///     once, then reused by the command's own session::open through
///     connection_flags::credentials), asks STS GetCallerIdentity (free)
///     for the account of its credentials, so bad keys fail there and not
///     on a billable request, then runs the command for that profile alone,
///     with --cache DIR turned into DIR/ACCOUNT (cache keys do not name the
///     account: two payers' identical requests must not share pages);
///  4. prefixes every "finops-crawler: " line the profile's run writes on
///     stderr with "profile NAME: ", so each failure is one line naming
///     the profile and the reason; ends with one line listing the failed
///     profiles;
///  5. returns the run's exit status: 0 when every profile succeeded,
///     exit_code::partial (6) when some failed and some succeeded, the first
///     failure's status when none succeeded.
///
/// A command hooks in with one line, e.g. for a `summary` command:
///
///   if (is_profile_list(conn))
///     return run_for_each_profile(conn, ctx, err, [&](const connection_flags& one, const profile_tag& tag,
///                                                     std::ostream& perr) {
///       out << tag.heading() << "\n";
///       return run_summary(flags, one, ctx, out, perr).code;
///     });
///
/// Row reports (costs) instead tag every row (costs_profiles.hpp).

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "context.hpp"
#include "exit_codes.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Whether the run is for a list of profiles: --profile given more than
/// once, or --profiles-file (even with one line: a list run always has the
/// profile columns, so a script's output has one shape). One --profile is a
/// plain run whose output is exactly as without the list feature.
bool is_profile_list(const connection_flags& conn) noexcept;

/// The profiles of a list run, in order: each --profile, then each line of
/// --profiles-file (surrounding blanks trimmed; blank lines and lines
/// starting with '#' skipped). Reads the file; sends nothing. Errors
/// (errc::invalid_argument, exit 2): the file cannot be read, a line holds
/// blanks inside the name, a profile is named twice (its costs would be
/// counted twice), the list is empty.
result<std::vector<std::string>> profile_list(const connection_flags& conn);

/// The profile being run.
struct profile_tag {
  std::string profile;
  std::string account;  ///< the 12-digit account of its credentials (STS GetCallerIdentity)
  /// "profile NAME (account 123456789012)", a heading for section output.
  std::string heading() const { return "profile " + profile + " (account " + account + ")"; }
};

/// Runs the command for one profile: `one` is `conn` with that profile alone
/// (and its credentials resolved); messages go to `perr`, which names the
/// profile. Returns that run's exit status. Returning exit_code::failure
/// (output could not be written) or exit_code::closed_pipe stops the whole
/// run: no later profile could be written either.
using profile_runner =
    std::function<exit_code(const connection_flags& one, const profile_tag& tag, std::ostream& perr)>;

/// The driver (see the file comment). `err` gets the driver's own lines and,
/// prefixed, the runs'. Not thread-safe; the profiles run one after another.
exit_code run_for_each_profile(const connection_flags& conn, const cli_context& ctx, std::ostream& err,
                               const profile_runner& run_one);

/// An ostream that writes to `target`, inserting `insert` after the
/// "finops-crawler: " that starts a line (other text passes unchanged,
/// progress lines drawn with "\r" too). Flushes what it holds when
/// destroyed. Not thread-safe.
class prefixed_stream {
 public:
  prefixed_stream(std::ostream& target, std::string insert);
  ~prefixed_stream();
  prefixed_stream(const prefixed_stream&) = delete;
  prefixed_stream& operator=(const prefixed_stream&) = delete;
  std::ostream& stream() noexcept { return *stream_; }

 private:
  class buf;
  std::unique_ptr<buf> buf_;
  std::unique_ptr<std::ostream> stream_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_MULTI_PROFILE_HPP
