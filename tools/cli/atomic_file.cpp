// Bodies of atomic_file.hpp.
#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <streambuf>
#include <utility>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

/// Pending temporary files, for the signal handler. Fixed storage: a signal
/// handler may not allocate. A slot is claimed by writing its path then
/// setting `used`; released by clearing `used`.
struct temp_slot {
  volatile sig_atomic_t used = 0;
  char path[4096] = {};
};
std::array<temp_slot, 8>& temp_slots() noexcept {
  static std::array<temp_slot, 8> slots;
  return slots;
}

int claim_temp_slot(const std::string& path) noexcept {
  if (path.size() >= sizeof(temp_slot::path)) return -1;
  auto& slots = temp_slots();
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].used) continue;
    std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
    slots[i].used = 1;
    return static_cast<int>(i);
  }
  return -1;  // more than 8 at once: still removed by the destructor, not on a signal
}

void release_temp_slot(int i) noexcept {
  if (i >= 0) temp_slots()[static_cast<std::size_t>(i)].used = 0;
}

void remove_temps_and_reraise(int sig) {
  // Only async-signal-safe calls here: unlink, signal, raise.
  for (auto& s : temp_slots())
    if (s.used) ::unlink(s.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

void install_interrupt_cleanup() noexcept {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, remove_temps_and_reraise);
}

/// A streambuf over a file descriptor it owns, with a 64 KiB buffer; records
/// the first write error (errno) and fails every write after it.
class fd_writer final : public std::streambuf {
 public:
  explicit fd_writer(int fd) noexcept : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  ~fd_writer() override { close(false); }
  fd_writer(const fd_writer&) = delete;
  fd_writer& operator=(const fd_writer&) = delete;

  int fd() const noexcept { return fd_; }
  int error_number() const noexcept { return error_; }
  void set_error(int e) noexcept {
    if (error_ == 0) error_ = e;
  }

  /// Writes out what is buffered; false (and error_number() set) on failure.
  bool flush_all() noexcept {
    if (error_ != 0 || fd_ < 0) return false;
    const char* p = pbase();
    std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
    setp(buf_, buf_ + sizeof buf_);
    return true;
  }

  /// Closes the descriptor, first writing out the buffer when `flush`.
  bool close(bool flush) noexcept {
    bool ok = !flush || flush_all();
    if (fd_ >= 0) {
      if (::close(fd_) != 0 && errno != EINTR && ok) {
        set_error(errno);
        ok = false;
      }
      fd_ = -1;
    }
    return ok && error_ == 0;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!flush_all()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return flush_all() ? 0 : -1; }

 private:
  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
};

namespace {

std::string kind_name(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISLNK(m)) return "a symbolic link";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  return "not a regular file";
}

error refuse(const std::string& target, mode_t m) {
  if (S_ISDIR(m)) return error(errc::invalid_argument, "output path '" + target + "' is a directory, not a file");
  return error(errc::invalid_argument,
               "'" + target + "' is " + kind_name(m) + ": refusing to write onto it (give a regular file, a FIFO or a character device)");
}

std::string link_text(const std::string& path) {
  char buf[4096];
  const ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n < 0 ? std::string("?") : std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

atomic_file::atomic_file() = default;

result<atomic_file> atomic_file::create(std::string target, bool private_file) {
  std::string final_path = target;
  bool through = false;
  struct stat lst {};
  if (!target.empty() && target.back() != '/' && ::lstat(target.c_str(), &lst) == 0) {
    struct stat st = lst;
    if (S_ISLNK(lst.st_mode)) {
      if (private_file)
        return error(errc::invalid_argument, "'" + target + "' is a symbolic link, not a regular file: refusing to replace it");
      // Followed, as the shell's `>` does; what the link finally names decides.
      if (::stat(target.c_str(), &st) != 0) {
        const int e = errno;
        return error(errc::invalid_argument, "'" + target + "' is a symbolic link to '" + link_text(target) + "', which " +
                                                 (e == ENOENT ? std::string("does not exist") : std::strerror(e)) +
                                                 ": give the file itself");
      }
      if (S_ISREG(st.st_mode)) {
        char* real = ::realpath(target.c_str(), nullptr);
        if (real == nullptr)
          return error(errc::invalid_argument, "cannot resolve the symbolic link '" + target + "': " + std::strerror(errno));
        final_path = real;
        std::free(real);
      }
    }
    if (S_ISREG(st.st_mode)) {
      // replaced below
    } else if (!private_file && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
      through = true;
    } else if (private_file) {
      return error(errc::invalid_argument, "'" + target + "' is " + kind_name(st.st_mode) + ", not a regular file: refusing to replace it");
    } else {
      return refuse(target, st.st_mode);
    }
  }

  atomic_file f;
  if (through) {
    // No O_CREAT, no O_TRUNC: the device or FIFO is written, never replaced.
    // A FIFO's open waits for a reader.
    const int fd = ::open(target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return error(errc::invalid_argument, "cannot open '" + target + "' for writing: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
      ::close(fd);
      return error(errc::invalid_argument, "'" + target + "' changed while it was opened: refusing to write");
    }
    f.buf_.reset(new fd_writer(fd));
    f.through_ = true;
  } else {
    auto slash = final_path.rfind('/');
    std::string dir = slash == std::string::npos ? std::string() : final_path.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
    if (name.empty()) return error(errc::invalid_argument, "output path '" + target + "' names a directory, not a file");
    std::string temp = dir + "." + name + ".tmp-XXXXXX";
    int fd = ::mkstemp(&temp[0]);
    if (fd < 0) {
      return error(errc::invalid_argument, "cannot create a file in '" + (dir.empty() ? std::string(".") : dir) +
                                               "': " + std::strerror(errno));
    }
    if (!private_file) {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd, static_cast<mode_t>(0666 & ~mask));
    }
    f.temp_ = std::move(temp);
    f.slot_ = claim_temp_slot(f.temp_);
    f.buf_.reset(new fd_writer(fd));
  }
  f.target_ = std::move(target);
  f.final_ = std::move(final_path);
  f.out_.reset(new std::ostream(f.buf_.get()));
  f.done_ = false;
  return result<atomic_file>(std::move(f));
}

atomic_file::atomic_file(atomic_file&& o) noexcept
    : target_(std::move(o.target_)), final_(std::move(o.final_)), temp_(std::move(o.temp_)), buf_(std::move(o.buf_)),
      out_(std::move(o.out_)), slot_(std::exchange(o.slot_, -1)), through_(o.through_),
      done_(std::exchange(o.done_, true)) {}
atomic_file& atomic_file::operator=(atomic_file&& o) noexcept {
  if (this != &o) {
    discard();
    target_ = std::move(o.target_);
    final_ = std::move(o.final_);
    temp_ = std::move(o.temp_);
    buf_ = std::move(o.buf_);
    out_ = std::move(o.out_);
    slot_ = std::exchange(o.slot_, -1);
    through_ = o.through_;
    done_ = std::exchange(o.done_, true);
  }
  return *this;
}
atomic_file::~atomic_file() { discard(); }

std::string atomic_file::write_error() const {
  if (!buf_ || buf_->error_number() == 0) return {};
  return "writing '" + target_ + "' failed: " + std::strerror(buf_->error_number());
}

status atomic_file::commit() {
  if (done_) return error(errc::invalid_argument, "atomic_file::commit called twice");
  out_->flush();
  bool ok = static_cast<bool>(*out_) && buf_->flush_all();
  // fsync before rename: otherwise a crash can leave the new name pointing
  // at an empty file on some file systems. (Devices and FIFOs: nothing to
  // sync, and fsync would fail with EINVAL.)
  if (ok && !through_ && ::fsync(buf_->fd()) != 0) {
    buf_->set_error(errno);
    ok = false;
  }
  ok = buf_->close(false) && ok;
  if (!ok) {
    std::string reason = write_error();
    if (reason.empty()) reason = "writing '" + target_ + "' failed";
    discard();
    return error(errc::invalid_argument, reason);
  }
  if (!through_ && ::rename(temp_.c_str(), final_.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    discard();
    return error(errc::invalid_argument, "cannot rename the output into '" + final_ + "': " + reason);
  }
  release_temp_slot(slot_);
  slot_ = -1;
  done_ = true;
  return {};
}

void atomic_file::discard() noexcept {
  if (done_) return;
  done_ = true;
  if (buf_) buf_->close(false);
  if (!temp_.empty()) ::unlink(temp_.c_str());
  release_temp_slot(slot_);
  slot_ = -1;
}

status write_file_atomically(const std::string& path, std::string_view content, bool private_file) {
  auto f = atomic_file::create(path, private_file);
  if (!f) return f.error();
  f->stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return f->commit();
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
