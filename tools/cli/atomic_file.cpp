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
#include <cstring>
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

result<atomic_file> atomic_file::create(std::string target, bool private_file) {
  auto slash = target.rfind('/');
  std::string dir = slash == std::string::npos ? std::string() : target.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
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
  ::close(fd);
  atomic_file f;
  f.target_ = std::move(target);
  f.temp_ = std::move(temp);
  f.slot_ = claim_temp_slot(f.temp_);
  f.out_.open(f.temp_, std::ios::binary | std::ios::trunc);
  if (!f.out_) return error(errc::invalid_argument, "cannot open '" + f.temp_ + "' for writing");
  return result<atomic_file>(std::move(f));
}

atomic_file::atomic_file(atomic_file&& o) noexcept
    : target_(std::move(o.target_)), temp_(std::move(o.temp_)), out_(std::move(o.out_)),
      slot_(std::exchange(o.slot_, -1)), done_(std::exchange(o.done_, true)) {}
atomic_file& atomic_file::operator=(atomic_file&& o) noexcept {
  if (this != &o) {
    discard();
    target_ = std::move(o.target_);
    temp_ = std::move(o.temp_);
    out_ = std::move(o.out_);
    slot_ = std::exchange(o.slot_, -1);
    done_ = std::exchange(o.done_, true);
  }
  return *this;
}
atomic_file::~atomic_file() { discard(); }

status atomic_file::commit() {
  if (done_) return error(errc::invalid_argument, "atomic_file::commit called twice");
  out_.flush();
  const bool wrote = static_cast<bool>(out_);
  out_.close();
  if (!wrote || out_.fail()) {
    discard();
    return error(errc::invalid_argument, "writing '" + target_ + "' failed (disk full?)");
  }
  // fsync before rename: otherwise a crash can leave the new name pointing
  // at an empty file on some file systems.
  int fd = ::open(temp_.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    std::string reason = std::strerror(errno);
    discard();
    return error(errc::invalid_argument, "cannot rename the output into '" + target_ + "': " + reason);
  }
  release_temp_slot(slot_);
  slot_ = -1;
  done_ = true;
  return {};
}

void atomic_file::discard() noexcept {
  if (done_) return;
  done_ = true;
  if (out_.is_open()) out_.close();
  if (!temp_.empty()) ::unlink(temp_.c_str());
  release_temp_slot(slot_);
  slot_ = -1;
}

status write_file_atomically(const std::string& path, std::string_view content) {
  auto f = atomic_file::create(path);
  if (!f) return f.error();
  f->stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  return f->commit();
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
