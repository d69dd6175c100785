// Tests for finops_crawler/aws/providers/container_provider.hpp: the URL and
// host rules (pure), and the provider against the container double
// (tools/ce-simulator/credential_doubles.hpp) through real libcurl on
// 127.0.0.1: success, the authorization token and its file (re-read),
// refresh, malformed, slow and refused replies, and the keys signing the
// next Cost Explorer request.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "credential_doubles_support.hpp"
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/providers/container_provider.hpp"

using namespace creds_test;
using std::chrono::seconds;

TEST_CASE("container: which hosts plain http may reach") {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "169.254.170.2", "169.254.170.23",
                        "fd00:ec2::23"})
    CHECK_MESSAGE(aws::detail::is_allowed_container_http_host(h), h);
  for (const char* h : {"169.254.169.254", "10.0.0.1", "127.0.0", "127.0.0.1.evil.example", "127.256.0.1",
                        "example.com", "fd00:ec2::254", ""})
    CHECK_MESSAGE(!aws::detail::is_allowed_container_http_host(h), h);
  CHECK(aws::detail::url_host("http://[fd00:ec2::23]:80/creds") == "fd00:ec2::23");
  CHECK(aws::detail::url_host("https://user@example.com:8443/x?y") == "example.com");
  CHECK(aws::detail::url_host("http://127.0.0.1:1234") == "127.0.0.1");
}

TEST_CASE("container: settings from the environment") {
  SUBCASE("relative URI on the ECS agent, first") {
    aws::map_environment env{{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
                             {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/x"}};
    auto s = aws::detail::container_settings_from(env);
    REQUIRE(s);
    CHECK(s->url == "http://169.254.170.2/v2/credentials/abc");
    CHECK(s->via == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  }
  SUBCASE("full URI: https anywhere, http only to loopback and the link-local agents") {
    aws::map_environment env{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://creds.example.com/role"}};
    CHECK(aws::detail::container_settings_from(env));
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials");
    CHECK(aws::detail::container_settings_from(env));
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://[fd00:ec2::23]/v1/credentials");
    CHECK(aws::detail::container_settings_from(env));
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://203.0.113.9/creds");
    auto bad = aws::detail::container_settings_from(env);
    REQUIRE_FALSE(bad);
    CHECK(sim_test::has(bad.error().message, "plain http is allowed only to a loopback address"));
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://127.0.0.1/creds");
    CHECK_FALSE(aws::detail::container_settings_from(env));
  }
  SUBCASE("the token file wins over the token; a token with a line break is refused") {
    aws::map_environment env{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds"},
                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"},
                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token"}};
    auto s = aws::detail::container_settings_from(env);
    REQUIRE(s);
    CHECK(s->authorization_token_file == "/var/run/token");
    CHECK(s->authorization_token.empty());
    env.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "abc\r\nX-Evil: 1");
    auto crlf = aws::detail::container_settings_from(env);
    REQUIRE_FALSE(crlf);
    CHECK_FALSE(sim_test::has(crlf.error().message, "X-Evil"));
  }
  SUBCASE("the factory declines when nothing is set") {
    aws::map_environment env;
    const aws::shared_config none;
    auto r = aws::container_factory(context(env, none));
    REQUIRE(r);
    CHECK(r->provider == nullptr);
    CHECK(sim_test::has(r->declined, "AWS_CONTAINER_CREDENTIALS_FULL_URI"));
  }
}

TEST_CASE("container: against the double") {
  world w;
  const aws::shared_config none;
  aws::map_environment env{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", w.doubles->container_url()},
                           {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "finops-sim-container-token"}};
  const auto now = std::chrono::system_clock::now();
  SUBCASE("success, the token sent, the keys sign Cost Explorer") {
    auto r = aws::container_factory(context(env, none));
    REQUIRE(r);
    REQUIRE(r->provider);
    CHECK(r->provider->name() == "container (" + w.doubles->container_url() + " from AWS_CONTAINER_CREDENTIALS_FULL_URI)");
    auto c = r->provider->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(w.is_last_issued(*c));
    CHECK(c->expiry().has_value());
    CHECK(w.doubles->last_request(sim::double_service::container)["authorization"] == "finops-sim-container-token");
    CHECK(w.signs_cost_explorer(*c));
  }
  SUBCASE("refreshed inside the margin on an injected clock") {
    w.doubles->set_lifetime(seconds(600));
    auto made = aws::refreshing_credentials::make(std::move(aws::container_factory(context(env, none))->provider));
    REQUIRE(made);
    auto a = (*made)->current(now);
    REQUIRE(a);
    const std::string first(a->get().access_key_id());
    auto b = (*made)->current(now + seconds(400));
    REQUIRE(b);
    CHECK(b->get().access_key_id() != first);
    CHECK(w.doubles->requests(sim::double_service::container) == 2);
    CHECK(w.signs_cost_explorer(b->get()));
  }
  SUBCASE("the token file is read at every fetch") {
    temp_dir dir;
    const std::string file = dir.write("token", "finops-sim-container-token\n");
    env.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file);
    auto p = std::move(aws::container_factory(context(env, none))->provider);
    REQUIRE(p);
    CHECK(p->fetch(now));
    dir.write("token", "wrong-container-token");
    auto refused = p->fetch(now);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == fc::errc::no_credentials);
    CHECK(refused.error().http_status == 403);
    CHECK_FALSE(sim_test::has(refused.error().describe(), "wrong-container-token"));
    std::remove(file.c_str());
    auto missing = p->fetch(now);
    REQUIRE_FALSE(missing);
    CHECK(sim_test::has(missing.error().message, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" + file + "'"));
  }
  SUBCASE("wrong token: refused once, not retried") {
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-token");
    auto c = aws::container_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().http_status == 403);
    CHECK(w.doubles->requests(sim::double_service::container) == 1);
    CHECK_FALSE(sim_test::has(c.error().describe(), "not-the-token"));
  }
  SUBCASE("malformed") {
    w.doubles->set_fault(sim::double_service::container, sim::double_fault::malformed);
    auto c = aws::container_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::bad_json);
    CHECK(holds_no_secret(w, c.error().describe(), {"finops-sim-container-token"}));
  }
  SUBCASE("slow: the request timeout ends it") {
    w.doubles->set_fault(sim::double_service::container, sim::double_fault::slow);
    auto s = aws::detail::container_settings_from(env);
    REQUIRE(s);
    s->curl.request_timeout_ms = 300;
    s->max_attempts = 1;
    aws::container_provider p(std::move(*s));
    const auto start = std::chrono::steady_clock::now();
    auto c = p.fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::transport);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1400));
  }
  SUBCASE("refused by the endpoint") {
    w.doubles->set_fault(sim::double_service::container, sim::double_fault::refuse);
    auto c = aws::container_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::no_credentials);
  }
}

TEST_CASE("container: the relative URI is appended to the agent's address and fetched (the double stands in for it)") {
  // ECS with the relative URI needs no authorization token; the agent's
  // address (169.254.170.2) is replaced by the double's, never contacted.
  sim::doubles_options d;
  d.container_token.clear();
  world w(d);
  aws::map_environment env{{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/finops-sim-task"}};
  auto production = aws::detail::container_settings_from(env);
  REQUIRE(production);
  CHECK(production->url == "http://169.254.170.2/v2/credentials/finops-sim-task");
  auto s = aws::detail::container_settings_from(env, w.doubles->endpoint_url());
  REQUIRE(s);
  CHECK(s->url == w.doubles->container_url());
  CHECK(s->via == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  aws::container_provider p(std::move(*s));
  CHECK(p.name() == "container (" + w.doubles->container_url() + " from AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)");
  auto c = p.fetch(std::chrono::system_clock::now());
  REQUIRE_MESSAGE(c, c.error().describe());
  CHECK(w.is_last_issued(*c));
  const auto seen = w.doubles->last_request(sim::double_service::container);
  CHECK(seen.at("path") == "/v2/credentials/finops-sim-task");
  CHECK(seen.at("authorization").empty());
  CHECK(w.signs_cost_explorer(*c));
  // A relative URI without its leading '/' would glue onto the host: refused.
  env.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "v2/credentials/x");
  CHECK_FALSE(aws::detail::container_settings_from(env, w.doubles->endpoint_url()));
}
