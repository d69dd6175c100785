#ifndef FINOPS_CRAWLER_CLI_TEST_KILL_HOOK_HPP
#define FINOPS_CRAWLER_CLI_TEST_KILL_HOOK_HPP
/// \file
/// FINOPS_CRAWLER_TEST_KILL_AT=page:N|commit:N: the process kills itself
/// with SIGKILL at the N-th page (after its records and state are written)
/// or the N-th committed chunk, so the tests can prove what an interrupted
/// run leaves (`sync`, `costs --output`). Unset (the normal case): nothing.

#include <cstdint>

#include "finops_crawler/aws/environment.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The hook's state. Plain data.
struct kill_hook {
  bool on_page = false;
  std::uint64_t at = 0;  ///< 0: off
  std::uint64_t seen = 0;
  /// Counts one page (`page`) or commit; raises SIGKILL at the N-th.
  void tick(bool page);
};

/// The hook from the environment (off when unset or malformed).
kill_hook read_kill_hook(const aws::environment& env);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_TEST_KILL_HOOK_HPP
