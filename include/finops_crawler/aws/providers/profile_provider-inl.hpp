#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/profile_provider.hpp (see config.hpp).

#include "finops_crawler/aws/providers/profile_provider.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC result<provider_lookup> find_profile_keys_provider(const provider_context& ctx,
                                                                       profile_keys_file which) {
  const shared_config& files = *ctx.files;
  const bool creds_file = which == profile_keys_file::shared_credentials;
  const std::optional<ini_file>& file = creds_file ? files.credentials_file() : files.config_file();
  const shared_config_paths& paths = files.paths();
  const std::string& path = file ? file->source() : (creds_file ? paths.credentials_file : paths.config_file);
  if (!file) return provider_lookup::decline(path.empty() ? std::string("no path (HOME is not set)") : path + " not found");
  const ini_section* s = creds_file ? files.credentials_profile(ctx.profile) : files.config_profile(ctx.profile);
  if (s == nullptr) {
    if (creds_file) return provider_lookup::decline(path + " has no [" + ctx.profile + "] section");
    return provider_lookup::decline(path + (ctx.profile == "default" ? std::string(" has no [default] section")
                                                                     : " has no [profile " + ctx.profile + "] section"));
  }
  std::string source = (creds_file ? "shared credentials file " : "config file ") + path + " profile " + ctx.profile;
  auto r = credentials_from_section(*s, path, source);
  if (!r) return r.error();
  if (!r->has_value()) return provider_lookup::decline(path + ": [" + s->name + "] has no aws_access_key_id");
  return provider_lookup::found(std::make_unique<static_credentials_provider>(std::move(**r), std::move(source)));
}

FINOPS_CRAWLER_FUNC bool profile_has_static_keys(const shared_config& files, std::string_view name) noexcept {
  const ini_section* a = files.credentials_profile(name);
  const ini_section* b = files.config_profile(name);
  return (a != nullptr && a->find("aws_access_key_id") != nullptr) ||
         (b != nullptr && b->find("aws_access_key_id") != nullptr);
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_PROFILE_PROVIDER_INL_HPP
