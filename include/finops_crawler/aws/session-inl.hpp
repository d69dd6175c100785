#ifndef FINOPS_CRAWLER_AWS_SESSION_INL_HPP
#define FINOPS_CRAWLER_AWS_SESSION_INL_HPP
/// \file
/// The bodies of aws/session.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/session.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC status resolve_ca_bundle(session_options& options, const environment& env, const shared_config& config,
                                             const std::string& profile, std::string& origin) {
  // The AWS CLI's order: --ca-bundle, AWS_CA_BUNDLE, the profile's ca_bundle.
  std::string& path = options.curl.ca_bundle;
  if (options.ca_bundle && !options.ca_bundle->empty()) {
    path = *options.ca_bundle;
    origin = "option";
  } else if (!path.empty()) {
    origin = "curl_options::ca_bundle";
  } else if (auto v = env.get_non_empty("AWS_CA_BUNDLE")) {
    path = *v;
    origin = "AWS_CA_BUNDLE";
  } else if (auto p = config.get(profile, "ca_bundle"); p && !p->value.empty()) {
    path = std::string(p->value);
    origin = "profile " + profile + " in " + std::string(p->file) + ":" + std::to_string(p->line);
  } else {
    return {};
  }
  // Read now, so a mistyped path fails before any request rather than as a
  // TLS error on the first one.
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  std::string why;
  if (ec) {
    why = ec.message();
  } else if (fs::is_directory(st)) {
    why = "it is a directory (give a file of PEM certificates)";
  } else if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    std::fclose(f);
  } else {
    why = std::generic_category().message(errno);
  }
  if (why.empty()) return {};
  return error(errc::invalid_argument,
               "CA bundle '" + path + "' (from " + origin + ") cannot be read: " + why);
}

/// The endpoint of a service a credential provider calls (STS, the SSO
/// portal, SSO-OIDC), by the rules of endpoints.hpp: AWS_ENDPOINT_URL_STS /
/// _SSO / _SSO_OIDC, AWS_ENDPOINT_URL, the profile's services section and
/// endpoint_url, FIPS and dual-stack, else the regional host.
FINOPS_CRAWLER_FUNC result<endpoint> provider_endpoint(provider_service svc, std::string_view region,
                                                       const environment& env, const shared_config& config,
                                                       const std::string& profile) {
  const std::optional<std::string_view> r =
      region.empty() ? std::nullopt : std::optional<std::string_view>(region);
  const service s = svc == provider_service::sts ? service::sts
                    : svc == provider_service::sso ? service::sso
                                                   : service::sso_oidc;
  return resolve_endpoint(s, r, endpoint_options{}, env, config, profile);
}

/// The credential chain of an open session: the provider context from the
/// session's files, profile, region and transports, the chain, then the
/// first fetch (make_credential_source; its failure through
/// first_fetch_error). `kind` gets the chosen kind.
FINOPS_CRAWLER_FUNC result<std::shared_ptr<refreshing_credentials>> open_credential_chain(
    const session_options& options, const environment& env, const shared_config& config, const profile_choice& profile,
    const std::string& region, credentials::time_point now, std::string& kind) {
  provider_context ctx;
  ctx.env = &env;
  ctx.files = &config;
  ctx.profile = profile.name;
  ctx.profile_origin = profile.origin;
  ctx.profile_explicit = profile.origin == "option";
  ctx.region = region;
  ctx.endpoint_for = [&env, &config, name = profile.name](provider_service svc, std::string_view r) {
    return provider_endpoint(svc, r, env, config, name);
  };
  // Providers talk to their endpoints with the session's TLS settings (CA
  // bundle) and plain http only where the endpoint was configured.
  ctx.make_transport = [curl = options.curl](const endpoint& target) -> std::unique_ptr<http::transport> {
    http::curl_options c = curl;
    c.allow_http = target.overridden;
    return std::make_unique<http::curl_transport>(std::move(c));
  };
  ctx.process_timeout = options.credential_process_timeout;
  auto choice = choose_credentials_provider(std::move(ctx), options.credential_hooks);
  if (!choice) return choice.error();
  kind = choice->kind;
  auto src = make_credential_source(std::move(choice->provider), now, options.credential_refresh);
  // The last resort failing (IMDS off EC2) means nothing supplied
  // credentials: the whole tried-list, not IMDS's error alone.
  if (!src) return first_fetch_error(*choice, src.error());
  return src;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<session> session::open(session_options options) {
  session s;
  s.env_ = options.env ? options.env : &default_environment();
  const environment& env = *s.env_;
  credential_options& chain = options.credential_chain;
  if (!chain.profile && options.profile && !options.profile->empty()) chain.profile = options.profile;
  // The files are read once, before the environment is looked at, as the
  // AWS CLI does: a broken ~/.aws/config fails even when AWS_* keys are set.
  auto files = shared_config::load(default_shared_config_paths(env, chain.config_file, chain.credentials_file));
  if (!files) return files.error();
  s.config_ = std::move(*files);
  s.profile_ = resolve_profile(chain.profile ? std::optional<std::string_view>(*chain.profile) : std::nullopt, env);
  // The CA bundle is checked before the credential chain, some of whose
  // providers may send requests.
  if (auto st = detail::resolve_ca_bundle(options, env, s.config_, s.profile_.name, s.ca_bundle_origin_); !st)
    return st.error();
  // The region first: the STS credential providers call the regional
  // endpoint.
  const auto region = resolve_region(
      options.region && !options.region->empty() ? std::optional<std::string_view>(*options.region) : std::nullopt,
      env, s.config_, s.profile_.name);
  if (region) s.region_ = std::move(*region);
  const credentials::time_point now = options.wall_clock ? options.wall_clock() : std::chrono::system_clock::now();
  if (options.credential_source) {
    s.source_ = std::move(options.credential_source);
    s.credential_kind_ = "code";
    // Fetched now, so a broken source fails before anything is sent.
    auto first = s.source_->current(now);
    if (!first) return first.error();
    s.creds_ = first->get();
  } else {
    const bool explicit_keys =
        (chain.access_key_id && !chain.access_key_id->empty()) || chain.secret_access_key.has_value();
    if (options.creds || explicit_keys) {
      if (options.creds) {
        s.creds_ = std::move(*options.creds);
        options.creds.reset();
      } else {
        auto creds = resolve_credentials(chain, env, s.config_);
        if (!creds) return creds.error();
        s.creds_ = std::move(*creds);
      }
      auto st = refreshing_credentials::make_static(s.creds_);
      if (!st) return st.error();
      s.source_ = std::move(*st);
      s.credential_kind_ = "explicit";
    } else {
      // The chain (credential_provider_chain.hpp); its STS providers use
      // the session's region.
      auto src = detail::open_credential_chain(options, env, s.config_, s.profile_, s.region_.name, now,
                                               s.credential_kind_);
      if (!src) return src.error();
      s.source_ = std::move(*src);
      auto held = s.source_->peek();
      if (held) s.creds_ = *held;
    }
  }
  // The session keeps the resolved credentials only.
  if (chain.secret_access_key) detail::cleanse_string(*chain.secret_access_key);
  if (chain.session_token) detail::cleanse_string(*chain.session_token);
  chain.secret_access_key.reset();
  chain.session_token.reset();
  s.options_ = std::move(options);
  return s;
}

FINOPS_CRAWLER_FUNC result<client_options> session::client_options_for(const api_service& api) const {
  endpoint_options eo;
  if (options_.endpoint_url && !options_.endpoint_url->empty()) eo.endpoint_url = options_.endpoint_url;
  auto target = resolve_endpoint(api.id, region_.name.empty() ? std::nullopt : std::optional<std::string_view>(region_.name),
                                 eo, *env_, config_, profile_.name);
  if (!target) return target.error();
  client_options o;
  o.service = api;
  o.target = std::move(*target);
  o.credential_source = source_;
  if (options_.make_transport) o.transport = options_.make_transport(api, o.target);
  o.curl = options_.curl;
  o.retry = options_.retry;
  o.rate_limit = options_.rate_limit;
  o.time = options_.time;
  o.random = options_.random;
  o.on_attempt = options_.on_attempt;
  o.wall_clock = options_.wall_clock;
  return o;
}

FINOPS_CRAWLER_FUNC result<json_client> session::client(const api_service& api) const {
  auto o = client_options_for(api);
  if (!o) return o.error();
  return json_client(std::move(*o));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_SESSION_INL_HPP
