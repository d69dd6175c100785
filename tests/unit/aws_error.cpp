#include "finops_crawler/aws/aws_error.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace finops_crawler;
using aws::decode_json_error;
using aws::decode_query_error;
using aws::error_context;

namespace {

const error_context ce_ctx{"Cost Explorer", "GetCostAndUsage", "ce"};
const error_context org_ctx{"Organizations", "ListAccounts", "organizations"};
const error_context sts_ctx{"STS", "GetCallerIdentity", "sts"};

http::http_response json_reply(long status, const std::string& body, http::header_list extra = {}) {
  http::http_response r;
  r.status = status;
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", "req-123"}};
  for (auto& h : extra) r.headers.push_back(h);
  r.body = body;
  return r;
}

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("normalize_error_code strips namespace prefixes and colon suffixes") {
  CHECK(aws::normalize_error_code("ThrottlingException") == "ThrottlingException");
  CHECK(aws::normalize_error_code("com.amazon.coral.service#ThrottlingException") == "ThrottlingException");
  CHECK(aws::normalize_error_code("aws.ce#DataUnavailableException") == "DataUnavailableException");
  CHECK(aws::normalize_error_code("ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/") ==
        "ValidationException");
  CHECK(aws::normalize_error_code("ns#AccessDeniedException:http://x") == "AccessDeniedException");
  CHECK(aws::normalize_error_code("  Throttling ") == "Throttling");
  CHECK(aws::normalize_error_code("") == "");
}

// The decoding table: every code the brief names, with its kind, retry flag
// and a phrase the message must contain.
struct row {
  const char* type;
  long status;
  errc kind;
  bool retryable;
  const char* phrase;
};

TEST_CASE("error decoding table") {
  const row rows[] = {
      {"DataUnavailableException", 400, errc::aws_error, false, "less than 24 hours ago"},
      {"AccessDeniedException", 400, errc::aws_error, false, "ce:GetCostAndUsage"},
      {"UnrecognizedClientException", 400, errc::aws_error, false, "AWS_ACCESS_KEY_ID"},
      {"InvalidClientTokenId", 403, errc::aws_error, false, "does not recognise the access key id"},
      {"InvalidSignatureException", 400, errc::aws_error, false, "AWS_SECRET_ACCESS_KEY"},
      {"SignatureDoesNotMatch", 403, errc::aws_error, false, "secret access key"},
      {"ExpiredTokenException", 400, errc::aws_error, false, "session token has expired"},
      {"ValidationException", 400, errc::aws_error, false, "AWS rejected the request as invalid: the message"},
      {"ThrottlingException", 400, errc::throttled, true, "request rate exceeded"},
      {"LimitExceededException", 400, errc::throttled, true, "request rate exceeded"},
      {"TooManyRequestsException", 400, errc::throttled, true, "request rate exceeded"},
      {"RequestLimitExceeded", 400, errc::throttled, true, "request rate exceeded"},
      {"Throttling", 400, errc::throttled, true, "request rate exceeded"},
      {"InternalServerError", 500, errc::aws_error, true, "retry later"},
      {"ServiceUnavailable", 503, errc::aws_error, true, "retry later"},
      {"InvalidNextTokenException", 400, errc::aws_error, false, "InvalidNextTokenException: the message"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.type);
    for (const char* prefix : {"", "com.amazonaws.awsinsightsindexservice#"}) {
      auto body = std::string("{\"__type\":\"") + prefix + r.type + "\",\"message\":\"the message\"}";
      auto e = decode_json_error(json_reply(r.status, body), ce_ctx);
      CHECK(e.code == r.kind);
      CHECK(e.retryable == r.retryable);
      CHECK(e.aws_code == r.type);
      CHECK(e.http_status == r.status);
      CHECK(e.request_id == "req-123");
      CHECK_MESSAGE(has(e.message, r.phrase), e.message);
      CHECK(e.message.rfind("Cost Explorer GetCostAndUsage failed: ", 0) == 0);
      CHECK(has(e.message, "the message"));  // AWS's own words are kept
    }
  }
}

TEST_CASE("DataUnavailableException links the enabling guide") {
  auto e = decode_json_error(json_reply(400, R"({"__type":"DataUnavailableException","Message":"Data is not available."})"),
                             ce_ctx);
  CHECK(has(e.message, "https://docs.aws.amazon.com/cost-management/latest/userguide/ce-enable.html"));
  CHECK(has(e.message, "not enabled"));
  CHECK(has(e.message, "Data is not available."));  // "Message" spelling accepted
}

TEST_CASE("AccessDenied names the IAM action from the operation and service prefix") {
  auto e = decode_json_error(json_reply(400, R"({"__type":"AccessDeniedException","message":"no"})"), org_ctx);
  CHECK(has(e.message, "organizations:ListAccounts"));
  auto q = decode_json_error(json_reply(400, R"({"__type":"AccessDeniedException"})"),
                             error_context{"Cost Explorer", "GetDimensionValues", "ce"});
  CHECK(has(q.message, "ce:GetDimensionValues"));
}

TEST_CASE("a signature error about time points at the clock") {
  auto e = decode_json_error(
      json_reply(400, R"({"__type":"InvalidSignatureException","message":"Signature expired: 20250101T000000Z is now earlier than 20250101T001000Z"})"),
      ce_ctx);
  CHECK(has(e.message, "clock"));
  CHECK(has(e.message, "5 minutes"));
}

TEST_CASE("AWSOrganizationsNotInUseException is its own outcome") {
  auto e = decode_json_error(
      json_reply(400, R"({"__type":"AWSOrganizationsNotInUseException","Message":"Your account is not a member of an organization."})"),
      org_ctx);
  CHECK(e.code == errc::not_in_organization);
  CHECK_FALSE(e.retryable);
  CHECK(has(e.message, "not a member of an AWS Organization"));
}

TEST_CASE("the x-amzn-ErrorType header wins and is normalised") {
  auto e = decode_json_error(
      json_reply(400, R"({"__type":"Other","message":"m"})",
                 {{"X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/"}}),
      ce_ctx);
  CHECK(e.aws_code == "ThrottlingException");
  CHECK(e.code == errc::throttled);
  // header alone, body empty
  auto h = decode_json_error(json_reply(400, "", {{"x-amzn-errortype", "AccessDeniedException"}}), ce_ctx);
  CHECK(h.aws_code == "AccessDeniedException");
  CHECK(has(h.message, "ce:GetCostAndUsage"));
}

TEST_CASE("a body `code` field is read when there is no header") {
  auto e = decode_json_error(json_reply(400, R"({"code":"ValidationException","message":"bad date"})"), ce_ctx);
  CHECK(e.aws_code == "ValidationException");
  CHECK(has(e.message, "bad date"));
}

TEST_CASE("HTTP 429 without a code is throttling") {
  auto e = decode_json_error(json_reply(429, ""), ce_ctx);
  CHECK(e.code == errc::throttled);
  CHECK(e.retryable);
}

TEST_CASE("an HTML 503 page still gives a clear, retryable error with the status") {
  http::http_response r;
  r.status = 503;
  r.headers = {{"Content-Type", "text/html"}};
  r.body = "<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>";
  auto e = decode_json_error(r, ce_ctx);
  CHECK(e.code == errc::http_status);
  CHECK(e.retryable);
  CHECK(e.http_status == 503);
  CHECK(e.aws_code.empty());
  CHECK(has(e.message, "HTTP 503"));
  CHECK(has(e.message, "text/html"));
  CHECK(has(e.message, "503 Service Temporarily Unavailable"));
  CHECK(has(e.describe(), "(HTTP 503)"));
}

TEST_CASE("a non-JSON 4xx is a non-retryable http_status error") {
  http::http_response r;
  r.status = 404;
  r.body = "Not Found";
  auto e = decode_json_error(r, ce_ctx);
  CHECK(e.code == errc::http_status);
  CHECK_FALSE(e.retryable);
  CHECK(has(e.message, "unexpected HTTP status 404"));
}

TEST_CASE("control characters in AWS's message are neutralised and long messages capped") {
  std::string long_msg(5000, 'x');
  auto e = decode_json_error(json_reply(400, "{\"__type\":\"ValidationException\",\"message\":\"a\\u001b[31mb\\n" +
                                                 long_msg + "\"}"),
                             ce_ctx);
  CHECK(e.message.find('\x1b') == std::string::npos);
  CHECK(e.message.find('\n') == std::string::npos);
  CHECK(e.message.size() < 1200);
}

TEST_CASE("control characters in the error code are neutralised too (found by aws_error_fuzzer)") {
  auto e = decode_json_error(json_reply(400, "{\"__type\":\"Requ\\u0000est\\u001b[31mTimeout\"}"), ce_ctx);
  CHECK(e.aws_code == "Requ est [31mTimeout");
  for (char c : e.message + e.aws_code) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
}

TEST_CASE("query-protocol (STS) XML errors") {
  http::http_response r;
  r.status = 403;
  r.headers = {{"Content-Type", "text/xml"}};
  r.body =
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n"
      "    <Message>The security token included in the request is invalid.</Message>\n  </Error>\n"
      "  <RequestId>4b2c-sts</RequestId>\n</ErrorResponse>\n";
  auto e = decode_query_error(r, sts_ctx);
  CHECK(e.aws_code == "InvalidClientTokenId");
  CHECK(e.request_id == "4b2c-sts");
  CHECK(e.http_status == 403);
  CHECK(has(e.message, "STS GetCallerIdentity failed: "));
  CHECK(has(e.message, "The security token included in the request is invalid."));

  r.body = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>a &amp; b &lt;c&gt;</Message></Error></ErrorResponse>";
  r.headers.push_back({"x-amzn-RequestId", "hdr-id"});
  auto s = decode_query_error(r, sts_ctx);
  CHECK(s.aws_code == "SignatureDoesNotMatch");
  CHECK(has(s.message, "a & b <c>"));
  CHECK(s.request_id == "hdr-id");

  r.status = 400;
  r.body = "<ErrorResponse><Error><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>";
  auto x = decode_query_error(r, sts_ctx);
  CHECK(has(x.message, "session token has expired"));

  r.status = 400;
  r.body = "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>";
  CHECK(decode_query_error(r, sts_ctx).code == errc::throttled);

  r.status = 502;
  r.body = "<html><title>Bad Gateway</title></html>";
  auto g = decode_query_error(r, sts_ctx);
  CHECK(g.retryable);
  CHECK(has(g.message, "Bad Gateway"));
}

TEST_CASE("is_throttling_code covers the listed codes and nothing else") {
  for (auto c : aws::throttling_codes) CHECK(aws::is_throttling_code(c));
  CHECK_FALSE(aws::is_throttling_code("AccessDeniedException"));
  CHECK_FALSE(aws::is_throttling_code("ValidationException"));
  CHECK_FALSE(aws::is_throttling_code(""));
}
