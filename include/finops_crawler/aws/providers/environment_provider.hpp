#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_HPP
/// \file
/// The first provider of the chain: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
/// AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN) and AWS_CREDENTIAL_EXPIRATION,
/// read by credentials_from_environment (credentials.hpp). Static: the chain
/// fetches once and signs on the zero-cost path.

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/environment.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Credentials from the environment variables, read at every fetch.
/// Borrows `env`, which must outlive the provider. Errors of fetch():
/// errc::no_credentials when the variables are unset or only one of the two
/// keys is set; errc::invalid_argument for a bad AWS_CREDENTIAL_EXPIRATION.
class environment_provider final : public credentials_provider {
 public:
  explicit environment_provider(const environment& env) noexcept : env_(&env) {}
  result<credentials> fetch(credentials::time_point now) override;
  std::string_view name() const noexcept override { return "environment"; }
  bool is_static() const noexcept override { return true; }

 private:
  const environment* env_;
};

/// The chain's factory: declined when a profile was chosen explicitly (the
/// chain then starts at the profile, as botocore does) or when neither key
/// variable is set; an error when only one is, or the expiry is malformed.
result<provider_lookup> find_environment_provider(const provider_context& ctx);

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/environment_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_ENVIRONMENT_PROVIDER_HPP
