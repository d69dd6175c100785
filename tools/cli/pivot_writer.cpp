// Bodies of pivot_writer.hpp.
#include "pivot_writer.hpp"

#include <algorithm>
#include <ostream>

#include "amount_format.hpp"
#include "csv_writer.hpp"
#include "period_args.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// "2026-11" for a whole calendar month (MONTHLY), else the Start as sent.
std::string period_label(std::string_view start, std::string_view end) {
  auto s = calendar_date::parse(start.substr(0, 10));
  auto e = calendar_date::parse(end.substr(0, 10));
  if (s && e && s->day() == 1 && *e == add_months_first(*s, 1) && start.size() == 10)
    return std::string(start.substr(0, 7));
  return std::string(start);
}

}  // namespace

std::size_t pivot_writer::period_index(const cost_row& r) {
  const std::string start(r.period_start);
  auto it = period_at_.find(start);
  if (it == period_at_.end()) {
    it = period_at_.emplace(start, periods_.size()).first;
    periods_.push_back({period_label(r.period_start, r.period_end), false});
  }
  periods_[it->second].estimated = periods_[it->second].estimated || r.estimated;
  return it->second;
}

bool pivot_writer::write(const cost_row& r) {
  auto amount = decimal::parse(r.amount);
  if (!amount) return false;
  const std::size_t p = period_index(r);
  if (std::find(metrics_.begin(), metrics_.end(), r.metric) == metrics_.end()) metrics_.emplace_back(r.metric);
  any_g1_ = any_g1_ || !r.group_1.empty();
  any_g2_ = any_g2_ || !r.group_2.empty();
  std::string key = std::string(r.group_1) + '\n' + std::string(r.group_2) + '\n' + std::string(r.metric);
  auto it = line_at_.find(key);
  if (it == line_at_.end()) {
    it = line_at_.emplace(std::move(key), lines_.size()).first;
    lines_.push_back({std::string(r.group_1), std::string(r.group_2), std::string(r.metric), {}, decimal()});
  }
  line& l = lines_[it->second];
  return static_cast<bool>(l.cells[p].add_assign(*amount)) && static_cast<bool>(l.total.add_assign(*amount));
}

bool pivot_writer::finish() {
  std::ostream& out = *out_;
  const bool show_metric = metrics_.size() > 1;
  std::vector<const line*> order;
  for (const auto& l : lines_) order.push_back(&l);
  // Largest first; a metric's rows stay together (metrics in report order).
  auto metric_rank = [&](const std::string& m) {
    return static_cast<std::size_t>(std::find(metrics_.begin(), metrics_.end(), m) - metrics_.begin());
  };
  std::stable_sort(order.begin(), order.end(), [&](const line* a, const line* b) {
    if (a->metric != b->metric) return metric_rank(a->metric) < metric_rank(b->metric);
    if (a->total != b->total) return a->total > b->total;
    return a->g1 != b->g1 ? a->g1 < b->g1 : a->g2 < b->g2;
  });
  // The total row of each metric, only when the report is grouped (an
  // ungrouped row already is the total).
  const bool grouped = any_g1_ || any_g2_;
  std::map<std::string, line> totals;
  if (grouped)
    for (const line* l : order) {
      line& t = totals[l->metric];
      t.metric = l->metric;
      for (const auto& c : l->cells)
        if (!t.cells[c.first].add_assign(c.second)) return false;
      if (!t.total.add_assign(l->total)) return false;
    }

  std::vector<std::string> head;
  if (any_g1_ || !grouped) head.push_back(grouped ? "group_1" : "report");
  if (any_g2_) head.push_back("group_2");
  if (show_metric) head.push_back("metric");
  const std::size_t keys = head.size();
  auto cells_of = [&](const line& l, bool is_total, bool exact) {
    std::vector<std::string> row;
    if (any_g1_ || !grouped) row.push_back(is_total || !grouped ? "total" : l.g1);
    if (any_g2_) row.push_back(is_total ? "" : l.g2);
    if (show_metric) row.push_back(l.metric);
    for (std::size_t p = 0; p < periods_.size(); ++p) {
      auto it = l.cells.find(p);
      const decimal v = it == l.cells.end() ? decimal() : it->second;
      row.push_back(exact ? v.to_string()
                          : display_amount(v.to_string()) + ((is_total || !grouped) && periods_[p].estimated ? "*" : ""));
    }
    row.push_back(exact ? l.total.to_string() : display_amount(l.total.to_string()));
    return row;
  };

  if (!table_) {
    for (const auto& p : periods_) head.push_back(p.label);
    head.push_back("total");
    auto csv = [&](const std::vector<std::string>& row) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) out << ',';
        write_csv_field(out, row[i]);
      }
      out << '\n';
    };
    csv(head);
    for (const line* l : order) csv(cells_of(*l, false, true));
    for (const auto& m : metrics_)
      if (totals.count(m)) csv(cells_of(totals.at(m), true, true));
    out.flush();
    return static_cast<bool>(out);
  }

  if (lines_.empty()) {
    out << "(no costs in this period)\n";
    out.flush();
    return static_cast<bool>(out);
  }
  std::vector<text_table::column> cols;
  for (std::size_t i = 0; i < keys; ++i) cols.push_back({head[i], false});
  bool any_estimated = false;
  for (const auto& p : periods_) {
    cols.push_back({p.label + (p.estimated ? "*" : ""), true, true});
    any_estimated = any_estimated || p.estimated;
  }
  cols.push_back({"total", true, true});
  text_table t(cols);
  for (const line* l : order) t.add_row(cells_of(*l, false, false));
  for (const auto& m : metrics_)
    if (totals.count(m)) t.add_row(cells_of(totals.at(m), true, false));
  t.render(out, width_);
  if (any_estimated) out << "* estimated: AWS may still revise these periods\n";
  // Each column (and the total column) of a metric against its total row.
  bool adds_up = true;
  for (const auto& m : metrics_) {
    auto it = totals.find(m);
    if (it == totals.end()) continue;
    for (std::size_t p = 0; p <= periods_.size() && adds_up; ++p) {
      std::vector<decimal> column;
      for (const line* l : order) {
        if (l->metric != m) continue;
        auto c = l->cells.find(p);
        column.push_back(p == periods_.size() ? l->total : c == l->cells.end() ? decimal() : c->second);
      }
      auto tc = it->second.cells.find(p);
      const decimal total = p == periods_.size() ? it->second.total : tc == it->second.cells.end() ? decimal() : tc->second;
      adds_up = rounded_rows_add_up(column, total);
    }
  }
  if (!adds_up) out << rounding_footnote << "\n";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
