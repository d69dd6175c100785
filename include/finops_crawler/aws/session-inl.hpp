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
  if (options.credential_source) {
    s.source_ = std::move(options.credential_source);
    // Fetched now, so a broken source fails before anything is sent.
    auto now = std::chrono::system_clock::now();
    auto first = s.source_->current(now);
    if (!first) return first.error();
    s.creds_ = first->get();
  } else {
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
  }
  // The session keeps the resolved credentials only.
  if (chain.secret_access_key) detail::cleanse_string(*chain.secret_access_key);
  if (chain.session_token) detail::cleanse_string(*chain.session_token);
  chain.secret_access_key.reset();
  chain.session_token.reset();
  const auto region = resolve_region(
      options.region && !options.region->empty() ? std::optional<std::string_view>(*options.region) : std::nullopt,
      env, s.config_, s.profile_.name);
  if (region) s.region_ = std::move(*region);
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
