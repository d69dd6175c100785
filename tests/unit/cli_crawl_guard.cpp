// End to end: the cost guardrails of `costs` and `dimensions` (estimate,
// --max-requests, --max-cost, --dry-run) and `costs --output FILE --resume`,
// through the real library and libcurl against the in-process simulator,
// whose request counters say what was really sent.
#include "crawl_guard.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "cli_test_support.hpp"
#include "resume_state.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);

// 400 days of data from 2025-01-01, 4 accounts; 37 groups a page, so a day
// by SERVICE and LINKED_ACCOUNT spans pages.
sim::options small_pages() {
  sim::options o;
  o.data.seed = 5;
  o.data.account_count = 4;
  o.data.start_date = "2025-01-01";
  o.data.days = 400;
  o.page_size_groups = 37;
  return o;
}

std::vector<std::string> report(const std::string& start, const std::string& end, const sim::simulator& s) {
  return {"costs",    "--start",   start, "--end",     end,          "--group-by", "SERVICE", "--group-by",
          "LINKED_ACCOUNT", "--format", "csv", "--endpoint-url", s.endpoint_url()};
}

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// Runs the real binary (build/tools/cli/finops-crawler beside build/tests)
// with the simulator's keys and `extra_env`; its output goes to `log`.
// Returns the wait status (bounded: killed after 60 s).
int run_binary(const std::vector<std::string>& args, const std::vector<std::string>& extra_env, const std::string& log) {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  REQUIRE(n > 0);
  const std::string self(buf, static_cast<std::size_t>(n));
  std::vector<std::string> argv_s{self.substr(0, self.rfind('/')) + "/../tools/cli/finops-crawler"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s{"AWS_ACCESS_KEY_ID=" + std::string(sim::default_access_key_id),
                                 "AWS_SECRET_ACCESS_KEY=" + std::string(sim::default_secret_access_key),
                                 "AWS_CONFIG_FILE=/nonexistent/c", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/k",
                                 "NO_PROXY=127.0.0.1", "HOME=/nonexistent"};
  env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(&e[0]);
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL("the child did not finish in 60 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return status;
}

}  // namespace

TEST_CASE("guard flags: bad values are usage errors, nothing sent") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const auto base = report("2025-01-01", "2025-01-31", server);
  for (const char* v : {"0", "-1", "abc", "1e3", "100000001"}) {
    auto r = run(plus(base, {"--max-requests", v}), ctx);
    CHECK(r.code == 2);
    CHECK(r.err.find("--max-requests") != std::string::npos);
  }
  for (const char* v : {"0", "0.001", "-1", "1,5", "abc", "."}) {
    auto r = run(plus(base, {"--max-cost", v}), ctx);
    CHECK(r.code == 2);
    CHECK(r.err.find("--max-cost") != std::string::npos);
  }
  auto r = run(plus(base, {"--resume"}), ctx);  // no --output
  CHECK(r.code == 2);
  CHECK(r.err.find("--output FILE") != std::string::npos);
  CHECK(server.stats().requests == 0);
}

TEST_CASE("--dry-run prints the estimate and sends nothing (costs and dimensions)") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  // From the period: 365 days x 150 groups (two group-bys) / 1000 a page.
  auto r = run(plus(report("2025-01-01", "2026-01-01", server), {"--dry-run", "--output", dir + "/x.csv"}), ctx);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("estimate: 55 billable requests (USD 0.55), from the period: 365 days, 2 group-bys") !=
        std::string::npos);
  CHECK(r.err.find("dry run: nothing sent") != std::string::npos);
  auto d = run({"dimensions", "SERVICE", "--start", "2025-01-01", "--end", "2025-02-01", "--dry-run",
                "--endpoint-url", server.endpoint_url()},
               ctx);
  CHECK(d.code == 0);
  CHECK(d.out.empty());
  CHECK(d.err.find("estimate: 1 billable request (USD 0.01)") != std::string::npos);
  CHECK(server.stats().requests == 0);
  CHECK(list_dir(dir).empty());  // a dry run writes nothing
  remove_tree(dir);
}

TEST_CASE("a 365-day crawl with small pages is refused under --max-requests 100, saying what it would cost") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::vector<std::string> cache{"--cache", dir + "/cache"};
  // An earlier run of the same report (30 days) records its pages in the cache.
  auto first = run(plus(report("2025-01-01", "2025-01-31", server), cache), ctx);
  INFO(first.err);
  REQUIRE(first.code == 0);
  const auto first_pages = server.stats().billable;
  REQUIRE(first_pages > 10);
  const auto before = server.stats().requests;

  auto r = run(plus(report("2025-01-01", "2026-01-01", server), plus(cache, {"--max-requests", "100"})), ctx);
  INFO(r.err);
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  // The same pages a day as the earlier run, over 365 days.
  const std::uint64_t expected = (365 * first_pages + 29) / 30;
  CHECK(r.err.find("estimate: " + std::to_string(expected) + " billable requests (USD " +
                   ce::usd_for_requests(expected) + "), from an earlier run: " + std::to_string(first_pages) +
                   " pages for 30 days") != std::string::npos);
  CHECK(r.err.find("would cost about USD " + ce::usd_for_requests(expected)) != std::string::npos);
  CHECK(r.err.find("Raise --max-requests to " + std::to_string(expected)) != std::string::npos);
  // Refused before the first Cost Explorer request: the one request sent is
  // --cache's free sts:GetCallerIdentity (the account whose pages it holds).
  CHECK(server.stats().requests == before + 1);
  CHECK(server.stats().billable == first_pages);

  // --max-cost says it in dollars.
  auto c = run(plus(report("2025-01-01", "2026-01-01", server), plus(cache, {"--max-cost", "0.50"})), ctx);
  CHECK(c.code == 2);
  CHECK(c.err.find("above --max-cost 0.50 (USD 0.50)") != std::string::npos);
  CHECK(c.err.find("Raise --max-cost to " + ce::usd_for_requests(expected)) != std::string::npos);
  CHECK(server.stats().requests == before + 2);
  CHECK(server.stats().billable == first_pages);
  remove_tree(dir);
}

TEST_CASE("a crawl that reaches the cap stops there: exit 6, complete records only, no request past the cap") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const auto base = report("2025-01-01", "2025-03-01", server);
  auto whole = run(base, ctx);
  REQUIRE(whole.code == 0);
  const auto all_pages = server.stats().billable;
  REQUIRE(all_pages > 20);

  // The estimate from the period (59 days x 150 / 1000 = 9) is under the
  // cap; the real pages are not.
  auto r = run(plus(base, {"--max-requests", "10"}), ctx);
  INFO(r.err);
  CHECK(r.code == 6);
  CHECK(server.stats().billable == all_pages + 10);
  CHECK(r.err.find("stopped at --max-requests 10: 10 billable requests (USD 0.10) spent") != std::string::npos);
  // What was written is the first part of the whole report, ending on a record.
  REQUIRE(!r.out.empty());
  CHECK(r.out.back() == '\n');
  CHECK(lines(r.out) > 1);
  CHECK(lines(r.out) < lines(whole.out));
  CHECK(whole.out.compare(0, r.out.size(), r.out) == 0);
}

TEST_CASE("--resume after a capped crawl: output identical to an uninterrupted run, fewer billable requests") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const auto base = report("2025-01-01", "2025-03-01", server);

  auto whole = run(plus(base, {"--output", dir + "/whole.csv"}), ctx);
  REQUIRE(whole.code == 0);
  const auto uninterrupted = server.stats().billable;
  const std::string out = dir + "/r.csv";

  auto capped = run(plus(base, {"--output", out, "--max-requests", "9"}), ctx);
  INFO(capped.err);
  CHECK(capped.code == 6);
  CHECK_FALSE(file_exists(out));  // the output appears only whole
  REQUIRE(file_exists(partial_path(out)));
  REQUIRE(file_exists(resume_path(out)));
  CHECK(capped.err.find("run the same command with --resume") != std::string::npos);
  // The side file: no secret, only the state.
  const std::string side = slurp(resume_path(out));
  CHECK(side.find(std::string(sim::default_secret_access_key)) == std::string::npos);
  CHECK(side.find(std::string(sim::default_access_key_id)) == std::string::npos);
  CHECK(side.find("pages 9\n") != std::string::npos);
  struct stat st {};
  REQUIRE(::stat(resume_path(out).c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);

  SUBCASE("another query is refused, nothing sent, the state kept") {
    const auto before = server.stats().requests;
    auto other = run(plus(report("2025-01-01", "2025-03-02", server), {"--output", out, "--resume"}), ctx);
    CHECK(other.code == 2);
    CHECK(other.err.find("another query") != std::string::npos);
    CHECK(server.stats().requests == before);
    CHECK(file_exists(resume_path(out)));
  }

  const auto before_resume = server.stats().billable;
  auto resumed = run(plus(base, {"--output", out, "--resume"}), ctx);
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  const auto resume_requests = server.stats().billable - before_resume;
  CHECK(slurp(out) == slurp(dir + "/whole.csv"));
  // The 9 pages written are not fetched again.
  CHECK(resume_requests == uninterrupted - 9);
  CHECK(list_dir(dir).size() == 2);  // whole.csv and r.csv: the side files are gone
  MESSAGE("resume: " << resume_requests << " billable requests instead of " << uninterrupted);
  remove_tree(dir);
}

TEST_CASE("--cache: pages the cache answers do not count against the cap") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const auto base = plus(report("2025-01-01", "2025-01-31", server), {"--cache", dir + "/cache"});
  auto first = run(base, ctx);
  REQUIRE(first.code == 0);
  const auto pages = server.stats().billable;
  // Every page is final and cached: a second run is free, and its cap of
  // `pages` is never reached, though the client sees `pages` replies.
  auto second = run(plus(base, {"--max-requests", std::to_string(pages)}), ctx);
  INFO(second.err);
  CHECK(second.code == 0);
  CHECK(second.out == first.out);
  CHECK(server.stats().billable == pages);
  remove_tree(dir);
}

TEST_CASE("--resume after the real binary was killed (SIGKILL at page 5): the same file, fewer billable requests") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const auto base = report("2025-01-01", "2025-03-01", server);
  auto whole = run(plus(base, {"--output", dir + "/whole.csv"}), ctx);
  REQUIRE(whole.code == 0);
  const auto uninterrupted = server.stats().billable;

  const std::string out = dir + "/r.csv";
  std::vector<std::string> args(base.begin() + 0, base.end());
  args.insert(args.end(), {"--output", out});
  const int st = run_binary(args, {"FINOPS_CRAWLER_TEST_KILL_AT=page:5"}, dir + "/child.log");
  INFO(slurp(dir + "/child.log"));
  CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL));
  CHECK_FALSE(file_exists(out));
  REQUIRE(file_exists(resume_path(out)));
  CHECK(slurp(resume_path(out)).find("pages 5\n") != std::string::npos);
  const auto killed_requests = server.stats().billable - uninterrupted;
  CHECK(killed_requests == 5);

  const auto before = server.stats().billable;
  auto resumed = run(plus(base, {"--output", out, "--resume"}), ctx);
  INFO(resumed.err);
  REQUIRE(resumed.code == 0);
  CHECK(slurp(out) == slurp(dir + "/whole.csv"));
  CHECK(server.stats().billable - before == uninterrupted - 5);
  CHECK_FALSE(file_exists(resume_path(out)));
  CHECK_FALSE(file_exists(partial_path(out)));
  MESSAGE("killed at page 5 of " << uninterrupted << ": the resumed run sent " << server.stats().billable - before
                                 << " billable requests instead of " << uninterrupted);
  remove_tree(dir);
}

TEST_CASE("--resume with a damaged side file is refused before anything is sent; a new run replaces it") {
  sim::simulator server(small_pages());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::string out = dir + "/r.csv";
  { std::ofstream(resume_path(out)) << "finops-crawler-resume 1\nquery nothex\n"; }
  { std::ofstream(partial_path(out)) << "x\n"; }
  const auto base = plus(report("2025-01-01", "2025-01-11", server), {"--output", out});
  auto r = run(plus(base, {"--resume"}), ctx);
  CHECK(r.code == 2);
  CHECK(r.err.find("is not a resume file") != std::string::npos);
  CHECK(server.stats().requests == 0);
  CHECK(file_exists(resume_path(out)));
  // Without --resume the run starts over and replaces both.
  auto fresh = run(base, ctx);
  INFO(fresh.err);
  CHECK(fresh.code == 0);
  CHECK(fresh.err.find("starts over") != std::string::npos);
  CHECK(list_dir(dir).size() == 1);
  CHECK(slurp(out).compare(0, 13, "period_start,") == 0);
  remove_tree(dir);
}
