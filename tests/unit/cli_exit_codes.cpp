#include "exit_codes.hpp"

#include <doctest/doctest.h>

using namespace finops_crawler;
using namespace finops_crawler::cli;

namespace {
error aws(long status, std::string code) {
  error e(errc::aws_error, "refused");
  e.http_status = status;
  e.aws_code = std::move(code);
  return e;
}
}  // namespace

TEST_CASE("documented values") {
  CHECK(to_int(exit_code::ok) == 0);
  CHECK(to_int(exit_code::usage) == 2);
  CHECK(to_int(exit_code::credentials) == 3);
  CHECK(to_int(exit_code::aws_refused) == 4);
  CHECK(to_int(exit_code::network) == 5);
  CHECK(to_int(exit_code::partial) == 6);
  for (int c : {0, 1, 2, 3, 4, 5, 6})
    CHECK(exit_codes_help.find("  " + std::to_string(c) + "  ") != std::string_view::npos);
}

TEST_CASE("every error kind maps to a documented status") {
  for (int i = 0; i <= static_cast<int>(errc_last); ++i) {
    error e(static_cast<errc>(i), "x");
    const int c = to_int(exit_code_for(e));
    CHECK(c >= 0);
    CHECK(c <= 6);
    CHECK((c == 0) == (i == 0));
  }
}

TEST_CASE("classification") {
  CHECK(exit_code_for(error(errc::invalid_argument, "")) == exit_code::usage);
  CHECK(exit_code_for(error(errc::no_credentials, "")) == exit_code::credentials);
  CHECK(exit_code_for(error(errc::config_file, "")) == exit_code::credentials);
  CHECK(exit_code_for(aws(400, "UnrecognizedClientException")) == exit_code::credentials);
  CHECK(exit_code_for(aws(403, "InvalidClientTokenId")) == exit_code::credentials);
  CHECK(exit_code_for(aws(400, "ExpiredTokenException")) == exit_code::credentials);
  CHECK(exit_code_for(aws(400, "AccessDeniedException")) == exit_code::aws_refused);
  CHECK(exit_code_for(aws(400, "ValidationException")) == exit_code::aws_refused);
  CHECK(exit_code_for(aws(400, "DataUnavailableException")) == exit_code::aws_refused);
  CHECK(exit_code_for(aws(400, "LimitExceededException")) == exit_code::network);
  CHECK(exit_code_for(aws(503, "ServiceUnavailable")) == exit_code::network);
  CHECK(exit_code_for(error(errc::transport, "")) == exit_code::network);
  CHECK(exit_code_for(error(errc::throttled, "")) == exit_code::network);
  CHECK(exit_code_for(error(errc::not_in_organization, "")) == exit_code::aws_refused);
  CHECK(exit_code_for(error(errc::transport, ""), true) == exit_code::partial);
  // Replies that are not AWS's: an invalid or damaged 200 (retried) is the
  // network's exit status; a well-formed reply of the wrong shape is not.
  CHECK(exit_code_for(error(errc::bad_json, "")) == exit_code::network);
  error damaged(errc::unexpected_shape, "STS GetCallerIdentity reply: <Account> appears twice");
  damaged.retryable = true;
  CHECK(exit_code_for(damaged) == exit_code::network);
  CHECK(exit_code_for(error(errc::unexpected_shape, "")) == exit_code::failure);
  CHECK(exit_code_for(error(), true) == exit_code::ok);
}
