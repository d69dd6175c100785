#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/environment_provider.hpp (see config.hpp).

#include "finops_crawler/aws/providers/environment_provider.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC result<credentials> environment_provider::fetch(credentials::time_point) {
  auto r = credentials_from_environment(*env_);
  if (!r) return r.error();
  if (!r->has_value())
    return error(errc::no_credentials, "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  return std::move(**r);
}

FINOPS_CRAWLER_FUNC result<provider_lookup> find_environment_provider(const provider_context& ctx) {
  if (ctx.profile_explicit)
    return provider_lookup::decline("skipped: profile " + ctx.profile +
                                    " was chosen explicitly, so the chain starts at the profile");
  auto r = credentials_from_environment(*ctx.env);
  if (!r) return r.error();
  if (!r->has_value()) return provider_lookup::decline("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  return provider_lookup::found(std::make_unique<static_credentials_provider>(std::move(**r), "environment"));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_INL_HPP
