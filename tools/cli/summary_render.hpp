#ifndef FINOPS_CRAWLER_CLI_SUMMARY_RENDER_HPP
#define FINOPS_CRAWLER_CLI_SUMMARY_RENDER_HPP
/// \file
/// The outputs of `finops-crawler summary` from a summary_report:
///   table     for a terminal: the period comparison with the forecast
///             beside month to date, then the top groups (month to date,
///             its change, the last 7 days, last month); fits 80 columns
///             for the simulator's demo organization; cut to `width` on a
///             terminal only;
///   markdown  the same tables as GitHub-flavoured Markdown (chat,
///             tickets), every window's change for the groups;
///   json      every figure exact (AWS's decimal strings), one object;
///   csv       one row per line and window, exact amounts.
/// Amounts are rounded to cents in table and markdown only; estimated
/// periods carry "*" (in totals too), forecasts "f", and a footnote says
/// when rounded rows do not add up to the rounded total. Pure apart from
/// writing to `out`.

#include <cstddef>
#include <iosfwd>
#include <string>

#include "summary_model.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// "Nov 1-25", "Oct 27-Nov 2", "Nov 25", "Oct" (a whole month), "none"
/// (an empty range): the days of a half-open range, End exclusive.
std::string day_span(const date_range& r);

/// The terminal table; `width` 0 = no limit (a file or a pipe).
void render_summary_table(const summary_report& r, std::ostream& out, std::size_t width);
/// GitHub-flavoured Markdown.
void render_summary_markdown(const summary_report& r, std::ostream& out);
/// One JSON object (see the README for the fields).
void render_summary_json(const summary_report& r, std::ostream& out);
/// CSV: `line,key,groups,window,start,end,amount,estimated,previous_start,
/// previous_end,previous_amount,previous_estimated,change,percent_change`.
void render_summary_csv(const summary_report& r, std::ostream& out);

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_SUMMARY_RENDER_HPP
