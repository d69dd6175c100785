// Bodies of record_output.hpp.
#include "record_output.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <streambuf>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// State the signal handler reads: plain sig_atomic_t values, no allocation.
volatile sig_atomic_t g_target = 0;   // report_target
volatile sig_atomic_t g_guarded = 0;  // a guarded write is under way
volatile sig_atomic_t g_pending = 0;  // a signal that arrived during it
struct sigaction g_previous[65];      // the handlers chained to, by signal number

void write_stderr(const char* s) noexcept {
  std::size_t n = std::strlen(s);
  while (n > 0) {
    const ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}

void on_interrupt(int sig) {
  if (g_guarded) {  // finish the record being written first (see guard below)
    g_pending = sig;
    return;
  }
  // Only async-signal-safe calls: write, sigaction, raise, and the previous
  // handler (atomic_file's: unlink, signal, raise).
  if (g_target == static_cast<int>(report_target::streamed))
    write_stderr("finops-crawler: interrupted: the output is incomplete, it ends with the last complete record\n");
  else if (g_target == static_cast<int>(report_target::file))
    write_stderr("finops-crawler: interrupted: the report is incomplete; the output file was not written\n");
  else if (g_target == static_cast<int>(report_target::resumable))
    write_stderr("finops-crawler: interrupted: the report is incomplete; the output file was not written, "
                 "run the same command with --resume to continue from the last complete page\n");
  g_target = 0;
  const struct sigaction& prev = g_previous[sig];
  if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler != nullptr) {
    prev.sa_handler(sig);
    return;
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Holds back the interrupt handler while complete records are written, then
// delivers a signal that came in the meantime.
class interrupt_guard {
 public:
  interrupt_guard() noexcept { g_guarded = 1; }
  ~interrupt_guard() {
    g_guarded = 0;
    if (const int sig = g_pending) {
      g_pending = 0;
      on_interrupt(sig);
    }
  }
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;
};

constexpr std::size_t flush_threshold = 64 * 1024;

}  // namespace

void set_report_target(report_target t) noexcept { g_target = static_cast<int>(t); }

void install_interrupt_message() noexcept {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // a write interrupted by the signal goes on
    ::sigaction(sig, &sa, &g_previous[sig]);
  }
}

bool reader_gone(int err, int fd) noexcept {
  if (err == EPIPE) return true;
  if (fd < 0) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return false;
  // The write end of a pipe whose readers are all gone polls POLLERR.
  pollfd p{fd, POLLOUT, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

/// An unbuffered streambuf appending to a std::string.
class record_output::string_buf final : public std::streambuf {
 public:
  std::string text;

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) text.push_back(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    text.append(s, static_cast<std::size_t>(n));
    return n;
  }
};

record_output::record_output(std::ostream& real)
    : real_(&real), buf_(new string_buf()), buffer_stream_(new std::ostream(buf_.get())) {}

record_output::~record_output() = default;

bool record_output::record_done() {
  if (buf_->text.size() < flush_threshold) return !failed_;
  return flush();
}

bool record_output::flush() {
  if (failed_) return false;
  std::string& t = buf_->text;
  {
    interrupt_guard guard;
    errno = 0;
    if (!t.empty()) real_->write(t.data(), static_cast<std::streamsize>(t.size()));
    real_->flush();
    if (!*real_) {
      errno_ = errno != 0 ? errno : EIO;
      failed_ = true;
    }
  }
  t.clear();
  return !failed_;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
