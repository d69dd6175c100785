// The one translation unit that holds doctest's runner; every test suite
// executable links it. Each `meson test` line runs one source file's cases
// of a suite (`--source-file=*/unit/NAME.cpp`), so a line whose filter
// matches no test case must fail instead of passing with nothing run.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

unsigned cases_passing_filters = 0;

// Records how many test cases the filters selected; reports nothing else.
struct filter_count_listener : doctest::IReporter {
  explicit filter_count_listener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& s) override { cases_passing_filters = s.numTestCasesPassingFilters; }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("filter_count", 1, filter_count_listener);

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int rc = context.run();
  if (context.shouldExit()) return rc;  // --help, --list-test-cases, ...
  if (rc == 0 && cases_passing_filters == 0) {
    std::fprintf(stderr, "doctest_main: no test case matched the filters\n");
    return 1;
  }
  return rc;
}
