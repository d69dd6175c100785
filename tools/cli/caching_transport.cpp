// Bodies of caching_transport.hpp.
#include "caching_transport.hpp"

#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

bool is_cacheable_target(std::string_view target) noexcept {
  return target == "AWSInsightsIndexService.GetCostAndUsage" ||
         target == "AWSInsightsIndexService.GetCostAndUsageWithResources";
}

result<http::http_response> caching_transport::send(const http::http_request& request) {
  last_from_cache_ = false;
  auto target = request.header("X-Amz-Target");
  if (cache_ == nullptr || !target || !is_cacheable_target(*target)) return inner_->send(request);
  const std::string key = response_cache::key(*target, request.url, request.body);
  if (key.empty()) return inner_->send(request);
  if (auto body = cache_->load(key)) {
    http::http_response r;
    r.status = 200;
    r.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
    r.headers.push_back({"X-Finops-Crawler-Cache", "hit"});
    // Keep the transport contract: 64 spare bytes after the body.
    body->reserve(body->size() + 64);
    r.body = std::move(*body);
    ++served_;
    last_from_cache_ = true;
    return r;
  }
  auto r = inner_->send(request);
  if (r && r->status == 200 && is_final_page(r->body, today_)) (void)cache_->store(key, r->body);
  return r;
}

http::transfer_counters caching_transport::counters() const noexcept { return inner_->counters(); }

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
