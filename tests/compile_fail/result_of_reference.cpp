// result<T> holds values: a result of a reference would dangle silently.
#include "finops_crawler/result.hpp"

int main() {
#if FAIL
  finops_crawler::result<int&> r(finops_crawler::errc::invalid_argument, "no");
#else
  finops_crawler::result<int> r(finops_crawler::errc::invalid_argument, "no");
#endif
  return r ? 0 : 1;
}
