// store/sqlite_store.hpp on real SQLite files in a temporary directory: the
// cost_store contract (store_contract.hpp) and SQLite's own failure modes.
#include "finops_crawler/store/sqlite_store.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <string>

#include "store_contract.hpp"
#include "store_test_support.hpp"

using namespace finops_crawler;

namespace {

class sqlite_target final : public store_contract::target {
 public:
  std::filesystem::path path() const { return dir_.path() / "costs.db"; }
  result<std::unique_ptr<store::cost_store>> try_open() override { return store::open_sqlite_store(path().string()); }
  std::unique_ptr<store::cost_store> open() override {
    auto s = store::open_sqlite_store(path().string());
    REQUIRE_MESSAGE(s, s.error().message);
    return std::move(*s);
  }
  std::string sql(const std::string& statement) override { return store_test::sqlite_scalar(path(), statement); }
  void fail_inserts_of(const std::string& group) override {
    store_test::sqlite_exec(path(), "CREATE TRIGGER fail_" + group + " BEFORE INSERT ON cost_rows WHEN NEW.group_1 = '" +
                                        group + "' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger: " + group +
                                        "'); END");
  }
  bool numeric_amounts() const override { return false; }

 private:
  store_test::temp_dir dir_;
};

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

/// Runs `fn` as an unprivileged user when root (root writes read-only files),
/// in a child process; returns what it wrote to the pipe.
std::string run_unprivileged(const std::function<std::string()>& fn) {
  if (::geteuid() != 0) return fn();
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string out = (::setgid(65534) == 0 && ::setuid(65534) == 0) ? fn() : "setuid failed";
    if (::write(fds[1], out.data(), out.size()) < 0) ::_exit(2);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  return out;
}

}  // namespace

TEST_CASE("sqlite store: schema created, reopened, a newer version refused") {
  sqlite_target t;
  store_contract::schema_created(t);
  CHECK(t.sql("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'cost_rows_by_%'") == "2");
  store_contract::newer_schema_refused(t, [&] { return store::open_sqlite_store(t.path().string()); });
}

TEST_CASE("sqlite store: programs opening a fresh database at once all get the one schema") {
  for (int round = 0; round < 3; ++round) {
    sqlite_target t;
    store_contract::concurrent_first_opens(t);
  }
}

TEST_CASE("sqlite store: amounts round trip as the exact text") {
  sqlite_target t;
  store_contract::exact_amounts(t);
  CHECK(t.sql("SELECT typeof(amount) FROM cost_rows LIMIT 1") == "text");
}

TEST_CASE("sqlite store: replace_periods inserts, updates, deletes exactly") {
  sqlite_target t;
  store_contract::replace_counts(t);
}

TEST_CASE("sqlite store: a failure in the middle of replace_periods keeps the old rows") {
  sqlite_target t;
  store_contract::atomic_replace(t);
}

TEST_CASE("sqlite store: invalid input is refused before any write") {
  sqlite_target t;
  store_contract::invalid_input_writes_nothing(t);
}

TEST_CASE("sqlite store: reports, runs, accounts; two reports do not collide") {
  sqlite_target t;
  store_contract::reports(t);
  store_contract::runs(t);
  store_contract::accounts(t);
  store_contract::reports_do_not_collide(t);
}

TEST_CASE("sqlite store: the report lock excludes another store, in this process and in another") {
  sqlite_target t;
  store_contract::lock_exclusion(t);
  CHECK(std::filesystem::exists(t.path().string() + ".lock"));

  // Another process: held there, refused here, free again once it exits.
  auto s = t.open();
  int ready[2], go[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(go) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto child = store::open_sqlite_store(t.path().string());
    auto l = child ? (*child)->lock_report("r", false) : result<store::report_lock>(errc::invalid_argument, "");
    const char c = (l && l->held()) ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    char x;
    if (::read(go[0], &x, 1) < 0) ::_exit(2);
    ::_exit(0);  // the lock dies with the process
  }
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  CHECK(c == 'y');
  CHECK_FALSE(s->lock_report("r", false)->held());
  CHECK(s->lock_report("another", false)->held());
  REQUIRE(::write(go[1], "x", 1) == 1);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(s->lock_report("r", false)->held());
  for (int fd : {ready[0], ready[1], go[0], go[1]}) ::close(fd);
}

TEST_CASE("sqlite store: a directory, a missing directory, a file that is not a database") {
  store_test::temp_dir dir;
  const auto junk = dir.path() / "notes.txt";
  std::ofstream(junk) << "these are not the tables you are looking for, padded to more than one page... "
                      << std::string(5000, 'x');
  const auto foreign = dir.path() / "foreign.db";
  store_test::sqlite_exec(foreign, "CREATE TABLE invoices (id INTEGER)");
  store_contract::check_refused_opens(
      {
          {"a directory", dir.path().string(), errc::invalid_argument,
           {"is a directory, not a database file", (dir.path() / "finops-crawler.db").string()}, {}},
          {"a missing directory", (dir.path() / "no-such-dir" / "x.db").string(), errc::invalid_argument,
           {"does not exist"}, {}},
          {"a file that is not a database", junk.string(), errc::invalid_argument, {"is not an SQLite database"}, {}},
          {"another program's SQLite database", foreign.string(), errc::invalid_argument,
           {"not a finops-crawler database"}, {}},
          {"no path", "", errc::invalid_argument, {}, {}},
          {"an in-memory database", ":memory:", errc::invalid_argument, {}, {}},
      },
      [](const std::string& path) { return store::open_sqlite_store(path); });
  // Another program's database was refused, not written into.
  CHECK(store_test::sqlite_scalar(foreign, "SELECT count(*) FROM sqlite_master") == "1");
}

TEST_CASE("sqlite store: a read-only file opens and reads, and fails on the first write with a clear message") {
  store_test::temp_dir dir;
  const auto path = dir.path() / "ro.db";
  {
    auto s = store::open_sqlite_store(path.string());
    REQUIRE(s);
    store_contract::create(**s, "r");
  }
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  std::filesystem::permissions(path, std::filesystem::perms(0444));
  const std::string out = run_unprivileged([&]() -> std::string {
    auto s = store::open_sqlite_store(path.string());
    if (!s) return "open failed: " + s.error().message;
    auto rep = (*s)->find_report("r");
    if (!rep || !rep->has_value()) return "read failed";
    auto run = (*s)->begin_run("r", store_contract::ts1);
    if (run) return "write succeeded";
    return std::to_string(static_cast<int>(run.error().code)) + "|" + run.error().message;
  });
  CAPTURE(out);
  REQUIRE(out.find('|') != std::string::npos);
  CHECK(out.substr(0, out.find('|')) == std::to_string(static_cast<int>(errc::invalid_argument)));
  CHECK(has(out, "readonly"));
  CHECK(has(out, "not writable"));
  CHECK(has(out, path.string()));
}

TEST_CASE("sqlite store: two stores write one file at once without losing rows") {
  sqlite_target t;
  { auto s = t.open(); store_contract::create(*s, "a"); store_contract::create(*s, "b"); }
  std::atomic<int> failures{0};
  auto writer = [&](const std::string& report) {
    auto s = t.open();
    for (int day = 1; day <= 28; ++day) {
      store_contract::row_set rows;
      const std::string d = (day < 10 ? "2026-02-0" : "2026-02-") + std::to_string(day);
      const auto periods = store_contract::days({d.c_str()});
      for (int g = 0; g < 50; ++g) rows.add(d, periods[0].period_end, "svc" + std::to_string(g), report, "UnblendedCost", "1.5");
      const auto views = rows.views();
      if (!s->replace_periods(report, periods, views, store_contract::ts1)) ++failures;
    }
  };
  std::thread ta(writer, "a"), tb(writer, "b");
  ta.join();
  tb.join();
  CHECK(failures.load() == 0);
  CHECK(t.sql("SELECT count(*) FROM cost_rows WHERE report = 'a'") == "1400");
  CHECK(t.sql("SELECT count(*) FROM cost_rows WHERE report = 'b'") == "1400");
}
