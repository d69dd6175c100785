#ifndef FINOPS_CRAWLER_CLI_CHART_HPP
#define FINOPS_CRAWLER_CLI_CHART_HPP
/// \file
/// A stacked bar chart in plain ASCII for terminals: one bar per day (or per
/// bucket of days when there are more days than columns), each bar split into
/// the series stacked bottom-up, each series drawn with its own character,
/// a labelled y axis (amount), an x axis with the first, middle and last
/// date, and a legend. Fits the given width (80 by default).
///
/// Heights are computed in `double`: this is a picture, not a figure; the
/// exact amounts are in the table and the CSV. Pure; thread-safe.

#include <cstddef>
#include <string>
#include <vector>

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// One stacked series: its legend name and one value per x position.
/// Negative values (credits) are drawn as zero.
struct chart_series {
  std::string name;
  std::vector<double> values;
};

/// Layout of the chart.
struct chart_options {
  std::size_t width = 80;    ///< total columns, axis and labels included (>= 40)
  std::size_t height = 12;   ///< rows of bars (>= 4)
  std::string title;         ///< first line; none when empty
  std::string unit = "USD";  ///< shown on the y axis
};

/// The fill character of series `i` (cycles after 8 series).
char chart_fill(std::size_t i) noexcept;

/// The smallest "nice" number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power
/// of ten) >= v: the top of the y axis.
double nice_ceiling(double v) noexcept;

/// A y-axis label: whole numbers with thousands separators for values >= 10,
/// two decimals below.
std::string chart_label(double v);

/// Renders the chart. `x_labels` names the x positions (dates); every series
/// should have x_labels.size() values (missing values count as 0). Returns
/// the chart as text lines ending in '\n'; empty when there is nothing to
/// draw (no positions or no series).
std::string render_stacked_chart(const std::vector<std::string>& x_labels, const std::vector<chart_series>& series,
                                 const chart_options& opt = {});

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CHART_HPP
