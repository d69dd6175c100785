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

#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "atomic_file.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/result.hpp"
#include "period_args.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The first day from which periods are not final: the first day of the
/// month before today's month. A period is final when its End <= this date.
inline civil_date final_cutoff(civil_date today) noexcept { return add_months_first(today, -1); }

/// Whether a GetCostAndUsage(/WithResources) response body holds only final
/// periods (see the file comment): ResultsByTime is non-empty, every
/// TimePeriod.End is a date <= final_cutoff(today), and no entry has
/// "Estimated": true. False for anything else, including unparseable bodies
/// and other operations' responses. Cost: one DOM parse of the body.
inline bool is_final_page(std::string_view body, civil_date today) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return false;
  simdjson::dom::array results;
  if (doc["ResultsByTime"].get_array().get(results) != simdjson::SUCCESS) return false;
  const auto cutoff = to_days(final_cutoff(today));
  bool any = false;
  for (simdjson::dom::element r : results) {
    std::string_view end;
    if (r["TimePeriod"]["End"].get_string().get(end) != simdjson::SUCCESS) return false;
    // HOURLY periods carry a time ("2026-11-20T00:00:00Z"); the date decides.
    auto d = parse_date(end.substr(0, 10));
    if (!d || to_days(*d) > cutoff) return false;
    bool estimated = false;
    if (r["Estimated"].get_bool().get(estimated) == simdjson::SUCCESS && estimated) return false;
    any = true;
  }
  return any;
}

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
  static result<response_cache> open(std::string dir) {
    if (dir.empty()) return error(errc::invalid_argument, "--cache needs a directory");
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    // Create missing parents one component at a time (mkdir -p).
    for (std::size_t i = 1; i <= dir.size(); ++i) {
      if (i != dir.size() && dir[i] != '/') continue;
      std::string part = dir.substr(0, i);
      if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
        return error(errc::invalid_argument, "cannot create cache directory '" + part + "': " + std::strerror(errno));
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return error(errc::invalid_argument, "--cache '" + dir + "' is not a directory");
    response_cache c;
    c.dir_ = std::move(dir);
    return c;
  }

  /// The entry key of a request: lowercase hex SHA-256 over a version tag,
  /// operation, endpoint and body, separated by newlines (none of them can
  /// hold a raw newline where it would be ambiguous: the target and URL have
  /// none, and the body comes last). Empty only if OpenSSL fails.
  static std::string key(std::string_view operation, std::string_view endpoint, std::string_view body) {
    std::string material = "finops-crawler-cache-v1\n";
    material.append(operation).append("\n").append(endpoint).append("\n").append(body);
    return hash_hex(material);
  }

  /// The path of the entry for `key`.
  std::string path(const std::string& key) const { return dir_ + "/" + key + ".json"; }

  /// The cached body for `key`, or nullopt (missing, or corrupt: then the
  /// entry is deleted and stats().corrupt counts it). Reads the file once.
  std::optional<std::string> load(const std::string& key) {
    const std::string p = path(key);
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      ++stats_.misses;
      return std::nullopt;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    std::string content = buf.str();
    std::optional<std::string> body = validate(key, content);
    if (!body) {
      ::unlink(p.c_str());
      ++stats_.corrupt;
      ++stats_.misses;
      return std::nullopt;
    }
    ++stats_.hits;
    return body;
  }

  /// Writes the entry for `key` atomically. Errors: errc::invalid_argument
  /// with the OS reason; callers may ignore them (the cache is an
  /// optimisation), stats().store_failures counts them.
  status store(const std::string& key, std::string_view body) {
    std::string content = "finops-crawler-cache 1 " + key + " " + hash_hex(body) + " " + std::to_string(body.size()) + "\n";
    content.append(body);
    auto f = atomic_file::create(path(key), /*private_file=*/true);
    if (!f) {
      ++stats_.store_failures;
      return f.error();
    }
    f->stream().write(content.data(), static_cast<std::streamsize>(content.size()));
    auto st = f->commit();
    if (!st) ++stats_.store_failures;
    else ++stats_.stored;
    return st;
  }

  /// What happened so far.
  const cache_stats& stats() const noexcept { return stats_; }
  /// The directory.
  const std::string& dir() const noexcept { return dir_; }

 private:
  response_cache() = default;

  static std::string hash_hex(std::string_view data) {
    finops_crawler::detail::sha256_digest d{};
    if (!finops_crawler::detail::sha256_oneshot(data, d)) return {};
    return finops_crawler::detail::to_hex_lower(d.data(), d.size());
  }

  // The body when `content` is a valid entry for `key`, else nullopt.
  static std::optional<std::string> validate(const std::string& key, const std::string& content) {
    const auto nl = content.find('\n');
    if (nl == std::string::npos) return std::nullopt;
    std::istringstream header(content.substr(0, nl));
    std::string magic, version, k, h;
    unsigned long long size = 0;
    if (!(header >> magic >> version >> k >> h >> size)) return std::nullopt;
    if (magic != "finops-crawler-cache" || version != "1" || k != key || key.empty()) return std::nullopt;
    std::string body = content.substr(nl + 1);
    if (body.size() != size || hash_hex(body) != h) return std::nullopt;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
    return body;
  }

  std::string dir_;
  cache_stats stats_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_RESPONSE_CACHE_HPP
