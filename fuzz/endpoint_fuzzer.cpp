// libFuzzer target: endpoint URLs and environment values (aws/endpoints.hpp):
// find_configured_endpoint and resolve_endpoint over a map_environment and
// a shared config, plus resolve_endpoint_rules / standard_regional_url on
// the fuzzed region.
//
// Input: byte 0 = option bits (service, code endpoint, ignore switch, STS
// global endpoint), then fields separated by '\n': region,
// AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL,
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_USE_FIPS_ENDPOINT,
// AWS_USE_DUALSTACK_ENDPOINT, the code's endpoint_url, then the rest is the
// config file text (profile "default").
//
// Invariants (a violation traps):
//  - with an empty config file, find_configured_endpoint gives what a naive
//    reference of the documented order gives (code option, ignore switches,
//    service variable, global variable), URL checks included;
//  - every accepted configured URL is http(s)://, a host, no blanks or
//    controls; resolve_endpoint marks exactly those as overridden and keeps
//    them byte for byte;
//  - a derived (not overridden) endpoint is https://, a host of letters,
//    digits, '-' and '.' only, signed for a valid region name with the
//    service's signing name: a fuzzed region can never redirect a request;
//  - errors are errc::invalid_argument with a message.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "finops_crawler/aws/endpoints.hpp"
#include "finops_crawler/aws/environment.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "fuzz_support.hpp"

namespace fc = finops_crawler;
namespace aws = finops_crawler::aws;
using fuzz_support::require;

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i]) return false;
  return true;
}

bool ref_acceptable_url(std::string_view url) {
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return false;
  std::size_t rest;
  if (starts_with_icase(url, "http://")) rest = 7;
  else if (starts_with_icase(url, "https://")) rest = 8;
  else return false;
  if (url.size() <= rest) return false;
  return std::string_view("/?#:@").find(url[rest]) == std::string_view::npos;
}

/// "true" / "false" in any case, with the shared files' blanks (space, \t, \v, \f, \r) around.
std::optional<bool> ref_bool(std::string_view s) {
  constexpr std::string_view blanks = " \t\v\f\r";
  while (!s.empty() && blanks.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && blanks.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  if (s.size() == 4 && starts_with_icase(s, "true")) return true;
  if (s.size() == 5 && starts_with_icase(s, "false")) return false;
  return std::nullopt;
}

/// The documented order with no config file: nullopt = error; else the URL (or "" for none).
std::optional<std::string> ref_configured(const aws::endpoint_options& o, std::string_view specific,
                                          std::string_view global, std::string_view ignore) {
  if (o.endpoint_url) {
    if (!ref_acceptable_url(*o.endpoint_url)) return std::nullopt;
    return *o.endpoint_url;
  }
  if (o.ignore_configured_endpoint_urls) return std::string();
  if (!ignore.empty()) {
    auto b = ref_bool(ignore);
    if (!b) return std::nullopt;
    if (*b) return std::string();
  }
  std::string_view url = !specific.empty() ? specific : global;
  if (url.empty()) return std::string();
  if (!ref_acceptable_url(url)) return std::nullopt;
  return std::string(url);
}

bool host_chars_only(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  return true;
}

bool derived_url_ok(std::string_view url) {
  return url.rfind("https://", 0) == 0 && host_chars_only(url.substr(8));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 8192) return 0;
  const std::uint8_t bits = data[0];
  const auto f = fuzz_support::split(fuzz_support::as_text(data + 1, size - 1), '\n', 8, 8);
  const aws::service services[] = {aws::service::cost_explorer, aws::service::organizations, aws::service::sts};
  const aws::service s = services[(bits & 3) % 3];
  const aws::service_info& si = aws::info(s);
  const std::string specific = aws::endpoint_env_var(si.service_id);
  require(specific.rfind("AWS_ENDPOINT_URL_", 0) == 0 && fuzz_support::one_line(specific));

  aws::map_environment env;
  const char* names[] = {"AWS_REGION", nullptr, "AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                         "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"};
  for (std::size_t i = 0; i < 6; ++i) env.set(names[i] ? names[i] : specific, std::string(f[i]));

  aws::endpoint_options o;
  if (bits & 4) o.endpoint_url = std::string(f[6]);
  o.ignore_configured_endpoint_urls = (bits & 8) != 0;
  o.sts_use_global_endpoint = (bits & 16) != 0;
  if (bits & 32) o.use_fips = (bits & 64) != 0;
  if (bits & 128) o.use_dual_stack = (bits & 64) == 0;

  auto cfg = aws::shared_config::from_strings(f[7], "");
  if (!cfg) {
    require(cfg.code() == fc::errc::config_file);
    cfg = aws::shared_config::from_strings("", "");
    require(static_cast<bool>(cfg));
  }
  const bool no_config = f[7].empty();

  auto configured = aws::find_configured_endpoint(si.service_id, o, env, *cfg, "default");
  if (!configured) {
    require(configured.code() == fc::errc::invalid_argument && !configured.error().message.empty());
  } else if (*configured) {
    require(ref_acceptable_url((*configured)->url) && !(*configured)->source.empty());
  }
  if (no_config) {
    auto want = ref_configured(o, f[1], f[2], f[3]);
    require(static_cast<bool>(configured) == want.has_value());
    if (configured) require((*configured ? (*configured)->url : std::string()) == *want);
  }

  auto region = aws::resolve_region(std::nullopt, env, *cfg, "default");
  if (!f[0].empty()) require(region && region->name == f[0] && region->origin == "AWS_REGION");
  const std::optional<std::string_view> region_view =
      region ? std::optional<std::string_view>(region->name) : std::nullopt;

  auto e = aws::resolve_endpoint(s, region_view, o, env, *cfg, "default");
  if (!e) {
    require(e.code() == fc::errc::invalid_argument && !e.error().message.empty());
  } else {
    require(static_cast<bool>(configured));  // resolve_endpoint fails when the configured lookup fails
    require(e->signing_name == si.signing_name && !e->signing_region.empty());
    require(e->overridden == static_cast<bool>(*configured));
    if (e->overridden) {
      require(e->url == (*configured)->url);
    } else {
      require(derived_url_ok(e->url));
      require(aws::is_valid_region_name(e->signing_region));
    }
  }

  // The rule set and the standard form on the region alone.
  aws::endpoint_parameters p;
  if (!f[0].empty()) p.region = std::string(f[0]);
  p.use_fips = (bits & 32) != 0;
  p.use_dual_stack = (bits & 128) != 0;
  p.use_global_endpoint = (bits & 16) != 0;
  if (auto r = aws::resolve_endpoint_rules(s, p)) {
    require(p.region && aws::is_valid_region_name(*p.region));
    require(derived_url_ok(r->url) && !r->overridden && aws::is_valid_region_name(r->signing_region));
  } else {
    require(r.code() == fc::errc::invalid_argument);
  }
  if (auto u = aws::standard_regional_url(si.endpoint_prefix, f[0], p.use_fips, p.use_dual_stack)) {
    require(aws::is_valid_region_name(f[0]) && derived_url_ok(*u));
    require(u->rfind("https://" + std::string(si.endpoint_prefix) + (p.use_fips ? "-fips." : "."), 0) == 0);
    const aws::partition& part = aws::partition_for_region(f[0]);
    const std::string suffix = "." + std::string(p.use_dual_stack ? part.dual_stack_dns_suffix : part.dns_suffix);
    require(u->size() > suffix.size() && u->compare(u->size() - suffix.size(), suffix.size(), suffix) == 0);
  } else {
    require(u.code() == fc::errc::invalid_argument);
  }
  return 0;
}
