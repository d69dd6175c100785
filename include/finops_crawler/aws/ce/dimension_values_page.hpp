#ifndef FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_HPP
#define FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_HPP
/// \file
/// One page of Cost Explorer GetDimensionValues output:
/// `{"DimensionValues": [{"Value", "Attributes"}], "ReturnSize", "TotalSize",
/// "NextPageToken"}`, read through the views of cost_page.hpp.

#include <cstdint>
#include <memory>
#include <string_view>

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// One page of GetDimensionValues output.
///
/// Owns the parser state and the arrays its views index into (the body is
/// copied while parsing and may be freed afterwards). Lifetime rule: every
/// dimension_value, attribute and string_view obtained from the page is
/// valid until the page is destroyed or reparse()d; moving keeps them
/// valid. View accessors are `&`-qualified so a temporary page cannot hand
/// out dangling views.
///
/// Required (errc::unexpected_shape naming the path): DimensionValues,
/// ReturnSize, TotalSize (the model marks all three required), each
/// entry's Value; Attributes values must be strings. NextPageToken is
/// optional. Unknown fields are ignored; invalid JSON is errc::bad_json.
///
/// Move-only; const access is thread-safe, reparse() is not. Cost: one pass.
class dimension_values_page {
 public:
  dimension_values_page() = default;
  dimension_values_page(dimension_values_page&&) noexcept = default;
  dimension_values_page& operator=(dimension_values_page&&) noexcept = default;
  dimension_values_page(const dimension_values_page&) = delete;
  dimension_values_page& operator=(const dimension_values_page&) = delete;

  /// Parses a body (copied). Errors: see the class comment.
  static result<dimension_values_page> parse(std::string_view json);
  /// Parses into this page, reusing buffers; invalidates earlier views; empty on error.
  status reparse(std::string_view json) &;

  /// The values with their attributes, in AWS order.
  dimension_values_range values() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return dimension_values_range(&data(), 0, static_cast<std::uint32_t>(data().dimension_values.size()));
  }
  dimension_values_range values() const&& = delete;

  /// ReturnSize: the number of values on this page, as AWS reports it.
  std::uint64_t return_size() const noexcept { return data().return_size; }
  /// TotalSize: the number of values matching the request over all pages.
  std::uint64_t total_size() const noexcept { return data().total_size; }

  /// NextPageToken; empty when absent (the last page).
  std::string_view next_page_token() const& FINOPS_CRAWLER_LIFETIMEBOUND { return data().next_page_token; }
  std::string_view next_page_token() const&& = delete;
  /// Whether NextPageToken was present.
  bool has_next_page_token() const noexcept { return data().has_next_page_token; }

 private:
  const detail::page_data& data() const noexcept {
    static const detail::page_data empty{};
    return data_ ? *data_ : empty;
  }
  finops_crawler::detail::json_document doc_;
  std::unique_ptr<detail::page_data> data_;  // heap: views survive moves
};

// ---------------------------------------------------------------------------
// Definitions

namespace detail {
inline bool read_dimension_values_page(simdjson::dom::element root, page_data& d, error& err) {
  using finops_crawler::detail::missing_field;
  finops_crawler::detail::json_path path;
  simdjson::dom::object obj;
  if (!finops_crawler::detail::read_object(root, path, {}, obj, err)) return false;
  bool has_values = false, has_return = false, has_total = false;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (kv.key == "DimensionValues") {
      simdjson::dom::array list;
      if (!finops_crawler::detail::read_array(kv.value, path, "DimensionValues", list, err)) return false;
      path.push("DimensionValues");
      if (!read_dimension_values(list, path, d, err)) return false;
      path.pop();
      has_values = true;
    } else if (kv.key == "ReturnSize") {
      if (!finops_crawler::detail::read_uint(kv.value, path, "ReturnSize", d.return_size, err)) return false;
      has_return = true;
    } else if (kv.key == "TotalSize") {
      if (!finops_crawler::detail::read_uint(kv.value, path, "TotalSize", d.total_size, err)) return false;
      has_total = true;
    } else if (kv.key == "NextPageToken") {
      if (!read_token(kv.value, path, "NextPageToken", d, err)) return false;
    }
  }
  if (!has_values) err = missing_field(path, "DimensionValues");
  else if (!has_return) err = missing_field(path, "ReturnSize");
  else if (!has_total) err = missing_field(path, "TotalSize");
  return has_values && has_return && has_total;
}
}  // namespace detail

inline status dimension_values_page::reparse(std::string_view json) & {
  if (!data_) data_ = std::make_unique<detail::page_data>();
  data_->clear();
  auto root = doc_.parse(json, "GetDimensionValues response");
  if (!root) return status(root.error());
  error err;
  if (!detail::read_dimension_values_page(*root, *data_, err)) {
    data_->clear();
    return status(std::move(err));
  }
  return {};
}

inline result<dimension_values_page> dimension_values_page::parse(std::string_view json) {
  dimension_values_page page;
  if (auto st = page.reparse(json); !st) return result<dimension_values_page>(st.error());
  return result<dimension_values_page>(std::move(page));
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_HPP
