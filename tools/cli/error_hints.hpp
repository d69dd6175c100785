#ifndef FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
#define FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
/// \file
/// One actionable line on stderr for a failed command: what went wrong (the
/// library's message, which never holds a secret) and what to do about it
/// (which IAM action to grant, that Cost Explorer must be enabled and needs
/// 24 hours, that resource-level data is an opt-in setting, ...).

#include <string>
#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The IAM action behind an operation, e.g. ("ce", "GetCostAndUsage") ->
/// "ce:GetCostAndUsage".
std::string iam_action(std::string_view iam_prefix, std::string_view operation);

/// Whether `e` is a TLS failure caused by the server's certificate or the CA
/// file (libcurl's code in error::curl_code), the case where --ca-bundle helps.
bool is_certificate_error(const error& e) noexcept;

/// The stderr line for `e`, raised by `operation` (IAM action form,
/// "ce:GetCostAndUsage"; empty when not known). Starts with "finops-crawler: ".
std::string explain_error(const error& e, std::string_view action = {});

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ERROR_HINTS_HPP
