#ifndef FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/providers/process_provider.hpp (see config.hpp).

#include "finops_crawler/aws/providers/process_provider.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "finops_crawler/detail/json_body.hpp"
#include "finops_crawler/detail/time.hpp"

extern char** environ;

namespace finops_crawler {
inline namespace v0 {
namespace aws {

FINOPS_CRAWLER_FUNC result<std::vector<std::string>> split_command_line(std::string_view line) {
  // shlex in POSIX mode, whitespace_split, no comments: the splitting
  // botocore applies to credential_process (compat_shell_split).
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else if (c == '\\') {
      if (i + 1 == line.size()) return error(errc::invalid_argument, "the command line ends with a backslash");
      cur += line[++i];
      in_word = true;
    } else if (c == '\'') {
      const std::size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) return error(errc::invalid_argument, "the command line has an unclosed ' quotation");
      cur.append(line.substr(i + 1, end - i - 1));
      i = end;
      in_word = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (;; ++j) {
        if (j >= line.size()) return error(errc::invalid_argument, "the command line has an unclosed \" quotation");
        if (line[j] == '"') break;
        // Inside double quotes a backslash escapes only " and itself.
        if (line[j] == '\\' && j + 1 < line.size() && (line[j + 1] == '"' || line[j + 1] == '\\')) ++j;
        cur += line[j];
      }
      i = j;
      in_word = true;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(cur));
  if (words.empty()) return error(errc::invalid_argument, "the command line is empty");
  return words;
}

namespace detail {

FINOPS_CRAWLER_FUNC std::string stderr_excerpt(std::string_view err) {
  // A command that failed after printing its JSON to the wrong stream must
  // not leak the secret through the error message.
  for (std::string_view k : {"SecretAccessKey", "SessionToken", "secretAccessKey", "sessionToken"})
    if (err.find(k) != std::string_view::npos) return "(stderr not shown: it mentions " + std::string(k) + ")";
  return safe_excerpt(err, 200);
}

// Owns a file descriptor.
struct fd_guard {
  int fd = -1;
  ~fd_guard() { reset(); }
  void reset() noexcept {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

FINOPS_CRAWLER_FUNC result<process_output> run_process(const std::vector<std::string>& argv, const process_limits& limits) {
  if (argv.empty()) return error(errc::invalid_argument, "no command to run");
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    return error(errc::invalid_argument, std::string("cannot make a pipe: ") + std::strerror(errno));
  fd_guard out_r{out_pipe[0]}, out_w{out_pipe[1]};
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    return error(errc::invalid_argument, std::string("cannot make a pipe: ") + std::strerror(errno));
  fd_guard err_r{err_pipe[0]}, err_w{err_pipe[1]};

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  // dup2 clears close-on-exec on the target, so only 0, 1 and 2 reach it.
  posix_spawn_file_actions_adddup2(&fa, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_w.fd, 2);
  // Its own process group, so a timeout kills what it started too.
  posix_spawnattr_setpgroup(&attr, 0);
  short flags = POSIX_SPAWN_SETPGROUP;
#ifdef POSIX_SPAWN_SETSIGDEF
  // SIGPIPE at its default (a caller may ignore it, as libcurl users do).
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &def);
  flags = static_cast<short>(flags | POSIX_SPAWN_SETSIGDEF);
#endif
  posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &fa, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    return error(errc::invalid_argument, "cannot run '" + argv[0] + "': " + std::strerror(rc) +
                                             (rc == ENOENT ? " (not found in PATH; credential_process runs no shell)" : ""));
  out_w.reset();
  err_w.reset();

  process_output po;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  std::string failure;
  char buf[8192];
  constexpr std::size_t err_keep = 4096;
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failure = "did not finish within " + std::to_string(limits.timeout.count()) + " ms (the timeout); it was killed";
      break;
    }
    pollfd fds[2];
    nfds_t n = 0;
    if (out_r.fd >= 0) fds[n++] = pollfd{out_r.fd, POLLIN, 0};
    if (err_r.fd >= 0) fds[n++] = pollfd{err_r.fd, POLLIN, 0};
    const int pr = ::poll(fds, n, static_cast<int>(left.count() > 1000 ? 1000 : left.count()));
    if (pr < 0 && errno != EINTR) {
      failure = std::string("poll failed: ") + std::strerror(errno);
      break;
    }
    for (nfds_t i = 0; i < n && pr > 0; ++i) {
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const bool is_out = fds[i].fd == out_r.fd;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        (is_out ? out_r : err_r).reset();
        continue;
      }
      const std::size_t g = static_cast<std::size_t>(got);
      if (is_out) {
        if (po.out.size() + g > limits.max_stdout) {
          failure = "printed more than " + std::to_string(limits.max_stdout) +
                    " bytes on stdout (the output limit); it was killed";
          break;
        }
        po.out.append(buf, g);
      } else if (po.err.size() < err_keep) {
        po.err.append(buf, g < err_keep - po.err.size() ? g : err_keep - po.err.size());
      }
    }
    if (!failure.empty()) break;
  }
  OPENSSL_cleanse(buf, sizeof buf);  // it may have held the secret
  int st = 0;
  if (failure.empty()) {
    // Both streams closed: wait for the exit, still within the deadline.
    for (;;) {
      const pid_t w = ::waitpid(pid, &st, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) {
        failure = std::string("waitpid failed: ") + std::strerror(errno);
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        failure = "did not exit within " + std::to_string(limits.timeout.count()) +
                  " ms (the timeout) after closing its output; it was killed";
        break;
      }
      ::usleep(2000);
    }
    if (failure.empty()) {
      if (WIFEXITED(st)) {
        po.exit_status = WEXITSTATUS(st);
      } else if (WIFSIGNALED(st)) {
        po.signaled = true;
        po.exit_status = 128 + WTERMSIG(st);
      }
      return po;
    }
  }
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  cleanse_string(po.out);
  std::string msg = failure;
  const std::string ex = stderr_excerpt(po.err);
  if (!ex.empty()) msg += "; stderr: " + ex;
  return error(errc::transport, std::move(msg));
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<credentials> parse_process_credentials(std::string_view json, const std::string& source) {
  finops_crawler::detail::json_document doc;
  auto root = doc.parse(json, source + " printed output that");
  if (!root) return root.error();
  simdjson::dom::object obj;
  if (root->get_object().get(obj) != simdjson::SUCCESS)
    return error(errc::unexpected_shape, source + " printed JSON that is not an object");
  auto shape = [&](const std::string& what) { return error(errc::unexpected_shape, source + " printed JSON " + what); };
  int64_t version = 0;
  simdjson::dom::element v;
  if (obj["Version"].get(v) != simdjson::SUCCESS) return shape("without \"Version\" (expected 1)");
  if (v.get_int64().get(version) != simdjson::SUCCESS || version != 1)
    return shape("with an unsupported \"Version\" (only 1 is supported)");
  std::string_view id, secret, token, expiration;
  auto str = [&](const char* key, std::string_view& out, bool required) -> status {
    simdjson::dom::element e;
    if (obj[key].get(e) != simdjson::SUCCESS || e.is_null()) {
      if (required) return shape(std::string("without \"") + key + "\"");
      return {};
    }
    if (e.get_string().get(out) != simdjson::SUCCESS)
      return shape(std::string("whose \"") + key + "\" is not a string");
    return {};
  };
  if (auto s = str("AccessKeyId", id, true); !s) return s.error();
  if (auto s = str("SecretAccessKey", secret, true); !s) return s.error();
  if (auto s = str("SessionToken", token, false); !s) return s.error();
  if (auto s = str("Expiration", expiration, false); !s) return s.error();
  std::optional<credentials::time_point> expiry;
  if (!expiration.empty()) {
    auto t = finops_crawler::detail::parse_iso8601(expiration);
    if (!t) return shape("whose \"Expiration\" is not a time: " + t.error().message);
    expiry = *t;
  }
  auto c = credentials::make(std::string(id), std::string(secret), std::string(token), expiry, source);
  if (!c) return error(errc::unexpected_shape, c.error().message);
  return c;
}

FINOPS_CRAWLER_FUNC result<std::unique_ptr<process_provider>> process_provider::make(std::string_view command_line,
                                                                                     std::string profile,
                                                                                     process_limits limits) {
  auto argv = split_command_line(command_line);
  if (!argv) {
    error e = argv.error();
    e.message = "credential_process of profile " + profile + ": " + e.message;
    return e;
  }
  std::unique_ptr<process_provider> p(new process_provider());
  p->argv_ = std::move(*argv);
  p->name_ = "credential_process (profile " + profile + ")";
  p->limits_ = limits;
  return p;
}

FINOPS_CRAWLER_FUNC result<credentials> process_provider::fetch(credentials::time_point) {
  auto run = detail::run_process(argv_, limits_);
  if (!run) {
    error e = run.error();
    e.message = name_ + ": '" + argv_[0] + "' " + e.message;
    return e;
  }
  process_output& po = *run;
  if (po.exit_status != 0 || po.signaled) {
    detail::cleanse_string(po.out);
    std::string msg = name_ + ": '" + argv_[0] + "' " +
                      (po.signaled ? "was killed by signal " + std::to_string(po.exit_status - 128)
                                   : "exited with status " + std::to_string(po.exit_status));
    const std::string ex = detail::stderr_excerpt(po.err);
    msg += ex.empty() ? std::string(" (nothing on stderr)") : "; stderr: " + ex;
    return error(errc::no_credentials, std::move(msg));
  }
  auto c = parse_process_credentials(po.out, name_);
  detail::cleanse_string(po.out);
  if (!c) {
    error e = c.error();
    // "NAME printed ..." -> "NAME: 'COMMAND' printed ...".
    if (e.message.rfind(name_ + " printed", 0) == 0)
      e.message.insert(name_.size(), ": '" + argv_[0] + "'");
    const std::string ex = detail::stderr_excerpt(po.err);
    if (!ex.empty()) e.message += "; stderr: " + ex;
    return e;
  }
  return c;
}

FINOPS_CRAWLER_FUNC result<provider_lookup> find_process_provider(const provider_context& ctx) {
  auto v = ctx.get("credential_process");
  if (!v || v->value.empty()) return provider_lookup::decline("profile " + ctx.profile + " has no credential_process");
  process_limits limits;
  limits.timeout = ctx.process_timeout;
  limits.max_stdout = ctx.process_output_limit;
  auto p = process_provider::make(v->value, ctx.profile, limits);
  if (!p) {
    error e = p.error();
    e.code = errc::config_file;
    e.message = std::string(v->file) + ":" + std::to_string(v->line) + ": " + e.message;
    return e;
  }
  return provider_lookup::found(std::move(*p));
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_PROVIDERS_PROCESS_PROVIDER_INL_HPP
