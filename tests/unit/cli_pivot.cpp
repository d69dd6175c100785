// `finops-crawler costs --pivot` against the in-process simulator: one
// column per period, rows sorted by amount, a total row and column, every
// cell equal to the simulator's ground truth; the table marks estimated
// periods (the total row too); formats it cannot write are refused before
// anything is sent.
#include <map>
#include <sstream>

#include "cli_test_support.hpp"
#include "finops_crawler/decimal.hpp"
#include "synthetic_data.hpp"
#include "table_writer.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);

sim::options data_to_today() {
  sim::options o;
  o.data.seed = 3;
  o.data.account_count = 3;
  o.data.start_date = "2026-08-15";
  o.data.days = 104;  // .. 2026-11-26
  return o;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> v;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      v.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  v.push_back(cur);
  return v;
}

decimal dec(const std::string& s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, s);
  return *d;
}

}  // namespace

TEST_CASE("costs --pivot: months as columns, rows by amount, total row and column equal the ground truth") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--start", "2026-09-01", "--end", "2026-11-26", "--granularity", "MONTHLY", "--group-by",
                "SERVICE", "--pivot", "--endpoint-url", server.endpoint_url()},
               ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::istringstream in(r.out);
  std::string line;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(split(line, ','));
  REQUIRE(rows.size() == 1 + 7 + 1);  // header, 7 services, total
  CHECK(rows[0] == std::vector<std::string>{"group_1", "2026-09", "2026-10", "2026-11-01", "total"});
  CHECK(rows.back()[0] == "total");

  // Ground truth per (service, month).
  sim::query q;
  REQUIRE(sim::parse_date("2026-09-01", q.start_day));
  REQUIRE(sim::parse_date("2026-11-26", q.end_day));
  q.gran = sim::granularity::monthly;
  q.metrics = {sim::metric::unblended_cost};
  sim::group_def service;
  service.dim = sim::dimension::service;
  q.group_by = {service};
  const auto truth = sim::ground_truth(server.data(), q);
  REQUIRE(truth.size() == 3);
  std::map<std::string, std::vector<sim::fixed10>> cells;
  std::vector<sim::fixed10> column_totals(3);
  for (std::size_t p = 0; p < truth.size(); ++p)
    for (const auto& g : truth[p].groups) {
      auto& v = cells[g.keys[0]];
      v.resize(3);
      v[p] += g.metrics[0].amount;
      column_totals[p] += g.metrics[0].amount;
    }
  REQUIRE(cells.size() == 7);
  decimal previous_total;
  for (std::size_t i = 1; i + 1 < rows.size(); ++i) {
    const auto& row = rows[i];
    CAPTURE(row[0]);
    REQUIRE(row.size() == 5);
    REQUIRE(cells.count(row[0]) == 1);
    sim::fixed10 sum;
    for (std::size_t p = 0; p < 3; ++p) {
      CHECK(dec(row[1 + p]) == dec(cells[row[0]][p].to_string()));
      sum += cells[row[0]][p];
    }
    CHECK(dec(row[4]) == dec(sum.to_string()));
    if (i > 1) CHECK(dec(row[4]) <= previous_total);  // sorted by amount, largest first
    previous_total = dec(row[4]);
  }
  sim::fixed10 grand;
  for (std::size_t p = 0; p < 3; ++p) {
    CHECK(dec(rows.back()[1 + p]) == dec(column_totals[p].to_string()));
    grand += column_totals[p];
  }
  CHECK(dec(rows.back()[4]) == dec(grand.to_string()));
  CHECK(server.stats().billable == 1);
}

TEST_CASE("costs --pivot --format table: estimated periods marked in the header and the total row") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--last", "5d", "--group-by", "SERVICE", "--group-by", "REGION", "--pivot", "--format",
                "table", "--endpoint-url", server.endpoint_url()},
               ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::istringstream in(r.out);
  std::string header, rule, line, total;
  std::getline(in, header);
  std::getline(in, rule);
  int body = 0;
  while (std::getline(in, line)) {
    if (line.rfind("total", 0) == 0) total = line;
    else if (!line.empty() && line[0] != '*' && line.rfind("Rounded", 0) != 0 && line.rfind("on its own", 0) != 0)
      ++body;
  }
  CHECK(header.rfind("group_1", 0) == 0);
  CHECK(header.find("group_2") != std::string::npos);
  // [2026-11-21, 2026-11-26): the last day of data (11-26) is not asked, 11-25 is estimated.
  CHECK(header.find("2026-11-21 ") != std::string::npos);
  CHECK(header.find("2026-11-25*") != std::string::npos);
  CHECK(header.find("2026-11-24*") == std::string::npos);
  REQUIRE(!total.empty());
  CHECK(total.back() != '*');                 // the total column is not a period
  CHECK(total.find("* ") != std::string::npos);  // the estimated day's total is marked
  CHECK(body > 7);                             // (service, region) pairs
  CHECK(r.out.find("* estimated") != std::string::npos);
}

TEST_CASE("costs --pivot refuses json and ndjson before anything is sent") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  for (const char* format : {"json", "ndjson"}) {
    auto r = run({"costs", "--last", "7d", "--pivot", "--format", format, "--endpoint-url", server.endpoint_url()},
                 ctx);
    CAPTURE(format);
    CHECK(r.code == 2);
    CHECK(r.err.find("--pivot writes csv or table") != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(server.stats().requests == 0);
}

TEST_CASE("costs on a terminal without --format: periods as columns when they fit, else the plain table") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  ctx.stdout_is_terminal = true;
  ctx.terminal_width = 120;
  const std::vector<std::string> monthly{"costs", "--start", "2026-09-01", "--end", "2026-11-26", "--granularity",
                                         "MONTHLY", "--group-by", "SERVICE", "--endpoint-url", server.endpoint_url()};
  auto pivot = run(monthly, ctx);
  REQUIRE_MESSAGE(pivot.code == 0, pivot.err);
  CHECK(pivot.out.rfind("group_1", 0) == 0);  // the pivot's header: 3 months as columns
  CHECK(pivot.out.find("2026-09") != std::string::npos);
  CHECK(pivot.out.find("2026-10") != std::string::npos);
  CHECK(pivot.out.find("\ntotal") != std::string::npos);
  std::istringstream in(pivot.out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line) && lines < 1000) {
    ++lines;
    CHECK(display_width(line) <= 120);
  }

  // Too wide for the terminal (30 daily columns): the plain table, cut to the width.
  auto daily = run({"costs", "--last", "30d", "--group-by", "SERVICE", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(daily.code == 0, daily.err);
  CHECK(daily.out.rfind("period ", 0) == 0);  // the plain table's header
  CHECK(daily.out.find("2026-11-20") != std::string::npos);  // a date cell: one row per day and service

  // One period: the plain table.
  auto one = run({"costs", "--month", "2026-10", "--granularity", "MONTHLY", "--group-by", "SERVICE",
                  "--endpoint-url", server.endpoint_url()},
                 ctx);
  REQUIRE_MESSAGE(one.code == 0, one.err);
  CHECK(one.out.rfind("period ", 0) == 0);

  // --format table asks for the plain table, and a pipe gets csv, as before.
  auto asked = monthly;
  asked.insert(asked.end(), {"--format", "table"});
  CHECK(run(asked, ctx).out.rfind("period ", 0) == 0);
  ctx.stdout_is_terminal = false;
  CHECK(run(monthly, ctx).out.rfind("period_start", 0) == 0);
}
