// The cost_store contract, checked the same way on SQLite and PostgreSQL
// (tests/unit/sqlite_store.cpp, tests/unit/postgres_store.cpp). Each check
// takes a `target`: a fresh, empty database it can open stores on and run
// its own SQL against (independently of the store).
#ifndef FINOPS_CRAWLER_TESTS_STORE_CONTRACT_HPP
#define FINOPS_CRAWLER_TESTS_STORE_CONTRACT_HPP

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "finops_crawler/store/cost_store.hpp"

namespace store_contract {

namespace fc = finops_crawler;
using fc::store::cost_store;

/// One empty database of one kind.
class target {
 public:
  virtual ~target() = default;
  /// A new store (a new connection) on the database; REQUIREs success.
  virtual std::unique_ptr<cost_store> open() = 0;
  /// The same without REQUIRE (for other threads).
  virtual fc::result<std::unique_ptr<cost_store>> try_open() = 0;
  /// Runs SQL with the database's own client library; returns the first
  /// column of the first row ("" when none).
  virtual std::string sql(const std::string& statement) = 0;
  /// Makes every later insert of a cost row with group_1 = `group` fail
  /// inside the database (a trigger): a failure in the middle of a write.
  virtual void fail_inserts_of(const std::string& group) = 0;
  /// Whether `amount` is stored as PostgreSQL numeric (negative zero is not kept).
  virtual bool numeric_amounts() const = 0;
};

inline bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

/// One way opening a store must fail (each database's table of them is in
/// its test file): the code, what the message must say, and what neither the
/// message nor describe() may show (a password).
struct refused_open {
  std::string what;  // the case, shown when it fails
  std::string target;  // the path or conninfo given to the store's open function
  fc::errc code;
  std::vector<std::string> says;
  std::vector<std::string> never_shows;
};

/// Checks each case of `cases` against `open(target)`.
template <class Open>
void check_refused_opens(const std::vector<refused_open>& cases, Open open) {
  for (const refused_open& c : cases) {
    CAPTURE(c.what);
    auto r = open(c.target);
    REQUIRE_FALSE(r);
    const std::string message = r.error().message;
    const std::string described = r.error().describe();
    CAPTURE(message);
    CHECK(r.error().code == c.code);
    for (const std::string& needle : c.says) {
      CAPTURE(needle);
      CHECK(has(message, needle));
    }
    for (const std::string& secret : c.never_shows) {
      CHECK_FALSE(has(message, secret));
      CHECK_FALSE(has(described, secret));
    }
  }
}

/// Rows as a comparable map: key -> (amount, unit, estimated, period_end).
using row_map = std::map<std::tuple<std::string, std::string, std::string, std::string>,
                         std::tuple<std::string, std::string, bool, std::string>>;

inline row_map read_all(cost_store& s, const std::string& report) {
  auto rows = s.read_rows(report, "1900-01-01", "2999-01-01");
  REQUIRE_MESSAGE(rows, rows.error().message);
  row_map out;
  for (const auto& r : *rows)
    out[{r.period_start, r.group_1, r.group_2, r.metric}] = {r.amount, r.unit, r.estimated, r.period_end};
  return out;
}

/// Owned rows that store_row views point into.
struct row_set {
  std::vector<std::vector<std::string>> data;  // start, end, g1, g2, metric, amount, unit
  std::vector<bool> estimated;

  void add(std::string start, std::string end, std::string g1, std::string g2, std::string metric,
           std::string amount, std::string unit = "USD", bool est = false) {
    data.push_back({std::move(start), std::move(end), std::move(g1), std::move(g2), std::move(metric),
                    std::move(amount), std::move(unit)});
    estimated.push_back(est);
  }
  std::vector<fc::store::store_row> views() const {
    std::vector<fc::store::store_row> out;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& d = data[i];
      out.push_back({d[0], d[1], d[2], d[3], d[4], d[5], d[6], estimated[i]});
    }
    return out;
  }
  row_map expected() const {
    row_map out;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& d = data[i];
      out[{d[0], d[2], d[3], d[4]}] = {d[5], d[6], estimated[i], d[1]};
    }
    return out;
  }
};

inline const char* ts1 = "2026-03-01T06:00:00Z";
inline const char* ts2 = "2026-03-02T06:00:00Z";

inline void create(cost_store& s, const std::string& name, const std::string& payer = "111111111111") {
  auto st = s.create_report({name, payer, R"({"granularity":"DAILY"})", ts1});
  REQUIRE_MESSAGE(st, st.error().message);
}

inline std::vector<fc::store::stored_period> days(std::initializer_list<const char*> starts, bool est = false,
                                                  std::uint32_t pages = 1) {
  std::vector<fc::store::stored_period> out;
  for (const char* s : starts) {
    std::string start = s, end = start;
    // Test days stay inside one month: the next day is the day number + 1.
    const int d = std::stoi(start.substr(8, 2)) + 1;
    end.replace(8, 2, (d < 10 ? "0" : "") + std::to_string(d));
    out.push_back({start, end, est, pages, ""});
  }
  return out;
}

inline fc::store::write_counts replace(cost_store& s, const std::string& report,
                                       const std::vector<fc::store::stored_period>& periods, const row_set& rows,
                                       const char* at = ts1) {
  const auto views = rows.views();
  auto r = s.replace_periods(report, periods, views, at);
  REQUIRE_MESSAGE(r, r.error().message);
  return *r;
}

/// The schema exists with version 1 after open, and a second open accepts it.
inline void schema_created(target& t) {
  { auto s = t.open(); }
  CHECK(t.sql("SELECT version FROM schema_version") == "1");
  for (const char* table : {"reports", "cost_rows", "fetched_periods", "accounts", "sync_runs"})
    CHECK(t.sql(std::string("SELECT count(*) FROM ") + table) == "0");
  auto again = t.open();
  CHECK_FALSE(again->description().empty());
}

/// Several programs opening a fresh database at once: one creates the
/// schema, the others wait for it and use it (none fails with "already exists").
inline void concurrent_first_opens(target& t) {
  constexpr int n = 4;
  std::atomic<int> started{0};
  std::vector<std::string> errors(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      ++started;
      while (started.load() < n) std::this_thread::yield();  // ends once all n threads run
      auto s = t.try_open();
      if (!s) errors[i] = s.error().message;
      else if (auto st = (*s)->begin_run("r", ts1); !st) errors[i] = st.error().message;
    });
  for (auto& th : threads) th.join();
  for (const auto& e : errors) CHECK_MESSAGE(e.empty(), e);
  CHECK(t.sql("SELECT count(*) FROM schema_version") == "1");
  CHECK(t.sql("SELECT count(*) FROM sync_runs") == std::to_string(n));
}

/// A database written by a newer finops-crawler is refused, with the versions named.
inline void newer_schema_refused(target& t, const std::function<fc::result<std::unique_ptr<cost_store>>()>& reopen) {
  { auto s = t.open(); }
  t.sql("UPDATE schema_version SET version = 99");
  auto r = reopen();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == fc::errc::invalid_argument);
  CAPTURE(r.error().message);
  CHECK(has(r.error().message, "schema version 99"));
  CHECK(has(r.error().message, "newer than this finops-crawler reads (1)"));
}

/// Amounts come back as the exact text written.
inline void exact_amounts(target& t) {
  auto s = t.open();
  create(*s, "r");
  const std::vector<std::string> amounts = {"12.3400", "0", "-0.0000001", "0.00", "-5", "100",
                                            "1234567890123456789012345.123456789012345678",
                                            "0.0000000001", "-3.5", "7.10"};
  row_set rows;
  for (std::size_t i = 0; i < amounts.size(); ++i) rows.add("2026-01-01", "2026-01-02", "g" + std::to_string(i), "", "UnblendedCost", amounts[i]);
  // Negative zero: SQLite keeps the text; numeric has no negative zero and
  // gives the same value unsigned (documented in cost_store.hpp).
  rows.add("2026-01-01", "2026-01-02", "negative-zero", "", "UnblendedCost", "-0.00");
  replace(*s, "r", days({"2026-01-01"}), rows);
  auto got = read_all(*s, "r");
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    CAPTURE(amounts[i]);
    CHECK(std::get<0>(got.at({"2026-01-01", "g" + std::to_string(i), "", "UnblendedCost"})) == amounts[i]);
  }
  CHECK(std::get<0>(got.at({"2026-01-01", "negative-zero", "", "UnblendedCost"})) ==
        (t.numeric_amounts() ? "0.00" : "-0.00"));
  // Writing the same rows again changes nothing (on PostgreSQL "-0.00"
  // compares equal to the "0.00" numeric kept).
  auto again = replace(*s, "r", days({"2026-01-01"}), rows);
  CHECK(again.inserted == 0);
  CHECK(again.deleted == 0);
  CHECK(again.updated == 0);
}

/// replace_periods counts and results: inserts, updates (amount text,
/// unit, estimated), deletes of vanished groups, untouched other periods.
inline void replace_counts(target& t) {
  auto s = t.open();
  create(*s, "r");
  const auto periods = days({"2026-01-01", "2026-01-02", "2026-01-03"}, true, 2);
  row_set first;
  for (const auto& p : periods)
    for (const char* svc : {"EC2", "S3", "RDS", "Lambda"})
      for (const char* acct : {"111111111111", "222222222222"})
        first.add(p.period_start, p.period_end, svc, acct, "UnblendedCost", "1.25", "USD", true);
  auto c1 = replace(*s, "r", periods, first);
  CHECK(c1.inserted == 24);
  CHECK(c1.updated == 0);
  CHECK(c1.deleted == 0);
  CHECK(read_all(*s, "r") == first.expected());

  auto c2 = replace(*s, "r", periods, first, ts2);
  CHECK(c2.inserted == 0);
  CHECK(c2.updated == 0);
  CHECK(c2.deleted == 0);

  // Re-fetch of 2026-01-02 only: final now, two amounts revised (one only in
  // scale), a unit changed, Lambda vanished, a new account appeared.
  row_set second;
  for (std::size_t i = 0; i < first.data.size(); ++i) {
    const auto& d = first.data[i];
    if (d[0] != "2026-01-02" || d[2] == "Lambda") continue;
    std::string amount = d[5], unit = d[6];
    if (d[2] == "EC2" && d[3] == "111111111111") amount = "1.30";
    if (d[2] == "EC2" && d[3] == "222222222222") amount = "1.250";
    if (d[2] == "S3" && d[3] == "111111111111") unit = "GB";
    second.add(d[0], d[1], d[2], d[3], d[4], amount, unit, false);
  }
  second.add("2026-01-02", "2026-01-03", "EC2", "333333333333", "UnblendedCost", "0.01", "USD", false);
  auto c3 = replace(*s, "r", days({"2026-01-02"}, false, 1), second, ts2);
  CHECK(c3.inserted == 1);
  CHECK(c3.updated == 6);  // every remaining row of the day: estimated went from true to false
  CHECK(c3.deleted == 2);  // Lambda in both accounts
  auto expected = first.expected();
  for (auto it = expected.begin(); it != expected.end();)
    it = std::get<0>(it->first) == "2026-01-02" ? expected.erase(it) : std::next(it);
  for (const auto& kv : second.expected()) expected[kv.first] = kv.second;
  CHECK(read_all(*s, "r") == expected);

  // A period fetched with zero groups: its rows go, and it is still stored.
  auto c4 = replace(*s, "r", days({"2026-01-03"}, false, 1), row_set{}, ts2);
  CHECK(c4.deleted == 8);
  CHECK(c4.inserted == 0);
  auto periods_now = s->stored_periods("r", "2026-01-01", "2026-02-01");
  REQUIRE(periods_now);
  REQUIRE(periods_now->size() == 3);
  CHECK((*periods_now)[0].period_start == "2026-01-01");
  CHECK((*periods_now)[0].estimated);
  CHECK((*periods_now)[0].pages == 2);
  CHECK((*periods_now)[0].fetched_at == ts2);
  CHECK((*periods_now)[1].period_end == "2026-01-03");
  CHECK_FALSE((*periods_now)[1].estimated);
  CHECK((*periods_now)[1].pages == 1);
  CHECK((*periods_now)[2].period_start == "2026-01-03");
  CHECK(s->read_rows("r", "2026-01-03", "2026-01-04")->empty());
  // The range is half-open on period_start.
  CHECK(s->stored_periods("r", "2026-01-02", "2026-01-03")->size() == 1);

  // Unchanged rows keep the time their value was first fetched; changed ones get the new time.
  auto rows = s->read_rows("r", "2026-01-01", "2026-01-03");
  REQUIRE(rows);
  for (const auto& r : *rows) {
    CAPTURE(r.period_start);
    CAPTURE(r.group_1);
    CHECK(r.fetched_at == (r.period_start == "2026-01-02" ? ts2 : ts1));
  }
}

/// A database failure in the middle of a write leaves every old row.
inline void atomic_replace(target& t) {
  auto s = t.open();
  create(*s, "r");
  row_set before;
  for (const char* svc : {"EC2", "S3", "RDS"}) before.add("2026-01-01", "2026-01-02", svc, "", "UnblendedCost", "5");
  before.add("2026-01-02", "2026-01-03", "EC2", "", "UnblendedCost", "6");
  replace(*s, "r", days({"2026-01-01", "2026-01-02"}), before);
  t.fail_inserts_of("boom");

  // Deletes (RDS) and updates (EC2) come before the failing insert.
  row_set after;
  after.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "7");
  after.add("2026-01-01", "2026-01-02", "S3", "", "UnblendedCost", "5");
  after.add("2026-01-01", "2026-01-02", "boom", "", "UnblendedCost", "1");
  const auto views = after.views();
  auto r = s->replace_periods("r", days({"2026-01-01", "2026-01-02"}, true, 3), views, ts2);
  REQUIRE_FALSE(r);
  CAPTURE(r.error().message);
  CHECK(has(r.error().message, "boom"));
  CHECK(has(r.error().message, s->description()));
  CHECK(read_all(*s, "r") == before.expected());
  auto periods = s->stored_periods("r", "2026-01-01", "2026-01-03");
  REQUIRE(periods);
  REQUIRE(periods->size() == 2);
  CHECK((*periods)[0].fetched_at == ts1);
  CHECK_FALSE((*periods)[0].estimated);
  // The store is usable after the failure.
  row_set fine;
  fine.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "7");
  auto c = replace(*s, "r", days({"2026-01-01"}), fine, ts2);
  CHECK(c.updated == 1);
  CHECK(c.deleted == 2);
}

/// Input checks happen before anything is written.
inline void invalid_input_writes_nothing(target& t) {
  auto s = t.open();
  create(*s, "r");
  row_set good;
  good.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "5");
  replace(*s, "r", days({"2026-01-01"}), good);

  row_set bad = good;
  bad.add("2026-01-05", "2026-01-06", "EC2", "", "UnblendedCost", "5");
  auto views = bad.views();
  auto r1 = s->replace_periods("r", days({"2026-01-01"}), views, ts2);
  REQUIRE_FALSE(r1);
  CHECK(r1.error().code == fc::errc::invalid_argument);
  CHECK(has(r1.error().message, "not in any of the periods"));

  row_set exp;
  exp.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "1e5");
  auto v2 = exp.views();
  auto r2 = s->replace_periods("r", days({"2026-01-01"}), v2, ts2);
  REQUIRE_FALSE(r2);
  CHECK(has(r2.error().message, "not a plain decimal"));

  auto v3 = good.views();
  auto r3 = s->replace_periods("r", days({"2026-01-01"}), v3, "yesterday");
  REQUIRE_FALSE(r3);
  CHECK(has(r3.error().message, "YYYY-MM-DDTHH:MM:SSZ"));
  auto r4 = s->replace_periods("nobody", days({"2026-01-01"}), v3, ts2);
  REQUIRE_FALSE(r4);
  CHECK(r4.error().code == fc::errc::invalid_argument);
  CHECK(has(r4.error().message, "does not exist"));
  CHECK(read_all(*s, "r") == good.expected());
  CHECK(s->stored_periods("r", "2026-01-01", "2026-02-01")->at(0).fetched_at == ts1);
  CHECK(s->stored_periods("nobody", "2026-01-01", "2026-02-01")->empty());
  auto range = s->read_rows("r", "2026-01", "2026-02-01");
  REQUIRE_FALSE(range);
  CHECK(range.error().code == fc::errc::invalid_argument);
}

/// Reports: created once, read back, a second create refused.
inline void reports(target& t) {
  auto s = t.open();
  auto none = s->find_report("default");
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  const fc::store::report_record rec{"default", "123456789012",
                                     R"({"granularity":"DAILY","metrics":["UnblendedCost"]})", ts1};
  REQUIRE(s->create_report(rec));
  auto found = s->find_report("default");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->name == rec.name);
  CHECK((*found)->payer_account_id == rec.payer_account_id);
  CHECK((*found)->definition_json == rec.definition_json);
  CHECK((*found)->created_at == rec.created_at);
  auto twice = s->create_report(rec);
  REQUIRE_FALSE(twice);
  CHECK(twice.code() == fc::errc::invalid_argument);
  CHECK(has(twice.error().message, "already exists"));
  auto bad_name = s->create_report({"", "1", "{}", ts1});
  CHECK(bad_name.code() == fc::errc::invalid_argument);
}

/// sync_runs rows: begin (the first write), finish, an unknown id.
inline void runs(target& t) {
  auto s = t.open();
  auto id = s->begin_run("default", ts1);
  REQUIRE_MESSAGE(id, id.error().message);
  auto id2 = s->begin_run("other", ts1);
  REQUIRE(id2);
  CHECK(*id2 != *id);
  CHECK(t.sql("SELECT status FROM sync_runs WHERE id = " + std::to_string(*id)) == "running");
  REQUIRE(s->finish_run(*id, fc::store::run_status::partial, ts2, 17, {5, 3, 2}));
  CHECK(t.sql("SELECT status || ' ' || billable_requests || ' ' || rows_inserted || ' ' || rows_updated || ' ' || "
              "rows_deleted FROM sync_runs WHERE id = " + std::to_string(*id)) == "partial 17 5 3 2");
  CHECK(t.sql("SELECT count(*) FROM sync_runs WHERE finished_at IS NULL") == "1");
  auto unknown = s->finish_run(*id2 + 1000, fc::store::run_status::ok, ts2, 0, {});
  REQUIRE_FALSE(unknown);
  CHECK(unknown.code() == fc::errc::invalid_argument);
  CHECK(has(unknown.error().message, "no sync run"));
}

/// Two reports (two payers) with the same periods and keys never touch each other's rows.
inline void reports_do_not_collide(target& t) {
  auto s = t.open();
  create(*s, "payer-a", "111111111111");
  create(*s, "payer-b", "222222222222");
  row_set a, b;
  for (const char* svc : {"EC2", "S3"}) {
    a.add("2026-01-01", "2026-01-02", svc, "", "UnblendedCost", "1");
    b.add("2026-01-01", "2026-01-02", svc, "", "UnblendedCost", "2");
  }
  CHECK(replace(*s, "payer-a", days({"2026-01-01"}), a).inserted == 2);
  CHECK(replace(*s, "payer-b", days({"2026-01-01"}), b).inserted == 2);
  row_set a2;
  a2.add("2026-01-01", "2026-01-02", "EC2", "", "UnblendedCost", "1");
  auto c = replace(*s, "payer-a", days({"2026-01-01"}), a2);
  CHECK(c.deleted == 1);
  CHECK(read_all(*s, "payer-a") == a2.expected());
  CHECK(read_all(*s, "payer-b") == b.expected());
  CHECK(s->stored_periods("payer-b", "2026-01-01", "2026-01-02")->size() == 1);
}

/// Accounts: upserted by id; an empty field keeps the stored value.
inline void accounts(target& t) {
  auto s = t.open();
  std::vector<fc::store::account_record> full = {{"111111111111", "prod", "prod@example.com", "ACTIVE"},
                                                 {"222222222222", "dev", "dev@example.com", "ACTIVE"}};
  auto r1 = s->upsert_accounts(full, ts1);
  REQUIRE(r1);
  CHECK(*r1 == 2);
  auto r2 = s->upsert_accounts(full, ts2);
  REQUIRE(r2);
  CHECK(*r2 == 0);
  std::vector<fc::store::account_record> names_only = {{"111111111111", "production", "", ""},
                                                       {"333333333333", "new", "", ""}};
  auto r3 = s->upsert_accounts(names_only, ts2);
  REQUIRE(r3);
  CHECK(*r3 == 2);
  CHECK(t.sql("SELECT name || ' ' || email || ' ' || status FROM accounts WHERE account_id = '111111111111'") ==
        "production prod@example.com ACTIVE");
  CHECK(t.sql("SELECT count(*) FROM accounts") == "3");
  std::vector<fc::store::account_record> no_id = {{"", "x", "", ""}};
  CHECK(s->upsert_accounts(no_id, ts2).code() == fc::errc::invalid_argument);
}

/// The per-report lock excludes another store (another connection), not
/// other reports; wait=true blocks until the holder releases; a lock may
/// outlive its store.
inline void lock_exclusion(target& t) {
  auto s1 = t.open();
  auto s2 = t.open();
  auto l1 = s1->lock_report("r", false);
  REQUIRE_MESSAGE(l1, l1.error().message);
  CHECK(l1->held());
  auto l2 = s2->lock_report("r", false);
  REQUIRE(l2);
  CHECK_FALSE(l2->held());
  auto other = s2->lock_report("other report", false);
  REQUIRE(other);
  CHECK(other->held());

  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto l = s2->lock_report("r", true);
    acquired = l && l->held();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK_FALSE(acquired.load());  // still waiting while s1 holds it
  l1->release();
  waiter.join();  // returns once the lock is free: bounded by the release above
  CHECK(acquired.load());

  // Held by a lock whose store is gone: still excludes, until released.
  auto l3 = s1->lock_report("r", false);
  REQUIRE(l3);
  REQUIRE(l3->held());
  s1.reset();
  auto s3 = t.open();
  CHECK_FALSE(s3->lock_report("r", false)->held());
  l3->release();
  CHECK(s3->lock_report("r", false)->held());
}

}  // namespace store_contract

#endif  // FINOPS_CRAWLER_TESTS_STORE_CONTRACT_HPP
