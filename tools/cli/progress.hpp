#ifndef FINOPS_CRAWLER_CLI_PROGRESS_HPP
#define FINOPS_CRAWLER_CLI_PROGRESS_HPP
/// \file
/// What a crawl costs, shown while it runs and summed up at the end.
///
/// Cost Explorer charges USD 0.01 per API request (each page is a request,
/// and so is each retried attempt AWS answered). Organizations and STS calls
/// are free. The progress line is redrawn in place on a terminal
/// ("\r...\x1b[K"); the summary is one line, e.g.
/// "3 billable requests (USD 0.03); 2 pages from cache".

#include <cstdint>
#include <ostream>
#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// USD per Cost Explorer API request (AWS price list, all regions).
inline constexpr std::uint64_t ce_request_price_cents = 1;

/// "USD 0.03" for 3 requests. Exact (integer cents).
inline std::string usd_for_requests(std::uint64_t requests) {
  const std::uint64_t cents = requests * ce_request_price_cents;
  std::string c = std::to_string(cents % 100);
  if (c.size() < 2) c.insert(0, "0");
  return "USD " + std::to_string(cents / 100) + "." + c;
}

/// The end-of-run line: "3 billable requests (USD 0.03); 2 pages from cache".
/// The cache part appears only when `cache_enabled`; "1 billable request".
inline std::string summary_line(std::uint64_t billable, bool cache_enabled, std::uint64_t cached_pages) {
  std::string s = std::to_string(billable) + (billable == 1 ? " billable request (" : " billable requests (") +
                  usd_for_requests(billable) + ")";
  if (cache_enabled)
    s += "; " + std::to_string(cached_pages) + (cached_pages == 1 ? " page from cache" : " pages from cache");
  return s;
}

/// Counters the progress line shows. Plain values.
struct progress_counts {
  std::uint64_t pages = 0;         ///< pages received (from AWS or the cache)
  std::uint64_t cached_pages = 0;  ///< of which from the cache
  std::uint64_t retries = 0;       ///< attempts that were retried
  std::uint64_t billable = 0;      ///< Cost Explorer requests sent (each costs USD 0.01)
};

/// The live progress line on stderr. Enabled only when asked (a terminal, or
/// --progress); disabled, every call is a no-op. Borrows the stream (must
/// outlive it). Not thread-safe.
class progress_line {
 public:
  /// `terminal` redraws in place; otherwise (--progress into a file) each
  /// update is its own line.
  progress_line(std::ostream& err, bool enabled, bool terminal) noexcept
      : err_(&err), enabled_(enabled), terminal_(terminal) {}

  /// Whether it draws anything.
  bool enabled() const noexcept { return enabled_; }

  /// Redraws with `c`.
  void update(const progress_counts& c) {
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

  /// Erases the line on a terminal so the next output starts clean.
  void clear() {
    if (enabled_ && terminal_ && drawn_) *err_ << "\r\x1b[K" << std::flush;
    drawn_ = false;
  }

 private:
  std::ostream* err_;
  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_PROGRESS_HPP
