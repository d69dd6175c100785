#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_HPP
/// \file
/// `login_session`: the credentials `aws login` (AWS CLI 2.32 and later,
/// AWS Sign-In) caches for a profile that has `login_session = ARN`.
///
/// Where and how they are cached, as the AWS SDKs read them (the AWS SDK for
/// Rust's aws-config `login/cache.rs` and the AWS SDK for JavaScript's login
/// provider agree; the botocore source itself was not available to check):
///  - directory: AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache;
///  - file: lowercase hex SHA-256 of the login_session value (blanks around
///    it trimmed) + ".json";
///  - content: {"accessToken": {"accessKeyId", "secretAccessKey",
///    "sessionToken", "accountId", "expiresAt" (ISO 8601)}, "tokenType":
///    "aws_sigv4", "refreshToken", "idToken", "clientId", "dpopKey"}.
///
/// What is not implemented: refreshing. The SDKs refresh through AWS
/// Sign-In's CreateOAuth2Token with a DPoP proof signed by the cached EC key
/// (dpopKey); this provider uses the cached credentials until expiresAt and
/// then says to run `aws login --profile NAME` (any AWS CLI command run with
/// the profile also refreshes the cache, which this provider re-reads at
/// every refresh).

#include <memory>
#include <string>
#include <string_view>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Lowercase hex SHA-256 of `text` with blanks trimmed: the cache file name.
std::string login_cache_key(std::string_view login_session);

/// Reads the login cache JSON (see the file comment). `source` names the
/// provider. Errors: errc::config_file for bad JSON, a missing field, a
/// tokenType other than aws_sigv4; never quoting a value.
result<credentials> parse_login_cache(std::string_view json, const std::string& source);

/// The provider: reads the cache file at every fetch.
class login_provider final : public credentials_provider {
 public:
  /// `cache_dir` is the directory (AWS_LOGIN_CACHE_DIRECTORY or
  /// ~/.aws/login/cache).
  login_provider(std::string profile, std::string login_session, std::string cache_dir);
  /// Errors: errc::no_credentials when the file is missing or the cached
  /// credentials expired (saying to run aws login), errc::config_file for an
  /// unreadable or malformed file.
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }
  /// The cache file this provider reads.
  const std::string& cache_file() const noexcept { return file_; }

 private:
  std::string profile_;
  std::string file_;
  std::string name_;
};

/// The chain's factory: declined when the profile has no login_session.
result<provider_lookup> find_login_provider(const provider_context& ctx);

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/login_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_LOGIN_PROVIDER_HPP
