// Tests for finops_crawler/aws/endpoints.hpp. Data-driven from the AWS
// endpoint test vectors in tests/data/endpoints/ (Apache-2.0, LICENSE there):
// every case of the Cost Explorer and Organizations rule-set tests, and every
// case of the configured-endpoint-URL tests. simdjson reads the vectors (the
// header under test does not use it).
#include "finops_crawler/aws/endpoints.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aws = finops_crawler::aws;
using finops_crawler::errc;

namespace {

const std::string data_dir = std::string(FINOPS_CRAWLER_TEST_DIR) + "/data/endpoints/";

struct rule_case {
  std::string documentation;
  aws::endpoint_parameters params;
  std::optional<std::string> url;
  std::optional<std::string> error;
  std::optional<std::string> signing_region;  // from authSchemes, when given
  std::optional<std::string> signing_name;
};

std::string str(simdjson::dom::element e) {
  std::string_view v;
  REQUIRE(e.get_string().get(v) == simdjson::SUCCESS);
  return std::string(v);
}

std::vector<rule_case> load_rule_cases(const std::string& file) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_MESSAGE(parser.load(data_dir + file).get(doc) == simdjson::SUCCESS, "cannot read " << file);
  simdjson::dom::array cases;
  REQUIRE(doc["testCases"].get_array().get(cases) == simdjson::SUCCESS);
  std::vector<rule_case> out;
  for (simdjson::dom::element c : cases) {
    rule_case rc;
    rc.documentation = str(c["documentation"]);
    simdjson::dom::object params;
    if (c["params"].get_object().get(params) == simdjson::SUCCESS) {
      for (auto field : params) {
        const std::string_view k = field.key;
        if (k == "Region") rc.params.region = str(field.value);
        else if (k == "Endpoint") rc.params.endpoint = str(field.value);
        else if (k == "UseFIPS") REQUIRE(field.value.get_bool().get(rc.params.use_fips) == simdjson::SUCCESS);
        else if (k == "UseDualStack")
          REQUIRE(field.value.get_bool().get(rc.params.use_dual_stack) == simdjson::SUCCESS);
        else FAIL("unknown parameter in vector: " << k);  // a new parameter must not be silently ignored
      }
    }
    simdjson::dom::element expect = c["expect"];
    simdjson::dom::element endpoint;
    if (expect["endpoint"].get(endpoint) == simdjson::SUCCESS) {
      rc.url = str(endpoint["url"]);
      simdjson::dom::array schemes;
      if (endpoint["properties"]["authSchemes"].get_array().get(schemes) == simdjson::SUCCESS) {
        for (simdjson::dom::element s : schemes) {
          CHECK(str(s["name"]) == "sigv4");
          rc.signing_region = str(s["signingRegion"]);
          std::string_view name;
          if (s["signingName"].get_string().get(name) == simdjson::SUCCESS) rc.signing_name = std::string(name);
        }
      }
    } else {
      rc.error = str(expect["error"]);
    }
    out.push_back(std::move(rc));
  }
  return out;
}

// Runs one vector case; returns true when it was checked in full.
void run_rule_case(aws::service s, const rule_case& c) {
  INFO("case: " << c.documentation);
  auto r = aws::resolve_endpoint_rules(s, c.params);
  if (c.error) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.code() == errc::invalid_argument);
    // Our message starts with the rule set's exact text, then adds context.
    CHECK(r.error().message.substr(0, c.error->size()) == *c.error);
    return;
  }
  INFO("error: " << r.error().message);
  REQUIRE(r.has_value());
  CHECK(r->url == *c.url);
  CHECK(r->signing_name == std::string(aws::info(s).signing_name));
  if (c.signing_name) CHECK(r->signing_name == *c.signing_name);
  if (c.signing_region) {
    CHECK(r->signing_region == *c.signing_region);
  } else if (c.params.region && !c.params.endpoint) {
    // No authSchemes in the rule: SDKs sign with the client's region.
    CHECK(r->signing_region == *c.params.region);
  }
  // Only a custom Endpoint counts as overridden (plain http allowed).
  CHECK(r->overridden == c.params.endpoint.has_value());
}

}  // namespace

TEST_CASE("Cost Explorer endpoint rule-set vectors: every case") {
  const auto cases = load_rule_cases("ce-endpoint-tests-1.json");
  CHECK(cases.size() == 26);  // zero cases must not pass
  std::size_t errors = 0;
  for (const auto& c : cases) {
    run_rule_case(aws::service::cost_explorer, c);
    if (c.error) ++errors;
  }
  CHECK(errors == 3);
}

TEST_CASE("Organizations endpoint rule-set vectors: every case") {
  const auto cases = load_rule_cases("organizations-endpoint-tests-1.json");
  CHECK(cases.size() == 29);
  std::size_t errors = 0;
  for (const auto& c : cases) {
    run_rule_case(aws::service::organizations, c);
    if (c.error) ++errors;
  }
  CHECK(errors == 3);
}

TEST_CASE("custom Endpoint keeps the service's signing region") {
  aws::endpoint_parameters p;
  p.endpoint = "http://127.0.0.1:9000";
  p.region = "eu-west-1";
  auto ce = aws::resolve_endpoint_rules(aws::service::cost_explorer, p);
  REQUIRE(ce.has_value());
  CHECK(ce->signing_region == "us-east-1");  // Cost Explorer behind a proxy still signs us-east-1
  auto sts = aws::resolve_endpoint_rules(aws::service::sts, p);
  REQUIRE(sts.has_value());
  CHECK(sts->signing_region == "eu-west-1");
  p.region = "cn-north-1";
  CHECK(aws::resolve_endpoint_rules(aws::service::cost_explorer, p)->signing_region == "cn-northwest-1");
  p.region.reset();
  CHECK(aws::resolve_endpoint_rules(aws::service::organizations, p)->signing_region == "us-east-1");
}

TEST_CASE("STS endpoint rules") {
  struct sts_case {
    const char* region;
    bool fips, ds, global;
    const char* url;
    const char* signing_region;
  };
  const sts_case cases[] = {
      {"us-east-1", false, false, false, "https://sts.us-east-1.amazonaws.com", "us-east-1"},
      {"eu-west-1", false, false, false, "https://sts.eu-west-1.amazonaws.com", "eu-west-1"},
      {"aws-global", false, false, false, "https://sts.amazonaws.com", "us-east-1"},
      {"us-east-1", true, false, false, "https://sts-fips.us-east-1.amazonaws.com", "us-east-1"},
      {"us-east-1", false, true, false, "https://sts.us-east-1.api.aws", "us-east-1"},
      {"us-east-1", true, true, false, "https://sts-fips.us-east-1.api.aws", "us-east-1"},
      {"us-gov-west-1", true, false, false, "https://sts.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
      {"us-gov-east-1", false, false, false, "https://sts.us-gov-east-1.amazonaws.com", "us-gov-east-1"},
      {"cn-north-1", false, false, false, "https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1"},
      {"cn-north-1", false, true, false, "https://sts.cn-north-1.api.amazonwebservices.com.cn", "cn-north-1"},
      {"us-iso-east-1", false, false, false, "https://sts.us-iso-east-1.c2s.ic.gov", "us-iso-east-1"},
      {"eusc-de-east-1", false, false, false, "https://sts.eusc-de-east-1.amazonaws.eu", "eusc-de-east-1"},
      // Legacy global mode: the 16 regions that used sts.amazonaws.com keep it.
      {"eu-west-1", false, false, true, "https://sts.amazonaws.com", "us-east-1"},
      {"us-west-2", false, false, true, "https://sts.amazonaws.com", "us-east-1"},
      {"ap-east-1", false, false, true, "https://sts.ap-east-1.amazonaws.com", "ap-east-1"},
      {"eu-west-1", true, false, true, "https://sts-fips.eu-west-1.amazonaws.com", "eu-west-1"},
  };
  for (const auto& c : cases) {
    INFO(c.region << " fips=" << c.fips << " ds=" << c.ds << " global=" << c.global);
    aws::endpoint_parameters p;
    p.region = c.region;
    p.use_fips = c.fips;
    p.use_dual_stack = c.ds;
    p.use_global_endpoint = c.global;
    auto r = aws::resolve_endpoint_rules(aws::service::sts, p);
    REQUIRE(r.has_value());
    CHECK(r->url == c.url);
    CHECK(r->signing_region == c.signing_region);
    CHECK(r->signing_name == "sts");
    CHECK_FALSE(r->overridden);
  }
  aws::endpoint_parameters missing;
  CHECK(aws::resolve_endpoint_rules(aws::service::sts, missing).error().message.rfind(
            "Invalid Configuration: Missing Region", 0) == 0);
}

TEST_CASE("partitions and region names") {
  const std::pair<const char*, const char*> cases[] = {
      {"us-east-1", "aws"},           {"eu-central-2", "aws"},          {"mx-central-1", "aws"},
      {"aws-global", "aws"},          {"fake-region-10", "aws"},        {"us-gov-west-1", "aws-us-gov"},
      {"aws-us-gov-global", "aws-us-gov"}, {"cn-north-1", "aws-cn"},    {"aws-cn-global", "aws-cn"},
      {"eusc-de-east-1", "aws-eusc"}, {"us-iso-east-1", "aws-iso"},     {"aws-iso-global", "aws-iso"},
      {"us-isob-east-1", "aws-iso-b"}, {"aws-iso-b-global", "aws-iso-b"}, {"eu-isoe-west-1", "aws-iso-e"},
      {"us-isof-south-1", "aws-iso-f"}, {"us-isof-east-1", "aws-iso-f"},
  };
  for (const auto& c : cases) {
    INFO(c.first);
    CHECK(aws::partition_for_region(c.first).name == c.second);
  }
  CHECK(aws::is_valid_region_name("us-east-1"));
  CHECK(aws::is_valid_region_name("aws-global"));
  CHECK_FALSE(aws::is_valid_region_name(""));
  CHECK_FALSE(aws::is_valid_region_name("-us-east-1"));
  CHECK_FALSE(aws::is_valid_region_name("evil.example/x"));
  CHECK_FALSE(aws::is_valid_region_name("us east 1"));
  CHECK_FALSE(aws::is_valid_region_name(std::string(64, 'a')));
  // An invalid region can never end up in a host name.
  aws::endpoint_parameters p;
  p.region = "attacker.example/";
  for (auto s : {aws::service::cost_explorer, aws::service::organizations, aws::service::sts}) {
    auto r = aws::resolve_endpoint_rules(s, p);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.code() == errc::invalid_argument);
  }
  CHECK(aws::standard_regional_url("s3", "us-west-2", false, false).value() == "https://s3.us-west-2.amazonaws.com");
  CHECK(aws::standard_regional_url("s3", "cn-north-1", true, true).value() ==
        "https://s3-fips.cn-north-1.api.amazonwebservices.com.cn");
  CHECK(aws::standard_regional_url("s3", "bad/region", false, false).code() == errc::invalid_argument);
}

TEST_CASE("service ids map to settings names") {
  CHECK(aws::endpoint_env_var("Cost Explorer") == "AWS_ENDPOINT_URL_COST_EXPLORER");
  CHECK(aws::endpoint_env_var("Organizations") == "AWS_ENDPOINT_URL_ORGANIZATIONS");
  CHECK(aws::endpoint_env_var("STS") == "AWS_ENDPOINT_URL_STS");
  CHECK(aws::endpoint_env_var("s3") == "AWS_ENDPOINT_URL_S3");
  CHECK(aws::endpoint_config_key("Cost Explorer") == "cost_explorer");
  CHECK(aws::endpoint_config_key("Organizations") == "organizations");
  CHECK(aws::endpoint_config_key("STS") == "sts");
  CHECK(aws::endpoint_config_key("DynamoDB") == "dynamodb");
}

namespace {

// Renders the vectors' JSON profiles and services as a config file, so the
// configured-endpoint cases also go through the INI parser.
std::string render_config(simdjson::dom::object profiles, simdjson::dom::object services,
                          std::map<std::string, std::map<std::string, std::string>>& expected_values) {
  std::string text = "# rendered from configured-endpoint-urls-profile-tests.json\n";
  for (auto p : profiles) {
    const std::string name(p.key);
    text += name == "default" ? "[default]\n" : "[profile " + name + "]\n";
    simdjson::dom::object props;
    REQUIRE(p.value.get_object().get(props) == simdjson::SUCCESS);
    for (auto kv : props) {
      const std::string v = str(kv.value);
      text += std::string(kv.key) + " = " + v + "\n";
      expected_values[name][std::string(kv.key)] = v;
    }
    text += "\n";
  }
  for (auto s : services) {
    text += "[services " + std::string(s.key) + "]\n";
    simdjson::dom::object blocks;
    REQUIRE(s.value.get_object().get(blocks) == simdjson::SUCCESS);
    for (auto b : blocks) {
      text += std::string(b.key) + " =\n";
      simdjson::dom::object sub;
      REQUIRE(b.value.get_object().get(sub) == simdjson::SUCCESS);
      for (auto kv : sub) text += "  " + std::string(kv.key) + " = " + str(kv.value) + "\n";
    }
  }
  return text;
}

}  // namespace

TEST_CASE("configured endpoint URL vectors: every case") {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.load(data_dir + "configured-endpoint-urls-profile-tests.json").get(doc) == simdjson::SUCCESS);
  simdjson::dom::array suites;
  REQUIRE(doc["testSuites"].get_array().get(suites) == simdjson::SUCCESS);
  std::size_t cases_run = 0;
  std::size_t cases_default = 0;
  for (simdjson::dom::element suite : suites) {
    simdjson::dom::object profiles, services, client_configs, environments;
    REQUIRE(suite["profiles"].get_object().get(profiles) == simdjson::SUCCESS);
    REQUIRE(suite["services"].get_object().get(services) == simdjson::SUCCESS);
    REQUIRE(suite["client_configs"].get_object().get(client_configs) == simdjson::SUCCESS);
    REQUIRE(suite["environments"].get_object().get(environments) == simdjson::SUCCESS);

    std::map<std::string, std::map<std::string, std::string>> expected_values;
    const std::string config_text = render_config(profiles, services, expected_values);
    auto cfg = aws::shared_config::from_strings(config_text, "");
    INFO(config_text);
    REQUIRE(cfg.has_value());
    // Every profile value survives the round trip through the parser.
    for (const auto& [profile, values] : expected_values)
      for (const auto& [key, value] : values) {
        auto v = cfg->get(profile, key);
        REQUIRE(v.has_value());
        CHECK(v->value == value);
      }

    simdjson::dom::array tests;
    REQUIRE(suite["endpointUrlTests"].get_array().get(tests) == simdjson::SUCCESS);
    for (simdjson::dom::element t : tests) {
      const std::string name = str(t["name"]);
      const std::string profile = str(t["profile"]);
      const std::string service = str(t["service"]);
      const std::string expected = str(t["output"]["endpointUrl"]);
      INFO("case: " << name);

      aws::map_environment env;
      simdjson::dom::object vars;
      REQUIRE(environments[str(t["environment"])].get_object().get(vars) == simdjson::SUCCESS);
      for (auto kv : vars) env.set(std::string(kv.key), str(kv.value));

      aws::endpoint_options options;
      simdjson::dom::object client;
      REQUIRE(client_configs[str(t["client_config"])].get_object().get(client) == simdjson::SUCCESS);
      for (auto kv : client) {
        const std::string_view k = kv.key;
        if (k == "endpoint_url") options.endpoint_url = str(kv.value);
        else if (k == "ignore_configured_endpoint_urls")
          REQUIRE(kv.value.get_bool().get(options.ignore_configured_endpoint_urls) == simdjson::SUCCESS);
        else FAIL("unknown client config key: " << k);
      }

      // The lookup is generic by service id, so the vectors' "s3" and
      // "dynamodb" cases run as they are.
      auto found = aws::find_configured_endpoint(service, options, env, *cfg, profile);
      INFO("error: " << found.error().message);
      REQUIRE(found.has_value());
      if (found->has_value()) {
        CHECK((*found)->url == expected);
      } else {
        // Every configured URL was ignored: the SDK default endpoint applies,
        // the standard regional form for the profile's region.
        auto region = cfg->get(profile, "region");
        REQUIRE(region.has_value());
        auto url = aws::standard_regional_url(service, region->value, false, false);
        REQUIRE(url.has_value());
        CHECK(*url == expected);
        ++cases_default;
      }
      ++cases_run;
    }
  }
  CHECK(cases_run == 39);
  CHECK(cases_default == 3);  // the three "All configured endpoints ignored" cases
}

TEST_CASE("resolve_endpoint: defaults for the three services") {
  aws::map_environment env;
  const aws::shared_config none;
  auto ce = aws::resolve_endpoint(aws::service::cost_explorer, std::string_view("eu-west-1"), {}, env, none, "default");
  REQUIRE(ce.has_value());
  CHECK(ce->url == "https://ce.us-east-1.amazonaws.com");
  CHECK(ce->signing_region == "us-east-1");
  CHECK_FALSE(ce->overridden);
  auto org = aws::resolve_endpoint(aws::service::organizations, std::nullopt, {}, env, none, "default");
  REQUIRE(org.has_value());
  CHECK(org->url == "https://organizations.us-east-1.amazonaws.com");
  auto sts = aws::resolve_endpoint(aws::service::sts, std::string_view("ap-southeast-2"), {}, env, none, "default");
  REQUIRE(sts.has_value());
  CHECK(sts->url == "https://sts.ap-southeast-2.amazonaws.com");
  CHECK(sts->signing_region == "ap-southeast-2");
  auto sts_default = aws::resolve_endpoint(aws::service::sts, std::nullopt, {}, env, none, "default");
  CHECK(sts_default->url == "https://sts.us-east-1.amazonaws.com");
  aws::endpoint_options legacy;
  legacy.sts_use_global_endpoint = true;
  CHECK(aws::resolve_endpoint(aws::service::sts, std::string_view("eu-west-1"), legacy, env, none, "default")->url ==
        "https://sts.amazonaws.com");
}

TEST_CASE("resolve_endpoint: configured URLs for ce, organizations, sts") {
  auto cfg = aws::shared_config::from_strings(
      "[default]\nregion = eu-west-1\n"
      "[profile local]\nservices = sim\nendpoint_url = https://profile-wide.example\n"
      "[profile broken]\nservices = missing\n"
      "[profile ignoring]\nendpoint_url = https://x.example\nignore_configured_endpoint_urls = true\n"
      "[profile badbool]\nignore_configured_endpoint_urls = maybe\n"
      "[profile fips]\nuse_fips_endpoint = true\n"
      "[services sim]\n"
      "cost_explorer =\n  endpoint_url = http://127.0.0.1:8080\n"
      "organizations =\n  endpoint_url = http://127.0.0.1:8081\n"
      "sts =\n  endpoint_url = http://127.0.0.1:8082\n",
      "");
  REQUIRE(cfg.has_value());
  aws::map_environment env;

  SUBCASE("services section per service, overridden, signing region kept") {
    auto ce = aws::resolve_endpoint(aws::service::cost_explorer, std::string_view("eu-west-1"), {}, env, *cfg, "local");
    REQUIRE(ce.has_value());
    CHECK(ce->url == "http://127.0.0.1:8080");
    CHECK(ce->overridden);
    CHECK(ce->signing_region == "us-east-1");
    CHECK(ce->signing_name == "ce");
    CHECK(ce->source == "[services sim] cost_explorer.endpoint_url at <config>:17");
    auto org = aws::resolve_endpoint(aws::service::organizations, std::nullopt, {}, env, *cfg, "local");
    CHECK(org->url == "http://127.0.0.1:8081");
    auto sts = aws::resolve_endpoint(aws::service::sts, std::string_view("eu-west-1"), {}, env, *cfg, "local");
    CHECK(sts->url == "http://127.0.0.1:8082");
    CHECK(sts->signing_region == "eu-west-1");
  }
  SUBCASE("service-specific environment variables, then AWS_ENDPOINT_URL") {
    env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "http://127.0.0.1:9001");
    env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9000");
    auto ce = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "local");
    CHECK(ce->url == "http://127.0.0.1:9001");
    CHECK(ce->source == "AWS_ENDPOINT_URL_COST_EXPLORER");
    auto org = aws::resolve_endpoint(aws::service::organizations, std::nullopt, {}, env, *cfg, "local");
    CHECK(org->url == "http://127.0.0.1:9000");
    CHECK(org->source == "AWS_ENDPOINT_URL");
    env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9002");
    CHECK(aws::resolve_endpoint(aws::service::sts, std::nullopt, {}, env, *cfg, "local")->url ==
          "http://127.0.0.1:9002");
  }
  SUBCASE("the code option wins over everything, even when ignoring") {
    env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "http://127.0.0.1:9001");
    aws::endpoint_options o;
    o.endpoint_url = "http://localhost:7000";
    o.ignore_configured_endpoint_urls = true;
    auto ce = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, o, env, *cfg, "local");
    CHECK(ce->url == "http://localhost:7000");
    CHECK(ce->overridden);
    CHECK(ce->source == "endpoint_url option");
  }
  SUBCASE("ignore switches: option, environment (wins over profile), profile") {
    aws::endpoint_options o;
    o.ignore_configured_endpoint_urls = true;
    auto a = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, o, env, *cfg, "local");
    CHECK(a->url == "https://ce.us-east-1.amazonaws.com");
    CHECK_FALSE(a->overridden);
    auto b = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "ignoring");
    CHECK(b->url == "https://ce.us-east-1.amazonaws.com");
    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    auto c = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "ignoring");
    CHECK(c->url == "https://x.example");
    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    CHECK(aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "local")->url ==
          "https://ce.us-east-1.amazonaws.com");
  }
  SUBCASE("errors name where the bad setting came from") {
    env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "ftp://example.com");
    auto bad_url = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "default");
    REQUIRE_FALSE(bad_url.has_value());
    CHECK(bad_url.code() == errc::invalid_argument);
    CHECK(bad_url.error().message.rfind("AWS_ENDPOINT_URL_COST_EXPLORER: endpoint URL 'ftp://example.com'", 0) == 0);
    env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "http:///no-host");
    CHECK(aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "default").code() ==
          errc::invalid_argument);
    env.unset("AWS_ENDPOINT_URL_COST_EXPLORER");

    auto missing = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "broken");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message ==
          "<config>:7: profile broken names services section 'missing', but there is no [services missing] "
          "section in the config file");

    auto badbool = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "badbool");
    REQUIRE_FALSE(badbool.has_value());
    CHECK(badbool.error().message ==
          "<config>:12: ignore_configured_endpoint_urls must be 'true' or 'false', not 'maybe'");

    env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "1");
    CHECK(aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "default")
              .error()
              .message == "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be 'true' or 'false', not '1'");
  }
  SUBCASE("FIPS and dual-stack from code, environment and profile") {
    auto f = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "fips");
    CHECK(f->url == "https://ce-fips.us-east-1.amazonaws.com");
    env.set("AWS_USE_FIPS_ENDPOINT", "false");
    CHECK(aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, {}, env, *cfg, "fips")->url ==
          "https://ce.us-east-1.amazonaws.com");
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "true");
    CHECK(aws::resolve_endpoint(aws::service::sts, std::string_view("eu-west-1"), {}, env, *cfg, "default")->url ==
          "https://sts.eu-west-1.api.aws");
    aws::endpoint_options o;
    o.use_fips = true;
    o.use_dual_stack = false;
    CHECK(aws::resolve_endpoint(aws::service::organizations, std::string_view("us-gov-east-1"), o, env, *cfg,
                                "default")
              ->url == "https://organizations.us-gov-west-1.amazonaws.com");
    // A configured URL cannot be combined with FIPS (rule-set error), and the
    // message says where the URL came from.
    env.set("AWS_USE_DUALSTACK_ENDPOINT", "false");
    auto clash = aws::resolve_endpoint(aws::service::cost_explorer, std::nullopt, o, env, *cfg, "local");
    REQUIRE_FALSE(clash.has_value());
    CHECK(clash.error().message.rfind("Invalid Configuration: FIPS and custom endpoint are not supported", 0) == 0);
    CHECK(clash.error().message.find("came from [services sim] cost_explorer.endpoint_url") != std::string::npos);
  }
}
