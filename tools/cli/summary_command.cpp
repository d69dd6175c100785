// Bodies of summary_command.hpp.
#include "summary_command.hpp"

#include <optional>
#include <ostream>
#include <utility>

#include "costs_command.hpp"
#include "error_hints.hpp"
#include "multi_profile.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/enums.hpp"
#include "finops_crawler/aws/ce/forecast_page.hpp"
#include "query_args.hpp"
#include "record_output.hpp"
#include "session.hpp"
#include "summary_model.hpp"
#include "summary_render.hpp"
#include "value_suggestions.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

error usage(std::string msg) { return error(errc::invalid_argument, std::move(msg)); }

// The forecast interval the summary asks for (GetCostForecast's default
// level is 80 as well).
constexpr int interval_level = 80;

result<ce::cost_forecast_request> forecast_request(const summary_flags& f, ce::metric m, calendar_date today) {
  ce::cost_forecast_request r;
  // The rest of this month: AWS needs Start >= today ("must be equal to or
  // later than the current date", GetCostForecast).
  r.time_period = {today.to_string(), add_months_first(today, 1).to_string()};
  r.granularity = ce::granularity::monthly;
  r.metric = std::string(ce::forecast_metric_names[static_cast<std::size_t>(m)]);
  r.prediction_interval_level = interval_level;
  std::vector<ce::expression> parts;
  for (const auto& s : f.filters) {
    auto e = parse_filter(s);
    if (!e) return e.error();
    parts.push_back(std::move(*e));
  }
  r.filter = combine_and(std::move(parts));
  if (auto st = r.validate(); !st) return st.error();
  return r;
}

// Sums a page's periods into the builder (the first metric: the one asked).
status add_page(summary_builder& b, const ce::cost_page& page, std::string& unit) {
  for (ce::result_by_time r : page.results()) {
    auto day = calendar_date::parse(r.start());
    if (!day) return error(errc::unexpected_shape, "a ResultsByTime Start is not a date: " + std::string(r.start()));
    for (ce::group g : r.groups()) {
      auto keys = g.keys();
      if (keys.empty()) continue;
      for (const ce::metric_value& m : g.metrics()) {
        auto amount = decimal::parse(m.amount_text());
        if (!amount)
          return error(errc::unexpected_shape, "an Amount is not a decimal: " + std::string(m.amount_text()));
        if (unit.empty() && !m.unit().empty()) unit = std::string(m.unit());
        if (auto st = b.add(*day, keys[0], *amount, r.estimated()); !st) return st;
        break;
      }
    }
    // A day without groups still counts as estimated for the totals.
    if (r.estimated()) b.mark_estimated(*day);
  }
  return {};
}

}  // namespace

exit_code run_summary(const summary_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                      std::ostream& err) {
  auto fail = [&](const error& e, exit_code c, std::string_view action = {}) {
    err << explain_error(e, action) << "\n";
    return c;
  };
  // 1. Everything local, before any request.
  auto today_r = resolve_today(f.today, ctx);
  if (!today_r) return fail(today_r.error(), exit_code::usage);
  const calendar_date today = *today_r;
  const std::string format = f.format.empty() ? "table" : f.format;
  if (format != "table" && format != "markdown" && format != "json" && format != "csv") {
    std::string msg = "--format " + format + ": use table, markdown, json or csv";
    if (auto near = same_but_case(format, {"table", "markdown", "json", "csv"})) msg += " (did you mean " + *near + "?)";
    return fail(usage(msg), exit_code::usage);
  }
  if (f.top < 1 || f.top > 50) return fail(usage("--top " + std::to_string(f.top) + ": 1..50"), exit_code::usage);
  auto metric = ce::parse_metric(f.metric);
  bool cost_metric = false;
  for (ce::metric m : ce::cost_forecast_metrics) cost_metric = cost_metric || (metric && *metric == m);
  if (!cost_metric)
    return fail(usage("--metric " + f.metric + ": a summary compares costs: UnblendedCost, AmortizedCost, "
                      "BlendedCost, NetAmortizedCost or NetUnblendedCost"),
                exit_code::usage);
  if (f.by == "RESOURCE_ID")
    return fail(usage("--by RESOURCE_ID: resource-level data covers only the last 14 days; a summary needs two "
                      "months (use costs --group-by RESOURCE_ID)"),
                exit_code::usage);
  // The crawl is a `costs` query: one validation of flags and request.
  const date_range range = summary_fetch_range(today);
  costs_flags cf;
  cf.period.start = range.start.to_string();
  cf.period.end = range.end.to_string();
  cf.granularity = "DAILY";
  cf.metrics = {f.metric};
  cf.group_by = {f.by};
  cf.filters = f.filters;
  auto query = build_costs_query(cf, today);
  if (!query) return fail(query.error(), exit_code::usage);
  auto freq = forecast_request(f, *metric, today);
  if (!freq) return fail(freq.error(), exit_code::usage);
  auto guard = crawl_guard::from_flags(f.guard);
  if (!guard) return fail(guard.error(), exit_code::usage);
  if (is_profile_list(conn)) {
    // One summary per profile, each under a heading naming the profile and
    // its account; json and csv have no place for a profile yet.
    if (format == "json" || format == "csv")
      return fail(usage("--format " + format + " with several profiles: use table or markdown, or run once per "
                        "profile"),
                  exit_code::usage);
    return run_for_each_profile(conn, ctx, err,
                                [&](const connection_flags& one, const profile_tag& tag, std::ostream& perr) {
                                  out << (format == "markdown" ? "## " : "== ") << tag.heading() << "\n\n";
                                  const exit_code c = run_summary(f, one, ctx, out, perr);
                                  out << "\n";
                                  return c;
                                });
  }

  // 2. Credentials, then the requests.
  auto sess = session::open(conn, ctx, err);
  if (!sess) return fail(sess.error(), exit_code_for(sess.error()));
  session& s = **sess;
  auto client = s.client(aws::cost_explorer_api);
  if (!client) return fail(client.error(), exit_code::usage);
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*client), ceo);

  // With --cache the final part (the month before last) is crawled on its
  // own, so its pages are final and cached, and their NextPageTokens never
  // meet a live crawl (as `costs` does).
  const std::vector<date_range> ranges = summary_crawl_ranges(today, s.cache() != nullptr);
  // The estimate, before the first request: the crawl's ranges from their
  // shape, and the forecast's one request.
  crawl_estimate estimate;
  for (const auto& part : ranges) {
    ce::request_shape shape;
    shape.start = part.start;
    shape.end = part.end;
    shape.granularity = ce::granularity::daily;
    shape.group_by_count = 1;
    estimate = estimate + estimate_crawl(shape, nullptr, {});
  }
  if (!f.no_forecast) estimate = estimate + crawl_estimate{1, "1 GetCostForecast"};
  if (auto stop = guard->check(estimate, err, conn.verbose)) return *stop;
  s.progress().set_expected_pages(estimate.requests);
  ce::crawl_options crawl;
  crawl.budget = guard->budget();
  std::uint64_t cached_seen = s.cached_pages();
  summary_builder builder(today);
  std::string unit;
  for (const auto& part : ranges) {
    auto req = query->plain;
    req.time_period = {part.start.to_string(), part.end.to_string()};
    auto st = explorer.crawl_cost_and_usage(
        req,
        [&](const ce::cost_page& page, const ce::page_info&) -> status {
          // A page the cache answered was charged by the client but billed by no one.
          guard->not_billed(s.cached_pages() - cached_seen);
          cached_seen = s.cached_pages();
          return add_page(builder, page, unit);
        },
        crawl);
    if (st && st->budget_exhausted) {
      // The cap stopped the crawl (a success with budget_exhausted, crawl.hpp).
      // A summary of part of the days would be wrong, not partial: nothing is written.
      s.progress().clear();
      err << guard->stop_message("; no summary was written") << "\n";
      return exit_code::partial;
    }
    if (!st) {
      s.progress().clear();
      return fail(st.error(), exit_code_for(st.error()), "ce:GetCostAndUsage");
    }
  }
  auto report = builder.finish(static_cast<std::size_t>(f.top));
  if (!report) {
    s.progress().clear();
    return fail(report.error(), exit_code::failure);
  }
  report->metric = f.metric;
  report->unit = unit.empty() ? "USD" : unit;
  report->group_by = f.by;

  if (f.no_forecast) {
    report->forecast_note = "not asked (--no-forecast)";
  } else if (!guard->budget()->allows_next()) {
    report->forecast_note = "not asked (the request cap was reached)";
  } else {
    ce::forecast_page page;
    const status st = explorer.get_cost_forecast(*freq, page);
    std::optional<decimal> mean;
    if (st && page.has_total()) {
      if (auto m = decimal::parse(page.total().amount_text())) mean = *m;
    }
    if (mean) {
      std::optional<decimal> lower, upper;
      decimal lo, up;
      bool bounds = !page.results().empty();
      for (const ce::forecast_result& r : page.results()) {
        auto l = r.lower_bound();
        auto u = r.upper_bound();
        bounds = bounds && l && u && lo.add_assign(*l) && up.add_assign(*u);
      }
      if (bounds) {
        lower = lo;
        upper = up;
      }
      if (auto fs = summary_builder::set_forecast(*report, *mean, lower, upper, interval_level); !fs)
        return fail(fs.error(), exit_code::failure);
    } else {
      // The rest of the summary stands; the reason goes to stderr.
      s.progress().clear();
      if (!st) {
        err << explain_error(st.error(), "ce:GetCostForecast") << "\nfinops-crawler: note: the summary is shown "
            << "without the forecast\n";
        report->forecast_note = "unavailable (" + st.error().describe() + ")";
      } else {
        report->forecast_note = "unavailable (no Total in the reply)";
      }
    }
  }
  s.progress().clear();
  if (s.progress().enabled() || conn.verbose) err << s.summary() << "\n";

  // 3. All of the output at once, after the last reply.
  record_output records(out);
  std::ostream& o = records.stream();
  if (format == "json") render_summary_json(*report, o);
  else if (format == "csv") render_summary_csv(*report, o);
  else if (format == "markdown") render_summary_markdown(*report, o);
  else render_summary_table(*report, o, ctx.stdout_is_terminal ? ctx.terminal_width : 0);
  if (!records.flush()) {
    if (reader_gone(records.error_number(), -1)) return exit_code::closed_pipe;
    err << "finops-crawler: writing the summary failed\n";
    return exit_code::failure;
  }
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
