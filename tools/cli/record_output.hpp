#ifndef FINOPS_CRAWLER_CLI_RECORD_OUTPUT_HPP
#define FINOPS_CRAWLER_CLI_RECORD_OUTPUT_HPP
/// \file
/// Report output that only ever ends on a record boundary, what an interrupt
/// (Ctrl-C) does to it, and how a closed pipe is told apart from other write
/// errors.
///
/// Why: a std::ostream on a pipe writes whenever its buffer is full, in the
/// middle of a record, so a run stopped by SIGINT (or a page that fails)
/// used to leave half a CSV line. Writers write into a record_output's
/// buffer instead; complete records go to the real stream at page ends (and
/// every 64 KiB), under a guard that holds back SIGINT/SIGTERM/SIGHUP until
/// the write is done. An interrupt then leaves the output at the last
/// complete record, and install_interrupt_message() prints one line saying
/// that the output is incomplete.

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// What a report is being written to, for the interrupt message.
enum class report_target : int {
  none = 0,      ///< no report running: an interrupt prints nothing
  streamed = 1,  ///< stdout, a device or a FIFO: rows already went out
  file = 2,      ///< a regular --output file: it is not written at all
  resumable = 3, ///< --output FILE with FILE.partial/FILE.resume: --resume continues it
};

/// Tells the interrupt handler what is being written (async-signal-safe
/// state; the CLI runs one report at a time).
void set_report_target(report_target t) noexcept;

/// Chains a handler before the ones installed so far (install it after
/// install_interrupt_cleanup()) for SIGINT, SIGTERM and SIGHUP: while a
/// guarded write is under way the signal waits for it to finish; then one
/// line goes to stderr when a report is running ("finops-crawler:
/// interrupted: the output is incomplete, it ends with the last complete
/// record"), and the previous handler runs (temporary files removed, the
/// process dies of the signal). Call once from main; not for library use.
void install_interrupt_message() noexcept;

/// The process status for "the reader of the output went away" (a closed
/// pipe, `| head`): 128 + SIGPIPE, what a shell reports for other tools
/// that die of SIGPIPE.
inline constexpr int closed_pipe_status = 141;

/// Whether `err` (an errno value) or the state of descriptor `fd` (-1: not
/// known) say that the reader went away: EPIPE, or a pipe/socket whose
/// reading end is closed (poll's POLLERR/POLLHUP on a write end).
bool reader_gone(int err, int fd) noexcept;

/// A buffer of complete records in front of a borrowed stream. Writers
/// write to stream(); the caller marks record ends and page ends. Not
/// thread-safe.
class record_output {
 public:
  explicit record_output(std::ostream& real);
  ~record_output();
  record_output(const record_output&) = delete;
  record_output& operator=(const record_output&) = delete;

  /// The stream writers write into (memory; never fails).
  std::ostream& stream() noexcept { return *buffer_stream_; }

  /// After each complete record: writes out once 64 KiB are buffered.
  bool record_done();

  /// Writes every buffered record to the real stream and flushes it, with
  /// interrupts held back. False on a write error (see error_number()).
  bool flush();

  /// The errno of the first failed write, 0 if none.
  int error_number() const noexcept { return errno_; }

 private:
  class string_buf;
  std::ostream* real_;
  std::unique_ptr<string_buf> buf_;
  std::unique_ptr<std::ostream> buffer_stream_;
  int errno_ = 0;
  bool failed_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_RECORD_OUTPUT_HPP
