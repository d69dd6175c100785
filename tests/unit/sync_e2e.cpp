// finops-crawler sync end to end into SQLite: real libcurl against the
// simulator with faults on, the real SQLite library. A 75-day DAILY sync by
// SERVICE and LINKED_ACCOUNT equal to the ground truth row for row; a
// second run the same day fetches only the non-final months; after time
// moved on and recent amounts were revised the table equals the new truth
// (no stale estimated value, no vanished group); --dry-run and
// --max-requests; the real binary killed with SIGKILL at several points and
// rerun; two concurrent syncs; every bad input refused with zero billable
// requests (the simulator's counter).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store_test_support.hpp"
#include "sync_test_support.hpp"

using namespace finops_crawler;
using sim_test::has;
using sync_test::row;

namespace {

std::string db_in(const store_test::temp_dir& dir, const char* name = "costs.db") {
  return (dir.path() / name).string();
}

}  // namespace

TEST_CASE("sync: 75 days into SQLite equal the truth; the same day again fetches only the non-final months") {
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  REQUIRE(today == "2026-03-17");
  store_test::temp_dir dir;
  const std::string db = db_in(dir);

  auto first = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--start", sync_test::first_day});
  INFO(first.err);
  REQUIRE(first.code == 0);
  const auto billed_first = s.sim.stats().billable;
  CHECK(billed_first >= 3);  // three month chunks, small pages
  CHECK(has(first.err, "3 chunks, 75 periods to fetch"));
  CHECK(has(first.err, "sync default: " + std::to_string(billed_first) + " billable requests"));
  CHECK(has(first.err, "0 chunks left"));
  CHECK(s.sim.stats().faults[0] + s.sim.stats().faults[2] + s.sim.stats().faults[4] > 0);  // faults did happen

  const auto want = sync_test::truth(ds, sync_test::first_day, today);
  REQUIRE(want.size() > 3000);
  sync_test::check_equal(sync_test::stored(db), want);
  CHECK(store_test::sqlite_scalar(db, "SELECT count(*) FROM cost_rows") == std::to_string(want.size()));
  CHECK(store_test::sqlite_scalar(db, "SELECT status || ' ' || billable_requests FROM sync_runs ORDER BY id DESC") ==
        "ok " + std::to_string(billed_first));
  CHECK(store_test::sqlite_scalar(db, "SELECT payer_account_id FROM reports WHERE name = 'default'") ==
        ds.accounts()[0].id);
  CHECK(store_test::sqlite_scalar(db, "SELECT count(*) FROM accounts") == "5");

  // The same day: January is final and not fetched again; February and March are.
  auto second = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
  INFO(second.err);
  REQUIRE(second.code == 0);
  const auto billed_second = s.sim.stats().billable - billed_first;
  CHECK(billed_second > 0);
  CHECK(billed_second < billed_first);
  CHECK(has(second.err, "2 chunks, 44 periods to fetch"));
  CHECK(has(second.err, "chunk 2026-02-01 to 2026-03-01"));
  CHECK_FALSE(has(second.err, "chunk 2026-01"));
  CHECK(has(second.err, "(from the last run's pages)"));
  CHECK(has(second.err, "rows: 0 inserted, 0 updated, 0 deleted"));
  sync_test::check_equal(sync_test::stored(db), want);

  // --dry-run: the plan, nothing sent, nothing written.
  const std::string runs_before = store_test::sqlite_scalar(db, "SELECT count(*) FROM sync_runs");
  const auto requests_before = s.sim.stats().requests;
  auto dry = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--dry-run"});
  CHECK(dry.code == 0);
  CHECK(has(dry.err, "2 chunks, 44 periods to fetch"));
  CHECK(has(dry.err, "dry run: nothing sent to Cost Explorer"));
  CHECK(s.sim.stats().billable == billed_first + billed_second);
  CHECK(s.sim.stats().requests - requests_before <= 1);  // STS GetCallerIdentity only (free)
  CHECK(store_test::sqlite_scalar(db, "SELECT count(*) FROM sync_runs") == runs_before);
}

TEST_CASE("sync: --dry-run on a new SQLite file prints a first sync's plan and leaves no file behind") {
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75));
  const std::string today = sync_test::sim_today(s.sim.data());
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  auto dry = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--start", sync_test::first_day, "--dry-run"});
  INFO(dry.err);
  CHECK(dry.code == 0);
  CHECK(has(dry.err, "3 chunks, 75 periods to fetch"));
  CHECK(has(dry.err, "dry run: nothing sent to Cost Explorer, nothing written to SQLite database " + db));
  CHECK(s.sim.stats().billable == 0);
  // Nothing at all in the directory: no database, no journal, no lock file.
  std::string left;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) left += e.path().filename().string() + " ";
  CHECK_MESSAGE(left.empty(), "left behind: " << left);
}

TEST_CASE("sync: time moves on and recent days are revised; the table equals the new truth") {
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  std::vector<row> old_truth;
  {
    sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75));
    auto r = sync_test::sync_in_process(db, s.sim.endpoint_url(), sync_test::sim_today(s.sim.data()),
                                        {"--start", sync_test::first_day});
    INFO(r.err);
    REQUIRE(r.code == 0);
    old_truth = sync_test::truth(s.sim.data(), sync_test::first_day, sync_test::sim_today(s.sim.data()));
  }
  // Ten days later; February and March revised (amounts, vanished and new groups).
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75 + 10, 1));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  REQUIRE(today == "2026-03-27");
  auto r = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(has(r.err, "2 chunks, 54 periods to fetch"));

  const auto want = sync_test::truth(ds, sync_test::first_day, today);
  // The revision must really have changed things, or this test proves nothing.
  const auto old_part = sync_test::only_days(old_truth, sync_test::days_of(old_truth));
  const auto new_part = sync_test::only_days(want, sync_test::days_of(old_truth));
  REQUIRE(old_part != new_part);
  std::size_t vanished = 0;
  for (const auto& o : old_part) {
    bool found = false;
    for (const auto& n : new_part)
      if (std::get<0>(n) == std::get<0>(o) && std::get<2>(n) == std::get<2>(o) && std::get<3>(n) == std::get<3>(o)) {
        found = true;
        break;
      }
    if (!found) ++vanished;
  }
  CHECK(vanished > 0);
  CHECK(has(r.err, "updated"));
  CHECK_FALSE(has(r.err, " 0 deleted"));

  sync_test::check_equal(sync_test::stored(db), want);
  // No estimated value is left from the first run: only the simulator's
  // two most recent days are Estimated now.
  CHECK(store_test::sqlite_scalar(db, "SELECT min(period_start) FROM cost_rows WHERE estimated = 1") == "2026-03-26");
}

TEST_CASE("sync: --max-requests stops before the request that would exceed it; the next run continues") {
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.1, 300));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  auto part = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--start", sync_test::first_day,
                                                                           "--max-requests", "4"});
  INFO(part.err);
  CHECK(part.code == 6);
  CHECK(s.sim.stats().billable <= 4);
  CHECK(has(part.err, "chunks left"));
  CHECK_FALSE(has(part.err, " 0 chunks left"));
  CHECK(has(part.err, "stopped by --max-requests"));
  CHECK(store_test::sqlite_scalar(db, "SELECT status FROM sync_runs ORDER BY id DESC") == "partial");
  // What was committed is whole periods of the truth.
  const auto want = sync_test::truth(ds, sync_test::first_day, today);
  const auto got = sync_test::stored(db);
  REQUIRE_FALSE(got.empty());
  sync_test::check_equal(got, sync_test::only_days(want, sync_test::days_of(got)));

  auto rest = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
  INFO(rest.err);
  CHECK(rest.code == 0);
  sync_test::check_equal(sync_test::stored(db), want);
}

TEST_CASE("sync: the real binary killed with SIGKILL at several points, then rerun: equal to the truth") {
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.05, 200));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  const auto want = sync_test::truth(ds, sync_test::first_day, today);
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  const std::string log = (dir.path() / "err.txt").string();
  // Before the first commit, inside a chunk, after one commit, inside the last chunk.
  for (const char* point : {"page:1", "page:4", "commit:1", "page:3", "commit:1"}) {
    CAPTURE(point);
    auto c = sync_test::start_sync(db, s.sim.endpoint_url(), today, log, {"--start", sync_test::first_day},
                                   {std::string("FINOPS_CRAWLER_TEST_KILL_AT=") + point});
    REQUIRE(c.wait());
    INFO(c.err());
    CHECK(c.killed());
    // Whatever is stored is whole periods of the truth, each row once.
    const auto got = sync_test::stored(db);
    sync_test::check_equal(got, sync_test::only_days(want, sync_test::days_of(got)));
    CHECK(store_test::sqlite_scalar(db, "SELECT count(*) FROM (SELECT 1 FROM cost_rows GROUP BY report, period_start, "
                                        "group_1, group_2, metric HAVING count(*) > 1)") == "0");
  }
  auto c = sync_test::start_sync(db, s.sim.endpoint_url(), today, log, {"--start", sync_test::first_day});
  REQUIRE(c.wait());
  INFO(c.err());
  CHECK(c.exit_code() == 0);
  sync_test::check_equal(sync_test::stored(db), want);
}

TEST_CASE("sync: two concurrent syncs into one database: equal to the truth, paid once") {
  // One page per chunk, so a single sync is exactly three billable requests.
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.05, 1000000));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  const std::vector<std::string> args{"--start", sync_test::first_day};
  const std::vector<std::string> hold{"FINOPS_CRAWLER_TEST_LOCK_HOLD_MS=700"};
  auto a = sync_test::start_sync(db, s.sim.endpoint_url(), today, (dir.path() / "a.txt").string(), args, hold);
  auto b = sync_test::start_sync(db, s.sim.endpoint_url(), today, (dir.path() / "b.txt").string(), args, hold);
  REQUIRE(a.wait());
  REQUIRE(b.wait());
  INFO(a.err());
  INFO(b.err());
  CHECK(a.exit_code() == 0);
  CHECK(b.exit_code() == 0);
  CHECK(s.sim.stats().billable == 3);
  CHECK((has(a.err(), "sync default: 0 billable requests") || has(b.err(), "sync default: 0 billable requests")));
  sync_test::check_equal(sync_test::stored(db), sync_test::truth(ds, sync_test::first_day, today));
}

TEST_CASE("sync: every bad input exits with a clear message and zero billable requests") {
  sim::options o = sync_test::sim_options(sync_test::days_for_75, 0, 0.0);
  sim::credential main, other;
  main.access_key_id = std::string(sim::default_access_key_id);
  main.secret_access_key = std::string(sim::default_secret_access_key);
  other.access_key_id = "AKIAFINOPSSIMOTHER01";
  other.secret_access_key = "otherSimulatorSecretKey000000000000EXAMPLE";
  other.account_id = sim::generate_accounts(o.data.seed, o.data.account_count)[1].id;
  o.credentials = {main, other};
  sim_test::running_simulator s(o);
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  const std::string url = s.sim.endpoint_url();
  store_test::temp_dir dir;
  auto billable = [&] { return s.sim.stats().billable; };

  struct bad {
    std::vector<std::string> args;
    int code;
    const char* message;
  };
  const std::string db = db_in(dir);
  const std::vector<bad> cases = {
      {{"--db", db}, 2, "first sync needs a period start"},
      {{"--db", db, "--start", "2026-01-01", "--granularity", "HOURLY"}, 2, "HOURLY cannot be synced"},
      {{"--db", db, "--start", "2026-01-01", "--group-by", "SERVICE", "--group-by", "REGION", "--group-by",
        "USAGE_TYPE"}, 2, "at most two"},
      {{"--db", db, "--start", "2026-01-01", "--max-requests", "0"}, 2, "--max-requests 0"},
      {{"--db", db, "--start", "2026-01-01", "--metric", "unblendedcost"}, 2, "UnblendedCost"},
      {{"--db", db, "--start", "2026-02-30"}, 2, "--start"},
      {{"--db", db, "--start", "2026-03-20"}, 2, "not before today"},
      {{"--db", dir.path().string(), "--start", "2026-01-01"}, 2, "directory"},
      {{"--db", "postgresql://finops@127.0.0.1:1/finops", "--start", "2026-01-01"}, 5, "127.0.0.1"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"sync", "--endpoint-url", url, "--today", today};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CAPTURE(args.back());
    sync_test::cli_env e(today);
    auto r = cli_test::run(args, e.ctx);
    INFO(r.err);
    CHECK(r.code == c.code);
    CHECK(has(r.err, c.message));
    CHECK(billable() == 0);
  }

  // A schema from a newer version.
  const std::string newer = db_in(dir, "newer.db");
  REQUIRE(cli::open_database(newer));
  store_test::sqlite_exec(newer, "UPDATE schema_version SET version = 99");
  auto r = sync_test::sync_in_process(newer, url, today, {"--start", "2026-01-01"});
  CHECK(r.code == 2);
  CHECK(has(r.err, "99"));
  CHECK(billable() == 0);

  // A read-only file fails on its first write, before any request (as nobody:
  // root writes read-only files).
  const std::string ro = db_in(dir, "ro.db");
  REQUIRE(cli::open_database(ro));
  REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
  REQUIRE(::chmod(ro.c_str(), 0444) == 0);
  {
    // The lock beside the database is not the database: it stays writable.
    std::ofstream lock(ro + ".lock");
  }
  REQUIRE(::chmod((ro + ".lock").c_str(), 0666) == 0);
  auto c = sync_test::start_sync(ro, url, today, (dir.path() / "ro.txt").string() + "", {"--start", "2026-01-01"}, {},
                                 true);
  REQUIRE(c.wait());
  INFO(c.err());
  CHECK(c.exit_code() == 2);
  CHECK(has(c.err(), "readonly"));
  CHECK(billable() == 0);

  // Contradicting flags show both definitions; another payer is refused naming both accounts.
  auto ok = sync_test::sync_in_process(db, url, today, {"--start", "2026-03-10"});
  REQUIRE(ok.code == 0);
  const auto paid = billable();
  auto contra = sync_test::sync_in_process(db, url, today, {"--granularity", "MONTHLY"});
  CHECK(contra.code == 2);
  CHECK(has(contra.err, "flags:  MONTHLY"));
  CHECK(has(contra.err, "stored: DAILY"));
  CHECK(billable() == paid);

  sync_test::cli_env e(today);
  e.env = aws::map_environment{{"AWS_ACCESS_KEY_ID", other.access_key_id},
                               {"AWS_SECRET_ACCESS_KEY", other.secret_access_key},
                               {"AWS_CONFIG_FILE", "/nonexistent/finops-cli-test/config"},
                               {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/finops-cli-test/credentials"}};
  auto payer = cli_test::run({"sync", "--db", db, "--endpoint-url", url, "--today", today}, e.ctx);
  INFO(payer.err);
  CHECK(payer.code == 2);
  CHECK(has(payer.err, ds.accounts()[0].id));
  CHECK(has(payer.err, "another --report name"));
  CHECK(billable() == paid);
  // The other payer under its own report name is fine.
  auto own = cli_test::run({"sync", "--db", db, "--endpoint-url", url, "--today", today, "--report", "other",
                            "--start", "2026-03-10"}, e.ctx);
  CHECK(own.code == 0);
}

TEST_CASE("demo --db FILE: the demo organization synced into SQLite, and queries to paste") {
  store_test::temp_dir dir;
  const std::string db = db_in(dir, "demo.db");
  aws::map_environment env;
  cli::cli_context ctx = cli_test::test_context(env, cli::today_utc());
  ctx.today.reset();
  auto r = cli_test::run({"demo", "--days", "40", "--db", db}, ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "sqlite3 " + db + " \"SELECT period_start"));
  CHECK(has(r.out, "LEFT JOIN accounts"));
  CHECK(has(r.err, "0 chunks left"));
  CHECK(std::stoi(store_test::sqlite_scalar(db, "SELECT count(DISTINCT period_start) FROM cost_rows")) >= 38);
  CHECK(store_test::sqlite_scalar(db, "SELECT status FROM sync_runs") == "ok");
}

TEST_CASE("sync: exact counters with one page per month: 3, then 2 (non-final only), then 3 with --refresh-final") {
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.1, 1000000));
  const std::string today = sync_test::sim_today(s.sim.data());
  store_test::temp_dir dir;
  const std::string db = db_in(dir);
  auto first = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--start", sync_test::first_day});
  REQUIRE(first.code == 0);
  CHECK(s.sim.stats().billable == 3);
  auto second = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
  REQUIRE(second.code == 0);
  CHECK(s.sim.stats().billable == 3 + 2);
  CHECK(has(second.err, "~2 billable requests expected"));  // from the first run's pages
  auto all = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--refresh-final"});
  REQUIRE(all.code == 0);
  CHECK(s.sim.stats().billable == 3 + 2 + 3);
  CHECK(has(all.err, "3 chunks, 75 periods to fetch"));
  sync_test::check_equal(sync_test::stored(db), sync_test::truth(s.sim.data(), sync_test::first_day, today));
}
