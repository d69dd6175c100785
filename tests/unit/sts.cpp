// sts::sts_client through real libcurl against the in-process simulator:
// GetCallerIdentity for long-term and temporary keys, and the errors of a
// wrong secret and an unknown key (never echoing the secret).
#include "finops_crawler/aws/sts/sts.hpp"

#include "sim_test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <string>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using sim_test::has;

// STS is regional: the simulator accepts any region, the client signs for eu-west-1.
aws::client_options options_for(const sim::simulator& s, std::string key_id, std::string secret,
                                 std::string token = {}) {
  aws::client_options o = sim_test::client_options(aws::sts_api, s.endpoint_url(), 3, "eu-west-1");
  auto c = aws::credentials::make(std::move(key_id), std::move(secret), std::move(token));
  REQUIRE(c);
  o.creds = *c;
  return o;
}

const char* const member_key = "AKIAMEMBEREXAMPLE001";
const char* const member_secret = "memberSecretKey00000000000000000000000000";
const char* const temp_key = "ASIATEMPORARYEXAMPL1";
const char* const temp_secret = "temporarySecretKey0000000000000000000000";
const char* const temp_token = "FQoGZXIvYXdzEXAMPLEsessiontoken000000000000";

struct sim_fixture : sim_test::running_simulator {
  sim_fixture() : running_simulator(make_options()) {}
  static sim::options make_options() {
    sim::options o;
    o.data.seed = 3;
    o.data.account_count = 4;
    o.data.start_date = "2024-01-01";
    o.data.days = 2;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    o.region = "";  // any region
    sim::credential def{std::string(sim::default_access_key_id), std::string(sim::default_secret_access_key), "",
                        false, ""};
    // The member account is set below, once the data set (and its ids) exists.
    sim::credential member{member_key, member_secret, "", false, ""};
    sim::credential temp{temp_key, temp_secret, temp_token, false, ""};
    auto ds = sim::data_set::make(o.data);
    REQUIRE(ds);
    member.account_id = ds->accounts()[2].id;
    o.credentials = {def, member, temp};
    return o;
  }
};

}  // namespace

TEST_CASE("GetCallerIdentity: account, ARN and user id") {
  sim_fixture f;
  sts::sts_client sts{aws::json_client(options_for(f.sim, std::string(sim::default_access_key_id),
                                                   std::string(sim::default_secret_access_key)))};
  auto who = sts.get_caller_identity();
  REQUIRE_MESSAGE(who, who.error().describe());
  CHECK(who->account == f.sim.data().accounts()[0].id);
  CHECK(who->arn == "arn:aws:iam::" + who->account + ":user/finops-sim");
  CHECK(who->user_id.rfind("AIDA", 0) == 0);
  CHECK_FALSE(who->request_id.empty());
  CHECK(sts.counters().requests_sent == 1);
  CHECK(sts.counters().billable_requests == 0);
}

TEST_CASE("GetCallerIdentity names the account the key belongs to") {
  sim_fixture f;
  sts::sts_client sts{aws::json_client(options_for(f.sim, member_key, member_secret))};
  auto who = sts.get_caller_identity();
  REQUIRE_MESSAGE(who, who.error().describe());
  CHECK(who->account == f.sim.data().accounts()[2].id);
}

TEST_CASE("temporary credentials: the session token is sent and the role session reported") {
  sim_fixture f;
  sts::sts_client sts{aws::json_client(options_for(f.sim, temp_key, temp_secret, temp_token))};
  auto who = sts.get_caller_identity();
  REQUIRE_MESSAGE(who, who.error().describe());
  CHECK(has(who->arn, ":assumed-role/"));
  CHECK(who->user_id.rfind("AROA", 0) == 0);

  // Without the token the same keys are refused.
  sts::sts_client no_token{aws::json_client(options_for(f.sim, temp_key, temp_secret))};
  auto refused = no_token.get_caller_identity();
  REQUIRE_FALSE(refused);
  CHECK(refused.code() == errc::aws_error);
}

TEST_CASE("a wrong secret and an unknown key are clear errors without the secret") {
  sim_fixture f;
  const std::string wrong = "wrongSecretKey0000000000000000000000000000";
  sts::sts_client bad{aws::json_client(options_for(f.sim, std::string(sim::default_access_key_id), wrong))};
  auto r = bad.get_caller_identity();
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::aws_error);
  CHECK(r.error().aws_code == "SignatureDoesNotMatch");
  CHECK(r.error().http_status == 403);
  CHECK_FALSE(has(r.error().describe(), wrong));

  sts::sts_client unknown{aws::json_client(options_for(f.sim, "AKIAUNKNOWNEXAMPLE01", wrong))};
  auto u = unknown.get_caller_identity();
  REQUIRE_FALSE(u);
  CHECK(u.error().aws_code == "InvalidClientTokenId");
  CHECK(has(u.error().message, "AWS_ACCESS_KEY_ID"));
  CHECK_FALSE(has(u.error().describe(), wrong));
}

TEST_CASE("a client made for another service is refused before sending") {
  sim_fixture f;
  aws::client_options o = options_for(f.sim, std::string(sim::default_access_key_id),
                                      std::string(sim::default_secret_access_key));
  o.service = aws::cost_explorer_api;
  sts::sts_client sts{aws::json_client(std::move(o))};
  CHECK(sts.get_caller_identity().code() == errc::invalid_argument);
  CHECK(f.sim.stats().requests == 0);
}

TEST_CASE("a GetCallerIdentity reply with its elements twice is retried, then refused naming the element") {
  sim_fixture f;
  sts::sts_client sts{aws::json_client(options_for(f.sim, std::string(sim::default_access_key_id),
                                                   std::string(sim::default_secret_access_key)))};
  f.sim.script_faults(sim::fault::duplicate_key, 2);
  auto who = sts.get_caller_identity();  // 3 attempts
  REQUIRE_MESSAGE(who, who.error().describe());
  CHECK(who->account == f.sim.data().accounts()[0].id);
  CHECK(sts.counters().retries == 2);
  CHECK(f.sim.stats().faults[static_cast<std::size_t>(sim::fault::duplicate_key)] == 2);

  f.sim.script_faults(sim::fault::duplicate_key, 3);
  who = sts.get_caller_identity();
  REQUIRE_FALSE(who);
  CHECK(who.code() == errc::unexpected_shape);
  CHECK_MESSAGE(has(who.error().message, "appears twice in <GetCallerIdentityResult>"), who.error().message);
  CHECK_MESSAGE(has(who.error().message, "gave up after 3 attempts"), who.error().message);
  CHECK_FALSE(who.error().request_id.empty());
}
