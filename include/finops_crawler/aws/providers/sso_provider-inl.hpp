#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/sso_provider.hpp (see config.hpp).

#include "finops_crawler/aws/providers/sso_provider.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"
#include "finops_crawler/http/curl_transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC std::string sha1_hex(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), md, &len, EVP_sha1(), nullptr) != 1) return {};
  return finops_crawler::detail::to_hex_lower(md, len);
}

FINOPS_CRAWLER_FUNC std::string sso_settings::login_hint() const {
  return session_name.empty() ? "aws sso login --profile " + profile : "aws sso login --sso-session " + session_name;
}

FINOPS_CRAWLER_FUNC std::string sso_settings::cache_file() const {
  // botocore's SSO token cache key: the session name for sso_session
  // profiles, the start URL for the legacy form.
  return cache_dir + "/" + sha1_hex(session_name.empty() ? start_url : session_name) + ".json";
}

FINOPS_CRAWLER_FUNC result<std::optional<sso_settings>> sso_settings_for_profile(const shared_config& files,
                                                                                 std::string_view profile,
                                                                                 std::string_view home) {
  auto session = files.get(profile, "sso_session");
  auto start = files.get(profile, "sso_start_url");
  if ((!session || session->value.empty()) && (!start || start->value.empty())) return std::optional<sso_settings>{};
  sso_settings s;
  s.profile = std::string(profile);
  s.cache_dir = home.empty() ? std::string(".aws/sso/cache") : std::string(home) + "/.aws/sso/cache";
  const std::string where = "profile " + s.profile;
  auto missing = [&](const char* key, const std::string& in) {
    return error(errc::config_file, in + " has no " + key + " (needed for IAM Identity Center credentials)");
  };
  if (session && !session->value.empty()) {
    s.session_name = std::string(session->value);
    const ini_section* sec = files.config_file() ? files.config_file()->find_section("sso-session " + s.session_name)
                                                 : nullptr;
    const std::string sec_name = "[sso-session " + s.session_name + "]";
    if (sec == nullptr)
      return error(errc::config_file, std::string(session->file) + ":" + std::to_string(session->line) + ": " + where +
                                          " names sso_session " + s.session_name + ", but the config file has no " +
                                          sec_name + " section");
    const ini_property* u = sec->find("sso_start_url");
    const ini_property* r = sec->find("sso_region");
    if (u == nullptr || u->value.empty()) return missing("sso_start_url", sec_name);
    if (r == nullptr || r->value.empty()) return missing("sso_region", sec_name);
    s.start_url = u->value;
    s.sso_region = r->value;
    // botocore refuses a profile whose own values contradict its session.
    if (start && !start->value.empty() && start->value != s.start_url)
      return error(errc::config_file, where + " sets sso_start_url different from " + sec_name + "'s");
    if (auto pr = files.get(profile, "sso_region"); pr && !pr->value.empty() && pr->value != s.sso_region)
      return error(errc::config_file, where + " sets sso_region different from " + sec_name + "'s");
  } else {
    s.start_url = std::string(start->value);
    auto r = files.get(profile, "sso_region");
    if (!r || r->value.empty()) return missing("sso_region", where);
    s.sso_region = std::string(r->value);
  }
  auto acct = files.get(profile, "sso_account_id");
  auto role = files.get(profile, "sso_role_name");
  if (!acct || acct->value.empty()) return missing("sso_account_id", where);
  if (!role || role->value.empty()) return missing("sso_role_name", where);
  s.account_id = std::string(acct->value);
  s.role_name = std::string(role->value);
  return std::optional<sso_settings>(std::move(s));
}

/// The cached token. Wipes its secrets when destroyed.
struct sso_provider::token {
  std::string access_token;
  credentials::time_point expires_at{};
  std::string client_id;
  std::string client_secret;
  std::string refresh;
  std::string registration_expires_at;  // as written in the file
  std::optional<credentials::time_point> registration_expiry;
  std::string start_url;
  std::string region;
  token() = default;
  token(token&&) = default;
  token& operator=(token&&) = default;
  ~token() {
    detail::cleanse_string(access_token);
    detail::cleanse_string(client_secret);
    detail::cleanse_string(refresh);
  }
};

namespace detail {

FINOPS_CRAWLER_FUNC std::string url_without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

/// "2026-01-01T00:00:00Z"; the AWS CLI v1 wrote "...UTC" instead of "Z".
FINOPS_CRAWLER_FUNC result<credentials::time_point> parse_sso_time(std::string_view s) {
  if (s.size() > 3 && s.substr(s.size() - 3) == "UTC") {
    std::string t(s.substr(0, s.size() - 3));
    t += 'Z';
    return finops_crawler::detail::parse_iso8601(t);
  }
  return finops_crawler::detail::parse_iso8601(s);
}

/// Reads a small file whole; std::nullopt when it does not exist.
FINOPS_CRAWLER_FUNC result<std::optional<std::string>> read_small_file(const std::string& path, std::size_t cap) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return std::optional<std::string>{};
    return error(errc::config_file, "cannot read " + path + ": " + std::strerror(errno));
  }
  std::string text;
  char buf[4096];
  for (;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    text.append(buf, n);
    if (text.size() > cap) {
      std::fclose(f);
      cleanse_string(text);
      return error(errc::config_file, path + " is larger than " + std::to_string(cap) + " bytes");
    }
    if (n < sizeof buf) break;
  }
  const bool bad = std::ferror(f) != 0;
  std::fclose(f);
  finops_crawler::detail::secure_wipe(buf, sizeof buf);
  if (bad) {
    cleanse_string(text);
    return error(errc::config_file, "cannot read " + path);
  }
  return std::optional<std::string>(std::move(text));
}

/// Replaces `path` with `text` atomically, mode 0600: a new file beside it
/// (O_EXCL), fsync, rename. The AWS CLI writes its SSO cache the same way.
FINOPS_CRAWLER_FUNC status write_file_atomically_0600(const std::string& path, std::string_view text) {
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return error(errc::config_file, "cannot write " + tmp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return error(errc::config_file, "cannot write " + tmp + ": " + std::strerror(e));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return error(errc::config_file, "cannot write " + tmp + ": " + std::strerror(e));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    return error(errc::config_file, "cannot replace " + path + ": " + std::strerror(e));
  }
  return {};
}

/// The string member `key` of `obj`, empty when absent or not a string.
FINOPS_CRAWLER_FUNC std::string_view json_string_member(const simdjson::dom::object& obj, const char* key) {
  std::string_view v;
  simdjson::dom::element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return {};
  if (e.get_string().get(v) != simdjson::SUCCESS) return {};
  return v;
}

/// An error reply of the portal or OIDC, safe to show: the status, the
/// x-amzn-ErrorType (or the JSON "error" / "__type") and the message cut short.
FINOPS_CRAWLER_FUNC error service_error(const http::http_response& r, const std::string& what) {
  std::string code;
  if (auto h = r.header("x-amzn-ErrorType")) code = std::string(h->substr(0, h->find(':')));
  std::string message;
  finops_crawler::detail::json_document doc;
  if (auto root = doc.parse(r.body, what)) {
    simdjson::dom::object obj;
    if (root->get_object().get(obj) == simdjson::SUCCESS) {
      if (code.empty()) code = std::string(json_string_member(obj, "error"));
      if (code.empty()) code = std::string(json_string_member(obj, "__type"));
      message = std::string(json_string_member(obj, "message"));
      if (message.empty()) message = std::string(json_string_member(obj, "error_description"));
    }
  }
  error e(errc::http_status, what + " answered HTTP " + std::to_string(r.status) +
                                 (code.empty() ? std::string() : " " + safe_excerpt(code, 80)) +
                                 (message.empty() ? std::string() : ": " + safe_excerpt(message, 200)));
  e.http_status = r.status;
  e.aws_code = safe_excerpt(code, 80);
  if (auto id = r.header("x-amzn-RequestId")) e.request_id = safe_excerpt(*id, 80);
  return e;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC sso_provider::sso_provider(sso_settings settings, endpoint portal,
                                               std::unique_ptr<http::transport> portal_transport, endpoint oidc,
                                               std::unique_ptr<http::transport> oidc_transport,
                                               sso_http_options options)
    : settings_(std::move(settings)),
      portal_(std::move(portal)),
      portal_transport_(std::move(portal_transport)),
      oidc_(std::move(oidc)),
      oidc_transport_(std::move(oidc_transport)),
      options_(options) {
  name_ = "sso (profile " + settings_.profile +
          (settings_.session_name.empty() ? std::string(", legacy form") : ", session " + settings_.session_name) +
          ")";
}

FINOPS_CRAWLER_FUNC result<sso_provider::token> sso_provider::load_token() const {
  const std::string path = settings_.cache_file();
  auto text = detail::read_small_file(path, std::size_t{1} << 20);
  if (!text) return text.error();
  if (!text->has_value())
    return error(errc::no_credentials, name_ + ": no cached SSO token (" + path + " does not exist); run " +
                                           settings_.login_hint());
  std::string& body = **text;
  token t;
  error bad;
  {
    finops_crawler::detail::json_document doc;
    auto root = doc.parse(body, "the SSO token cache " + path);
    simdjson::dom::object obj;
    if (!root) {
      bad = root.error();
    } else if (root->get_object().get(obj) != simdjson::SUCCESS) {
      bad = error(errc::config_file, "the SSO token cache " + path + " is not a JSON object");
    } else {
      t.access_token = std::string(detail::json_string_member(obj, "accessToken"));
      const std::string_view exp = detail::json_string_member(obj, "expiresAt");
      t.client_id = std::string(detail::json_string_member(obj, "clientId"));
      t.client_secret = std::string(detail::json_string_member(obj, "clientSecret"));
      t.refresh = std::string(detail::json_string_member(obj, "refreshToken"));
      t.registration_expires_at = std::string(detail::json_string_member(obj, "registrationExpiresAt"));
      t.start_url = std::string(detail::json_string_member(obj, "startUrl"));
      t.region = std::string(detail::json_string_member(obj, "region"));
      if (t.access_token.empty() || exp.empty()) {
        bad = error(errc::config_file, "the SSO token cache " + path + " has no accessToken or expiresAt");
      } else if (auto when = detail::parse_sso_time(exp); !when) {
        bad = error(errc::config_file, "the SSO token cache " + path + " has an unreadable expiresAt: " +
                                           when.error().message);
      } else {
        t.expires_at = *when;
      }
      if (!t.registration_expires_at.empty())
        if (auto r = detail::parse_sso_time(t.registration_expires_at)) t.registration_expiry = *r;
    }
  }
  detail::cleanse_string(body);
  if (bad.code != errc::ok) {
    bad.code = errc::config_file;
    bad.message = name_ + ": " + bad.message + "; run " + settings_.login_hint();
    return bad;
  }
  return t;
}

FINOPS_CRAWLER_FUNC status sso_provider::refresh_token(token& t, credentials::time_point now) {
  // SSO-OIDC CreateToken with the refresh_token grant (botocore's
  // SSOTokenProvider._refresh_access_token).
  finops_crawler::detail::json_writer w;
  w.begin_object()
      .key("grantType").string("refresh_token")
      .key("clientId").string(t.client_id)
      .key("clientSecret").string(t.client_secret)
      .key("refreshToken").string(t.refresh)
      .end_object();
  auto body = std::move(w).finish();
  if (!body) return body.error();
  http::http_request req;
  req.method = "POST";
  req.url = detail::url_without_trailing_slash(oidc_.url) + "/token";
  req.headers.push_back({"Content-Type", "application/json"});
  req.body = std::move(*body);
  req.timeout = options_.timeout;
  auto r = oidc_transport_->send(req);
  detail::cleanse_string(req.body);
  if (!r) {
    error e = r.error();
    e.message = "SSO-OIDC CreateToken at " + oidc_.url + " failed: " + e.message;
    return e;
  }
  http::http_response& resp = *r;
  if (resp.status != 200) {
    error e = detail::service_error(resp, "SSO-OIDC CreateToken at " + oidc_.url);
    detail::cleanse_string(resp.body);
    return e;
  }
  std::string access, refresh;
  std::int64_t expires_in = 0;
  error bad;
  {
    finops_crawler::detail::json_document doc;
    auto root = doc.parse(resp.body, "the SSO-OIDC CreateToken reply");
    simdjson::dom::object obj;
    if (!root) {
      bad = root.error();
    } else if (root->get_object().get(obj) != simdjson::SUCCESS) {
      bad = error(errc::unexpected_shape, "the SSO-OIDC CreateToken reply is not a JSON object");
    } else {
      access = std::string(detail::json_string_member(obj, "accessToken"));
      refresh = std::string(detail::json_string_member(obj, "refreshToken"));
      simdjson::dom::element e;
      if (obj["expiresIn"].get(e) != simdjson::SUCCESS || e.get_int64().get(expires_in) != simdjson::SUCCESS ||
          expires_in <= 0 || access.empty())
        bad = error(errc::unexpected_shape, "the SSO-OIDC CreateToken reply lacks accessToken or expiresIn");
    }
  }
  detail::cleanse_string(resp.body);
  if (bad.code != errc::ok) {
    detail::cleanse_string(access);
    detail::cleanse_string(refresh);
    return bad;
  }
  detail::cleanse_string(t.access_token);
  t.access_token = std::move(access);
  if (!refresh.empty()) {
    detail::cleanse_string(t.refresh);
    t.refresh = std::move(refresh);
  }
  t.expires_at = now + std::chrono::seconds(expires_in);
  // Write the cache back in the AWS CLI's shape, so the CLI and the SDKs
  // see the new token too.
  finops_crawler::detail::json_writer out;
  out.begin_object()
      .key("startUrl").string(t.start_url.empty() ? settings_.start_url : t.start_url)
      .key("region").string(t.region.empty() ? settings_.sso_region : t.region)
      .key("accessToken").string(t.access_token)
      .key("expiresAt").string(detail::iso8601_utc(t.expires_at))
      .key("clientId").string(t.client_id)
      .key("clientSecret").string(t.client_secret)
      .key("registrationExpiresAt").string(t.registration_expires_at)
      .key("refreshToken").string(t.refresh)
      .end_object();
  auto text = std::move(out).finish();
  if (!text) return text.error();
  auto st = detail::write_file_atomically_0600(settings_.cache_file(), *text);
  detail::cleanse_string(*text);
  return st;
}

FINOPS_CRAWLER_FUNC result<credentials> sso_provider::role_credentials(const token& t) {
  http::http_request req;
  req.method = "GET";
  req.url = detail::url_without_trailing_slash(portal_.url) + "/federation/credentials?account_id=";
  finops_crawler::detail::append_uri_encoded(req.url, settings_.account_id);
  req.url += "&role_name=";
  finops_crawler::detail::append_uri_encoded(req.url, settings_.role_name);
  req.headers.push_back({"x-amz-sso_bearer_token", t.access_token});
  req.timeout = options_.timeout;
  auto r = portal_transport_->send(req);
  detail::cleanse_string(req.headers[0].value);
  const std::string what = name_ + ": GetRoleCredentials for account " + settings_.account_id + " role " +
                           settings_.role_name + " at " + portal_.url;
  if (!r) {
    error e = r.error();
    e.message = what + " failed: " + e.message;
    return e;
  }
  http::http_response& resp = *r;
  if (resp.status != 200) {
    error e = detail::service_error(resp, what);
    detail::cleanse_string(resp.body);
    if (resp.status == 401) {
      e.code = errc::no_credentials;
      e.message += "; the SSO access token was refused: run " + settings_.login_hint();
    } else if (resp.status == 403) {
      e.code = errc::no_credentials;
      e.message += "; check sso_account_id and sso_role_name of profile " + settings_.profile;
    }
    return e;
  }
  result<credentials> out = error(errc::unexpected_shape, what + ": the reply lacks roleCredentials");
  {
    finops_crawler::detail::json_document doc;
    auto root = doc.parse(resp.body, what + ": the reply");
    simdjson::dom::object obj, rc;
    if (!root) {
      out = root.error();
    } else if (root->get_object().get(obj) == simdjson::SUCCESS && obj["roleCredentials"].get_object().get(rc) == simdjson::SUCCESS) {
      const std::string_view id = detail::json_string_member(rc, "accessKeyId");
      const std::string_view secret = detail::json_string_member(rc, "secretAccessKey");
      const std::string_view session = detail::json_string_member(rc, "sessionToken");
      std::int64_t ms = 0;
      simdjson::dom::element e;
      if (id.empty() || secret.empty() || session.empty() || rc["expiration"].get(e) != simdjson::SUCCESS ||
          e.get_int64().get(ms) != simdjson::SUCCESS) {
        out = error(errc::unexpected_shape,
                    what + ": the reply lacks accessKeyId, secretAccessKey, sessionToken or expiration");
      } else {
        const auto expiry = credentials::time_point(std::chrono::duration_cast<credentials::time_point::duration>(
            std::chrono::milliseconds(ms)));
        out = credentials::make(std::string(id), std::string(secret), std::string(session), expiry, name_);
        if (!out) out = error(errc::unexpected_shape, what + ": " + out.error().message);
      }
    }
  }
  detail::cleanse_string(resp.body);
  return out;
}

FINOPS_CRAWLER_FUNC result<credentials> sso_provider::fetch(credentials::time_point now) {
  auto t = load_token();
  if (!t) return t.error();
  error refresh_failure;
  const bool session_form = !settings_.session_name.empty();
  if (session_form && t->expires_at - now < options_.token_refresh_window) {
    const bool refreshable = !t->refresh.empty() && !t->client_id.empty() && !t->client_secret.empty() &&
                             t->registration_expiry && *t->registration_expiry > now;
    if (refreshable) {
      if (auto st = refresh_token(*t, now); !st) refresh_failure = st.error();
    } else if (t->expires_at <= now) {
      refresh_failure = error(errc::no_credentials, "the cache has no usable refresh token (refreshToken, clientId, "
                                                    "clientSecret and a registrationExpiresAt in the future)");
    }
  }
  if (t->expires_at <= now) {
    std::string msg = name_ + ": the cached SSO token expired at " + detail::iso8601_utc(t->expires_at);
    if (refresh_failure.code != errc::ok) msg += " and could not be refreshed (" + refresh_failure.message + ")";
    msg += "; run " + settings_.login_hint();
    return error(errc::no_credentials, std::move(msg));
  }
  return role_credentials(*t);
}

FINOPS_CRAWLER_FUNC result<provider_lookup> find_sso_provider(const provider_context& ctx) {
  auto s = sso_settings_for_profile(*ctx.files, ctx.profile, ctx.home());
  if (!s) return s.error();
  if (!s->has_value()) return provider_lookup::decline("profile " + ctx.profile + " has no sso_session or sso_start_url");
  sso_settings& settings = **s;
  auto resolve = [&](provider_service svc) -> result<endpoint> {
    if (ctx.endpoint_for) return ctx.endpoint_for(svc, settings.sso_region);
    return detail::default_provider_endpoint(svc, settings.sso_region);
  };
  auto portal = resolve(provider_service::sso);
  if (!portal) return portal.error();
  auto oidc = resolve(provider_service::sso_oidc);
  if (!oidc) return oidc.error();
  auto make = [&](const endpoint& e) -> std::unique_ptr<http::transport> {
    if (ctx.make_transport) return ctx.make_transport(e);
    http::curl_options c;
    c.allow_http = e.overridden;
    return std::make_unique<http::curl_transport>(std::move(c));
  };
  auto pt = make(*portal);
  auto ot = make(*oidc);
  return provider_lookup::found(std::make_unique<sso_provider>(std::move(settings), std::move(*portal), std::move(pt),
                                                               std::move(*oidc), std::move(ot)));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_INL_HPP
