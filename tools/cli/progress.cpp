// Bodies of progress.hpp.
#include "progress.hpp"

#include <algorithm>
#include <ostream>

#include "finops_crawler/aws/ce/request_budget.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::string usd_text(std::uint64_t requests) { return "USD " + ce::usd_for_requests(requests); }

std::string summary_line(std::uint64_t billable, bool cache_enabled, std::uint64_t cached_pages) {
  std::string s = std::to_string(billable) + (billable == 1 ? " billable request (" : " billable requests (") +
                  usd_text(billable) + ")";
  if (cache_enabled)
    s += "; " + std::to_string(cached_pages) + (cached_pages == 1 ? " page from cache" : " pages from cache");
  return s;
}

std::string progress_text(const progress_counts& c, std::uint64_t expected_pages, std::chrono::milliseconds elapsed) {
  std::string text = "pages " + std::to_string(c.pages);
  if (expected_pages != 0) text += "/" + std::to_string(std::max(expected_pages, c.pages));
  if (c.cached_pages) text += " (" + std::to_string(c.cached_pages) + " cached)";
  const std::int64_t ms = elapsed.count() > 0 ? elapsed.count() : 0;
  // Tenths of a request per second, in integers: no locale, no rounding surprises.
  const std::uint64_t tenths = ms > 0 ? c.billable * 10000 / static_cast<std::uint64_t>(ms) : 0;
  text += ", " + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " req/s";
  text += ", retries " + std::to_string(c.retries) + ", " + usd_text(c.billable) + " so far";
  if (expected_pages > c.pages && c.pages > 0 && ms > 0) {
    const std::uint64_t left_s =
        (expected_pages - c.pages) * static_cast<std::uint64_t>(ms) / c.pages / 1000;
    std::string sec = std::to_string(left_s % 60);
    if (sec.size() < 2) sec.insert(0, "0");
    text += ", ETA " + std::to_string(left_s / 60) + ":" + sec;
  }
  return text;
}

void progress_line::update(const progress_counts& c) {
  update_at(c, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_));
}

void progress_line::update_at(const progress_counts& c, std::chrono::milliseconds elapsed) {
  if (!enabled_) return;
  const std::string text = progress_text(c, expected_pages_, elapsed);
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
