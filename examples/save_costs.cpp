// Keeps a SQLite file of the last 30 days of costs current: the C++ twin of
// the Python package's planned save_to_postgres. Run it every day (cron);
// each run fetches only what Cost Explorer may still revise.
//
//   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... build/examples/save_costs costs.db
//   sqlite3 costs.db "SELECT period_start, sum(CAST(amount AS REAL)) FROM cost_rows
//                     WHERE metric = 'UnblendedCost' GROUP BY 1 ORDER BY 1"
//
// PostgreSQL instead: store::open_postgres_store("postgresql://user@host/db")
// from <finops_crawler/store/postgres_store.hpp> (finops_crawler_postgres_dep).
#include <finops_crawler/finops_crawler.hpp>
#include <finops_crawler/store/sqlite_store.hpp>

#include <chrono>
#include <iostream>

namespace fc = finops_crawler;

int main(int argc, char** argv) {
  fc::http::curl_global_guard curl;
  auto api = fc::costs_api::from_environment();
  if (!api) {
    std::cerr << api.error().describe() << '\n';
    return 1;
  }
  auto db = fc::store::open_sqlite_store(argc > 1 ? argv[1] : "costs.db");  // schema created or checked
  if (!db) {
    std::cerr << db.error().describe() << '\n';
    return 1;
  }
  const auto today = fc::calendar_date::from_time(std::chrono::system_clock::now());
  auto saved = api->save_cost(today.add_days(-30), today, **db);  // End exclusive, as in AWS
  if (!saved) {  // refused before anything billable was sent
    std::cerr << saved.error().describe() << '\n';
    return 1;
  }
  std::cerr << saved->plan.describe() << '\n' << saved->summary() << '\n';
  if (saved->failure) {  // committed months stay; the next run redoes the rest
    std::cerr << saved->failure->describe() << '\n';
    return 1;
  }
  return 0;
}
