#ifndef FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
#define FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
/// \file
/// Files that appear whole or not at all: write to a temporary file in the
/// target's directory, fsync it, then rename(2) it over the target (atomic on
/// POSIX file systems). Used for --output and for the response cache.
///
/// An interrupted run never leaves a half-written regular file: before
/// commit() the target is untouched; the destructor removes the temporary
/// file; and install_interrupt_cleanup() makes SIGINT/SIGTERM/SIGHUP remove
/// pending temporary files before the process dies.
///
/// What the target path names decides how it is written (--output); a
/// non-regular file is never replaced:
///
/// | the path names                 | what happens                                        |
/// |--------------------------------|-----------------------------------------------------|
/// | nothing, or a regular file     | temporary file + rename (atomic)                    |
/// | a character device, a FIFO     | written through, no rename (`/dev/null`, a named pipe, a terminal); |
/// |                                | a FIFO's open waits for its reader, as the shell's `>` does |
/// | a symbolic link                | followed: what it finally names decides (a regular file is |
/// |                                | replaced atomically in its own directory, the link kept); |
/// |                                | a dangling link is refused                          |
/// | a directory, a block device, a socket | refused (errc::invalid_argument)             |
///
/// Written through, the data goes out as it is written (a reader sees rows
/// as they come; an error later leaves what was already sent), and a write
/// error such as ENOSPC on `/dev/full` fails the stream and commit() with
/// the OS reason. Private files (the cache) follow no link: anything but a
/// regular file at the path is refused.

#include <cstdint>
#include <memory>
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

class fd_writer;

/// A file being written that replaces `target` only on commit() (or, for a
/// device or FIFO, is written through; see the file comment).
///
/// Owns the temporary file `<dir>/.<name>.tmp-XXXXXX` (created with mkstemp:
/// mode 0600, never following a planted link) or the descriptor of the
/// device, and a stream on it. Move-only; not thread-safe. Destroying it
/// without commit() removes the temporary file and leaves the target as it
/// was.
class atomic_file {
 public:
  /// Opens `target` for writing as the file comment's table says. For a
  /// regular target, creates the temporary file next to it: `private_file`
  /// keeps mkstemp's mode 0600 (cache entries) and refuses anything at the
  /// path that is not a regular file (no link is followed); otherwise the
  /// file gets 0666 minus the umask, like any file the shell creates.
  /// Errors: errc::invalid_argument when the directory is missing or not
  /// writable, or the path names something that must not be written (the
  /// message names the path, the kind and the OS reason).
  static result<atomic_file> create(std::string target, bool private_file = false);

  atomic_file(atomic_file&& o) noexcept;
  atomic_file& operator=(atomic_file&& o) noexcept;
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;
  ~atomic_file();

  /// The stream to write to; borrows from *this.
  std::ostream& stream() noexcept FINOPS_CRAWLER_LIFETIMEBOUND { return *out_; }

  /// The path as given.
  const std::string& target() const noexcept { return target_; }
  /// The file replaced at commit (the symbolic link's target when `target`
  /// is a link; `target` otherwise).
  const std::string& final_path() const noexcept { return final_; }
  /// The temporary path (for tests and messages); empty when writing through.
  const std::string& temp_path() const noexcept { return temp_; }
  /// True for a character device or FIFO: written through, never renamed.
  bool writes_through() const noexcept { return through_; }
  /// The first write error, e.g. "writing '/dev/full' failed: No space left
  /// on device"; empty when none.
  std::string write_error() const;

  /// Flushes; for a regular target fsyncs and renames the temporary file
  /// over it. After success the object is spent. Errors:
  /// errc::invalid_argument with the OS reason (disk full, directory
  /// removed, reader gone); the temporary file is then removed and the
  /// target left as it was.
  status commit();

 private:
  atomic_file();
  void discard() noexcept;

  std::string target_;
  std::string final_;
  std::string temp_;
  std::unique_ptr<fd_writer> buf_;
  std::unique_ptr<std::ostream> out_;
  int slot_ = -1;
  bool through_ = false;
  bool done_ = false;
};

/// Writes `content` to `path` atomically (temp file + rename); mode 0600
/// with `private_file` (see atomic_file::create). Errors as
/// atomic_file::create and commit.
status write_file_atomically(const std::string& path, std::string_view content, bool private_file = false);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_ATOMIC_FILE_HPP
