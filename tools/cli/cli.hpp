#ifndef FINOPS_CRAWLER_CLI_CLI_HPP
#define FINOPS_CRAWLER_CLI_CLI_HPP
/// \file
/// The finops-crawler command line: argument parsing (CLI11) and dispatch to
/// the commands. `run_cli` is what main() calls and what tests call, with
/// their own streams and context, so every command runs in-process. CLI11 is
/// included by cli.cpp only.

#include <iosfwd>
#include <string>

#include "context.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The text after the option list in `--help`.
std::string help_footer();

/// Parses `argv` and runs the command. Returns the exit status (see
/// exit_codes.hpp); `--help` prints to `out` and returns 0. Never throws:
/// CLI11's parse exceptions are caught here.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const cli_context& ctx);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CLI_HPP
