#ifndef FINOPS_CRAWLER_CLI_RESPONSE_CACHE_HPP
#define FINOPS_CRAWLER_CLI_RESPONSE_CACHE_HPP
/// \file
/// The on-disk cache of Cost Explorer pages behind `--cache DIR`.
///
/// Key: SHA-256 of the exact request: the operation (X-Amz-Target), the
/// endpoint URL and the JSON body, NextPageToken included. Credentials,
/// signatures and dates are not part of the key, so the same report asked by
/// another identity of the same account hits the same entries (the cache
/// directory is as sensitive as the reports themselves; entries are 0600).
/// The key names no account: the command line opens one cache per account,
/// `--cache DIR` being DIR/<account id> (session.cpp).
///
/// Entry: `<DIR>/<key>.json`, a header line
///   `finops-crawler-cache 1 <key> <sha256 of body> <body bytes>`
/// then the response body exactly as received. An entry whose header does not
/// parse, names another key, or whose body has another length or hash, or is
/// not JSON, is corrupt: it is deleted and the page fetched again — never
/// trusted. Entries are written atomically (temp file + rename).
///
/// What is stored: only pages that are final (see is_final_page): every
/// period in the page ends on or before the first day of the previous month
/// and none is marked Estimated. Why: AWS keeps revising the current month
/// and finalises the previous month's bill during the first days of the next
/// month (credits, refunds, tax, late usage); a month that ended more than a
/// month ago no longer changes. So on 2026-11-26 a page whose periods all end
/// by 2026-10-01 is served from the cache; anything later is refetched.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/result.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The first day from which periods are not final: the first day of the
/// month before today's month. A period is final when its End <= this date.
constexpr calendar_date final_cutoff(calendar_date today) noexcept { return add_months_first(today, -1); }

/// Whether a GetCostAndUsage(/WithResources) response body holds only final
/// periods (see the file comment): ResultsByTime is non-empty, every
/// TimePeriod.End is a date <= final_cutoff(today), and no entry has
/// "Estimated": true. False for anything else, including unparseable bodies
/// and other operations' responses. Cost: one DOM parse of the body.
bool is_final_page(std::string_view body, calendar_date today);

/// Counts of what the cache did; plain values.
struct cache_stats {
  std::uint64_t hits = 0;     ///< pages served from disk
  std::uint64_t misses = 0;   ///< lookups that found no usable entry
  std::uint64_t corrupt = 0;  ///< entries found broken, deleted and refetched
  std::uint64_t stored = 0;   ///< final pages written
  std::uint64_t store_failures = 0;  ///< final pages that could not be written (the run goes on)
};

/// A directory of cached pages. Not thread-safe (one crawl at a time);
/// two processes may share a directory: writes are atomic renames and a
/// reader validates every entry.
class response_cache {
 public:
  /// Opens (creating if needed, mode 0700) the directory. Errors:
  /// errc::invalid_argument when it cannot be created or is not a directory.
  static result<response_cache> open(std::string dir);

  /// The entry key of a request: lowercase hex SHA-256 over a version tag,
  /// operation, endpoint and body, separated by newlines (none of them can
  /// hold a raw newline where it would be ambiguous: the target and URL have
  /// none, and the body comes last). Empty only if OpenSSL fails.
  static std::string key(std::string_view operation, std::string_view endpoint, std::string_view body);

  /// The path of the entry for `key`.
  std::string path(const std::string& key) const;

  /// The cached body for `key`, or nullopt (missing, or corrupt: then the
  /// entry is deleted and stats().corrupt counts it). Reads the file once.
  std::optional<std::string> load(const std::string& key);

  /// Writes the entry for `key` atomically. Errors: errc::invalid_argument
  /// with the OS reason; callers may ignore them (the cache is an
  /// optimisation), stats().store_failures counts them.
  status store(const std::string& key, std::string_view body);

  /// Page counts of earlier complete runs, for the next run's estimate
  /// (crawl_guard.hpp): `<DIR>/history/<key>.pages` holding one line
  /// `finops-crawler-pages 1 <pages> <periods>`. `key` is lowercase hex.
  /// nullopt when there is none or it does not parse (never trusted then).
  std::optional<std::pair<std::uint64_t, std::uint64_t>> load_history(const std::string& key) const;
  /// Writes the history of `key` atomically (private). Errors:
  /// errc::invalid_argument with the OS reason; callers may ignore them.
  status store_history(const std::string& key, std::uint64_t pages, std::uint64_t periods);

  /// What happened so far.
  const cache_stats& stats() const noexcept { return stats_; }
  /// The directory.
  const std::string& dir() const noexcept { return dir_; }

 private:
  response_cache() = default;

  std::string dir_;
  cache_stats stats_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_RESPONSE_CACHE_HPP
