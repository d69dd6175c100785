// g++ 12 at -O2 reports a false -Wmaybe-uninitialized inside std::string's
// destructor when a result<std::unique_ptr<int>> is moved and destroyed (the
// same happens with std::variant in place of the union; GCC bugs 105562,
// 107138). The pragma precedes the includes because the warning points into
// <string>.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "finops_crawler/result.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using namespace finops_crawler;

TEST_CASE("every errc has a non-empty message") {
  for (int i = 0; i <= static_cast<int>(errc_last); ++i) {
    auto code = static_cast<errc>(i);
    CHECK_FALSE(error_message(code).empty());
    CHECK(error_message(code) != "unknown error");
  }
}

TEST_CASE("retryable kinds are exactly the transient ones") {
  CHECK(is_retryable(errc::transport));
  CHECK(is_retryable(errc::throttled));
  CHECK(is_retryable(errc::bad_json));
  CHECK_FALSE(is_retryable(errc::invalid_argument));
  CHECK_FALSE(is_retryable(errc::no_credentials));
  CHECK_FALSE(is_retryable(errc::aws_error));
}

TEST_CASE("result holds a value or an error") {
  result<std::string> ok(std::string("hello"));
  REQUIRE(ok);
  CHECK(*ok == "hello");
  CHECK(ok->size() == 5);
  CHECK(ok.code() == errc::ok);

  result<std::string> bad(errc::invalid_argument, "End must be after Start");
  CHECK_FALSE(bad);
  CHECK(bad.code() == errc::invalid_argument);
  CHECK(bad.error().message == "End must be after Start");

  std::string out = "unchanged";
  CHECK(std::move(bad).get(out) == errc::invalid_argument);
  CHECK(out == "unchanged");
  CHECK(std::move(ok).get(out) == errc::ok);
  CHECK(out == "hello");
}

TEST_CASE("result works with move-only values and copies errors") {
  result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  auto moved = std::move(r);
  REQUIRE(moved);
  CHECK(**moved == 7);

  result<int> e(errc::throttled, "Rate limit exceeded");
  result<int> copy = e;
  CHECK(copy.error().message == "Rate limit exceeded");
  CHECK(copy.error().retryable);
  copy = result<int>(3);
  CHECK(*copy == 3);
}

TEST_CASE("describe() adds status, AWS code and request id") {
  error e(errc::aws_error, "User is not authorized");
  e.http_status = 400;
  e.aws_code = "AccessDeniedException";
  e.request_id = "abc-123";
  CHECK(e.describe() == "User is not authorized (HTTP 400) [AccessDeniedException] request id abc-123");
}

TEST_CASE("status is success or an error") {
  status ok;
  CHECK(ok);
  status bad(errc::config_file, "unterminated section header on line 3");
  CHECK_FALSE(bad);
  CHECK(bad.code() == errc::config_file);
}

#if FINOPS_CRAWLER_EXCEPTIONS
TEST_CASE("value() throws finops_crawler::exception on error") {
  result<int> bad(errc::bad_json, "truncated");
  CHECK_THROWS_AS(bad.value(), finops_crawler::exception);
}
#endif
