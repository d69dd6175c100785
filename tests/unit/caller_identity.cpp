#include "finops_crawler/aws/sts/caller_identity.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace finops_crawler;

namespace {
// As STS sends it (format of the AWS documentation's example reply).
constexpr const char* reply = R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>
    <UserId>AIDAJQABLZS4A3QDU576Q</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
)";
}  // namespace

TEST_CASE("the usual reply") {
  auto r = sts::parse_caller_identity(reply);
  REQUIRE_MESSAGE(r, r.error().message);
  CHECK(r->account == "123456789012");
  CHECK(r->arn == "arn:aws:iam::123456789012:user/Alice");
  CHECK(r->user_id == "AIDAJQABLZS4A3QDU576Q");
  CHECK(r->request_id == "01234567-89ab-cdef-0123-456789abcdef");
}

TEST_CASE("tolerates declarations, prefixes, attributes, comments, CDATA, entities, order") {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
      "<!-- recorded -->\n"
      "<sts:GetCallerIdentityResponse xmlns:sts='https://sts.amazonaws.com/doc/2011-06-15/' a=\"x>y\">\n"
      "<sts:GetCallerIdentityResult >"
      "<sts:Account  kind='id' xmlns:q=\"urn:q\">\n\t 210987654321 \n</sts:Account>"
      "<UserId><![CDATA[AROAEXAMPLE:session&1]]></UserId>"
      "<Extra><Account>999999999999</Account></Extra>"
      "<Arn>arn:aws:sts::210987654321:assumed-role/R&amp;D/s&#x31;&#50;</Arn>"
      "<Future/>"
      "</sts:GetCallerIdentityResult>"
      "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
      "</sts:GetCallerIdentityResponse>\n";
  auto r = sts::parse_caller_identity(xml);
  REQUIRE_MESSAGE(r, r.error().message);
  CHECK(r->account == "210987654321");  // trimmed; the nested Extra/Account is ignored
  CHECK(r->user_id == "AROAEXAMPLE:session&1");
  CHECK(r->arn == "arn:aws:sts::210987654321:assumed-role/R&D/s12");
  CHECK(r->request_id == "rid");
}

TEST_CASE("Arn and UserId are optional, Account is not") {
  auto ok = sts::parse_caller_identity(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>"
      "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  REQUIRE(ok);
  CHECK(ok->arn.empty());
  auto missing = sts::parse_caller_identity(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>");
  REQUIRE_FALSE(missing);
  CHECK(missing.code() == errc::unexpected_shape);
  CHECK(missing.error().message.find("Account is missing") != std::string::npos);
}

TEST_CASE("an ErrorResponse becomes aws_error with its code") {
  auto r = sts::parse_caller_identity(
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
      "<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>"
      "</Error><RequestId>abc-123</RequestId></ErrorResponse>");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::aws_error);
  CHECK(r.error().aws_code == "InvalidClientTokenId");
  CHECK(r.error().request_id == "abc-123");
  CHECK(r.error().message.find("token included in the request is invalid") != std::string::npos);
}

TEST_CASE("an element that appears twice is refused as damaged (retryable), never read as either") {
  struct dup_case {
    std::string xml;
    const char* message;
  };
  const std::string full = reply;
  auto twice = [&](const std::string& element) {
    const std::size_t at = full.find("<" + element + ">");
    const std::size_t end = full.find("</" + element + ">") + element.size() + 3;
    return full.substr(0, end) + full.substr(at, end - at) + full.substr(end);
  };
  const dup_case cases[] = {
      {twice("Account"), "<Account> appears twice in <GetCallerIdentityResult>"},
      {twice("Arn"), "<Arn> appears twice in <GetCallerIdentityResult>"},
      {twice("UserId"), "<UserId> appears twice in <GetCallerIdentityResult>"},
      {twice("GetCallerIdentityResult"), "<GetCallerIdentityResult> appears twice in <GetCallerIdentityResponse>"},
      {twice("RequestId"), "<RequestId> appears twice in <ResponseMetadata>"},
      {"<ErrorResponse><Error><Code>A</Code><Code>B</Code></Error></ErrorResponse>", "<Code> appears twice in <Error>"},
      // With a namespace prefix the local name counts.
      {"<sts:GetCallerIdentityResponse><sts:GetCallerIdentityResult><sts:Account>123456789012</sts:Account>"
       "<sts:Account>210987654321</sts:Account></sts:GetCallerIdentityResult></sts:GetCallerIdentityResponse>",
       "<sts:Account> appears twice"},
  };
  for (const dup_case& c : cases) {
    CAPTURE(c.xml);
    auto r = sts::parse_caller_identity(c.xml);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unexpected_shape);
    CHECK(r.error().retryable);
    CHECK_MESSAGE(r.error().message.find(c.message) != std::string::npos, r.error().message);
  }
  // Elements STS does not define may repeat.
  auto ok = sts::parse_caller_identity(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><X/><X/>"
      "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  REQUIRE_MESSAGE(ok, ok.error().message);
  CHECK(ok->account == "123456789012");
}

TEST_CASE("malformed replies are errors naming the problem") {
  struct bad_case {
    std::string xml;
    const char* message;
  };
  const std::string full = reply;
  const bad_case cases[] = {
      {"", "empty body"},
      {"   \n", "empty body"},
      {"{\"Account\":\"123456789012\"}", "text outside the root element"},
      {full.substr(0, full.size() / 2), "truncated"},
      {full.substr(0, full.find("</Account>") + 4), "unterminated tag"},
      {"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Arn>", "does not match"},
      {"<Other/>", "root element is <Other>"},
      {"<GetCallerIdentityResponse/><GetCallerIdentityResponse/>", "more than one root"},
      {"<!DOCTYPE x [<!ENTITY a 'b'>]><GetCallerIdentityResponse/>", "DOCTYPE"},
      {"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>12345&bogus;</Account>"
       "</GetCallerIdentityResult></GetCallerIdentityResponse>",
       "bad character reference"},
      {"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>12345</Account>"
       "</GetCallerIdentityResult></GetCallerIdentityResponse>",
       "not a 12-digit account id"},
      {"<GetCallerIdentityResponse>" + std::string(40 * 3, ' ') + [] {
         std::string s;
         for (int i = 0; i < 40; ++i) s += "<a>";
         return s;
       }(),
       "deeper than 32"},
      {"<GetCallerIdentityResponse><!-- never closed", "unterminated comment"},
      {"<GetCallerIdentityResponse><![CDATA[x", "unterminated CDATA"},
      {"<GetCallerIdentityResponse><a<b>", "'<' inside a tag"},
  };
  for (const bad_case& c : cases) {
    CAPTURE(c.xml);
    auto r = sts::parse_caller_identity(c.xml);
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::unexpected_shape);
    CHECK_MESSAGE(r.error().message.find(c.message) != std::string::npos, r.error().message);
  }
}
