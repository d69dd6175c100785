// Bodies of forecast_command.hpp.
#include "forecast_command.hpp"

#include <ostream>

#include "amount_format.hpp"
#include "csv_writer.hpp"
#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/forecast_page.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "query_args.hpp"
#include "record_output.hpp"
#include "session.hpp"
#include "table_writer.hpp"
#include "value_suggestions.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

error usage(std::string msg) { return error(errc::invalid_argument, std::move(msg)); }

// GetCostForecast's Metric is SCREAMING_CASE; the GetCostAndUsage spelling
// (UnblendedCost, what --metric takes elsewhere) is accepted and converted.
std::string forecast_metric(const std::string& typed) {
  if (auto m = ce::parse_metric(typed)) return std::string(ce::forecast_metric_names[static_cast<std::size_t>(*m)]);
  return typed;
}

result<ce::cost_forecast_request> build_request(const forecast_flags& f, calendar_date today) {
  ce::cost_forecast_request r;
  // The rest of this month by default: [today, the 1st of next month).
  calendar_date start = today;
  calendar_date end = add_months_first(today, 1);
  if (!f.start.empty()) {
    auto s = parse_date(f.start);
    if (!s) return usage("--start '" + f.start + "': " + s.error().message);
    start = *s;
  }
  if (!f.end.empty()) {
    auto e = parse_date(f.end);
    if (!e) return usage("--end '" + f.end + "': " + e.error().message);
    end = *e;
  }
  // AWS: "The start date must be equal to or later than the current date".
  if (start < today)
    return usage("--start " + start.to_string() + " is before today (" + today.to_string() +
                 "): a forecast starts today or later; past costs are `finops-crawler costs`");
  if (end <= start) return usage("--end " + end.to_string() + " must be after --start " + start.to_string());
  r.time_period = {start.to_string(), end.to_string()};
  auto g = ce::parse_granularity(f.granularity);
  if (!g || *g == ce::granularity::hourly) {
    std::string msg = "--granularity " + f.granularity + ": use DAILY or MONTHLY";
    if (auto near = same_but_case(f.granularity, {"DAILY", "MONTHLY"})) msg += " (did you mean " + *near + "?)";
    return usage(msg);
  }
  r.granularity = *g;
  r.metric = forecast_metric(f.metric);
  if (f.prediction_interval < 51 || f.prediction_interval > 99)
    return usage("--prediction-interval " + std::to_string(f.prediction_interval) +
                 ": 51..99 (percent; AWS's PredictionIntervalLevel)");
  r.prediction_interval_level = f.prediction_interval;
  auto filter = build_filter(f.filters, {});
  if (!filter) return filter.error();
  r.filter = std::move(*filter);
  if (auto st = r.validate(); !st) return st.error();
  return r;
}

void json_field(std::string& o, std::string_view name, std::string_view value) {
  (void)finops_crawler::detail::append_json_string(o, name);
  o += ':';
  (void)finops_crawler::detail::append_json_string(o, value);
}

// AWS's GetCostForecast response shape, field names and exact strings.
std::string to_aws_json(const ce::forecast_page& page) {
  std::string o = "{";
  if (page.has_total()) {
    o += "\"Total\":{";
    json_field(o, "Amount", page.total().amount_text());
    o += ',';
    json_field(o, "Unit", page.total().unit());
    o += "},";
  }
  o += "\"ForecastResultsByTime\":[";
  bool first = true;
  for (const ce::forecast_result& r : page.results()) {
    if (!first) o += ',';
    first = false;
    o += "{\"TimePeriod\":{";
    json_field(o, "Start", r.start);
    o += ',';
    json_field(o, "End", r.end);
    o += "},";
    json_field(o, "MeanValue", r.mean_text);
    if (!r.lower_text.empty()) {
      o += ',';
      json_field(o, "PredictionIntervalLowerBound", r.lower_text);
    }
    if (!r.upper_text.empty()) {
      o += ',';
      json_field(o, "PredictionIntervalUpperBound", r.upper_text);
    }
    o += '}';
  }
  o += "]}";
  return o;
}

void write_csv_row(std::ostream& o, const std::vector<std::string_view>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) o << ',';
    write_csv_field(o, fields[i]);
  }
  o << '\n';
}

}  // namespace

exit_code run_forecast(const forecast_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                       std::ostream& err) {
  auto fail = [&](const error& e, exit_code c) {
    err << explain_error(e, "ce:GetCostForecast") << "\n";
    return c;
  };
  const calendar_date today = ctx.date();
  auto req = build_request(f, today);
  if (!req) return fail(req.error(), exit_code::usage);
  std::string format = f.format.empty() ? (ctx.stdout_is_terminal ? "table" : "csv") : f.format;
  if (format != "csv" && format != "json" && format != "table")
    return fail(usage("--format " + format + ": use csv, json or table"), exit_code::usage);

  auto sess = session::open(conn, ctx, err);
  if (!sess) return fail(sess.error(), exit_code_for(sess.error()));
  auto client = (*sess)->client(aws::cost_explorer_api);
  if (!client) return fail(client.error(), exit_code::usage);
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*client), ceo);
  ce::forecast_page page;
  const status st = explorer.get_cost_forecast(*req, page);
  (*sess)->progress().clear();
  if ((*sess)->progress().enabled() || conn.verbose) err << (*sess)->summary() << "\n";
  if (!st) return fail(st.error(), exit_code_for(st.error()));

  // Nothing reaches `out` before the reply is in; then all of it at once.
  record_output records(out);
  std::ostream& o = records.stream();
  const std::string unit = page.has_total() ? std::string(page.total().unit()) : std::string("USD");
  if (format == "json") {
    o << to_aws_json(page) << '\n';
  } else if (format == "csv") {
    o << "period_start,period_end,kind,mean,lower_bound,upper_bound,unit\n";
    for (const ce::forecast_result& r : page.results())
      write_csv_row(o, {r.start, r.end, "period", r.mean_text, r.lower_text, r.upper_text, unit});
    if (page.has_total())
      write_csv_row(o, {req->time_period.start, req->time_period.end, "total", page.total().amount_text(), "", "",
                        unit});
  } else {
    const std::string interval = std::to_string(f.prediction_interval) + "% interval";
    text_table t({{"period", false, true}, {"end", false, true}, {"mean", true}, {interval, true}, {"unit", false}});
    for (const ce::forecast_result& r : page.results())
      t.add_row({std::string(r.start), std::string(r.end), display_amount(r.mean_text),
                 r.lower_text.empty() ? std::string()
                                      : display_amount(r.lower_text) + " .. " + display_amount(r.upper_text),
                 unit});
    if (page.has_total())
      t.add_row({"total", "", display_amount(page.total().amount_text()), "", unit});
    o << "Forecast " << req->metric << ", " << req->time_period.start << " to " << req->time_period.end
      << " (End exclusive)\n";
    t.render(o, ctx.stdout_is_terminal ? ctx.terminal_width : 0);
  }
  if (!records.flush()) {
    if (reader_gone(records.error_number(), -1)) return exit_code::closed_pipe;
    err << "finops-crawler: writing the forecast failed\n";
    return exit_code::failure;
  }
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
