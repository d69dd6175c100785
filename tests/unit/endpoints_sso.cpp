// Tests for the credential services' endpoints in finops_crawler/aws/endpoints.hpp:
// the SSO portal and SSO-OIDC rule sets (standard regional pattern, GovCloud's
// plain host for FIPS), and their configured endpoint URLs
// (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL, the
// profile's [services] blocks `sso` / `sso_oidc` and endpoint_url), which go
// through the same machinery as ce, organizations and sts.
// ../shared/vectors/endpoints/ has no sts, sso or sso-oidc vectors; the
// table below is written from the services' published rule sets.

#include <doctest/doctest.h>

#include <string>

#include "finops_crawler/aws/endpoints.hpp"

namespace aws = finops_crawler::aws;

namespace {

struct rule_case {
  aws::service svc;
  const char* region;
  bool fips;
  bool ds;
  const char* url;  // nullptr: an error is expected
};

constexpr rule_case rule_cases[] = {
    {aws::service::sso, "us-east-1", false, false, "https://portal.sso.us-east-1.amazonaws.com"},
    {aws::service::sso, "eu-west-1", false, false, "https://portal.sso.eu-west-1.amazonaws.com"},
    {aws::service::sso, "us-east-1", true, false, "https://portal.sso-fips.us-east-1.amazonaws.com"},
    {aws::service::sso, "us-east-1", false, true, "https://portal.sso.us-east-1.api.aws"},
    {aws::service::sso, "us-east-1", true, true, "https://portal.sso-fips.us-east-1.api.aws"},
    {aws::service::sso, "us-gov-west-1", true, false, "https://portal.sso.us-gov-west-1.amazonaws.com"},
    {aws::service::sso, "us-gov-west-1", false, false, "https://portal.sso.us-gov-west-1.amazonaws.com"},
    {aws::service::sso, "cn-north-1", false, false, "https://portal.sso.cn-north-1.amazonaws.com.cn"},
    {aws::service::sso, "us-iso-east-1", false, false, "https://portal.sso.us-iso-east-1.c2s.ic.gov"},
    {aws::service::sso_oidc, "us-east-1", false, false, "https://oidc.us-east-1.amazonaws.com"},
    {aws::service::sso_oidc, "ap-southeast-2", false, false, "https://oidc.ap-southeast-2.amazonaws.com"},
    {aws::service::sso_oidc, "us-east-1", true, false, "https://oidc-fips.us-east-1.amazonaws.com"},
    {aws::service::sso_oidc, "us-east-1", false, true, "https://oidc.us-east-1.api.aws"},
    {aws::service::sso_oidc, "us-gov-east-1", true, false, "https://oidc.us-gov-east-1.amazonaws.com"},
    {aws::service::sso_oidc, "cn-northwest-1", false, true, "https://oidc.cn-northwest-1.api.amazonwebservices.com.cn"},
    {aws::service::sso_oidc, "evil.example/x", false, false, nullptr},
};

}  // namespace

TEST_CASE("SSO portal and SSO-OIDC endpoint rules") {
  for (const rule_case& c : rule_cases) {
    CAPTURE(std::string(aws::info(c.svc).service_id));
    CAPTURE(std::string(c.region));
    CAPTURE(c.fips);
    CAPTURE(c.ds);
    aws::endpoint_parameters p;
    p.region = c.region;
    p.use_fips = c.fips;
    p.use_dual_stack = c.ds;
    auto r = aws::resolve_endpoint_rules(c.svc, p);
    if (c.url == nullptr) {
      CHECK_FALSE(r);
      continue;
    }
    REQUIRE(r);
    CHECK(r->url == c.url);
    CHECK(r->signing_region == c.region);
    CHECK_FALSE(r->overridden);
  }
  CHECK(aws::info(aws::service::sso).signing_name == "awsssoportal");
  CHECK(aws::info(aws::service::sso_oidc).signing_name == "sso-oauth");
}

TEST_CASE("SSO names map to their settings") {
  CHECK(aws::endpoint_env_var(aws::info(aws::service::sso).service_id) == "AWS_ENDPOINT_URL_SSO");
  CHECK(aws::endpoint_env_var(aws::info(aws::service::sso_oidc).service_id) == "AWS_ENDPOINT_URL_SSO_OIDC");
  CHECK(aws::endpoint_config_key(aws::info(aws::service::sso).service_id) == "sso");
  CHECK(aws::endpoint_config_key(aws::info(aws::service::sso_oidc).service_id) == "sso_oidc");
}

TEST_CASE("configured endpoint URLs for sts, sso and sso-oidc") {
  auto cfg = aws::shared_config::from_strings(
      "[profile dev]\nservices = local\nendpoint_url = https://profile-wide.example\n"
      "[profile fips]\nuse_fips_endpoint = true\n"
      "[profile ds]\nuse_dualstack_endpoint = true\n"
      "[services local]\n"
      "sso =\n  endpoint_url = http://127.0.0.1:7001\n"
      "sso_oidc =\n  endpoint_url = http://127.0.0.1:7002\n",
      "");
  REQUIRE(cfg);
  aws::map_environment env;

  SUBCASE("the profile's services section, then its endpoint_url") {
    auto sso = aws::resolve_endpoint(aws::service::sso, std::string_view("eu-west-1"), {}, env, *cfg, "dev");
    REQUIRE(sso);
    CHECK(sso->url == "http://127.0.0.1:7001");
    CHECK(sso->overridden);
    CHECK(sso->signing_region == "eu-west-1");
    CHECK(sso->source.find("sso.endpoint_url") != std::string::npos);
    auto oidc = aws::resolve_endpoint(aws::service::sso_oidc, std::string_view("eu-west-1"), {}, env, *cfg, "dev");
    REQUIRE(oidc);
    CHECK(oidc->url == "http://127.0.0.1:7002");
    auto sts = aws::resolve_endpoint(aws::service::sts, std::string_view("eu-west-1"), {}, env, *cfg, "dev");
    REQUIRE(sts);
    CHECK(sts->url == "https://profile-wide.example");
  }
  SUBCASE("service-specific variables win over AWS_ENDPOINT_URL and the profile") {
    env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
    env.set("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9002");
    CHECK(aws::resolve_endpoint(aws::service::sso, std::nullopt, {}, env, *cfg, "dev")->url == "http://127.0.0.1:9000");
    auto oidc = aws::resolve_endpoint(aws::service::sso_oidc, std::nullopt, {}, env, *cfg, "dev");
    CHECK(oidc->url == "http://127.0.0.1:9002");
    CHECK(oidc->source == "AWS_ENDPOINT_URL_SSO_OIDC");
    env.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9001");
    CHECK(aws::resolve_endpoint(aws::service::sso, std::nullopt, {}, env, *cfg, "dev")->url == "http://127.0.0.1:9001");
    env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9003");
    CHECK(aws::resolve_endpoint(aws::service::sts, std::nullopt, {}, env, *cfg, "dev")->url == "http://127.0.0.1:9003");
  }
  SUBCASE("ignored configured URLs fall back to the rules") {
    env.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9001");
    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    CHECK(aws::resolve_endpoint(aws::service::sso, std::string_view("eu-west-1"), {}, env, *cfg, "dev")->url ==
          "https://portal.sso.eu-west-1.amazonaws.com");
  }
  SUBCASE("FIPS and dual-stack from the environment and the profile") {
    CHECK(aws::resolve_endpoint(aws::service::sso, std::string_view("us-west-2"), {}, env, *cfg, "fips")->url ==
          "https://portal.sso-fips.us-west-2.amazonaws.com");
    CHECK(aws::resolve_endpoint(aws::service::sts, std::string_view("us-west-2"), {}, env, *cfg, "fips")->url ==
          "https://sts-fips.us-west-2.amazonaws.com");
    CHECK(aws::resolve_endpoint(aws::service::sso_oidc, std::string_view("us-west-2"), {}, env, *cfg, "ds")->url ==
          "https://oidc.us-west-2.api.aws");
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "true");
    CHECK(aws::resolve_endpoint(aws::service::sts, std::string_view("eu-central-1"), {}, env, *cfg, "fips")->url ==
          "https://sts-fips.eu-central-1.api.aws");
    env.set("AWS_USE_FIPS_ENDPOINT", "maybe");
    auto bad = aws::resolve_endpoint(aws::service::sso, std::string_view("us-west-2"), {}, env, *cfg, "ds");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("AWS_USE_FIPS_ENDPOINT") != std::string::npos);
  }
  SUBCASE("FIPS with a configured URL is refused, naming where the URL came from") {
    env.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9001");
    auto r = aws::resolve_endpoint(aws::service::sso, std::string_view("us-west-2"), {}, env, *cfg, "fips");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("FIPS and custom endpoint") != std::string::npos);
    CHECK(r.error().message.find("AWS_ENDPOINT_URL_SSO") != std::string::npos);
  }
}
