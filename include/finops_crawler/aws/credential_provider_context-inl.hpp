#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_INL_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_INL_HPP
/// \file
/// The bodies of aws/credential_provider_context.hpp: included by that header
/// in header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/credential_provider_context.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {
namespace detail {

FINOPS_CRAWLER_FUNC endpoint default_provider_endpoint(provider_service s, std::string_view region) {
  endpoint e;
  const std::string r = region.empty() ? std::string("us-east-1") : std::string(region);
  switch (s) {
    case provider_service::sts:
      e.url = "https://sts." + r + ".amazonaws.com";
      e.signing_name = "sts";
      break;
    case provider_service::sso:
      // The portal API's hosts (IAM Identity Center endpoints table).
      e.url = "https://portal.sso." + r + ".amazonaws.com";
      e.signing_name = "awsssoportal";
      break;
    case provider_service::sso_oidc:
      e.url = "https://oidc." + r + ".amazonaws.com";
      e.signing_name = "sso-oauth";
      break;
  }
  e.signing_region = r;
  e.source = "default endpoint for region " + r;
  return e;
}

}  // namespace detail
}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CONTEXT_INL_HPP
