// The providers that read files or run processes (environment, profile keys,
// credential_process, SSO with its token cache, login_session) and the chain
// that picks one, without network: real processes and files in a temporary
// directory, fake transports for the SSO services, injected clocks. Every
// message produced here is checked for the secrets at the end of each case.
#include "finops_crawler/aws/credential_provider_chain.hpp"
#include "finops_crawler/aws/providers/environment_provider.hpp"
#include "finops_crawler/aws/providers/login_provider.hpp"
#include "finops_crawler/aws/providers/process_provider.hpp"
#include "finops_crawler/aws/providers/profile_provider.hpp"
#include "finops_crawler/aws/providers/sso_provider.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

using time_point = aws::credentials::time_point;
const time_point t0 = time_point(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z

// Secrets every provider here hands out or reads; no message may hold them.
const std::vector<std::string> secrets = {
    "procSecretKey/Very+Secret0000000000000", "procSessionTokenSECRET1234567890",
    "ssoAccessTokenSECRET0001",              "ssoClientSecretSECRET0002",
    "ssoRefreshTokenSECRET0003",             "roleSecretKeyFromPortalSECRET",
    "roleSessionTokenFromPortalSECRET",      "loginSecretKeySECRET/abc",
    "loginSessionTokenSECRET",               "newAccessTokenFromOidcSECRET",
    "newRefreshTokenFromOidcSECRET",         "envSecretKeySECRET/xyz",
    "profileSecretKeySECRET/xyz"};

// Collects messages and checks them for secrets.
struct message_log {
  std::vector<std::string> lines;
  void add(const error& e) { lines.push_back(e.describe()); }
  template <class T>
  void add(const result<T>& r) {
    if (!r) add(r.error());
  }
  ~message_log() {
    for (const auto& l : lines)
      for (const auto& s : secrets) CHECK_MESSAGE(l.find(s) == std::string::npos, "a secret in: ", l);
  }
};

std::string make_temp_dir() {
  char tmpl[] = "/tmp/finops-creds-XXXXXX";
  char* d = ::mkdtemp(tmpl);
  REQUIRE(d != nullptr);
  return d;
}

void write_file(const std::string& path, const std::string& text, mode_t mode = 0644) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A shell script; credential_process runs it directly (no shell involved
// on our side: the kernel runs the #! interpreter).
std::string script(const std::string& dir, const std::string& name, const std::string& body) {
  const std::string p = dir + "/" + name;
  write_file(p, "#!/bin/sh\n" + body + "\n", 0755);
  return p;
}

const char* const good_process_json =
    R"({"Version": 1, "AccessKeyId": "ASIAPROCESSKEY000001", "SecretAccessKey": "procSecretKey/Very+Secret0000000000000",)"
    R"( "SessionToken": "procSessionTokenSECRET1234567890", "Expiration": "2099-01-01T00:00:00Z"})";

aws::provider_context context(const aws::environment& env, const aws::shared_config& files, std::string profile = "default",
                              std::string origin = "default") {
  aws::provider_context c;
  c.env = &env;
  c.files = &files;
  c.profile = std::move(profile);
  c.profile_origin = std::move(origin);
  c.profile_explicit = c.profile_origin == "option";
  return c;
}

}  // namespace

TEST_CASE("split_command_line splits as shlex.split does in POSIX mode") {
  struct row {
    const char* in;
    std::vector<std::string> out;
  };
  const row rows[] = {
      {"aws-vault export --format=json dev", {"aws-vault", "export", "--format=json", "dev"}},
      {"  /opt/bin/get creds  ", {"/opt/bin/get", "creds"}},
      {"'/path with space/tool' --x", {"/path with space/tool", "--x"}},
      {R"("a \"quoted\" word" b)", {"a \"quoted\" word", "b"}},
      {R"("keep \n backslash")", {"keep \\n backslash"}},
      {R"(one\ word two)", {"one word", "two"}},
      {R"(a'b'"c"d)", {"abcd"}},
      {"''", {""}},
      {"'single \\ keeps' x", {"single \\ keeps", "x"}},
      {"tab\tseparated\nlines", {"tab", "separated", "lines"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    auto got = aws::split_command_line(r.in);
    REQUIRE(got);
    CHECK(*got == r.out);
  }
  for (const char* bad : {"'unclosed", "\"unclosed", "trailing\\", "", "   "}) {
    CAPTURE(bad);
    auto got = aws::split_command_line(bad);
    REQUIRE_FALSE(got);
    CHECK(got.code() == errc::invalid_argument);
  }
}

TEST_CASE("credential_process: success, then refreshed by running it again") {
  message_log log;
  const std::string dir = make_temp_dir();
  // Each run prints the next key id (a counter file), valid one hour from
  // the fixed t0 + 1h * n, so refreshing_credentials must run it again.
  const std::string counter = dir + "/n";
  write_file(counter, "0");
  const std::string cmd = script(dir, "creds.sh",
                                 "n=$(cat " + counter + "); n=$((n+1)); echo $n > " + counter +
                                     "\n"
                                     "echo 'some progress on stderr' >&2\n"
                                     "printf '{\"Version\":1,\"AccessKeyId\":\"ASIAPROCESSKEY00000%s\",\"SecretAccessKey\":"
                                     "\"procSecretKey/Very+Secret0000000000000\",\"SessionToken\":"
                                     "\"procSessionTokenSECRET1234567890\",\"Expiration\":\"2026-01-01T0%s:00:00Z\"}' $n $n");
  auto p = aws::process_provider::make("'" + cmd + "' --profile x", "ci");
  REQUIRE(p);
  CHECK((*p)->name() == "credential_process (profile ci)");
  CHECK((*p)->argv() == std::vector<std::string>{cmd, "--profile", "x"});
  auto src = aws::refreshing_credentials::make(std::move(*p));
  REQUIRE(src);
  auto a = (*src)->current(t0);
  log.add(a);
  REQUIRE(a);
  CHECK(a->get().access_key_id() == "ASIAPROCESSKEY000001");
  CHECK(a->get().secret_access_key() == "procSecretKey/Very+Secret0000000000000");
  CHECK(a->get().session_token() == "procSessionTokenSECRET1234567890");
  REQUIRE(a->get().expiry());
  CHECK(*a->get().expiry() == t0 + 1h);
  CHECK(a->get().source() == "credential_process (profile ci)");
  auto b = (*src)->current(t0 + 56min);  // inside the margin: run again
  log.add(b);
  REQUIRE(b);
  CHECK(b->get().access_key_id() == "ASIAPROCESSKEY000002");
  CHECK(read_file(counter) == "2\n");
}

TEST_CASE("credential_process failures: exit status, bad JSON, hang, huge output, missing command, signals") {
  message_log log;
  const std::string dir = make_temp_dir();
  aws::process_limits quick;
  quick.timeout = 700ms;
  quick.max_stdout = 64 * 1024;
  struct row {
    const char* name;
    std::string body;
    errc code;
    std::vector<std::string> said;
  };
  const std::vector<row> rows = {
      {"exit3", "echo 'AccessDenied: user is not allowed' >&2; exit 3", errc::no_credentials,
       {"exited with status 3", "stderr: AccessDenied: user is not allowed"}},
      {"exit1-quiet", "exit 1", errc::no_credentials, {"exited with status 1 (nothing on stderr)"}},
      {"cut-json", "printf '{\"Version\": 1, \"AccessKeyId\": \"ASIA'", errc::bad_json, {"is not valid JSON"}},
      {"not-object", "echo '[1,2]'", errc::unexpected_shape, {"printed JSON that is not an object"}},
      {"version2", std::string("echo '") + R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"procSecretKey/Very+Secret0000000000000"})" + "'",
       errc::unexpected_shape, {"unsupported \"Version\" (only 1 is supported)"}},
      {"no-secret", "echo '{\"Version\":1,\"AccessKeyId\":\"ASIAPROCESSKEY000001\"}'", errc::unexpected_shape,
       {"without \"SecretAccessKey\""}},
      {"bad-expiry", std::string("echo '") + R"({"Version":1,"AccessKeyId":"ASIAPROCESSKEY000001","SecretAccessKey":"procSecretKey/Very+Secret0000000000000","Expiration":"tomorrow"})" + "'",
       errc::unexpected_shape, {"\"Expiration\" is not a time"}},
      {"hang", "echo 'waiting for MFA' >&2; sleep 30", errc::transport,
       {"did not finish within 700 ms (the timeout); it was killed", "stderr: waiting for MFA"}},
      {"hang-child", "sleep 30 & sleep 30", errc::transport, {"did not finish within 700 ms"}},
      {"huge", "head -c 200000 /dev/zero", errc::transport, {"printed more than 65536 bytes on stdout (the output limit)"}},
      {"killed", "kill -9 $$", errc::no_credentials, {"was killed by signal 9"}},
      // The JSON on the wrong stream: the stderr excerpt is withheld.
      {"json-on-stderr", std::string("echo '") + good_process_json + "' >&2; exit 2", errc::no_credentials,
       {"exited with status 2", "(stderr not shown: it mentions SecretAccessKey)"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    const std::string cmd = script(dir, r.name, r.body);
    auto p = aws::process_provider::make(cmd, "ci", quick);
    REQUIRE(p);
    const auto started = std::chrono::steady_clock::now();
    auto got = (*p)->fetch(t0);
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(got);
    log.add(got);
    CHECK(got.code() == r.code);
    CHECK(got.error().message.rfind("credential_process (profile ci): '" + cmd + "' ", 0) == 0);
    for (const auto& s : r.said) CHECK_MESSAGE(got.error().message.find(s) != std::string::npos, got.error().message);
    CHECK(took < 5s);  // a hang is cut at the timeout, not at the child's end
  }
  auto missing = aws::process_provider::make("/nonexistent/finops/get-creds --x", "ci");
  REQUIRE(missing);
  auto m = (*missing)->fetch(t0);
  REQUIRE_FALSE(m);
  log.add(m);
  CHECK(m.error().message.find("cannot run '/nonexistent/finops/get-creds': No such file or directory") !=
        std::string::npos);
  auto unsplittable = aws::process_provider::make("tool 'oops", "ci");
  REQUIRE_FALSE(unsplittable);
  CHECK(unsplittable.error().message == "credential_process of profile ci: the command line has an unclosed ' quotation");
}

TEST_CASE("parse_process_credentials reads Version 1 output; SessionToken and Expiration are optional") {
  auto c = aws::parse_process_credentials(good_process_json, "credential_process (profile p)");
  REQUIRE(c);
  CHECK(c->access_key_id() == "ASIAPROCESSKEY000001");
  CHECK(c->has_session_token());
  REQUIRE(c->expiry());
  auto lt = aws::parse_process_credentials(
      R"({"Version":1,"AccessKeyId":"AKIALONGTERMKEY00001","SecretAccessKey":"procSecretKey/Very+Secret0000000000000","SessionToken":null})",
      "p");
  REQUIRE(lt);
  CHECK_FALSE(lt->has_session_token());
  CHECK_FALSE(lt->expiry());
}

namespace {

// A fake of the SSO portal and SSO-OIDC: answers by path, records requests.
struct sso_script {
  std::vector<http::http_request> sent;
  std::map<std::string, std::vector<result<http::http_response>>> replies;  // by path prefix
  result<http::http_response> answer(const http::http_request& r) {
    sent.push_back(r);
    for (auto& [prefix, list] : replies) {
      if (r.url.find(prefix) == std::string::npos || list.empty()) continue;
      auto a = list.front();
      list.erase(list.begin());
      return a;
    }
    return error(errc::transport, "no scripted reply for " + r.url);
  }
};
class sso_fake final : public http::transport {
 public:
  explicit sso_fake(std::shared_ptr<sso_script> s) : s_(std::move(s)) {}
  result<http::http_response> send(const http::http_request& r) override { return s_->answer(r); }

 private:
  std::shared_ptr<sso_script> s_;
};

http::http_response reply(long status, std::string body, http::header_list h = {}) {
  http::http_response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(h);
  return r;
}

std::string role_credentials_json(long long expiration_ms) {
  return R"({"roleCredentials":{"accessKeyId":"ASIAPORTALKEY0000001","secretAccessKey":"roleSecretKeyFromPortalSECRET",)"
         R"("sessionToken":"roleSessionTokenFromPortalSECRET","expiration":)" +
         std::to_string(expiration_ms) + "}}";
}

std::string token_cache_json(const std::string& expires_at, bool refreshable = true,
                             const std::string& registration_expires_at = "2099-01-01T00:00:00Z") {
  std::string s = R"({"startUrl":"https://my-sso-portal.awsapps.com/start","region":"us-east-1",)"
                  R"("accessToken":"ssoAccessTokenSECRET0001","expiresAt":")" +
                  expires_at + "\"";
  if (refreshable)
    s += R"(,"clientId":"client-id-1","clientSecret":"ssoClientSecretSECRET0002","refreshToken":"ssoRefreshTokenSECRET0003",)"
         R"("registrationExpiresAt":")" +
         registration_expires_at + "\"";
  return s + "}";
}

const char* const sso_config =
    "[profile dev]\n"
    "sso_session = my-sso\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = FinOpsRead\n"
    "region = eu-west-1\n"
    "[sso-session my-sso]\n"
    "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "[profile legacy]\n"
    "sso_start_url = https://my-sso-portal.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_account_id = 111122223333\n"
    "sso_role_name = FinOpsRead\n"
    "[profile norole]\n"
    "sso_session = my-sso\n"
    "sso_account_id = 111122223333\n"
    "[profile nosection]\n"
    "sso_session = other\n"
    "sso_account_id = 1\n"
    "sso_role_name = R\n";

struct sso_fixture {
  std::string home = make_temp_dir();
  std::shared_ptr<sso_script> s = std::make_shared<sso_script>();
  aws::shared_config files = *aws::shared_config::from_strings(sso_config, "");

  std::string cache_dir() const { return home + "/.aws/sso/cache"; }
  void write_cache(const std::string& key, const std::string& json) {
    ::mkdir((home + "/.aws").c_str(), 0700);
    ::mkdir((home + "/.aws/sso").c_str(), 0700);
    ::mkdir(cache_dir().c_str(), 0700);
    write_file(cache_dir() + "/" + aws::sha1_hex(key) + ".json", json, 0600);
  }
  std::unique_ptr<aws::sso_provider> provider(const std::string& profile, aws::sso_http_options o = {}) {
    auto settings = aws::sso_settings_for_profile(files, profile, home);
    REQUIRE(settings);
    REQUIRE(settings->has_value());
    aws::endpoint portal = aws::detail::default_provider_endpoint(aws::provider_service::sso, "us-east-1");
    aws::endpoint oidc = aws::detail::default_provider_endpoint(aws::provider_service::sso_oidc, "us-east-1");
    return std::make_unique<aws::sso_provider>(std::move(**settings), portal, std::make_unique<sso_fake>(s), oidc,
                                               std::make_unique<sso_fake>(s), o);
  }
};

}  // namespace

TEST_CASE("SSO settings: sso_session and legacy forms, cache file names, configuration errors") {
  message_log log;
  sso_fixture f;
  auto dev = aws::sso_settings_for_profile(f.files, "dev", "/home/u");
  REQUIRE(dev);
  REQUIRE(dev->has_value());
  CHECK((*dev)->session_name == "my-sso");
  CHECK((*dev)->start_url == "https://my-sso-portal.awsapps.com/start");
  CHECK((*dev)->sso_region == "us-east-1");
  CHECK((*dev)->account_id == "111122223333");
  CHECK((*dev)->role_name == "FinOpsRead");
  // SHA-1 hex of the session name (values from Python's hashlib).
  CHECK((*dev)->cache_file() == "/home/u/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  CHECK((*dev)->login_hint() == "aws sso login --sso-session my-sso");
  auto legacy = aws::sso_settings_for_profile(f.files, "legacy", "/home/u");
  REQUIRE(legacy);
  REQUIRE(legacy->has_value());
  CHECK((*legacy)->session_name.empty());
  // SHA-1 hex of the start URL for the legacy form.
  CHECK((*legacy)->cache_file() == "/home/u/.aws/sso/cache/c7aaaf71fcc8777ae2475525ed049d39fe16c484.json");
  CHECK((*legacy)->login_hint() == "aws sso login --profile legacy");
  auto none = aws::sso_settings_for_profile(f.files, "absent", "/home/u");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto norole = aws::sso_settings_for_profile(f.files, "norole", "/home/u");
  REQUIRE_FALSE(norole);
  log.add(norole);
  CHECK(norole.code() == errc::config_file);
  CHECK(norole.error().message == "profile norole has no sso_role_name (needed for IAM Identity Center credentials)");
  auto nosection = aws::sso_settings_for_profile(f.files, "nosection", "/home/u");
  REQUIRE_FALSE(nosection);
  CHECK(nosection.error().message.find("names sso_session other, but the config file has no [sso-session other] section") !=
        std::string::npos);
}

TEST_CASE("SSO: a valid cached token gets role credentials from the portal") {
  message_log log;
  sso_fixture f;
  f.write_cache("my-sso", token_cache_json("2026-01-01T08:00:00Z"));
  f.s->replies["/federation/credentials"].push_back(reply(200, role_credentials_json(1767229200000)));  // t0 + 1h
  auto p = f.provider("dev");
  CHECK(p->name() == "sso (profile dev, session my-sso)");
  auto c = p->fetch(t0);
  log.add(c);
  REQUIRE(c);
  CHECK(c->access_key_id() == "ASIAPORTALKEY0000001");
  CHECK(c->secret_access_key() == "roleSecretKeyFromPortalSECRET");
  CHECK(c->session_token() == "roleSessionTokenFromPortalSECRET");
  REQUIRE(c->expiry());
  CHECK(*c->expiry() == t0 + 1h);
  REQUIRE(f.s->sent.size() == 1);
  const auto& req = f.s->sent[0];
  CHECK(req.method == "GET");
  CHECK(req.url ==
        "https://portal.sso.us-east-1.amazonaws.com/federation/credentials?account_id=111122223333&role_name=FinOpsRead");
  CHECK(req.header("x-amz-sso_bearer_token").value_or("") == "ssoAccessTokenSECRET0001");
  CHECK_FALSE(req.header("Authorization"));  // GetRoleCredentials is not signed
}

TEST_CASE("SSO: refused, malformed and failed portal replies; missing and broken caches") {
  message_log log;
  sso_fixture f;
  auto p = f.provider("dev");
  // No cache file.
  auto missing = p->fetch(t0);
  REQUIRE_FALSE(missing);
  log.add(missing);
  CHECK(missing.code() == errc::no_credentials);
  CHECK(missing.error().message.find("no cached SSO token (" + f.cache_dir() + "/0ad374308c5a4e22f723adf10145eafad7c4031c.json does not exist); run aws sso login --sso-session my-sso") != std::string::npos);
  // Malformed cache.
  f.write_cache("my-sso", "{\"accessToken\": \"ssoAccessTokenSECRET0001\", ");
  auto broken = p->fetch(t0);
  REQUIRE_FALSE(broken);
  log.add(broken);
  CHECK(broken.code() == errc::config_file);
  CHECK(broken.error().message.find("is not valid JSON") != std::string::npos);
  f.write_cache("my-sso", token_cache_json("2026-01-01T08:00:00Z"));
  // 401: the token was revoked.
  f.s->replies["/federation/credentials"].push_back(
      reply(401, R"({"message":"Session token not found or invalid"})", {{"x-amzn-ErrorType", "UnauthorizedException"}}));
  auto refused = p->fetch(t0);
  REQUIRE_FALSE(refused);
  log.add(refused);
  CHECK(refused.code() == errc::no_credentials);
  CHECK(refused.error().http_status == 401);
  CHECK(refused.error().message.find("HTTP 401 UnauthorizedException: Session token not found or invalid") !=
        std::string::npos);
  CHECK(refused.error().message.find("run aws sso login --sso-session my-sso") != std::string::npos);
  // 403: no such account or role for this user.
  f.s->replies["/federation/credentials"].push_back(reply(403, R"({"message":"No access"})", {{"x-amzn-ErrorType", "ForbiddenException"}}));
  auto forbidden = p->fetch(t0);
  REQUIRE_FALSE(forbidden);
  log.add(forbidden);
  CHECK(forbidden.error().message.find("check sso_account_id and sso_role_name of profile dev") != std::string::npos);
  // A 200 without the credentials.
  f.s->replies["/federation/credentials"].push_back(reply(200, R"({"roleCredentials":{"accessKeyId":"ASIA"}})"));
  auto shape = p->fetch(t0);
  REQUIRE_FALSE(shape);
  log.add(shape);
  CHECK(shape.code() == errc::unexpected_shape);
  // A slow portal: the transport's timeout comes back as errc::transport.
  error slow(errc::transport, "HTTP request failed: Timeout was reached (per-attempt timeout)");
  slow.curl_code = 28;
  f.s->replies["/federation/credentials"].push_back(slow);
  auto timed_out = p->fetch(t0);
  REQUIRE_FALSE(timed_out);
  log.add(timed_out);
  CHECK(timed_out.code() == errc::transport);
  CHECK(timed_out.error().message.find("GetRoleCredentials for account 111122223333 role FinOpsRead") != std::string::npos);
  REQUIRE(f.s->sent.size() == 4);
  CHECK(f.s->sent.back().timeout == std::chrono::milliseconds(30000));
}

TEST_CASE("SSO: a token close to expiry is refreshed through SSO-OIDC and the cache rewritten 0600") {
  message_log log;
  sso_fixture f;
  f.write_cache("my-sso", token_cache_json("2026-01-01T00:10:00Z"));  // 10 minutes left: inside 15
  f.s->replies["/token"].push_back(reply(
      200,
      R"({"accessToken":"newAccessTokenFromOidcSECRET","expiresIn":28800,"refreshToken":"newRefreshTokenFromOidcSECRET","tokenType":"Bearer"})"));
  f.s->replies["/federation/credentials"].push_back(reply(200, role_credentials_json(1767229200000)));
  auto p = f.provider("dev");
  auto c = p->fetch(t0);
  log.add(c);
  REQUIRE(c);
  REQUIRE(f.s->sent.size() == 2);
  const auto& create = f.s->sent[0];
  CHECK(create.method == "POST");
  CHECK(create.url == "https://oidc.us-east-1.amazonaws.com/token");
  CHECK(create.body.find("\"grantType\":\"refresh_token\"") != std::string::npos);
  CHECK(create.body.find("\"refreshToken\":\"ssoRefreshTokenSECRET0003\"") != std::string::npos);
  CHECK(create.header("Content-Type").value_or("") == "application/json");
  CHECK(f.s->sent[1].header("x-amz-sso_bearer_token").value_or("") == "newAccessTokenFromOidcSECRET");
  const std::string file = f.cache_dir() + "/0ad374308c5a4e22f723adf10145eafad7c4031c.json";
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string cache = read_file(file);
  CHECK(cache.find("\"accessToken\":\"newAccessTokenFromOidcSECRET\"") != std::string::npos);
  CHECK(cache.find("\"refreshToken\":\"newRefreshTokenFromOidcSECRET\"") != std::string::npos);
  CHECK(cache.find("\"expiresAt\":\"2026-01-01T08:00:00Z\"") != std::string::npos);
  CHECK(cache.find("\"clientSecret\":\"ssoClientSecretSECRET0002\"") != std::string::npos);
  CHECK(cache.find("\"registrationExpiresAt\":\"2099-01-01T00:00:00Z\"") != std::string::npos);
  // No temporary file is left beside it.
  CHECK(::access((file + ".tmp").c_str(), F_OK) != 0);
}

TEST_CASE("SSO: expired tokens, refresh failures, the legacy form") {
  message_log log;
  sso_fixture f;
  auto p = f.provider("dev");
  SUBCASE("refresh fails while the token is still valid: the token is used") {
    f.write_cache("my-sso", token_cache_json("2026-01-01T00:10:00Z"));
    f.s->replies["/token"].push_back(reply(400, R"({"error":"invalid_grant","error_description":"refresh token revoked"})"));
    f.s->replies["/federation/credentials"].push_back(reply(200, role_credentials_json(1767229200000)));
    auto c = p->fetch(t0);
    log.add(c);
    REQUIRE(c);
    CHECK(f.s->sent.back().header("x-amz-sso_bearer_token").value_or("") == "ssoAccessTokenSECRET0001");
  }
  SUBCASE("expired and the refresh refused: run aws sso login") {
    f.write_cache("my-sso", token_cache_json("2025-12-31T23:00:00Z"));
    f.s->replies["/token"].push_back(reply(400, R"({"error":"invalid_grant","error_description":"refresh token revoked"})"));
    auto c = p->fetch(t0);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.code() == errc::no_credentials);
    CHECK(c.error().message.find("the cached SSO token expired at 2025-12-31T23:00:00Z and could not be refreshed") !=
          std::string::npos);
    CHECK(c.error().message.find("invalid_grant: refresh token revoked") != std::string::npos);
    CHECK(c.error().message.find("; run aws sso login --sso-session my-sso") != std::string::npos);
  }
  SUBCASE("expired, registration expired too: no refresh attempt") {
    f.write_cache("my-sso", token_cache_json("2025-12-31T23:00:00Z", true, "2025-12-01T00:00:00Z"));
    auto c = p->fetch(t0);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(f.s->sent.empty());
    CHECK(c.error().message.find("no usable refresh token") != std::string::npos);
  }
  SUBCASE("expired, no refresh token in the cache") {
    f.write_cache("my-sso", token_cache_json("2025-12-31T23:00:00Z", false));
    auto c = p->fetch(t0);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(f.s->sent.empty());
  }
  SUBCASE("legacy form: never refreshed, the hint names the profile") {
    f.write_cache("https://my-sso-portal.awsapps.com/start", token_cache_json("2025-12-31T23:00:00Z"));
    auto legacy = f.provider("legacy");
    CHECK(legacy->name() == "sso (profile legacy, legacy form)");
    auto c = legacy->fetch(t0);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(f.s->sent.empty());
    CHECK(c.error().message.find("run aws sso login --profile legacy") != std::string::npos);
  }
  SUBCASE("the AWS CLI v1 time form (UTC suffix) is read") {
    f.write_cache("my-sso", token_cache_json("2026-01-01T08:00:00UTC", false));
    f.s->replies["/federation/credentials"].push_back(reply(200, role_credentials_json(1767229200000)));
    auto c = p->fetch(t0);
    log.add(c);
    CHECK(c);
  }
}

namespace {
const char* const login_cache =
    R"({"accessToken":{"accessKeyId":"ASIALOGINKEY00000001","secretAccessKey":"loginSecretKeySECRET/abc",)"
    R"("sessionToken":"loginSessionTokenSECRET","accountId":"012345678901","expiresAt":"2026-01-01T01:00:00Z"},)"
    R"("tokenType":"aws_sigv4","refreshToken":"opaque","idToken":"x.y.z","clientId":"arn:aws:signin:::devtools/same-device",)"
    R"("dpopKey":"-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n"})";
}  // namespace

TEST_CASE("login_session: the cache file named by SHA-256 of the session, read until it expires") {
  message_log log;
  const std::string dir = make_temp_dir();
  const std::string session = "arn:aws:iam::0123456789012:user/Admin";
  // SHA-256 hex of the login_session value (from Python's hashlib).
  CHECK(aws::login_cache_key(session) == "36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726");
  CHECK(aws::login_cache_key("  " + session + " ") == aws::login_cache_key(session));
  aws::login_provider p("console", session, dir);
  CHECK(p.name() == "login_session (profile console)");
  CHECK(p.cache_file() == dir + "/36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json");
  auto missing = p.fetch(t0);
  REQUIRE_FALSE(missing);
  log.add(missing);
  CHECK(missing.code() == errc::no_credentials);
  CHECK(missing.error().message.find("run aws login --profile console") != std::string::npos);
  write_file(p.cache_file(), login_cache, 0600);
  auto c = p.fetch(t0);
  log.add(c);
  REQUIRE(c);
  CHECK(c->access_key_id() == "ASIALOGINKEY00000001");
  CHECK(c->session_token() == "loginSessionTokenSECRET");
  CHECK(*c->expiry() == t0 + 1h);
  auto expired = p.fetch(t0 + 2h);
  REQUIRE_FALSE(expired);
  log.add(expired);
  CHECK(expired.error().message.find("expired at 2026-01-01T01:00:00Z (refreshing them through AWS Sign-In is not "
                                     "implemented); run aws login --profile console") != std::string::npos);
  std::string wrong_type = login_cache;
  wrong_type.replace(wrong_type.find("aws_sigv4"), 9, "bearer");
  write_file(p.cache_file(), wrong_type, 0600);
  auto bad = p.fetch(t0);
  REQUIRE_FALSE(bad);
  log.add(bad);
  CHECK(bad.code() == errc::config_file);
  CHECK(bad.error().message.find("has tokenType 'bearer', expected aws_sigv4") != std::string::npos);
  write_file(p.cache_file(), "{\"tokenType\":\"aws_sigv4\",\"accessToken\":{\"accessKeyId\":\"A\"}}", 0600);
  auto partial = p.fetch(t0);
  REQUIRE_FALSE(partial);
  CHECK(partial.error().message.find("has no accessToken.secretAccessKey") != std::string::npos);
}

namespace {

// A stand-in for the assume-role hook: applies to profiles with role_arn.
result<aws::provider_lookup> fake_assume_role(const aws::provider_context& ctx) {
  auto role = ctx.get("role_arn");
  if (!role) return aws::provider_lookup::decline("profile " + ctx.profile + " has no role_arn");
  auto src = ctx.get("source_profile");
  if (src) {
    auto inner = ctx.provider_for_profile(src->value, ctx);
    if (!inner) return inner.error();
  }
  auto c = aws::credentials::make("ASIAASSUMEDROLE00001", "x/y", "t", std::nullopt, "assumed");
  return aws::provider_lookup::found(std::make_unique<aws::static_credentials_provider>(*c, "assume-role " + std::string(role->value)));
}

struct chain_files {
  std::string config;
  std::string credentials;
};

result<aws::chain_choice> choose(const aws::environment& env, const chain_files& cf, std::string profile,
                                 std::string origin, const aws::chain_hooks& hooks = {}) {
  auto files = aws::shared_config::from_strings(cf.config, cf.credentials);
  REQUIRE(files);
  static aws::shared_config keep;  // the chain borrows the files only while choosing
  keep = std::move(*files);
  return aws::choose_credentials_provider(context(env, keep, std::move(profile), std::move(origin)), hooks);
}

}  // namespace

TEST_CASE("the chain's precedence") {
  message_log log;
  const std::string dir = make_temp_dir();
  const std::string proc = script(dir, "p.sh", std::string("echo '") + good_process_json + "'");
  aws::map_environment env_keys{{"AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTKEY01"}, {"AWS_SECRET_ACCESS_KEY", "envSecretKeySECRET/xyz"},
                                {"HOME", dir}};
  aws::map_environment no_keys{{"HOME", dir}};
  const chain_files files{
      "[profile dev]\nsso_session = s\nsso_account_id = 1\nsso_role_name = R\n"
      "[sso-session s]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
      "[profile proc]\ncredential_process = " + proc + "\naws_access_key_id = AKIACONFIGFILEKEY001\naws_secret_access_key = profileSecretKeySECRET/xyz\n"
      "[profile cfgkeys]\naws_access_key_id = AKIACONFIGFILEKEY001\naws_secret_access_key = profileSecretKeySECRET/xyz\n"
      "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/FinOpsRead\nsource_profile = cfgkeys\n"
      "aws_access_key_id = AKIACONFIGFILEKEY002\naws_secret_access_key = profileSecretKeySECRET/xyz\n"
      "[profile mfa]\nrole_arn = arn:aws:iam::111122223333:role/R\nsource_profile = cfgkeys\nmfa_serial = arn:aws:iam::1:mfa/u\n"
      "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = loop-b\n"
      "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = loop-a\n",
      "[proc]\naws_access_key_id = AKIASHAREDCREDSKEY01\naws_secret_access_key = profileSecretKeySECRET/xyz\n"
      "[default]\naws_access_key_id = AKIASHAREDCREDSKEY02\naws_secret_access_key = profileSecretKeySECRET/xyz\n"};
  aws::chain_hooks hooks;
  hooks.assume_role = fake_assume_role;

  SUBCASE("environment keys win over AWS_PROFILE") {
    auto c = choose(env_keys, files, "dev", "AWS_PROFILE", hooks);
    REQUIRE(c);
    CHECK(c->kind == "environment");
    CHECK(c->provider->is_static());
  }
  SUBCASE("an explicit profile skips the environment keys") {
    auto c = choose(env_keys, files, "dev", "option", hooks);
    log.add(c);
    REQUIRE(c);
    CHECK(c->kind == "sso");
    CHECK(c->provider->name() == "sso (profile dev, session s)");
    CHECK(c->steps.front().declined.find("skipped: profile dev was chosen explicitly") == 0);
  }
  SUBCASE("AWS_PROFILE pointing at an SSO profile, no environment keys") {
    auto c = choose(no_keys, files, "dev", "AWS_PROFILE", hooks);
    REQUIRE(c);
    CHECK(c->kind == "sso");
    REQUIRE(c->steps.size() == 4);
    CHECK(c->steps[0].declined == "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    CHECK(c->steps[1].declined == "profile dev has no role_arn");
  }
  SUBCASE("the shared credentials file wins over credential_process, which wins over the config file's keys") {
    auto c = choose(no_keys, files, "proc", "AWS_PROFILE", hooks);
    REQUIRE(c);
    CHECK(c->kind == "shared-credentials-file");
    const chain_files no_creds_file{files.config, ""};
    auto p = choose(no_keys, no_creds_file, "proc", "AWS_PROFILE", hooks);
    REQUIRE(p);
    CHECK(p->kind == "credential_process");
    auto k = choose(no_keys, no_creds_file, "cfgkeys", "AWS_PROFILE", hooks);
    REQUIRE(k);
    CHECK(k->kind == "config-file");
  }
  SUBCASE("role_arn with static keys in the same profile: assume-role wins") {
    auto c = choose(no_keys, files, "role", "option", hooks);
    log.add(c);
    REQUIRE(c);
    CHECK(c->kind == "assume-role");
    CHECK(c->provider->name() == "assume-role arn:aws:iam::111122223333:role/FinOpsRead");
  }
  SUBCASE("role_arn without an assume-role provider: an error, never the profile's own keys") {
    auto c = choose(no_keys, files, "role", "option", aws::chain_hooks{});
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.error().message.find("assume-role credentials (profile role (from option)): profile role sets role_arn") == 0);
    CHECK(c.error().message.find("the assume-role provider is not available in this build") != std::string::npos);
  }
  SUBCASE("mfa_serial is refused with what to do instead") {
    auto c = choose(no_keys, files, "mfa", "option", hooks);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.error().message.find("MFA prompts are not supported; use `aws sts get-session-token`") != std::string::npos);
  }
  SUBCASE("a source_profile loop is named") {
    auto c = choose(no_keys, files, "loop-a", "option", hooks);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.error().message.find("source_profile loop: loop-a -> loop-b -> loop-a") != std::string::npos);
  }
  SUBCASE("nothing anywhere: every kind, in chain order, with its reason") {
    aws::map_environment bare{{"HOME", dir}};
    auto c = choose(bare, chain_files{"", ""}, "ghost", "AWS_PROFILE");
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.code() == errc::no_credentials);
    const std::string& m = c.error().message;
    CHECK(m.rfind("no AWS credentials found for profile ghost (from AWS_PROFILE), which is in neither the config file "
                  "nor the shared credentials file. Tried, in order: 1. environment: AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY are not set; 2. assume-role: not available in this build; 3. web-identity: not "
                  "available in this build; 4. sso: profile ghost has no sso_session or sso_start_url; 5. "
                  "shared-credentials-file: ",
                  0) == 0);
    std::size_t last = 0;
    for (const char* k : {"6. login_session: profile ghost has no login_session", "7. credential_process: profile ghost "
                          "has no credential_process", "8. config-file: ", "9. container: not available in this build",
                          "10. imds: not available in this build."}) {
      const std::size_t at = m.find(k);
      CHECK_MESSAGE(at != std::string::npos, k);
      CHECK(at > last);
      last = at;
    }
  }
  SUBCASE("a half-set environment is an error, not a decline") {
    aws::map_environment half{{"AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTKEY01"}};
    auto c = choose(half, files, "dev", "AWS_PROFILE", hooks);
    REQUIRE_FALSE(c);
    log.add(c);
    CHECK(c.error().message.find("Missing environment variable(s) for: AWS_SECRET_ACCESS_KEY") != std::string::npos);
  }
}

TEST_CASE("first_fetch_error: the last resort failing gives the whole tried-list; any other kind its own error") {
  aws::chain_choice c;
  c.kind = "imds";
  c.profile_description = "profile default (the default; set AWS_PROFILE or --profile to use another)";
  c.steps = {{"environment", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"},
             {"container", "neither is set"},
             {"imds", ""}};
  error refused(errc::no_credentials, "imds (http://127.0.0.1:1): the token request answered HTTP 403.");
  refused.http_status = 403;
  const error e = aws::first_fetch_error(c, refused);
  CHECK(e.code == errc::no_credentials);
  CHECK(e.http_status == 403);
  CHECK(e.message ==
        "no AWS credentials found for profile default (the default; set AWS_PROFILE or --profile to use another). "
        "Tried, in order: 1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; 2. container: "
        "neither is set; 3. imds: imds (http://127.0.0.1:1): the token request answered HTTP 403 (not on EC2? set "
        "AWS_EC2_METADATA_DISABLED=true to skip instance metadata).");
  // A reason that already says how to skip it is not told twice.
  const error slow(errc::no_credentials, "imds: timed out; set AWS_EC2_METADATA_DISABLED=true to skip it");
  const std::string m = aws::first_fetch_error(c, slow).message;
  CHECK(m.find("3. imds: imds: timed out; set AWS_EC2_METADATA_DISABLED=true to skip it.") != std::string::npos);
  CHECK(m.find("not on EC2?") == std::string::npos);
  // Any other kind: its own error as it is.
  c.kind = "sso";
  c.steps.back() = {"sso", ""};
  const error sso(errc::no_credentials, "sso (profile dev): run aws sso login");
  CHECK(aws::first_fetch_error(c, sso).message == sso.message);
}

TEST_CASE("make_credential_source: static kinds on the static path, others fetched once now") {
  message_log log;
  aws::map_environment env{{"AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTKEY01"}, {"AWS_SECRET_ACCESS_KEY", "envSecretKeySECRET/xyz"}};
  auto c = choose(env, chain_files{"", ""}, "default", "default");
  REQUIRE(c);
  auto src = aws::make_credential_source(std::move(c->provider), t0);
  REQUIRE(src);
  CHECK((*src)->is_static());
  CHECK_FALSE((*src)->needs_clock());
  CHECK((*src)->provider_name() == "environment");
  const std::string dir = make_temp_dir();
  const std::string proc = script(dir, "fail.sh", "echo 'no network' >&2; exit 4");
  auto p = aws::process_provider::make(proc, "x");
  REQUIRE(p);
  auto failed = aws::make_credential_source(std::move(*p), t0);
  REQUIRE_FALSE(failed);
  log.add(failed);
  CHECK(failed.error().message.find("exited with status 4; stderr: no network") != std::string::npos);
}
