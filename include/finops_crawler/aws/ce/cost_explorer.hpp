#ifndef FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_HPP
/// \file
/// `ce::cost_explorer`: the Cost Explorer client. One page per call
/// (GetCostAndUsage, GetCostAndUsageWithResources, GetDimensionValues,
/// GetTags, GetCostCategories, GetCostForecast), or whole crawls through crawl.hpp. Every request is
/// validated (requests.hpp) BEFORE anything is sent: each Cost Explorer
/// request costs USD 0.01, and a request AWS would reject must not cost
/// anything or a round trip.
///
///   aws::client_options o;                 // endpoint, credentials (json_client.hpp)
///   ...
///   ce::cost_explorer ce(aws::json_client(std::move(o)));
///   ce::cost_and_usage_request r;
///   r.time_period = {"2025-01-01", "2025-02-01"};
///   r.granularity = ce::granularity::daily;
///   r.metrics = {"UnblendedCost"};
///   ce::cost_page page;
///   if (auto st = ce.get_cost_and_usage(r, page); !st) return st.error();   // one page
///   auto stats = ce.crawl_cost_and_usage(r, [](const ce::cost_page& p, const ce::page_info&) { ... });
///
/// (costs_api.hpp builds the client from credentials and settings.)

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/aws/ce/cost_categories_page.hpp"
#include "finops_crawler/aws/ce/cost_page.hpp"
#include "finops_crawler/aws/ce/crawl.hpp"
#include "finops_crawler/aws/ce/dimension_values_page.hpp"
#include "finops_crawler/aws/ce/forecast_page.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/aws/ce/tags_page.hpp"
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/config.hpp"
#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

/// Settings of a cost_explorer beyond its client.
struct cost_explorer_options {
  /// Today's UTC date ("YYYY-MM-DD") for the date rules of the request
  /// model (Start not after today; the 14-day window of
  /// GetCostAndUsageWithResources and HOURLY data). nullopt (the default):
  /// the system clock's date at each call. An empty string skips those
  /// rules (for replaying old requests against a simulator).
  std::optional<std::string> today;
};

/// A Cost Explorer client over one aws::json_client (which it owns).
///
/// Page calls fill a caller-owned page object (reparsed in place, so a loop
/// reuses its buffers); the views it hands out follow the page's lifetime
/// rule (cost_page.hpp). Crawl calls fetch every page into one internal page
/// object and pass it to the callback, which must copy what it keeps. Each
/// body is parsed once: the client validates it by parsing it into the
/// page's own document, which the page then reads (detail::page_access).
///
/// Errors of every call: errc::invalid_argument from the request model
/// (nothing is sent), the client's errors (json_client::call: throttled
/// after the last retry, aws_error, http_status, transport, bad_json,
/// response_too_large), and the page parser's (bad_json, unexpected_shape
/// naming the field). Messages never contain credentials.
///
/// Cost: each successful page is one billable request (USD 0.01);
/// counters() tells how many were made. Thread safety: one thread at a
/// time (as json_client); use one cost_explorer per thread. Move-only.
class cost_explorer {
 public:
  /// Takes ownership of `client`, which must be made for cost_explorer_api
  /// (otherwise every call fails with errc::invalid_argument).
  explicit cost_explorer(aws::json_client client, cost_explorer_options options = {})
      : client_(std::move(client)), options_(std::move(options)) {}

  /// One GetCostAndUsage page: the page after `request.next_page_token`
  /// (the first page when unset). Validates, sends, parses into `page`.
  /// On error `page` is left empty (untouched when the request model or the
  /// service check refused the request, before anything was sent); every
  /// view obtained from `page` before the call is invalid once it is sent.
  status get_cost_and_usage(const cost_and_usage_request& request, cost_page& page) {
    return fetch(request, request.to_json(context()), page);
  }
  /// One GetCostAndUsageWithResources page (same rules; the request model
  /// checks the SERVICE filter and the 14-day window).
  status get_cost_and_usage_with_resources(const cost_and_usage_with_resources_request& request, cost_page& page) {
    return fetch(request, request.to_json(context()), page);
  }
  /// One GetDimensionValues page.
  status get_dimension_values(const dimension_values_request& request, dimension_values_page& page) {
    return fetch(request, request.to_json(context()), page);
  }
  /// One GetTags page: tag keys, or the values of `request.tag_key`.
  status get_tags(const tags_request& request, tags_page& page) { return fetch(request, request.to_json(context()), page); }
  /// One GetCostCategories page: cost category names, or the values of
  /// `request.cost_category_name`.
  status get_cost_categories(const cost_categories_request& request, cost_categories_page& page) {
    return fetch(request, request.to_json(context()), page);
  }
  /// GetCostForecast (not paginated).
  status get_cost_forecast(const cost_forecast_request& request, forecast_page& page) {
    return fetch(request, request.to_json(), page);
  }

  /// Every GetCostAndUsage page from `request` (starting at its
  /// next_page_token if set), each handed to `on_page(const cost_page&,
  /// const page_info&)` (see ce::crawl for what it may return). The request
  /// is validated once before the first send; a validation failure sends
  /// nothing. Errors: as ce::crawl. Memory: one page.
  template <class OnPage>
  result<crawl_stats> crawl_cost_and_usage(const cost_and_usage_request& request, OnPage&& on_page,
                                           const crawl_options& options = {}) {
    return run_crawl(request, cost_page_, std::forward<OnPage>(on_page), options);
  }
  /// Every GetCostAndUsageWithResources page; as crawl_cost_and_usage.
  template <class OnPage>
  result<crawl_stats> crawl_cost_and_usage_with_resources(const cost_and_usage_with_resources_request& request,
                                                          OnPage&& on_page, const crawl_options& options = {}) {
    return run_crawl(request, cost_page_, std::forward<OnPage>(on_page), options);
  }
  /// Every GetDimensionValues page, each handed to
  /// `on_page(const dimension_values_page&, const page_info&)`.
  template <class OnPage>
  result<crawl_stats> crawl_dimension_values(const dimension_values_request& request, OnPage&& on_page,
                                             const crawl_options& options = {}) {
    return run_crawl(request, dimension_page_, std::forward<OnPage>(on_page), options);
  }

  /// Every GetTags page, each handed to `on_page(const tags_page&, const page_info&)`.
  template <class OnPage>
  result<crawl_stats> crawl_tags(const tags_request& request, OnPage&& on_page, const crawl_options& options = {}) {
    return run_crawl(request, tags_page_, std::forward<OnPage>(on_page), options);
  }
  /// Every GetCostCategories page, each handed to
  /// `on_page(const cost_categories_page&, const page_info&)`.
  template <class OnPage>
  result<crawl_stats> crawl_cost_categories(const cost_categories_request& request, OnPage&& on_page,
                                            const crawl_options& options = {}) {
    return run_crawl(request, cost_categories_page_, std::forward<OnPage>(on_page), options);
  }

  /// The client's totals since construction (requests, billable requests,
  /// retries, throttles): what the calls so far cost, errors included.
  const aws::client_counters& counters() const noexcept { return client_.counters(); }
  /// The underlying client (for its transfer counters and endpoint).
  aws::json_client& client() noexcept { return client_; }
  const aws::json_client& client() const noexcept { return client_; }
  /// The options in force.
  const cost_explorer_options& options() const noexcept { return options_; }

 private:
  validation_context context() const;
  status check_service() const;

  // Sends an already validated and serialized body and reads the reply into
  // `page`. The client validates a 200 body by parsing it (in place: the
  // transport leaves simdjson's padding) into the page's own document, and
  // the page reads that document: one parse per page, no copy of the body.
  template <class Request, class Page>
  status fetch(const Request&, result<std::string> body, Page& page) {
    using access = finops_crawler::detail::page_access;
    if (!body) return status(body.error());  // validation failed: nothing sent
    if (status s = check_service(); !s) return s;
    // The page is read inside the call, so a reply it refuses as damaged
    // (a repeated member) is retried like a cut-off one.
    auto reply = client_.call(Request::operation_name, *body, access::prepare(page),
                              [&page](const http::http_response&) -> status {
                                status st = access::read(page);
                                if (!st) {
                                  error e = st.error();
                                  e.message = std::string("Cost Explorer ") + std::string(Request::operation_name) +
                                              ": " + e.message;
                                  return status(std::move(e));
                                }
                                return st;
                              });
    if (!reply) return status(reply.error());
    last_body_bytes_ = reply->body.size();
    return {};
  }

  // The page source crawl() drives: one body per token, from one request.
  template <class Request>
  struct source {
    cost_explorer* self;
    const Request* request;
    validation_context ctx;
    template <class Page>
    status fetch_page(std::string_view token, Page& page) {
      if (token.empty()) return self->fetch(*request, request->to_json(ctx), page);
      return self->fetch(*request, request->to_json_for_page(token, ctx), page);
    }
    std::size_t last_body_bytes() const noexcept { return self->last_body_bytes_; }
    source_counters counters() const noexcept {
      const auto& c = self->client_.counters();
      return source_counters{c.requests_sent, c.billable_requests, c.retries, c.throttles};
    }
  };

  template <class Request, class Page, class OnPage>
  result<crawl_stats> run_crawl(const Request& request, Page& page, OnPage&& on_page, const crawl_options& options) {
    source<Request> src{this, &request, context()};
    // Validate before the first send, so a bad request costs nothing.
    if (status v = request.validate(src.ctx); !v) return v.error();
    if (status s = check_service(); !s) return s.error();
    // A request that already carries a token resumes from it: the first
    // fetch is to_json_for_page(that token), the same body as to_json().
    const std::string first = request.next_page_token ? *request.next_page_token : std::string();
    return crawl(src, page, std::forward<OnPage>(on_page), options, first);
  }

  aws::json_client client_;
  cost_explorer_options options_;
  cost_page cost_page_;
  dimension_values_page dimension_page_;
  tags_page tags_page_;
  cost_categories_page cost_categories_page_;
  std::size_t last_body_bytes_ = 0;
};

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/aws/ce/cost_explorer-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_HPP
