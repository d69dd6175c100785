// The credential test doubles (credential_doubles.hpp): STS AssumeRole and
// AssumeRoleWithWebIdentity through the simulator's listener, and a sibling
// cpp-httplib listener for the SSO portal, SSO-OIDC, the container
// credentials endpoint and IMDSv2. Wire shapes follow the services' API
// references (STS query protocol XML, SSO portal and SSO-OIDC REST JSON, the
// ECS/EKS and EC2 metadata JSON documents).

#include "credential_doubles.hpp"

#include <httplib.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include "synthetic_data.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sim {

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::int64_t secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::string out = format_date(days);  // YYYY-MM-DD, the simulator's own date code
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return out + buf;
}

// Internal linkage: this is the doubles' one translation unit.
namespace {

void xml_escape(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
}

void json_quote(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;  // never in what the doubles send
    out += c;
  }
  out += '"';
}

// arn:aws:iam::123456789012:role/NAME (a path before NAME allowed).
bool parse_role_arn(std::string_view arn, std::string& account, std::string& role) {
  constexpr std::string_view prefix = "arn:aws:iam::";
  if (arn.substr(0, prefix.size()) != prefix) return false;
  arn.remove_prefix(prefix.size());
  if (arn.size() < 13 || arn[12] != ':') return false;
  account = std::string(arn.substr(0, 12));
  if (!std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  arn.remove_prefix(13);
  if (arn.substr(0, 5) != "role/" || arn.size() == 5) return false;
  const std::size_t slash = arn.rfind('/');
  role = std::string(arn.substr(slash + 1));
  return !role.empty();
}

constexpr std::size_t index_of(double_service s) { return static_cast<std::size_t>(s); }

}  // namespace

struct credential_doubles::impl {
  doubles_options opts;
  httplib::Server server;
  std::thread thread;
  std::atomic<int> port{0};
  std::atomic<bool> started{false};
  std::atomic<long long> lifetime_s{3600};

  mutable std::mutex mu;
  std::array<double_fault, double_service_count> faults{};
  std::array<std::uint64_t, double_service_count> request_counts{};
  std::array<std::map<std::string, std::string>, double_service_count> last{};
  std::vector<issued_credential> issued;
  std::map<std::string, std::uint64_t, std::less<>> uses;  // "KEY|service"
  std::vector<std::string> sso_tokens;
  std::string refresh_token;
  std::vector<std::string> imds_tokens;
  std::uint64_t imds_token_puts = 0;
  std::mt19937_64 rng{std::random_device{}()};

  explicit impl(doubles_options o) : opts(std::move(o)) {
    lifetime_s = opts.lifetime.count();
    sso_tokens = opts.sso_access_tokens;
    refresh_token = opts.oidc_refresh_token;
  }

  std::chrono::system_clock::time_point now() const {
    return opts.clock ? opts.clock() : std::chrono::system_clock::now();
  }

  // Counts the request, stores what it carried, returns the fault in force.
  double_fault arrive(double_service s, std::map<std::string, std::string> seen) {
    std::lock_guard<std::mutex> lock(mu);
    ++request_counts[index_of(s)];
    last[index_of(s)] = std::move(seen);
    return faults[index_of(s)];
  }

  // Caller holds mu.
  std::string random_text(std::string_view alphabet, std::size_t n) {
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out += alphabet[rng() % alphabet.size()];
    return out;
  }

  // A new temporary key pair, registered with the simulator.
  issued_credential issue(double_service by, std::string role_arn) {
    std::lock_guard<std::mutex> lock(mu);
    issued_credential c;
    c.by = by;
    c.access_key_id = "ASIA" + random_text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
    c.secret_access_key = random_text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
    c.session_token = "FQoGZXIvYXdzE" + random_text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 120);
    c.expiry = now() + std::chrono::seconds(lifetime_s.load());
    c.role_arn = std::move(role_arn);
    issued.push_back(c);
    return c;
  }

  std::string account_for(const std::string& role_arn) const {
    if (!opts.account_id.empty()) return opts.account_id;
    std::string account, role;
    if (parse_role_arn(role_arn, account, role)) return account;
    return {};
  }

  bool role_allowed(const std::string& arn) const {
    std::string account, role;
    if (!parse_role_arn(arn, account, role)) return false;
    return opts.role_arns.empty() || std::find(opts.role_arns.begin(), opts.role_arns.end(), arn) != opts.role_arns.end();
  }

  // ----- STS ----------------------------------------------------------------

  bool sts(std::string_view action, const std::map<std::string, std::string>& form, const credential* caller,
           std::string_view rid, sts_answer& out) {
    const bool web = action == "AssumeRoleWithWebIdentity";
    if (!web && action != "AssumeRole") return false;
    const double_service s = web ? double_service::web_identity : double_service::assume_role;
    auto seen = form;
    if (caller) seen["caller"] = caller->access_key_id;
    const double_fault f = arrive(s, std::move(seen));
    if (f == double_fault::slow) out.delay_ms = opts.slow_ms;
    auto get = [&](const char* k) {
      auto it = form.find(k);
      return it == form.end() ? std::string() : it->second;
    };
    auto fail = [&](int status, std::string code, std::string message) {
      out.status = status;
      out.error_code = std::move(code);
      out.message = std::move(message);
      return true;
    };
    if (f == double_fault::refuse)
      return fail(403, "AccessDenied", "User is not authorized to perform: sts:" + std::string(action));
    const std::string arn = get("RoleArn");
    const std::string session = get("RoleSessionName");
    if (arn.empty()) return fail(400, "ValidationError", "1 validation error detected: Value null at 'roleArn'");
    if (session.empty())
      return fail(400, "ValidationError", "1 validation error detected: Value null at 'roleSessionName'");
    if (session.size() < 2 || session.size() > 64 ||
        session.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=,.@-_") !=
            std::string::npos)
      return fail(400, "ValidationError", "Value at 'roleSessionName' failed to satisfy constraint");
    if (auto d = get("DurationSeconds"); !d.empty()) {
      long v = 0;
      for (char c : d) v = (c >= '0' && c <= '9' && v < 1000000) ? v * 10 + (c - '0') : 1000000;
      if (v < 900 || v > 43200)
        return fail(400, "ValidationError", "Value at 'durationSeconds' failed to satisfy constraint");
    }
    if (web) {
      const std::string token = get("WebIdentityToken");
      if (std::find(opts.web_identity_tokens.begin(), opts.web_identity_tokens.end(), token) ==
          opts.web_identity_tokens.end())
        return fail(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated");
    } else if (!opts.external_id.empty() && get("ExternalId") != opts.external_id) {
      return fail(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole (external id)");
    }
    if (!role_allowed(arn))
      return fail(403, "AccessDenied", "User is not authorized to perform: sts:" + std::string(action) + " on " + arn);

    const issued_credential c = issue(s, arn);
    std::string account, role;
    parse_role_arn(arn, account, role);
    const std::string acct = account_for(arn);
    const std::string root = std::string(action) + "Response";
    std::string& b = out.body;
    b = "<" + root + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <" + std::string(action) +
        "Result>\n";
    if (f == double_fault::malformed) {
      // A complete envelope whose Credentials lack the secret.
      b += "    <Credentials><AccessKeyId>" + c.access_key_id + "</AccessKeyId></Credentials>\n";
    } else {
      b += "    <Credentials>\n      <AccessKeyId>" + c.access_key_id + "</AccessKeyId>\n      <SecretAccessKey>" +
           c.secret_access_key + "</SecretAccessKey>\n      <SessionToken>" + c.session_token +
           "</SessionToken>\n      <Expiration>" + iso8601_utc(c.expiry) + "</Expiration>\n    </Credentials>\n";
    }
    b += "    <AssumedRoleUser>\n      <AssumedRoleId>AROAFINOPSSIMROLE0001:";
    xml_escape(b, session);
    b += "</AssumedRoleId>\n      <Arn>arn:aws:sts::" + acct + ":assumed-role/" + role + "/";
    xml_escape(b, session);
    b += "</Arn>\n    </AssumedRoleUser>\n";
    if (web) b += "    <SubjectFromWebIdentityToken>system:serviceaccount:finops:crawler</SubjectFromWebIdentityToken>\n";
    b += "  </" + std::string(action) + "Result>\n  <ResponseMetadata>\n    <RequestId>" + std::string(rid) +
         "</RequestId>\n  </ResponseMetadata>\n</" + root + ">\n";
    return true;
  }

  // ----- the sibling listener -------------------------------------------------

  static void json_reply(httplib::Response& res, int status, std::string body, std::string_view error_type = {}) {
    res.status = status;
    if (!error_type.empty()) res.set_header("x-amzn-ErrorType", std::string(error_type));
    res.set_content(std::move(body), "application/json");
  }

  void slow_if(double_fault f) const {
    if (f == double_fault::slow) std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp(opts.slow_ms, 0, 60000)));
  }

  // JSON credentials of the container endpoint and IMDS (same member names).
  std::string metadata_json(const issued_credential& c, bool imds, bool malformed) const {
    std::string b = "{\n";
    if (imds) b += "  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"" + iso8601_utc(now()) + "\",\n  \"Type\" : \"AWS-HMAC\",\n";
    else b += "  \"RoleArn\" : \"arn:aws:iam::111122223333:role/finops-sim-task-role\",\n";
    b += "  \"AccessKeyId\" : \"" + c.access_key_id + "\",\n  \"SecretAccessKey\" : \"" + c.secret_access_key +
         "\",\n  \"Token\" : \"" + c.session_token + "\",\n  \"Expiration\" : \"" + iso8601_utc(c.expiry) + "\"\n}\n";
    if (malformed) b.resize(b.size() / 3);  // cut inside the secret
    return b;
  }

  void sso_portal(const httplib::Request& req, httplib::Response& res) {
    const std::string token = req.get_header_value("x-amz-sso_bearer_token");
    const std::string account = req.get_param_value("account_id");
    const std::string role = req.get_param_value("role_name");
    const double_fault f = arrive(double_service::sso_portal,
                                  {{"account_id", account}, {"role_name", role}, {"x-amz-sso_bearer_token", token}});
    slow_if(f);
    bool token_ok;
    {
      std::lock_guard<std::mutex> lock(mu);
      token_ok = !token.empty() && std::find(sso_tokens.begin(), sso_tokens.end(), token) != sso_tokens.end();
    }
    if (!token_ok)
      return json_reply(res, 401, "{\"message\":\"Session token not found or invalid\"}", "UnauthorizedException");
    if (f == double_fault::refuse || account != opts.sso_account_id || role != opts.sso_role_name)
      return json_reply(res, 403, "{\"message\":\"No access\"}", "ForbiddenException");
    const issued_credential c =
        issue(double_service::sso_portal, "arn:aws:iam::" + account + ":role/" + role);
    const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(c.expiry.time_since_epoch()).count();
    std::string b = "{\"roleCredentials\":{\"accessKeyId\":\"" + c.access_key_id + "\",\"secretAccessKey\":\"" +
                    c.secret_access_key + "\",\"sessionToken\":\"" + c.session_token +
                    "\",\"expiration\":" + std::to_string(ms) + "}}";
    if (f == double_fault::malformed) b.resize(b.size() / 2);
    json_reply(res, 200, std::move(b));
  }

  void sso_oidc(const httplib::Request& req, httplib::Response& res) {
    const double_fault f = arrive(double_service::sso_oidc, {{"body", req.body}});
    slow_if(f);
    simdjson::dom::parser parser;
    simdjson::dom::object o;
    if (parser.parse(req.body).get_object().get(o))
      return json_reply(res, 400, "{\"error\":\"invalid_request\",\"error_description\":\"body is not JSON\"}",
                        "InvalidRequestException");
    auto str = [&](const char* k) {
      std::string_view v;
      if (o[k].get_string().get(v)) return std::string();
      return std::string(v);
    };
    if (f == double_fault::refuse)
      return json_reply(res, 403, "{\"error\":\"access_denied\",\"error_description\":\"Access denied\"}",
                        "AccessDeniedException");
    if (str("clientId") != opts.oidc_client_id || str("clientSecret") != opts.oidc_client_secret)
      return json_reply(res, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}",
                        "InvalidClientException");
    if (str("grantType") != "refresh_token")
      return json_reply(res, 400, "{\"error\":\"unsupported_grant_type\"}", "UnsupportedGrantTypeException");
    std::string access, next;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (refresh_token.empty() || str("refreshToken") != refresh_token) {
        res.status = 400;
      } else {
        access = "finops-sim-sso-access-" + random_text("abcdefghijklmnopqrstuvwxyz0123456789", 24);
        next = "finops-sim-refresh-" + random_text("abcdefghijklmnopqrstuvwxyz0123456789", 24);
        sso_tokens.push_back(access);
        refresh_token = next;
      }
    }
    if (access.empty())
      return json_reply(res, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh token provided\"}",
                        "InvalidGrantException");
    std::string b = "{\"accessToken\":";
    json_quote(b, access);
    b += ",\"tokenType\":\"Bearer\",\"expiresIn\":" + std::to_string(lifetime_s.load()) + ",\"refreshToken\":";
    json_quote(b, next);
    b += "}";
    if (f == double_fault::malformed) b.resize(b.size() / 2);
    json_reply(res, 200, std::move(b));
  }

  void container(const httplib::Request& req, httplib::Response& res) {
    const std::string auth = req.get_header_value("Authorization");
    const double_fault f = arrive(double_service::container, {{"authorization", auth}, {"path", req.path}});
    slow_if(f);
    if (f == double_fault::refuse || (!opts.container_token.empty() && auth != opts.container_token))
      return json_reply(res, 403, "{\"code\":\"AccessDeniedException\",\"message\":\"Authorization token is invalid\"}");
    const issued_credential c = issue(double_service::container, "arn:aws:iam::111122223333:role/finops-sim-task-role");
    json_reply(res, 200, metadata_json(c, false, f == double_fault::malformed));
  }

  bool imds_token_ok(const httplib::Request& req) {
    const std::string t = req.get_header_value("X-aws-ec2-metadata-token");
    std::lock_guard<std::mutex> lock(mu);
    return !t.empty() && std::find(imds_tokens.begin(), imds_tokens.end(), t) != imds_tokens.end();
  }

  void imds_token(const httplib::Request& req, httplib::Response& res) {
    const std::string ttl = req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds");
    const double_fault f =
        arrive(double_service::imds, {{"path", req.path}, {"x-aws-ec2-metadata-token-ttl-seconds", ttl}});
    {
      std::lock_guard<std::mutex> lock(mu);
      ++imds_token_puts;
    }
    slow_if(f);
    long v = 0;
    for (char c : ttl) v = (c >= '0' && c <= '9' && v < 100000) ? v * 10 + (c - '0') : 100000;
    if (ttl.empty() || v < 1 || v > 21600) {
      res.status = 400;
      return;
    }
    if (f == double_fault::refuse) {
      res.status = 403;
      return;
    }
    std::string token;
    {
      std::lock_guard<std::mutex> lock(mu);
      token = "AQAEAFinopsSimImds" + random_text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
      imds_tokens.push_back(token);
    }
    res.set_header("X-aws-ec2-metadata-token-ttl-seconds", ttl);
    res.set_content(token, "text/plain");
  }

  void imds_credentials(const httplib::Request& req, httplib::Response& res, const std::string& role) {
    const double_fault f = arrive(double_service::imds, {{"path", req.path},
                                                         {"x-aws-ec2-metadata-token",
                                                          req.has_header("X-aws-ec2-metadata-token") ? "present" : ""}});
    slow_if(f);
    // IMDSv2 only: a request without a valid session token is refused.
    if (f == double_fault::refuse || !imds_token_ok(req)) {
      res.status = 401;
      return;
    }
    if (role.empty()) return res.set_content(opts.imds_role, "text/plain");
    if (role != opts.imds_role) {
      res.status = 404;
      return;
    }
    const issued_credential c = issue(double_service::imds, "arn:aws:iam::111122223333:role/" + opts.imds_role);
    res.set_content(metadata_json(c, true, f == double_fault::malformed), "text/plain");
  }
};

credential_doubles::credential_doubles(doubles_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

credential_doubles::~credential_doubles() { stop(); }

result<int> credential_doubles::start() {
  impl& m = *impl_;
  if (m.started) return error(errc::invalid_argument, "the credential doubles are already started");
  httplib::Server& s = m.server;
  s.set_keep_alive_timeout(2);
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.Get("/federation/credentials", [&m](const httplib::Request& q, httplib::Response& r) { m.sso_portal(q, r); });
  s.Post("/token", [&m](const httplib::Request& q, httplib::Response& r) { m.sso_oidc(q, r); });
  s.Get(m.opts.container_path, [&m](const httplib::Request& q, httplib::Response& r) { m.container(q, r); });
  s.Put("/latest/api/token", [&m](const httplib::Request& q, httplib::Response& r) { m.imds_token(q, r); });
  s.Get(R"(/latest/meta-data/iam/security-credentials/([^/]*))",
        [&m](const httplib::Request& q, httplib::Response& r) { m.imds_credentials(q, r, q.matches[1]); });
  const int port = m.opts.port == 0 ? s.bind_to_any_port("127.0.0.1")
                                    : (s.bind_to_port("127.0.0.1", m.opts.port) ? m.opts.port : -1);
  if (port <= 0) return error(errc::transport, "cannot bind 127.0.0.1:" + std::to_string(m.opts.port));
  m.port = port;
  m.started = true;
  m.thread = std::thread([&m] { m.server.listen_after_bind(); });
  // As in simulator::start(): stop() needs the accept loop running (bounded wait).
  for (int i = 0; i < 10000 && !m.server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

void credential_doubles::stop() {
  impl& m = *impl_;
  if (!m.started) return;
  m.server.stop();
  if (m.thread.joinable()) m.thread.join();
  m.started = false;
}

std::string credential_doubles::endpoint_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port.load()); }

std::string credential_doubles::container_url() const { return endpoint_url() + impl_->opts.container_path; }

void credential_doubles::set_fault(double_service s, double_fault f) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults[index_of(s)] = f;
}

void credential_doubles::set_lifetime(std::chrono::seconds lifetime) { impl_->lifetime_s = lifetime.count(); }

std::vector<issued_credential> credential_doubles::issued() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->issued;
}

std::uint64_t credential_doubles::uses(std::string_view access_key_id, std::string_view service) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->uses.find(std::string(access_key_id) + "|" + std::string(service));
  return it == impl_->uses.end() ? 0 : it->second;
}

std::uint64_t credential_doubles::requests(double_service s) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->request_counts[index_of(s)];
}

std::uint64_t credential_doubles::imds_token_requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->imds_token_puts;
}

void credential_doubles::revoke_imds_tokens() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->imds_tokens.clear();
}

std::map<std::string, std::string> credential_doubles::last_request(double_service s) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last[index_of(s)];
}

bool credential_doubles::find_credential(std::string_view access_key_id, credential& out) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  for (const auto& c : impl_->issued)
    if (c.access_key_id == access_key_id) {
      out.access_key_id = c.access_key_id;
      out.secret_access_key = c.secret_access_key;
      out.session_token = c.session_token;
      out.expired = impl_->now() >= c.expiry;
      out.account_id = impl_->opts.account_id;
      return true;
    }
  return false;
}

void credential_doubles::authenticated(std::string_view access_key_id, std::string_view service) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  ++impl_->uses[std::string(access_key_id) + "|" + std::string(service)];
}

bool credential_doubles::unsigned_action(std::string_view action) const {
  // Why: AssumeRoleWithWebIdentity is "authtype": "none" in the STS model;
  // the web identity token is the proof.
  return action == "AssumeRoleWithWebIdentity";
}

bool credential_doubles::answer_sts(std::string_view action, const std::map<std::string, std::string>& form,
                                    const credential* caller, std::string_view request_id, sts_answer& out) {
  return impl_->sts(action, form, caller, request_id, out);
}

}  // namespace sim
}  // namespace v0
}  // namespace finops_crawler
