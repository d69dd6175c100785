#ifndef FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_HPP
#define FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_HPP
/// \file
/// One page of Cost Explorer GetTags output: `{"Tags": [string],
/// "ReturnSize", "TotalSize", "NextPageToken"}`: tag keys, or the values of
/// the key the request named. Also the list reader cost_categories_page.hpp
/// shares.

#include <cstdint>
#include <string_view>
#include <vector>

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

namespace detail {
/// What GetTags and GetCostCategories pages hold: lists of strings, the
/// sizes and the token. Views borrow from the page's document.
struct name_list_data {
  std::vector<std::string_view> names;   ///< Tags, or CostCategoryNames
  std::vector<std::string_view> values;  ///< CostCategoryValues
  bool has_names = false;
  bool has_values = false;
  std::uint64_t return_size = 0;
  std::uint64_t total_size = 0;
  std::string_view next_page_token;
  bool has_next_page_token = false;
  void clear() noexcept {
    names.clear();
    values.clear();
    has_names = has_values = has_next_page_token = false;
    return_size = total_size = 0;
    next_page_token = {};
  }
};
/// Reads a list of strings named `field` into `out` (appending); false
/// with `err` set (errc::unexpected_shape naming the path and index) when
/// it is not an array of strings.
bool read_string_list(simdjson::dom::element value, finops_crawler::detail::json_path& path, std::string_view field,
                      std::vector<std::string_view>& out, error& err);
/// Reads a whole GetTags (`list_field` "Tags", required) or
/// GetCostCategories page ("CostCategoryNames" and "CostCategoryValues",
/// optional) into an empty `d`. Each member once; ReturnSize and TotalSize
/// required (both models mark them so); NextPageToken optional (null =
/// absent); unknown members ignored.
bool read_name_list_page(simdjson::dom::element root, bool cost_categories, name_list_data& d, error& err);
}  // namespace detail

/// One page of GetTags output.
///
/// Owns the parser state (the body is copied while parsing and may be freed
/// afterwards). Lifetime rule: every string_view obtained from the page is
/// valid until the page is destroyed or reparse()d; moving keeps them valid.
/// View accessors are `&`-qualified so a temporary page cannot hand out
/// dangling views.
///
/// Required (errc::unexpected_shape naming the path): Tags (an array of
/// strings), ReturnSize, TotalSize (GetTagsResponse marks all three
/// required). A member present twice is refused (errc::bad_json, retried by
/// the client like a cut-off body). Invalid JSON is errc::bad_json.
///
/// Move-only; const access is thread-safe, reparse() is not. Cost: one pass.
class tags_page {
 public:
  tags_page() = default;
  tags_page(tags_page&&) noexcept = default;
  tags_page& operator=(tags_page&&) noexcept = default;
  tags_page(const tags_page&) = delete;
  tags_page& operator=(const tags_page&) = delete;

  /// Parses a body (copied). Errors: see the class comment.
  static result<tags_page> parse(std::string_view json);
  /// Parses into this page, reusing buffers; invalidates earlier views; empty on error.
  status reparse(std::string_view json) &;

  /// Tags: the tag keys, or the values of the request's TagKey, in AWS order.
  span_view<std::string_view> tags() const& FINOPS_CRAWLER_LIFETIMEBOUND { return {d_.names.data(), d_.names.size()}; }
  span_view<std::string_view> tags() const&& = delete;

  /// ReturnSize: the number of tags on this page, as AWS reports it.
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
  static constexpr std::string_view response_name = "GetTags response";
  void clear() noexcept { d_.clear(); }
  bool read(simdjson::dom::element root, error& err);
  finops_crawler::detail::json_document doc_;
  // Vectors' heap buffers survive moves, so views into them stay valid.
  detail::name_list_data d_;
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/tags_page-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_TAGS_PAGE_HPP
