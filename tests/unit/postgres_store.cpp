// store/postgres_store.hpp on a real PostgreSQL server, started for this test
// by tests/with_postgres.sh (pg_virtualenv; see tests/store_test_support.hpp):
// the cost_store contract (store_contract.hpp) and PostgreSQL's own failure
// modes (unreachable server, wrong password, a malformed URI).
#include "finops_crawler/store/postgres_store.hpp"

#include <doctest/doctest.h>

#include <string>

#include "loopback_listener.hpp"
#include "store_contract.hpp"
#include "store_test_support.hpp"

using namespace finops_crawler;

namespace {

class postgres_target final : public store_contract::target {
 public:
  result<std::unique_ptr<store::cost_store>> try_open() override { return store::open_postgres_store(db_.conninfo()); }
  std::unique_ptr<store::cost_store> open() override {
    auto s = store::open_postgres_store(db_.conninfo());
    REQUIRE_MESSAGE(s, s.error().message);
    return std::move(*s);
  }
  std::string sql(const std::string& statement) override { return store_test::pg_exec(db_.conninfo(), statement); }
  void fail_inserts_of(const std::string& group) override {
    sql("CREATE FUNCTION fail_" + group + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'refused by the test trigger: " + group + "'; END $$");
    sql("CREATE TRIGGER fail_" + group + " BEFORE INSERT ON cost_rows FOR EACH ROW WHEN (NEW.group_1 = '" + group +
        "') EXECUTE FUNCTION fail_" + group + "()");
  }
  bool numeric_amounts() const override { return true; }
  const store_test::postgres_database& db() const { return db_; }

 private:
  store_test::postgres_database db_;
};

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

std::string env(const char* k) {
  const char* v = std::getenv(k);
  return v ? v : "";
}

/// A TCP port on 127.0.0.1 where nothing listens (listened on, then closed).
int closed_port() {
  loopback::listener l;
  return l.port();
}

}  // namespace

TEST_CASE("postgres store: the server is there (these tests never skip)") {
  store_test::require_postgres_server();
  CHECK_FALSE(env("PGPASSWORD").empty());
}

TEST_CASE("postgres store: schema created, reopened, a newer version refused") {
  postgres_target t;
  store_contract::schema_created(t);
  CHECK(t.sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'cost_rows' AND "
              "column_name = 'amount'") == "numeric");
  CHECK(t.sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'cost_rows' AND "
              "column_name = 'period_start'") == "date");
  CHECK(t.sql("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'cost_rows_by_%'") == "2");
  store_contract::newer_schema_refused(t, [&] { return store::open_postgres_store(t.db().conninfo()); });
}

TEST_CASE("postgres store: programs opening a fresh database at once all get the one schema") {
  for (int round = 0; round < 3; ++round) {
    postgres_target t;
    store_contract::concurrent_first_opens(t);
  }
}

TEST_CASE("postgres store: numeric amounts round trip as the exact text AWS sent") {
  postgres_target t;
  store_contract::exact_amounts(t);
}

TEST_CASE("postgres store: replace_periods inserts, updates, deletes exactly") {
  postgres_target t;
  store_contract::replace_counts(t);
}

TEST_CASE("postgres store: a failure in the middle of replace_periods keeps the old rows") {
  postgres_target t;
  store_contract::atomic_replace(t);
}

TEST_CASE("postgres store: invalid input is refused before any write") {
  postgres_target t;
  store_contract::invalid_input_writes_nothing(t);
}

TEST_CASE("postgres store: reports, runs, accounts; two reports do not collide") {
  postgres_target t;
  store_contract::reports(t);
  store_contract::runs(t);
  store_contract::accounts(t);
  store_contract::reports_do_not_collide(t);
}

TEST_CASE("postgres store: the report lock (an advisory lock) excludes another session") {
  postgres_target t;
  store_contract::lock_exclusion(t);
}

TEST_CASE("postgres store: text with tabs, newlines and backslashes goes through COPY unchanged") {
  postgres_target t;
  auto s = t.open();
  store_contract::create(*s, "r");
  store_contract::row_set rows;
  rows.add("2026-01-01", "2026-01-02", "a\tb\nc\\d\re", "ü ✓ 'quoted'", "UnblendedCost", "1");
  rows.add("2026-01-01", "2026-01-02", "\\N", "", "UnblendedCost", "2");  // COPY's NULL marker, as text
  store_contract::replace(*s, "r", store_contract::days({"2026-01-01"}), rows);
  CHECK(store_contract::read_all(*s, "r") == rows.expected());
  rows.data[0][5] = "3";  // an update goes through the staging table
  auto c = store_contract::replace(*s, "r", store_contract::days({"2026-01-01"}), rows);
  CHECK(c.updated == 1);
  CHECK(store_contract::read_all(*s, "r") == rows.expected());
}

TEST_CASE("postgres store: a URI with the password works, and its description has no password") {
  postgres_target t;
  auto s = store::open_postgres_store(t.db().uri());
  REQUIRE_MESSAGE(s, s.error().message);
  const auto d = (*s)->description();
  CAPTURE(d);
  CHECK(has(d, "PostgreSQL database " + t.db().name()));
  CHECK(has(d, "as " + env("PGUSER")));
  CHECK_FALSE(has(d, env("PGPASSWORD")));
}

TEST_CASE("postgres store: connections refused: wrong password, malformed URI, no server, no database") {
  postgres_target t;
  const std::string wrong = "Wr0ng-Pa55word-never-printed";
  const std::string server = env("PGHOST") + ":" + env("PGPORT");
  const std::string no_server_port = std::to_string(closed_port());
  store_contract::check_refused_opens(
      {
          {"a wrong password in a URI", "postgresql://" + env("PGUSER") + ":" + wrong + "@" + server + "/" + t.db().name(),
           errc::no_credentials, {"password authentication failed"}, {wrong}},
          {"a wrong password in keyword=value form",
           "host=" + env("PGHOST") + " port=" + env("PGPORT") + " user=" + env("PGUSER") + " password=" + wrong +
               " dbname=" + t.db().name(),
           errc::no_credentials, {"password authentication failed"}, {wrong}},
          // A percent-encoded password in a malformed URI is not echoed either.
          {"a malformed URI", "postgresql://u:" + wrong + "%zz@localhost:1/x?nonsense=1", errc::invalid_argument, {},
           {wrong}},
          {"an unreachable server", "postgresql://nobody:secret-pw@127.0.0.1:" + no_server_port + "/x", errc::transport,
           {"127.0.0.1", no_server_port, "cannot connect"}, {"secret-pw"}},
          {"a database that does not exist", "dbname=finops_no_such_database", errc::invalid_argument,
           {"does not exist"}, {}},
      },
      [](const std::string& conninfo) { return store::open_postgres_store(conninfo); });
}

TEST_CASE("postgres store: a lost session fails with errc::transport, and the next call reconnects") {
  postgres_target t;
  auto s = t.open();
  store_contract::create(*s, "r");
  store_contract::row_set rows;
  rows.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "1.5");
  const auto views = rows.views();
  // The server ends every other session on the database (the store's).
  t.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND "
        "pid <> pg_backend_pid()");
  auto lost = s->replace_periods("r", store_contract::days({"2026-01-01"}), views, store_contract::ts1);
  REQUIRE_FALSE(lost);
  CAPTURE(lost.error().message);
  CHECK(lost.error().code == errc::transport);
  CHECK(lost.error().retryable);
  auto retried = s->replace_periods("r", store_contract::days({"2026-01-01"}), views, store_contract::ts1);
  REQUIRE_MESSAGE(retried, retried.error().message);
  CHECK(retried->inserted == 1);
  CHECK(store_contract::read_all(*s, "r") == rows.expected());
}
