// Bodies of summary_render.hpp.
#include "summary_render.hpp"

#include <array>
#include <cstdio>
#include <ostream>
#include <vector>

#include "amount_format.hpp"
#include "csv_writer.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

constexpr std::array<const char*, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::array<const char*, summary_window_count> window_titles = {"Month to date", "Last month",
                                                                         "Last 7 days", "Yesterday"};

constexpr std::size_t idx(summary_window w) { return static_cast<std::size_t>(w); }

std::string month_day(calendar_date d, bool with_month) {
  return with_month ? std::string(month_names[d.month() - 1]) + " " + std::to_string(d.day())
                    : std::to_string(d.day());
}

std::string amount(const decimal& d, bool estimated, const char* mark = "*") {
  return display_amount(d.to_string()) + (estimated ? mark : "");
}

std::string signed_amount(const result<decimal>& d) {
  if (!d) return "?";
  std::string s = display_amount(d->to_string());
  return d->is_negative() || d->is_zero() ? s : "+" + s;
}

std::string percent_text(std::optional<double> p) {
  if (!p) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *p);
  // "-0.0%" for a tiny decrease reads as a change: show it as 0.0%.
  if (std::string(buf) == "-0.0%" || std::string(buf) == "+0.0%") return "0.0%";
  return buf;
}

// The group value as people read it: a tag "Team$web" is "web", an
// untagged "Team$" is "(no Team)" (Cost Explorer's Key$value form).
std::string display_key(const summary_report& r, const std::string& key) {
  const auto colon = r.group_by.find(':');
  if (colon == std::string::npos) return key;
  const auto dollar = key.find('$');
  if (dollar == std::string::npos) return key;
  const std::string value = key.substr(dollar + 1);
  return value.empty() ? "(no " + key.substr(0, dollar) + ")" : value;
}

std::string line_title(const summary_report& r, const summary_group& l, bool is_other, bool is_total) {
  if (is_total) return "Total (" + std::to_string(l.members) + ")";
  if (is_other) return "Other (" + std::to_string(l.members) + ")";
  return display_key(r, l.key);
}

// The lines of the group table: top, other, total.
struct group_rows {
  std::vector<const summary_group*> lines;
  std::size_t other_at = static_cast<std::size_t>(-1);
  std::size_t total_at = 0;
};

group_rows rows_of(const summary_report& r) {
  group_rows g;
  for (const auto& l : r.top) g.lines.push_back(&l);
  if (r.other) {
    g.other_at = g.lines.size();
    g.lines.push_back(&*r.other);
  }
  g.total_at = g.lines.size();
  g.lines.push_back(&r.total);
  return g;
}

// Whether every rounded column of the group table (current amounts and
// changes of the windows shown) adds up to its rounded total.
bool groups_add_up(const summary_report& r, const std::vector<summary_window>& shown) {
  for (summary_window w : shown) {
    std::vector<decimal> cur, chg;
    for (const auto& l : r.top) {
      cur.push_back(l.windows[idx(w)].current);
      chg.push_back(l.windows[idx(w)].change() ? *l.windows[idx(w)].change() : decimal());
    }
    if (r.other) {
      cur.push_back(r.other->windows[idx(w)].current);
      chg.push_back(r.other->windows[idx(w)].change() ? *r.other->windows[idx(w)].change() : decimal());
    }
    const comparison& t = r.total.windows[idx(w)];
    if (!rounded_rows_add_up(cur, t.current)) return false;
    if (!rounded_rows_add_up(chg, t.change() ? *t.change() : decimal())) return false;
  }
  return true;
}

bool any_estimated(const summary_report& r) {
  for (const auto& c : r.total.windows)
    if (c.current_estimated || c.previous_estimated) return true;
  return false;
}

std::string heading(const summary_report& r) {
  return "Costs to " + r.today.add_days(-1).to_string() + " (" + r.metric + ", " + r.unit + ", by " + r.group_by +
         "; today not in yet)";
}

// The period rows shared by the table and the Markdown: title, days,
// amount, before, change, percent.
std::vector<std::vector<std::string>> period_rows(const summary_report& r) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    const comparison& c = r.total.windows[i];
    rows.push_back({window_titles[i], day_span(r.windows[i].current), amount(c.current, c.current_estimated),
                    amount(c.previous, c.previous_estimated), signed_amount(c.change()), percent_text(c.percent())});
    if (i == idx(summary_window::month_to_date) && r.forecast) {
      const summary_forecast& f = *r.forecast;
      rows.push_back({"  forecast, rest", day_span(f.period), amount(f.mean, true, "f"), "", "", ""});
      rows.push_back({"  forecast, month", day_span({add_months_first(r.today, 0), f.period.end}),
                      amount(f.month.current, true, "f"), amount(f.month.previous, f.month.previous_estimated),
                      signed_amount(f.month.change()), percent_text(f.month.percent())});
    }
  }
  return rows;
}

std::string interval_line(const summary_report& r) {
  if (!r.forecast) return r.forecast_note.empty() ? std::string() : "Forecast: " + r.forecast_note;
  const summary_forecast& f = *r.forecast;
  std::string s = "f: forecast (GetCostForecast)";
  if (f.lower && f.upper)
    s += ", " + std::to_string(f.interval_level) + "% interval for the rest " + display_amount(f.lower->to_string()) +
         " .. " + display_amount(f.upper->to_string());
  return s;
}

void json_str(std::string& o, std::string_view s) { (void)finops_crawler::detail::append_json_string(o, s); }

void json_key(std::string& o, std::string_view k) {
  json_str(o, k);
  o += ':';
}

std::string percent_number(std::optional<double> p) {
  if (!p) return "null";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", *p);
  return buf;
}

void json_comparison(std::string& o, const comparison& c) {
  o += '{';
  json_key(o, "amount");
  json_str(o, c.current.to_string());
  o += ",\"estimated\":";
  o += c.current_estimated ? "true" : "false";
  o += ',';
  json_key(o, "previous_amount");
  json_str(o, c.previous.to_string());
  o += ",\"previous_estimated\":";
  o += c.previous_estimated ? "true" : "false";
  o += ',';
  json_key(o, "change");
  auto ch = c.change();
  json_str(o, ch ? ch->to_string() : std::string());
  o += ",\"percent_change\":" + percent_number(c.percent()) + "}";
}

void json_line(std::string& o, const summary_group& l) {
  o += '{';
  json_key(o, "key");
  json_str(o, l.key);
  o += ",\"groups\":" + std::to_string(l.members);
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    o += ',';
    json_key(o, summary_window_names[i]);
    json_comparison(o, l.windows[i]);
  }
  o += '}';
}

void csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out << ',';
    write_csv_field(out, fields[i]);
  }
  out << '\n';
}

std::string csv_percent(std::optional<double> p) { return p ? percent_number(p) : std::string(); }

void csv_comparison(std::ostream& out, const std::string& line, const std::string& key, std::size_t members,
                    std::string_view window, const date_range& cur, const date_range* prev, const comparison& c) {
  auto ch = c.change();
  csv_row(out, {line, key, std::to_string(members), std::string(window), cur.start.to_string(), cur.end.to_string(),
                c.current.to_string(), c.current_estimated ? "true" : "false",
                prev ? prev->start.to_string() : std::string(), prev ? prev->end.to_string() : std::string(),
                prev ? c.previous.to_string() : std::string(),
                prev ? (c.previous_estimated ? "true" : "false") : std::string(),
                prev && ch ? ch->to_string() : std::string(), prev ? csv_percent(c.percent()) : std::string()});
}

std::string md_cell(std::string s) {
  std::string o;
  for (char ch : s) {
    if (ch == '|') o += '\\';
    o += ch;
  }
  return o;
}

void md_table(std::ostream& out, const std::vector<std::string>& head, const std::vector<bool>& right,
              const std::vector<std::vector<std::string>>& rows) {
  out << '|';
  for (const auto& h : head) out << ' ' << md_cell(h) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < head.size(); ++i) out << (right[i] ? "---:|" : "---|");
  out << '\n';
  for (const auto& row : rows) {
    out << '|';
    for (std::size_t i = 0; i < head.size(); ++i) out << ' ' << md_cell(i < row.size() ? row[i] : "") << " |";
    out << '\n';
  }
}

}  // namespace

std::string day_span(const date_range& r) {
  if (!(r.start < r.end)) return "none";
  const calendar_date last = r.end.add_days(-1);
  if (r.start.day() == 1 && r.end == add_months_first(r.start, 1)) return month_names[r.start.month() - 1];
  if (r.start == last) return month_day(r.start, true);
  const bool same_month = r.start.month() == last.month() && r.start.year() == last.year();
  return month_day(r.start, true) + "-" + month_day(last, !same_month);
}

void render_summary_table(const summary_report& r, std::ostream& out, std::size_t width) {
  out << fit_width(heading(r), width ? width : 1000) << "\n\n";
  text_table periods({{"period", false}, {"days", false, true}, {"amount", true}, {"before", true},
                      {"change", true}, {"%", true}});
  for (auto& row : period_rows(r)) periods.add_row(std::move(row));
  periods.render(out, width);
  const std::string interval = interval_line(r);
  if (!interval.empty()) out << fit_width(interval, width ? width : 1000) << "\n";

  const std::vector<summary_window> shown{summary_window::month_to_date, summary_window::last_7_days,
                                          summary_window::last_month};
  out << "\nTop " << r.top.size() << " of " << r.group_count << " by " << r.group_by << ", largest month to date first\n";
  std::string key_title = r.group_by;
  for (auto& ch : key_title)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  text_table groups({{key_title, false}, {"MTD", true}, {"change", true}, {"%", true}, {"7 days", true},
                     {"%", true}, {"last month", true}});
  const group_rows g = rows_of(r);
  for (std::size_t i = 0; i < g.lines.size(); ++i) {
    const summary_group& l = *g.lines[i];
    const comparison& m = l.windows[idx(summary_window::month_to_date)];
    const comparison& w = l.windows[idx(summary_window::last_7_days)];
    const comparison& lm = l.windows[idx(summary_window::last_month)];
    groups.add_row({line_title(r, l, i == g.other_at, i == g.total_at), amount(m.current, m.current_estimated),
                    signed_amount(m.change()), percent_text(m.percent()), amount(w.current, w.current_estimated),
                    percent_text(w.percent()), amount(lm.current, lm.current_estimated)});
  }
  groups.render(out, width);
  out << "\nchange, %: against the same days of last month (MTD), the 7 days before,\n"
         "the month before; before: the period compared with.\n";
  if (any_estimated(r)) out << "* estimated: AWS may still revise these days.\n";
  if (!groups_add_up(r, shown)) out << rounding_footnote << "\n";
}

void render_summary_markdown(const summary_report& r, std::ostream& out) {
  out << "### " << md_cell(heading(r)) << "\n\n";
  md_table(out, {"Period", "Days", "Amount", "Before", "Change", "%"}, {false, false, true, true, true, true},
           period_rows(r));
  const std::string interval = interval_line(r);
  if (!interval.empty()) out << "\n" << md_cell(interval) << "\n";
  out << "\n**Top " << r.top.size() << " of " << r.group_count << " by " << md_cell(r.group_by)
      << "**, largest month to date first; change and % against the period before.\n\n";
  std::vector<std::string> head{md_cell(r.group_by)};
  std::vector<bool> right{false};
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    head.insert(head.end(), {window_titles[i], "Change", "%"});
    right.insert(right.end(), {true, true, true});
  }
  std::vector<std::vector<std::string>> rows;
  const group_rows g = rows_of(r);
  for (std::size_t i = 0; i < g.lines.size(); ++i) {
    const summary_group& l = *g.lines[i];
    std::vector<std::string> row{line_title(r, l, i == g.other_at, i == g.total_at)};
    for (const comparison& c : l.windows)
      row.insert(row.end(), {amount(c.current, c.current_estimated), signed_amount(c.change()), percent_text(c.percent())});
    rows.push_back(std::move(row));
  }
  md_table(out, head, right, rows);
  out << '\n';
  if (any_estimated(r)) out << "\\* estimated: AWS may still revise these days.\n";
  const std::vector<summary_window> all{summary_window::month_to_date, summary_window::last_month,
                                        summary_window::last_7_days, summary_window::yesterday};
  if (!groups_add_up(r, all)) {
    std::string note(rounding_footnote);
    for (auto& ch : note)
      if (ch == '\n') ch = ' ';
    out << note << "\n";
  }
}

void render_summary_json(const summary_report& r, std::ostream& out) {
  std::string o = "{";
  json_key(o, "today");
  json_str(o, r.today.to_string());
  o += ',';
  json_key(o, "metric");
  json_str(o, r.metric);
  o += ',';
  json_key(o, "unit");
  json_str(o, r.unit);
  o += ',';
  json_key(o, "group_by");
  json_str(o, r.group_by);
  o += ",\"windows\":[";
  for (std::size_t i = 0; i < summary_window_count; ++i) {
    if (i) o += ',';
    o += '{';
    json_key(o, "window");
    json_str(o, summary_window_names[i]);
    for (const auto& kv : {std::make_pair("start", r.windows[i].current.start),
                           std::make_pair("end", r.windows[i].current.end),
                           std::make_pair("previous_start", r.windows[i].previous.start),
                           std::make_pair("previous_end", r.windows[i].previous.end)}) {
      o += ',';
      json_key(o, kv.first);
      json_str(o, kv.second.to_string());
    }
    o += '}';
  }
  o += "],\"total\":";
  json_line(o, r.total);
  o += ",\"top\":[";
  for (std::size_t i = 0; i < r.top.size(); ++i) {
    if (i) o += ',';
    json_line(o, r.top[i]);
  }
  o += "],\"other\":";
  if (r.other) json_line(o, *r.other);
  else o += "null";
  o += ",\"forecast\":";
  if (r.forecast) {
    const summary_forecast& f = *r.forecast;
    o += '{';
    json_key(o, "start");
    json_str(o, f.period.start.to_string());
    o += ',';
    json_key(o, "end");
    json_str(o, f.period.end.to_string());
    o += ',';
    json_key(o, "mean");
    json_str(o, f.mean.to_string());
    o += ",\"lower_bound\":";
    if (f.lower) json_str(o, f.lower->to_string());
    else o += "null";
    o += ",\"upper_bound\":";
    if (f.upper) json_str(o, f.upper->to_string());
    else o += "null";
    o += ",\"interval_level\":" + std::to_string(f.interval_level) + ",\"month\":";
    json_comparison(o, f.month);
    o += '}';
  } else {
    o += "null,";
    json_key(o, "forecast_note");
    json_str(o, r.forecast_note);
  }
  o += "}\n";
  out << o;
}

void render_summary_csv(const summary_report& r, std::ostream& out) {
  csv_row(out, {"line", "key", "groups", "window", "start", "end", "amount", "estimated", "previous_start",
                "previous_end", "previous_amount", "previous_estimated", "change", "percent_change"});
  auto line_rows = [&](const std::string& kind, const summary_group& l) {
    for (std::size_t i = 0; i < summary_window_count; ++i)
      csv_comparison(out, kind, l.key, l.members, summary_window_names[i], r.windows[i].current,
                     &r.windows[i].previous, l.windows[i]);
  };
  line_rows("total", r.total);
  for (const auto& l : r.top) line_rows("group", l);
  if (r.other) line_rows("other", *r.other);
  if (r.forecast) {
    const summary_forecast& f = *r.forecast;
    comparison rest;
    rest.current = f.mean;
    rest.current_estimated = true;
    csv_comparison(out, "forecast", "total", r.total.members, "rest_of_month", f.period, nullptr, rest);
    const date_range month{add_months_first(r.today, 0), f.period.end};
    const date_range last = r.windows[idx(summary_window::last_month)].current;
    csv_comparison(out, "forecast", "total", r.total.members, "month", month, &last, f.month);
  }
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
