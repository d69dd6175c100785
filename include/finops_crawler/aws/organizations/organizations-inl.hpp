#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_INL_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_INL_HPP
/// \file
/// The bodies of aws/organizations/organizations.hpp: included by that header
/// in header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/organizations/organizations.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

FINOPS_CRAWLER_FUNC status organizations_client::list_accounts(const list_accounts_request& request, accounts_page& page) {
  return fetch(list_accounts_request::operation_name, request.to_json(), page);
}

FINOPS_CRAWLER_FUNC result<std::vector<owned_account>> organizations_client::list_all_accounts(const crawl_options& options) {
  std::vector<owned_account> out;
  auto r = crawl_accounts(list_accounts_request{}, [&](const accounts_page& p, const page_info&) {
    for (const account& a : p.accounts()) out.push_back(a.to_owned());
  }, options);
  if (!r) return r.error();
  return out;
}

FINOPS_CRAWLER_FUNC result<std::vector<std::string>> organizations_client::list_account_ids(const crawl_options& options) {
  std::vector<std::string> out;
  auto r = crawl_accounts(list_accounts_request{}, [&](const accounts_page& p, const page_info&) {
    for (const account& a : p.accounts()) out.emplace_back(a.id);
  }, options);
  if (!r) return r.error();
  return out;
}

FINOPS_CRAWLER_FUNC result<owned_account> organizations_client::describe_account(std::string_view account_id) {
  describe_account_request request;
  request.account_id = std::string(account_id);
  if (status st = fetch(describe_account_request::operation_name, request.to_json(), page_); !st)
    return st.error();
  if (page_.accounts().size() != 1)
    return error(errc::unexpected_shape, "Organizations DescribeAccount: the reply has no Account");
  return page_.accounts().front().to_owned();
}

FINOPS_CRAWLER_FUNC status organizations_client::check_service() const {
  if (client_.service().target_prefix != aws::organizations_api.target_prefix)
    return status(errc::invalid_argument, "organizations_client needs a json_client made for organizations_api, not " +
                                              std::string(client_.service().display_name));
  return {};
}

FINOPS_CRAWLER_FUNC status organizations_client::fetch(std::string_view operation, result<std::string> body, accounts_page& page) {
  if (!body) return status(body.error());  // validation failed: nothing sent
  if (status s = check_service(); !s) return s;
  // The client validates a 200 by parsing it into the page's document, and
  // the page reads that document: one parse per page.
  using access = finops_crawler::detail::page_access;
  // Read inside the call: a reply refused as damaged (a repeated member)
  // is retried like a cut-off one.
  auto reply = client_.call(operation, *body, access::prepare(page), [&page, operation](const http::http_response&) {
    status st = access::read(page);
    if (!st) {
      error e = st.error();
      e.message = "Organizations " + std::string(operation) + ": " + e.message;
      return status(std::move(e));
    }
    return st;
  });
  if (!reply) return status(reply.error());
  last_body_bytes_ = reply->body.size();
  return {};
}

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_INL_HPP
