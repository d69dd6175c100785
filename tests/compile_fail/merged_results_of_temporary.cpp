// merged_results hands out references to its own vectors: taking them from
// a temporary would dangle, so it must not compile (take_results() moves).
#include "finops_crawler/aws/ce/merged_results.hpp"

int main() {
  using finops_crawler::ce::merged_results;
#if FAIL
  const auto& results = merged_results().results();
#else
  merged_results merged;
  const auto& results = merged.results();
#endif
  return static_cast<int>(results.size());
}
