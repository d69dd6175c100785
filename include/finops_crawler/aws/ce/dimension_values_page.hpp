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
  friend struct finops_crawler::detail::page_access;  // parse, reparse, hand-over
  static constexpr std::string_view response_name = "GetDimensionValues response";
  void clear() noexcept {
    if (data_) data_->clear();
  }
  bool read(simdjson::dom::element root, error& err);
  const detail::page_data& data() const noexcept {
    static const detail::page_data empty{};
    return data_ ? *data_ : empty;
  }
  finops_crawler::detail::json_document doc_;
  std::unique_ptr<detail::page_data> data_;  // heap: views survive moves
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/dimension_values_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_DIMENSION_VALUES_PAGE_HPP
