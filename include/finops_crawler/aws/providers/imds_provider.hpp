#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_HPP
/// \file
/// The EC2 instance metadata credentials provider, IMDSv2 only:
///
///   PUT /latest/api/token  (X-aws-ec2-metadata-token-ttl-seconds: 21600)
///   GET /latest/meta-data/iam/security-credentials/        -> the role name
///   GET /latest/meta-data/iam/security-credentials/ROLE    -> JSON credentials
///
/// the two GETs with X-aws-ec2-metadata-token. No IMDSv1 fallback: an
/// instance that refuses the token PUT gets an error, never an unauthenticated
/// request. The session token is kept across refreshes until 120 s before
/// its TTL ends (the AWS SDKs for Kotlin and Rust cache it with the same
/// buffer), so a refresh is two GETs; a kept token answered with 401 (the
/// metadata service restarted) is replaced once and the request repeated.
///
/// Settings, as botocore reads them: AWS_EC2_METADATA_DISABLED=true turns the
/// provider off; the endpoint is AWS_EC2_METADATA_SERVICE_ENDPOINT, else the
/// profile's ec2_metadata_service_endpoint, else by
/// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode
/// (IPv4: http://169.254.169.254, IPv6: http://[fd00:ec2::254]); the timeout
/// (AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout, default 1 s)
/// bounds connecting and each whole request, and the attempts
/// (AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts,
/// default 1), so a laptop outside EC2 loses at most about a second in the
/// chain.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Where and how the IMDS provider asks.
struct imds_settings {
  std::string endpoint = "http://169.254.169.254";  ///< scheme and host, no trailing '/'
  std::chrono::milliseconds timeout{1000};          ///< connect and each whole request
  int max_attempts = 1;                             ///< per request, for network failures and 5xx
  int token_ttl_seconds = 21600;                    ///< of the IMDSv2 session token
  /// The transport the provider keeps; null: a curl_transport allowing http
  /// with `timeout` as its connect timeout.
  std::unique_ptr<http::transport> transport;
  std::string via;  ///< for name(): where the endpoint came from
};

/// IMDSv2 credentials of the instance's role. name(): "imds (ENDPOINT)";
/// the role name is added to the credentials' source(). Errors of fetch():
/// errc::no_credentials when nothing answered within the timeout (not on
/// EC2; error::curl_code says why), the token was refused, no role is
/// attached (404) or the Code is not Success; errc::http_status for 5xx;
/// the parser's.
class imds_provider final : public credentials_provider {
 public:
  explicit imds_provider(imds_settings settings);
  ~imds_provider() override;
  imds_provider(const imds_provider&) = delete;
  imds_provider& operator=(const imds_provider&) = delete;
  /// `now` decides whether the kept session token is still usable.
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }

 private:
  result<http::http_response> send(http::http_request& req, std::string_view what);
  status new_token(credentials::time_point now);
  result<credentials> fetch_with_token();
  void drop_token() noexcept;
  imds_settings settings_;
  std::string name_;
  std::string token_;                     // the IMDSv2 session token; empty when none is kept
  credentials::time_point token_expiry_;  // when the server forgets token_
};

/// The chain's factory: declines when AWS_EC2_METADATA_DISABLED is true.
/// Errors (errc::invalid_argument): an endpoint that is not http(s)://host, an
/// unknown endpoint mode, a timeout or attempt count that is not a positive
/// number. Sends nothing.
result<provider_lookup> imds_factory(const provider_context& ctx);

namespace detail {
/// The settings from the environment and the profile (see the file comment).
/// Errors as imds_factory; also errc::no_credentials when IMDS is disabled.
result<imds_settings> imds_settings_from(const provider_context& ctx);
/// imds_settings_from, then the provider (credential_source Ec2InstanceMetadata).
result<std::unique_ptr<credentials_provider>> make_imds_provider(const provider_context& ctx);
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/imds_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_IMDS_PROVIDER_HPP
