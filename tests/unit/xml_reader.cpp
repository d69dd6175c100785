// Tests for finops_crawler/aws/sts/xml_reader.hpp and the STS credentials
// reply parser built on it (aws/providers/sts_providers.hpp), and the JSON
// credentials parser of the container and IMDS providers: well-formed
// replies in their variations, every malformation the reader refuses, and
// no secret in any message. Pure: no network.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "finops_crawler/aws/providers/container_provider.hpp"
#include "finops_crawler/aws/providers/sts_providers.hpp"
#include "finops_crawler/aws/sts/xml_reader.hpp"

namespace fc = finops_crawler;
namespace aws = finops_crawler::aws;

namespace {

const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
const std::string token = "FQoGZXIvYXdzEXAMPLETOKENabcdefghijklmnopqrstuvwxyz0123456789";

std::string assume_role_reply(const std::string& creds_inner, const std::string& root = "AssumeRoleResponse") {
  return "<?xml version=\"1.0\"?>\n<" + root + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
         "  <AssumeRoleResult>\n    <Credentials>" + creds_inner + "</Credentials>\n"
         "    <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/R/s</Arn>"
         "<AssumedRoleId>AROAX:s</AssumedRoleId></AssumedRoleUser>\n"
         "  </AssumeRoleResult>\n  <ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>\n</" + root + ">";
}

std::string full_creds() {
  return "<AccessKeyId>ASIAEXAMPLEKEY000001</AccessKeyId><SecretAccessKey>" + secret +
         "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>2026-12-02T05:00:00Z</Expiration>";
}

}  // namespace

TEST_CASE("xml_read: paths, text, entities, CDATA, prefixes") {
  std::vector<std::string> seen;
  auto st = fc::sts::xml_read(
      "<?xml version='1.0'?><!-- c --><a:Root x='1' y=\"2>\"><B>  x &amp; y &#65;&#x42; </B><C><![CDATA[<raw>]]></C>"
      "<D/></a:Root>",
      "test", [&](const fc::sts::xml_element& e) -> fc::status {
        if (e.start) return {};
        std::string path;
        for (std::size_t i = 0; i < e.depth; ++i) path += "/" + std::string(e.path[i]);
        seen.push_back(path + "=" + std::string(e.text));
        return {};
      });
  REQUIRE_MESSAGE(st, st.error().message);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == "/Root/B=x & y AB");
  CHECK(seen[1] == "/Root/C=<raw>");
  CHECK(seen[2] == "/Root/D=");
  CHECK(seen[3] == "/Root=");
}

TEST_CASE("xml_read: malformed documents") {
  struct bad_case {
    const char* xml;
    const char* problem;
  };
  const bad_case cases[] = {
      {"", "empty body"},
      {"<a><b></a>", "does not match"},
      {"<a>", "is not closed"},
      {"<a", "unterminated tag"},
      {"<a></a><b/>", "more than one root"},
      {"x<a/>", "text outside"},
      {"<!DOCTYPE a><a/>", "DOCTYPE"},
      {"<a>&bogus;</a>", "bad character reference"},
      {"<a>&#0;</a>", "bad character reference"},
      {"<a><!-- </a>", "unterminated comment"},
      {"<a><![CDATA[ </a>", "unterminated CDATA"},
      {"<a></a junk>", "junk in end tag"},
      {"<a <b>", "'<' inside a tag"},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.xml));
    auto st = fc::sts::xml_read(c.xml, "reply", nullptr);
    REQUIRE_FALSE(st);
    CHECK(st.error().code == fc::errc::unexpected_shape);
    CHECK(st.error().message.find(c.problem) != std::string::npos);
    CHECK(st.error().message.rfind("reply: ", 0) == 0);
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  CHECK(fc::sts::xml_read(deep, "r", nullptr).error().message.find("deeper than 32") != std::string::npos);
  std::vector<std::string> order;
  auto refused = fc::sts::xml_read("<a><b/><c>t</c></a>", "r", [&](const fc::sts::xml_element& e) -> fc::status {
    order.push_back((e.start ? "+" : "-") + std::string(e.name()));
    if (!e.start && e.name() == "c") return fc::error(fc::errc::aws_error, "stop at c");
    return {};
  });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "stop at c");
  CHECK(order == std::vector<std::string>{"+a", "+b", "-b", "+c", "-c"});
}

TEST_CASE("STS role credentials reply") {
  SUBCASE("AssumeRole, with whitespace and a prefix") {
    auto r = aws::parse_sts_role_credentials(assume_role_reply(full_creds()), "AssumeRole", "assume-role R");
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->creds.access_key_id() == "ASIAEXAMPLEKEY000001");
    CHECK(r->creds.secret_access_key() == secret);
    CHECK(r->creds.session_token() == token);
    REQUIRE(r->creds.expiry());
    CHECK(fc::aws::detail::iso8601_utc(*r->creds.expiry()) == "2026-12-02T05:00:00Z");
    CHECK(r->creds.source() == "assume-role R");
    CHECK(r->assumed_role_arn == "arn:aws:sts::111122223333:assumed-role/R/s");
    CHECK(r->request_id == "rid-1");
  }
  SUBCASE("AssumeRoleWithWebIdentity") {
    std::string xml = assume_role_reply(full_creds(), "AssumeRoleWithWebIdentityResponse");
    for (std::size_t p; (p = xml.find("AssumeRoleResult")) != std::string::npos;)
      xml.replace(p, 16, "AssumeRoleWithWebIdentityResult");
    auto r = aws::parse_sts_role_credentials(xml, "AssumeRoleWithWebIdentity", "web");
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->creds.has_session_token());
  }
  SUBCASE("a missing field, a field twice, a bad timestamp, another root: never the secret") {
    struct bad_case {
      std::string xml;
      const char* problem;
    };
    const std::string no_secret = "<AccessKeyId>ASIAEXAMPLEKEY000001</AccessKeyId><SessionToken>" + token +
                                  "</SessionToken><Expiration>2026-12-02T05:00:00Z</Expiration>";
    const bad_case cases[] = {
        {assume_role_reply(no_secret), "Credentials.SecretAccessKey is missing"},
        {assume_role_reply(full_creds() + "<SecretAccessKey>" + secret + "</SecretAccessKey>"),
         "<SecretAccessKey> appears twice in <Credentials>"},
        {assume_role_reply("<AccessKeyId>ASIAEXAMPLEKEY000001</AccessKeyId><SecretAccessKey>" + secret +
                           "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>soon</Expiration>"),
         "Expiration is not an ISO 8601 timestamp"},
        {assume_role_reply(full_creds(), "GetCallerIdentityResponse"), "root element is not <AssumeRoleResponse>"},
        {assume_role_reply(full_creds()).substr(0, 300), "truncated"},
        {assume_role_reply("<AccessKeyId>ASIA EXAMPLE</AccessKeyId><SecretAccessKey>" + secret +
                           "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>2026-12-02T05:00:00Z</Expiration>"),
         "blanks"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.problem);
      auto r = aws::parse_sts_role_credentials(c.xml, "AssumeRole", "src");
      REQUIRE_FALSE(r);
      CHECK(r.error().code == fc::errc::unexpected_shape);
      CHECK(r.error().message.find(c.problem) != std::string::npos);
      CHECK(r.error().message.find(secret) == std::string::npos);
      CHECK(r.error().message.find(token) == std::string::npos);
    }
  }
  SUBCASE("an ErrorResponse") {
    auto r = aws::parse_sts_role_credentials(
        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error>"
        "<RequestId>rid-2</RequestId></ErrorResponse>",
        "AssumeRole", "src");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == fc::errc::aws_error);
    CHECK(r.error().aws_code == "AccessDenied");
    CHECK(r.error().request_id == "rid-2");
  }
}

TEST_CASE("container and IMDS JSON credentials") {
  const std::string ok = "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAEXAMPLEKEY000001\",\"SecretAccessKey\":\"" +
                         secret + "\",\"Token\":\"" + token + "\",\"Expiration\":\"2026-12-02T05:00:00Z\"}";
  auto c = aws::parse_metadata_credentials(ok, "reply", "imds", true);
  REQUIRE_MESSAGE(c, c.error().message);
  CHECK(c->secret_access_key() == secret);
  CHECK(c->expiry().has_value());
  struct bad_case {
    std::string json;
    bool imds;
    fc::errc code;
    const char* problem;
  };
  const bad_case cases[] = {
      {ok.substr(0, ok.size() / 2), false, fc::errc::bad_json, "not valid JSON"},
      {"[1]", false, fc::errc::unexpected_shape, "not a JSON object"},
      {"{\"AccessKeyId\":\"ASIAEXAMPLEKEY000001\",\"Token\":\"" + token + "\"}", false, fc::errc::unexpected_shape,
       "SecretAccessKey is missing"},
      {"{\"AccessKeyId\":7}", false, fc::errc::unexpected_shape, "AccessKeyId is not a string"},
      {"{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"AccessKeyId\":\"x\"}", true, fc::errc::no_credentials,
       "AssumeRoleUnauthorizedAccess"},
      {"{\"AccessKeyId\":\"ASIAEXAMPLEKEY000001\",\"SecretAccessKey\":\"" + secret + "\",\"Token\":\"" + token +
           "\",\"Expiration\":\"tomorrow\"}",
       false, fc::errc::unexpected_shape, "Expiration is not an ISO 8601 timestamp"},
  };
  for (const auto& b : cases) {
    CAPTURE(b.problem);
    auto r = aws::parse_metadata_credentials(b.json, "reply", "src", b.imds);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == b.code);
    CHECK(r.error().message.find(b.problem) != std::string::npos);
    CHECK(r.error().message.find(secret) == std::string::npos);
    CHECK(r.error().message.find(token) == std::string::npos);
  }
}
