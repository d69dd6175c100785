#ifndef FINOPS_CRAWLER_CLI_RESUME_STATE_HPP
#define FINOPS_CRAWLER_CLI_RESUME_STATE_HPP
/// \file
/// `costs --output FILE --resume`: where an interrupted crawl stopped.
///
/// While a CSV or NDJSON report is crawled into a regular FILE, complete
/// records go to `FILE.partial` and, after each complete page, the side file
/// `FILE.resume` is replaced atomically (mode 0600) with what a later run
/// needs to go on: a fingerprint of the query, the part of the period, the
/// NextPageToken of the first page not written, and the length of
/// FILE.partial at that page's end. Success renames FILE.partial to FILE and
/// removes FILE.resume; a run that ends before its first page leaves
/// neither.
///
/// The side file holds no secret: no credential, signature or session token
/// (the page token is Cost Explorer's opaque pagination token, which only
/// the same signed request can use), and the query only as a SHA-256.
///
/// Format (text, one `name value` per line, unknown or missing lines make
/// it corrupt):
///   finops-crawler-resume 1
///   query <64 hex: SHA-256 of the query>
///   part <0-based index of the part of the period>
///   token <the NextPageToken, hex-encoded; "-" for the part's first page>
///   pages <complete pages written> rows <records written> bytes <FILE.partial length>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// What FILE.resume records. Plain data.
struct resume_state {
  std::string query;        ///< hex SHA-256 of the query (resume_fingerprint)
  std::uint64_t part = 0;   ///< which part of the period (a cached run crawls two)
  std::string token;        ///< NextPageToken of the first page not written; empty: the part's first page
  std::uint64_t pages = 0;  ///< complete pages written so far
  std::uint64_t rows = 0;   ///< records written so far
  std::uint64_t bytes = 0;  ///< length of FILE.partial after the last complete page
};

/// `FILE.resume` and `FILE.partial` for --output FILE.
std::string resume_path(const std::string& output);
std::string partial_path(const std::string& output);

/// Hex SHA-256 of `text` (the command's canonical query text).
std::string resume_fingerprint(const std::string& text);

/// Reads FILE.resume: nullopt when it does not exist. Errors:
/// errc::invalid_argument when it cannot be read or does not parse (the
/// message names the file and says how to start over).
result<std::optional<resume_state>> load_resume_state(const std::string& path);

/// Writes FILE.resume atomically (mode 0600). Errors: as write_file_atomically.
status save_resume_state(const std::string& path, const resume_state& s);

/// The text save_resume_state writes (tests).
std::string format_resume_state(const resume_state& s);

/// Whether --output `path` can be resumed: nothing is there yet, or a
/// regular file (not a link, device or FIFO, which are written as before).
bool resumable_target(const std::string& path);

/// FILE.partial while a resumable report is written. Move-only; not
/// thread-safe. Destroyed without commit(), it removes FILE.partial and
/// FILE.resume unless keep() was called (a page is saved for --resume), so
/// a run that ends before its first page leaves nothing.
class partial_file {
 public:
  /// Opens FILE.partial for `output`: truncated to `keep_bytes` (0: a new
  /// run, the file is emptied), then appended to. Errors:
  /// errc::invalid_argument with the path and the OS reason, or when the
  /// file is shorter than `keep_bytes` (it was cut since the state was
  /// written).
  static result<partial_file> open(const std::string& output, std::uint64_t keep_bytes);

  partial_file(partial_file&&) noexcept;
  partial_file& operator=(partial_file&&) noexcept;
  ~partial_file();

  /// The stream to write to.
  std::ostream& stream() noexcept;
  /// Bytes in the file after the last flush of stream().
  std::uint64_t size();
  /// Flushes, fsyncs, renames FILE.partial to FILE and removes FILE.resume.
  /// Errors: errc::invalid_argument with the OS reason (both files kept).
  status commit();
  /// Keeps both files when the run ends short (something to resume).
  void keep() noexcept;
  /// Removes FILE.partial and FILE.resume (nothing to resume).
  void discard() noexcept;

 private:
  partial_file();
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_RESUME_STATE_HPP
