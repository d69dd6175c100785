#ifndef FINOPS_CRAWLER_CLI_CACHING_TRANSPORT_HPP
#define FINOPS_CRAWLER_CLI_CACHING_TRANSPORT_HPP
/// \file
/// The response cache between the crawl and the network: an http::transport
/// that answers Cost Explorer GetCostAndUsage(/WithResources) requests from
/// a response_cache when it holds the page, and stores final pages it
/// fetched (see response_cache.hpp for the key and the final-page rule).
///
/// It sits below json_client (the client signs, retries and validates as
/// always; a cached body is a complete, validated JSON 200). Consequence the
/// caller must apply: json_client counts every successful Cost Explorer call
/// as billable, cache hits included, so the real number of billable requests
/// is `client.counters().billable_requests - transport.served()`.
/// Requests of any other operation or service pass straight through.

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "finops_crawler/http/transport.hpp"
#include "period_args.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Whether requests with this X-Amz-Target may be cached: the two paginated
/// cost operations, whose pages carry ResultsByTime periods.
bool is_cacheable_target(std::string_view target) noexcept;

/// A transport that consults `cache` before `inner`. Owns `inner`; borrows
/// `cache` (it must outlive this object; null disables caching entirely).
/// Not thread-safe (like any transport: one thread at a time).
class caching_transport final : public http::transport {
 public:
  caching_transport(std::unique_ptr<http::transport> inner, response_cache* cache, calendar_date today)
      : inner_(std::move(inner)), cache_(cache), today_(today) {}

  /// Serves a cached page (status 200, header `X-Finops-Crawler-Cache: hit`)
  /// or sends `request` through the inner transport, storing the response
  /// when it is a 200 whose periods are all final. A cache store failure is
  /// not an error (the page was fetched; the cache's stats count it).
  result<http::http_response> send(const http::http_request& request) override;

  /// The inner transport's counters (cache hits send nothing).
  http::transfer_counters counters() const noexcept override;

  /// Pages answered from the cache so far.
  std::uint64_t served() const noexcept { return served_; }
  /// Whether the most recent send() was answered from the cache.
  bool last_from_cache() const noexcept { return last_from_cache_; }

 private:
  std::unique_ptr<http::transport> inner_;
  response_cache* cache_;
  calendar_date today_;
  std::uint64_t served_ = 0;
  bool last_from_cache_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CACHING_TRANSPORT_HPP
