#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_HPP
/// \file
/// The container credentials provider (ECS task roles, EKS Pod Identity,
/// Lambda's and App Runner's local endpoints):
///
///  - AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: GET http://169.254.170.2<uri>
///    (the ECS agent), no authorization;
///  - else AWS_CONTAINER_CREDENTIALS_FULL_URI: GET <uri> with the
///    Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read
///    at every fetch; EKS Pod Identity rotates it), else
///    AWS_CONTAINER_AUTHORIZATION_TOKEN. Over plain http the host must be a
///    loopback address or one of the ECS/EKS link-local addresses
///    169.254.170.2, 169.254.170.23, fd00:ec2::23 (the SDKs' rule: the token
///    and the keys never cross a network in clear); https may go anywhere.
///
/// The reply is JSON: AccessKeyId, SecretAccessKey, Token, Expiration.
/// Errors never hold the authorization token or a key.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Parses the JSON credentials document of the container endpoint and of
/// IMDS: AccessKeyId, SecretAccessKey, Token, Expiration (ISO 8601); with
/// `imds`, also Code, which must be "Success". `what` names the reply in
/// messages ("container credentials reply"). Errors: errc::bad_json (not
/// JSON), errc::unexpected_shape (a member missing, not a string, or an
/// Expiration that is not a timestamp; never the values). Pure.
result<credentials> parse_metadata_credentials(std::string_view json, std::string_view what, std::string source,
                                               bool imds = false);

/// Where and how the container provider asks.
struct container_settings {
  std::string url;                       ///< the full credentials URL
  std::string authorization_token;       ///< sent as Authorization when set
  std::string authorization_token_file;  ///< read at every fetch; wins over the token
  std::string via;                       ///< for name(): the variable that gave the URL
  /// The transport the provider keeps; null: a curl_transport with `curl`
  /// (plain http allowed: the URL was checked).
  std::unique_ptr<http::transport> transport;
  /// Defaults as botocore's container fetcher: 2 s connect, a short whole request.
  http::curl_options curl = [] {
    http::curl_options c;
    c.connect_timeout_ms = 2000;
    c.request_timeout_ms = 5000;
    return c;
  }();
  /// Attempts for network failures and 5xx (botocore: 3).
  int max_attempts = 3;
};

/// GET container credentials. name(): "container (URL from VIA)".
/// Errors of fetch(): errc::no_credentials for a refusal (4xx, e.g. a wrong
/// authorization token) or an unreadable token file; errc::transport;
/// errc::http_status for 5xx; the parser's.
class container_provider final : public credentials_provider {
 public:
  explicit container_provider(container_settings settings);
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return name_; }

 private:
  container_settings settings_;
  std::string name_;
};

/// The chain's factory: declines when neither variable is set. Errors
/// (errc::invalid_argument): a full URI that is not http(s)://host..., plain
/// http to a host that is neither loopback nor an ECS/EKS address, an
/// authorization token with a line break. Sends nothing.
result<provider_lookup> container_factory(const provider_context& ctx);

namespace detail {
/// The link-local base of AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
inline constexpr std::string_view ecs_relative_base = "http://169.254.170.2";
/// Whether plain http may go to `host` (without brackets for IPv6):
/// localhost, 127.0.0.0/8, ::1, 169.254.170.2, 169.254.170.23, fd00:ec2::23.
bool is_allowed_container_http_host(std::string_view host) noexcept;
/// The host of an http(s) URL ("[fd00:ec2::23]" -> "fd00:ec2::23"); empty
/// when there is none.
std::string url_host(std::string_view url);
/// The settings the environment gives (relative URI first, on `relative_base`).
/// Returns settings with an empty url when neither variable is set.
result<container_settings> container_settings_from(const environment& env,
                                                   std::string_view relative_base = ecs_relative_base);
}  // namespace detail

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/container_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_CONTAINER_PROVIDER_HPP
