#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_HPP
/// \file
/// IAM Identity Center (SSO) credentials, as botocore's SSOProvider and
/// SSOTokenProvider get them:
///
///  - configuration: a profile with `sso_session = NAME` plus a
///    `[sso-session NAME]` section (`sso_start_url`, `sso_region`), or the
///    legacy form with `sso_start_url` and `sso_region` in the profile; both
///    need `sso_account_id` and `sso_role_name` in the profile;
///  - the access token `aws sso login` cached in
///    `~/.aws/sso/cache/<sha1>.json`: SHA-1 (hex) of the session name, or of
///    the start URL for the legacy form;
///  - GetRoleCredentials: `GET /federation/credentials?account_id=..&role_name=..`
///    on portal.sso.<sso_region>.amazonaws.com with the token in
///    `x-amz-sso_bearer_token` (unsigned), answering
///    {"roleCredentials":{"accessKeyId","secretAccessKey","sessionToken","expiration"(epoch ms)}};
///  - for the sso_session form only (botocore does not refresh legacy
///    tokens): when the token has fewer than 15 minutes left and the cache
///    has refreshToken, clientId, clientSecret and a registrationExpiresAt in
///    the future, SSO-OIDC CreateToken (`POST /token` on
///    oidc.<sso_region>.amazonaws.com, grantType refresh_token), and the
///    cache file is written back atomically with mode 0600 (a temporary file
///    in the same directory, then rename), as the AWS CLI does. A failed
///    refresh while the token is still valid is not an error.
///
/// A missing or expired token is errc::no_credentials saying to run
/// `aws sso login --sso-session NAME` (or `--profile NAME` for the legacy
/// form). No message holds a token, a client secret or a key.
///
/// The cache write uses POSIX calls (open with O_EXCL and mode 0600, fsync,
/// rename), in the -inl file.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// An SSO profile's settings.
struct sso_settings {
  std::string profile;
  std::string session_name;  ///< empty for the legacy form
  std::string start_url;
  std::string sso_region;
  std::string account_id;
  std::string role_name;
  std::string cache_dir;     ///< e.g. /home/u/.aws/sso/cache
  /// The login command for messages: "aws sso login --sso-session NAME" or
  /// "aws sso login --profile NAME".
  std::string login_hint() const;
  /// cache_dir + "/" + sha1hex(session name or start URL) + ".json".
  std::string cache_file() const;
};

/// The SSO settings of `profile`, or std::nullopt when it is not an SSO
/// profile (none of sso_session, sso_start_url). Errors (errc::config_file,
/// naming the file): a missing [sso-session NAME] section, a missing
/// sso_start_url / sso_region / sso_account_id / sso_role_name, a legacy
/// profile whose sso_start_url or sso_region differs from its session's.
/// `home` gives the default cache directory (~/.aws/sso/cache).
result<std::optional<sso_settings>> sso_settings_for_profile(const shared_config& files, std::string_view profile,
                                                             std::string_view home);

/// Lowercase hex SHA-1 of `text` (the token cache's file name). Pure.
std::string sha1_hex(std::string_view text);

/// Settings of the provider's HTTP calls.
struct sso_http_options {
  /// Limit of each call (GetRoleCredentials, CreateToken).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// Refresh the access token when it has less than this left (botocore's
  /// SSOTokenProvider refresh window).
  std::chrono::seconds token_refresh_window{std::chrono::minutes(15)};
};

/// The provider. Owns its two transports (portal, OIDC); one fetch at a time.
class sso_provider final : public credentials_provider {
 public:
  /// `portal` and `oidc` are the endpoints of the two services (see
  /// provider_context::endpoint_for); the transports send to them.
  sso_provider(sso_settings settings, endpoint portal, std::unique_ptr<http::transport> portal_transport,
               endpoint oidc, std::unique_ptr<http::transport> oidc_transport, sso_http_options options = {});
  /// Reads the token cache, refreshes the token when due, calls
  /// GetRoleCredentials. Errors: errc::no_credentials (no token, expired
  /// token, token refused: the message gives the login command),
  /// errc::config_file (cache file unreadable or malformed),
  /// errc::transport (the portal did not answer in time), errc::http_status,
  /// errc::unexpected_shape / bad_json for a malformed reply.
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }
  const sso_settings& settings() const noexcept { return settings_; }

 private:
  struct token;
  result<token> load_token() const;
  status refresh_token(token& t, credentials::time_point now);
  result<credentials> role_credentials(const token& t);

  sso_settings settings_;
  endpoint portal_;
  std::unique_ptr<http::transport> portal_transport_;
  endpoint oidc_;
  std::unique_ptr<http::transport> oidc_transport_;
  sso_http_options options_;
  std::string name_;
};

/// The chain's factory: declined when the profile has neither sso_session
/// nor sso_start_url; an error for an incomplete SSO profile.
result<provider_lookup> find_sso_provider(const provider_context& ctx);

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/sso_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_SSO_PROVIDER_HPP
