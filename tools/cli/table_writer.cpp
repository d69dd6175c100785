// Bodies of table_writer.hpp.
#include "table_writer.hpp"

#include <algorithm>
#include <ostream>

#include "amount_format.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::size_t display_width(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string fit_width(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) return std::string(s);
  if (width == 0) return {};
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts) {
      if (n == width - 1) break;
      ++n;
    }
    out.push_back(s[i]);
  }
  out.push_back('~');
  return out;
}

void text_table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void text_table::render(std::ostream& out, std::size_t max_width) const {
  const std::size_t n = columns_.size();
  if (n == 0) return;
  std::vector<std::size_t> w(n);
  for (std::size_t c = 0; c < n; ++c) {
    w[c] = display_width(columns_[c].title);
    for (const auto& r : rows_) w[c] = std::max(w[c], display_width(r[c]));
  }
  auto total = [&] {
    std::size_t t = 2 * (n - 1);
    for (auto x : w) t += x;
    return t;
  };
  // Bounded: each pass shrinks one column by one, at most sum(w) passes.
  // Key columns (dates) and numbers stay whole; the others go to 6
  // characters first, then to 3.
  if (max_width != 0) {
    max_width = std::max<std::size_t>(max_width, 20);
    for (std::size_t floor : {std::size_t{6}, std::size_t{3}}) {
      while (total() > max_width) {
        std::size_t widest = n;
        for (std::size_t c = 0; c < n; ++c)
          if (!columns_[c].right && !columns_[c].keep && w[c] > floor && (widest == n || w[c] > w[widest])) widest = c;
        if (widest == n) break;
        --w[widest];
      }
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < n; ++c) {
      std::string cell = fit_width(cells[c], w[c]);
      const std::size_t pad = w[c] - display_width(cell);
      if (columns_[c].right) text.append(pad, ' ');
      text += cell;
      if (!columns_[c].right && c + 1 < n) text.append(pad, ' ');
      if (c + 1 < n) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  std::vector<std::string> titles;
  for (const auto& col : columns_) titles.push_back(col.title);
  line(titles);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < n; ++c) rule.emplace_back(w[c], '-');
  line(rule);
  for (const auto& r : rows_) line(r);
}

bool table_writer::begin() { return static_cast<bool>(*out_); }

bool table_writer::write(const cost_row& r) {
  stored s;
  s.start = std::string(r.period_start);
  s.g1 = std::string(r.group_1);
  s.g2 = std::string(r.group_2);
  if (!r.account_name.empty()) {
    if (account_position_ == 1) s.g1 += " (" + std::string(r.account_name) + ")";
    else s.g2 += " (" + std::string(r.account_name) + ")";
  }
  s.metric = std::string(r.metric);
  s.amount = display_amount(r.amount);
  s.unit = std::string(r.unit);
  s.estimated = r.estimated;
  s.profile = profile_;
  s.profile_account = profile_account_;
  any_g1_ = any_g1_ || !s.g1.empty();
  any_g2_ = any_g2_ || !s.g2.empty();
  any_estimated_ = any_estimated_ || s.estimated;
  if (metrics_.empty() || std::find(metrics_.begin(), metrics_.end(), s.metric) == metrics_.end())
    metrics_.push_back(s.metric);
  rows_.push_back(std::move(s));
  return true;
}

bool table_writer::finish() {
  if (rows_.empty()) {
    *out_ << "(no costs in this period)\n";
    out_->flush();
    return static_cast<bool>(*out_);
  }
  std::vector<text_table::column> cols;
  if (profile_columns_) {
    cols.push_back({"profile", false, true});
    cols.push_back({"profile_account", false, true});
  }
  cols.push_back({"period", false, true});
  if (any_g1_) cols.push_back({"group_1", false});
  if (any_g2_) cols.push_back({"group_2", false});
  const bool show_metric = metrics_.size() > 1;
  if (show_metric) cols.push_back({"metric", false});
  cols.push_back({"amount", true});
  cols.push_back({"unit", false});
  text_table t(cols);
  for (const auto& s : rows_) {
    std::vector<std::string> cells;
    if (profile_columns_) {
      cells.push_back(s.profile);
      cells.push_back(s.profile_account);
    }
    cells.push_back(s.start);
    if (any_g1_) cells.push_back(s.g1);
    if (any_g2_) cells.push_back(s.g2);
    if (show_metric) cells.push_back(s.metric);
    cells.push_back(s.estimated ? s.amount + "*" : s.amount + " ");
    cells.push_back(s.unit);
    t.add_row(std::move(cells));
  }
  t.render(*out_, width_);
  if (any_estimated_) *out_ << "* estimated: AWS may still revise these amounts\n";
  out_->flush();
  return static_cast<bool>(*out_);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
