#ifndef FINOPS_CRAWLER_AWS_CREDENTIALS_INL_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIALS_INL_HPP
/// \file
/// The bodies of aws/credentials.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/credentials.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC bool has_blank_or_control(std::string_view s) noexcept {
  for (unsigned char c : s)
    if (c <= 0x20 || c == 0x7f) return true;
  return false;
}

/// "AKIAIOSFODNN7EXAMPLE" -> "AKIA…MPLE"; short ids are shown as "…".
FINOPS_CRAWLER_FUNC std::string abbreviate_key_id(std::string_view id) {
  if (id.size() < 12) return "\xE2\x80\xA6";  // too short to show any of it safely
  std::string out(id.substr(0, 4));
  out += "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
  out += id.substr(id.size() - 4);
  return out;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<credentials> credentials::make(std::string access_key_id, std::string secret_access_key,
                                             std::string session_token, std::optional<time_point> expiry,
                                             std::string source) {
  credentials c;
  c.secret_ = detail::secret_buffer(secret_access_key);
  c.token_ = detail::secret_buffer(session_token);
  detail::cleanse_string(secret_access_key);
  detail::cleanse_string(session_token);
  if (access_key_id.empty())
    return error(errc::invalid_argument, "AWS access key id is empty (source: " + source + ")");
  if (detail::has_blank_or_control(access_key_id))
    return error(errc::invalid_argument, "AWS access key id contains blanks or control characters (source: " + source + ")");
  if (c.secret_.empty())
    return error(errc::invalid_argument, "AWS secret access key is empty (source: " + source + ")");
  if (detail::has_blank_or_control(c.secret_.view()))
    return error(errc::invalid_argument,
                 "AWS secret access key contains blanks or control characters (source: " + source + ")");
  if (detail::has_blank_or_control(c.token_.view()))
    return error(errc::invalid_argument,
                 "AWS session token contains blanks or control characters (source: " + source + ")");
  c.access_key_id_ = std::move(access_key_id);
  c.expiry_ = expiry;
  c.source_ = std::move(source);
  return c;
}

FINOPS_CRAWLER_FUNC std::string credentials::to_string() const {
  if (empty()) return "(no credentials)";
  std::string out = detail::abbreviate_key_id(access_key_id_);
  out += has_session_token() ? " (secret and session token redacted)" : " (secret redacted)";
  if (!source_.empty()) {
    out += " from ";
    out += source_;
  }
  return out;
}

FINOPS_CRAWLER_FUNC result<std::optional<credentials>> credentials_from_environment(const environment& env) {
  std::optional<std::string> id = env.get_non_empty("AWS_ACCESS_KEY_ID");
  std::optional<std::string> secret = env.get_non_empty("AWS_SECRET_ACCESS_KEY");
  if (!id && !secret) return std::optional<credentials>{};
  if (!id || !secret) {
    if (secret) detail::cleanse_string(*secret);
    // Same wording as the Python original, naming only what is missing.
    return error(errc::no_credentials,
                 std::string("Missing environment variable(s) for: ") +
                     (id ? "AWS_SECRET_ACCESS_KEY (AWS_ACCESS_KEY_ID is set)"
                         : "AWS_ACCESS_KEY_ID (AWS_SECRET_ACCESS_KEY is set)"));
  }
  std::optional<credentials::time_point> expiry;
  if (auto when = env.get_non_empty("AWS_CREDENTIAL_EXPIRATION")) {
    auto t = finops_crawler::detail::parse_iso8601(*when);
    if (!t) {
      detail::cleanse_string(*secret);
      return error(errc::invalid_argument, "AWS_CREDENTIAL_EXPIRATION: " + t.error().message);
    }
    expiry = *t;
  }
  std::optional<std::string> token = env.get_non_empty("AWS_SESSION_TOKEN");
  if (!token) token = env.get_non_empty("AWS_SECURITY_TOKEN");
  auto made = credentials::make(std::move(*id), std::move(*secret), token ? std::move(*token) : std::string(),
                                expiry, "environment");
  if (token) detail::cleanse_string(*token);
  if (!made) {
    error e = made.error();
    e.code = errc::no_credentials;
    e.message += "; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY";
    return e;
  }
  return std::optional<credentials>(std::move(*made));
}

FINOPS_CRAWLER_FUNC result<std::optional<credentials>> credentials_from_section(const ini_section& section, std::string_view file,
                                                                   std::string source) {
  const ini_property* id = section.find("aws_access_key_id");
  const ini_property* secret = section.find("aws_secret_access_key");
  const ini_property* token = section.find("aws_session_token");
  if (token == nullptr) token = section.find("aws_security_token");
  if (id == nullptr && secret == nullptr) return std::optional<credentials>{};
  auto where = [&](std::size_t line) { return std::string(file) + ":" + std::to_string(line) + ": [" + section.name + "] "; };
  if (id == nullptr)
    return error(errc::config_file, where(secret->line) + "sets aws_secret_access_key but not aws_access_key_id");
  if (secret == nullptr)
    return error(errc::config_file, where(id->line) + "sets aws_access_key_id but not aws_secret_access_key");
  if (id->value.empty()) return error(errc::config_file, where(id->line) + "has an empty aws_access_key_id");
  if (secret->value.empty()) return error(errc::config_file, where(secret->line) + "has an empty aws_secret_access_key");
  auto made = credentials::make(id->value, secret->value, token ? token->value : std::string(), std::nullopt,
                                std::move(source));
  if (!made) {
    // Point at the line; the message from make() never holds the value.
    const std::string& m = made.error().message;
    std::size_t line = id->line;
    if (m.find("secret access key") != std::string::npos) line = secret->line;
    if (token != nullptr && m.find("session token") != std::string::npos) line = token->line;
    return error(errc::config_file, where(line) + made.error().message);
  }
  return std::optional<credentials>(std::move(*made));
}

namespace detail {

/// Settings that mean "get credentials some other way", which only the
/// provider chain (credential_provider_chain.hpp) follows; named in the
/// error so the user knows why.
FINOPS_CRAWLER_FUNC std::string unsupported_credential_setting(const ini_section* s) {
  if (s == nullptr) return {};
  for (const char* k : {"role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file",
                        "credential_source"})
    if (s->find(k) != nullptr) return k;
  return {};
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<credentials> resolve_credentials(const credential_options& options, const environment& env,
                                               const shared_config& files) {
  // 1. Explicit values.
  const bool have_id = options.access_key_id && !options.access_key_id->empty();
  const bool have_secret = options.secret_access_key.has_value();
  if (have_id || have_secret) {
    if (!have_id)
      return error(errc::invalid_argument, "explicit secret access key given without an access key id");
    if (!have_secret)
      return error(errc::invalid_argument, "explicit access key id given without a secret access key");
    return credentials::make(*options.access_key_id, *options.secret_access_key,
                             options.session_token ? *options.session_token : std::string(), options.expiry,
                             "explicit option");
  }

  // 2. Environment.
  {
    auto r = credentials_from_environment(env);
    if (!r) return r.error();
    if (r->has_value()) return std::move(**r);
  }

  // 3 and 4. Shared credentials file, then config file.
  const profile_choice profile = resolve_profile(
      options.profile ? std::optional<std::string_view>(*options.profile) : std::nullopt, env);
  const shared_config_paths& paths = files.paths();
  std::string tried_credentials;
  std::string tried_config;
  auto describe = [](const std::optional<ini_file>& f, const std::string& path, const std::string& origin) {
    std::string s = path.empty() ? std::string("(no path)") : path;
    if (!origin.empty()) s += " (from " + origin + ")";
    if (!f) s += path.empty() ? "" : ": not found";
    return s;
  };

  const ini_section* cred_section = files.credentials_profile(profile.name);
  tried_credentials = describe(files.credentials_file(),
                               files.credentials_file() ? files.credentials_file()->source() : paths.credentials_file,
                               paths.credentials_origin);
  if (cred_section != nullptr) {
    const std::string& file = files.credentials_file()->source();
    auto r = credentials_from_section(*cred_section, file,
                                      "shared credentials file " + file + " profile " + profile.name);
    if (!r) return r.error();
    if (r->has_value()) return std::move(**r);
    tried_credentials += ": [" + profile.name + "] has no aws_access_key_id";
  } else if (files.credentials_file()) {
    tried_credentials += ": no [" + profile.name + "] section";
  }

  const ini_section* conf_section = files.config_profile(profile.name);
  tried_config = describe(files.config_file(), files.config_file() ? files.config_file()->source() : paths.config_file,
                          paths.config_origin);
  if (conf_section != nullptr) {
    const std::string& file = files.config_file()->source();
    auto r = credentials_from_section(*conf_section, file, "config file " + file + " profile " + profile.name);
    if (!r) return r.error();
    if (r->has_value()) return std::move(**r);
    tried_config += ": [" + conf_section->name + "] has no aws_access_key_id";
  } else if (files.config_file()) {
    tried_config += profile.name == "default" ? ": no [default] section"
                                              : ": no [profile " + profile.name + "] section";
  }

  // Nothing found: say everything that was looked at, so the user can fix it.
  std::string msg =
      "no AWS credentials found. Tried, in order: explicit options (none given); environment: Missing "
      "environment variable(s) for: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY; shared credentials file " +
      tried_credentials + "; config file " + tried_config + ". Profile: " + profile.name + " (" +
      (profile.origin == "default" ? std::string("the default; set AWS_PROFILE to use another")
                                   : "from " + profile.origin) +
      ")";
  std::string unsupported = detail::unsupported_credential_setting(cred_section);
  if (unsupported.empty()) unsupported = detail::unsupported_credential_setting(conf_section);
  if (!unsupported.empty())
    msg += ". The profile uses " + unsupported +
           ", which this static-only lookup does not follow; aws::session (and the command line) run the "
           "whole chain of credential_provider_chain.hpp, which does";
  return error(errc::no_credentials, std::move(msg));
}

FINOPS_CRAWLER_FUNC result<credentials> resolve_credentials(const credential_options& options, const environment& env) {
  const bool explicit_given = (options.access_key_id && !options.access_key_id->empty()) ||
                              options.secret_access_key.has_value();
  if (!explicit_given) {
    auto r = credentials_from_environment(env);
    if (!r) return r.error();
    if (r->has_value()) return std::move(**r);
  } else {
    return resolve_credentials(options, env, shared_config());
  }
  const shared_config_paths paths = default_shared_config_paths(env, options.config_file, options.credentials_file);
  auto files = shared_config::load(paths);
  if (!files) return files.error();
  return resolve_credentials(options, env, *files);
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CREDENTIALS_INL_HPP
