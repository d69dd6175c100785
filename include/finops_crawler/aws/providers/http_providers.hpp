#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_HTTP_PROVIDERS_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_HTTP_PROVIDERS_HPP
/// \file
/// The credential chain's HTTP provider kinds, ready to plug into its hook
/// points (credential_provider_chain.hpp):
///
///   aws::session_options o;
///   o.credential_hooks = aws::http_provider_hooks();   // assume-role, web identity, container, IMDS
///
/// A program that must never call STS, a container agent or IMDS leaves a
/// hook empty (or all of them).

#include "finops_crawler/aws/credential_provider_chain.hpp"
#include "finops_crawler/aws/providers/container_provider.hpp"
#include "finops_crawler/aws/providers/imds_provider.hpp"
#include "finops_crawler/aws/providers/sts_providers.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// The four factories: assume_role_factory, web_identity_factory,
/// container_factory, imds_factory. Cheap (four std::function copies).
inline chain_hooks http_provider_hooks() {
  chain_hooks h;
  h.assume_role = assume_role_factory;
  h.web_identity = web_identity_factory;
  h.container = container_factory;
  h.imds = imds_factory;
  return h;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_HTTP_PROVIDERS_HPP
