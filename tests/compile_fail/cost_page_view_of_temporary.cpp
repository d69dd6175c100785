// Views borrow from their page: asking a temporary page for its results
// would dangle at the end of the statement, so it must not compile.
#include "finops_crawler/aws/ce/cost_page.hpp"

int main() {
  using finops_crawler::ce::cost_page;
#if FAIL
  auto results = cost_page().results();
#else
  cost_page page;
  auto results = page.results();
#endif
  return static_cast<int>(results.size());
}
