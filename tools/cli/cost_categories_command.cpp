// Bodies of cost_categories_command.hpp.
#include "cost_categories_command.hpp"

#include <ostream>
#include <utility>
#include <vector>

#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "listing_output.hpp"
#include "session.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

exit_code run_cost_categories(const cost_categories_flags& f, const connection_flags& conn, const cli_context& ctx,
                              std::ostream& out, std::ostream& err) {
  auto format = listing_format(f.format, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  const calendar_date today = ctx.date();
  auto range = resolve_period(f.period, today, 30);
  if (!range) return err << explain_error(range.error()) << "\n", exit_code::usage;
  ce::cost_categories_request req;
  req.time_period = {range->start.to_string(), range->end.to_string()};
  const bool values = !f.name.empty();
  if (values) req.cost_category_name = f.name;
  ce::validation_context vctx;
  vctx.today = today.to_string();
  if (auto st = req.validate(vctx); !st) return err << explain_error(st.error()) << "\n", exit_code::usage;
  auto sess = session::open(conn, ctx, err);
  if (!sess) return err << explain_error(sess.error()) << "\n", exit_code_for(sess.error());
  auto client = (*sess)->client(aws::cost_explorer_api);
  if (!client) return err << explain_error(client.error()) << "\n", exit_code::usage;
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*client), ceo);
  // The names come whole with every page (AWS pages the values when a name
  // is given); keep each name once.
  std::vector<std::string> names, listed;
  std::uint64_t total_size = 0;
  auto st = explorer.crawl_cost_categories(req, [&](const ce::cost_categories_page& page, const ce::page_info&) {
    for (std::string_view n : page.names()) {
      bool seen = false;
      for (const auto& k : names) seen = seen || k == n;
      if (!seen) names.emplace_back(n);
    }
    for (std::string_view v : page.values()) listed.emplace_back(v);
    total_size = page.total_size();
  });
  (*sess)->progress().clear();
  if ((*sess)->progress().enabled() || conn.verbose) err << (*sess)->summary() << "\n";
  if (!st) return err << explain_error(st.error(), "ce:GetCostCategories") << "\n", exit_code_for(st.error());
  if (!values) listed = names;
  if (*format == "json") {
    finops_crawler::detail::json_writer w;
    w.begin_object().key("CostCategoryNames").begin_array();
    for (const auto& n : names) w.string(n);
    w.end_array();
    if (values) {
      w.key("CostCategoryValues").begin_array();
      for (const auto& v : listed) w.string(v);
      w.end_array();
    }
    w.key("ReturnSize").integer(static_cast<std::int64_t>(listed.size()));
    w.key("TotalSize").integer(static_cast<std::int64_t>(total_size));
    w.end_object();
    auto text = std::move(w).finish();
    if (!text) return err << explain_error(text.error()) << "\n", exit_code_for(text.error());
    out << *text << '\n';
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (auto& v : listed) {
    if (values) rows.push_back({f.name, std::move(v)});
    else rows.push_back({std::move(v)});
  }
  if (values) write_listing(out, *format, ctx, {"cost_category", "value"}, rows);
  else write_listing(out, *format, ctx, {"cost_category"}, rows);
  if (*format == "table" && rows.empty())
    err << "finops-crawler: no cost category has costs in " << req.time_period.start << " .. " << req.time_period.end
        << " (End exclusive)\n";
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
