// `finops-crawler summary` against the in-process simulator: every figure
// equals the sum computed here from the simulator's ground truth, the
// billable requests are the ones the header claims (the simulator counts
// them), the terminal table fits 80 columns for the demo's organization,
// and the markdown, json and csv outputs have their shapes. The rounding
// footnote is checked on a report built by hand.
#include "summary_command.hpp"

#include <simdjson.h>

#include <map>
#include <sstream>

#include "cli_test_support.hpp"
#include "finops_crawler/decimal.hpp"
#include "summary_model.hpp"
#include "summary_render.hpp"
#include "synthetic_data.hpp"
#include "table_writer.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);

// Data whose last day is `today` (the simulator's current date, so the
// forecast may start today), reaching back before the month before last.
sim::options data_to_today() {
  sim::options o;
  o.data.seed = 11;
  o.data.account_count = 4;
  o.data.start_date = "2026-08-01";
  o.data.days = 118;  // .. 2026-11-26
  return o;
}

// The demo's organization (seed 42, 5 accounts, 90 days until yesterday).
sim::options demo_data() {
  sim::options o;
  o.data.seed = 42;
  o.data.account_count = 5;
  o.data.start_date = "2026-08-28";
  o.data.days = 90;  // .. 2026-11-25
  return o;
}

std::int64_t day_of(const std::string& s) {
  std::int64_t d = 0;
  REQUIRE(sim::parse_date(s, d));
  return d;
}

// Ground truth: UnblendedCost per SERVICE in [start, end), from the
// simulator's own aggregation (MONTHLY periods, summed).
std::map<std::string, sim::fixed10> truth(const sim::data_set& ds, const std::string& start, const std::string& end) {
  std::map<std::string, sim::fixed10> by;
  if (start == end) return by;
  sim::query q;
  q.start_day = day_of(start);
  q.end_day = day_of(end);
  q.gran = sim::granularity::monthly;
  q.metrics = {sim::metric::unblended_cost};
  sim::group_def service;
  service.dim = sim::dimension::service;
  q.group_by = {service};
  for (const auto& p : sim::ground_truth(ds, q))
    for (const auto& g : p.groups) by[g.keys[0]] += g.metrics[0].amount;
  return by;
}

sim::fixed10 sum_of(const std::map<std::string, sim::fixed10>& m) {
  sim::fixed10 s;
  for (const auto& kv : m) s += kv.second;
  return s;
}

decimal dec(std::string_view s) {
  auto d = decimal::parse(s);
  REQUIRE_MESSAGE(d, std::string(s));
  return *d;
}

std::string str(simdjson::dom::element e) {
  std::string_view v;
  REQUIRE(e.get_string().get(v) == simdjson::SUCCESS);
  return std::string(v);
}

bool boolean(simdjson::dom::element e) {
  bool b = false;
  REQUIRE(e.get_bool().get(b) == simdjson::SUCCESS);
  return b;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) v.push_back(l);
  return v;
}

std::size_t count_of(const std::string& s, char c) {
  std::size_t n = 0;
  for (char x : s) n += x == c ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("summary: every window's total and each top service equal the simulator's ground truth; 2 requests") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  // The clock says otherwise: --today pins the day the figures are made on.
  auto ctx = test_context(env, ymd(2026, 12, 20));
  auto r = run({"summary", "--format", "json", "--today", "2026-11-26", "--top", "3", "--endpoint-url",
                server.endpoint_url()},
               ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(server.stats().billable == 2);  // one DAILY page (7 services x 86 days < 1000 groups) + the forecast
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  REQUIRE(p.parse(r.out).get(doc) == simdjson::SUCCESS);
  CHECK(str(doc["today"]) == "2026-11-26");
  CHECK(str(doc["group_by"]) == "SERVICE");
  CHECK(str(doc["unit"]) == "USD");
  const sim::data_set& ds = server.data();

  // The windows, written out by hand for 2026-11-26.
  struct expected_window {
    const char* name;
    const char* start;
    const char* end;
    const char* prev_start;
    const char* prev_end;
  };
  const std::vector<expected_window> windows{
      {"month_to_date", "2026-11-01", "2026-11-26", "2026-10-01", "2026-10-26"},
      {"last_month", "2026-10-01", "2026-11-01", "2026-09-01", "2026-10-01"},
      {"last_7_days", "2026-11-19", "2026-11-26", "2026-11-12", "2026-11-19"},
      {"yesterday", "2026-11-25", "2026-11-26", "2026-11-24", "2026-11-25"}};
  simdjson::dom::array wins;
  REQUIRE(doc["windows"].get_array().get(wins) == simdjson::SUCCESS);
  REQUIRE(wins.size() == windows.size());
  std::size_t i = 0;
  for (auto w : wins) {
    const expected_window& e = windows[i++];
    CAPTURE(e.name);
    CHECK(str(w["window"]) == e.name);
    CHECK(str(w["start"]) == e.start);
    CHECK(str(w["end"]) == e.end);
    CHECK(str(w["previous_start"]) == e.prev_start);
    CHECK(str(w["previous_end"]) == e.prev_end);
  }

  std::map<std::string, sim::fixed10> mtd_truth;
  for (const auto& e : windows) {
    CAPTURE(e.name);
    const auto cur = truth(ds, e.start, e.end);
    const auto prev = truth(ds, e.prev_start, e.prev_end);
    if (std::string(e.name) == "month_to_date") mtd_truth = cur;
    simdjson::dom::element t = doc["total"][e.name];
    CHECK(dec(str(t["amount"])) == dec(sum_of(cur).to_string()));
    CHECK(dec(str(t["previous_amount"])) == dec(sum_of(prev).to_string()));
    CHECK(dec(str(t["change"])) == *decimal::sub(dec(sum_of(cur).to_string()), dec(sum_of(prev).to_string())));
    CHECK(boolean(t["estimated"]) == sim::is_estimated(ds, day_of(e.start), day_of(e.end)));
    CHECK(boolean(t["previous_estimated"]) == sim::is_estimated(ds, day_of(e.prev_start), day_of(e.prev_end)));
    // Each top service, and "other" = the services after them.
    simdjson::dom::array top;
    REQUIRE(doc["top"].get_array().get(top) == simdjson::SUCCESS);
    REQUIRE(top.size() == 3);
    sim::fixed10 top_cur, top_prev;
    for (auto g : top) {
      const std::string key = str(g["key"]);
      CAPTURE(key);
      CHECK(dec(str(g[e.name]["amount"])) == dec(cur.count(key) ? cur.at(key).to_string() : "0"));
      CHECK(dec(str(g[e.name]["previous_amount"])) == dec(prev.count(key) ? prev.at(key).to_string() : "0"));
      if (cur.count(key)) top_cur += cur.at(key);
      if (prev.count(key)) top_prev += prev.at(key);
    }
    CHECK(dec(str(doc["other"][e.name]["amount"])) == dec((sum_of(cur) + -top_cur).to_string()));
    CHECK(dec(str(doc["other"][e.name]["previous_amount"])) == dec((sum_of(prev) + -top_prev).to_string()));
  }
  // Sorted by month to date, largest first: the three largest of the truth.
  std::vector<std::pair<sim::fixed10, std::string>> ranked;
  for (const auto& kv : mtd_truth) ranked.push_back({kv.second, kv.first});
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return b.first < a.first; });
  simdjson::dom::array top;
  REQUIRE(doc["top"].get_array().get(top) == simdjson::SUCCESS);
  i = 0;
  for (auto g : top) CHECK(str(g["key"]) == ranked[i++].second);
  std::int64_t groups = 0;
  REQUIRE(doc["other"]["groups"].get_int64().get(groups) == simdjson::SUCCESS);
  CHECK(static_cast<std::size_t>(groups) == mtd_truth.size() - 3);

  // The forecast: the simulator's rule (the mean day of the last 14 days
  // of data, truncated to 10 places, times the 5 days left), and the month
  // = month to date + that.
  const auto hist = truth(ds, "2026-11-13", "2026-11-27");
  const sim::fixed10 per_day = sim::fixed10::from_scaled(sum_of(hist).scaled() / 14);
  const sim::fixed10 rest = sim::fixed10::from_scaled(per_day.scaled() * 5);
  CHECK(str(doc["forecast"]["start"]) == "2026-11-26");
  CHECK(str(doc["forecast"]["end"]) == "2026-12-01");
  CHECK(dec(str(doc["forecast"]["mean"])) == dec(rest.to_string()));
  CHECK(dec(str(doc["forecast"]["month"]["amount"])) == dec((sum_of(mtd_truth) + rest).to_string()));
  CHECK(dec(str(doc["forecast"]["month"]["previous_amount"])) ==
        dec(sum_of(truth(ds, "2026-10-01", "2026-11-01")).to_string()));
}

TEST_CASE("summary --cache: 3 requests the first time (the final month cached on its own), 2 after, same figures") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::vector<std::string> args{"summary", "--format", "csv", "--cache", dir, "--endpoint-url",
                                      server.endpoint_url()};
  auto cold = run(args, ctx);
  REQUIRE_MESSAGE(cold.code == 0, cold.err);
  CHECK(server.stats().billable == 3);
  auto warm = run(args, ctx);
  REQUIRE_MESSAGE(warm.code == 0, warm.err);
  CHECK(server.stats().billable == 5);
  CHECK(warm.out == cold.out);
  // And the same figures as without the cache (one request for the days).
  auto plain = run({"summary", "--format", "csv", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(plain.code == 0, plain.err);
  CHECK(server.stats().billable == 7);
  CHECK(plain.out == cold.out);
  auto none = run({"summary", "--format", "csv", "--no-forecast", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(none.code == 0, none.err);
  CHECK(server.stats().billable == 8);
  CHECK(none.out.find("forecast,") == std::string::npos);
  remove_tree(dir);
}

TEST_CASE("summary on an 80-column terminal fits for the demo's organization; a pipe gets whole names") {
  sim::simulator server(demo_data());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  ctx.stdout_is_terminal = true;
  ctx.terminal_width = 80;
  auto r = run({"summary", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() > 15);
  CHECK(lines.size() <= 30);  // one screen
  for (const auto& l : lines) {
    CAPTURE(l);
    CHECK(display_width(l) <= 80);
  }
  for (const char* s : {"Month to date", "Nov 1-25", "forecast, rest", "Nov 26-30", "forecast, month", "Last month",
                        "Last 7 days", "Yesterday", "Top 5 of 7 by SERVICE", "Other (2)", "Total (7)", "80% interval"}) {
    CAPTURE(s);
    CHECK(r.out.find(s) != std::string::npos);
  }
  // The last two days of data are estimated: marked in the totals.
  CHECK(r.out.find("* estimated") != std::string::npos);
  ctx.stdout_is_terminal = false;
  auto piped = run({"summary", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(piped.code == 0, piped.err);
  CHECK(piped.out.find("Amazon Elastic Compute Cloud - Compute") != std::string::npos);
}

TEST_CASE("summary --format markdown, csv and json shapes; --by TAG:key and FINOPS_CRAWLER_TODAY") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  env.set("FINOPS_CRAWLER_TODAY", "2026-11-26");
  auto ctx = test_context(env, ymd(2027, 1, 5));

  auto md = run({"summary", "--format", "markdown", "--top", "2", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(md.code == 0, md.err);
  CHECK(md.out.find("Costs to 2026-11-25") != std::string::npos);
  CHECK(md.out.find("| Period | Days | Amount | Before | Change | % |\n|---|---|---:|---:|---:|---:|\n") !=
        std::string::npos);
  std::vector<std::string> group_rows;
  for (const auto& l : lines_of(md.out))
    if (!l.empty() && l[0] == '|' && count_of(l, '|') == 14) group_rows.push_back(l);
  // header, rule, 2 top, other, total; 13 columns (the key and 4 x 3).
  REQUIRE(group_rows.size() == 6);
  CHECK(group_rows[0].rfind("| SERVICE | Month to date | Change | % | Last month |", 0) == 0);
  CHECK(group_rows[4].rfind("| Other (5) |", 0) == 0);
  CHECK(group_rows[5].rfind("| Total (7) |", 0) == 0);

  auto csv = run({"summary", "--format", "csv", "--top", "2", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(csv.code == 0, csv.err);
  const auto rows = lines_of(csv.out);
  REQUIRE(rows.size() == 1 + 4 * 4 + 2);  // header; total, 2 top, other x 4 windows; 2 forecast rows
  CHECK(rows[0] == "line,key,groups,window,start,end,amount,estimated,previous_start,previous_end,previous_amount,"
                   "previous_estimated,change,percent_change");
  CHECK(rows[1].rfind("total,total,7,month_to_date,2026-11-01,2026-11-26,", 0) == 0);
  CHECK(rows[17].rfind("forecast,total,7,rest_of_month,2026-11-26,2026-12-01,", 0) == 0);
  CHECK(rows[18].rfind("forecast,total,7,month,2026-11-01,2026-12-01,", 0) == 0);
  for (const auto& row : rows) {
    CAPTURE(row);
    CHECK(count_of(row, ',') == 13);  // service names hold no comma
  }

  auto tags = run({"summary", "--by", "TAG:Team", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(tags.code == 0, tags.err);
  CHECK(tags.out.find("(no Team)") != std::string::npos);
  CHECK(tags.out.find("Team$") == std::string::npos);
  auto json = run({"summary", "--format", "json", "--by", "TAG:Team", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(json.code == 0, json.err);
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  REQUIRE(p.parse(json.out).get(doc) == simdjson::SUCCESS);
  CHECK(str(doc["group_by"]) == "TAG:Team");
  simdjson::dom::array top;
  REQUIRE(doc["top"].get_array().get(top) == simdjson::SUCCESS);
  CHECK(top.size() == 4);  // platform, data, web, untagged: no "other"
  CHECK(doc["other"].is_null());
  for (auto g : top) CHECK(str(g["key"]).rfind("Team$", 0) == 0);  // AWS's Key$value in JSON
}

TEST_CASE("summary refuses bad arguments before anything is sent") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::pair<std::vector<std::string>, const char*>> cases{
      {{"--top", "0"}, "1..50"},
      {{"--top", "51"}, "1..50"},
      {{"--format", "xml"}, "table, markdown, json or csv"},
      {{"--format", "Markdown"}, "did you mean markdown?"},
      {{"--metric", "UsageQuantity"}, "compares costs"},
      {{"--by", "RESOURCE_ID"}, "14 days"},
      {{"--by", "service"}, "did you mean SERVICE?"},
      {{"--today", "2026-13-01"}, "FINOPS_CRAWLER_TODAY"},
      {{"--filter", "service=AWS Lambda"}, "did you mean SERVICE?"}};
  for (const auto& c : cases) {
    std::vector<std::string> a{"summary", "--endpoint-url", server.endpoint_url()};
    a.insert(a.end(), c.first.begin(), c.first.end());
    auto r = run(a, ctx);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(c.second) != std::string::npos);
    CHECK(r.out.empty());
  }
  CHECK(server.stats().requests == 0);
}

TEST_CASE("summary table: a footnote when the rounded rows do not add up to the rounded total") {
  const calendar_date d = ymd(2026, 11, 10);
  auto report_of = [&](const std::vector<std::string>& amounts) {
    summary_builder b(d.add_days(2));
    for (std::size_t i = 0; i < amounts.size(); ++i)
      REQUIRE(b.add(d, "service " + std::to_string(i), dec(amounts[i]), false));
    auto r = b.finish(5);
    REQUIRE(r);
    return *r;
  };
  std::ostringstream odd, even;
  // 0.004 three times: each shows 0.00, the total 0.01.
  render_summary_table(report_of({"0.004", "0.004", "0.004"}), odd, 80);
  CHECK(odd.str().find("Rounded rows do not add up") != std::string::npos);
  CHECK(odd.str().find("Total (3)") != std::string::npos);
  render_summary_table(report_of({"1.25", "2.5", "0.75"}), even, 80);
  CHECK(even.str().find("Rounded rows do not add up") == std::string::npos);
  CHECK(even.str().find("4.50") != std::string::npos);
  std::ostringstream md;
  render_summary_markdown(report_of({"0.004", "0.004", "0.004"}), md);
  CHECK(md.str().find("Rounded rows do not add up") != std::string::npos);
}

TEST_CASE("summary windows: month to date on the 31st and on the 1st; the fetch range covers every window") {
  // March 31: March 1-30 against all of February (clipped to its end).
  auto w = summary_windows(ymd(2027, 3, 31));
  CHECK(w[0].current.start == ymd(2027, 3, 1));
  CHECK(w[0].previous.start == ymd(2027, 2, 1));
  CHECK(w[0].previous.end == ymd(2027, 3, 1));
  CHECK(day_span(w[0].current) == "Mar 1-30");
  CHECK(day_span(w[1].current) == "Feb");
  // The 1st: nothing of this month is in yet.
  auto first = summary_windows(ymd(2026, 12, 1));
  CHECK(first[0].current.days() == 0);
  CHECK(day_span(first[0].current) == "none");
  CHECK(day_span(first[2].current) == "Nov 24-30");
  CHECK(day_span(summary_windows(ymd(2026, 12, 3))[2].current) == "Nov 26-Dec 2");
  for (calendar_date t = ymd(2026, 1, 1); t < ymd(2027, 1, 1); t = t.add_days(1)) {
    const date_range f = summary_fetch_range(t);
    for (const auto& p : summary_windows(t)) {
      CHECK(f.start <= p.current.start);
      CHECK(p.current.end <= f.end);
      CHECK(f.start <= p.previous.start);
      CHECK(p.previous.end <= f.end);
    }
  }
}

TEST_CASE("summary --help names every placeholder and range") {
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"summary", "--help"}, ctx);
  REQUIRE(r.code == 0);
  for (const char* generic : {" TEXT", " INT", " FLOAT", " UINT", ":TEXT", ":INT"}) {
    CAPTURE(generic);
    CHECK(r.out.find(generic) == std::string::npos);
  }
  for (const char* s : {"--by KEY", "--top N", "1..50", "--format FORMAT", "--today DATE", "--cache DIR"}) {
    CAPTURE(s);
    CHECK(r.out.find(s) != std::string::npos);
  }
}

TEST_CASE("summary: a forecast AWS refuses leaves the rest of the summary, with a note and exit 0") {
  sim::simulator server(data_to_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  // A day before the simulator's current date (2026-11-26): GetCostForecast
  // refuses a Start in the past; the costs of that period are still there.
  auto r = run({"summary", "--format", "json", "--today", "2026-11-20", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  CHECK(r.err.find("GetCostForecast") != std::string::npos);
  CHECK(r.err.find("without the forecast") != std::string::npos);
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  REQUIRE(p.parse(r.out).get(doc) == simdjson::SUCCESS);
  CHECK(doc["forecast"].is_null());
  CHECK(str(doc["forecast_note"]).find("unavailable") == 0);
  CHECK(dec(str(doc["total"]["month_to_date"]["amount"])) ==
        dec(sum_of(truth(server.data(), "2026-11-01", "2026-11-20")).to_string()));
  CHECK(server.stats().billable == 1);  // the refused forecast is not billed
  auto table = run({"summary", "--today", "2026-11-20", "--endpoint-url", server.endpoint_url()}, ctx);
  REQUIRE_MESSAGE(table.code == 0, table.err);
  CHECK(table.out.find("Forecast: unavailable") != std::string::npos);
  CHECK(table.out.find("forecast, rest") == std::string::npos);
}

TEST_CASE("summary_crawl_ranges: one range, or with a cache the final month before last on its own") {
  const auto plain = summary_crawl_ranges(today, false);
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].start == ymd(2026, 9, 1));
  CHECK(plain[0].end == today);
  const auto cached = summary_crawl_ranges(today, true);
  REQUIRE(cached.size() == 2);
  CHECK(cached[0].start == ymd(2026, 9, 1));
  CHECK(cached[0].end == ymd(2026, 10, 1));
  CHECK(cached[1].start == ymd(2026, 10, 1));
  CHECK(cached[1].end == today);
  // On the 1st: [Oct 1, Dec 1) splits at Nov 1 (October is final then).
  const auto first = summary_crawl_ranges(ymd(2026, 12, 1), true);
  REQUIRE(first.size() == 2);
  CHECK(first[0].end == ymd(2026, 11, 1));
}

TEST_CASE("comparison::percent: the sign of the change, also against credits; none against zero") {
  auto pct = [](const char* now, const char* before) {
    comparison c;
    REQUIRE(decimal::parse(now).get(c.current) == errc::ok);
    REQUIRE(decimal::parse(before).get(c.previous) == errc::ok);
    return c.percent();
  };
  CHECK(*pct("15", "10") == doctest::Approx(50.0));
  CHECK(*pct("5", "10") == doctest::Approx(-50.0));
  CHECK(*pct("-5", "-10") == doctest::Approx(50.0));   // smaller credit: costs rose
  CHECK(*pct("-15", "-10") == doctest::Approx(-50.0));  // larger credit: costs fell
  CHECK(*pct("5", "-10") == doctest::Approx(150.0));
  CHECK_FALSE(pct("5", "0").has_value());
}

TEST_CASE("summary guardrails: --dry-run and a cap below the estimate send nothing; a cap reached stops with exit 6 "
          "and no summary") {
  auto o = data_to_today();
  // 7 services x 86 days take 13 pages of 50 groups; the estimate from the
  // shape (25 groups a day, 1000 a page: 3 pages, and the forecast) is 4.
  o.page_size_groups = 50;
  sim::simulator server(o);
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::string> base{"summary", "--endpoint-url", server.endpoint_url(), "--today", "2026-11-26"};

  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return run(a, ctx);
  };
  auto dry = with({"--dry-run"});
  CAPTURE(dry.err);
  CHECK(dry.code == 0);
  CHECK(dry.out.empty());
  CHECK(dry.err.find("estimate: 4 billable requests (USD 0.04)") != std::string::npos);
  CHECK(server.stats().requests == 0);

  auto refused = with({"--max-requests", "3"});
  CAPTURE(refused.err);
  CHECK(refused.code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err.find("Raise --max-requests to 4") != std::string::npos);
  CHECK(server.stats().requests == 0);

  auto stopped = with({"--max-requests", "5"});
  CAPTURE(stopped.err);
  CHECK(stopped.code == 6);
  CHECK(stopped.out.empty());
  CHECK(stopped.err.find("no summary was written") != std::string::npos);
  CHECK(server.stats().billable == 5);  // the cap, and no forecast past it
}
