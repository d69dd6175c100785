// Bodies of chart.hpp.
#include "chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "amount_format.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

char chart_fill(std::size_t i) noexcept {
  constexpr char fills[] = {'#', '=', '+', 'o', ':', '%', '@', '.'};
  return fills[i % sizeof fills];
}

double nice_ceiling(double v) noexcept {
  if (!(v > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
    if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10 * p;
}

std::string chart_label(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return display_amount(buf, v >= 10 ? 0 : 2);
}

std::string render_stacked_chart(const std::vector<std::string>& x_labels, const std::vector<chart_series>& series,
                                 const chart_options& opt) {
  const std::size_t n = x_labels.size();
  if (n == 0 || series.empty()) return {};
  const std::size_t width = std::max<std::size_t>(opt.width, 40);
  const std::size_t height = std::max<std::size_t>(opt.height, 4);
  auto value = [&](std::size_t s, std::size_t x) {
    const auto& v = series[s].values;
    return x < v.size() && v[x] > 0 ? v[x] : 0.0;
  };
  // Column layout: the label gutter, " |", then the plot.
  double top = 0;
  for (std::size_t x = 0; x < n; ++x) {
    double t = 0;
    for (std::size_t s = 0; s < series.size(); ++s) t += value(s, x);
    top = std::max(top, t);
  }
  top = nice_ceiling(top);
  const std::string top_label = chart_label(top);
  const std::string mid_label = chart_label(top / 2);
  const std::string zero_label = "0";
  const std::size_t gutter = std::max({top_label.size(), mid_label.size(), zero_label.size(), opt.unit.size()});
  const std::size_t plot = width - gutter - 2;
  // Bucketing: with more days than columns, a column shows the mean of its
  // days; with fewer, each day gets the same whole number of columns.
  const std::size_t per = std::max<std::size_t>(1, plot / n);
  const std::size_t cols = n >= plot ? plot : n * per;
  std::vector<std::vector<double>> stack(cols, std::vector<double>(series.size(), 0.0));
  for (std::size_t c = 0; c < cols; ++c) {
    std::size_t from, to;
    if (n >= plot) {
      from = c * n / cols;
      to = std::max(from + 1, (c + 1) * n / cols);
    } else {
      from = c / per;
      to = from + 1;
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
      double sum = 0;
      for (std::size_t x = from; x < to; ++x) sum += value(s, x);
      stack[c][s] = sum / static_cast<double>(to - from);
    }
  }
  std::string out;
  if (!opt.title.empty()) out += fit_width(opt.title, width) + "\n";
  auto pad_left = [&](const std::string& s) { return std::string(gutter - s.size(), ' ') + s; };
  out += pad_left(opt.unit) + "\n";
  for (std::size_t r = 0; r < height; ++r) {
    // Row r (0 = top) covers the value band whose midpoint is `mid`.
    const double mid = top * (static_cast<double>(height - r) - 0.5) / static_cast<double>(height);
    std::string label;
    if (r == 0) label = top_label;
    else if (r == height / 2) label = mid_label;
    std::string line = pad_left(label) + " |";
    for (std::size_t c = 0; c < cols; ++c) {
      double acc = 0;
      char ch = ' ';
      for (std::size_t s = 0; s < series.size(); ++s) {
        acc += stack[c][s];
        if (mid < acc) {
          ch = chart_fill(s);
          break;
        }
      }
      line.push_back(ch);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += pad_left(zero_label) + " +" + std::string(cols, '-') + "\n";
  // Dates: first at the left, last at the right, middle centred if room.
  std::string axis(gutter + 2 + cols, ' ');
  auto place = [&](std::size_t at, const std::string& text) {
    if (at + text.size() > axis.size()) at = axis.size() - std::min(axis.size(), text.size());
    for (std::size_t i = 0; i < text.size() && at + i < axis.size(); ++i) axis[at + i] = text[i];
  };
  const std::string& first = x_labels.front();
  const std::string& last = x_labels.back();
  const std::string& middle = x_labels[n / 2];
  place(gutter + 2, first);
  const std::size_t last_at = gutter + 2 + cols - std::min(cols, last.size());
  const std::size_t mid_at = gutter + 2 + cols / 2 - std::min(cols / 2, middle.size() / 2);
  if (n > 2 && mid_at > gutter + 2 + first.size() + 1 && mid_at + middle.size() + 1 < last_at) place(mid_at, middle);
  if (n > 1) place(last_at, last);
  while (!axis.empty() && axis.back() == ' ') axis.pop_back();
  out += axis + "\n";
  // Legend, wrapped to the width.
  std::string legend_line;
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string item = std::string(1, chart_fill(s)) + " " + fit_width(series[s].name, width - 4);
    if (!legend_line.empty() && display_width(legend_line) + 3 + display_width(item) > width) {
      out += legend_line + "\n";
      legend_line.clear();
    }
    if (!legend_line.empty()) legend_line += "   ";
    legend_line += item;
  }
  if (!legend_line.empty()) out += legend_line + "\n";
  return out;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
