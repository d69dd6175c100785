#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_INL_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_INL_HPP
/// \file
/// The bodies of aws/credential_provider_chain.hpp (see config.hpp).

#include "finops_crawler/aws/credential_provider_chain.hpp"

#include "finops_crawler/aws/providers/environment_provider.hpp"
#include "finops_crawler/aws/providers/login_provider.hpp"
#include "finops_crawler/aws/providers/process_provider.hpp"
#include "finops_crawler/aws/providers/profile_provider.hpp"
#include "finops_crawler/aws/providers/sso_provider.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

/// A hook that may be empty: then the kind declines, unless `needed_by`
/// names a setting that requires it (an error: using other keys instead
/// would silently act as another identity).
FINOPS_CRAWLER_FUNC provider_factory hook_or_absent(const provider_factory& hook, std::string kind,
                                                    std::vector<std::string> profile_keys,
                                                    std::vector<std::string> env_keys) {
  if (hook) return hook;
  return [kind = std::move(kind), profile_keys = std::move(profile_keys),
          env_keys = std::move(env_keys)](const provider_context& ctx) -> result<provider_lookup> {
    for (const auto& k : env_keys)
      if (ctx.env->get_non_empty(k))
        return error(errc::no_credentials, k + " is set, but the " + kind + " provider is not available in this build");
    for (const auto& k : profile_keys)
      if (auto v = ctx.get(k); v && !v->value.empty())
        return error(errc::no_credentials, "profile " + ctx.profile + " sets " + k + " (" + std::string(v->file) + ":" +
                                               std::to_string(v->line) + "), but the " + kind +
                                               " provider is not available in this build");
    return provider_lookup::decline("not available in this build");
  };
}

/// mfa_serial with role_arn: botocore would prompt for a code; a crawler
/// cannot, so it says what to do instead.
FINOPS_CRAWLER_FUNC status refuse_mfa(const provider_context& ctx) {
  auto role = ctx.get("role_arn");
  auto mfa = ctx.get("mfa_serial");
  if (role && !role->value.empty() && mfa && !mfa->value.empty())
    return error(errc::no_credentials, "profile " + ctx.profile + " sets mfa_serial (" + std::string(mfa->file) + ":" +
                                           std::to_string(mfa->line) +
                                           "): MFA prompts are not supported; use `aws sts get-session-token` and "
                                           "export the temporary keys, or a profile without mfa_serial");
  return {};
}

struct chain_entry {
  const char* kind;
  provider_factory factory;
  bool profile_kind;  // part of the profile-only chain (source_profile)
};

FINOPS_CRAWLER_FUNC std::vector<chain_entry> chain_entries(const chain_hooks& hooks) {
  provider_factory assume = hook_or_absent(hooks.assume_role, "assume-role", {"role_arn"}, {});
  provider_factory assume_checked = [assume](const provider_context& ctx) -> result<provider_lookup> {
    if (auto st = refuse_mfa(ctx); !st) return st.error();
    return assume(ctx);
  };
  return {
      {"environment", find_environment_provider, false},
      {"assume-role", assume_checked, true},
      {"web-identity", hook_or_absent(hooks.web_identity, "web-identity", {"web_identity_token_file"},
                                      {"AWS_WEB_IDENTITY_TOKEN_FILE"}),
       true},
      {"sso", find_sso_provider, true},
      {"shared-credentials-file", find_shared_credentials_file_provider, true},
      {"login_session", find_login_provider, true},
      {"credential_process", find_process_provider, true},
      {"config-file", find_config_file_keys_provider, true},
      {"container", hook_or_absent(hooks.container, "container", {},
                                   {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"}),
       false},
      {"imds", hook_or_absent(hooks.imds, "imds", {}, {}), false},
  };
}

FINOPS_CRAWLER_FUNC std::string describe_profile(const provider_context& ctx) {
  std::string s = "profile " + ctx.profile + " (";
  if (ctx.profile_origin == "default") s += "the default; set AWS_PROFILE or --profile to use another";
  else s += "from " + ctx.profile_origin;
  s += ")";
  if (ctx.files != nullptr && !ctx.files->has_profile(ctx.profile) && ctx.profile_origin != "default")
    s += ", which is in neither the config file nor the shared credentials file";
  return s;
}

FINOPS_CRAWLER_FUNC void link_profile_lookup(provider_context& ctx, const chain_hooks& hooks) {
  ctx.provider_for_profile = [hooks](std::string_view profile, const provider_context& from) {
    return aws::provider_for_profile(profile, from, hooks);
  };
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<chain_choice> choose_credentials_provider(provider_context ctx, const chain_hooks& hooks) {
  if (ctx.env == nullptr) ctx.env = &default_environment();
  const shared_config empty_files;
  if (ctx.files == nullptr) ctx.files = &empty_files;
  if (ctx.profile_path.empty()) ctx.profile_path.push_back(ctx.profile);
  detail::link_profile_lookup(ctx, hooks);
  chain_choice out;
  out.profile_description = detail::describe_profile(ctx);
  for (auto& e : detail::chain_entries(hooks)) {
    auto r = e.factory(ctx);
    if (!r) {
      error err = r.error();
      err.message = std::string(e.kind) + " credentials (" + out.profile_description + "): " + err.message;
      return err;
    }
    if (r->provider) {
      out.provider = std::move(r->provider);
      out.kind = e.kind;
      out.steps.push_back({e.kind, std::string()});
      return out;
    }
    out.steps.push_back({e.kind, std::move(r->declined)});
  }
  return error(errc::no_credentials, tried_providers_message(out.profile_description, out.steps));
}

FINOPS_CRAWLER_FUNC std::string tried_providers_message(std::string_view profile_description,
                                                        const std::vector<chain_step>& steps, std::string_view failed) {
  std::string msg = "no AWS credentials found for " + std::string(profile_description) + ". Tried, in order:";
  int n = 0;
  for (const auto& s : steps) {
    msg += " " + std::to_string(++n) + ". " + s.kind + ": ";
    msg += s.declined.empty() ? failed : std::string_view(s.declined);
    msg += ";";
  }
  msg.back() = '.';
  return msg;
}

FINOPS_CRAWLER_FUNC error first_fetch_error(const chain_choice& choice, const error& failure) {
  // imds is the chain's last kind and applies unless disabled: having it
  // chosen means every other kind declined (botocore ends its chain the
  // same way, and its error then is "Unable to locate credentials").
  if (choice.kind != "imds" || choice.steps.empty() || choice.steps.back().kind != "imds") return failure;
  std::string why = failure.message.empty() ? std::string(error_message(failure.code)) : failure.message;
  while (!why.empty() && (why.back() == '.' || why.back() == ' ')) why.pop_back();
  // Something answering on the metadata address off EC2 (a proxy, a
  // firewall) gives an HTTP error rather than a timeout: say how to skip it.
  if (why.find("AWS_EC2_METADATA_DISABLED") == std::string::npos)
    why += " (not on EC2? set AWS_EC2_METADATA_DISABLED=true to skip instance metadata)";
  error e = failure;
  e.message = tried_providers_message(choice.profile_description, choice.steps, why);
  return e;
}

FINOPS_CRAWLER_FUNC result<std::unique_ptr<credentials_provider>> provider_for_profile(std::string_view profile,
                                                                                       const provider_context& from,
                                                                                       const chain_hooks& hooks) {
  provider_context ctx = from;
  for (const auto& p : ctx.profile_path)
    if (p == profile) {
      std::string path;
      for (const auto& q : ctx.profile_path) path += q + " -> ";
      path += std::string(profile);
      return error(errc::config_file, "source_profile loop: " + path);
    }
  ctx.profile_path.push_back(std::string(profile));
  ctx.profile = std::string(profile);
  ctx.profile_origin = "source_profile of profile " + from.profile;
  ctx.profile_explicit = true;
  if (ctx.files == nullptr || !ctx.files->has_profile(profile))
    return error(errc::config_file, "profile " + from.profile + " names source_profile " + std::string(profile) +
                                        ", which is in neither the config file nor the shared credentials file");
  detail::link_profile_lookup(ctx, hooks);
  std::string tried;
  for (auto& e : detail::chain_entries(hooks)) {
    if (!e.profile_kind) continue;
    auto r = e.factory(ctx);
    if (!r) {
      error err = r.error();
      err.message = std::string(e.kind) + " credentials of source_profile " + std::string(profile) + ": " + err.message;
      return err;
    }
    if (r->provider) return std::move(r->provider);
    tried += std::string(tried.empty() ? "" : "; ") + e.kind + ": " + r->declined;
  }
  return error(errc::no_credentials, "source_profile " + std::string(profile) + " of profile " + from.profile +
                                         " has no credentials. Tried, in order: " + tried);
}

FINOPS_CRAWLER_FUNC result<std::shared_ptr<refreshing_credentials>> make_credential_source(
    std::unique_ptr<credentials_provider> provider, credentials::time_point now, refresh_options options) {
  if (!provider) return error(errc::invalid_argument, "make_credential_source: null provider");
  if (provider->is_static()) {
    auto c = provider->fetch(now);
    if (!c) return c.error();
    return refreshing_credentials::make_static(std::move(*c));
  }
  auto src = refreshing_credentials::make(std::move(provider), std::move(options));
  if (!src) return src.error();
  if (auto st = (*src)->prime(now); !st) return st.error();
  return src;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_CHAIN_INL_HPP
