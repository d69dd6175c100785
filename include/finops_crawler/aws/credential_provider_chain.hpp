#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_HPP
/// \file
/// The default credential chain, in botocore's order
/// (botocore.credentials.create_credential_resolver, plus login_session):
///
///   1. environment        AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
///   2. assume-role        the profile's role_arn (+ source_profile / credential_source)
///   3. web-identity       AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, or the profile's
///                         web_identity_token_file + role_arn
///   4. sso                the profile's sso_session / sso_start_url
///   5. shared-credentials-file   [PROFILE] keys of ~/.aws/credentials
///   6. login_session      the profile's login_session (aws login)
///   7. credential_process the profile's credential_process
///   8. config-file        [profile PROFILE] keys of ~/.aws/config
///   9. container          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI
///  10. imds               EC2 instance metadata (IMDSv2)
///
/// The first kind that applies is used, alone (no fallback to the next one
/// if its fetch fails, as in botocore). An explicit profile (code option or
/// --profile) skips the environment; AWS_PROFILE does not.
///
/// Kinds 2, 3, 9 and 10 are HTTP providers in aws/providers/
/// (sts_providers.hpp, container_provider.hpp, imds_provider.hpp); they are
/// plugged in through `chain_hooks`, so this file depends on none of them.
/// With a hook left empty the kind declines, except that a profile that
/// needs it (role_arn, web_identity_token_file) is an error saying the
/// provider is not available, rather than silently using other keys.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// The factories of the HTTP provider kinds (see the file comment).
struct chain_hooks {
  provider_factory assume_role;   ///< kind 2
  provider_factory web_identity;  ///< kind 3
  provider_factory container;     ///< kind 9
  provider_factory imds;          ///< kind 10
};

/// One step of the chain: its name and how it answered.
struct chain_step {
  std::string kind;      ///< "environment", "assume-role", ... (as in the file comment)
  std::string declined;  ///< why it did not apply; empty for the one that did
};

/// What the chain chose.
struct chain_choice {
  std::unique_ptr<credentials_provider> provider;
  std::string kind;               ///< the kind that applied
  std::vector<chain_step> steps;  ///< every step looked at, in order
  /// The profile and what chose it, as the error messages name it:
  /// "profile dev (from AWS_PROFILE)".
  std::string profile_description;
};

/// The message of the error when no kind supplied credentials: "no AWS
/// credentials found for PROFILE_DESCRIPTION. Tried, in order: 1. KIND:
/// WHY; 2. ...". A step whose `declined` is empty is listed with `failed`
/// instead (the last-resort kind that applied but whose fetch failed).
std::string tried_providers_message(std::string_view profile_description, const std::vector<chain_step>& steps,
                                    std::string_view failed = {});

/// The error for a first fetch that failed, given what the chain chose:
/// when the chosen kind is the last resort (imds, which applies whenever
/// it is not disabled, so every other kind has declined), the whole
/// tried-list ending "10. imds: WHY" (WHY is `failure`'s message), with
/// `failure`'s code, HTTP status and CURLcode; otherwise `failure` as it
/// is. Off EC2 the user then sees why each kind declined instead of only
/// an instance metadata timeout or 403.
error first_fetch_error(const chain_choice& choice, const error& failure);

/// Runs the factories in chain order over `ctx` (whose provider_for_profile
/// it sets for the assume-role hook). Sends nothing. Errors: a factory's
/// error (a misconfigured kind), prefixed with its kind; errc::no_credentials
/// when every kind declined, listing each with its reason in chain order and
/// naming the profile and what chose it.
result<chain_choice> choose_credentials_provider(provider_context ctx, const chain_hooks& hooks);

/// The profile-only part of the chain (kinds 2 to 8) for `profile`, as
/// assume-role uses for a source_profile: `from.profile_path` gets
/// `profile` appended, and a profile already on it is an error
/// (errc::config_file, "source_profile loop: a -> b -> a"). Errors as above,
/// errc::config_file when the profile is in neither file.
result<std::unique_ptr<credentials_provider>> provider_for_profile(std::string_view profile,
                                                                   const provider_context& from,
                                                                   const chain_hooks& hooks);

/// Wraps a chosen provider for the clients: a static one is fetched once
/// and put on the zero-cost path; any other is wrapped with `options` and
/// fetched once now (prime), so a failure shows before anything billable is
/// sent. Errors: the first fetch's.
result<std::shared_ptr<refreshing_credentials>> make_credential_source(std::unique_ptr<credentials_provider> provider,
                                                                       credentials::time_point now,
                                                                       refresh_options options = {});

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/credential_provider_chain-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_HPP
