#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/login_provider.hpp (see config.hpp).

#include "finops_crawler/aws/providers/login_provider.hpp"

#include "finops_crawler/aws/providers/sso_provider-inl.hpp"  // its file and JSON helpers
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC std::string login_cache_key(std::string_view login_session) {
  while (!login_session.empty() && detail::is_blank(login_session.front())) login_session.remove_prefix(1);
  while (!login_session.empty() && detail::is_blank(login_session.back())) login_session.remove_suffix(1);
  finops_crawler::detail::sha256_digest d{};
  if (!finops_crawler::detail::sha256_oneshot(login_session, d)) return {};
  return finops_crawler::detail::to_hex_lower(d.data(), d.size());
}

FINOPS_CRAWLER_FUNC result<credentials> parse_login_cache(std::string_view json, const std::string& source) {
  finops_crawler::detail::json_document doc;
  auto root = doc.parse(json, "the login cache of " + source);
  if (!root) return error(errc::config_file, root.error().message);
  simdjson::dom::object obj, at;
  if (root->get_object().get(obj) != simdjson::SUCCESS)
    return error(errc::config_file, "the login cache of " + source + " is not a JSON object");
  const std::string_view type = detail::json_string_member(obj, "tokenType");
  if (type != "aws_sigv4")
    return error(errc::config_file, "the login cache of " + source + " has tokenType " +
                                        (type.empty() ? std::string("(none)") : "'" + detail::safe_excerpt(type, 40) + "'") +
                                        ", expected aws_sigv4");
  if (obj["accessToken"].get_object().get(at) != simdjson::SUCCESS)
    return error(errc::config_file, "the login cache of " + source + " has no accessToken object");
  const char* names[] = {"accessKeyId", "secretAccessKey", "sessionToken", "expiresAt"};
  std::string_view v[4];
  for (int i = 0; i < 4; ++i) {
    v[i] = detail::json_string_member(at, names[i]);
    if (v[i].empty())
      return error(errc::config_file, "the login cache of " + source + " has no accessToken." + names[i]);
  }
  auto when = finops_crawler::detail::parse_iso8601(v[3]);
  if (!when)
    return error(errc::config_file, "the login cache of " + source + " has an unreadable accessToken.expiresAt: " +
                                        when.error().message);
  auto c = credentials::make(std::string(v[0]), std::string(v[1]), std::string(v[2]), *when, source);
  if (!c) return error(errc::config_file, c.error().message);
  return c;
}

FINOPS_CRAWLER_FUNC login_provider::login_provider(std::string profile, std::string login_session, std::string cache_dir)
    : profile_(std::move(profile)),
      file_(std::move(cache_dir) + "/" + login_cache_key(login_session) + ".json"),
      name_("login_session (profile " + profile_ + ")") {}

FINOPS_CRAWLER_FUNC result<credentials> login_provider::fetch(credentials::time_point now) {
  const std::string hint = "run aws login --profile " + profile_;
  auto text = detail::read_small_file(file_, std::size_t{1} << 20);
  if (!text) return text.error();
  if (!text->has_value())
    return error(errc::no_credentials, name_ + ": no cached login (" + file_ + " does not exist); " + hint);
  auto c = parse_login_cache(**text, name_);
  detail::cleanse_string(**text);
  if (!c) {
    error e = c.error();
    e.message += "; " + hint;
    return e;
  }
  if (c->expired(now))
    return error(errc::no_credentials, name_ + ": the cached credentials expired at " +
                                           detail::iso8601_utc(*c->expiry()) +
                                           " (refreshing them through AWS Sign-In is not implemented); " + hint);
  return c;
}

FINOPS_CRAWLER_FUNC result<provider_lookup> find_login_provider(const provider_context& ctx) {
  auto v = ctx.get("login_session");
  if (!v || v->value.empty()) return provider_lookup::decline("profile " + ctx.profile + " has no login_session");
  std::string dir;
  if (auto d = ctx.env->get_non_empty("AWS_LOGIN_CACHE_DIRECTORY")) {
    dir = *d;
  } else {
    const std::string home = ctx.home();
    dir = home.empty() ? std::string(".aws/login/cache") : home + "/.aws/login/cache";
  }
  return provider_lookup::found(std::make_unique<login_provider>(ctx.profile, std::string(v->value), std::move(dir)));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_INL_HPP
