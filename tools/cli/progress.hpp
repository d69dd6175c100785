#ifndef FINOPS_CRAWLER_CLI_PROGRESS_HPP
#define FINOPS_CRAWLER_CLI_PROGRESS_HPP
/// \file
/// What a crawl costs, shown while it runs and summed up at the end.
///
/// Cost Explorer charges USD 0.01 per API request (each page is a request,
/// and so is each retried attempt AWS answered). Organizations and STS calls
/// are free. The progress line is redrawn in place on a terminal
/// ("\r...\x1b[K"); the summary is one line, e.g.
/// "3 billable requests (USD 0.03); 2 pages from cache". The line also shows
/// requests per second and, when the estimate is known, an ETA.

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// "USD 0.03" for 3 requests: ce::usd_for_requests (the library's price,
/// exact cents) with the currency.
std::string usd_text(std::uint64_t requests);

/// The end-of-run line: "3 billable requests (USD 0.03); 2 pages from cache".
/// The cache part appears only when `cache_enabled`; "1 billable request".
std::string summary_line(std::uint64_t billable, bool cache_enabled, std::uint64_t cached_pages);

/// Counters the progress line shows. Plain values.
struct progress_counts {
  std::uint64_t pages = 0;         ///< pages received (from AWS or the cache)
  std::uint64_t cached_pages = 0;  ///< of which from the cache
  std::uint64_t retries = 0;       ///< attempts that were retried
  std::uint64_t billable = 0;      ///< Cost Explorer requests sent (each costs USD 0.01)
};

/// One progress line's text, e.g. "pages 3/12, 2.5 req/s, retries 1, USD
/// 0.03 so far, ETA 0:04". `expected_pages` (0 = unknown) adds "/N" and,
/// once a page was fetched, the ETA: the pages left at the rate so far.
/// `elapsed` is the time since the crawl began. Pure.
std::string progress_text(const progress_counts& c, std::uint64_t expected_pages, std::chrono::milliseconds elapsed);

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

  /// Redraws with `c` (the time is the steady clock's since construction).
  void update(const progress_counts& c);
  /// Redraws with `c` as of `elapsed` since the start (tests).
  void update_at(const progress_counts& c, std::chrono::milliseconds elapsed);

  /// Pages the crawl is expected to take in all (0 = unknown: no ETA);
  /// set from the estimate before the first request.
  void set_expected_pages(std::uint64_t pages) noexcept { expected_pages_ = pages; }

  /// Erases the line on a terminal so the next output starts clean.
  void clear();

 private:
  std::ostream* err_;
  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
  std::uint64_t expected_pages_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_PROGRESS_HPP
