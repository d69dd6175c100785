// Shared fixture of the CLI tests: an in-process simulator and a cli_context
// whose environment holds the simulator's throw-away credentials and no
// shared files. Not a test by itself.
#ifndef FINOPS_CRAWLER_TESTS_CLI_TEST_SUPPORT_HPP
#define FINOPS_CRAWLER_TESTS_CLI_TEST_SUPPORT_HPP

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "simulator.hpp"

namespace cli_test {

using namespace finops_crawler;
using namespace finops_crawler::cli;

inline aws::map_environment sim_environment() {
  return aws::map_environment{{"AWS_ACCESS_KEY_ID", std::string(sim::default_access_key_id)},
                              {"AWS_SECRET_ACCESS_KEY", std::string(sim::default_secret_access_key)},
                              {"AWS_CONFIG_FILE", "/nonexistent/finops-cli-test/config"},
                              {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/finops-cli-test/credentials"}};
}

/// The day y-m-d (a valid date).
constexpr finops_crawler::calendar_date ymd(std::int64_t y, unsigned m, unsigned d) {
  return finops_crawler::calendar_date::from_days(finops_crawler::detail::days_from_civil(y, m, d));
}

/// A context for tests: fixed date, not a terminal, instant backoff.
inline cli_context test_context(const aws::environment& env, calendar_date today) {
  cli_context ctx;
  ctx.env = &env;
  ctx.today = today;
  ctx.retry.max_attempts = 6;
  ctx.retry.base_delay = std::chrono::milliseconds(1);
  ctx.retry.throttle_base_delay = std::chrono::milliseconds(1);
  ctx.retry.max_delay = std::chrono::milliseconds(2);
  ctx.rate_limit_per_s = 0;
  return ctx;
}

/// Runs the CLI in-process with `args` (without the program name).
struct run_result {
  int code = -1;
  std::string out;
  std::string err;
};
inline run_result run(const std::vector<std::string>& args, const cli_context& ctx) {
  std::vector<const char*> argv{"finops-crawler"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  run_result r;
  r.code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err, ctx);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline std::string make_temp_dir() {
  std::string t = "/tmp/finops-cli-test-XXXXXX";
  REQUIRE(::mkdtemp(&t[0]) != nullptr);
  return t;
}

inline std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

inline bool file_exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") out.push_back(n);
  }
  ::closedir(d);
  return out;
}

inline void remove_tree(const std::string& dir) {
  for (const auto& n : list_dir(dir)) {
    const std::string p = dir + "/" + n;
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(p);
    else ::unlink(p.c_str());
  }
  ::rmdir(dir.c_str());
}

}  // namespace cli_test

#endif
