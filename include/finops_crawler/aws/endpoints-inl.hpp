#ifndef FINOPS_CRAWLER_AWS_ENDPOINTS_INL_HPP
#define FINOPS_CRAWLER_AWS_ENDPOINTS_INL_HPP
/// \file
/// The bodies of aws/endpoints.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/endpoints.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Matches `\w+-\d+` exactly (the tail of every partition pattern).
FINOPS_CRAWLER_FUNC bool matches_word_dash_digits(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '_')) ++i;
  if (i == 0 || i >= s.size() || s[i] != '-') return false;
  ++i;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

FINOPS_CRAWLER_FUNC bool region_matches(const partition& p, std::string_view region) noexcept {
  std::string_view prefixes = p.region_prefixes;
  while (!prefixes.empty()) {
    const std::size_t bar = prefixes.find('|');
    const std::string_view prefix = prefixes.substr(0, bar);
    if (region.size() > prefix.size() && region.substr(0, prefix.size()) == prefix &&
        matches_word_dash_digits(region.substr(prefix.size())))
      return true;
    if (bar == std::string_view::npos) break;
    prefixes.remove_prefix(bar + 1);
  }
  return false;
}

FINOPS_CRAWLER_FUNC std::string host_url(std::string_view prefix, bool fips, std::string_view region, std::string_view suffix) {
  std::string url = "https://";
  url += prefix;
  if (fips) url += "-fips";
  url += '.';
  url += region;
  url += '.';
  url += suffix;
  return url;
}

FINOPS_CRAWLER_FUNC error endpoint_error(std::string rule_text, std::string_view context) {
  if (!context.empty()) {
    rule_text += " (";
    rule_text += context;
    rule_text += ')';
  }
  return error(errc::invalid_argument, std::move(rule_text));
}

/// The Smithy rule sets' checks for FIPS / dual-stack support in a partition.
FINOPS_CRAWLER_FUNC std::optional<error> check_variant(const partition& p, bool fips, bool ds, std::string_view context) {
  if (fips && ds && !(p.supports_fips && p.supports_dual_stack))
    return endpoint_error("FIPS and DualStack are enabled, but this partition does not support one or both", context);
  if (fips && !ds && !p.supports_fips)
    return endpoint_error("FIPS is enabled but this partition does not support FIPS", context);
  if (ds && !fips && !p.supports_dual_stack)
    return endpoint_error("DualStack is enabled but this partition does not support DualStack", context);
  return std::nullopt;
}

/// A URL we are willing to send credentials-signed requests to:
/// http:// or https:// (any case), a non-empty host, no blanks or controls.
FINOPS_CRAWLER_FUNC bool is_acceptable_endpoint_url(std::string_view url) noexcept {
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return false;
  std::size_t rest = 0;
  if (url.size() > 7 && iequals(url.substr(0, 7), "http://")) rest = 7;
  else if (url.size() > 8 && iequals(url.substr(0, 8), "https://")) rest = 8;
  else return false;
  const char first = url[rest];
  return first != '/' && first != '?' && first != '#' && first != ':' && first != '@';
}

/// A boolean setting: code option, else environment variable, else profile.
FINOPS_CRAWLER_FUNC result<bool> resolve_bool_setting(std::optional<bool> option, const environment& env, const char* env_var,
                                         const shared_config& config, std::string_view profile,
                                         std::string_view key) {
  if (option) return *option;
  if (auto v = env.get_non_empty(env_var)) {
    if (auto b = parse_config_bool(*v)) return *b;
    return error(errc::invalid_argument, std::string(env_var) + " must be 'true' or 'false', not '" + *v + "'");
  }
  if (auto v = config.get(profile, key)) {
    if (auto b = parse_config_bool(v->value)) return *b;
    return error(errc::invalid_argument, std::string(v->file) + ":" + std::to_string(v->line) + ": " +
                                             std::string(key) + " must be 'true' or 'false', not '" +
                                             std::string(v->value) + "'");
  }
  return false;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC const partition& partition_for_region(std::string_view region) noexcept {
  for (const partition& p : partitions)
    if (!p.global_region_alias.empty() && region == p.global_region_alias) return p;
  for (const partition& p : partitions)
    if (detail::region_matches(p, region)) return p;
  return partitions[0];
}

FINOPS_CRAWLER_FUNC bool is_valid_region_name(std::string_view region) noexcept {
  if (region.empty() || region.size() > 63 || !detail::is_alnum(region.front())) return false;
  for (char c : region)
    if (!detail::is_alnum(c) && c != '-') return false;
  return true;
}

FINOPS_CRAWLER_FUNC const service_info& info(service s) noexcept {
  for (const service_info& i : service_infos)
    if (i.id == s) return i;
  return service_infos[0];
}

FINOPS_CRAWLER_FUNC result<std::string> standard_regional_url(std::string_view endpoint_prefix, std::string_view region,
                                                 bool use_fips, bool use_dual_stack) {
  if (!is_valid_region_name(region))
    return error(errc::invalid_argument, "'" + std::string(region) + "' is not a valid AWS region name");
  const partition& p = partition_for_region(region);
  if (auto e = detail::check_variant(p, use_fips, use_dual_stack, p.name)) return *e;
  return detail::host_url(endpoint_prefix, use_fips, region,
                          use_dual_stack ? p.dual_stack_dns_suffix : p.dns_suffix);
}

namespace detail {

FINOPS_CRAWLER_FUNC result<endpoint> resolve_rules_for_region(service s, const std::string& region, bool fips, bool ds,
                                                 bool use_global_endpoint) {
  const service_info& si = info(s);
  if (!is_valid_region_name(region))
    return error(errc::invalid_argument,
                 "'" + region + "' is not a valid AWS region name (letters, digits and '-'; e.g. us-east-1)");
  const partition& p = partition_for_region(region);
  const std::string context = std::string(si.service_id) + ", region " + region + ", partition " + std::string(p.name);
  endpoint e;
  e.signing_name = std::string(si.signing_name);
  e.source = "endpoint rules for " + context;
  const std::string_view suffix = ds ? p.dual_stack_dns_suffix : p.dns_suffix;

  switch (s) {
    case service::cost_explorer: {
      // Cost Explorer is one global endpoint per partition, in the partition's
      // implicit global region, whatever the client's region.
      const std::string_view home = p.implicit_global_region;
      e.signing_region = std::string(home);
      if (p.name == "aws-eusc" && !fips) {
        // Rule-set quirk: in aws-eusc the non-FIPS endpoint is the dual-stack
        // host even when dual-stack is off.
        e.url = host_url("ce", false, home, p.dual_stack_dns_suffix);
        return e;
      }
      if (auto err = check_variant(p, fips, ds, context)) return *err;
      e.url = host_url("ce", fips, home, suffix);
      return e;
    }
    case service::organizations: {
      // Organizations is global too, but its rule set pins the global host
      // only for some partitions and variants; the rest fall through to the
      // regional pattern signed with the client's region.
      const std::string_view n = p.name;
      const bool pinned_plain = !fips && !ds &&
                                (n == "aws" || n == "aws-cn" || n == "aws-us-gov" || n == "aws-iso" ||
                                 n == "aws-iso-b" || n == "aws-iso-f");
      const bool pinned_fips = fips && !ds && (n == "aws" || n == "aws-us-gov");
      if (pinned_plain || pinned_fips) {
        // GovCloud's Organizations endpoint is FIPS-validated already; its
        // rule maps UseFIPS to the same host.
        const bool fips_host = fips && n == "aws";
        e.url = host_url("organizations", fips_host, p.implicit_global_region, p.dns_suffix);
        e.signing_region = std::string(p.implicit_global_region);
        return e;
      }
      if (auto err = check_variant(p, fips, ds, context)) return *err;
      e.url = host_url("organizations", fips, region, suffix);
      e.signing_region = region;
      return e;
    }
    case service::sts: {
      constexpr std::string_view legacy_global[] = {
          "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
          "eu-central-1",   "eu-north-1", "eu-west-1",      "eu-west-2",      "eu-west-3",  "sa-east-1",
          "us-east-1",      "us-east-2",  "us-west-1",      "us-west-2"};
      if (use_global_endpoint && !fips && !ds) {
        for (std::string_view r : legacy_global)
          if (region == r) {
            e.url = "https://sts.amazonaws.com";
            e.signing_region = "us-east-1";
            return e;
          }
        e.url = host_url("sts", false, region, p.dns_suffix);
        e.signing_region = region;
        return e;
      }
      if (auto err = check_variant(p, fips, ds, context)) return *err;
      e.signing_region = region;
      if (fips && !ds && p.name == "aws-us-gov") {
        // GovCloud STS endpoints are FIPS endpoints already (no sts-fips host).
        e.url = host_url("sts", false, region, p.dns_suffix);
        return e;
      }
      if (!fips && !ds && region == "aws-global") {
        e.url = "https://sts.amazonaws.com";
        e.signing_region = "us-east-1";
        return e;
      }
      e.url = host_url("sts", fips, region, suffix);
      return e;
    }
    case service::sso:
    case service::sso_oidc: {
      // The SSO and SSO OIDC rule sets: the standard regional pattern, with
      // GovCloud's plain host serving FIPS (no -fips host there).
      if (auto err = check_variant(p, fips, ds, context)) return *err;
      e.signing_region = region;
      if (fips && !ds && p.name == "aws-us-gov") {
        e.url = host_url(si.endpoint_prefix, false, region, "amazonaws.com");
        return e;
      }
      e.url = host_url(si.endpoint_prefix, fips, region, suffix);
      return e;
    }
  }
  return error(errc::invalid_argument, "unknown service");
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<endpoint> resolve_endpoint_rules(service s, const endpoint_parameters& params) {
  const service_info& si = info(s);
  if (params.endpoint) {
    if (params.use_fips)
      return detail::endpoint_error("Invalid Configuration: FIPS and custom endpoint are not supported",
                                    std::string(si.service_id) + ", endpoint " + *params.endpoint);
    if (params.use_dual_stack)
      return detail::endpoint_error("Invalid Configuration: Dualstack and custom endpoint are not supported",
                                    std::string(si.service_id) + ", endpoint " + *params.endpoint);
    endpoint e;
    e.url = *params.endpoint;
    e.signing_name = std::string(si.signing_name);
    e.overridden = true;
    e.source = "custom endpoint";
    // Sign as the service would without the override (Cost Explorer and
    // Organizations keep their global signing region behind a proxy).
    e.signing_region = "us-east-1";
    if (params.region) {
      auto plain = detail::resolve_rules_for_region(s, *params.region, false, false, params.use_global_endpoint);
      if (plain) e.signing_region = plain->signing_region;
      else e.signing_region = *params.region;
    }
    return e;
  }
  if (!params.region)
    return detail::endpoint_error("Invalid Configuration: Missing Region",
                                  std::string(si.service_id) + ": set AWS_REGION or the profile's region");
  return detail::resolve_rules_for_region(s, *params.region, params.use_fips, params.use_dual_stack,
                                          params.use_global_endpoint);
}

FINOPS_CRAWLER_FUNC std::string endpoint_env_var(std::string_view service_id) {
  std::string out = "AWS_ENDPOINT_URL_";
  for (char c : detail::trim(service_id)) {
    if (detail::is_blank(c)) out += '_';
    else out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

FINOPS_CRAWLER_FUNC std::string endpoint_config_key(std::string_view service_id) {
  std::string out;
  for (char c : detail::trim(service_id)) out += detail::is_blank(c) ? '_' : detail::ascii_lower(c);
  return out;
}

FINOPS_CRAWLER_FUNC result<std::optional<configured_endpoint>> find_configured_endpoint(std::string_view service_id,
                                                                           const endpoint_options& options,
                                                                           const environment& env,
                                                                           const shared_config& config,
                                                                           std::string_view profile) {
  auto accept = [](std::string url, std::string source) -> result<std::optional<configured_endpoint>> {
    if (!detail::is_acceptable_endpoint_url(url))
      return error(errc::invalid_argument, source + ": endpoint URL '" + url +
                                               "' must start with http:// or https:// followed by a host, "
                                               "without blanks");
    return std::optional<configured_endpoint>(configured_endpoint{std::move(url), std::move(source)});
  };

  // 1. Code wins over everything, including the ignore switches.
  if (options.endpoint_url) return accept(*options.endpoint_url, "endpoint_url option");

  // 2. The ignore switch: code, else environment, else profile.
  auto ignore = detail::resolve_bool_setting(options.ignore_configured_endpoint_urls ? std::optional<bool>(true)
                                                                                     : std::nullopt,
                                             env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", config, profile,
                                             "ignore_configured_endpoint_urls");
  if (!ignore) return ignore.error();
  if (*ignore) return std::optional<configured_endpoint>{};

  // 3. and 4. Environment: service-specific, then global.
  const std::string specific = endpoint_env_var(service_id);
  if (auto v = env.get_non_empty(specific)) return accept(std::move(*v), specific);
  if (auto v = env.get_non_empty("AWS_ENDPOINT_URL")) return accept(std::move(*v), "AWS_ENDPOINT_URL");

  // 5. The profile's [services NAME] section, block for this service.
  if (auto services = config.get(profile, "services"); services && !services->value.empty()) {
    const ini_section* section = config.services_section(services->value);
    if (section == nullptr)
      return error(errc::invalid_argument, std::string(services->file) + ":" + std::to_string(services->line) +
                                               ": profile " + std::string(profile) + " names services section '" +
                                               std::string(services->value) +
                                               "', but there is no [services " + std::string(services->value) +
                                               "] section in the config file");
    const std::string key = endpoint_config_key(service_id);
    if (const ini_property* block = section->find(key))
      if (const ini_sub_property* url = block->find_sub("endpoint_url"); url && !url->value.empty())
        return accept(url->value, "[" + section->name + "] " + key + ".endpoint_url at " +
                                      config.config_file()->source() + ":" + std::to_string(url->line));
  }

  // 6. The profile's own endpoint_url.
  if (auto v = config.get(profile, "endpoint_url"); v && !v->value.empty())
    return accept(std::string(v->value), "profile " + std::string(profile) + " endpoint_url at " +
                                             std::string(v->file) + ":" + std::to_string(v->line));
  return std::optional<configured_endpoint>{};
}

FINOPS_CRAWLER_FUNC result<endpoint> resolve_endpoint(service s, std::optional<std::string_view> region,
                                         const endpoint_options& options, const environment& env,
                                         const shared_config& config, std::string_view profile) {
  auto configured = find_configured_endpoint(info(s).service_id, options, env, config, profile);
  if (!configured) return configured.error();
  auto fips = detail::resolve_bool_setting(options.use_fips, env, "AWS_USE_FIPS_ENDPOINT", config, profile,
                                           "use_fips_endpoint");
  if (!fips) return fips.error();
  auto ds = detail::resolve_bool_setting(options.use_dual_stack, env, "AWS_USE_DUALSTACK_ENDPOINT", config, profile,
                                         "use_dualstack_endpoint");
  if (!ds) return ds.error();

  endpoint_parameters p;
  // Cost Explorer and Organizations live in us-east-1 for the whole aws
  // partition and STS answers there too, so no region means us-east-1.
  p.region = (region && !region->empty()) ? std::string(*region) : std::string("us-east-1");
  p.use_fips = *fips;
  p.use_dual_stack = *ds;
  p.use_global_endpoint = s == service::sts && options.sts_use_global_endpoint;
  if (*configured) p.endpoint = (*configured)->url;
  auto e = resolve_endpoint_rules(s, p);
  if (!e) {
    if (*configured) {
      error err = e.error();
      err.message += "; the endpoint URL came from " + (*configured)->source;
      return err;
    }
    return e;
  }
  if (*configured) e->source = (*configured)->source;
  return e;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ENDPOINTS_INL_HPP
