// finops-crawler sync end to end into PostgreSQL: a real server (started by
// tests/with_postgres.sh through pg_virtualenv; without it the test FAILS),
// real libcurl against the simulator with faults on. The 75-day sync equal
// to the truth row for row, the same-day rerun, time moving on with
// revised amounts, two concurrent syncs paid once, and a wrong password and
// an unreachable server refused before any billable request.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store_test_support.hpp"
#include "sync_test_support.hpp"

using namespace finops_crawler;
using sim_test::has;

TEST_CASE("sync into PostgreSQL: 75 days equal the truth; rerun; time moves on with revised amounts") {
  store_test::postgres_database pg;
  const std::string db = pg.uri();
  {
    sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75));
    const auto& ds = s.sim.data();
    const std::string today = sync_test::sim_today(ds);
    auto first = sync_test::sync_in_process(db, s.sim.endpoint_url(), today, {"--start", sync_test::first_day});
    INFO(first.err);
    REQUIRE(first.code == 0);
    CHECK_FALSE(has(first.err, std::getenv("PGPASSWORD") ? std::getenv("PGPASSWORD") : "\x01"));
    const auto want = sync_test::truth(ds, sync_test::first_day, today);
    sync_test::check_equal(sync_test::stored(db), want);
    CHECK(store_test::pg_exec(pg.conninfo(), "SELECT count(*) FROM cost_rows") == std::to_string(want.size()));
    CHECK(store_test::pg_exec(pg.conninfo(), "SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1") == "ok");
    const auto billed_first = s.sim.stats().billable;

    auto second = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
    INFO(second.err);
    REQUIRE(second.code == 0);
    CHECK(has(second.err, "2 chunks, 44 periods to fetch"));
    CHECK(has(second.err, "rows: 0 inserted, 0 updated, 0 deleted"));
    CHECK(s.sim.stats().billable - billed_first < billed_first);
    sync_test::check_equal(sync_test::stored(db), want);
  }
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75 + 10, 1));
  const std::string today = sync_test::sim_today(s.sim.data());
  auto moved = sync_test::sync_in_process(db, s.sim.endpoint_url(), today);
  INFO(moved.err);
  REQUIRE(moved.code == 0);
  CHECK_FALSE(has(moved.err, " 0 deleted"));
  sync_test::check_equal(sync_test::stored(db), sync_test::truth(s.sim.data(), sync_test::first_day, today));
  CHECK(store_test::pg_exec(pg.conninfo(), "SELECT min(period_start)::text FROM cost_rows WHERE estimated") ==
        "2026-03-26");
}

TEST_CASE("sync into PostgreSQL: two concurrent syncs, paid once; bad server inputs cost nothing") {
  store_test::postgres_database pg;
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.05, 1000000));
  const auto& ds = s.sim.data();
  const std::string today = sync_test::sim_today(ds);
  store_test::temp_dir dir;

  // A wrong password, and a server that is not there.
  std::string wrong = pg.uri();
  const char* pw = std::getenv("PGPASSWORD");
  REQUIRE((pw && *pw));
  wrong.replace(wrong.find(pw), std::string(pw).size(), "not-the-password");
  auto bad = sync_test::sync_in_process(wrong, s.sim.endpoint_url(), today, {"--start", sync_test::first_day});
  INFO(bad.err);
  CHECK(bad.code == 3);
  CHECK_FALSE(has(bad.err, "not-the-password"));
  CHECK_FALSE(has(bad.err, pw));
  auto gone = sync_test::sync_in_process("postgres://nobody@127.0.0.1:1/none", s.sim.endpoint_url(), today,
                                         {"--start", sync_test::first_day});
  CHECK(gone.code == 5);
  CHECK(s.sim.stats().billable == 0);

  // The schema exists: the two runs meet at the report lock.
  REQUIRE(cli::open_database(pg.uri()));
  const std::vector<std::string> args{"--start", sync_test::first_day};
  const std::vector<std::string> env{"FINOPS_CRAWLER_TEST_LOCK_HOLD_MS=700",
                                     std::string("PGPASSWORD=") + pw};
  auto a = sync_test::start_sync(pg.uri(), s.sim.endpoint_url(), today, (dir.path() / "a.txt").string(), args, env);
  auto b = sync_test::start_sync(pg.uri(), s.sim.endpoint_url(), today, (dir.path() / "b.txt").string(), args, env);
  REQUIRE(a.wait());
  REQUIRE(b.wait());
  INFO(a.err());
  INFO(b.err());
  CHECK(a.exit_code() == 0);
  CHECK(b.exit_code() == 0);
  CHECK(s.sim.stats().billable == 3);
  sync_test::check_equal(sync_test::stored(pg.uri()), sync_test::truth(ds, sync_test::first_day, today));
}

TEST_CASE("sync into PostgreSQL: two first syncs on a fresh database create the schema once and pay once") {
  store_test::postgres_database pg;
  sim_test::running_simulator s(sync_test::sim_options(sync_test::days_for_75, 0, 0.0, 1000000));
  const std::string today = sync_test::sim_today(s.sim.data());
  store_test::temp_dir dir;
  const char* pw = std::getenv("PGPASSWORD");
  REQUIRE((pw && *pw));
  const std::vector<std::string> args{"--start", sync_test::first_day};
  const std::vector<std::string> env{std::string("PGPASSWORD=") + pw};
  auto a = sync_test::start_sync(pg.uri(), s.sim.endpoint_url(), today, (dir.path() / "a.txt").string(), args, env);
  auto b = sync_test::start_sync(pg.uri(), s.sim.endpoint_url(), today, (dir.path() / "b.txt").string(), args, env);
  REQUIRE(a.wait());
  REQUIRE(b.wait());
  INFO(a.err());
  INFO(b.err());
  CHECK(a.exit_code() == 0);
  CHECK(b.exit_code() == 0);
  CHECK(s.sim.stats().billable <= 3 + 2);  // at most the non-final months twice when the runs did not overlap
  sync_test::check_equal(sync_test::stored(pg.uri()), sync_test::truth(s.sim.data(), sync_test::first_day, today));
}
