#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_HPP
/// \file
/// `credential_process`: a profile's command that prints credentials as JSON
/// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html):
///
///   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
///    "SessionToken": "...", "Expiration": "2026-01-02T03:04:05Z"}
///
/// The command line is split as the AWS CLI splits it (botocore's
/// compat_shell_split, i.e. Python's shlex.split in POSIX mode) and run
/// without a shell (posix_spawnp: PATH lookup, the environment inherited),
/// in its own process group, with a timeout and a cap on what it prints.
/// With an Expiration the credentials are refreshed (the command is run
/// again) before they expire; without one they are used until the process
/// ends.
///
/// Errors never quote stdout (it holds the secret); they include the
/// command's stderr cut to 200 bytes, control characters replaced, and not
/// even that when it mentions SecretAccessKey or SessionToken.
///
/// POSIX only (posix_spawn, poll, waitpid): the system headers are included
/// by the -inl file, compiled once in src/ on the compiled route.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Splits a command line into arguments as shlex.split(s) does in POSIX
/// mode (no comments): blanks separate words; '...' keeps everything
/// literally; "..." keeps everything but a backslash before \ or "; outside
/// quotes a backslash keeps the next character. Errors
/// (errc::invalid_argument): an unclosed quotation, a trailing backslash, no
/// words at all. Pure.
result<std::vector<std::string>> split_command_line(std::string_view line);

/// Limits of one credential_process run.
struct process_limits {
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};  ///< then the process group is killed
  std::size_t max_stdout = std::size_t{1} << 20;                ///< more is an error (and a kill)
};

/// What a finished run produced. `out` may hold secrets: wipe it
/// (detail::cleanse_string) when done.
struct process_output {
  int exit_status = 0;  ///< exit code, or 128 + signal number when killed by a signal
  bool signaled = false;
  std::string out;      ///< stdout, at most limits.max_stdout bytes
  std::string err;      ///< the first 4 KiB of stderr
};

namespace detail {
/// Runs `argv` (argv[0] looked up in PATH) and collects its output.
/// Errors: errc::invalid_argument when it cannot be started (naming argv[0]
/// and the OS reason), errc::transport for a timeout or an output over the
/// cap (the message says which; the process group is killed first).
result<process_output> run_process(const std::vector<std::string>& argv, const process_limits& limits);

/// stderr made safe for a message: at most 200 bytes, control characters
/// as '?', nothing when it mentions a secret's JSON name.
std::string stderr_excerpt(std::string_view err);
}  // namespace detail

/// Reads the JSON a credential_process printed. `source` names the provider
/// in messages and becomes credentials::source(). Errors: errc::bad_json
/// (not JSON; the text is never quoted), errc::unexpected_shape (not an
/// object, Version missing or not 1, AccessKeyId / SecretAccessKey missing
/// or not strings, an Expiration that is not an ISO-8601 time).
result<credentials> parse_process_credentials(std::string_view json, const std::string& source);

/// The provider: runs the command at every fetch.
class process_provider final : public credentials_provider {
 public:
  /// `command_line` as written after `credential_process =`; `profile` for
  /// the name ("credential_process (profile ci)"). Errors: those of
  /// split_command_line, naming the profile.
  static result<std::unique_ptr<process_provider>> make(std::string_view command_line, std::string profile,
                                                        process_limits limits = {});
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }
  /// The split arguments (for tests and whoami).
  const std::vector<std::string>& argv() const noexcept { return argv_; }

 private:
  process_provider() = default;
  std::vector<std::string> argv_;
  std::string name_;
  process_limits limits_;
};

/// The chain's factory: declined when the profile has no credential_process;
/// an error when it cannot be split.
result<provider_lookup> find_process_provider(const provider_context& ctx);

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/process_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_HPP
