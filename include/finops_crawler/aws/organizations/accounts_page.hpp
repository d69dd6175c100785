#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
/// \file
/// Organizations ListAccounts output (`{"Accounts": [...], "NextToken"}`) and
/// DescribeAccount output (`{"Account": {...}}`), parsed with simdjson into
/// small views.

#include <cmath>
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

// ---------------------------------------------------------------------------
// Definitions

namespace detail {
inline bool is_account_id(std::string_view s) noexcept {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

inline bool read_account(simdjson::dom::element value, finops_crawler::detail::json_path& path, account& a,
                         error& err) {
  namespace fd = finops_crawler::detail;
  simdjson::dom::object obj;
  if (!fd::read_object(value, path, {}, obj, err)) return false;
  bool has_id = false;
  for (simdjson::dom::key_value_pair kv : obj) {
    std::string_view* target = nullptr;
    if (kv.key == "Id") {
      target = &a.id;
      has_id = true;
    } else if (kv.key == "Arn") {
      target = &a.arn;
    } else if (kv.key == "Email") {
      target = &a.email;
    } else if (kv.key == "Name") {
      target = &a.name;
    } else if (kv.key == "Status") {
      target = &a.status;
    } else if (kv.key == "State") {
      target = &a.state;
    } else if (kv.key == "JoinedMethod") {
      target = &a.joined_method;
    } else if (kv.key == "JoinedTimestamp") {
      // AWS JSON 1.1 sends timestamps as epoch seconds (a JSON number).
      if (!kv.value.is_null() && !fd::read_number(kv.value, path, "JoinedTimestamp", a.joined_timestamp, err))
        return false;
      continue;
    } else {
      continue;
    }
    if (kv.value.is_null() && target != &a.id) continue;
    if (!fd::read_string(kv.value, path, kv.key, *target, err)) return false;
  }
  if (!has_id) {
    err = fd::missing_field(path, "Id");
    return false;
  }
  if (!is_account_id(a.id)) {
    err = error(errc::unexpected_shape, path.str("Id") + " is not a 12-digit account id");
    return false;
  }
  return true;
}
}  // namespace detail

inline bool accounts_page::read(simdjson::dom::element root, error& err) {
  namespace fd = finops_crawler::detail;
  fd::json_path path;
  simdjson::dom::object obj;
  if (!fd::read_object(root, path, {}, obj, err)) return false;
  bool has_accounts = false;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Accounts") {
      simdjson::dom::array list;
      if (!fd::read_array(kv.value, path, "Accounts", list, err)) return false;
      path.push("Accounts");
      std::size_t i = 0;
      for (simdjson::dom::element item : list) {
        path.push(i);
        account a;
        if (!detail::read_account(item, path, a, err)) return false;
        accounts_.push_back(a);
        path.pop();
        ++i;
      }
      path.pop();
      has_accounts = true;
    } else if (kv.key == "Account") {
      path.push("Account");
      account a;
      if (!detail::read_account(kv.value, path, a, err)) return false;
      path.pop();
      accounts_.push_back(a);
      has_accounts = true;
    } else if (kv.key == "NextToken") {
      if (kv.value.is_null()) continue;
      if (!fd::read_string(kv.value, path, "NextToken", next_token_, err)) return false;
      has_next_token_ = true;
    }
  }
  if (!has_accounts) {
    err = error(errc::unexpected_shape, "Accounts is missing (and no Account either)");
    return false;
  }
  return true;
}

inline status accounts_page::reparse(std::string_view json) & {
  clear();
  auto root = doc_.parse(json, "Organizations response");
  if (!root) return status(root.error());
  error err;
  if (!read(*root, err)) {
    clear();
    return status(std::move(err));
  }
  return {};
}

inline result<accounts_page> accounts_page::parse(std::string_view json) {
  accounts_page page;
  if (auto st = page.reparse(json); !st) return result<accounts_page>(st.error());
  return result<accounts_page>(std::move(page));
}

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_HPP
