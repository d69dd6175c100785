// Shared set-up of the sync tests (issue 9): the simulator's organization
// for a 75-day report, its ground truth as store rows, the rows a database
// holds, and the real finops-crawler binary run as a child process (for
// SIGKILL and concurrency). Not a test by itself.
#ifndef FINOPS_CRAWLER_TESTS_SYNC_TEST_SUPPORT_HPP
#define FINOPS_CRAWLER_TESTS_SYNC_TEST_SUPPORT_HPP

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "unit/cli_test_support.hpp"
#include "sim_test_support.hpp"
#include "simulator.hpp"
#include "sync_command.hpp"
#include "synthetic_data.hpp"

namespace sync_test {

using namespace finops_crawler;

/// First day of the simulated data, and the day count that makes "today"
/// the 76th day: a 75-day sync [2026-01-01, 2026-03-17).
inline constexpr const char* first_day = "2026-01-01";
inline constexpr int days_for_75 = 76;

/// The simulator's organization: 5 accounts, `days` days from first_day
/// (today = the last day), `revision` of the recent data, small pages (a
/// day continues on the next page), faults at `fault_rate`.
inline sim::options sim_options(int days, std::uint64_t revision = 0, double fault_rate = 0.15,
                                std::size_t page_groups = 40) {
  sim::options o;
  o.data.seed = 20261;
  o.data.account_count = 5;
  o.data.start_date = first_day;
  o.data.days = days;
  o.data.revision = revision;
  o.page_size_groups = page_groups;
  o.faults.seed = 99 + revision;
  o.faults.set_failure_rate(fault_rate);
  return o;
}

/// The simulator's "today" (the window's last day), as YYYY-MM-DD.
inline std::string sim_today(const sim::data_set& ds) { return sim::format_date(ds.end_day() - 1); }

/// One row as (period_start, period_end, group_1, group_2, metric, amount, unit, estimated).
using row = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string, bool>;

/// What Cost Explorer (the simulator) returns today for the default report
/// (DAILY, UnblendedCost + UsageQuantity by SERVICE, LINKED_ACCOUNT) over
/// [from, to): one row per period x group x metric, sorted.
inline std::vector<row> truth(const sim::data_set& ds, const std::string& from, const std::string& to) {
  sim::query q;
  REQUIRE(sim::parse_date(from, q.start_day));
  REQUIRE(sim::parse_date(to, q.end_day));
  q.gran = sim::granularity::daily;
  q.metrics = {sim::metric::unblended_cost, sim::metric::usage_quantity};
  sim::group_def service, account;
  service.dim = sim::dimension::service;
  account.dim = sim::dimension::linked_account;
  q.group_by = {service, account};
  std::vector<row> out;
  for (const auto& p : sim::ground_truth(ds, q))
    for (const auto& g : p.groups)
      for (std::size_t m = 0; m < q.metrics.size(); ++m)
        out.emplace_back(sim::format_date(p.start_day), sim::format_date(p.end_day), g.keys[0], g.keys[1],
                         std::string(sim::metric_names[static_cast<std::size_t>(q.metrics[m])]),
                         g.metrics[m].amount.to_string(), g.metrics[m].unit, p.estimated);
  std::sort(out.begin(), out.end());
  return out;
}

/// The rows the database `db` (as --db takes it) holds for `report`, sorted.
inline std::vector<row> stored(const std::string& db, const std::string& report = "default") {
  auto s = cli::open_database(db);
  REQUIRE_MESSAGE(s, s.error().describe());
  auto rows = (*s)->read_rows(report, "0001-01-01", "9999-12-31");
  REQUIRE_MESSAGE(rows, rows.error().describe());
  std::vector<row> out;
  for (const auto& r : *rows)
    out.emplace_back(r.period_start, r.period_end, r.group_1, r.group_2, r.metric, r.amount, r.unit, r.estimated);
  std::sort(out.begin(), out.end());
  return out;
}

/// Checks two row sets are equal, naming the first difference.
inline void check_equal(const std::vector<row>& got, const std::vector<row>& want) {
  CHECK(got.size() == want.size());
  const std::size_t n = std::min(got.size(), want.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (got[i] == want[i]) continue;
    const auto& g = got[i];
    const auto& w = want[i];
    FAIL_CHECK("row " << i << " differs: stored " << std::get<0>(g) << " " << std::get<2>(g) << " " << std::get<3>(g)
                      << " " << std::get<4>(g) << " " << std::get<5>(g) << " " << std::get<6>(g) << " est="
                      << std::get<7>(g) << "; truth " << std::get<0>(w) << " " << std::get<2>(w) << " "
                      << std::get<3>(w) << " " << std::get<4>(w) << " " << std::get<5>(w) << " " << std::get<6>(w)
                      << " est=" << std::get<7>(w));
    return;
  }
}

/// The rows of `all` whose period_start is one of the periods in `days`.
inline std::vector<row> only_days(const std::vector<row>& all, const std::vector<std::string>& days) {
  std::vector<row> out;
  for (const auto& r : all)
    if (std::find(days.begin(), days.end(), std::get<0>(r)) != days.end()) out.push_back(r);
  return out;
}

/// The distinct period starts of `rows`.
inline std::vector<std::string> days_of(const std::vector<row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows)
    if (out.empty() || out.back() != std::get<0>(r)) out.push_back(std::get<0>(r));
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// The in-process CLI context for the simulator's credentials and `today`.
struct cli_env {
  aws::map_environment env = cli_test::sim_environment();
  cli::cli_context ctx;
  explicit cli_env(const std::string& today) {
    auto t = calendar_date::parse(today);
    REQUIRE(t);
    ctx = cli_test::test_context(env, *t);
  }
};

/// `finops-crawler sync --db DB --endpoint-url URL --today TODAY ARGS...` in process.
inline cli_test::run_result sync_in_process(const std::string& db, const std::string& url, const std::string& today,
                                            std::vector<std::string> args = {}) {
  cli_env e(today);
  std::vector<std::string> all{"sync", "--db", db, "--endpoint-url", url, "--today", today};
  all.insert(all.end(), args.begin(), args.end());
  return cli_test::run(all, e.ctx);
}

/// The finops-crawler binary beside this test executable's build directory.
inline std::string cli_binary() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  REQUIRE(n > 0);
  std::string self(buf, static_cast<std::size_t>(n));
  const std::string dir = self.substr(0, self.rfind('/'));
  return dir + "/../tools/cli/finops-crawler";
}

/// A started child process running the real binary; its stderr goes to a file.
struct child {
  pid_t pid = -1;
  std::string err_file;
  int status = 0;
  bool done = false;

  /// Waits at most `limit` for the child; false (and SIGKILL) when it is still running.
  bool wait(std::chrono::seconds limit = std::chrono::seconds(120)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) {
        done = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!done) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      done = true;
      return false;
    }
    return true;
  }
  bool killed() const { return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  std::string err() const { return cli_test::slurp(err_file); }
};

/// Starts `finops-crawler sync --db DB --endpoint-url URL ARGS...` with the
/// simulator's keys, FINOPS_CRAWLER_TODAY = today and `extra_env`
/// ("NAME=value"). `unprivileged`: as user nobody (root writes read-only
/// files, so the read-only test drops root).
inline child start_sync(const std::string& db, const std::string& url, const std::string& today,
                        const std::string& err_file, std::vector<std::string> args = {},
                        std::vector<std::string> extra_env = {}, bool unprivileged = false) {
  std::vector<std::string> argv_s{cli_binary(), "sync", "--db", db, "--endpoint-url", url};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s{"AWS_ACCESS_KEY_ID=" + std::string(sim::default_access_key_id),
                                 "AWS_SECRET_ACCESS_KEY=" + std::string(sim::default_secret_access_key),
                                 "AWS_CONFIG_FILE=/nonexistent/finops-sync-test/config",
                                 "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/finops-sync-test/credentials",
                                 "NO_PROXY=127.0.0.1,localhost", "FINOPS_CRAWLER_TODAY=" + today, "HOME=/nonexistent"};
  env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_s) argv.push_back(&s[0]);
  argv.push_back(nullptr);
  for (auto& s : env_s) envp.push_back(&s[0]);
  envp.push_back(nullptr);
  child c;
  c.err_file = err_file;
  c.pid = ::fork();
  REQUIRE(c.pid >= 0);
  if (c.pid == 0) {
    const int fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd >= 0) {
      ::dup2(fd, 2);
      ::dup2(fd, 1);
    }
    if (unprivileged && ::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(125);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return c;
}

}  // namespace sync_test

#endif  // FINOPS_CRAWLER_TESTS_SYNC_TEST_SUPPORT_HPP
