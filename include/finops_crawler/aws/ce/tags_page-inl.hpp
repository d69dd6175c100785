#ifndef FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_INL_HPP
/// \file
/// The bodies of aws/ce/tags_page.hpp (and the list reader of
/// cost_categories_page.hpp): included by that header in header-only mode,
/// compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/ce/tags_page.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

namespace detail {
FINOPS_CRAWLER_FUNC bool read_string_list(simdjson::dom::element value, finops_crawler::detail::json_path& path,
                                          std::string_view field, std::vector<std::string_view>& out, error& err) {
  simdjson::dom::array list;
  if (!finops_crawler::detail::read_array(value, path, field, list, err)) return false;
  path.push(field);
  std::size_t i = 0;
  for (simdjson::dom::element item : list) {
    path.push(i);
    std::string_view s;
    if (!finops_crawler::detail::read_string(item, path, {}, s, err)) return false;
    out.push_back(s);
    path.pop();
    ++i;
  }
  path.pop();
  return true;
}

FINOPS_CRAWLER_FUNC bool read_name_list_page(simdjson::dom::element root, bool cost_categories, name_list_data& d,
                                             error& err) {
  namespace fd = finops_crawler::detail;
  fd::json_path path;
  simdjson::dom::object obj;
  if (!fd::read_object(root, path, {}, obj, err)) return false;
  const std::string_view names_field = cost_categories ? "CostCategoryNames" : "Tags";
  // Each member once: a repeated one is refused (detail::duplicate_field).
  enum : std::uint32_t { names_m, values_m, return_m, total_m, token_m };
  fd::seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == names_field) {
      if (!seen.first(names_m, path, names_field, err)) return false;
      // GetCostCategories may send null for an absent list; GetTags' Tags is required.
      if (cost_categories && kv.value.is_null()) continue;
      if (!read_string_list(kv.value, path, names_field, d.names, err)) return false;
      d.has_names = true;
    } else if (cost_categories && kv.key == "CostCategoryValues") {
      if (!seen.first(values_m, path, "CostCategoryValues", err)) return false;
      if (kv.value.is_null()) continue;
      if (!read_string_list(kv.value, path, "CostCategoryValues", d.values, err)) return false;
      d.has_values = true;
    } else if (kv.key == "ReturnSize") {
      if (!seen.first(return_m, path, "ReturnSize", err)) return false;
      if (!fd::read_uint(kv.value, path, "ReturnSize", d.return_size, err)) return false;
    } else if (kv.key == "TotalSize") {
      if (!seen.first(total_m, path, "TotalSize", err)) return false;
      if (!fd::read_uint(kv.value, path, "TotalSize", d.total_size, err)) return false;
    } else if (kv.key == "NextPageToken") {
      if (!seen.first(token_m, path, "NextPageToken", err)) return false;
      if (kv.value.is_null()) continue;
      if (!fd::read_string(kv.value, path, "NextPageToken", d.next_page_token, err)) return false;
      d.has_next_page_token = true;
    }
  }
  // The first missing member is the one reported.
  if (!cost_categories && !seen.has(names_m)) {
    err = fd::missing_field(path, "Tags");
    return false;
  }
  if (!seen.has(return_m)) {
    err = fd::missing_field(path, "ReturnSize");
    return false;
  }
  if (!seen.has(total_m)) {
    err = fd::missing_field(path, "TotalSize");
    return false;
  }
  return true;
}
}  // namespace detail

FINOPS_CRAWLER_FUNC bool tags_page::read(simdjson::dom::element root, error& err) {
  return detail::read_name_list_page(root, false, d_, err);
}

FINOPS_CRAWLER_FUNC status tags_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC result<tags_page> tags_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<tags_page>(json);
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_INL_HPP
