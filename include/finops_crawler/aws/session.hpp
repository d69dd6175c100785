#ifndef FINOPS_CRAWLER_AWS_SESSION_HPP
#define FINOPS_CRAWLER_AWS_SESSION_HPP
/// \file
/// `aws::session`: the one place that composes clients. It loads the shared
/// config files once, picks the profile, resolves the credentials and the
/// region, and for each service resolves the endpoint and makes the client
/// options (transport, retries, rate limit, hooks). `costs_api` and the
/// command line both build their clients here, so every setting (and every
/// credential provider) is wired in one place.
///
///   aws::session_options o;
///   o.profile = "billing";
///   auto s = aws::session::open(std::move(o));        // reads files, sends nothing
///   if (!s) { std::cerr << s.error().describe() << '\n'; return 1; }
///   auto ce = s->client(aws::cost_explorer_api);      // a json_client
///
/// Sends nothing; the clients it makes send. Thread safety: open() and the
/// const members may run on any thread; a session is immutable once open.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_chain.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/providers/http_providers.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Makes the transport of one client; `target` is the resolved endpoint
/// (a plain http URL is possible only when `target.overridden`).
using transport_factory =
    std::function<std::unique_ptr<http::transport>(const api_service& api, const endpoint& target)>;

/// What a session is made from. Everything unset falls back to the
/// environment and the shared files, as the AWS SDKs and CLI do.
struct session_options {
  /// Profile of the shared files (`--profile`). Unset: AWS_PROFILE, else
  /// "default".
  std::optional<std::string> profile;
  /// Region (`--region`). Unset: AWS_REGION, AWS_DEFAULT_REGION, the
  /// profile's region; none at all is fine for the global services (Cost
  /// Explorer, Organizations) and means us-east-1 for STS.
  std::optional<std::string> region;
  /// One endpoint URL for every service (`--endpoint-url`), e.g. a local
  /// simulator; plain http is accepted only here. Unset:
  /// AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's settings,
  /// else the AWS endpoint (endpoints.hpp).
  std::optional<std::string> endpoint_url;
  /// Credentials already resolved (explicit keys). Unset: the credential
  /// chain of credentials.hpp with `credential_chain` (whose profile
  /// defaults to `profile`).
  std::optional<credentials> creds;
  /// A credential source made in code (any provider wrapped in
  /// refreshing_credentials); wins over `creds` and the chain. Shared with
  /// every client the session makes.
  std::shared_ptr<refreshing_credentials> credential_source;
  /// Inputs of the credential chain when `creds` is unset. Explicit keys
  /// here are used as they are; otherwise the whole chain of
  /// credential_provider_chain.hpp runs (its profile defaults to `profile`).
  credential_options credential_chain;
  /// The chain's HTTP providers (assume-role, web identity, container,
  /// IMDS): all four by default (providers/http_providers.hpp); an empty
  /// hook leaves its kind out (see chain_hooks).
  chain_hooks credential_hooks = http_provider_hooks();
  /// Refresh margin, retry interval and failure callback of temporary
  /// credentials (credential_provider.hpp).
  refresh_options credential_refresh;
  /// The longest a profile's credential_process may run.
  std::chrono::milliseconds credential_process_timeout{std::chrono::seconds(60)};
  /// Wall clock for credential expiry and X-Amz-Date; empty means
  /// std::chrono::system_clock (tests: a fake one).
  std::function<std::chrono::system_clock::time_point()> wall_clock;
  /// Where environment variables are read; null means the process
  /// environment. Must outlive the session.
  const environment* env = nullptr;
  /// Makes each client's transport; empty means a curl_transport from
  /// `curl` (with http allowed only for an overridden endpoint).
  transport_factory make_transport;
  /// File of CA certificates (PEM) that TLS trusts instead of the system's
  /// store (`--ca-bundle`), e.g. for a TLS-inspecting proxy. Unset or empty,
  /// as the AWS CLI: a non-empty `curl.ca_bundle`, else AWS_CA_BUNDLE, else
  /// the profile's `ca_bundle` (shared files), else the system's store.
  /// The chosen file is set as `curl_options::ca_bundle` of every client and
  /// must be readable: open() fails otherwise, before anything is sent.
  /// (Transports from `make_transport` get the endpoint only: they choose
  /// their own trust.)
  std::optional<std::string> ca_bundle;
  /// libcurl settings of the default transport (timeouts, size cap, CA file:
  /// see `ca_bundle`).
  http::curl_options curl;
  /// Attempts and backoff of every call.
  http::retry_options retry;
  /// Client-side request rate of each client; {0, 1} disables it.
  http::rate_limit_options rate_limit{5.0, 5.0};
  /// Clock and sleep for backoff and rate limiting (tests: fake ones).
  http::time_source time;
  /// Random source for backoff jitter; empty means a seeded std::mt19937_64.
  http::random_source random;
  /// Called after every HTTP attempt of every client (progress, logs).
  attempt_hook on_attempt;
};

/// Configuration, credentials and region resolved once; makes clients.
/// Copyable (the credentials are copied, and wiped by each copy's
/// destructor). Holds no open connection.
class session {
 public:
  /// Loads the shared files, picks the profile, resolves the credentials
  /// (unless given) and the region. Sends nothing. Errors:
  /// errc::config_file for a broken file (naming file and line);
  /// errc::no_credentials listing every source tried; errc::invalid_argument
  /// for bad explicit credential values, and for a CA bundle that cannot be
  /// read (naming the file, where it was set and the OS reason).
  static result<session> open(session_options options);

  /// The options of a client of `api`: the resolved endpoint, the
  /// credentials, a transport from the factory, and the session's retry,
  /// rate-limit and hook settings, for callers that adjust them before
  /// making the client. Errors: errc::invalid_argument for a bad region or
  /// endpoint URL (naming where it was set), errc::config_file.
  result<client_options> client_options_for(const api_service& api) const;
  /// A client of `api` made from `client_options_for(api)`.
  result<json_client> client(const api_service& api) const;

  /// The profile in force and what chose it ("option", "AWS_PROFILE",
  /// "default").
  const profile_choice& profile() const noexcept { return profile_; }
  /// The region in force; empty when none is configured anywhere.
  const std::string& region() const noexcept { return region_.name; }
  /// Where the region was set: "option", "AWS_REGION", "AWS_DEFAULT_REGION"
  /// or "profile NAME in FILE"; empty when no region is set.
  const std::string& region_origin() const noexcept { return region_.origin; }
  /// The CA bundle every default transport uses; empty for the system's store.
  const std::string& ca_bundle() const noexcept { return options_.curl.ca_bundle; }
  /// Where the CA bundle was set: "option", "curl_options::ca_bundle",
  /// "AWS_CA_BUNDLE" or "profile NAME in FILE:LINE"; empty when none is.
  const std::string& ca_bundle_origin() const noexcept { return ca_bundle_origin_; }
  /// The credentials as fetched when the session opened; print them with
  /// `to_string()` (never the secret). Clients sign with
  /// credential_source()'s current ones, which may be newer.
  const credentials& creds() const noexcept { return creds_; }
  /// Where every client of this session gets its keys; never null once open.
  const std::shared_ptr<refreshing_credentials>& credential_source() const noexcept { return source_; }
  /// Which kind supplied them: a chain kind ("environment", "sso",
  /// "credential_process", ...), "explicit" (keys given in code or options)
  /// or "code" (session_options::credential_source).
  const std::string& credential_kind() const noexcept { return credential_kind_; }
  /// The shared files as loaded.
  const shared_config& config() const noexcept { return config_; }
  /// The environment in use.
  const environment& env() const noexcept { return *env_; }

 private:
  session() = default;

  session_options options_;
  const environment* env_ = nullptr;
  shared_config config_;
  profile_choice profile_;
  region_choice region_;
  std::string ca_bundle_origin_;
  credentials creds_;
  std::shared_ptr<refreshing_credentials> source_;
  std::string credential_kind_;
};

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/session-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_SESSION_HPP
