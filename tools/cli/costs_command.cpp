// Bodies of costs_command.hpp.
#include "costs_command.hpp"

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>

#include "account_names.hpp"
#include "atomic_file.hpp"
#include "costs_profiles.hpp"
#include "csv_writer.hpp"
#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/merged_results.hpp"
#include "multi_profile.hpp"
#include "ndjson_writer.hpp"
#include "pivot_writer.hpp"
#include "query_args.hpp"
#include "record_output.hpp"
#include "response_cache.hpp"
#include "resume_state.hpp"
#include "session.hpp"
#include "table_writer.hpp"
#include "terminal_table.hpp"
#include "test_kill_hook.hpp"
#include "value_suggestions.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {
template <class Request>
void fill_common(Request& r, const date_range& range, ce::granularity g, std::vector<std::string> metrics,
                 std::vector<ce::group_by> groups, std::optional<ce::expression> filter) {
  if (g == ce::granularity::hourly) {
    // HOURLY periods take date-times, both in the same form (DateInterval docs).
    r.time_period = {range.start.to_string() + "T00:00:00Z", range.end.to_string() + "T00:00:00Z"};
  } else {
    r.time_period = {range.start.to_string(), range.end.to_string()};
  }
  r.granularity = g;
  r.metrics = std::move(metrics);
  r.group_by = std::move(groups);
  r.filter = std::move(filter);
}

// The request over `range` (a part of the period).
template <class Request>
Request with_period(Request r, const date_range& range) {
  const bool hourly = r.granularity == ce::granularity::hourly;
  r.time_period = {range.start.to_string() + (hourly ? "T00:00:00Z" : ""),
                   range.end.to_string() + (hourly ? "T00:00:00Z" : "")};
  return r;
}

// The values of `dimension` in `range` (one page of GetDimensionValues:
// billable, counted in the session like every page).
result<std::vector<std::string>> dimension_values(ce::cost_explorer& explorer, const std::string& dimension,
                                                  const date_range& range, calendar_date today) {
  ce::dimension_values_request req;
  req.dimension = dimension;
  req.time_period = {range.start.to_string(), range.end.to_string()};
  ce::validation_context vc;
  vc.today = today.to_string();
  if (auto st = req.validate(vc); !st) return st.error();
  std::vector<std::string> values;
  ce::crawl_options one_page;
  one_page.max_pages = 1;
  one_page.allow_partial = true;
  auto st = explorer.crawl_dimension_values(
      req,
      [&](const ce::dimension_values_page& page, const ce::page_info&) {
        for (ce::dimension_value v : page.values()) values.emplace_back(v.value());
      },
      one_page);
  if (!st) return st.error();
  return values;
}

// A report that matched nothing with --filter DIMENSION=v: which values do
// not exist in the period, and the nearest that do. Notes on `err`.
void explain_empty_filters(const std::vector<std::string>& filters, ce::cost_explorer& explorer,
                           const date_range& range, calendar_date today, std::ostream& err) {
  for (const auto& text : filters) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || text.find(':') < eq) continue;  // TAG: and COST_CATEGORY: have no dimension list
    const std::string dimension = text.substr(0, eq);
    auto known = dimension_values(explorer, dimension, range, today);
    if (!known) {
      err << "finops-crawler: note: --filter " << text << " matched nothing in this period (the values of "
          << dimension << " could not be listed: " << known.error().describe() << ")\n";
      continue;
    }
    for (const auto& v : split_values(text.substr(eq + 1))) {
      if (std::find(known->begin(), known->end(), v) != known->end()) continue;
      err << "finops-crawler: note: --filter " << dimension << "=" << v << " matched nothing from "
          << range.start.to_string() << " to " << range.end.add_days(-1).to_string();
      const auto near = nearest_values(v, *known);
      if (!near.empty()) {
        err << "; nearest " << dimension << " values:";
        for (std::size_t i = 0; i < near.size(); ++i) err << (i ? ", \"" : " \"") << near[i] << '"';
      } else if (!known->empty()) {
        err << "; " << known->size() << " " << dimension << " values exist, see `finops-crawler dimensions "
            << dimension << "`";
      } else {
        err << "; " << dimension << " has no values in this period";
      }
      err << " (from GetDimensionValues: 1 billable request)\n";
    }
  }
}

// The report format an --output name implies when --format is not given:
// only the extensions that name one format (case ignored).
std::string format_for_extension(const std::string& path) {
  const auto slash = path.rfind('/');
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  for (char& c : ext) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (ext == "csv") return "csv";
  if (ext == "json") return "json";
  if (ext == "ndjson" || ext == "jsonl") return "ndjson";
  return {};
}

// Resets the interrupt message when a run ends, however it ends.
struct report_target_scope {
  explicit report_target_scope(bool active, report_target t) : active_(active) {
    if (active_) set_report_target(t);
  }
  ~report_target_scope() {
    if (active_) set_report_target(report_target::none);
  }
  report_target_scope(const report_target_scope&) = delete;
  report_target_scope& operator=(const report_target_scope&) = delete;
  bool active_;
};
}  // namespace

result<costs_query> build_costs_query(const costs_flags& f, calendar_date today) {
  costs_query q;
  bool resource = false;
  for (const auto& g : f.group_by) resource = resource || g == "RESOURCE_ID";
  if (f.group_by.size() > 2)
    return error(errc::invalid_argument, "--group-by given " + std::to_string(f.group_by.size()) +
                                             " times: Cost Explorer groups by at most two keys");
  // GetCostAndUsageWithResources reaches back 14 days only: by default,
  // every day it serves ([earliest Start, today)).
  const int resource_days = static_cast<int>(today - ce::resource_level_earliest_start(today));
  auto range = resolve_period(f.period, today, resource ? resource_days : 0);
  if (!range) return range.error();
  q.range = *range;
  auto gran = ce::parse_granularity(f.granularity);
  if (!gran) {
    std::string msg = "--granularity " + f.granularity + ": use DAILY, MONTHLY or HOURLY";
    if (auto near = same_but_case(f.granularity, {"DAILY", "MONTHLY", "HOURLY"})) msg += " (did you mean " + *near + "?)";
    return error(errc::invalid_argument, msg);
  }
  std::vector<ce::group_by> groups;
  for (std::size_t i = 0; i < f.group_by.size(); ++i) {
    auto g = parse_group_by(f.group_by[i]);
    if (!g) return g.error();
    if (g->type == ce::group_definition_type::dimension && g->key == "LINKED_ACCOUNT") q.account_group = static_cast<int>(i) + 1;
    groups.push_back(std::move(*g));
  }
  std::optional<ce::expression> ec2;
  if (resource) ec2 = ce::expression::dimension("SERVICE", {std::string(ec2_compute_service)});
  auto filter = build_filter(f.filters, f.filter_json, std::move(ec2));
  if (!filter) return filter.error();
  std::vector<std::string> metrics = f.metrics.empty() ? std::vector<std::string>{"UnblendedCost"} : f.metrics;
  ce::validation_context ctx;
  ctx.today = today.to_string();
  q.with_resources = resource;
  if (resource) {
    fill_common(q.resources, q.range, *gran, std::move(metrics), std::move(groups), std::move(*filter));
    if (auto st = q.resources.validate(ctx); !st) return st.error();
  } else {
    fill_common(q.plain, q.range, *gran, std::move(metrics), std::move(groups), std::move(*filter));
    if (auto st = q.plain.validate(ctx); !st) return st.error();
  }
  return q;
}

costs_outcome run_costs(const costs_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                        std::ostream& err, row_sink* override_sink) {
  costs_outcome outcome;
  auto fail = [&](const error& e, exit_code c, std::string_view action = {}) {
    err << explain_error(e, action) << "\n";
    outcome.code = c;
    return outcome;
  };
  const calendar_date today = ctx.date();
  auto query = build_costs_query(f, today);
  if (!query) return fail(query.error(), exit_code::usage);
  std::string format = f.format;
  if (format.empty() && !f.output.empty()) format = format_for_extension(f.output);
  if (format.empty()) format = ctx.stdout_is_terminal && f.output.empty() ? "table" : "csv";
  if (format != "csv" && format != "ndjson" && format != "json" && format != "table")
    return fail(error(errc::invalid_argument, "--format " + format + ": use csv, ndjson, json or table"), exit_code::usage);
  if (f.pivot && format != "csv" && format != "table")
    return fail(error(errc::invalid_argument, "--pivot writes csv or table, not " + format), exit_code::usage);
  // Several profiles: the same report for each, rows tagged (costs_profiles.hpp).
  if (override_sink == nullptr && is_profile_list(conn)) return run_costs_for_profiles(f, format, *query, conn, ctx, out, err);

  auto guard = crawl_guard::from_flags(f.guard);
  if (!guard) return fail(guard.error(), exit_code::usage);

  // With --cache, the part of the period that is final and the recent part
  // are crawled separately, so the cached pages' NextPageTokens never meet
  // a live crawl (AWS tokens may not outlive the session that issued them).
  std::vector<date_range> ranges{query->range};
  const calendar_date cutoff = final_cutoff(today);
  if (!conn.cache_dir.empty() && query->range.start < cutoff && cutoff < query->range.end)
    ranges = {date_range{query->range.start, cutoff}, date_range{cutoff, query->range.end}};
  std::vector<std::string> bodies;  // one request per part, also the query's fingerprint
  std::string normalized_body;      // the request without its period: the history key
  for (const auto& range : ranges) {
    auto body = query->with_resources ? with_period(query->resources, range).to_json()
                                      : with_period(query->plain, range).to_json();
    if (!body) return fail(body.error(), exit_code::usage);
    bodies.push_back(std::move(*body));
  }
  {
    const date_range placeholder{calendar_date::from_days(10957), calendar_date::from_days(10958)};  // 2000-01-01
    auto body = query->with_resources ? with_period(query->resources, placeholder).to_json()
                                      : with_period(query->plain, placeholder).to_json();
    if (body) normalized_body = std::move(*body);
  }
  const std::string operation =
      query->with_resources ? std::string(ce::cost_and_usage_with_resources_request::operation_name)
                            : std::string(ce::cost_and_usage_request::operation_name);

  // --output FILE in csv or ndjson can be resumed (resume_state.hpp): the
  // records go to FILE.partial, the state after each page to FILE.resume.
  // (A --pivot table is written whole at the end: nothing to resume.)
  const bool resumable = !f.output.empty() && (format == "csv" || format == "ndjson") && !f.pivot &&
                         override_sink == nullptr && resumable_target(f.output);
  if (f.resume && !resumable)
    return fail(error(errc::invalid_argument,
                      "--resume continues a `costs --output FILE` run in csv or ndjson without --pivot (FILE a regular "
                      "file); "
                      "add --output FILE as in the interrupted run"),
                exit_code::usage);
  resume_state state;
  if (resumable) {
    std::string text = "costs\n" + format + "\n" + (f.account_names ? "names\n" : "\n");
    for (const auto& b : bodies) text += b + "\n";
    state.query = resume_fingerprint(text);
    auto earlier = load_resume_state(resume_path(f.output));
    // A damaged side file stops only --resume; a new run replaces it.
    if (!earlier && f.resume) return fail(earlier.error(), exit_code::usage);
    if (!earlier) earlier = std::optional<resume_state>(resume_state{});
    if (f.resume && !*earlier) {
      err << "finops-crawler: note: --resume: no " << resume_path(f.output)
          << " (nothing was interrupted); starting from the first page\n";
    } else if (f.resume) {
      if ((*earlier)->query != state.query || (*earlier)->part >= ranges.size())
        return fail(error(errc::invalid_argument,
                          "--resume: " + resume_path(f.output) +
                              " was written by a run of another query (period, granularity, metrics, group-bys, "
                              "filters, format or --cache differ, or a rolling period moved on); run exactly the "
                              "interrupted command with --resume, or without --resume to start over"),
                    exit_code::usage);
      state = **earlier;
    } else if (*earlier && !f.guard.dry_run) {
      err << "finops-crawler: note: " << resume_path(f.output)
          << " from an interrupted run is replaced: this run starts over (add --resume to continue it instead)\n";
    }
  }

  // The output file exists (as a temporary, or FILE.partial) before any
  // request is sent; a dry run writes nothing.
  std::optional<atomic_file> file;
  std::optional<partial_file> partial;
  if (!f.output.empty() && !f.guard.dry_run) {
    if (resumable) {
      auto pf = partial_file::open(f.output, state.bytes);
      if (!pf) return fail(pf.error(), exit_code::usage);
      partial.emplace(std::move(*pf));
      if (state.pages > 0) partial->keep();
    } else {
      auto af = atomic_file::create(f.output);
      if (!af) return fail(af.error(), exit_code::usage);
      file.emplace(std::move(*af));
    }
  }
  std::ostream& real_stream = partial ? partial->stream() : file ? file->stream() : out;
  // Writers write into `records`; complete records reach the real stream at
  // page ends (see record_output.hpp), so an interrupt or a failing page
  // never leaves half a record, and nothing is written before the first
  // page succeeded.
  record_output records(real_stream);
  std::ostream& sink_stream = records.stream();
  const bool streamed = f.output.empty() || (file && file->writes_through());
  report_target_scope interrupt_note(override_sink == nullptr && !f.guard.dry_run,
                                     streamed ? report_target::streamed
                                              : partial ? report_target::resumable : report_target::file);

  auto sess = session::open(conn, ctx, err);
  if (!sess) return fail(sess.error(), exit_code_for(sess.error()));
  session& s = **sess;

  // The estimate, before the first request (and before Organizations: a
  // dry run sends nothing at all).
  const ce::granularity granularity =
      (query->with_resources ? query->resources.granularity : query->plain.granularity).value_or(ce::granularity::daily);
  const std::string hkey = normalized_body.empty() ? std::string() : history_key(operation, normalized_body);
  crawl_estimate estimate;
  for (std::size_t i = state.part; i < ranges.size(); ++i) {
    ce::request_shape shape;
    shape.start = ranges[i].start;
    shape.end = ranges[i].end;
    shape.granularity = granularity;
    shape.group_by_count = f.group_by.size();
    estimate = estimate + estimate_crawl(shape, s.cache(), hkey);
  }
  if (state.pages > 0) {
    // A resumed crawl skips the pages written; at least the next one is sent.
    estimate.requests = estimate.requests > state.pages ? estimate.requests - state.pages : 1;
    estimate.basis += "; " + std::to_string(state.pages) + " pages already written";
  }
  if (auto stop = guard->check(estimate, err, conn.verbose)) {
    outcome.code = *stop;
    return outcome;
  }
  s.progress().set_expected_pages(estimate.requests);

  // --account-names: Organizations first (free, complete); when it is not
  // allowed (member account, no organization), the DimensionValueAttributes
  // Cost Explorer sends with LINKED_ACCOUNT groups.
  std::map<std::string, std::string> names;
  const bool want_names = f.account_names && query->account_group != 0;
  if (f.account_names && query->account_group == 0)
    err << "finops-crawler: note: --account-names applies only with --group-by LINKED_ACCOUNT\n";
  if (want_names) {
    auto org = s.client(aws::organizations_api);
    if (!org) return fail(org.error(), exit_code::usage);
    auto accounts = list_accounts(*org);
    if (accounts) {
      for (const auto& a : *accounts) names[a.id] = a.name;
    } else if (conn.verbose) {
      err << "finops-crawler: Organizations unavailable (" << accounts.error().describe()
          << "); using Cost Explorer's account descriptions\n";
    }
  }

  auto client = s.client(aws::cost_explorer_api);
  if (!client) return fail(client.error(), exit_code::usage);
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*client), ceo);

  std::unique_ptr<row_sink> own_sink;
  std::unique_ptr<ce::merged_results> json;
  const bool names_column = want_names;
  if (override_sink == nullptr && f.pivot) {
    const bool terminal = ctx.stdout_is_terminal && !file;  // cut only on a terminal
    own_sink.reset(new pivot_writer(sink_stream, format == "table", terminal ? ctx.terminal_width : 0));
  } else if (override_sink == nullptr) {
    if (format == "csv") own_sink.reset(new csv_writer(sink_stream, names_column));
    else if (format == "ndjson") own_sink.reset(new ndjson_writer(sink_stream, names_column));
    else if (format == "table" && f.format.empty() && ctx.stdout_is_terminal && !file) {
      // No --format on a terminal: the pivot when it fits, else the plain table.
      own_sink.reset(new terminal_table_writer(sink_stream, ctx.terminal_width,
                                               query->account_group == 0 ? 1 : query->account_group));
    } else if (format == "table") {
      // Cut to the terminal's width only on a terminal; a file or pipe gets whole cells.
      const bool terminal = ctx.stdout_is_terminal && !file;
      auto* t = new table_writer(sink_stream, terminal ? ctx.terminal_width : 0);
      t->set_account_group(query->account_group == 0 ? 1 : query->account_group);
      own_sink.reset(t);
    } else json.reset(new ce::merged_results());
  }
  row_sink* sink = override_sink ? override_sink : own_sink.get();
  bool write_failed = false;
  // The header waits for the first page that succeeded (a resumed file has it).
  bool begun = state.pages > 0;
  bool matched = state.rows > 0;  // a group, or a total that is not zero
  outcome.rows = state.rows;
  std::uint64_t cached_seen = 0;  // s.cached_pages() when the last page was handed over
  std::size_t part = state.part;  // the part of the period being crawled
  kill_hook kill = read_kill_hook(ctx.environment());
  std::optional<error> state_error;
  auto begin_once = [&]() -> bool {
    if (begun || !sink) return true;
    begun = true;
    return sink->begin();
  };
  const status write_error = error(errc::invalid_argument, "writing the output failed");

  auto on_page = [&](const ce::cost_page& page, const ce::page_info& info) -> status {
    // A page the cache answered was charged by the client but billed by no one.
    guard->not_billed(s.cached_pages() - cached_seen);
    cached_seen = s.cached_pages();
    if (json) {
      for (ce::result_by_time r : page.results()) {
        if (!r.groups().empty()) matched = true;
        for (const ce::metric_value& m : r.total())
          if (m.amount_text().find_first_not_of("0.-") != std::string_view::npos) matched = true;
      }
      return json->add_page(page);
    }
    if (!begin_once()) return write_error;
    if (want_names)
      for (ce::dimension_value v : page.dimension_value_attributes()) {
        auto d = v.attribute_value("description");
        if (!d.empty()) names.emplace(std::string(v.value()), std::string(d));
      }
    cost_row row;
    auto emit = [&](const ce::metric_value& m) -> bool {
      row.metric = m.name();
      row.amount = m.amount_text();
      row.unit = m.unit();
      if (!sink->write(row)) return false;
      ++outcome.rows;
      return override_sink != nullptr || records.record_done();
    };
    for (ce::result_by_time r : page.results()) {
      row.period_start = r.start();
      row.period_end = r.end();
      row.estimated = r.estimated();
      if (r.groups().empty()) {
        row.group_1 = row.group_2 = row.account_name = {};
        for (const ce::metric_value& m : r.total()) {
          if (m.amount_text().find_first_not_of("0.-") != std::string_view::npos) matched = true;
          if (!emit(m)) return write_error;
        }
        continue;
      }
      matched = true;
      for (ce::group g : r.groups()) {
        auto keys = g.keys();
        row.group_1 = keys.size() > 0 ? keys[0] : std::string_view();
        row.group_2 = keys.size() > 1 ? keys[1] : std::string_view();
        row.account_name = {};
        if (want_names && static_cast<std::size_t>(query->account_group) <= keys.size()) {
          auto it = names.find(std::string(keys[static_cast<std::size_t>(query->account_group) - 1]));
          if (it != names.end()) row.account_name = it->second;
        }
        for (const ce::metric_value& m : g.metrics())
          if (!emit(m)) return write_error;
      }
    }
    if (override_sink == nullptr && !records.flush()) return write_error;
    if (partial) {
      // The records of this page are out: the next run may start after it.
      state.pages += 1;
      state.rows = outcome.rows;
      state.bytes = partial->size();
      state.part = info.last ? part + 1 : part;
      state.token = info.last ? std::string() : std::string(info.next_token);
      if (status st = save_resume_state(resume_path(f.output), state); !st) {
        state_error = st.error();
        return write_error;
      }
      partial->keep();
      kill.tick(true);
    }
    return {};
  };

  std::optional<error> crawl_error;
  const std::string action = query->with_resources ? "ce:GetCostAndUsageWithResources" : "ce:GetCostAndUsage";
  ce::crawl_options options;
  options.budget = guard->budget();
  std::uint64_t pages_this_run = 0;
  const std::uint64_t resumed_pages = state.pages;
  if (!write_failed) {
    for (; part < ranges.size(); ++part) {
      // A resumed part starts at the first page not written.
      std::optional<std::string> token;
      if (part == state.part && !state.token.empty()) token = state.token;
      result<ce::crawl_stats> st = ce::crawl_stats{};
      if (query->with_resources) {
        auto req = with_period(query->resources, ranges[part]);
        req.next_page_token = token;
        st = explorer.crawl_cost_and_usage_with_resources(req, on_page, options);
      } else {
        auto req = with_period(query->plain, ranges[part]);
        req.next_page_token = token;
        st = explorer.crawl_cost_and_usage(req, on_page, options);
      }
      if (!st) {
        crawl_error = st.error();
        break;
      }
      pages_this_run += st->pages;
      if (st->budget_exhausted) break;
    }
  }
  // The next estimate of this report (any period) starts from these pages.
  if (!crawl_error && !guard->stopped() && resumed_pages == 0)
    record_history(s.cache(), hkey, pages_this_run, ce::period_count(query->range.start, query->range.end, granularity));
  if (crawl_error && crawl_error->message.find("writing the output failed") != std::string::npos) write_failed = true;
  if (state_error) {
    err << "finops-crawler: " << state_error->message << "\n";
    write_failed = true;
  }
  const bool stopped = guard->stopped() && !crawl_error && !write_failed;
  // A filter that matched nothing: say so, with the nearest existing values
  // (GetDimensionValues, billable: only for a report that came back empty).
  if (!write_failed && !crawl_error && !matched && !f.filters.empty())
    explain_empty_filters(f.filters, explorer, query->range, today, err);
  s.progress().clear();
  outcome.billable = s.billable();
  outcome.cached_pages = s.cached_pages();
  outcome.summary = s.summary();

  if (!write_failed && !crawl_error && !stopped) {
    if (json) {
      auto text = json->to_json();
      if (!text) {
        crawl_error = text.error();
      } else {
        sink_stream << *text << '\n';
        write_failed = !records.flush();
      }
    } else if (sink) {
      write_failed = !begin_once() || !sink->finish() || (override_sink == nullptr && !records.flush());
    }
  }
  if (s.progress().enabled() || conn.verbose) err << s.summary() << "\n";
  // Rows go out page by page to stdout and to a device or FIFO (--output
  // /dev/stdout, a named pipe); a regular output file appears only whole.
  if (write_failed && reader_gone(records.error_number(), -1)) {
    // The reader went away (`| head`): stop quietly, as other Unix tools
    // do when SIGPIPE ends them (main() ends the process the same way).
    outcome.code = exit_code::closed_pipe;
    return outcome;
  }
  // Pages written to FILE.partial stay for --resume when the run ends
  // short; without one, there is nothing to resume.
  const std::string resume_hint =
      partial && state.pages > 0
          ? "; " + partial_path(f.output) + " holds the " + std::to_string(state.pages) +
                " complete pages written, run the same command with --resume to continue"
          : std::string();
  if (stopped) {
    // Complete records only, on stdout or in FILE.partial; exit 6 either way.
    if (sink && !f.output.empty() && !partial) err << guard->stop_message("; the output file was not written") << "\n";
    else err << guard->stop_message(resume_hint) << "\n";
    outcome.code = exit_code::partial;
    return outcome;
  }
  if (write_failed) {
    const std::string reason = file ? file->write_error() : std::string();
    if (!reason.empty()) err << "finops-crawler: " << reason << "\n";
    else err << "finops-crawler: writing the report failed (disk full or closed pipe?)\n";
    outcome.code = outcome.rows > 0 && f.output.empty() ? exit_code::partial : exit_code::failure;
    return outcome;
  }
  if (crawl_error) {
    // An output file is discarded (the atomic_file destructor); rows already
    // streamed to stdout make the run partial (rows handed to an
    // override_sink were not written: the caller decides).
    const bool rows_out = streamed && override_sink == nullptr && outcome.rows > 0 && format != "json" && format != "table";
    err << explain_error(*crawl_error, action) << "\n";
    if (!resume_hint.empty()) err << "finops-crawler: the report is incomplete" << resume_hint << "\n";
    outcome.code = exit_code_for(*crawl_error, rows_out);
    return outcome;
  }
  if (partial) {
    if (auto st = partial->commit(); !st) {
      err << explain_error(st.error()) << "\n";
      outcome.code = exit_code::failure;
      return outcome;
    }
  }
  if (file) {
    if (auto st = file->commit(); !st) {
      err << explain_error(st.error()) << "\n";
      outcome.code = exit_code::failure;
      return outcome;
    }
  }
  outcome.code = exit_code::ok;
  return outcome;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
