// Tests for finops_crawler/aws/providers/imds_provider.hpp: its settings
// (endpoint, mode, timeout, attempts, the disable switch) and the IMDSv2
// flow against the double (tools/ce-simulator/credential_doubles.hpp)
// through real libcurl on 127.0.0.1: token PUT with a TTL, role name,
// credentials, refresh, the session token kept across refreshes until its
// TTL is near and replaced once when refused, malformed, slow and refused
// replies, a request without the session token refused, and the keys
// signing Cost Explorer.

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "credential_doubles_support.hpp"
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/providers/imds_provider.hpp"
#include "finops_crawler/http/curl_transport.hpp"

using namespace creds_test;
using std::chrono::seconds;

TEST_CASE("imds: settings from the environment and the profile") {
  auto files = aws::shared_config::from_strings(
      "[profile ec2]\nec2_metadata_service_endpoint = http://127.0.0.1:9/\nmetadata_service_timeout = 3\n"
      "[profile v6]\nec2_metadata_service_endpoint_mode = IPv6\n[profile odd]\n"
      "ec2_metadata_service_endpoint_mode = IPv5\n",
      "");
  REQUIRE(files);
  aws::map_environment env;
  SUBCASE("defaults: IPv4 link-local, 1 s, one attempt") {
    auto s = aws::detail::imds_settings_from(context(env, *files));
    REQUIRE(s);
    CHECK(s->endpoint == "http://169.254.169.254");
    CHECK(s->timeout == std::chrono::milliseconds(1000));
    CHECK(s->max_attempts == 1);
  }
  SUBCASE("the profile's endpoint and timeout; the environment wins") {
    auto s = aws::detail::imds_settings_from(context(env, *files, "ec2"));
    REQUIRE(s);
    CHECK(s->endpoint == "http://127.0.0.1:9");
    CHECK(s->timeout == seconds(3));
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.2:8");
    env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2");
    auto e = aws::detail::imds_settings_from(context(env, *files, "ec2"));
    REQUIRE(e);
    CHECK(e->endpoint == "http://127.0.0.2:8");
    CHECK(e->max_attempts == 2);
  }
  SUBCASE("IPv6 mode, a bad mode, a bad timeout") {
    CHECK(aws::detail::imds_settings_from(context(env, *files, "v6"))->endpoint == "http://[fd00:ec2::254]");
    auto odd = aws::detail::imds_settings_from(context(env, *files, "odd"));
    REQUIRE_FALSE(odd);
    CHECK(sim_test::has(odd.error().message, "IPv4 or IPv6"));
    env.set("AWS_METADATA_SERVICE_TIMEOUT", "soon");
    CHECK_FALSE(aws::detail::imds_settings_from(context(env, *files)));
  }
  SUBCASE("AWS_EC2_METADATA_DISABLED: the factory declines") {
    env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
    auto r = aws::imds_factory(context(env, *files));
    REQUIRE(r);
    CHECK(r->provider == nullptr);
    CHECK(r->declined == "AWS_EC2_METADATA_DISABLED is true");
    CHECK_FALSE(aws::detail::make_imds_provider(context(env, *files)));
  }
}

TEST_CASE("imds: IMDSv2 against the double") {
  world w;
  const aws::shared_config none;
  aws::map_environment env{{"AWS_EC2_METADATA_SERVICE_ENDPOINT", w.doubles->endpoint_url()}};
  const auto now = std::chrono::system_clock::now();
  SUBCASE("token, role, credentials; the keys sign Cost Explorer") {
    auto r = aws::imds_factory(context(env, none));
    REQUIRE(r);
    REQUIRE(r->provider);
    CHECK(r->provider->name() == "imds (" + w.doubles->endpoint_url() + ")");
    auto c = r->provider->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(w.is_last_issued(*c));
    CHECK(sim_test::has(c->source(), "role finops-sim-instance-role"));
    CHECK(w.signs_cost_explorer(*c));
    // token PUT, role name, credentials
    CHECK(w.doubles->requests(sim::double_service::imds) == 3);
    CHECK(w.doubles->last_request(sim::double_service::imds)["path"] ==
          "/latest/meta-data/iam/security-credentials/finops-sim-instance-role");
  }
  SUBCASE("a request without the session token is refused (401)") {
    fc::http::curl_options o;
    o.allow_http = true;
    fc::http::curl_transport t(o);
    fc::http::http_request req;
    req.method = "GET";
    req.url = w.doubles->endpoint_url() + "/latest/meta-data/iam/security-credentials/";
    auto r = t.send(req);
    REQUIRE(r);
    CHECK(r->status == 401);
    req.method = "PUT";
    req.url = w.doubles->endpoint_url() + "/latest/api/token";
    auto no_ttl = t.send(req);
    REQUIRE(no_ttl);
    CHECK(no_ttl->status == 400);
  }
  SUBCASE("refreshed inside the margin on an injected clock") {
    w.doubles->set_lifetime(seconds(600));
    auto made = aws::refreshing_credentials::make(std::move(aws::imds_factory(context(env, none))->provider));
    REQUIRE(made);
    auto a = (*made)->current(now);
    REQUIRE(a);
    const std::string first(a->get().access_key_id());
    auto same = (*made)->current(now + seconds(200));
    REQUIRE(same);
    CHECK(same->get().access_key_id() == first);
    auto b = (*made)->current(now + seconds(400));
    REQUIRE(b);
    CHECK(b->get().access_key_id() != first);
    CHECK(w.signs_cost_explorer(b->get()));
  }
  SUBCASE("the session token is kept across refreshes until its TTL is near") {
    w.doubles->set_lifetime(seconds(600));
    auto made = aws::refreshing_credentials::make(std::move(aws::imds_factory(context(env, none))->provider));
    REQUIRE(made);
    auto a = (*made)->current(now);
    REQUIRE_MESSAGE(a, a.error().describe());
    const std::string first(a->get().access_key_id());
    CHECK(w.doubles->imds_token_requests() == 1);
    auto b = (*made)->current(now + seconds(400));  // inside the margin: refreshed
    REQUIRE_MESSAGE(b, b.error().describe());
    CHECK(b->get().access_key_id() != first);
    CHECK(w.signs_cost_explorer(b->get()));
    CHECK(w.doubles->imds_token_requests() == 1);         // the same token
    CHECK(w.doubles->requests(sim::double_service::imds) == 5);  // 1 PUT, then 2 + 2 GETs
    CHECK((*made)->fetch_count() == 2);
  }
  SUBCASE("a new token 120 s before the TTL ends (the shorter TTL the server answers with)") {
    auto s = aws::detail::imds_settings_from(context(env, none));
    REQUIRE(s);
    s->token_ttl_seconds = 300;
    aws::imds_provider p(std::move(*s));
    REQUIRE(p.fetch(now));
    CHECK(w.doubles->imds_token_requests() == 1);
    CHECK(w.doubles->last_request(sim::double_service::imds).count("x-aws-ec2-metadata-token") == 1);
    REQUIRE(p.fetch(now + seconds(179)));  // 121 s left: kept
    CHECK(w.doubles->imds_token_requests() == 1);
    REQUIRE(p.fetch(now + seconds(180)));  // 120 s left: replaced
    CHECK(w.doubles->imds_token_requests() == 2);
    REQUIRE(p.fetch(now + seconds(181)));
    CHECK(w.doubles->imds_token_requests() == 2);
    CHECK(w.doubles->requests(sim::double_service::imds) == 2 + 4 * 2);
  }
  SUBCASE("a kept token refused with 401 (the service restarted): one new token, the requests again") {
    aws::imds_provider p(*aws::detail::imds_settings_from(context(env, none)));
    REQUIRE(p.fetch(now));
    w.doubles->revoke_imds_tokens();
    auto c = p.fetch(now + seconds(60));
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(w.is_last_issued(*c));
    CHECK(w.doubles->imds_token_requests() == 2);
    // 3, then the refused role GET, then PUT and 2 GETs
    CHECK(w.doubles->requests(sim::double_service::imds) == 3 + 1 + 3);
    // The kept token refused (401), then the new token's PUT too (403):
    // that error, after one new token, no loop.
    w.doubles->set_fault(sim::double_service::imds, sim::double_fault::refuse);
    auto r = p.fetch(now + seconds(120));
    REQUIRE_FALSE(r);
    CHECK(r.error().http_status == 403);
    CHECK(w.doubles->imds_token_requests() == 3);
    CHECK(holds_no_secret(w, r.error().describe()));
  }
  SUBCASE("malformed") {
    w.doubles->set_fault(sim::double_service::imds, sim::double_fault::malformed);
    auto c = aws::imds_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::bad_json);
    CHECK(holds_no_secret(w, c.error().describe()));
  }
  SUBCASE("slow: one attempt within the timeout") {
    w.doubles->set_fault(sim::double_service::imds, sim::double_fault::slow);
    env.set("AWS_METADATA_SERVICE_TIMEOUT", "1");
    const auto start = std::chrono::steady_clock::now();
    auto c = aws::imds_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::no_credentials);
    CHECK(c.error().curl_code != 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1450));
    CHECK(w.doubles->requests(sim::double_service::imds) == 1);
  }
  SUBCASE("refused") {
    w.doubles->set_fault(sim::double_service::imds, sim::double_fault::refuse);
    auto c = aws::imds_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::no_credentials);
    CHECK(c.error().http_status == 403);
  }
  SUBCASE("nothing listening: fails fast") {
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    const auto start = std::chrono::steady_clock::now();
    auto c = aws::imds_factory(context(env, none))->provider->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::no_credentials);
    CHECK(sim_test::has(c.error().message, "not on EC2?"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1200));
  }
}
