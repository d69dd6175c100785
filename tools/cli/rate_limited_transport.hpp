#ifndef FINOPS_CRAWLER_CLI_RATE_LIMITED_TRANSPORT_HPP
#define FINOPS_CRAWLER_CLI_RATE_LIMITED_TRANSPORT_HPP
/// \file
/// A transport that takes a token from a rate limiter before each request it
/// forwards. With --cache the CLI puts it *below* the caching transport (and
/// turns the client's own limiter off), so pages answered from disk are not
/// slowed down to the network's request rate.

#include <memory>
#include <utility>

#include "finops_crawler/http/rate_limiter.hpp"
#include "finops_crawler/http/transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Forwards every request to `inner` after rate_limiter::acquire(). Owns
/// `inner`; shares the limiter. One thread at a time, like any transport.
class rate_limited_transport final : public http::transport {
 public:
  rate_limited_transport(std::unique_ptr<http::transport> inner, std::shared_ptr<http::rate_limiter> limiter)
      : inner_(std::move(inner)), limiter_(std::move(limiter)) {}

  /// Waits for a token (the limiter's injected sleeper), then sends.
  result<http::http_response> send(const http::http_request& request) override;
  /// The inner transport's totals.
  http::transfer_counters counters() const noexcept override;

 private:
  std::unique_ptr<http::transport> inner_;
  std::shared_ptr<http::rate_limiter> limiter_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_RATE_LIMITED_TRANSPORT_HPP
