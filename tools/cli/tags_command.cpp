// Bodies of tags_command.hpp.
#include "tags_command.hpp"

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

exit_code run_tags(const tags_flags& f, const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                   std::ostream& err) {
  auto format = listing_format(f.format, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  const calendar_date today = ctx.date();
  auto range = resolve_period(f.period, today, 30);
  if (!range) return err << explain_error(range.error()) << "\n", exit_code::usage;
  ce::tags_request req;
  req.time_period = {range->start.to_string(), range->end.to_string()};
  const bool values = !f.key.empty();
  if (values) req.tag_key = f.key;
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
  std::vector<std::string> tags;
  std::uint64_t total_size = 0;
  auto st = explorer.crawl_tags(req, [&](const ce::tags_page& page, const ce::page_info&) {
    for (std::string_view t : page.tags()) tags.emplace_back(t);
    total_size = page.total_size();
  });
  (*sess)->progress().clear();
  if ((*sess)->progress().enabled() || conn.verbose) err << (*sess)->summary() << "\n";
  if (!st) return err << explain_error(st.error(), "ce:GetTags") << "\n", exit_code_for(st.error());
  if (*format == "json") {
    finops_crawler::detail::json_writer w;
    w.begin_object().key("Tags").begin_array();
    for (const auto& t : tags) w.string(t);
    w.end_array();
    w.key("ReturnSize").integer(static_cast<std::int64_t>(tags.size()));
    w.key("TotalSize").integer(static_cast<std::int64_t>(total_size));
    w.end_object();
    auto text = std::move(w).finish();
    if (!text) return err << explain_error(text.error()) << "\n", exit_code_for(text.error());
    out << *text << '\n';
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  const bool table = *format == "table";
  for (auto& t : tags) {
    // An empty value is the untagged share; a table names it.
    if (values) rows.push_back({f.key, table && t.empty() ? std::string("(untagged)") : std::move(t)});
    else rows.push_back({std::move(t)});
  }
  if (values && rows.empty())
    err << "finops-crawler: no resource carried the tag key \"" << f.key << "\" in " << req.time_period.start << " .. "
        << req.time_period.end << " (End exclusive); tag keys are case-sensitive: `finops-crawler tags` lists them\n";
  if (values) write_listing(out, *format, ctx, {"key", "value"}, rows);
  else write_listing(out, *format, ctx, {"key"}, rows);
  if (table && !values && !rows.empty())
    err << "finops-crawler: group by one with `costs --group-by TAG:" << rows.front().front()
        << "`; its values: `tags --key " << rows.front().front() << "`\n";
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
