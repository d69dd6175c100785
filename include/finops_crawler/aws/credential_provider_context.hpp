#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_HPP
/// \file
/// What a provider factory is given, and what it answers: the hook points of
/// the credential chain (credential_provider_chain.hpp).
///
/// A factory looks at the configuration only (environment variables, the
/// profile's keys, files named there) and answers one of:
///  - a provider: this kind applies; the chain stops here and fetches;
///  - declined, with the reason ("AWS_ACCESS_KEY_ID is not set"): the chain
///    goes on, and lists the reason if nothing applies;
///  - an error: this kind applies but is misconfigured (a profile with
///    role_arn and no source; credential_process that cannot be split; an SSO
///    profile without sso_role_name); the chain stops with it.
/// Factories send nothing: the first fetch happens after the whole chain
/// decided (session::open does it before any billable call).
///
/// Depends on the standard library, credential_provider.hpp, endpoints.hpp
/// and http/transport.hpp (no libcurl, no simdjson).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// A factory's answer: a provider, or why this kind does not apply.
struct provider_lookup {
  std::unique_ptr<credentials_provider> provider;  ///< null when declined
  std::string declined;                            ///< why, when declined (no secrets)

  static provider_lookup found(std::unique_ptr<credentials_provider> p) {
    provider_lookup l;
    l.provider = std::move(p);
    return l;
  }
  static provider_lookup decline(std::string why) {
    provider_lookup l;
    l.declined = std::move(why);
    return l;
  }
};

/// Services the providers call, for `provider_context::endpoint_for`.
enum class provider_service : unsigned char {
  sts,       ///< sts.<region>.amazonaws.com (AssumeRole, AssumeRoleWithWebIdentity)
  sso,       ///< portal.sso.<region>.amazonaws.com (GetRoleCredentials)
  sso_oidc,  ///< oidc.<region>.amazonaws.com (CreateToken)
};

/// Everything a provider factory may look at. Borrowed pointers must outlive
/// the factory call only: a provider that is kept (refreshed later) copies
/// what it needs and keeps no pointer into the context, except `env`, which
/// the session requires to outlive it (session_options::env).
struct provider_context {
  /// Environment variables (never null once the chain runs).
  const environment* env = nullptr;
  /// The shared config and credentials files, as loaded (never null).
  const shared_config* files = nullptr;
  /// The profile in force, and what chose it ("option", "AWS_PROFILE",
  /// "default").
  std::string profile = "default";
  std::string profile_origin = "default";
  /// True when the profile was chosen in code or by --profile: the chain
  /// then starts at the profile and skips the environment keys (botocore).
  bool profile_explicit = false;
  /// The session's region; empty when none is configured anywhere.
  std::string region;

  /// The endpoint of a service a provider calls, in `region` (the profile's
  /// sso_region for SSO, the session's region or us-east-1 for STS),
  /// following the configured-endpoint rules (AWS_ENDPOINT_URL_<SERVICE>,
  /// AWS_ENDPOINT_URL, the profile's services section). Empty: the default
  /// https://<prefix>.<region>.amazonaws.com (detail::default_provider_endpoint).
  std::function<result<endpoint>(provider_service service, std::string_view region)> endpoint_for;
  /// A transport for a provider's own HTTP calls to `target` (plain http only
  /// when target.overridden or for the link-local/loopback credential
  /// endpoints the caller allows). The provider keeps it. Empty: a
  /// curl_transport with `curl` (the session's CA bundle and timeouts).
  std::function<std::unique_ptr<http::transport>(const endpoint& target)> make_transport;

  /// The provider of another profile (source_profile of an assume-role
  /// profile): the profile-only part of the chain (assume-role, web
  /// identity, SSO, the profile's keys, login_session, credential_process),
  /// with a loop check over `profile_path`. Set by the chain.
  std::function<result<std::unique_ptr<credentials_provider>>(std::string_view profile, const provider_context& from)>
      provider_for_profile;
  /// The profiles of the source_profile path that led here, outermost
  /// first (loop check: a profile that appears twice is an error).
  std::vector<std::string> profile_path;

  /// credential_process: the longest the command may run, and the most
  /// output it may print (stdout; stderr is cut to a few hundred bytes).
  std::chrono::milliseconds process_timeout{std::chrono::seconds(60)};
  std::size_t process_output_limit = std::size_t{1} << 20;

  /// The user's home directory: HOME, else USERPROFILE; empty when neither.
  std::string home() const {
    if (env == nullptr) return {};
    if (auto h = env->get_non_empty("HOME")) return *h;
    if (auto h = env->get_non_empty("USERPROFILE")) return *h;
    return {};
  }
  /// The value of `key` in the profile in force (credentials file first).
  std::optional<profile_value> get(std::string_view key) const noexcept {
    return files ? files->get(profile, key) : std::nullopt;
  }
};

/// A factory of one provider kind. See the file comment for its answers.
using provider_factory = std::function<result<provider_lookup>(const provider_context&)>;

namespace detail {
/// https://<prefix>.<region>.amazonaws.com for a provider's service
/// (portal.sso, oidc, sts), signing region `region`, not overridden.
endpoint default_provider_endpoint(provider_service s, std::string_view region);
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/credential_provider_context-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_HPP
