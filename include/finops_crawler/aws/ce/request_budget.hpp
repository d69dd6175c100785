#ifndef FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_HPP
#define FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_HPP
/// \file
/// What a Cost Explorer report will cost before it is run, and a cap on what
/// it may spend while it runs. One implementation for every caller: the
/// `costs` and `sync` commands print the estimate in their plans, the crawl
/// consults the budget before each billable request.
///
///   ce::request_shape s;
///   s.start = from; s.end = to;                 // [start, end), End exclusive
///   s.granularity = ce::granularity::daily;
///   s.group_by_count = 2;
///   std::uint64_t n = ce::estimate_requests(s); // billable requests expected
///   std::string usd = ce::usd_for_requests(n);  // "0.03"
///
///   ce::request_budget budget(50);              // at most 50 billable requests
///   ce::crawl_options o;
///   o.budget = &budget;                         // crawl.hpp checks it before each page
///
/// Price: USD 0.01 per paginated request of the Cost Explorer API
/// (https://aws.amazon.com/aws-cost-management/pricing/, "Cost Explorer
/// API: $0.01 per paginated API request"); only a request AWS answers with
/// data is billed, so retries of failed attempts are not counted.
///
/// Pure value types and functions; thread safety: a request_budget is not
/// synchronized (one crawl thread at a time, as the client).

#include <cstdint>
#include <string>

#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/calendar_date.hpp"
#include "finops_crawler/config.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// Groups Cost Explorer puts on one page of GetCostAndUsage when asked for
/// more: not documented by AWS; the simulator's default and a cautious
/// reading of observed pages. Only used when no earlier run says better.
inline constexpr std::uint64_t default_page_groups = 1000;

/// The shape of one request sequence (one crawl: a first page and its
/// NextPageToken pages), as far as its cost is concerned. Plain data.
struct request_shape {
  calendar_date start;  ///< first day (inclusive)
  calendar_date end;    ///< end day (exclusive); a range with end <= start has no periods
  ce::granularity granularity = ce::granularity::daily;
  /// GroupBy entries (0..2).
  std::uint64_t group_by_count = 0;
  /// Groups per page (0 = default_page_groups).
  std::uint64_t page_groups = 0;
  /// Groups expected in one period; 0 = a guess from group_by_count (1
  /// without GroupBy, 25 with one key, 150 with two).
  std::uint64_t groups_per_period = 0;
  /// From an earlier run of the same report: pages it took over how many
  /// periods. When both are non-zero they replace the guess: the estimate
  /// is known_pages / known_periods per period, rounded up over the range.
  std::uint64_t known_pages = 0;
  std::uint64_t known_periods = 0;
};

/// Periods of [start, end) at `g`: days for DAILY, hours for HOURLY (24 a
/// day), calendar months touched for MONTHLY (a partial month is one
/// period, as Cost Explorer returns it). 0 when end <= start. Pure.
std::uint64_t period_count(calendar_date start, calendar_date end, ce::granularity g) noexcept;

/// Billable requests the sequence is expected to take: at least 1 for a
/// non-empty range (the first page is always sent), else 0. From the known
/// pages per period when given, else ceil(periods × groups per period /
/// groups per page); without GroupBy one page holds every period. Pure.
std::uint64_t estimate_requests(const request_shape& s) noexcept;

/// USD for `requests` billable requests at USD 0.01 each, exact: "0.00",
/// "0.37", "12.05". Pure.
std::string usd_for_requests(std::uint64_t requests);

/// A cap on billable requests, consulted before each one. `max_requests`
/// 0 means no cap (the budget then only counts). The crawl asks
/// `allows_next()` before sending a page request and, after it, charges
/// what the client's billable counter says the request cost (0 for a
/// request that failed after its retries). Plain data; copyable.
class request_budget {
 public:
  /// A budget of at most `max_requests` billable requests (0 = no cap).
  explicit request_budget(std::uint64_t max_requests = 0) noexcept : max_(max_requests) {}

  /// Whether one more billable request stays within the cap.
  bool allows_next() const noexcept { return max_ == 0 || spent_ < max_; }
  /// Records `requests` billable requests spent.
  void charge(std::uint64_t requests) noexcept { spent_ += requests; }
  /// Billable requests charged so far.
  std::uint64_t spent() const noexcept { return spent_; }
  /// The cap (0 = none).
  std::uint64_t max_requests() const noexcept { return max_; }
  /// Requests left before the cap (UINT64_MAX without a cap).
  std::uint64_t remaining() const noexcept { return max_ == 0 ? UINT64_MAX : (spent_ >= max_ ? 0 : max_ - spent_); }
  /// True once a request was refused because of the cap.
  bool exhausted() const noexcept { return refused_; }
  /// Marks that a request was refused (the crawl calls it when it stops).
  void mark_refused() noexcept { refused_ = true; }

 private:
  std::uint64_t max_ = 0;
  std::uint64_t spent_ = 0;
  bool refused_ = false;
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/request_budget-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_REQUEST_BUDGET_HPP
