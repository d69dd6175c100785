#ifndef FINOPS_CRAWLER_AWS_CE_CRAWL_HPP
#define FINOPS_CRAWLER_AWS_CE_CRAWL_HPP
/// \file
/// Pagination: the crawl driver that follows a paginated AWS operation page
/// by page (Cost Explorer's NextPageToken, Organizations' NextToken) until
/// the token is absent, holding one parsed page at a time.
///
///   ce::crawl_options o;
///   o.max_pages = 500;
///   auto stats = explorer.crawl_cost_and_usage(request,
///       [&](const ce::cost_page& page, const ce::page_info& info) -> status {
///         for (ce::result_by_time r : page.results()) use(r);  // views die with the page
///         return {};                                          // an error stops the crawl
///       }, o);
///   if (!stats) return stats.error();
///   std::cout << stats->pages << " pages, USD " << stats->estimated_cost_usd().to_string();
///
/// Guarantees:
/// - every page is parsed before the callback sees it; a page that fails
///   transfer or JSON validation has already been retried by the client's
///   retry policy (json_client retries a 200 with a cut-off body); a page
///   whose JSON has the wrong shape stops the crawl with that error and the
///   page number: it is never skipped;
/// - a NextPageToken that was already seen stops the crawl with
///   errc::limit_reached instead of looping for ever (and billing USD 0.01
///   per loop); an empty token present in a reply is errc::unexpected_shape;
/// - `crawl_options::max_pages` caps the pages fetched; `crawl_options::budget`
///   caps the billable requests (checked before each request is sent);
/// - the driver owns no page storage: the caller's page object is reparsed
///   in place for every page, so memory stays at one page however long the
///   crawl (bench/crawl_memory measures it). To keep data past the callback,
///   copy it (`to_owned()` on the views, or merged_results).
///
/// Depends on the standard library, result.hpp and decimal.hpp only; the
/// service clients (cost_explorer.hpp, organizations.hpp) supply the fetch.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "finops_crawler/aws/ce/request_budget.hpp"
#include "finops_crawler/decimal.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {
struct page_info;
}  // namespace ce

// Not API. In finops_crawler::detail, not ce::detail: a ce::detail
// namespace would hide finops_crawler::detail from ce code that names it
// unqualified.
namespace detail {

/// Whether Page names its token `next_token()` (Organizations) rather than
/// `next_page_token()` (Cost Explorer).
template <class Page, class = void>
struct uses_next_token : std::false_type {};
template <class Page>
struct uses_next_token<Page, std::void_t<decltype(std::declval<const Page&>().has_next_token())>> : std::true_type {};

template <class Page>
bool page_has_token(const Page& p) noexcept {
  if constexpr (uses_next_token<Page>::value) return p.has_next_token();
  else return p.has_next_page_token();
}
template <class Page>
std::string_view page_token(const Page& p) noexcept {
  if constexpr (uses_next_token<Page>::value) return p.next_token();
  else return p.next_page_token();
}

/// Calls the per-page callback and turns what it returns into a decision:
/// `void` continues; `bool` false stops (successfully, crawl incomplete);
/// a `status` (or any result) with an error stops the crawl with it.
enum class callback_verdict : std::uint8_t { next, stop, fail };

template <class OnPage, class Page>
callback_verdict run_callback(OnPage& on_page, const Page& page, const ce::page_info& info, error& out) {
  using ret = decltype(on_page(page, info));
  if constexpr (std::is_void_v<ret>) {
    on_page(page, info);
    return callback_verdict::next;
  } else if constexpr (std::is_same_v<std::decay_t<ret>, bool>) {
    return on_page(page, info) ? callback_verdict::next : callback_verdict::stop;
  } else {
    auto r = on_page(page, info);
    if (r) return callback_verdict::next;
    out = r.error();
    return callback_verdict::fail;
  }
}


}  // namespace detail

namespace ce {

/// Cost Explorer API price of one request (one page), in US cents: USD 0.01
/// per paginated request (https://aws.amazon.com/aws-cost-management/pricing/).
inline constexpr std::uint64_t cents_per_page = 1;

/// How far a crawl may go. Plain data.
struct crawl_options {
  /// Most pages to fetch; 0 means no cap. A crawl that reaches the cap while
  /// the service still offers a NextPageToken stops with errc::limit_reached
  /// (the message says how many pages were read and how to resume), unless
  /// `allow_partial` is set.
  std::uint64_t max_pages = 0;
  /// With `max_pages`: stop successfully instead, with
  /// crawl_stats::complete false and crawl_stats::resume_token set.
  bool allow_partial = false;
  /// A cap on billable requests, consulted before each page request (null:
  /// none, and no cost). When it allows no more, the crawl stops before
  /// sending: successfully, with crawl_stats::complete false,
  /// crawl_stats::budget_exhausted true and crawl_stats::resume_token set.
  /// Each request is charged what the source's billable counter moved.
  /// Borrowed: must outlive the crawl; may be shared by several crawls.
  request_budget* budget = nullptr;
};

/// What the callback learns about the page it is given. Plain data; the
/// view borrows from the page (valid during the callback only).
struct page_info {
  std::uint64_t index = 0;       ///< 0-based page number within the crawl
  std::size_t body_bytes = 0;    ///< size of the response body of this page
  bool last = false;             ///< no NextPageToken: the crawl ends after this page
  std::string_view next_token;   ///< the token of the next page (empty on the last page)
};

/// What a crawl did. Counts are deltas of the client's counters over the
/// crawl, so retries and throttling replies are included in requests_sent.
/// Plain data; copyable.
struct crawl_stats {
  std::uint64_t pages = 0;              ///< pages parsed and handed to the callback
  std::uint64_t requests_sent = 0;      ///< HTTP attempts, retries included
  std::uint64_t billable_requests = 0;  ///< successful billable calls (Cost Explorer: one per page)
  std::uint64_t retries = 0;            ///< attempts that were retries
  std::uint64_t throttles = 0;          ///< attempts answered with throttling
  std::uint64_t body_bytes = 0;         ///< response body bytes of all pages
  std::size_t largest_body_bytes = 0;   ///< the largest page body
  /// True when the last page (no NextPageToken) was reached; false when the
  /// callback stopped the crawl or `max_pages` did with `allow_partial`.
  bool complete = false;
  /// When !complete: the token of the first page not fetched, to resume
  /// with (as the request's next_page_token). Empty otherwise.
  std::string resume_token;
  /// True when crawl_options::budget stopped the crawl before a request.
  bool budget_exhausted = false;

  /// Estimated API charge in US cents: billable_requests * cents_per_page.
  std::uint64_t estimated_cost_cents() const noexcept { return billable_requests * cents_per_page; }
  /// The same in US dollars, exact (e.g. "0.37"). Cannot fail for any count
  /// a crawl can reach.
  decimal estimated_cost_usd() const {
    const std::uint64_t c = estimated_cost_cents();
    std::string text = std::to_string(c / 100) + (c % 100 < 10 ? ".0" : ".") + std::to_string(c % 100);
    auto usd = decimal::parse(text);  // digits and one point: always parses
    return usd ? *usd : decimal();
  }
};

/// Counters a page source exposes so a crawl can report deltas. Mirrors
/// aws::client_counters without depending on the HTTP layer.
struct source_counters {
  std::uint64_t requests_sent = 0;
  std::uint64_t billable_requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t throttles = 0;
};


/// Runs a crawl: fetches the first page (token `first_token`, empty for the
/// start), hands it to `on_page`, and repeats with each page's next token
/// until a page has none.
///
/// `source` must provide
///   status fetch_page(std::string_view token, Page& page);  // token "" = first page
///   std::size_t last_body_bytes() const;                     // body size of the last fetch
///   source_counters counters() const;                        // running totals
/// (cost_explorer and organizations_client provide adapters; tests use fakes.)
/// `page` is reparsed in place for every page: the only page storage.
/// `on_page(const Page&, const page_info&)` may return void, bool (false:
/// stop, complete = false) or a status/result (an error stops the crawl and
/// is returned as is).
///
/// Errors: whatever fetch_page returns for a page (the message gains
/// "page N: "); errc::unexpected_shape for an empty token present in a
/// reply; errc::limit_reached for a repeated token or when `max_pages` is
/// reached with pages left (unless allow_partial). The caller's client
/// counters (billable requests) still say what was spent before an error.
///
/// Cost: one request per page (plus retries); memory: one page, plus the
/// tokens seen (to detect a repeat; tokens are short). Blocking.
/// Thread safety: as the source (one thread at a time).
template <class Page, class Source, class OnPage>
result<crawl_stats> crawl(Source& source, Page& page, OnPage&& on_page, const crawl_options& options = {},
                          std::string_view first_token = {}) {
  const source_counters before = source.counters();
  crawl_stats stats;
  std::unordered_set<std::string> seen;
  std::string token(first_token);
  if (!token.empty()) seen.insert(token);

  auto finish = [&]() {
    const source_counters after = source.counters();
    stats.requests_sent = after.requests_sent - before.requests_sent;
    stats.billable_requests = after.billable_requests - before.billable_requests;
    stats.retries = after.retries - before.retries;
    stats.throttles = after.throttles - before.throttles;
  };
  auto page_error = [&](error e) {
    e.message = "page " + std::to_string(stats.pages + 1) + ": " + e.message;
    return e;
  };

  for (;;) {
    if (options.max_pages != 0 && stats.pages >= options.max_pages) {
      finish();
      if (options.allow_partial) {
        stats.complete = false;
        stats.resume_token = token;
        return stats;
      }
      return error(errc::limit_reached,
                   "crawl stopped after " + std::to_string(stats.pages) + " pages (max_pages = " +
                       std::to_string(options.max_pages) +
                       ") with more pages left; raise max_pages, or set allow_partial to keep the pages read "
                       "and resume from the next token");
    }

    if (options.budget != nullptr && !options.budget->allows_next()) {
      options.budget->mark_refused();
      finish();
      stats.complete = false;
      stats.budget_exhausted = true;
      stats.resume_token = token;
      return stats;
    }
    const std::uint64_t billed_before = options.budget != nullptr ? source.counters().billable_requests : 0;
    status fetched = source.fetch_page(token, page);
    if (options.budget != nullptr) options.budget->charge(source.counters().billable_requests - billed_before);
    if (!fetched) {
      finish();
      return page_error(fetched.error());
    }
    const std::size_t bytes = source.last_body_bytes();
    stats.body_bytes += bytes;
    if (bytes > stats.largest_body_bytes) stats.largest_body_bytes = bytes;

    const bool has_next = finops_crawler::detail::page_has_token(page);
    const std::string_view next = finops_crawler::detail::page_token(page);
    if (has_next && next.empty()) {
      finish();
      // Why: an empty token is not "no more pages" (that is an absent
      // member); sending it back is refused by the request model and would
      // restart the crawl on a real service.
      return page_error(error(errc::unexpected_shape,
                              "the reply has an empty next-page token; the service's pagination is broken, "
                              "so the crawl stops rather than restart from the first page"));
    }

    page_info info;
    info.index = stats.pages;
    info.body_bytes = bytes;
    info.last = !has_next;
    info.next_token = next;
    ++stats.pages;

    error callback_error;
    const auto verdict = finops_crawler::detail::run_callback(on_page, page, info, callback_error);
    if (verdict == finops_crawler::detail::callback_verdict::fail) {
      finish();
      return callback_error;
    }
    if (!has_next) {
      stats.complete = true;
      finish();
      return stats;
    }
    if (verdict == finops_crawler::detail::callback_verdict::stop) {
      stats.complete = false;
      stats.resume_token = std::string(next);
      finish();
      return stats;
    }
    // Why: a service that hands back a token it already gave would make the
    // crawl loop for ever, each request billed; no real pagination repeats.
    if (!seen.insert(std::string(next)).second) {
      finish();
      return error(errc::limit_reached, "crawl stopped after " + std::to_string(stats.pages) +
                                            " pages: the service repeated the next-page token " +
                                            finops_crawler::detail::quoted_excerpt(next, 40) +
                                            ", which would loop for ever; the pages read so far are incomplete");
    }
    token.assign(next.data(), next.size());
  }
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_CRAWL_HPP
