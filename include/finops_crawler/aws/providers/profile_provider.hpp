#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_HPP
/// \file
/// A profile's static keys (aws_access_key_id, aws_secret_access_key,
/// aws_session_token / aws_security_token), read by credentials_from_section
/// (credentials.hpp), from the two places the chain looks at them:
///  - the shared credentials file (AWS_SHARED_CREDENTIALS_FILE, else
///    ~/.aws/credentials), section [NAME]: fifth in the chain;
///  - the config file (AWS_CONFIG_FILE, else ~/.aws/config), section
///    [profile NAME] or [default]: eighth, after credential_process, as
///    botocore's ConfigProvider.
/// Static: fetched once, signed on the zero-cost path.

#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/credential_provider_context.hpp"
#include "finops_crawler/aws/credentials.hpp"
#include "finops_crawler/aws/shared_config.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

/// Which file's section a profile_keys lookup reads.
enum class profile_keys_file : unsigned char { shared_credentials, config };

/// The factory of either place: a static provider named e.g. "shared
/// credentials file /home/u/.aws/credentials profile dev"; declined when
/// the file, the section or its aws_access_key_id is missing (the reason
/// says which); errc::config_file for half a key pair, naming file and line.
result<provider_lookup> find_profile_keys_provider(const provider_context& ctx, profile_keys_file which);

/// The two factories of the chain.
inline result<provider_lookup> find_shared_credentials_file_provider(const provider_context& ctx) {
  return find_profile_keys_provider(ctx, profile_keys_file::shared_credentials);
}
inline result<provider_lookup> find_config_file_keys_provider(const provider_context& ctx) {
  return find_profile_keys_provider(ctx, profile_keys_file::config);
}

/// Whether profile `name` holds static keys in either file (assume-role
/// providers use this for a profile that is its own source_profile).
bool profile_has_static_keys(const shared_config& files, std::string_view name) noexcept;

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/providers/profile_provider-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_HPP
