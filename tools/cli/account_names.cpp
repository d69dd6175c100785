// Bodies of account_names.hpp.
#include "account_names.hpp"

#include <string>

#include "finops_crawler/aws/organizations/requests.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

result<std::vector<organizations::owned_account>> list_accounts(aws::json_client& org) {
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
