#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_HPP
/// \file
/// The two credential providers that call STS (query protocol, XML reply):
///
///  - assume role: a profile's `role_arn` with `source_profile` (any other
///    provider of the chain, chained, with a loop check) or
///    `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer);
///    `role_session_name`, `external_id`, `duration_seconds`. STS AssumeRole
///    is signed with the source's credentials. `mfa_serial` is refused: MFA
///    prompts are not supported.
///  - web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN
///    (+ AWS_ROLE_SESSION_NAME), else the profile's web_identity_token_file +
///    role_arn (+ role_session_name), each key on its own as botocore reads
///    them. STS AssumeRoleWithWebIdentity is not signed; the token file is
///    read again at every refresh (EKS rotates it).
///
/// Both go to the regional STS endpoint of the profile's region (AWS_REGION,
/// AWS_DEFAULT_REGION, the profile's `region`), else us-east-1, following the
/// configured-endpoint rules (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the
/// profile's services section and endpoint_url; FIPS and dual-stack).
///
/// Each provider is usable alone (construct it with its settings) or through
/// the chain's factories (`assume_role_factory`, `web_identity_factory`).
/// Errors never hold a secret, a session token or the web identity token.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// What STS answered to AssumeRole or AssumeRoleWithWebIdentity.
struct sts_role_credentials {
  credentials creds;              ///< with expiry; source() as given to the parser
  std::string assumed_role_arn;   ///< AssumedRoleUser.Arn, e.g. arn:aws:sts::1:assumed-role/R/s
  std::string request_id;         ///< ResponseMetadata.RequestId
};

/// Parses the 200 reply of `action` ("AssumeRole" or
/// "AssumeRoleWithWebIdentity"): `<{action}Response><{action}Result>
/// <Credentials>` AccessKeyId, SecretAccessKey, SessionToken, Expiration
/// (ISO 8601). Errors (errc::unexpected_shape, naming the element, never its
/// value): not well-formed XML, another root, a field missing or twice, an
/// Expiration that is not a timestamp; an ErrorResponse gives errc::aws_error
/// with its Code. Pure.
result<sts_role_credentials> parse_sts_role_credentials(std::string_view xml, std::string_view action,
                                                        std::string source);

/// How a provider reaches STS.
struct sts_connection {
  /// The STS endpoint (resolve_endpoint(service::sts, ...)).
  endpoint target;
  /// The transport the provider keeps; null: a curl_transport with `curl`
  /// (plain http allowed when target.overridden).
  std::unique_ptr<http::transport> transport;
  http::curl_options curl;
  /// Attempts for throttling, 5xx and network failures (each re-signed).
  int max_attempts = 3;
  /// The longest one call may take, every attempt included.
  std::chrono::milliseconds call_deadline{std::chrono::seconds(30)};
};

/// The parameters of AssumeRole from a profile.
struct assume_role_settings {
  std::string role_arn;
  /// RoleSessionName; empty: "finops-crawler-<unix seconds>" (botocore uses
  /// "botocore-session-<unix seconds>").
  std::string role_session_name;
  std::string external_id;                ///< ExternalId, when set
  std::optional<int> duration_seconds;    ///< DurationSeconds (900..43200), when set
  /// For name(): "profile payer", "credential_source Environment".
  std::string via;
};

/// STS AssumeRole, signed with the credentials of `source` (refreshed
/// through it, so a chained source is renewed too). name():
/// "assume-role ROLE_ARN via profile P". Errors of fetch(): the source's
/// (errc::no_credentials naming it), STS's (aws_error with its Code:
/// AccessDenied, ExpiredToken...), the reply parser's, errc::transport.
class assume_role_provider final : public credentials_provider {
 public:
  assume_role_provider(assume_role_settings settings, std::shared_ptr<refreshing_credentials> source,
                       sts_connection sts);
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }

 private:
  assume_role_settings settings_;
  std::string name_;
  std::unique_ptr<json_client> client_;
};

/// The parameters of AssumeRoleWithWebIdentity.
struct web_identity_settings {
  std::string role_arn;
  std::string token_file;          ///< read at every fetch
  std::string role_session_name;   ///< empty: "finops-crawler-<unix seconds>"
  std::optional<int> duration_seconds;
  /// For name(): "environment", "profile ci".
  std::string via;
};

/// STS AssumeRoleWithWebIdentity (unsigned). name():
/// "web-identity ROLE_ARN (token file PATH, from VIA)". Errors of fetch():
/// errc::no_credentials for a missing, unreadable, empty or oversized (over
/// 64 KiB) token file (naming the file); STS's refusal (aws_error:
/// InvalidIdentityToken, AccessDenied, ExpiredTokenException);
/// errc::transport; the parser's.
class web_identity_provider final : public credentials_provider {
 public:
  web_identity_provider(web_identity_settings settings, sts_connection sts);
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }

 private:
  web_identity_settings settings_;
  std::string name_;
  sts_connection sts_;
};

/// The chain's factory of the assume-role provider for ctx.profile: declines
/// when the profile has no role_arn, or has web_identity_token_file (the web
/// identity provider's). Errors: role_arn without source_profile or
/// credential_source, or with both; mfa_serial ("MFA prompts are not
/// supported; use `aws sts get-session-token`"); an unknown
/// credential_source; a source_profile that does not exist or loops
/// (naming the path); a bad duration_seconds. A profile whose
/// source_profile is itself and that has static keys uses those keys (as
/// botocore). Sends nothing.
result<provider_lookup> assume_role_factory(const provider_context& ctx);

/// The chain's factory of the web identity provider (environment first,
/// then the profile's keys). Declines when no token file or no role ARN is
/// configured. Errors: a bad duration_seconds. Sends nothing.
result<provider_lookup> web_identity_factory(const provider_context& ctx);

namespace detail {
/// The STS endpoint of a provider: ctx.endpoint_for(sts, region), else the
/// default regional endpoint; region = ctx.region, else the profile's, else
/// us-east-1.
result<sts_connection> sts_connection_for(const provider_context& ctx);
/// "finops-crawler-<unix seconds>".
std::string default_role_session_name(credentials::time_point now);
/// The static keys of one profile (the credentials file first, then the
/// config file, as botocore); std::nullopt when it has none. Errors as
/// credentials_from_section.
result<std::optional<credentials>> profile_static_keys(const shared_config& files, const std::string& profile);
/// Reads a small secret file (web identity token, container authorization
/// token): at most 64 KiB, surrounding blanks trimmed. Errors
/// (errc::no_credentials) name `what` and the file, never its content.
result<std::string> read_token_file(const std::string& path, std::string_view what);
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/sts_providers-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_STS_PROVIDERS_HPP
