// Bodies of progress.hpp.
#include "progress.hpp"

#include <ostream>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::string usd_for_requests(std::uint64_t requests) {
  const std::uint64_t cents = requests * ce_request_price_cents;
  std::string c = std::to_string(cents % 100);
  if (c.size() < 2) c.insert(0, "0");
  return "USD " + std::to_string(cents / 100) + "." + c;
}

std::string summary_line(std::uint64_t billable, bool cache_enabled, std::uint64_t cached_pages) {
  std::string s = std::to_string(billable) + (billable == 1 ? " billable request (" : " billable requests (") +
                  usd_for_requests(billable) + ")";
  if (cache_enabled)
    s += "; " + std::to_string(cached_pages) + (cached_pages == 1 ? " page from cache" : " pages from cache");
  return s;
}

void progress_line::update(const progress_counts& c) {
  if (!enabled_) return;
  std::string text = "pages " + std::to_string(c.pages);
  if (c.cached_pages) text += " (" + std::to_string(c.cached_pages) + " cached)";
  text += ", retries " + std::to_string(c.retries) + ", " + std::to_string(c.billable) +
          (c.billable == 1 ? " billable request, " : " billable requests, ") + usd_for_requests(c.billable) +
          " so far";
  if (terminal_) *err_ << "\r" << text << "\x1b[K" << std::flush;
  else *err_ << text << '\n' << std::flush;
  drawn_ = true;
}

void progress_line::clear() {
  if (enabled_ && terminal_ && drawn_) *err_ << "\r\x1b[K" << std::flush;
  drawn_ = false;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
