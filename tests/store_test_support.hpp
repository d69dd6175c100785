// Real databases for tests (issue 9). Not a test by itself.
//
// For every test that needs PostgreSQL (the store's, and the sync command's
// end-to-end tests): list the test's name in its suite's 'postgres' list in
// tests/meson.build. Meson then runs it under `pg_virtualenv -t` (Debian's
// postgresql-common), which starts a throw-away server of the newest
// installed PostgreSQL in a temporary directory (works as root), exports
// PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, and stops and deletes
// the server when the test exits. In the test, `store_test::postgres_database
// db;` gives a fresh empty database on that server (db.conninfo() for
// open_postgres_store, db.uri() for a postgresql:// URI), dropped at the end
// of the scope. Without the server (PGHOST unset) the fixture FAILS the test:
// the PostgreSQL tests never skip.
//
// SQLite: `store_test::temp_dir dir;` and dir.path() / "x.db".
#ifndef FINOPS_CRAWLER_TESTS_STORE_TEST_SUPPORT_HPP
#define FINOPS_CRAWLER_TESTS_STORE_TEST_SUPPORT_HPP

#include <doctest/doctest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace store_test {

/// A fresh directory under TMPDIR (or /tmp), removed with its contents.
class temp_dir {
 public:
  temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/finops-store-test.XXXXXX";
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path_ = templ;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs one SQL script on an SQLite file with the C API (tests' own access
/// to the database, independent of the store); REQUIREs success.
inline void sqlite_exec(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, msg);
}

/// The first column of the first row of `sql` on an SQLite file ("" when no row).
inline std::string sqlite_scalar(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE_MESSAGE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK, sqlite3_errmsg(db));
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

/// Whether the PostgreSQL server of pg_virtualenv is there; FAILs the test
/// with how to get it otherwise.
inline void require_postgres_server() {
  const char* host = std::getenv("PGHOST");
  REQUIRE_MESSAGE((host && *host),
                  "PGHOST is not set: this test needs the PostgreSQL server that tests/meson.build starts with "
                  "pg_virtualenv (install postgresql and postgresql-common: ./tools/dev.sh test does)");
}

/// Runs SQL on a connection string; REQUIREs success. Returns the first
/// column of the first row ("" when none).
inline std::string pg_exec(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  REQUIRE_MESSAGE(PQstatus(c) == CONNECTION_OK, PQerrorMessage(c));
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  const std::string err = PQresultErrorMessage(r);
  std::string out;
  if (st == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
  PQclear(r);
  PQfinish(c);
  REQUIRE_MESSAGE((st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK), err);
  return out;
}

/// A fresh, empty database on the pg_virtualenv server, dropped (with any
/// session still on it) at the end of the scope.
class postgres_database {
 public:
  postgres_database() {
    require_postgres_server();
    static std::atomic<int> counter{0};
    name_ = "finops_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    pg_exec("dbname=postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    pg_exec("dbname=postgres", "CREATE DATABASE " + name_);
  }
  postgres_database(const postgres_database&) = delete;
  postgres_database& operator=(const postgres_database&) = delete;
  ~postgres_database() {
    PGconn* c = PQconnectdb("dbname=postgres");
    if (PQstatus(c) == CONNECTION_OK) PQclear(PQexec(c, ("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str()));
    PQfinish(c);
  }

  const std::string& name() const noexcept { return name_; }
  /// key=value form: the database; host, port, user, password from PG* variables.
  std::string conninfo() const { return "dbname=" + name_; }
  /// postgresql://USER:PASSWORD@HOST:PORT/NAME with the password of PGPASSWORD.
  std::string uri() const {
    auto env = [](const char* k) { const char* v = std::getenv(k); return std::string(v ? v : ""); };
    return "postgresql://" + env("PGUSER") + ":" + env("PGPASSWORD") + "@" + env("PGHOST") + ":" + env("PGPORT") +
           "/" + name_;
  }

 private:
  std::string name_;
};

}  // namespace store_test

#endif  // FINOPS_CRAWLER_TESTS_STORE_TEST_SUPPORT_HPP
