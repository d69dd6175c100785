// Bodies of demo_command.hpp.
#include "demo_command.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "amount_format.hpp"
#include "chart.hpp"
#include "cost_row.hpp"
#include "costs_command.hpp"
#include "finops_crawler/decimal.hpp"
#include "record_output.hpp"
#include "simulator.hpp"
#include "sync_command.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// Sums the rows of a SERVICE-grouped report exactly (decimal), per service
// and per (day, service). Rows with an unparsable amount are counted in
// `bad_amounts` and left out. Not thread-safe.
class service_totals final : public row_sink {
 public:
  bool begin() override { return true; }
  bool write(const cost_row& r) override {
    auto amount = decimal::parse(r.amount);
    if (!amount) {
      ++bad_amounts;
      return true;
    }
    const std::string service(r.group_1);
    const std::string day(r.period_start);
    if (days.empty() || days.back() != day) {
      days.push_back(day);
      estimated.push_back(r.estimated);
    }
    (void)total[service].add_assign(*amount);
    (void)by_day[day][service].add_assign(*amount);
    (void)grand.add_assign(*amount);
    (void)day_total[day].add_assign(*amount);
    return true;
  }
  bool finish() override { return true; }

  // Services by descending total (ties by name).
  std::vector<std::string> ranked() const {
    std::vector<std::string> names;
    for (const auto& kv : total) names.push_back(kv.first);
    std::stable_sort(names.begin(), names.end(),
                     [&](const std::string& a, const std::string& b) { return total.at(a) > total.at(b); });
    return names;
  }

  std::map<std::string, decimal> total;
  std::map<std::string, std::map<std::string, decimal>> by_day;
  std::map<std::string, decimal> day_total;
  std::vector<std::string> days;  // in report order
  std::vector<bool> estimated;    // per entry of `days`
  decimal grand;
  std::uint64_t bad_amounts = 0;
};

bool starts_with_sqlite(const std::string& s) { return s.rfind("sqlite:", 0) == 0; }

std::string percent(const decimal& part, const decimal& whole) {
  const double w = whole.to_double();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", w > 0 ? 100.0 * part.to_double() / w : 0.0);
  return buf;
}

}  // namespace

exit_code run_demo(const demo_flags& f, const cli_context& base_ctx, std::ostream& out, std::ostream& err) {
  if (f.days < 2 || f.days > 400 || f.accounts < 1 || f.accounts > 50 || f.top < 1 || f.top > 8 ||
      f.fault_rate < 0 || f.fault_rate > 0.5) {
    err << "finops-crawler: demo: --days 2..400, --accounts 1..50, --top 1..8, --faults 0..0.5\n";
    return exit_code::usage;
  }
  if (!f.format.empty() && f.format != "table" && f.format != "csv" && f.format != "ndjson" && f.format != "json") {
    err << "finops-crawler: demo: --format " << f.format << ": use table, csv, ndjson or json\n";
    return exit_code::usage;
  }
  sim::options so;
  so.data.seed = f.seed;
  so.data.account_count = f.accounts;
  so.data.days = f.days;
  // The days of `costs --last Nd` (what the README runs against AWS):
  // [today - N, today), today itself not yet in the data.
  so.data.start_date = sim::format_date(sim::today_utc() - f.days);
  so.faults.seed = f.seed;
  so.faults.set_failure_rate(f.fault_rate);
  sim::simulator server(so);
  auto port = server.start();
  if (!port) {
    err << "finops-crawler: demo: the simulator could not start: " << port.error().describe() << "\n";
    return exit_code::failure;
  }
  const sim::data_set& ds = server.data();
  // Throw-away credentials the simulator accepts, and no shared files: the
  // demo never reads ~/.aws or the real AWS_* variables.
  aws::map_environment env{{"AWS_ACCESS_KEY_ID", std::string(sim::default_access_key_id)},
                           {"AWS_SECRET_ACCESS_KEY", std::string(sim::default_secret_access_key)},
                           {"AWS_CONFIG_FILE", "/nonexistent/finops-crawler-demo/config"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/finops-crawler-demo/credentials"}};
  cli_context ctx = base_ctx;
  ctx.env = &env;
  connection_flags conn;
  conn.endpoint_url = server.endpoint_url();
  costs_flags cf;
  cf.period.start = sim::format_date(ds.first_day());
  cf.period.end = sim::format_date(ds.end_day());
  cf.granularity = "DAILY";
  cf.group_by = {"SERVICE"};
  cf.format = f.format == "table" ? "" : f.format;
  // The report's Start may not be after today; the simulator's window ends today.
  // Through the text form: the simulator keeps its own date code (an independent oracle).
  if (auto t = parse_date(sim::format_date(std::max(ds.end_day() - 1, sim::today_utc())))) ctx.today = *t;

  const bool tables = f.format.empty() || f.format == "table";
  // The tables go through a record_output: a closed pipe is then told
  // apart from other write errors (its errno is kept).
  record_output tables_out(out);
  std::ostream& info = tables ? tables_out.stream() : err;
  const std::size_t width = ctx.stdout_is_terminal ? ctx.terminal_width : 0;  // cut only on a terminal
  info << "finops-crawler demo: " << f.days << " days of DAILY UnblendedCost by SERVICE for a simulated\n"
       << "organization of " << f.accounts << " accounts, from the bundled Cost Explorer simulator at\n"
       << server.endpoint_url() << " (real libcurl, real SigV4, throw-away credentials).\n\n";
  if (tables) (void)tables_out.flush();  // shown while the report runs

  service_totals totals;
  std::ostringstream ignored;
  costs_outcome outcome = run_costs(cf, conn, ctx, tables ? ignored : out, err, tables ? &totals : nullptr);
  if (outcome.code != exit_code::ok) return outcome.code;
  exit_code synced = exit_code::ok;
  if (!f.db.empty()) {
    // The same organization into SQLite: the default report (DAILY by
    // SERVICE and LINKED_ACCOUNT) from the window's first day to today.
    sync_flags sf;
    sf.db = starts_with_sqlite(f.db) ? f.db : "sqlite:" + f.db;
    sf.period.start = cf.period.start;
    sf.today = ctx.date().to_string();
    info << "\nSyncing the organization into " << f.db << " (finops-crawler sync):\n";
    info.flush();
    if (tables) (void)tables_out.flush();  // before what sync writes to `out`
    synced = run_sync_command(sf, conn, ctx, out, err);
  }
  const sim::counters sc = server.stats();
  server.stop();
  if (synced != exit_code::ok) return synced;

  if (tables) {
    std::ostream& out = tables_out.stream();  // the tables below go through tables_out
    const auto ranked = totals.ranked();
    out << "Top services, " << cf.period.start << " to " << parse_date(cf.period.end)->add_days(-1).to_string()
        << " (" << totals.days.size() << " days, USD)\n";
    text_table top({{"service", false}, {"total", true}, {"share", true}});
    for (std::size_t i = 0; i < ranked.size(); ++i)
      top.add_row({ranked[i], display_amount(totals.total.at(ranked[i]).to_string()),
                   percent(totals.total.at(ranked[i]), totals.grand)});
    top.add_row({"All services", display_amount(totals.grand.to_string()), "100.0%"});
    top.render(out, width);

    out << "\nRecent days (USD; * = estimated, AWS may still revise it)\n";
    std::vector<text_table::column> cols{{"date", false, true}, {"total", true}};
    const std::size_t shown = std::min<std::size_t>(3, ranked.size());
    for (std::size_t i = 0; i < shown; ++i) cols.push_back({fit_width(ranked[i], 18), true});
    text_table recent(cols);
    const std::size_t n = totals.days.size();
    for (std::size_t d = n > 7 ? n - 7 : 0; d < n; ++d) {
      const std::string& day = totals.days[d];
      std::vector<std::string> row{day + (totals.estimated[d] ? "*" : ""),
                                   display_amount(totals.day_total[day].to_string())};
      for (std::size_t i = 0; i < shown; ++i) {
        auto it = totals.by_day[day].find(ranked[i]);
        row.push_back(display_amount(it == totals.by_day[day].end() ? "0" : it->second.to_string()));
      }
      recent.add_row(std::move(row));
    }
    recent.render(out, width);

    std::vector<chart_series> series;
    const std::size_t top_n = std::min<std::size_t>(static_cast<std::size_t>(f.top), ranked.size());
    for (std::size_t i = 0; i < top_n; ++i) series.push_back({ranked[i], {}});
    if (ranked.size() > top_n) series.push_back({"all other services", {}});
    for (const auto& day : totals.days) {
      double other = 0;
      for (std::size_t i = 0; i < ranked.size(); ++i) {
        auto it = totals.by_day[day].find(ranked[i]);
        const double v = it == totals.by_day[day].end() ? 0.0 : it->second.to_double();
        if (i < top_n) series[i].values.push_back(v);
        else other += v;
      }
      if (ranked.size() > top_n) series.back().values.push_back(other);
    }
    chart_options co;
    co.width = std::min<std::size_t>(ctx.terminal_width, 80);
    co.title = "Daily cost, top " + std::to_string(top_n) + " services stacked (USD per day)";
    out << "\n" << render_stacked_chart(totals.days, series, co);
    out << "\n";
  }
  info << "simulator stopped; the report took " << outcome.summary << "\n"
       << "(the simulator counted " << sc.billable << " billable of " << sc.requests << " requests)\n";
  if (!f.db.empty()) {
    const std::string file = starts_with_sqlite(f.db) ? f.db.substr(7) : f.db;
    info << "\nThe rows are in " << file << "; two queries to paste into sqlite3:\n"
         << "  sqlite3 " << file
         << " \"SELECT period_start, printf('%.2f', sum(CAST(amount AS REAL))) AS usd FROM cost_rows"
            " WHERE metric = 'UnblendedCost' GROUP BY period_start ORDER BY period_start DESC LIMIT 7;\"\n"
         << "  sqlite3 " << file
         << " \"SELECT a.name AS account, c.group_1 AS service, printf('%.2f', sum(CAST(c.amount AS REAL))) AS usd"
            " FROM cost_rows c LEFT JOIN accounts a ON a.account_id = c.group_2 WHERE c.metric = 'UnblendedCost'"
            " GROUP BY 1, 2 ORDER BY sum(CAST(c.amount AS REAL)) DESC LIMIT 10;\"\n";
  }
  if (tables && !tables_out.flush()) {
    if (reader_gone(tables_out.error_number(), -1)) return exit_code::closed_pipe;  // quietly, as `costs`
    err << "finops-crawler: demo: writing the report failed: " << std::strerror(tables_out.error_number()) << "\n";
    return exit_code::failure;
  }
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
