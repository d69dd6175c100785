#ifndef FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_HPP
#define FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_HPP
/// \file
/// Stitching GetCostAndUsage pages back together.
///
/// Why: Cost Explorer cuts pages by groups, across ResultsByTime. With
/// GroupBy, one time period can start on page N and continue on page N+1
/// (or N+2, ...) with its remaining groups: the continuing page's first
/// ResultsByTime entry repeats the TimePeriod of the previous page's last
/// entry. Concatenating ResultsByTime naively gives the same day twice, each
/// with part of its groups; this header merges them so that every period
/// appears once with all its groups, in AWS order.
///
/// Two ways to use it:
/// - `merged_results`: an owning accumulator fed page after page; then
///   results(), or to_json() in AWS's shape (the CLI's `--format json`).
/// - `period_continuity`: for streaming writers that do not keep pages (a
///   CSV writer): tells, per page, whether its first period continues the
///   previous page's last one, so rows come out once, in AWS order.
///
/// AWS never sends the same group (same Keys) in both halves of a split
/// period; merged_results checks this and reports it as
/// errc::unexpected_shape rather than double counting.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// True when `first` (a page's first ResultsByTime entry) has exactly the
/// TimePeriod `prev_start`..`prev_end` of the previous page's last entry,
/// i.e. it continues that period with more groups. Pure, noexcept.
bool continues_period(std::string_view prev_start, std::string_view prev_end, const result_by_time& first) noexcept;

/// Streaming continuation tracker: remembers (owned copies of) the last
/// period of the previous page and answers, for each new page, whether its
/// first period continues it.
///
///   ce::period_continuity cont;
///   for each page:
///     bool continued = cont.feed(page);
///     for (std::size_t i = 0; i < page.results().size(); ++i)
///       write rows of page.results()[i]   // i == 0 && continued: same period as before
///
/// Owns its strings; no lifetime rule. One thread at a time. Cost: O(1)
/// per page plus copying two short strings.
class period_continuity {
 public:
  /// Feeds the next page in crawl order. Returns true when the page's first
  /// ResultsByTime entry continues the last entry of the page fed before.
  /// A page without results continues nothing and is remembered as nothing
  /// (the period before it is still the last one seen).
  bool feed(const cost_page& page);
  /// Forgets the remembered period (a new crawl).
  void reset() noexcept {
    has_last_ = false;
    last_start_.clear();
    last_end_.clear();
  }

 private:
  std::string last_start_, last_end_;
  bool has_last_ = false;
};

/// An owning accumulator of GetCostAndUsage pages: each period once, with
/// all its groups, in AWS order.
///
/// Rules applied by add_page():
/// - ResultsByTime: a page's first entry with the same TimePeriod as the
///   last merged entry is a continuation: its groups are appended to that
///   period; Estimated becomes true if either half says so; a non-empty
///   Total is taken if the merged one is empty, and must be identical if
///   both are non-empty. Any other entry is appended as a new period.
/// - errc::unexpected_shape (and nothing is changed) when a continuation
///   repeats a group (same Keys) already merged for that period, when both
///   halves carry different Totals, when a period that is not a
///   continuation was already merged (a page fed twice), or when
///   GroupDefinitions differ between pages.
/// - GroupDefinitions: taken from the first page that has them.
/// - DimensionValueAttributes: the union by Value, first seen kept, in
///   order of first appearance.
///
/// Keeps owned copies only of what it is given; pages may be destroyed
/// right after add_page(). Copyable and movable. One thread at a time.
/// Cost: add_page is linear in the page; a continuation also builds a set
/// of the period's group keys (O(g log g)).
class merged_results {
 public:
  merged_results() = default;

  /// Merges the next page in crawl order. Errors above; on error the
  /// accumulator is unchanged.
  status add_page(const cost_page& page);

  /// The merged periods, in AWS order.
  const std::vector<owned_result_by_time>& results() const& FINOPS_CRAWLER_LIFETIMEBOUND { return results_; }
  const std::vector<owned_result_by_time>& results() const&& = delete;
  /// Moves the merged periods out, leaving the accumulator empty of them.
  std::vector<owned_result_by_time> take_results() && { return std::move(results_); }

  /// GroupDefinitions of the crawl.
  const std::vector<owned_group_definition>& group_definitions() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return group_definitions_;
  }
  const std::vector<owned_group_definition>& group_definitions() const&& = delete;

  /// DimensionValueAttributes of the crawl (union by Value).
  const std::vector<owned_dimension_value>& dimension_value_attributes() const& FINOPS_CRAWLER_LIFETIMEBOUND {
    return dimension_values_;
  }
  const std::vector<owned_dimension_value>& dimension_value_attributes() const&& = delete;

  /// Number of pages merged so far.
  std::size_t page_count() const noexcept { return pages_; }

  /// The merged output as one GetCostAndUsage-shaped JSON object:
  /// {"GroupDefinitions":[...],"ResultsByTime":[...],"DimensionValueAttributes":[...]}
  /// with amounts as the exact strings AWS sent (no NextPageToken). Compact,
  /// members in AWS's order. errc::invalid_argument only if a string is not
  /// valid UTF-8 (cannot happen for data that came through cost_page).
  result<std::string> to_json() const;

 private:
  std::vector<owned_result_by_time> results_;
  std::vector<owned_group_definition> group_definitions_;
  std::vector<owned_dimension_value> dimension_values_;
  // Periods already merged, as "start\nend", to refuse a page fed twice.
  std::set<std::string> periods_;
  std::set<std::string> dimension_value_names_;
  std::size_t pages_ = 0;
};

/// Writes periods in AWS's ResultsByTime shape as a JSON array into `w`.
/// Used by merged_results::to_json(); exposed for writers that hold owned
/// results from elsewhere. Errors are sticky in the writer.
void write_results_json(finops_crawler::detail::json_writer& w, const std::vector<owned_result_by_time>& results);

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/merged_results-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_MERGED_RESULTS_HPP
