// Bodies of resume_state.hpp.
#include "resume_state.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "atomic_file.hpp"
#include "response_cache.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

std::string to_hex(const std::string& s) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::optional<std::string> from_hex(const std::string& h) {
  if (h.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < h.size(); i += 2) {
    const int a = nibble(h[i]), b = nibble(h[i + 1]);
    if (a < 0 || b < 0) return std::nullopt;
    out += static_cast<char>(a * 16 + b);
  }
  return out;
}

}  // namespace

std::string resume_path(const std::string& output) { return output + ".resume"; }
std::string partial_path(const std::string& output) { return output + ".partial"; }

std::string resume_fingerprint(const std::string& text) { return response_cache::key("resume", {}, text); }

std::string format_resume_state(const resume_state& s) {
  return "finops-crawler-resume 1\nquery " + s.query + "\npart " + std::to_string(s.part) + "\ntoken " +
         (s.token.empty() ? std::string("-") : to_hex(s.token)) + "\npages " + std::to_string(s.pages) + "\nrows " +
         std::to_string(s.rows) + "\nbytes " + std::to_string(s.bytes) + "\n";
}

result<std::optional<resume_state>> load_resume_state(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::optional<resume_state>();
    return error(errc::invalid_argument, "--resume: cannot read " + path + ": " + std::strerror(errno));
  }
  auto corrupt = [&]() {
    return error(errc::invalid_argument, "--resume: " + path +
                                             " is not a resume file of this version; remove it and run without "
                                             "--resume to start over");
  };
  std::string magic, version, k_query, k_part, k_token, k_pages, k_rows, k_bytes, token;
  resume_state s;
  if (!(in >> magic >> version >> k_query >> s.query >> k_part >> s.part >> k_token >> token >> k_pages >> s.pages >>
        k_rows >> s.rows >> k_bytes >> s.bytes))
    return corrupt();
  std::string rest;
  if (in >> rest) return corrupt();
  if (magic != "finops-crawler-resume" || version != "1" || k_query != "query" || k_part != "part" ||
      k_token != "token" || k_pages != "pages" || k_rows != "rows" || k_bytes != "bytes" || s.query.size() != 64)
    return corrupt();
  if (token != "-") {
    auto t = from_hex(token);
    if (!t || t->empty()) return corrupt();
    s.token = std::move(*t);
  }
  return std::optional<resume_state>(std::move(s));
}

bool resumable_target(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
  return S_ISREG(st.st_mode);
}

struct partial_file::impl {
  std::string output;
  std::string path;
  std::ofstream out;
  bool keep = false;
  bool done = false;
};

partial_file::partial_file() : impl_(new impl) {}
partial_file::partial_file(partial_file&&) noexcept = default;
partial_file& partial_file::operator=(partial_file&&) noexcept = default;
partial_file::~partial_file() {
  if (impl_ && !impl_->keep && !impl_->done) discard();
}

result<partial_file> partial_file::open(const std::string& output, std::uint64_t keep_bytes) {
  partial_file f;
  f.impl_->output = output;
  f.impl_->path = partial_path(output);
  f.impl_->keep = true;  // a failure below touches nothing of an earlier run
  const std::string& p = f.impl_->path;
  if (keep_bytes == 0) {
    f.impl_->out.open(p, std::ios::binary | std::ios::trunc);
  } else {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0)
      return error(errc::invalid_argument, "--resume: cannot open " + p + ": " + std::strerror(errno) +
                                               "; run without --resume to start over");
    if (static_cast<std::uint64_t>(st.st_size) < keep_bytes)
      return error(errc::invalid_argument, "--resume: " + p + " is shorter than its resume file says (" +
                                               std::to_string(st.st_size) + " of " + std::to_string(keep_bytes) +
                                               " bytes); run without --resume to start over");
    // Bytes past the last complete page belong to a page that will be fetched again.
    if (::truncate(p.c_str(), static_cast<off_t>(keep_bytes)) != 0)
      return error(errc::invalid_argument, "--resume: cannot truncate " + p + ": " + std::strerror(errno));
    f.impl_->out.open(p, std::ios::binary | std::ios::app);
  }
  if (!f.impl_->out)
    return error(errc::invalid_argument, "cannot write " + p + ": " + std::strerror(errno));
  f.impl_->keep = false;
  return f;
}

std::ostream& partial_file::stream() noexcept { return impl_->out; }

std::uint64_t partial_file::size() {
  impl_->out.flush();
  struct stat st {};
  if (::stat(impl_->path.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

status partial_file::commit() {
  impl_->out.flush();
  if (!impl_->out) return status(errc::invalid_argument, "writing " + impl_->path + " failed");
  impl_->out.close();
  const int fd = ::open(impl_->path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int e = errno;
    if (fd >= 0) ::close(fd);
    return status(errc::invalid_argument, "writing " + impl_->path + " failed: " + std::strerror(e));
  }
  ::close(fd);
  if (::rename(impl_->path.c_str(), impl_->output.c_str()) != 0)
    return status(errc::invalid_argument, "renaming " + impl_->path + " to " + impl_->output +
                                              " failed: " + std::strerror(errno));
  ::unlink(resume_path(impl_->output).c_str());
  impl_->done = true;
  return {};
}

void partial_file::keep() noexcept { impl_->keep = true; }

void partial_file::discard() noexcept {
  impl_->done = true;
  impl_->out.close();
  ::unlink(impl_->path.c_str());
  ::unlink(resume_path(impl_->output).c_str());
}

status save_resume_state(const std::string& path, const resume_state& s) {
  return write_file_atomically(path, format_resume_state(s), /*private_file=*/true);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
