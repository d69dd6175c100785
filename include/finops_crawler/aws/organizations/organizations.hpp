#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_HPP
/// \file
/// `organizations::organizations_client`: AWS Organizations ListAccounts
/// (page by page or all pages) and DescribeAccount, over aws::json_client.
///
///   organizations::organizations_client org(aws::json_client(std::move(o)));  // organizations_api
///   auto ids = org.list_account_ids();
///   if (!ids && ids.code() == errc::not_in_organization) { /* a standalone account */ }
///
/// An account that is not a member of an organization gets
/// AWSOrganizationsNotInUseException from both calls; that is its own
/// outcome, errc::not_in_organization (the Python original returns False),
/// not a generic failure. Organizations calls are free (not billable).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/ce/crawl.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/organizations/accounts_page.hpp"
#include "finops_crawler/aws/organizations/requests.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

/// Limits of a ListAccounts crawl (the same options as a Cost Explorer crawl).
using crawl_options = ce::crawl_options;
/// What a ListAccounts crawl did.
using crawl_stats = ce::crawl_stats;
/// What a ListAccounts crawl callback learns about each page.
using page_info = ce::page_info;

/// An Organizations client over one aws::json_client (which it owns).
///
/// Errors of every call: errc::invalid_argument from the request model
/// (nothing sent), errc::not_in_organization (AWSOrganizationsNotInUseException),
/// the client's errors (aws_error for AccessDeniedException and the like,
/// throttled for TooManyRequestsException after the last retry, transport,
/// ...) and the parser's (bad_json, unexpected_shape).
///
/// Thread safety: one thread at a time. Move-only.
class organizations_client {
 public:
  /// Takes ownership of `client`, which must be made for organizations_api
  /// (otherwise every call fails with errc::invalid_argument).
  explicit organizations_client(aws::json_client client) : client_(std::move(client)) {}

  /// One ListAccounts page: the page after `request.next_token` (the first
  /// page when unset), parsed into `page` (left empty on error).
  status list_accounts(const list_accounts_request& request, accounts_page& page);

  /// Every ListAccounts page from `request`, each handed to
  /// `on_page(const accounts_page&, const page_info&)` (see ce::crawl for
  /// what it may return; a repeated NextToken stops with errc::limit_reached).
  /// Memory: one page.
  template <class OnPage>
  result<crawl_stats> crawl_accounts(const list_accounts_request& request, OnPage&& on_page,
                                     const crawl_options& options = {}) {
    if (status v = request.validate(); !v) return v.error();
    if (status s = check_service(); !s) return s.error();
    source src{this, &request};
    const std::string first = request.next_token ? *request.next_token : std::string();
    return ce::crawl(src, page_, std::forward<OnPage>(on_page), options, first);
  }

  /// Every account of the organization, in the order AWS lists them, as
  /// owned copies. Errors: as crawl_accounts (not_in_organization for a
  /// standalone account). Cost: one free request per 20 accounts.
  result<std::vector<owned_account>> list_all_accounts(const crawl_options& options = {});

  /// The ids of every account of the organization (12-digit strings), as
  /// the Python original's get_all_accounts(). Errors: as list_all_accounts.
  result<std::vector<std::string>> list_account_ids(const crawl_options& options = {});

  /// DescribeAccount: the account `account_id` (12 digits; anything else is
  /// errc::invalid_argument before sending). Errors as above, plus
  /// errc::aws_error with aws_code "AccountNotFoundException".
  result<owned_account> describe_account(std::string_view account_id);

  /// The client's totals (requests, retries, throttles) since construction.
  const aws::client_counters& counters() const noexcept { return client_.counters(); }
  /// The underlying client.
  aws::json_client& client() noexcept { return client_; }
  const aws::json_client& client() const noexcept { return client_; }

 private:
  status check_service() const;

  status fetch(std::string_view operation, result<std::string> body, accounts_page& page);

  struct source {
    organizations_client* self;
    const list_accounts_request* request;
    status fetch_page(std::string_view token, accounts_page& page) {
      if (token.empty()) return self->fetch(list_accounts_request::operation_name, request->to_json(), page);
      return self->fetch(list_accounts_request::operation_name, request->to_json_for_page(token), page);
    }
    std::size_t last_body_bytes() const noexcept { return self->last_body_bytes_; }
    ce::source_counters counters() const noexcept {
      const auto& c = self->client_.counters();
      return ce::source_counters{c.requests_sent, c.billable_requests, c.retries, c.throttles};
    }
  };

  aws::json_client client_;
  accounts_page page_;
  std::size_t last_body_bytes_ = 0;
};

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/organizations/organizations-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_ORGANIZATIONS_HPP
