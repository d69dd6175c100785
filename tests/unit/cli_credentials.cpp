// End to end through real libcurl on 127.0.0.1: with only AWS_PROFILE and a
// config file (plus the SSO token cache), `finops-crawler costs` and
// `whoami` run on credentials from an SSO profile (the simulator's SSO
// portal and SSO-OIDC doubles) and from a credential_process profile, and
// the simulator's Cost Explorer checks that the request was signed with the
// temporary keys the provider handed out. Also aws::session directly, and a
// check of every output for the secrets.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli_test_support.hpp"
#include "credential_doubles.hpp"
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/providers/sso_provider.hpp"
#include "finops_crawler/aws/session.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);

sim::options sim_data() {
  sim::options o;
  o.data.seed = 11;
  o.data.account_count = 2;
  o.data.start_date = "2025-03-01";
  o.data.days = 20;
  return o;
}

void write(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string iso_in(std::chrono::seconds from_now) {
  return aws::detail::iso8601_utc(std::chrono::system_clock::now() + from_now);
}

// Every secret a test handed out or cached; outputs must hold none.
void check_no_secret(const std::vector<std::string>& secrets, const std::string& text) {
  for (const auto& s : secrets)
    if (!s.empty()) CHECK_MESSAGE(text.find(s) == std::string::npos, "a secret appears in: ", text);
}

// The simulator with the credential doubles, both on 127.0.0.1.
struct world {
  std::shared_ptr<sim::credential_doubles> doubles;
  std::unique_ptr<sim::simulator> server;
  std::string home = make_temp_dir();
  aws::map_environment env;

  explicit world(sim::options o = sim_data(), sim::doubles_options d = {}) {
    doubles = std::make_shared<sim::credential_doubles>(std::move(d));
    o.extension = doubles;
    server = std::make_unique<sim::simulator>(std::move(o));
    REQUIRE(server->start());
    REQUIRE(doubles->start());
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    env.set("HOME", home);
    env.set("AWS_CONFIG_FILE", home + "/config");
    env.set("AWS_SHARED_CREDENTIALS_FILE", home + "/no-credentials-file");
    env.set("AWS_EC2_METADATA_DISABLED", "true");  // never 169.254.169.254 from a test
    // Where the services are: the simulator for Cost Explorer and STS, the
    // doubles' listener for the SSO portal and SSO-OIDC.
    env.set("AWS_ENDPOINT_URL", server->endpoint_url());
    env.set("AWS_ENDPOINT_URL_SSO", doubles->endpoint_url());
    env.set("AWS_ENDPOINT_URL_SSO_OIDC", doubles->endpoint_url());
  }
  ~world() {
    doubles->stop();
    server->stop();
  }
  void write_sso_cache(const std::string& key, const std::string& json) {
    ::mkdir((home + "/.aws").c_str(), 0700);
    ::mkdir((home + "/.aws/sso").c_str(), 0700);
    ::mkdir((home + "/.aws/sso/cache").c_str(), 0700);
    write(home + "/.aws/sso/cache/" + aws::sha1_hex(key) + ".json", json);
  }
  std::vector<std::string> secrets() const {
    std::vector<std::string> s{"finops-sim-sso-access-token", "finops-sim-client-secret", "finops-sim-refresh-token"};
    for (const auto& c : doubles->issued()) {
      s.push_back(c.secret_access_key);
      s.push_back(c.session_token);
    }
    return s;
  }
};

const char* const sso_profiles =
    "[profile dev]\n"
    "sso_session = my-sso\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = FinOpsRead\n"
    "[sso-session my-sso]\n"
    "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = us-east-1\n";

std::string sso_cache(const std::string& expires_at) {
  return R"({"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1",)"
         R"("accessToken":"finops-sim-sso-access-token","expiresAt":")" +
         expires_at +
         R"(","clientId":"finops-sim-client-id","clientSecret":"finops-sim-client-secret",)"
         R"("refreshToken":"finops-sim-refresh-token","registrationExpiresAt":")" +
         iso_in(std::chrono::hours(24 * 80)) + "\"}";
}

}  // namespace

TEST_CASE("costs with only AWS_PROFILE naming an SSO profile: signed with the keys the SSO portal issued") {
  world w;
  write(w.home + "/config", sso_profiles);
  w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::hours(8))));
  w.env.set("AWS_PROFILE", "dev");
  auto ctx = test_context(w.env, today);
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05", "--format", "csv"}, ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("period_start") != std::string::npos);
  const auto issued = w.doubles->issued();
  REQUIRE(issued.size() == 1);
  CHECK(issued[0].by == sim::double_service::sso_portal);
  CHECK(w.doubles->uses(issued[0].access_key_id, "ce") >= 1);
  const auto q = w.doubles->last_request(sim::double_service::sso_portal);
  CHECK(q.at("account_id") == "111122223333");
  CHECK(q.at("role_name") == "FinOpsRead");
  CHECK(w.doubles->requests(sim::double_service::sso_oidc) == 0);  // 8 h left: no refresh
  check_no_secret(w.secrets(), r.out + r.err);

  // whoami names the provider and the expiry.
  auto who = run({"whoami", "--format", "csv"}, ctx);
  INFO(who.err);
  REQUIRE(who.code == 0);
  CHECK(who.out.find("sso (profile dev, session my-sso)") != std::string::npos);
  CHECK(who.out.find("refreshed before then") != std::string::npos);
  CHECK(who.out.find("account,arn,user_id,provider,expires,credentials") == 0);
  check_no_secret(w.secrets(), who.out + who.err);
}

TEST_CASE("an SSO token with less than 15 minutes left is refreshed through SSO-OIDC before GetRoleCredentials") {
  world w;
  write(w.home + "/config", sso_profiles);
  w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::minutes(5))));
  aws::session_options o;
  o.env = &w.env;
  o.profile = "dev";
  auto s = aws::session::open(std::move(o));
  REQUIRE_MESSAGE(s, s.error().describe());
  CHECK(s->credential_kind() == "sso");
  CHECK(s->credential_source()->provider_name() == "sso (profile dev, session my-sso)");
  CHECK(w.doubles->requests(sim::double_service::sso_oidc) == 1);
  const std::string cache = slurp(w.home + "/.aws/sso/cache/" + aws::sha1_hex("my-sso") + ".json");
  CHECK(cache.find("\"accessToken\":\"finops-sim-sso-access-token\"") == std::string::npos);  // replaced
  struct stat st {};
  REQUIRE(::stat((w.home + "/.aws/sso/cache/" + aws::sha1_hex("my-sso") + ".json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto ce = s->client(aws::cost_explorer_api);
  REQUIRE(ce);
  auto reply = ce->call("GetDimensionValues",
                        R"({"TimePeriod":{"Start":"2025-03-01","End":"2025-03-03"},"Dimension":"SERVICE"})");
  REQUIRE_MESSAGE(reply, reply.error().describe());
  const auto issued = w.doubles->issued();
  REQUIRE(issued.size() == 1);
  CHECK(w.doubles->uses(issued[0].access_key_id, "ce") == 1);
}

TEST_CASE("SSO failures end to end: token refused, portal slow, expired with nothing to refresh") {
  sim::doubles_options d;
  d.slow_ms = 1500;
  world w(sim_data(), d);
  write(w.home + "/config", sso_profiles);
  w.env.set("AWS_PROFILE", "dev");
  auto ctx = test_context(w.env, today);
  SUBCASE("no token cached") {
    auto r = run({"whoami"}, ctx);
    CHECK(r.code == 3);
    CHECK(r.err.find("run aws sso login --sso-session my-sso") != std::string::npos);
  }
  SUBCASE("refused by the portal") {
    w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::hours(8))));
    w.doubles->set_fault(sim::double_service::sso_portal, sim::double_fault::refuse);
    auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05"}, ctx);
    CHECK(r.code == 3);
    CHECK(r.err.find("GetRoleCredentials for account 111122223333 role FinOpsRead") != std::string::npos);
    CHECK(r.err.find("HTTP 403") != std::string::npos);
    check_no_secret(w.secrets(), r.out + r.err);
  }
  SUBCASE("expired token whose refresh is refused") {
    std::string c = sso_cache(iso_in(-std::chrono::hours(1)));
    c.replace(c.find("finops-sim-refresh-token"), 24, "revoked-refresh-token000");
    w.write_sso_cache("my-sso", c);
    auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05"}, ctx);
    CHECK(r.code == 3);
    CHECK(r.err.find("could not be refreshed") != std::string::npos);
    CHECK(r.err.find("run aws sso login --sso-session my-sso") != std::string::npos);
    check_no_secret(w.secrets(), r.out + r.err);
  }
  SUBCASE("a slow portal is cut at the provider's timeout") {
    w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::hours(8))));
    w.doubles->set_fault(sim::double_service::sso_portal, sim::double_fault::slow);
    auto settings = aws::sso_settings_for_profile(*aws::shared_config::from_strings(sso_profiles, ""), "dev", w.home);
    REQUIRE(settings);
    aws::endpoint portal;
    portal.url = w.doubles->endpoint_url();
    portal.overridden = true;
    http::curl_options c;
    c.allow_http = true;
    aws::sso_http_options ho;
    ho.timeout = std::chrono::milliseconds(300);
    aws::sso_provider p(std::move(**settings), portal, std::make_unique<http::curl_transport>(c), portal,
                        std::make_unique<http::curl_transport>(c), ho);
    const auto started = std::chrono::steady_clock::now();
    auto got = p.fetch(std::chrono::system_clock::now());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1400));
    REQUIRE_FALSE(got);
    CHECK(got.code() == errc::transport);
  }
}

TEST_CASE("costs with only AWS_PROFILE naming a credential_process profile: signed with the keys it printed") {
  // Keys only the simulator and the process know; the simulator accepts
  // nothing else, so a successful call proves they signed it.
  const std::string key_id = "ASIAPROCESSE2E000001";
  const std::string secret = "processE2ESecret/" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  const std::string token = "processE2ESessionToken0123456789";
  sim::options o = sim_data();
  sim::credential c;
  c.access_key_id = key_id;
  c.secret_access_key = secret;
  c.session_token = token;
  o.credentials.push_back(c);
  world w(o);
  const std::string script = w.home + "/get creds.sh";
  write(script,
        "#!/bin/sh\n"
        "[ \"$1\" = \"--role\" ] && [ \"$2\" = \"read only\" ] || { echo \"bad arguments: $*\" >&2; exit 9; }\n"
        "printf '{\"Version\":1,\"AccessKeyId\":\"" + key_id + "\",\"SecretAccessKey\":\"" + secret +
            "\",\"SessionToken\":\"" + token + "\",\"Expiration\":\"" + iso_in(std::chrono::hours(1)) + "\"}'\n",
        0700);
  write(w.home + "/config", "[profile ci]\ncredential_process = '" + script + "' --role \"read only\"\nregion = us-east-1\n");
  w.env.set("AWS_PROFILE", "ci");
  auto ctx = test_context(w.env, today);
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05", "--format", "csv"}, ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("period_start") != std::string::npos);
  check_no_secret({secret, token}, r.out + r.err);
  auto who = run({"whoami", "--format", "csv"}, ctx);
  INFO(who.err);
  REQUIRE(who.code == 0);
  CHECK(who.out.find("credential_process (profile ci)") != std::string::npos);
  check_no_secret({secret, token}, who.out + who.err);
  // A failing process: its stderr, cut short, and exit 3.
  write(w.home + "/config", "[profile ci]\ncredential_process = '" + script + "' --wrong\n");
  auto bad = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05"}, ctx);
  CHECK(bad.code == 3);
  CHECK(bad.err.find("exited with status 9; stderr: bad arguments: --wrong") != std::string::npos);
  check_no_secret({secret, token}, bad.out + bad.err);
}

TEST_CASE("environment keys win over AWS_PROFILE; --profile skips them") {
  world w;
  write(w.home + "/config", sso_profiles);
  w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::hours(8))));
  w.env.set("AWS_PROFILE", "dev");
  w.env.set("AWS_ACCESS_KEY_ID", std::string(sim::default_access_key_id));
  w.env.set("AWS_SECRET_ACCESS_KEY", std::string(sim::default_secret_access_key));
  auto ctx = test_context(w.env, today);
  auto env_run = run({"whoami", "--format", "csv"}, ctx);
  INFO(env_run.err);
  REQUIRE(env_run.code == 0);
  CHECK(env_run.out.find(",environment,never (long-term keys),") != std::string::npos);
  CHECK(w.doubles->issued().empty());
  auto profile_run = run({"whoami", "--format", "csv", "--profile", "dev"}, ctx);
  INFO(profile_run.err);
  REQUIRE(profile_run.code == 0);
  CHECK(profile_run.out.find("sso (profile dev, session my-sso)") != std::string::npos);
  CHECK(w.doubles->issued().size() == 1);
}

TEST_CASE("an assume-role profile chained from an SSO profile: AssumeRole signed with the SSO keys, CE with the role's") {
  world w;
  write(w.home + "/config", std::string(sso_profiles) +
                                "[profile payer]\n"
                                "role_arn = arn:aws:iam::111122223333:role/FinOpsPayerRead\n"
                                "source_profile = dev\n");
  w.write_sso_cache("my-sso", sso_cache(iso_in(std::chrono::hours(8))));
  w.env.set("AWS_PROFILE", "payer");
  auto ctx = test_context(w.env, today);
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05", "--format", "csv"}, ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto issued = w.doubles->issued();
  REQUIRE(issued.size() == 2);
  CHECK(issued[0].by == sim::double_service::sso_portal);
  CHECK(issued[1].by == sim::double_service::assume_role);
  CHECK(w.doubles->uses(issued[0].access_key_id, "sts") == 1);  // AssumeRole, signed with the SSO keys
  CHECK(w.doubles->uses(issued[1].access_key_id, "ce") >= 1);   // Cost Explorer, with the role's
  CHECK(w.doubles->uses(issued[0].access_key_id, "ce") == 0);
  auto who = run({"whoami", "--format", "csv"}, ctx);
  INFO(who.err);
  REQUIRE(who.code == 0);
  CHECK(who.out.find("assume-role arn:aws:iam::111122223333:role/FinOpsPayerRead via profile dev") != std::string::npos);
  check_no_secret(w.secrets(), r.out + r.err + who.out + who.err);
}
