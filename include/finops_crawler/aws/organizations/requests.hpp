#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_HPP
/// \file
/// AWS Organizations request model: ListAccounts and DescribeAccount, checked
/// against the service model (`organizations-2016-11-28.service-2.json`,
/// shapes cited) before they are sent. Errors are errc::invalid_argument with
/// a message naming the field and the rule.
///
///   organizations::list_accounts_request r;
///   r.max_results = 20;
///   result<std::string> body = r.to_json();   // {"MaxResults":20}
///
/// Plain value types; concurrent const use is safe. Standard library only.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

/// Shape `NextToken`: at most 100000 characters.
inline constexpr std::size_t max_next_token_length = 100000;

/// ListAccounts (shape `ListAccountsRequest`); every member optional.
/// Rules: MaxResults 1..20 (shape `MaxResults`); NextToken 1..100000
/// characters of valid UTF-8 (shape `NextToken`; an empty token is refused,
/// as it is always a pagination bug).
struct list_accounts_request {
  /// "ListAccounts".
  static constexpr std::string_view operation_name = "ListAccounts";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSOrganizationsV20161128.ListAccounts";

  std::optional<std::string> next_token;  ///< "NextToken"
  std::optional<std::int64_t> max_results;  ///< "MaxResults"

  /// Checks the rules above; the first failure as errc::invalid_argument.
  status validate() const;
  /// Validates, then serializes the body: `{}` when nothing is set.
  result<std::string> to_json() const;
  /// The body for the page after `token` (the NextToken of the previous
  /// response) without copying or modifying the request. Validates.
  result<std::string> to_json_for_page(std::string_view token) const;
  /// Sets (or clears) NextToken in place, for pagination loops.
  void set_next_token(std::optional<std::string> token) { next_token = std::move(token); }
};

/// DescribeAccount (shape `DescribeAccountRequest`). Rule: AccountId is
/// required and exactly 12 ASCII digits (shape `AccountId`, `^\d{12}$`).
struct describe_account_request {
  /// "DescribeAccount".
  static constexpr std::string_view operation_name = "DescribeAccount";
  /// The X-Amz-Target header value.
  static constexpr std::string_view target = "AWSOrganizationsV20161128.DescribeAccount";

  std::string account_id;  ///< "AccountId" (required)

  /// Checks the rule above.
  status validate() const;
  /// Validates, then serializes `{"AccountId":"123456789012"}`.
  result<std::string> to_json() const;
};

/// Whether `id` is an AWS account ID: exactly 12 ASCII digits (shape `AccountId`).
inline bool is_account_id(std::string_view id) noexcept {
  if (id.size() != 12) return false;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/organizations/requests-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_HPP
