// Bodies of rate_limited_transport.hpp.
#include "rate_limited_transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

result<http::http_response> rate_limited_transport::send(const http::http_request& request) {
  if (limiter_) limiter_->acquire();
  return inner_->send(request);
}

http::transfer_counters rate_limited_transport::counters() const noexcept { return inner_->counters(); }

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
