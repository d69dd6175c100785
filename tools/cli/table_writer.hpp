#ifndef FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
#define FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
/// \file
/// Aligned plain-text tables for terminals: a generic `text_table` and the
/// `table_writer` sink of `finops-crawler costs --format table`.
///
/// Width is counted in code points (UTF-8 continuation bytes are not
/// counted), which is right for the Latin, CJK-free names AWS uses; a table
/// wider than the limit shrinks its widest left-aligned columns and marks cut
/// cells with "~". Numbers are right-aligned.

#include <algorithm>
#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "amount_format.hpp"
#include "cost_row.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Display width of UTF-8 text: the number of code points.
inline std::size_t display_width(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

/// `s` cut to at most `width` code points; a cut string ends with "~".
inline std::string fit_width(std::string_view s, std::size_t width) {
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

/// A table of strings rendered with aligned columns, two spaces apart, a
/// header line and a dashed rule. Not thread-safe; owns its cells.
class text_table {
 public:
  /// One column: its title and whether cells are right-aligned (numbers).
  struct column {
    std::string title;
    bool right = false;
  };

  explicit text_table(std::vector<column> columns) : columns_(std::move(columns)) {}

  /// Appends a row; missing cells are empty, extra cells are ignored.
  void add_row(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    rows_.push_back(std::move(cells));
  }

  /// Number of rows added.
  std::size_t size() const noexcept { return rows_.size(); }

  /// Writes the table in at most `max_width` columns (at least 20). Columns
  /// that are left-aligned are shrunk, widest first, down to 6 characters;
  /// right-aligned (numeric) columns are never cut.
  void render(std::ostream& out, std::size_t max_width = 80) const {
    const std::size_t n = columns_.size();
    if (n == 0) return;
    std::vector<std::size_t> w(n);
    for (std::size_t c = 0; c < n; ++c) {
      w[c] = display_width(columns_[c].title);
      for (const auto& r : rows_) w[c] = std::max(w[c], display_width(r[c]));
    }
    max_width = std::max<std::size_t>(max_width, 20);
    auto total = [&] {
      std::size_t t = 2 * (n - 1);
      for (auto x : w) t += x;
      return t;
    };
    // Bounded: each pass shrinks one column by one, at most sum(w) passes.
    while (total() > max_width) {
      std::size_t widest = n;
      for (std::size_t c = 0; c < n; ++c)
        if (!columns_[c].right && w[c] > 6 && (widest == n || w[c] > w[widest])) widest = c;
      if (widest == n) break;
      --w[widest];
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

 private:
  std::vector<column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

/// The `--format table` sink: buffers the rows (a table needs every width
/// before its first line) and renders them at finish(): period start, the
/// group columns that are used, the metric when more than one is asked,
/// the amount rounded to 2 places (exact amounts: use csv), the unit, and
/// "*" for estimated periods with a footnote. With --account-names the
/// LINKED_ACCOUNT cell reads "123456789012 (Production)".
/// Memory: every row is copied (a 90-day, 200-group report is ~2 MB).
class table_writer final : public row_sink {
 public:
  table_writer(std::ostream& out, std::size_t width) noexcept : out_(&out), width_(width) {}

  bool begin() override { return static_cast<bool>(*out_); }

  bool write(const cost_row& r) override {
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
    any_g1_ = any_g1_ || !s.g1.empty();
    any_g2_ = any_g2_ || !s.g2.empty();
    any_estimated_ = any_estimated_ || s.estimated;
    if (metrics_.empty() || std::find(metrics_.begin(), metrics_.end(), s.metric) == metrics_.end())
      metrics_.push_back(s.metric);
    rows_.push_back(std::move(s));
    return true;
  }

  /// Which group value is the account id, so write() knows where the name
  /// goes: call with the group position (1 or 2) of LINKED_ACCOUNT.
  void set_account_group(int position) noexcept { account_position_ = position; }

  bool finish() override {
    if (rows_.empty()) {
      *out_ << "(no costs in this period)\n";
      out_->flush();
      return static_cast<bool>(*out_);
    }
    std::vector<text_table::column> cols{{"period", false}};
    if (any_g1_) cols.push_back({"group_1", false});
    if (any_g2_) cols.push_back({"group_2", false});
    const bool show_metric = metrics_.size() > 1;
    if (show_metric) cols.push_back({"metric", false});
    cols.push_back({"amount", true});
    cols.push_back({"unit", false});
    text_table t(cols);
    for (const auto& s : rows_) {
      std::vector<std::string> cells{s.start};
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

 private:
  struct stored {
    std::string start, g1, g2, metric, amount, unit;
    bool estimated = false;
  };
  std::ostream* out_;
  std::size_t width_;
  std::vector<stored> rows_;
  std::vector<std::string> metrics_;
  int account_position_ = 1;
  bool any_g1_ = false;
  bool any_g2_ = false;
  bool any_estimated_ = false;
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_TABLE_WRITER_HPP
