#ifndef FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
#define FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
/// \file
/// The accounts of an organization (Organizations ListAccounts, every page):
/// for `finops-crawler accounts` and for --account-names. Organizations API
/// calls are free.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/organizations/accounts_page.hpp"
#include "finops_crawler/aws/organizations/requests.hpp"

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
inline result<std::vector<organizations::owned_account>> list_accounts(aws::json_client& org) {
  organizations::list_accounts_request req;
  organizations::accounts_page page;
  std::vector<organizations::owned_account> out;
  std::string token;
  for (int n = 0; n < max_account_pages; ++n) {
    auto body = token.empty() ? req.to_json() : req.to_json_for_page(token);
    if (!body) return body.error();
    auto reply = org.call(organizations::list_accounts_request::operation_name, *body);
    if (!reply) return reply.error();
    if (auto st = page.reparse(reply->body); !st) return st.error();
    for (const auto& a : page.accounts()) out.push_back(a.to_owned());
    if (!page.has_next_token() || page.next_token().empty()) return out;
    if (std::string(page.next_token()) == token)
      return error(errc::limit_reached, "Organizations returned the same NextToken twice");
    token = std::string(page.next_token());
  }
  return error(errc::limit_reached, "more than " + std::to_string(max_account_pages) + " ListAccounts pages");
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ACCOUNT_NAMES_HPP
