#ifndef FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_INL_HPP
/// \file
/// The bodies of aws/organizations/accounts_page.hpp: included by that
/// header in header-only mode, compiled once in src/ otherwise (config.hpp).
/// Not for direct inclusion.

#include "finops_crawler/aws/organizations/accounts_page.hpp"
#include "finops_crawler/aws/organizations/requests.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace organizations {

namespace detail {
FINOPS_CRAWLER_FUNC bool read_account(simdjson::dom::element value, finops_crawler::detail::json_path& path, account& a,
                         error& err) {
  namespace fd = finops_crawler::detail;
  simdjson::dom::object obj;
  if (!fd::read_object(value, path, {}, obj, err)) return false;
  // Each member once: a repeated one (two Ids, two Names) is refused
  // (detail::duplicate_field) rather than read as either.
  enum : std::uint32_t { id_m, arn_m, email_m, name_m, status_m, state_m, joined_method_m, joined_timestamp_m };
  fd::seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    std::string_view* target = nullptr;
    std::uint32_t member = 0;
    if (kv.key == "Id") {
      target = &a.id;
      member = id_m;
    } else if (kv.key == "Arn") {
      target = &a.arn;
      member = arn_m;
    } else if (kv.key == "Email") {
      target = &a.email;
      member = email_m;
    } else if (kv.key == "Name") {
      target = &a.name;
      member = name_m;
    } else if (kv.key == "Status") {
      target = &a.status;
      member = status_m;
    } else if (kv.key == "State") {
      target = &a.state;
      member = state_m;
    } else if (kv.key == "JoinedMethod") {
      target = &a.joined_method;
      member = joined_method_m;
    } else if (kv.key == "JoinedTimestamp") {
      if (!seen.first(joined_timestamp_m, path, kv.key, err)) return false;
      // AWS JSON 1.1 sends timestamps as epoch seconds (a JSON number).
      if (!kv.value.is_null() && !fd::read_number(kv.value, path, "JoinedTimestamp", a.joined_timestamp, err))
        return false;
      continue;
    } else {
      continue;
    }
    if (!seen.first(member, path, kv.key, err)) return false;
    if (kv.value.is_null() && target != &a.id) continue;
    if (!fd::read_string(kv.value, path, kv.key, *target, err)) return false;
  }
  if (!seen.has(id_m)) {
    err = fd::missing_field(path, "Id");
    return false;
  }
  if (!organizations::is_account_id(a.id)) {
    err = error(errc::unexpected_shape, path.str("Id") + " is not a 12-digit account id");
    return false;
  }
  return true;
}
}  // namespace detail

FINOPS_CRAWLER_FUNC bool accounts_page::read(simdjson::dom::element root, error& err) {
  namespace fd = finops_crawler::detail;
  fd::json_path path;
  simdjson::dom::object obj;
  if (!fd::read_object(root, path, {}, obj, err)) return false;
  bool has_accounts = false;
  enum : std::uint32_t { accounts_m, account_m, token_m };
  fd::seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "Accounts") {
      if (!seen.first(accounts_m, path, "Accounts", err)) return false;
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
      if (!seen.first(account_m, path, "Account", err)) return false;
      path.push("Account");
      account a;
      if (!detail::read_account(kv.value, path, a, err)) return false;
      path.pop();
      accounts_.push_back(a);
      has_accounts = true;
    } else if (kv.key == "NextToken") {
      if (!seen.first(token_m, path, "NextToken", err)) return false;
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

FINOPS_CRAWLER_FUNC status accounts_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC result<accounts_page> accounts_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<accounts_page>(json);
}

}  // namespace organizations
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_ORGANIZATIONS_ACCOUNTS_PAGE_INL_HPP
