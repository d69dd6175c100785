#ifndef FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_HPP
/// \file
/// One page of Cost Explorer GetCostCategories output:
/// `{"CostCategoryNames": [string], "CostCategoryValues": [string],
/// "ReturnSize", "TotalSize", "NextPageToken"}`.

#include <cstdint>
#include <string_view>

#include "finops_crawler/aws/ce/tags_page.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// One page of GetCostCategories output: the cost category names with costs
/// in the period, or (when the request named a CostCategoryName) that
/// category's values.
///
/// Owns the parser state (the body is copied while parsing). Lifetime rule:
/// every string_view obtained from the page is valid until the page is
/// destroyed or reparse()d; moving keeps them valid. View accessors are
/// `&`-qualified.
///
/// Required (errc::unexpected_shape naming the path): ReturnSize and
/// TotalSize (GetCostCategoriesResponse marks only those two required);
/// CostCategoryNames and CostCategoryValues are optional arrays of strings
/// ("If the CostCategoryName key isn't specified in the request, the
/// CostCategoryValues fields aren't returned"); null counts as absent. A
/// member present twice is refused (errc::bad_json, retried by the client).
///
/// Move-only; const access is thread-safe, reparse() is not. Cost: one pass.
class cost_categories_page {
 public:
  cost_categories_page() = default;
  cost_categories_page(cost_categories_page&&) noexcept = default;
  cost_categories_page& operator=(cost_categories_page&&) noexcept = default;
  cost_categories_page(const cost_categories_page&) = delete;
  cost_categories_page& operator=(const cost_categories_page&) = delete;

  /// Parses a body (copied). Errors: see the class comment.
  static result<cost_categories_page> parse(std::string_view json);
  /// Parses into this page, reusing buffers; invalidates earlier views; empty on error.
  status reparse(std::string_view json) &;

  /// CostCategoryNames, in AWS order; empty when absent.
  span_view<std::string_view> names() const& FINOPS_CRAWLER_LIFETIMEBOUND { return {d_.names.data(), d_.names.size()}; }
  span_view<std::string_view> names() const&& = delete;
  /// Whether CostCategoryNames was present.
  bool has_names() const noexcept { return d_.has_names; }
  /// CostCategoryValues, in AWS order; empty when absent.
  span_view<std::string_view> values() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return {d_.values.data(), d_.values.size()};
  }
  span_view<std::string_view> values() const&& = delete;
  /// Whether CostCategoryValues was present.
  bool has_values() const noexcept { return d_.has_values; }

  /// ReturnSize: the number of objects on this page, as AWS reports it.
  std::uint64_t return_size() const noexcept { return d_.return_size; }
  /// TotalSize: the number matching the request over all pages.
  std::uint64_t total_size() const noexcept { return d_.total_size; }

  /// NextPageToken; empty when absent (the last page).
  std::string_view next_page_token() const& FINOPS_CRAWLER_LIFETIMEBOUND { return d_.next_page_token; }
  std::string_view next_page_token() const&& = delete;
  /// Whether NextPageToken was present.
  bool has_next_page_token() const noexcept { return d_.has_next_page_token; }

 private:
  friend struct finops_crawler::detail::page_access;  // parse, reparse, hand-over
  static constexpr std::string_view response_name = "GetCostCategories response";
  void clear() noexcept { d_.clear(); }
  bool read(simdjson::dom::element root, error& err);
  finops_crawler::detail::json_document doc_;
  detail::name_list_data d_;
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/cost_categories_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_HPP
