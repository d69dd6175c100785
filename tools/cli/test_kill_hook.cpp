// Bodies of test_kill_hook.hpp.
#include "test_kill_hook.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

void kill_hook::tick(bool page) {
  if (at == 0 || page != on_page) return;
  if (++seen == at) std::raise(SIGKILL);
}

kill_hook read_kill_hook(const aws::environment& env) {
  kill_hook k;
  auto v = env.get_non_empty("FINOPS_CRAWLER_TEST_KILL_AT");
  if (!v) return k;
  const std::string s = *v;
  const auto colon = s.find(':');
  if (colon == std::string::npos) return k;
  k.on_page = s.substr(0, colon) == "page";
  k.at = std::strtoull(s.c_str() + colon + 1, nullptr, 10);
  return k;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
