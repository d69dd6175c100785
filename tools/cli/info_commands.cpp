// Bodies of info_commands.hpp.
#include "info_commands.hpp"

#include <chrono>
#include <ostream>
#include <vector>

#include "account_names.hpp"
#include "csv_writer.hpp"
#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "session.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// Writes a header and rows as CSV (format "csv") or as an aligned table.
void write_listing(std::ostream& out, const std::string& format, std::size_t width,
                   const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  if (format == "csv") {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (i) out << ',';
      write_csv_field(out, header[i]);
    }
    out << '\n';
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < r.size(); ++i) {
        if (i) out << ',';
        write_csv_field(out, r[i]);
      }
      out << '\n';
    }
    return;
  }
  std::vector<text_table::column> cols;
  for (const auto& h : header) cols.push_back({h, false});
  text_table t(cols);
  for (const auto& r : rows) t.add_row(r);
  t.render(out, width);
}

result<std::string> listing_format(const std::string& requested, const cli_context& ctx) {
  if (requested.empty()) return std::string(ctx.stdout_is_terminal ? "table" : "csv");
  if (requested != "csv" && requested != "table")
    return error(errc::invalid_argument, "--format " + requested + ": use csv or table");
  return requested;
}

}  // namespace

exit_code run_whoami(const connection_flags& conn, const std::string& format_flag, const cli_context& ctx,
                     std::ostream& out, std::ostream& err) {
  auto format = listing_format(format_flag, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  auto sess = session::open(conn, ctx, err);
  if (!sess) return err << explain_error(sess.error()) << "\n", exit_code_for(sess.error());
  auto sts = (*sess)->client(aws::sts_api);
  if (!sts) return err << explain_error(sts.error()) << "\n", exit_code::usage;
  auto reply = sts->call_query("GetCallerIdentity");
  if (!reply) return err << explain_error(reply.error(), "sts:GetCallerIdentity") << "\n", exit_code_for(reply.error());
  auto id = sts::parse_caller_identity(reply->body);
  if (!id) return err << explain_error(id.error()) << "\n", exit_code_for(id.error());
  // Which provider of the chain supplied the keys, and until when: the
  // first thing to check when a profile does not act as expected.
  const aws::session& a = (*sess)->aws_session();
  std::string provider = a.credential_source() ? std::string(a.credential_source()->provider_name()) : std::string();
  std::string expires = "never (long-term keys)";
  auto held = a.credential_source() ? a.credential_source()->peek() : nullptr;
  if (held && held->expiry()) {
    expires = aws::detail::iso8601_utc(*held->expiry());
    const auto left = std::chrono::duration_cast<std::chrono::minutes>(*held->expiry() - std::chrono::system_clock::now());
    if (left.count() >= 0)
      expires += " (in " + std::to_string(left.count()) + " min" +
                 (a.credential_source()->is_static() ? std::string(")") : std::string("; refreshed before then)"));
    else expires += " (expired)";
  }
  write_listing(out, *format, ctx.terminal_width, {"account", "arn", "user_id", "provider", "expires", "credentials"},
                {{id->account, id->arn, id->user_id, provider, expires, (*sess)->credentials_description()}});
  return exit_code::ok;
}

exit_code run_accounts(const connection_flags& conn, const std::string& format_flag, const cli_context& ctx,
                       std::ostream& out, std::ostream& err) {
  auto format = listing_format(format_flag, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  auto sess = session::open(conn, ctx, err);
  if (!sess) return err << explain_error(sess.error()) << "\n", exit_code_for(sess.error());
  auto org = (*sess)->client(aws::organizations_api);
  if (!org) return err << explain_error(org.error()) << "\n", exit_code::usage;
  auto accounts = list_accounts(*org);
  if (!accounts) {
    const error& e = accounts.error();
    if (e.code == errc::not_in_organization || e.aws_code == "AWSOrganizationsNotInUseException") {
      err << "finops-crawler: this account is not a member of an AWS Organization: "
             "there are no other accounts to list (`finops-crawler whoami` shows this one)\n";
      return exit_code::aws_refused;
    }
    err << explain_error(e, "organizations:ListAccounts") << "\n";
    return exit_code_for(e);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : *accounts) rows.push_back({a.id, a.name, a.email, a.status.empty() ? a.state : a.status});
  write_listing(out, *format, ctx.terminal_width, {"id", "name", "email", "status"}, rows);
  return exit_code::ok;
}

exit_code run_dimensions(const std::string& key, const period_flags& period, const connection_flags& conn,
                         const std::string& format_flag, const cli_context& ctx, std::ostream& out, std::ostream& err) {
  auto format = listing_format(format_flag, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  const calendar_date today = ctx.date();
  auto range = resolve_period(period, today, 30);
  if (!range) return err << explain_error(range.error()) << "\n", exit_code::usage;
  ce::dimension_values_request req;
  req.dimension = key;
  req.time_period = {range->start.to_string(), range->end.to_string()};
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
  std::vector<std::vector<std::string>> rows;
  auto st = explorer.crawl_dimension_values(req, [&](const ce::dimension_values_page& page, const ce::page_info&) {
    for (ce::dimension_value v : page.values()) {
      std::string attrs;
      for (const auto& a : v.attributes()) {
        if (!attrs.empty()) attrs += "; ";
        attrs += std::string(a.key) + "=" + std::string(a.value);
      }
      rows.push_back({std::string(v.value()), attrs});
    }
  });
  (*sess)->progress().clear();
  if ((*sess)->progress().enabled() || conn.verbose) err << (*sess)->summary() << "\n";
  if (!st) return err << explain_error(st.error(), "ce:GetDimensionValues") << "\n", exit_code_for(st.error());
  write_listing(out, *format, ctx.terminal_width, {key, "attributes"}, rows);
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
