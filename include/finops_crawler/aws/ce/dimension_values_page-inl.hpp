#ifndef FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_INL_HPP
/// \file
/// The bodies of aws/ce/dimension_values_page.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/ce/dimension_values_page.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

namespace detail {
FINOPS_CRAWLER_FUNC bool read_dimension_values_page(simdjson::dom::element root, page_data& d, error& err) {
  using finops_crawler::detail::missing_field;
  finops_crawler::detail::json_path path;
  simdjson::dom::object obj;
  if (!finops_crawler::detail::read_object(root, path, {}, obj, err)) return false;
  // Each member once: a repeated one is refused (detail::duplicate_field).
  enum : std::uint32_t { values_m, return_m, total_m, token_m };
  finops_crawler::detail::seen_members seen;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "DimensionValues") {
      if (!seen.first(values_m, path, "DimensionValues", err)) return false;
      simdjson::dom::array list;
      if (!finops_crawler::detail::read_array(kv.value, path, "DimensionValues", list, err)) return false;
      path.push("DimensionValues");
      if (!read_dimension_values(list, path, d, err)) return false;
      path.pop();
    } else if (kv.key == "ReturnSize") {
      if (!seen.first(return_m, path, "ReturnSize", err)) return false;
      if (!finops_crawler::detail::read_uint(kv.value, path, "ReturnSize", d.return_size, err)) return false;
    } else if (kv.key == "TotalSize") {
      if (!seen.first(total_m, path, "TotalSize", err)) return false;
      if (!finops_crawler::detail::read_uint(kv.value, path, "TotalSize", d.total_size, err)) return false;
    } else if (kv.key == "NextPageToken") {
      if (!seen.first(token_m, path, "NextPageToken", err)) return false;
      if (!read_token(kv.value, path, "NextPageToken", d, err)) return false;
    }
  }
  const bool has_values = seen.has(values_m), has_return = seen.has(return_m), has_total = seen.has(total_m);
  // The first missing member is the one reported.
  if (!has_values) {
    err = missing_field(path, "DimensionValues");
  } else if (!has_return) {
    err = missing_field(path, "ReturnSize");
  } else if (!has_total) {
    err = missing_field(path, "TotalSize");
  }
  return has_values && has_return && has_total;
}
}  // namespace detail

FINOPS_CRAWLER_FUNC bool dimension_values_page::read(simdjson::dom::element root, error& err) {
  if (!data_) data_ = std::make_unique<detail::page_data>();
  return detail::read_dimension_values_page(root, *data_, err);
}

FINOPS_CRAWLER_FUNC status dimension_values_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC result<dimension_values_page> dimension_values_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<dimension_values_page>(json);
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_INL_HPP
