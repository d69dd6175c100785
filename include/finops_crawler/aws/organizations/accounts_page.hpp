#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
/// \file
/// Organizations ListAccounts output (`{"Accounts": [...], "NextToken"}`) and
/// DescribeAccount output (`{"Account": {...}}`), parsed with simdjson into
/// small views.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

/// An owned copy of an account (what account::to_owned() returns).
struct owned_account {
  std::string id, arn, email, name, status, state, joined_method;
  double joined_timestamp = 0;  ///< seconds since the Unix epoch; 0 when absent
};

/// One account of an organization (shape `Account`).
///
/// Lifetime: the string_views borrow from the accounts_page that produced
/// the account: valid until the page is destroyed or reparse()d (moving the
/// page keeps them valid). To keep the data, to_owned(). Plain value.
struct account {
  std::string_view id;             ///< 12 digits (checked while parsing)
  std::string_view arn;            ///< e.g. arn:aws:organizations::111122223333:account/o-exampleorgid/444455556666
  std::string_view email;          ///< empty when absent
  std::string_view name;           ///< empty when absent
  std::string_view status;         ///< ACTIVE, SUSPENDED, PENDING_CLOSURE; empty when absent (AWS retires it)
  std::string_view state;          ///< PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED; may be empty
  std::string_view joined_method;  ///< INVITED or CREATED; empty when absent
  double joined_timestamp = 0;     ///< seconds since the Unix epoch (JSON number); 0 when absent

  /// An owned copy.
  owned_account to_owned() const {
    return {std::string(id),     std::string(arn),   std::string(email),         std::string(name),
            std::string(status), std::string(state), std::string(joined_method), joined_timestamp};
  }
};

/// One ListAccounts page or one DescribeAccount reply.
///
/// Owns the parser state (the body is copied while parsing). Lifetime rule:
/// every account and string_view obtained from the page is valid until the
/// page is destroyed or reparse()d; moving keeps them valid. Accessors are
/// `&`-qualified: calling them on a temporary does not compile.
///
/// Shape: the root must hold `Accounts` (an array: ListAccounts) or
/// `Account` (an object: DescribeAccount); each account needs `Id`, a string
/// of 12 digits (model pattern ^\d{12}$). Other members are optional but,
/// when present, must be strings (JoinedTimestamp a number). Unknown fields
/// are ignored. errc::bad_json for invalid JSON, errc::unexpected_shape with
/// the field path otherwise. Move-only; const access thread-safe.
class accounts_page {
 public:
  accounts_page() = default;
  accounts_page(accounts_page&&) noexcept = default;
  accounts_page& operator=(accounts_page&&) noexcept = default;
  accounts_page(const accounts_page&) = delete;
  accounts_page& operator=(const accounts_page&) = delete;

  /// Parses a ListAccounts or DescribeAccount body (copied). Errors: above.
  static result<accounts_page> parse(std::string_view json);
  /// Parses into this page reusing buffers; invalidates earlier views; empty on error.
  status reparse(std::string_view json) &;

  /// The accounts (one for DescribeAccount), in AWS order.
  const std::vector<account>& accounts() const& FINOPS_CRAWLER_LIFETIMEBOUND { return accounts_; }
  const std::vector<account>& accounts() const&& = delete;

  /// NextToken; empty when absent (the last page).
  std::string_view next_token() const& FINOPS_CRAWLER_LIFETIMEBOUND { return next_token_; }
  std::string_view next_token() const&& = delete;
  /// Whether NextToken was present.
  bool has_next_token() const noexcept { return has_next_token_; }

 private:
  friend struct finops_crawler::detail::page_access;  // parse, reparse, hand-over
  static constexpr std::string_view response_name = "Organizations response";
  bool read(simdjson::dom::element root, error& err);
  void clear() noexcept {
    accounts_.clear();
    next_token_ = {};
    has_next_token_ = false;
  }
  finops_crawler::detail::json_document doc_;
  std::vector<account> accounts_;  // heap buffer: survives moves
  std::string_view next_token_;
  bool has_next_token_ = false;
};

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/organizations/accounts_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
