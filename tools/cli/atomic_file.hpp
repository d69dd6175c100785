#ifndef FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
#define FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
/// \file
/// Files that appear whole or not at all: write to a temporary file in the
/// target's directory, fsync it, then rename(2) it over the target (atomic on
/// POSIX file systems). Used for --output and for the response cache.
///
/// An interrupted run never leaves a half-written target: before commit()
/// the target is untouched; the destructor removes the temporary file; and
/// install_interrupt_cleanup() makes SIGINT/SIGTERM/SIGHUP remove pending
/// temporary files before the process dies.

#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Makes SIGINT, SIGTERM and SIGHUP remove pending temporary files, then die
/// of the same signal (so the shell sees the usual status). Call once from
/// main; idempotent. Not for library use: it replaces the process's handlers.
void install_interrupt_cleanup() noexcept;

/// A file being written that replaces `target` only on commit().
///
/// Owns the temporary file `<dir>/.<name>.tmp-XXXXXX` (created with mkstemp:
/// mode 0600, never following a planted link) and a stream on it. Move-only;
/// not thread-safe. Destroying it without commit() removes the temporary file
/// and leaves the target as it was.
class atomic_file {
 public:
  /// Creates the temporary file next to `target`. `private_file` keeps
  /// mkstemp's mode 0600 (cache entries); otherwise the file gets 0666 minus
  /// the umask, like any file the shell creates. Errors:
  /// errc::invalid_argument when the directory is missing or not writable
  /// (message names the path and the OS reason).
  static result<atomic_file> create(std::string target, bool private_file = false);

  atomic_file(atomic_file&& o) noexcept;
  atomic_file& operator=(atomic_file&& o) noexcept;
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  ~atomic_file();

  /// The stream to write to; borrows from *this.
  std::ostream& stream() noexcept FINOPS_CRAWLER_LIFETIMEBOUND { return out_; }

  /// The final path.
  const std::string& target() const noexcept { return target_; }
  /// The temporary path (for tests and messages).
  const std::string& temp_path() const noexcept { return temp_; }

  /// Flushes, fsyncs and renames the temporary file over the target. After
  /// success the object is spent. Errors: errc::invalid_argument with the OS
  /// reason (disk full, directory removed); the temporary file is then removed
  /// and the target left as it was.
  status commit();

 private:
  atomic_file() = default;
  void discard() noexcept;

  std::string target_;
  std::string temp_;
  std::ofstream out_;
  int slot_ = -1;
  bool done_ = false;
};

/// Writes `content` to `path` atomically (temp file + rename). Errors as
/// atomic_file::create and commit.
status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
