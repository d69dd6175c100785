#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_INL_HPP
/// \file
/// The bodies of aws/providers/sts_providers.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <utility>

#include "finops_crawler/aws/aws_error.hpp"
#include "finops_crawler/aws/providers/container_provider.hpp"
#include "finops_crawler/aws/providers/imds_provider.hpp"
#include "finops_crawler/aws/providers/sts_providers.hpp"
#include "finops_crawler/aws/sts/xml_reader.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC result<sts_role_credentials> parse_sts_role_credentials(std::string_view xml,
                                                                           std::string_view action,
                                                                           std::string source) {
  const std::string root = std::string(action) + "Response";
  const std::string result_name = std::string(action) + "Result";
  const std::string what = "STS " + std::string(action) + " reply";
  std::string id, secret, token, expiration, arn, request_id, err_code, err_message;
  auto keep = [&](std::string& field, const sts::xml_element& e) -> status {
    // Twice: AWS never sends it, so the reply is damaged; refused, not half-read.
    if (!field.empty())
      return error(errc::unexpected_shape, what + ": <" + std::string(e.name()) + "> appears twice in <" +
                                               std::string(e.parent()) + ">");
    field.assign(e.text.data(), e.text.size());
    return {};
  };
  auto st = sts::xml_read(xml, what, [&](const sts::xml_element& e) -> status {
    if (e.start) {
      if (e.depth == 1 && e.name() != root && e.name() != "ErrorResponse")
        return error(errc::unexpected_shape, what + ": root element is not <" + root + ">");
      return {};
    }
    const std::string_view name = e.name(), parent = e.parent();
    if (e.depth == 4 && parent == "Credentials" && e.path[1] == result_name) {
      if (name == "AccessKeyId") return keep(id, e);
      if (name == "SecretAccessKey") return keep(secret, e);
      if (name == "SessionToken") return keep(token, e);
      if (name == "Expiration") return keep(expiration, e);
    } else if (e.depth == 4 && parent == "AssumedRoleUser" && name == "Arn") {
      return keep(arn, e);
    } else if (parent == "ResponseMetadata" && name == "RequestId") {
      return keep(request_id, e);
    } else if (e.root() == "ErrorResponse") {
      if (parent == "Error" && name == "Code") return keep(err_code, e);
      if (parent == "Error" && name == "Message") return keep(err_message, e);
      if (e.depth == 2 && name == "RequestId") return keep(request_id, e);
    }
    return {};
  });
  auto wipe = [&] {
    detail::cleanse_string(secret);
    detail::cleanse_string(token);
  };
  if (!st) {
    wipe();
    return st.error();
  }
  if (!err_code.empty()) {
    error e(errc::aws_error, "STS " + std::string(action) + " failed: " + detail::clean_message(err_code, 100) +
                                 (err_message.empty() ? std::string() : ": " + detail::clean_message(err_message, 300)));
    e.aws_code = detail::clean_message(err_code, 100);
    e.request_id = request_id;
    wipe();
    return e;
  }
  const char* missing = id.empty()           ? "AccessKeyId"
                        : secret.empty()     ? "SecretAccessKey"
                        : token.empty()      ? "SessionToken"
                        : expiration.empty() ? "Expiration"
                                             : nullptr;
  if (missing != nullptr) {
    wipe();
    return error(errc::unexpected_shape,
                 what + ": " + root + "." + result_name + ".Credentials." + missing + " is missing");
  }
  auto when = finops_crawler::detail::parse_iso8601(expiration);
  if (!when) {
    wipe();
    return error(errc::unexpected_shape, what + ": Credentials.Expiration is not an ISO 8601 timestamp");
  }
  auto made = credentials::make(std::move(id), std::move(secret), std::move(token), *when, std::move(source));
  if (!made) {
    error e = made.error();
    e.code = errc::unexpected_shape;
    e.message = what + ": " + e.message;
    return e;
  }
  sts_role_credentials out;
  out.creds = std::move(*made);
  out.assumed_role_arn = std::move(arn);
  out.request_id = std::move(request_id);
  return out;
}

namespace detail {

FINOPS_CRAWLER_FUNC std::string default_role_session_name(credentials::time_point now) {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return "finops-crawler-" + std::to_string(secs);
}

FINOPS_CRAWLER_FUNC result<std::string> read_token_file(const std::string& path, std::string_view what) {
  constexpr std::size_t limit = 64 * 1024;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  auto fail = [&](std::string why) {
    return error(errc::no_credentials, std::string(what) + " '" + path + "' cannot be read: " + why);
  };
  if (ec) return fail(ec.message());
  if (fs::is_directory(st)) return fail("it is a directory");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(std::generic_category().message(errno));
  std::string text(limit + 1, '\0');
  const std::size_t n = std::fread(&text[0], 1, text.size(), f);
  std::fclose(f);
  if (n > limit) {
    cleanse_string(text);
    return fail("it is larger than 64 KiB");
  }
  text.resize(n);
  const std::string_view trimmed = finops_crawler::detail::trim(text, " \t\r\n");
  if (trimmed.empty()) {
    cleanse_string(text);
    return fail("it is empty");
  }
  std::string out(trimmed);
  cleanse_string(text);
  return out;
}

/// botocore's duration_seconds check: an integer; STS itself enforces 900..43200.
FINOPS_CRAWLER_FUNC result<std::optional<int>> profile_duration(const provider_context& ctx) {
  auto v = ctx.get("duration_seconds");
  if (!v || v->value.empty()) return std::optional<int>{};
  long n = 0;
  bool ok = v->value.size() <= 6;
  for (char c : v->value) ok = ok && c >= '0' && c <= '9';
  if (ok) n = std::stol(std::string(v->value));
  if (!ok || n < 900 || n > 43200)
    return error(errc::config_file, std::string(v->file) + ":" + std::to_string(v->line) + ": profile " + ctx.profile +
                                        ": duration_seconds must be a whole number of seconds from 900 to 43200");
  return std::optional<int>(static_cast<int>(n));
}

FINOPS_CRAWLER_FUNC std::string where(const profile_value& v) {
  return std::string(v.file) + ":" + std::to_string(v.line);
}

FINOPS_CRAWLER_FUNC result<sts_connection> sts_connection_for(const provider_context& ctx) {
  std::string region = ctx.region;
  if (region.empty())
    if (auto r = ctx.get("region"); r && !r->value.empty()) region = std::string(r->value);
  if (region.empty()) region = "us-east-1";
  sts_connection c;
  if (ctx.endpoint_for) {
    auto e = ctx.endpoint_for(provider_service::sts, region);
    if (!e) return e.error();
    c.target = std::move(*e);
  } else {
    static const shared_config no_files;
    auto e = resolve_endpoint(service::sts, std::string_view(region), {}, ctx.env ? *ctx.env : default_environment(),
                              ctx.files ? *ctx.files : no_files, ctx.profile);
    if (!e) return e.error();
    c.target = std::move(*e);
  }
  if (ctx.make_transport) c.transport = ctx.make_transport(c.target);
  return c;
}

/// The static keys of one profile (credentials file first, as botocore).
FINOPS_CRAWLER_FUNC result<std::optional<credentials>> profile_static_keys(const shared_config& files,
                                                                          const std::string& profile) {
  if (const ini_section* s = files.credentials_profile(profile)) {
    const std::string& file = files.credentials_file()->source();
    auto r = credentials_from_section(*s, file, "shared credentials file " + file + " profile " + profile);
    if (!r || r->has_value()) return r;
  }
  if (const ini_section* s = files.config_profile(profile)) {
    const std::string& file = files.config_file()->source();
    return credentials_from_section(*s, file, "config file " + file + " profile " + profile);
  }
  return std::optional<credentials>{};
}

}  // namespace detail

FINOPS_CRAWLER_FUNC assume_role_provider::assume_role_provider(assume_role_settings settings,
                                                               std::shared_ptr<refreshing_credentials> source,
                                                               sts_connection sts)
    : settings_(std::move(settings)) {
  name_ = "assume-role " + settings_.role_arn;
  if (!settings_.via.empty()) name_ += " via " + settings_.via;
  client_options o;
  o.service = sts_api;
  o.target = std::move(sts.target);
  o.credential_source = std::move(source);
  o.transport = std::move(sts.transport);
  o.curl = std::move(sts.curl);
  o.retry.max_attempts = std::max(1, sts.max_attempts);
  o.call_deadline = sts.call_deadline;
  o.rate_limit = {0, 1};
  client_.reset(new json_client(std::move(o)));
}

FINOPS_CRAWLER_FUNC result<credentials> assume_role_provider::fetch(credentials::time_point now) {
  // botocore keeps one generated session name for the provider's life.
  if (settings_.role_session_name.empty()) settings_.role_session_name = detail::default_role_session_name(now);
  std::vector<json_client::form_param> params{{"RoleArn", settings_.role_arn},
                                              {"RoleSessionName", settings_.role_session_name}};
  if (!settings_.external_id.empty()) params.push_back({"ExternalId", settings_.external_id});
  if (settings_.duration_seconds) params.push_back({"DurationSeconds", std::to_string(*settings_.duration_seconds)});
  auto r = client_->call_query("AssumeRole", params);
  if (!r) {
    error e = r.error();
    e.message = name_ + ": " + e.message;
    if (e.code == errc::aws_error && e.aws_code == "AccessDenied")
      e.message += " (check the role's trust policy, the source's sts:AssumeRole permission and external_id)";
    return e;
  }
  auto parsed = parse_sts_role_credentials(r->body, "AssumeRole", name_);
  detail::cleanse_string(r->body);
  if (!parsed) {
    error e = parsed.error();
    e.message = name_ + ": " + e.message;
    return e;
  }
  return std::move(parsed->creds);
}

FINOPS_CRAWLER_FUNC web_identity_provider::web_identity_provider(web_identity_settings settings, sts_connection sts)
    : settings_(std::move(settings)), sts_(std::move(sts)) {
  name_ = "web-identity " + settings_.role_arn + " (token file " + settings_.token_file;
  if (!settings_.via.empty()) name_ += ", from " + settings_.via;
  name_ += ")";
  if (!sts_.transport) {
    http::curl_options c = sts_.curl;
    c.allow_http = sts_.target.overridden;
    sts_.transport.reset(new http::curl_transport(std::move(c)));
  }
}

FINOPS_CRAWLER_FUNC result<credentials> web_identity_provider::fetch(credentials::time_point now) {
  // Read at every fetch: EKS and CI runners replace the token file.
  auto token = detail::read_token_file(settings_.token_file, "web identity token file");
  if (!token) {
    error e = token.error();
    e.message = name_ + ": " + e.message;
    return e;
  }
  if (settings_.role_session_name.empty()) settings_.role_session_name = detail::default_role_session_name(now);
  std::string host, path;
  if (auto s = detail::split_endpoint_url(sts_.target.url, host, path); !s) return s.error();
  http::http_request req;
  req.method = "POST";
  req.url = sts_.target.url;
  if (req.url.find('/', req.url.find("://") + 3) == std::string::npos) req.url += '/';
  req.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  // Query protocol, unsigned (the operation's authtype is "none").
  req.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=";
  finops_crawler::detail::append_uri_encoded(req.body, settings_.role_arn);
  req.body += "&RoleSessionName=";
  finops_crawler::detail::append_uri_encoded(req.body, settings_.role_session_name);
  req.body += "&WebIdentityToken=";
  finops_crawler::detail::append_uri_encoded(req.body, *token);
  detail::cleanse_string(*token);
  if (settings_.duration_seconds) req.body += "&DurationSeconds=" + std::to_string(*settings_.duration_seconds);
  req.timeout = sts_.call_deadline;

  const error_context ctx{"STS", "AssumeRoleWithWebIdentity", "sts"};
  error last(errc::transport, "not sent");
  const int attempts = std::max(1, sts_.max_attempts);
  for (int n = 1; n <= attempts; ++n) {
    auto sent = sts_.transport->send(req);
    if (sent && sent->status >= 200 && sent->status < 300) {
      auto parsed = parse_sts_role_credentials(sent->body, "AssumeRoleWithWebIdentity", name_);
      detail::cleanse_string(sent->body);
      detail::cleanse_string(req.body);
      if (!parsed) {
        error e = parsed.error();
        e.message = name_ + ": " + e.message;
        return e;
      }
      return std::move(parsed->creds);
    }
    last = sent ? decode_query_error(*sent, ctx) : sent.error();
    // botocore also retries IDPCommunicationError: the identity provider was unreachable.
    const bool again = last.retryable || last.aws_code == "IDPCommunicationError";
    if (!again || n == attempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << n));
  }
  detail::cleanse_string(req.body);
  last.message = name_ + ": " + last.message;
  if (last.aws_code == "InvalidIdentityToken") last.message += " (the token in the file was refused; is it current?)";
  return last;
}

FINOPS_CRAWLER_FUNC result<provider_lookup> assume_role_factory(const provider_context& ctx) {
  const std::string& p = ctx.profile;
  auto role = ctx.get("role_arn");
  if (!role || role->value.empty()) return provider_lookup::decline("profile " + p + " has no role_arn");
  if (auto w = ctx.get("web_identity_token_file"); w && !w->value.empty())
    return provider_lookup::decline("profile " + p + " assumes its role with web_identity_token_file");
  if (auto mfa = ctx.get("mfa_serial"); mfa && !mfa->value.empty())
    return error(errc::no_credentials, detail::where(*mfa) + ": profile " + p +
                                           " sets mfa_serial: MFA prompts are not supported; use `aws sts "
                                           "get-session-token` and export the temporary keys it prints");
  auto source_profile = ctx.get("source_profile");
  auto credential_source = ctx.get("credential_source");
  const bool has_sp = source_profile && !source_profile->value.empty();
  const bool has_cs = credential_source && !credential_source->value.empty();
  if (has_sp && has_cs)
    return error(errc::config_file, detail::where(*credential_source) + ": profile " + p +
                                        " sets both source_profile and credential_source; keep one");
  if (!has_sp && !has_cs)
    return error(errc::config_file, detail::where(*role) + ": profile " + p +
                                        " sets role_arn but neither source_profile nor credential_source");
  auto duration = detail::profile_duration(ctx);
  if (!duration) return duration.error();

  assume_role_settings s;
  s.role_arn = std::string(role->value);
  if (auto v = ctx.get("role_session_name")) s.role_session_name = std::string(v->value);
  if (auto v = ctx.get("external_id")) s.external_id = std::string(v->value);
  s.duration_seconds = *duration;

  std::shared_ptr<refreshing_credentials> source;
  if (has_cs) {
    const std::string cs(credential_source->value);
    s.via = "profile " + p + " (credential_source " + cs + ")";
    std::unique_ptr<credentials_provider> inner;
    if (cs == "Environment") {
      auto env_creds = credentials_from_environment(ctx.env ? *ctx.env : default_environment());
      if (!env_creds) return env_creds.error();
      if (!env_creds->has_value())
        return error(errc::no_credentials, "profile " + p +
                                               " has credential_source Environment, but AWS_ACCESS_KEY_ID and "
                                               "AWS_SECRET_ACCESS_KEY are not set");
      inner.reset(new static_credentials_provider(std::move(**env_creds), "environment"));
    } else if (cs == "Ec2InstanceMetadata") {
      auto imds = detail::make_imds_provider(ctx);
      if (!imds) return imds.error();
      inner = std::move(*imds);
    } else if (cs == "EcsContainer") {
      auto c = container_factory(ctx);
      if (!c) return c.error();
      if (!c->provider)
        return error(errc::no_credentials, "profile " + p + " has credential_source EcsContainer, but " + c->declined);
      inner = std::move(c->provider);
    } else {
      return error(errc::config_file, detail::where(*credential_source) + ": profile " + p + ": credential_source '" +
                                          cs + "' is not one of Environment, Ec2InstanceMetadata, EcsContainer");
    }
    auto r = refreshing_credentials::make(std::move(inner));
    if (!r) return r.error();
    source = std::move(*r);
  } else {
    const std::string sp(source_profile->value);
    s.via = "profile " + sp;
    // The path so far (the chain may have appended this profile already).
    std::vector<std::string> trail = ctx.profile_path;
    if (trail.empty() || trail.back() != p) trail.push_back(p);
    std::string path;
    for (const auto& q : trail) path += q + " -> ";
    path += sp;
    const bool loops =
        std::find(ctx.profile_path.begin(), ctx.profile_path.end(), sp) != ctx.profile_path.end() || sp == p;
    if (sp == p && ctx.files) {
      // botocore: a profile may name itself as source_profile to sign
      // AssumeRole with its own static keys.
      auto keys = detail::profile_static_keys(*ctx.files, p);
      if (!keys) return keys.error();
      if (keys->has_value()) {
        auto r = refreshing_credentials::make_static(std::move(**keys));
        if (!r) return r.error();
        source = std::move(*r);
      }
    }
    if (!source) {
      if (loops)
        return error(errc::config_file, detail::where(*source_profile) + ": source_profile loop: " + path);
      if (ctx.files == nullptr || !ctx.files->has_profile(sp))
        return error(errc::config_file, detail::where(*source_profile) + ": profile " + p + " names source_profile " +
                                            sp + ", which is in neither shared file");
      std::unique_ptr<credentials_provider> inner;
      if (ctx.provider_for_profile) {
        provider_context from = ctx;
        from.profile_path = trail;
        auto r = ctx.provider_for_profile(sp, from);
        if (!r) return r.error();
        inner = std::move(*r);
      } else {
        auto keys = detail::profile_static_keys(*ctx.files, sp);
        if (!keys) return keys.error();
        if (!keys->has_value())
          return error(errc::no_credentials, "source_profile " + sp + " of profile " + p + " has no static keys");
        inner.reset(new static_credentials_provider(std::move(**keys)));
      }
      const bool is_static = inner->is_static();
      if (is_static) {
        auto c = inner->fetch(std::chrono::system_clock::now());
        if (!c) return c.error();
        auto r = refreshing_credentials::make_static(std::move(*c));
        if (!r) return r.error();
        source = std::move(*r);
      } else {
        auto r = refreshing_credentials::make(std::move(inner));
        if (!r) return r.error();
        source = std::move(*r);
      }
    }
  }
  auto sts = detail::sts_connection_for(ctx);
  if (!sts) return sts.error();
  return provider_lookup::found(
      std::unique_ptr<credentials_provider>(new assume_role_provider(std::move(s), std::move(source), std::move(*sts))));
}

FINOPS_CRAWLER_FUNC result<provider_lookup> web_identity_factory(const provider_context& ctx) {
  const environment& env = ctx.env ? *ctx.env : default_environment();
  web_identity_settings s;
  bool from_env = false;
  if (auto v = env.get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE")) {
    s.token_file = *v;
    from_env = true;
  } else if (auto f = ctx.get("web_identity_token_file"); f && !f->value.empty()) {
    s.token_file = std::string(f->value);
  }
  if (auto v = env.get_non_empty("AWS_ROLE_ARN")) s.role_arn = *v;
  else if (auto f = ctx.get("role_arn"); f && !f->value.empty()) s.role_arn = std::string(f->value);
  if (s.token_file.empty())
    return provider_lookup::decline("neither AWS_WEB_IDENTITY_TOKEN_FILE nor the profile's web_identity_token_file is set");
  if (s.role_arn.empty())
    return provider_lookup::decline("a web identity token file is set but neither AWS_ROLE_ARN nor the profile's role_arn");
  if (auto v = env.get_non_empty("AWS_ROLE_SESSION_NAME")) s.role_session_name = *v;
  else if (auto f = ctx.get("role_session_name")) s.role_session_name = std::string(f->value);
  if (s.token_file.rfind("~/", 0) == 0 && !ctx.home().empty()) s.token_file = ctx.home() + s.token_file.substr(1);
  auto duration = detail::profile_duration(ctx);
  if (!duration) return duration.error();
  s.duration_seconds = *duration;
  s.via = from_env ? "environment" : "profile " + ctx.profile;
  auto sts = detail::sts_connection_for(ctx);
  if (!sts) return sts.error();
  return provider_lookup::found(
      std::unique_ptr<credentials_provider>(new web_identity_provider(std::move(s), std::move(*sts))));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_INL_HPP
