// aws::json_client through real libcurl against the in-process simulator on
// 127.0.0.1: signing accepted and refused, every fault survived, errors
// surfaced at once, keep-alive, the size cap, http refusal, two threads.
#include "finops_crawler/aws/json_client.hpp"
#include "sim_test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

const std::string cost_body =
    R"({"TimePeriod":{"Start":"2024-01-01","End":"2024-01-05"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";

struct sim_fixture : sim_test::running_simulator {
  explicit sim_fixture(sim::options o = default_options()) : running_simulator(std::move(o)) {}
  sim_fixture(const sim_fixture&) = delete;
  sim_fixture& operator=(const sim_fixture&) = delete;
  static sim::options default_options() {
    sim::options o;
    o.data.seed = 11;
    o.data.start_date = "2024-01-01";
    o.data.days = 10;
    o.threads = 4;
    o.keep_alive_timeout_s = 2;
    return o;
  }

  aws::client_options client(aws::api_service svc = aws::cost_explorer_api,
                             std::string_view secret = sim::default_secret_access_key,
                             std::string_view key_id = sim::default_access_key_id, std::string token = {}) {
    aws::client_options o = sim_test::client_options(svc, sim.endpoint_url(), 5);
    auto c = aws::credentials::make(std::string(key_id), std::string(secret), std::move(token));
    REQUIRE(c);
    o.creds = *c;
    o.retry.throttle_base_delay = 2ms;  // real sleeps, kept short
    o.retry.max_delay = 20ms;
    o.curl.connect_timeout_ms = 5000;
    o.curl.request_timeout_ms = 10000;
    return o;
  }
};

using sim_test::has;

}  // namespace

TEST_CASE("a signed request is accepted and returns validated JSON") {
  sim_fixture f;
  aws::json_client c(f.client());
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->status == 200);
  CHECK(has(r->body, "\"ResultsByTime\""));
  CHECK(r->header("x-amzn-requestid"));
  auto st = f.sim.stats();
  CHECK(st.requests == 1);
  CHECK(st.auth_failures == 0);
  CHECK(st.billable == 1);
  CHECK(c.counters().billable_requests == 1);
  CHECK(c.counters().requests_sent == 1);
}

TEST_CASE("Organizations and STS calls work over the same machinery") {
  sim_fixture f;
  aws::json_client org(f.client(aws::organizations_api));
  auto a = org.call("ListAccounts", "{}");
  REQUIRE_MESSAGE(a, a.error().describe());
  CHECK(has(a->body, "\"Accounts\""));
  CHECK(org.counters().billable_requests == 0);

  aws::json_client sts(f.client(aws::sts_api));
  auto id = sts.call_query("GetCallerIdentity");
  REQUIRE_MESSAGE(id, id.error().describe());
  CHECK(has(id->body, "<Account>"));
  CHECK(has(id->body, "</GetCallerIdentityResponse>"));
}

TEST_CASE("a wrong secret is refused with the right message, at once") {
  sim_fixture f;
  aws::json_client c(f.client(aws::cost_explorer_api, "wrongSecretKey0000000000000000000000000000"));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::aws_error);
  CHECK(r.error().aws_code == "InvalidSignatureException");
  CHECK(r.error().http_status == 403);
  CHECK(has(r.error().message, "AWS_SECRET_ACCESS_KEY"));
  CHECK_FALSE(r.error().request_id.empty());
  CHECK(f.sim.stats().requests == 1);
  CHECK(f.sim.stats().auth_failures == 1);

  aws::json_client sts(f.client(aws::sts_api, "wrongSecretKey0000000000000000000000000000"));
  auto s = sts.call_query("GetCallerIdentity");
  REQUIRE_FALSE(s);
  CHECK(s.error().aws_code == "SignatureDoesNotMatch");
  CHECK(has(s.error().message, "secret access key"));
}

TEST_CASE("an unknown access key is refused with the right message") {
  sim_fixture f;
  aws::json_client c(f.client(aws::cost_explorer_api, sim::default_secret_access_key, "AKIAUNKNOWNKEY000000"));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.error().aws_code == "UnrecognizedClientException");
  CHECK(has(r.error().message, "does not recognise the access key id"));
  CHECK(f.sim.stats().requests == 1);
}

TEST_CASE("every retryable fault is survived") {
  const sim::fault kinds[] = {sim::fault::throttling,   sim::fault::limit_exceeded,   sim::fault::internal_error,
                              sim::fault::unavailable,  sim::fault::connection_close, sim::fault::truncated_json};
  sim_fixture f;
  aws::json_client c(f.client());
  std::uint64_t expected_retries = 0;
  for (auto k : kinds) {
    CAPTURE(sim::fault_names[static_cast<std::size_t>(k)]);
    f.sim.script_faults(k, 2);
    auto r = c.call("GetCostAndUsage", cost_body);
    REQUIRE_MESSAGE(r, r.error().describe());
    CHECK(has(r->body, "\"ResultsByTime\""));
    expected_retries += 2;
    CHECK(c.counters().retries == expected_retries);
    CHECK(f.sim.stats().faults[static_cast<std::size_t>(k)] == 2);
  }
  CHECK(c.counters().throttles == 4);           // throttling + limit_exceeded, twice each
  CHECK(c.counters().billable_requests == 6);   // only the complete answers
}

TEST_CASE("slow and gzip-encoded replies are fine") {
  sim::options o = sim_fixture::default_options();
  o.faults.slow_ms = 50;
  sim_fixture f(o);
  aws::json_client c(f.client());
  f.sim.script_faults(sim::fault::gzip, 1);
  auto g = c.call("GetCostAndUsage", cost_body);
  REQUIRE_MESSAGE(g, g.error().describe());
  CHECK(has(g->body, "\"ResultsByTime\""));  // decoded by libcurl
  f.sim.script_faults(sim::fault::slow, 1);
  auto s = c.call("GetCostAndUsage", cost_body);
  REQUIRE_MESSAGE(s, s.error().describe());
  auto st = f.sim.stats();
  CHECK(st.faults[static_cast<std::size_t>(sim::fault::slow)] == 1);
  CHECK(c.counters().retries == 0);
}

TEST_CASE("a fault outlasting the attempt limit ends with the attempt count") {
  sim_fixture f;
  auto o = f.client();
  o.retry.max_attempts = 3;
  aws::json_client c(std::move(o));
  f.sim.script_faults(sim::fault::throttling, 3);
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::throttled);
  CHECK(has(r.error().message, "gave up after 3 attempts"));
  CHECK(f.sim.stats().requests == 3);
  f.sim.clear_script();

  f.sim.script_faults(sim::fault::unavailable, 3);
  auto u = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(u);
  CHECK(u.error().http_status == 503);
  CHECK(has(u.error().message, "503 Service Temporarily Unavailable"));
  f.sim.clear_script();

  f.sim.script_faults(sim::fault::truncated_json, 3);
  auto t = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(t);
  CHECK(t.code() == errc::bad_json);
  f.sim.clear_script();

  f.sim.script_faults(sim::fault::connection_close, 3);
  auto x = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(x);
  CHECK(x.code() == errc::transport);
  CHECK(x.error().curl_code != 0);
  f.sim.clear_script();
}

TEST_CASE("non-retryable errors surface at once with their message") {
  SUBCASE("ValidationException") {
    sim_fixture f;
    aws::json_client c(f.client());
    auto r = c.call("GetCostAndUsage", R"({"Granularity":"DAILY","Metrics":["UnblendedCost"]})");
    REQUIRE_FALSE(r);
    CHECK(r.error().aws_code == "ValidationException");
    CHECK(has(r.error().message, "AWS rejected the request as invalid: "));
    CHECK(has(r.error().message, "timePeriod"));
    CHECK(f.sim.stats().requests == 1);
  }
  SUBCASE("qualified error types are stripped") {
    sim::options o = sim_fixture::default_options();
    o.qualified_error_types = true;
    sim_fixture f(o);
    aws::json_client c(f.client());
    auto r = c.call("GetCostAndUsage", R"({"Granularity":"DAILY","Metrics":["UnblendedCost"]})");
    REQUIRE_FALSE(r);
    CHECK(r.error().aws_code == "ValidationException");
    f.sim.script_faults(sim::fault::throttling, 1);
    REQUIRE(c.call("GetCostAndUsage", cost_body));  // the qualified throttling code is still retried
    CHECK(c.counters().throttles == 1);
  }
  SUBCASE("ExpiredTokenException") {
    sim::options o = sim_fixture::default_options();
    o.credentials.push_back(sim::credential{"AKIAEXPIREDKEY000000", "expiredSecret000000000000000000000000000",
                                            "session-token-value", true, ""});
    sim_fixture f(o);
    aws::json_client c(f.client(aws::cost_explorer_api, "expiredSecret000000000000000000000000000",
                                "AKIAEXPIREDKEY000000", "session-token-value"));
    auto r = c.call("GetCostAndUsage", cost_body);
    REQUIRE_FALSE(r);
    CHECK(r.error().aws_code == "ExpiredTokenException");
    CHECK(has(r.error().message, "session token has expired"));
    CHECK_FALSE(has(r.error().describe(), "session-token-value"));
    CHECK(f.sim.stats().requests == 1);
  }
  SUBCASE("a session token is sent and accepted") {
    sim::options o = sim_fixture::default_options();
    o.credentials.push_back(sim::credential{"AKIATOKENKEY00000000", "tokenSecret00000000000000000000000000000",
                                            "the-session-token", false, ""});
    sim_fixture f(o);
    aws::json_client c(f.client(aws::cost_explorer_api, "tokenSecret00000000000000000000000000000",
                                "AKIATOKENKEY00000000", "the-session-token"));
    auto r = c.call("GetCostAndUsage", cost_body);
    CHECK_MESSAGE(r, r.error().describe());
  }
  SUBCASE("AWSOrganizationsNotInUseException") {
    sim::options o = sim_fixture::default_options();
    o.not_in_organization = true;
    sim_fixture f(o);
    aws::json_client c(f.client(aws::organizations_api));
    auto r = c.call("ListAccounts", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::not_in_organization);
    CHECK(f.sim.stats().requests == 1);
  }
}

TEST_CASE("keep-alive: many requests over one connection (libcurl's counters)") {
  sim_fixture f;
  aws::json_client c(f.client());
  for (int i = 0; i < 50; ++i) {
    auto r = c.call("GetCostAndUsage", cost_body);
    REQUIRE_MESSAGE(r, r.error().describe());
  }
  CHECK(c.transfer_counters().transfers == 50);
  CHECK(c.transfer_counters().connections == 1);
  CHECK(f.sim.stats().connections == 1);
  CHECK(c.counters().billable_requests == 50);
}

TEST_CASE("a response over the size cap fails cleanly and is not retried") {
  sim_fixture f;
  auto o = f.client();
  o.curl.max_response_bytes = 200;
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::response_too_large);
  CHECK(has(r.error().message, "200-byte cap"));
  CHECK(f.sim.stats().requests == 1);
  // The client stays usable (a fresh connection is opened if needed).
  CHECK(c.call("GetCostAndUsage", cost_body).code() == errc::response_too_large);
}

TEST_CASE("http to a non-overridden endpoint is refused before connecting") {
  sim_fixture f;
  auto o = f.client();
  o.target.overridden = false;
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(has(r.error().message, "refusing plain-http URL"));
  CHECK(c.transfer_counters().connections == 0);
  CHECK(f.sim.stats().connections == 0);
  CHECK(f.sim.stats().requests == 0);
}

TEST_CASE("separate clients work in parallel threads") {
  sim_fixture f;
  constexpr int per_thread = 30;
  struct outcome {
    int ok = 0;
    std::string first_error;
    std::uint64_t connections = 0;
  };
  outcome a;
  outcome b;
  auto work = [&f](outcome* out, aws::api_service svc) {
    aws::json_client c(f.client(svc));
    for (int i = 0; i < per_thread; ++i) {
      auto r = svc.id == aws::service::sts ? c.call_query("GetCallerIdentity") : c.call("GetCostAndUsage", cost_body);
      if (r) ++out->ok;
      else if (out->first_error.empty()) out->first_error = r.error().describe();
    }
    out->connections = c.transfer_counters().connections;
  };
  // REQUIRE must not run off the main thread; f.client() only REQUIREs on
  // credentials::make, which cannot fail for these fixed keys.
  std::thread t1(work, &a, aws::cost_explorer_api);
  std::thread t2(work, &b, aws::sts_api);
  t1.join();
  t2.join();
  CHECK_MESSAGE(a.ok == per_thread, a.first_error);
  CHECK_MESSAGE(b.ok == per_thread, b.first_error);
  CHECK(a.connections == 1);
  CHECK(b.connections == 1);
  CHECK(f.sim.stats().requests == 2 * per_thread);
  CHECK(f.sim.stats().connections == 2);
}
