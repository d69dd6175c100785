#ifndef FINOPS_CRAWLER_AWS_ENDPOINTS_HPP
#define FINOPS_CRAWLER_AWS_ENDPOINTS_HPP
/// \file
/// Endpoint resolution for the services the library calls: Cost Explorer
/// ("ce"), Organizations, STS, and the two IAM Identity Center services the
/// SSO credential provider calls (the SSO portal and SSO-OIDC). Two layers:
///
/// - `resolve_endpoint_rules`: the services' published endpoint rule sets
///   (Smithy rules, parameters Region / UseFIPS / UseDualStack / Endpoint),
///   hand-translated; checked case by case against the AWS test vectors.
/// - `resolve_endpoint`: the SDK behaviour around them: configured endpoint
///   URLs (code option, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
///   profile's `[services]` section, the profile's `endpoint_url`), the
///   ignore switches, and FIPS / dual-stack settings.
///
/// Where each service goes (standard partition "aws"):
///   Cost Explorer   https://ce.us-east-1.amazonaws.com for every region: it
///                   is a global service signed with the partition's global
///                   region (us-east-1; cn-northwest-1 in aws-cn; ...).
///   Organizations   https://organizations.us-east-1.amazonaws.com, likewise.
///   STS             regional https://sts.{region}.amazonaws.com; the legacy
///                   global https://sts.amazonaws.com for region "aws-global"
///                   (or with sts_use_global_endpoint for the 16 legacy regions).
///   SSO portal      regional https://portal.sso.{region}.amazonaws.com (the
///                   profile's sso_region); FIPS portal.sso-fips.
///   SSO-OIDC        regional https://oidc.{region}.amazonaws.com; FIPS oidc-fips.
///                   (GovCloud: the plain hosts are the FIPS ones for both.)
///
/// Standard library only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// An AWS partition: a group of regions sharing DNS suffixes.
struct partition {
  std::string_view name;                    ///< "aws", "aws-cn", ...
  std::string_view dns_suffix;              ///< "amazonaws.com"
  std::string_view dual_stack_dns_suffix;   ///< "api.aws"
  std::string_view implicit_global_region;  ///< where global services live: "us-east-1"
  std::string_view global_region_alias;     ///< pseudo-region naming the partition: "aws-global"
  bool supports_fips;
  bool supports_dual_stack;
  /// The region-name pattern `^(PREFIX)\w+-\d+$`: the accepted prefixes,
  /// '|'-separated (e.g. "us-|eu-|ap-"), each followed by \w+ '-' digits.
  std::string_view region_prefixes;
};

/// The partitions of the AWS partitions.json (version 1.1). The first entry,
/// "aws", is also the fallback for region names no pattern matches (the
/// Smithy `aws.partition` function does the same).
inline constexpr partition partitions[] = {
    {"aws", "amazonaws.com", "api.aws", "us-east-1", "aws-global", true, true,
     "us-|eu-|ap-|sa-|ca-|me-|af-|il-|mx-"},
    {"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "cn-northwest-1", "aws-cn-global", true, true,
     "cn-"},
    {"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", "eusc-de-east-1", "", true, true, "eusc-de-"},
    {"aws-iso", "c2s.ic.gov", "api.aws.ic.gov", "us-iso-east-1", "aws-iso-global", true, true, "us-iso-"},
    {"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", "us-isob-east-1", "aws-iso-b-global", true, true, "us-isob-"},
    {"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "eu-isoe-west-1", "aws-iso-e-global", true, true,
     "eu-isoe-"},
    {"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "us-isof-south-1", "aws-iso-f-global", true, true,
     "us-isof-"},
    {"aws-us-gov", "amazonaws.com", "api.aws", "us-gov-west-1", "aws-us-gov-global", true, true, "us-gov-"},
};

/// The partition of `region`: its global alias (e.g. "aws-cn-global"), else
/// the partition whose pattern matches, else "aws". Never fails. Cost: a few
/// string comparisons.
const partition& partition_for_region(std::string_view region) noexcept;

/// True when `region` can be placed in a host name: 1 to 63 characters,
/// letters, digits and '-', starting with a letter or digit (the Smithy
/// isValidHostLabel check). Endpoint resolution rejects anything else so a
/// region such as "evil.example/x" can never redirect requests.
bool is_valid_region_name(std::string_view region) noexcept;

namespace detail {
/// Whether `region` matches the region pattern of `p` (region_prefixes).
bool region_matches(const partition& p, std::string_view region) noexcept;
}  // namespace detail

/// The services this library resolves endpoints for.
enum class service : std::uint8_t { cost_explorer, organizations, sts, sso, sso_oidc };

/// Names of a service: its Smithy service id (which names the configured
/// endpoint settings), its endpoint prefix and its SigV4 signing name.
struct service_info {
  service id;
  std::string_view service_id;       ///< "Cost Explorer"
  std::string_view endpoint_prefix;  ///< "ce"
  std::string_view signing_name;     ///< "ce"
};

/// The names of every supported service; look one up with info().
inline constexpr service_info service_infos[] = {
    {service::cost_explorer, "Cost Explorer", "ce", "ce"},
    {service::organizations, "Organizations", "organizations", "organizations"},
    {service::sts, "STS", "sts", "sts"},
    // Service ids from the SSO and SSO OIDC models (AWS_ENDPOINT_URL_SSO,
    // AWS_ENDPOINT_URL_SSO_OIDC; `sso =` / `sso_oidc =` in [services]); their
    // calls used here (GetRoleCredentials, CreateToken) are not signed.
    {service::sso, "SSO", "portal.sso", "awsssoportal"},
    {service::sso_oidc, "SSO OIDC", "oidc", "sso-oauth"},
};

/// The names of `s`. Never fails.
const service_info& info(service s) noexcept;

/// The parameters of the services' endpoint rule sets, named as in them.
struct endpoint_parameters {
  std::optional<std::string> region;    ///< Region
  bool use_fips = false;                ///< UseFIPS
  bool use_dual_stack = false;          ///< UseDualStack
  std::optional<std::string> endpoint;  ///< Endpoint: a custom URL used as is
  /// STS only (UseGlobalEndpoint): the legacy global endpoint for the 16
  /// regions that used it before regional endpoints became the default.
  bool use_global_endpoint = false;
};

/// A resolved endpoint.
struct endpoint {
  std::string url;             ///< scheme and host, e.g. "https://ce.us-east-1.amazonaws.com"
  std::string signing_region;  ///< SigV4 credential-scope region
  std::string signing_name;    ///< SigV4 service name ("ce", "organizations", "sts")
  /// True when the URL was given by the user (code option or configured
  /// endpoint URL) rather than derived from the region. Only then may the
  /// HTTP layer accept plain http:// (e.g. a local simulator).
  bool overridden = false;
  std::string source;  ///< what chose it, for messages and logs
};

/// Applies the endpoint rule set of `s` to `params`.
///
/// Errors (errc::invalid_argument), with the rule set's own text first:
/// "Invalid Configuration: Missing Region", "Invalid Configuration: FIPS and
/// custom endpoint are not supported", "Invalid Configuration: Dualstack and
/// custom endpoint are not supported", "FIPS is enabled but this partition
/// does not support FIPS" (and the DualStack / both variants), and a region
/// that is not a valid host label.
///
/// Signing region: the rule set's authSchemes value when it gives one,
/// otherwise the Region parameter. With a custom Endpoint it is the region
/// the service would sign with without it (so Cost Explorer behind a proxy
/// still signs us-east-1), or us-east-1 when no region is set.
/// Pure; cost: a few small string concatenations.
result<endpoint> resolve_endpoint_rules(service s, const endpoint_parameters& params);

/// `https://{prefix}[-fips].{region}.{suffix}` with the partition's DNS or
/// dual-stack suffix: the default regional form most services use (and what
/// the configured-endpoint vectors expect when every configured URL is
/// ignored). Errors as resolve_endpoint_rules for an unsupported FIPS /
/// dual-stack combination or an invalid region.
result<std::string> standard_regional_url(std::string_view endpoint_prefix, std::string_view region, bool use_fips,
                                          bool use_dual_stack);

/// Endpoint settings given in code. Everything unset falls back to the
/// environment and the profile.
struct endpoint_options {
  /// Wins over every configured endpoint URL, even when configured URLs
  /// are ignored.
  std::optional<std::string> endpoint_url;
  /// Ignore AWS_ENDPOINT_URL* and the profile's endpoint settings.
  bool ignore_configured_endpoint_urls = false;
  /// Else AWS_USE_FIPS_ENDPOINT, else the profile's use_fips_endpoint, else false.
  std::optional<bool> use_fips;
  /// Else AWS_USE_DUALSTACK_ENDPOINT, else use_dualstack_endpoint, else false.
  std::optional<bool> use_dual_stack;
  /// STS only: use https://sts.amazonaws.com for the legacy global regions.
  bool sts_use_global_endpoint = false;
};

/// A configured endpoint URL and where it was found.
struct configured_endpoint {
  std::string url;
  std::string source;  ///< e.g. "AWS_ENDPOINT_URL_COST_EXPLORER"
};

/// "Cost Explorer" -> "AWS_ENDPOINT_URL_COST_EXPLORER" (upper case, blanks
/// to '_'), the service-specific environment variable.
std::string endpoint_env_var(std::string_view service_id);

/// "Cost Explorer" -> "cost_explorer" (lower case, blanks to '_'), the key of
/// the service's block in a `[services NAME]` section.
std::string endpoint_config_key(std::string_view service_id);

/// The configured endpoint URL for the service with Smithy id `service_id`
/// (generic: "Cost Explorer", "Organizations", "STS", or any other id such as
/// "s3"), in this order:
///  1. options.endpoint_url;
///  2. nothing, when configured URLs are ignored: options, else
///     AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, else the profile's
///     ignore_configured_endpoint_urls ("true"/"false");
///  3. AWS_ENDPOINT_URL_<SERVICE_ID>;
///  4. AWS_ENDPOINT_URL;
///  5. the `endpoint_url` in the service's block of the `[services NAME]`
///     section that the profile's `services` names;
///  6. the profile's `endpoint_url`.
/// Returns std::nullopt when none applies. Errors (errc::invalid_argument,
/// naming the variable or file and line): a URL that is not http(s)://host...
/// or contains blanks, an ignore switch that is neither true nor false, a
/// profile naming a `[services]` section that does not exist.
result<std::optional<configured_endpoint>> find_configured_endpoint(std::string_view service_id,
                                                                    const endpoint_options& options,
                                                                    const environment& env,
                                                                    const shared_config& config,
                                                                    std::string_view profile);

/// Everything together: the configured endpoint URL if any (as the Endpoint
/// parameter), FIPS and dual-stack settings, then the rule set of `s`.
/// `region` empty or unset means "us-east-1": all three services answer there
/// (Cost Explorer and Organizations only there in the aws partition).
/// The result's `overridden` is true exactly when a configured URL or the
/// code option was used. Errors: those of find_configured_endpoint and
/// resolve_endpoint_rules, plus a FIPS / dual-stack setting that is neither
/// true nor false.
result<endpoint> resolve_endpoint(service s, std::optional<std::string_view> region, const endpoint_options& options,
                                  const environment& env, const shared_config& config, std::string_view profile);

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/endpoints-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_ENDPOINTS_HPP
