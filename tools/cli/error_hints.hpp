#ifndef FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
#define FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
/// \file
/// One actionable line on stderr for a failed command: what went wrong (the
/// library's message, which never holds a secret) and what to do about it
/// (which IAM action to grant, that Cost Explorer must be enabled and needs
/// 24 hours, that resource-level data is an opt-in setting, ...).

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "exit_codes.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace detail {
inline bool icontains(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}
}  // namespace detail

/// The IAM action behind an operation, e.g. ("ce", "GetCostAndUsage") ->
/// "ce:GetCostAndUsage".
inline std::string iam_action(std::string_view iam_prefix, std::string_view operation) {
  return std::string(iam_prefix) + ":" + std::string(operation);
}

/// The stderr line for `e`, raised by `operation` (IAM action form,
/// "ce:GetCostAndUsage"; empty when not known). Starts with "finops-crawler: ".
inline std::string explain_error(const error& e, std::string_view action = {}) {
  std::string line = "finops-crawler: " + e.describe();
  const std::string_view code = e.aws_code;
  auto hint = [&](std::string_view h) {
    line += " -- ";
    line += h;
  };
  if (e.code == errc::no_credentials || e.code == errc::config_file) {
    hint("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME for a profile in ~/.aws/credentials");
  } else if (is_credential_aws_code(code)) {
    if (detail::icontains(code, "Expired"))
      hint("the session token has expired: refresh the temporary credentials");
    else
      hint("AWS does not accept these keys: check the access key id and secret (and the session token, if any)");
  } else if (detail::icontains(e.message, "not enabled for cost explorer") ||
             detail::icontains(e.message, "cost explorer is not enabled") || code == "DataUnavailableException") {
    hint("enable Cost Explorer in the Billing console (management account: Cost Explorer > Launch); "
         "data appears within 24 hours");
  } else if (detail::icontains(e.message, "resource") &&
             (detail::icontains(e.message, "not enabled") || detail::icontains(e.message, "opt"))) {
    hint("--group-by RESOURCE_ID needs resource-level data: enable 'Resource-level data at daily granularity' "
         "in Cost Management > Preferences (covers the last 14 days only)");
  } else if (code == "AccessDeniedException" || code == "AccessDenied" || e.http_status == 403) {
    if (!action.empty()) hint("grant the IAM action " + std::string(action) + " to this identity (see `finops-crawler whoami`)");
    else hint("this identity lacks the IAM permission for the call (see `finops-crawler whoami`)");
  } else if (e.code == errc::not_in_organization || code == "AWSOrganizationsNotInUseException") {
    hint("this account is not in an AWS Organization: there is only this one account");
  } else if (is_throttling_aws_code(code) || e.code == errc::throttled) {
    hint("AWS kept throttling after all retries: wait a minute and run again (use --cache DIR to reuse pages)");
  } else if (e.code == errc::transport) {
    hint("check the network, a proxy (HTTPS_PROXY) or --endpoint-url");
  } else if (code == "ValidationException" || code == "InvalidNextTokenException") {
    hint("AWS refused the request as invalid; check the dates, metric names and filter");
  } else if (e.code == errc::limit_reached) {
    hint("the crawl stopped at a limit; narrow the period or the grouping");
  }
  return line;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
