#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_INL_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_INL_HPP
/// \file
/// The bodies of aws/organizations/requests.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/organizations/requests.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

namespace detail_org {
FINOPS_CRAWLER_FUNC status fail(std::string_view op, std::string message) {
  return status(errc::invalid_argument, std::string(op) + ": " + std::move(message));
}

FINOPS_CRAWLER_FUNC status check_list_accounts(const std::optional<std::int64_t>& max_results,
                                  const std::optional<std::string_view>& token) {
  if (max_results && (*max_results < 1 || *max_results > 20)) {
    return fail(list_accounts_request::operation_name,
                "MaxResults must be 1..20 (shape MaxResults), got " + std::to_string(*max_results));
  }
  if (token) {
    if (token->empty()) {
      return fail(list_accounts_request::operation_name,
                  "NextToken is empty; leave it unset for the first page and set it to the NextToken of the "
                  "previous response after that");
    }
    if (status s = finops_crawler::detail::validate_utf8(*token, "NextToken"); !s) {
      return fail(list_accounts_request::operation_name, s.error().message);
    }
    if (finops_crawler::detail::utf8_length(*token) > max_next_token_length) {
      return fail(list_accounts_request::operation_name,
                  "NextToken is longer than 100000 characters (shape NextToken)");
    }
  }
  return {};
}

FINOPS_CRAWLER_FUNC result<std::string> list_accounts_json(const std::optional<std::int64_t>& max_results,
                                              const std::optional<std::string_view>& token) {
  if (status s = check_list_accounts(max_results, token); !s) return s.error();
  finops_crawler::detail::json_writer w;
  w.begin_object();
  if (token) w.key("NextToken").string(*token);
  if (max_results) w.key("MaxResults").integer(*max_results);
  w.end_object();
  return std::move(w).finish();
}
}  // namespace detail_org

FINOPS_CRAWLER_FUNC status list_accounts_request::validate() const {
  std::optional<std::string_view> token;
  if (next_token) token = *next_token;
  return detail_org::check_list_accounts(max_results, token);
}

FINOPS_CRAWLER_FUNC result<std::string> list_accounts_request::to_json() const {
  std::optional<std::string_view> token;
  if (next_token) token = *next_token;
  return detail_org::list_accounts_json(max_results, token);
}

FINOPS_CRAWLER_FUNC result<std::string> list_accounts_request::to_json_for_page(std::string_view token) const {
  return detail_org::list_accounts_json(max_results, std::optional<std::string_view>(token));
}

FINOPS_CRAWLER_FUNC status describe_account_request::validate() const {
  if (account_id.empty()) return detail_org::fail(operation_name, "AccountId is required (12 digits)");
  if (!is_account_id(account_id)) {
    std::string shown;
    if (finops_crawler::detail::check_utf8(account_id) && account_id.size() <= 40) {
      (void)finops_crawler::detail::append_json_string(shown, account_id);
    } else {
      shown = "(" + std::to_string(account_id.size()) + " bytes)";
    }
    return detail_org::fail(operation_name, "AccountId " + shown +
                                                " must be exactly 12 digits, e.g. 123456789012 (shape AccountId, "
                                                "pattern ^\\d{12}$)");
  }
  return {};
}

FINOPS_CRAWLER_FUNC result<std::string> describe_account_request::to_json() const {
  if (status s = validate(); !s) return s.error();
  finops_crawler::detail::json_writer w;
  w.begin_object().key("AccountId").string(account_id).end_object();
  return std::move(w).finish();
}

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_REQUESTS_INL_HPP
