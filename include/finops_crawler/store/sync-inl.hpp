#ifndef FINOPS_CRAWLER_STORE_SYNC_INL_HPP
#define FINOPS_CRAWLER_STORE_SYNC_INL_HPP
/// \file
/// The bodies of store/sync.hpp: included by that header in header-only
/// mode, compiled once in src/sync.cpp otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/store/sync.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/ce/expression_json.hpp"
#include "finops_crawler/aws/ce/request_budget.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace store {

namespace sync_impl {

// The first day of the month `n` months after d's month.
inline calendar_date month_first(calendar_date d, int n = 0) noexcept {
  const auto c = d.fields();
  const std::int64_t idx = c.year * 12 + (static_cast<std::int64_t>(c.month) - 1) + n;
  const std::int64_t y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
  return calendar_date::from_days(detail::days_from_civil(y, static_cast<unsigned>(idx - y * 12 + 1), 1));
}

inline void append_string(std::string& out, std::string_view s) {
  // Definitions hold validated ASCII names; a failure leaves the text as is.
  (void)detail::append_json_string(out, s);
}

// One owned row of a chunk, kept until the chunk's pages have all arrived.
struct owned_row {
  std::string period_start, period_end, group_1, group_2, metric, amount, unit;
  bool estimated = false;
};

inline std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace sync_impl

FINOPS_CRAWLER_FUNC status report_definition::validate() const {
  if (granularity == ce::granularity::hourly)
    return status(errc::invalid_argument,
                  "granularity HOURLY cannot be synced (Cost Explorer keeps hourly data for 14 days only); "
                  "use DAILY or MONTHLY");
  ce::cost_and_usage_request r;
  r.time_period = {"2000-01-01", "2000-01-02"};
  r.granularity = granularity;
  r.metrics = metrics;
  r.group_by = group_by;
  r.filter = filter;
  return r.validate();
}

FINOPS_CRAWLER_FUNC result<std::string> report_definition::to_json() const {
  std::string out = "{\"granularity\":";
  sync_impl::append_string(out, ce::to_string(granularity));
  out += ",\"metrics\":[";
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i) out += ',';
    sync_impl::append_string(out, metrics[i]);
  }
  out += "],\"group_by\":[";
  for (std::size_t i = 0; i < group_by.size(); ++i) {
    if (i) out += ',';
    out += "{\"type\":";
    sync_impl::append_string(out, ce::to_string(group_by[i].type));
    out += ",\"key\":";
    sync_impl::append_string(out, group_by[i].key);
    out += '}';
  }
  out += "],\"filter\":";
  if (filter) {
    auto f = filter->to_json();
    if (!f) return f.error();
    out += *f;
  } else {
    out += "null";
  }
  out += '}';
  return out;
}

FINOPS_CRAWLER_FUNC result<report_definition> report_definition::from_json(std::string_view json) {
  auto bad = [](std::string what) {
    return error(errc::invalid_argument, "the stored report definition is not valid: " + what);
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return bad("not JSON");
  simdjson::dom::object o;
  if (root.get_object().get(o)) return bad("not an object");
  report_definition d;
  std::string_view g;
  if (o["granularity"].get_string().get(g)) return bad("granularity is not a string");
  auto gran = ce::parse_granularity(g);
  if (!gran) return bad("granularity " + std::string(g));
  d.granularity = *gran;
  simdjson::dom::array metrics;
  if (o["metrics"].get_array().get(metrics)) return bad("metrics is not an array");
  d.metrics.clear();
  for (auto m : metrics) {
    std::string_view s;
    if (m.get_string().get(s)) return bad("a metric is not a string");
    d.metrics.emplace_back(s);
  }
  simdjson::dom::array groups;
  if (o["group_by"].get_array().get(groups)) return bad("group_by is not an array");
  d.group_by.clear();
  for (auto e : groups) {
    std::string_view type, key;
    if (e["type"].get_string().get(type) || e["key"].get_string().get(key)) return bad("a group_by entry");
    ce::group_by gb;
    if (type == "DIMENSION") gb = ce::group_by::dimension(std::string(key));
    else if (type == "TAG") gb = ce::group_by::tag(std::string(key));
    else if (type == "COST_CATEGORY") gb = ce::group_by::cost_category(std::string(key));
    else return bad("group_by type " + std::string(type));
    d.group_by.push_back(std::move(gb));
  }
  simdjson::dom::element filter;
  if (o["filter"].get(filter)) return bad("filter is missing");
  if (!filter.is_null()) {
    auto e = ce::parse_expression_json(simdjson::minify(filter));
    if (!e) return bad("filter: " + e.error().message);
    d.filter = std::move(*e);
  }
  return d;
}

FINOPS_CRAWLER_FUNC std::string report_definition::describe() const {
  std::string out(ce::to_string(granularity));
  out += ' ';
  out += sync_impl::join(metrics, ",");
  if (!group_by.empty()) {
    out += " by ";
    for (std::size_t i = 0; i < group_by.size(); ++i) {
      if (i) out += ',';
      if (group_by[i].type == ce::group_definition_type::tag) out += "TAG:";
      if (group_by[i].type == ce::group_definition_type::cost_category) out += "COST_CATEGORY:";
      out += group_by[i].key;
    }
  }
  if (filter) out += " (filtered)";
  return out;
}

FINOPS_CRAWLER_FUNC result<report_definition> resolve_definition(const definition_flags& flags,
                                                                 const report_record* stored) {
  report_definition d;
  if (stored) {
    auto s = report_definition::from_json(stored->definition_json);
    if (!s) return s.error();
    d = std::move(*s);
  }
  const report_definition before = d;
  if (flags.granularity) d.granularity = *flags.granularity;
  if (flags.metrics) d.metrics = *flags.metrics;
  if (flags.group_by) d.group_by = *flags.group_by;
  if (flags.filter) d.filter = *flags.filter;
  if (status v = d.validate(); !v) return v.error();
  if (stored) {
    auto want = d.to_json();
    auto have = before.to_json();
    if (!want) return want.error();
    if (!have) return have.error();
    if (*want != *have)
      return error(errc::invalid_argument,
                   "the flags contradict the stored definition of report '" + stored->name + "':\n  flags:  " +
                       d.describe() + "  " + *want + "\n  stored: " + before.describe() + "  " + *have +
                       "\ndrop the report flags to reuse the stored definition, or choose another --report name");
  }
  return d;
}

FINOPS_CRAWLER_FUNC bool is_final(const stored_period& p, calendar_date today) noexcept {
  // The rule the response cache uses: AWS revises the current and the
  // previous month (late charges, credits, refunds), and Estimated periods.
  if (p.estimated) return false;
  auto end = calendar_date::parse(p.period_end);
  if (!end) return false;
  return *end <= sync_impl::month_first(today, -1);
}

FINOPS_CRAWLER_FUNC std::uint64_t sync_plan::periods() const noexcept {
  std::uint64_t n = 0;
  for (const auto& c : chunks) n += c.periods;
  return n;
}

FINOPS_CRAWLER_FUNC std::uint64_t sync_plan::expected_requests() const noexcept {
  std::uint64_t n = 0;
  for (const auto& c : chunks) n += c.expected_requests;
  return n;
}

FINOPS_CRAWLER_FUNC std::string sync_plan::describe() const {
  std::string out = "sync plan for report '" + report + "' (" + definition.describe() + (new_report ? ", new" : "") +
                    "; " + std::to_string(stored_periods) + " periods stored):\n";
  for (const auto& c : chunks) {
    out += "  chunk " + c.start.to_string() + " to " + c.end.to_string() + " (End exclusive): " +
           std::to_string(c.periods) + (c.periods == 1 ? " period" : " periods") + " (" +
           std::to_string(c.new_periods) + " never stored), ~" + std::to_string(c.expected_requests) +
           (c.expected_requests == 1 ? " request" : " requests") +
           (c.from_history ? " (from the last run's pages)\n" : " (estimated)\n");
  }
  const std::uint64_t n = expected_requests();
  out += "  " + std::to_string(chunks.size()) + (chunks.size() == 1 ? " chunk, " : " chunks, ") +
         std::to_string(periods()) + " periods to fetch, ~" + std::to_string(n) + " billable requests expected (USD " +
         ce::usd_for_requests(n) + ")";
  return out;
}

FINOPS_CRAWLER_FUNC result<sync_plan> plan_sync(std::string report, const report_definition& def, bool new_report,
                                                const std::vector<stored_period>& stored,
                                                std::optional<calendar_date> start, std::optional<calendar_date> end,
                                                calendar_date today, bool refresh_final,
                                                std::string_view fresh_since) {
  const bool monthly = def.granularity == ce::granularity::monthly;
  std::map<std::string, const stored_period*> by_start;
  std::optional<calendar_date> first_stored, last_stored_end;
  for (const auto& p : stored) {
    by_start[p.period_start] = &p;
    auto s = calendar_date::parse(p.period_start);
    auto e = calendar_date::parse(p.period_end);
    if (!s || !e) continue;
    if (!first_stored || *s < *first_stored) first_stored = *s;
    if (!last_stored_end || *e > *last_stored_end) last_stored_end = *e;
  }
  if (!start && !first_stored)
    return error(errc::invalid_argument, "report '" + report +
                                             "' has nothing stored yet: its first sync needs a period start "
                                             "(--start YYYY-MM-DD or --last N)");
  calendar_date range_start = start ? *start : *first_stored;
  if (first_stored && *first_stored < range_start) range_start = *first_stored;
  // Why: a MONTHLY report stores whole calendar months (the current one up
  // to today); a start inside a month would store a partial month that a
  // later backfill could not replace by its key.
  if (monthly) range_start = sync_impl::month_first(range_start);
  if (!(range_start < today))
    return error(errc::invalid_argument, "the sync would start on " + range_start.to_string() +
                                             ", not before today (" + today.to_string() +
                                             "); Cost Explorer has no data for it yet");
  calendar_date fetch_end = end ? std::min(*end, today) : today;
  if (end && !(range_start < *end))
    return error(errc::invalid_argument, "--end " + end->to_string() + " is not after the start " +
                                             range_start.to_string());
  calendar_date scan_end = fetch_end;
  if (last_stored_end && scan_end < *last_stored_end) scan_end = std::min(*last_stored_end, today);

  sync_plan plan;
  plan.report = std::move(report);
  plan.definition = def;
  auto json = def.to_json();
  if (!json) return json.error();
  plan.definition_json = std::move(*json);
  plan.new_report = new_report;
  plan.stored_periods = stored.size();

  // Pages per period from the last run, per month: the largest page count
  // recorded in the month over the periods recorded with one.
  struct history {
    std::uint64_t pages = 0, periods = 0;
  };
  std::map<std::string, history> hist;  // "YYYY-MM" -> history
  std::optional<history> latest;
  for (const auto& p : stored) {
    if (p.pages == 0 || p.period_start.size() < 7) continue;
    history& h = hist[p.period_start.substr(0, 7)];
    h.pages = std::max<std::uint64_t>(h.pages, p.pages);
    ++h.periods;
  }
  if (!hist.empty()) latest = hist.rbegin()->second;

  struct wanted {
    calendar_date start, end;
    bool is_new;
  };
  std::vector<wanted> want;
  for (calendar_date d = range_start; d < scan_end;) {
    const calendar_date next = monthly ? std::min(sync_impl::month_first(d, 1), scan_end) : d.add_days(1);
    auto it = by_start.find(d.to_string());
    bool need = false, is_new = false;
    if (it == by_start.end()) {
      need = d < fetch_end;
      is_new = true;
    } else {
      const stored_period& p = *it->second;
      const bool fresh = !fresh_since.empty() && !p.fetched_at.empty() && p.fetched_at >= fresh_since;
      const bool changed_end = p.period_end != next.to_string();  // a month that has grown since
      need = !fresh && (refresh_final || !is_final(p, today) || changed_end);
    }
    if (need) want.push_back({d, next, is_new});
    d = next;
  }

  for (std::size_t i = 0; i < want.size();) {
    const calendar_date m = sync_impl::month_first(want[i].start);
    sync_chunk c;
    c.start = want[i].start;
    std::size_t j = i;
    while (j < want.size() && sync_impl::month_first(want[j].start) == m) {
      c.end = want[j].end;
      ++j;
    }
    // Every period inside the chunk's span is fetched (and replaced), even
    // one that did not need it: one request sequence per chunk.
    for (calendar_date d = c.start; d < c.end;) {
      const calendar_date next = monthly ? std::min(sync_impl::month_first(d, 1), c.end) : d.add_days(1);
      ++c.periods;
      if (by_start.find(d.to_string()) == by_start.end()) ++c.new_periods;
      d = next;
    }
    ce::request_shape shape;
    shape.start = c.start;
    shape.end = c.end;
    shape.granularity = def.granularity;
    shape.group_by_count = def.group_by.size();
    auto h = hist.find(c.start.to_string().substr(0, 7));
    const history* use = h != hist.end() ? &h->second : (latest ? &*latest : nullptr);
    if (use) {
      shape.known_pages = use->pages;
      shape.known_periods = use->periods;
      c.from_history = true;
    }
    c.expected_requests = ce::estimate_requests(shape);
    plan.chunks.push_back(c);
    i = j;
  }
  return plan;
}

FINOPS_CRAWLER_FUNC std::string sync_outcome::summary() const {
  std::string s = "sync " + plan.report + ": " + std::to_string(billable_requests) +
                  (billable_requests == 1 ? " billable request" : " billable requests") + " (USD " +
                  ce::usd_for_requests(billable_requests) + "); rows: " + std::to_string(counts.inserted) +
                  " inserted, " + std::to_string(counts.updated) + " updated, " + std::to_string(counts.deleted) +
                  " deleted; " + std::to_string(chunks_left) + (chunks_left == 1 ? " chunk left" : " chunks left");
  if (budget_exhausted) s += " (stopped by --max-requests; run again to continue)";
  return s;
}

FINOPS_CRAWLER_FUNC std::string utc_timestamp_now() {
  const detail::utc_fields f = detail::to_utc_fields(std::chrono::system_clock::now());
  char buf[32];
  char* p = buf;
  detail::write_digits(p, static_cast<std::uint64_t>(f.year), 4);
  p[4] = '-';
  detail::write_digits(p + 5, f.month, 2);
  p[7] = '-';
  detail::write_digits(p + 8, f.day, 2);
  p[10] = 'T';
  detail::write_digits(p + 11, f.hour, 2);
  p[13] = ':';
  detail::write_digits(p + 14, f.minute, 2);
  p[16] = ':';
  detail::write_digits(p + 17, f.second, 2);
  p[19] = 'Z';
  return std::string(buf, 20);
}

FINOPS_CRAWLER_FUNC result<sync_outcome> run_sync(cost_store& db, ce::cost_explorer& explorer,
                                                  const sync_options& o, const sync_hooks& hooks) {
  auto now = [&]() { return o.now ? o.now() : utc_timestamp_now(); };
  const std::string started_at = now();
  if (o.report.empty()) return error(errc::invalid_argument, "the report name is empty");

  // The lock first: what another sync stores while this one waits is then
  // part of the plan.
  // A sync that had to wait treats what the other one fetched after this
  // one started as fresh (fresh_since); one that did not wait plans from
  // the refresh rule alone.
  report_lock lock;
  std::string fresh_since;
  if (!o.dry_run) {
    auto l = db.lock_report(o.report, false);
    if (!l) return l.error();
    if (!l->held() && o.wait_for_lock) {
      fresh_since = started_at;
      l = db.lock_report(o.report, true);
      if (!l) return l.error();
    }
    if (!l->held())
      return error(errc::invalid_argument, "another sync of report '" + o.report + "' into " + db.description() +
                                               " is running; try again when it has finished");
    lock = std::move(*l);
  }
  if (hooks.on_locked) hooks.on_locked();

  auto found = db.find_report(o.report);
  if (!found) return found.error();
  const report_record* stored = *found ? &**found : nullptr;
  auto def = resolve_definition(o.definition, stored);
  if (!def) return def.error();

  std::string payer;
  if (o.payer) {
    auto p = o.payer();
    if (!p) return p.error();
    payer = std::move(*p);
    if (stored && !stored->payer_account_id.empty() && stored->payer_account_id != payer)
      return error(errc::invalid_argument,
                   "report '" + o.report + "' holds the costs of payer account " + stored->payer_account_id +
                       ", but these credentials belong to account " + payer +
                       "; use another --report name for this payer");
  }

  auto periods = db.stored_periods(o.report, "0001-01-01", "9999-12-31");
  if (!periods) return periods.error();
  auto plan = plan_sync(o.report, *def, stored == nullptr, *periods, o.start, o.end, o.today, o.refresh_final,
                        fresh_since);
  if (!plan) return plan.error();

  sync_outcome out;
  out.plan = std::move(*plan);
  out.chunks_left = out.plan.chunks.size();
  if (hooks.on_plan) hooks.on_plan(out.plan);
  if (o.dry_run) return out;

  if (!stored) {
    report_record r;
    r.name = o.report;
    r.payer_account_id = payer;
    r.definition_json = out.plan.definition_json;
    r.created_at = started_at;
    if (status st = db.create_report(r); !st) return st.error();
  }
  auto run_id = db.begin_run(o.report, started_at);
  if (!run_id) return run_id.error();

  ce::request_budget budget(o.max_requests);
  const std::uint64_t billed_before = explorer.counters().billable_requests;
  auto billed = [&]() { return explorer.counters().billable_requests - billed_before; };
  auto finish = [&](run_status s) -> result<sync_outcome> {
    out.status = s;
    out.billable_requests = billed();
    if (status st = db.finish_run(*run_id, s, now(), out.billable_requests, out.counts); !st && !out.failure)
      out.failure = st.error();
    if (out.failure) out.status = run_status::failed;
    return std::move(out);
  };

  const report_definition& d = out.plan.definition;
  const bool monthly = d.granularity == ce::granularity::monthly;
  int account_group = -1;
  for (std::size_t i = 0; i < d.group_by.size(); ++i)
    if (d.group_by[i].type == ce::group_definition_type::dimension && d.group_by[i].key == "LINKED_ACCOUNT")
      account_group = static_cast<int>(i);

  for (std::size_t ci = 0; ci < out.plan.chunks.size(); ++ci) {
    const sync_chunk& chunk = out.plan.chunks[ci];
    ce::cost_and_usage_request req;
    req.time_period = {chunk.start.to_string(), chunk.end.to_string()};
    req.granularity = d.granularity;
    req.metrics = d.metrics;
    req.group_by = d.group_by;
    req.filter = d.filter;

    std::vector<sync_impl::owned_row> rows;
    std::map<std::string, bool> estimated;  // period start -> Estimated, as Cost Explorer said
    std::map<std::string, account_record> accounts;
    ce::crawl_options co;
    co.budget = &budget;
    auto on_page = [&](const ce::cost_page& page, const ce::page_info& info) -> status {
      for (ce::result_by_time r : page.results()) {
        const std::string ps(r.start());
        estimated[ps] = estimated[ps] || r.estimated();
        auto add = [&](std::string_view g1, std::string_view g2, const ce::metric_value& m) {
          sync_impl::owned_row row;
          row.period_start = ps;
          row.period_end = std::string(r.end());
          row.group_1 = std::string(g1);
          row.group_2 = std::string(g2);
          row.metric = std::string(m.name());
          row.amount = std::string(m.amount_text());
          row.unit = std::string(m.unit());
          row.estimated = r.estimated();
          rows.push_back(std::move(row));
        };
        if (d.group_by.empty()) {
          for (const ce::metric_value& m : r.total()) add({}, {}, m);
          continue;
        }
        for (ce::group g : r.groups()) {
          auto keys = g.keys();
          const std::string_view g1 = keys.size() > 0 ? keys[0] : std::string_view();
          const std::string_view g2 = keys.size() > 1 ? keys[1] : std::string_view();
          for (const ce::metric_value& m : g.metrics()) add(g1, g2, m);
        }
      }
      if (account_group >= 0)
        for (ce::dimension_value v : page.dimension_value_attributes()) {
          account_record a;
          a.account_id = std::string(v.value());
          a.name = std::string(v.attribute_value("description"));
          accounts[a.account_id] = std::move(a);
        }
      if (hooks.on_page) hooks.on_page(ci, info.index);
      return {};
    };
    auto st = explorer.crawl_cost_and_usage(req, on_page, co);
    if (!st) {
      error e = st.error();
      e.message = "chunk " + chunk.start.to_string() + " to " + chunk.end.to_string() + ": " + e.message;
      out.failure = std::move(e);
      return finish(run_status::failed);
    }
    if (st->budget_exhausted || !st->complete) {
      out.budget_exhausted = st->budget_exhausted;
      return finish(run_status::partial);
    }

    // Every period of the chunk is recorded as fetched, with or without rows.
    std::vector<stored_period> fetched;
    const auto pages = static_cast<std::uint32_t>(std::min<std::uint64_t>(st->pages, UINT32_MAX));
    for (calendar_date day = chunk.start; day < chunk.end;) {
      const calendar_date next = monthly ? std::min(sync_impl::month_first(day, 1), chunk.end) : day.add_days(1);
      stored_period p;
      p.period_start = day.to_string();
      p.period_end = next.to_string();
      auto e = estimated.find(p.period_start);
      p.estimated = e != estimated.end() && e->second;
      p.pages = pages;
      fetched.push_back(std::move(p));
      day = next;
    }
    std::vector<store_row> views;
    views.reserve(rows.size());
    for (const auto& r : rows)
      views.push_back(store_row{r.period_start, r.period_end, r.group_1, r.group_2, r.metric, r.amount, r.unit,
                                r.estimated});
    auto counts = db.replace_periods(o.report, fetched, views, now());
    if (!counts) {
      error e = counts.error();
      e.message = "storing chunk " + chunk.start.to_string() + " to " + chunk.end.to_string() +
                  " (rolled back; the next run fetches it again): " + e.message;
      out.failure = std::move(e);
      return finish(run_status::failed);
    }
    out.counts += *counts;
    ++out.chunks_done;
    --out.chunks_left;
    if (!accounts.empty()) {
      std::vector<account_record> list;
      for (auto& kv : accounts) list.push_back(std::move(kv.second));
      // Names are a convenience: a failure here does not undo the chunk.
      (void)db.upsert_accounts(list, now());
    }
    if (hooks.on_chunk_committed) hooks.on_chunk_committed(ci, *counts);
  }
  return finish(run_status::ok);
}

}  // namespace store
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_STORE_SYNC_INL_HPP
