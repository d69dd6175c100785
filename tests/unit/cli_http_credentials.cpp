// End to end through real libcurl on 127.0.0.1: `finops-crawler costs` on
// credentials from the HTTP providers, configured only as users configure
// them: AWS_PROFILE and a config file for an assume-role profile chained
// from an SSO profile and for a web-identity profile; nothing but
// AWS_CONTAINER_CREDENTIALS_FULL_URI (+ token) or nothing but
// AWS_EC2_METADATA_SERVICE_ENDPOINT. For each, the simulator's Cost Explorer
// checks that the request was signed with the temporary keys that provider
// handed out (credential_doubles::uses), and no secret appears in any output.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cli_test_support.hpp"
#include "credential_doubles.hpp"
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/providers/sso_provider.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);
const std::string role = "arn:aws:iam::111122223333:role/FinOpsRead";
const std::vector<std::string> costs_args{"costs", "--start", "2025-03-01", "--end", "2025-03-04", "--format", "csv"};

// A port on 127.0.0.1 that nothing listens on: bound, read, closed.
std::string closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t n = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0);
  ::close(fd);
  return std::to_string(ntohs(a.sin_port));
}

void write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
}

struct world {
  std::shared_ptr<sim::credential_doubles> doubles;
  std::unique_ptr<sim::simulator> server;
  std::string home = make_temp_dir();
  aws::map_environment env;

  world() {
    doubles = std::make_shared<sim::credential_doubles>(sim::doubles_options{});
    sim::options o;
    o.data.seed = 13;
    o.data.account_count = 2;
    o.data.start_date = "2025-03-01";
    o.data.days = 10;
    o.extension = doubles;
    server = std::make_unique<sim::simulator>(std::move(o));
    REQUIRE(server->start());
    REQUIRE(doubles->start());
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    env.set("HOME", home);
    env.set("AWS_CONFIG_FILE", home + "/config");
    env.set("AWS_SHARED_CREDENTIALS_FILE", home + "/no-credentials-file");
    env.set("AWS_ENDPOINT_URL", server->endpoint_url());  // Cost Explorer and STS
  }
  ~world() {
    server->stop();
    doubles->stop();
  }
  // Runs `costs`; true when it succeeded.
  run_result costs() {
    auto ctx = test_context(env, today);
    return run(costs_args, ctx);
  }
  // The last key pair issued came from `by` and signed Cost Explorer.
  void check_signed_by_last(sim::double_service by, const run_result& r) {
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("period_start") != std::string::npos);
    const auto issued = doubles->issued();
    REQUIRE_FALSE(issued.empty());
    CHECK(issued.back().by == by);
    CHECK(doubles->uses(issued.back().access_key_id, "ce") >= 1);
    // Only that pair signed Cost Explorer.
    for (std::size_t i = 0; i + 1 < issued.size(); ++i) CHECK(doubles->uses(issued[i].access_key_id, "ce") == 0);
    check_no_secrets(r.out + r.err);
  }
  void check_no_secrets(const std::string& text) const {
    std::vector<std::string> s{"finops-sim-sso-access-token", "finops-sim-web-identity-token",
                               "finops-sim-container-token"};
    for (const auto& c : doubles->issued()) {
      s.push_back(c.secret_access_key);
      s.push_back(c.session_token);
    }
    for (const auto& x : s) CHECK_MESSAGE(text.find(x) == std::string::npos, "a secret appears in: ", text);
  }
};

}  // namespace

TEST_CASE("costs with AWS_PROFILE naming an assume-role profile whose source is an SSO profile") {
  world w;
  w.env.set("AWS_ENDPOINT_URL_SSO", w.doubles->endpoint_url());
  w.env.set("AWS_ENDPOINT_URL_SSO_OIDC", w.doubles->endpoint_url());
  w.env.set("AWS_EC2_METADATA_DISABLED", "true");
  write(w.home + "/config",
        "[profile dev]\nsso_session = my-sso\nsso_account_id = 111122223333\nsso_role_name = FinOpsRead\n"
        "[sso-session my-sso]\nsso_start_url = https://my-sso-portal.awsapps.com/start\nsso_region = us-east-1\n"
        "[profile payer]\nrole_arn = " + role + "\nsource_profile = dev\nrole_session_name = finops\n");
  ::mkdir((w.home + "/.aws").c_str(), 0700);
  ::mkdir((w.home + "/.aws/sso").c_str(), 0700);
  ::mkdir((w.home + "/.aws/sso/cache").c_str(), 0700);
  write(w.home + "/.aws/sso/cache/" + aws::sha1_hex("my-sso") + ".json",
        R"({"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1",)"
        R"("accessToken":"finops-sim-sso-access-token","expiresAt":")" +
            aws::detail::iso8601_utc(std::chrono::system_clock::now() + std::chrono::hours(8)) + "\"}");
  w.env.set("AWS_PROFILE", "payer");
  auto r = w.costs();
  w.check_signed_by_last(sim::double_service::assume_role, r);
  const auto issued = w.doubles->issued();
  REQUIRE(issued.size() == 2);
  CHECK(issued[0].by == sim::double_service::sso_portal);
  // AssumeRole was signed with the SSO portal's keys.
  CHECK(w.doubles->last_request(sim::double_service::assume_role).at("caller") == issued[0].access_key_id);
  CHECK(w.doubles->uses(issued[0].access_key_id, "sts") == 1);

  auto ctx = test_context(w.env, today);
  auto who = run({"whoami", "--format", "csv"}, ctx);
  INFO(who.err);
  REQUIRE(who.code == 0);
  CHECK(who.out.find("assume-role " + role + " via profile dev") != std::string::npos);
  CHECK(who.out.find("assumed-role") != std::string::npos);
  w.check_no_secrets(who.out + who.err);
}

TEST_CASE("costs with AWS_PROFILE naming a web-identity profile") {
  world w;
  w.env.set("AWS_EC2_METADATA_DISABLED", "true");
  write(w.home + "/token", "finops-sim-web-identity-token\n");
  write(w.home + "/config", "[profile ci]\nrole_arn = " + role + "\nweb_identity_token_file = " + w.home + "/token\n");
  w.env.set("AWS_PROFILE", "ci");
  auto r = w.costs();
  w.check_signed_by_last(sim::double_service::web_identity, r);
  CHECK(w.doubles->issued().size() == 1);
}

TEST_CASE("costs with only AWS_CONTAINER_CREDENTIALS_FULL_URI set") {
  world w;
  w.env.set("AWS_EC2_METADATA_DISABLED", "true");
  w.env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", w.doubles->container_url());
  w.env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "finops-sim-container-token");
  auto r = w.costs();
  w.check_signed_by_last(sim::double_service::container, r);
  CHECK(w.doubles->last_request(sim::double_service::container).at("authorization") == "finops-sim-container-token");

  // A wrong token: refused, with a message that names the provider, not the token.
  w.env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a-wrong-container-token");
  auto bad = w.costs();
  CHECK(bad.code != 0);
  CHECK(bad.err.find("container (") != std::string::npos);
  CHECK(bad.err.find("a-wrong-container-token") == std::string::npos);
}

TEST_CASE("costs with only AWS_EC2_METADATA_SERVICE_ENDPOINT set") {
  world w;
  w.env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", w.doubles->endpoint_url());
  auto r = w.costs();
  w.check_signed_by_last(sim::double_service::imds, r);
  CHECK(w.doubles->requests(sim::double_service::imds) == 3);  // token, role, credentials
}

TEST_CASE("no credentials anywhere: every kind tried in chain order, the instance metadata's reason last") {
  world w;
  std::string why;
  SUBCASE("the IMDS double refuses the token request (403)") {
    w.doubles->set_fault(sim::double_service::imds, sim::double_fault::refuse);
    w.env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", w.doubles->endpoint_url());
    why = "10. imds: imds (" + w.doubles->endpoint_url() +
          "): the IMDSv2 token request (PUT /latest/api/token) answered HTTP 403";
  }
  SUBCASE("nothing listens at the IMDS endpoint") {
    const std::string url = "http://127.0.0.1:" + closed_port();
    w.env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    why = "10. imds: imds (" + url + "): the IMDSv2 token request (PUT /latest/api/token): ";
  }
  auto r = w.costs();
  INFO(r.err);
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(r.err.find("no AWS credentials found for profile default (the default; set AWS_PROFILE or --profile to use "
                   "another). Tried, in order: 1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not "
                   "set;") != std::string::npos);
  std::size_t last = 0;
  for (const std::string& k :
       {std::string("2. assume-role: "), std::string("3. web-identity: "), std::string("4. sso: "),
        std::string("5. shared-credentials-file: "), std::string("6. login_session: "),
        std::string("7. credential_process: "), std::string("8. config-file: "),
        std::string("9. container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI"), why,
        std::string("set AWS_EC2_METADATA_DISABLED=true")}) {
    const std::size_t at = r.err.find(k);
    CHECK_MESSAGE(at != std::string::npos, k);
    CHECK(at > last);
    last = at;
  }
  // The first fetch failing is not a refresh failing with keys still valid.
  CHECK(r.err.find("WARNING: refreshing") == std::string::npos);
  CHECK(w.doubles->issued().empty());
}
