#ifndef FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
#define FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
/// \file
/// The accounts of an organization (Organizations ListAccounts, every page):
/// for `finops-crawler accounts` and for --account-names. Organizations API
/// calls are free.

#include <vector>

#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/organizations/accounts_page.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Most ListAccounts pages read (20 accounts each: 100,000 accounts), so a
/// service that keeps returning tokens cannot keep us looping.
inline constexpr int max_account_pages = 5000;

/// Every account of the organization, in AWS order. `org` must be an
/// Organizations client. Errors: the client's (errc::not_in_organization when
/// the account is not in an organization; aws_error AccessDeniedException
/// when organizations:ListAccounts is not allowed, e.g. from a member
/// account), the page parser's, errc::limit_reached for a repeated token or
/// too many pages. Blocking; one request per 20 accounts.
result<std::vector<organizations::owned_account>> list_accounts(aws::json_client& org);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
