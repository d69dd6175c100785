// Bodies of info_commands.hpp.
#include "info_commands.hpp"

#include <chrono>
#include <cstdio>
#include <ostream>
#include <vector>

#include "account_names.hpp"
#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/sts/caller_identity.hpp"
#include "finops_crawler/detail/json_writer.hpp"
#include "listing_output.hpp"
#include "response_cache.hpp"
#include "session.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// Seconds since the epoch as AWS's JSON protocol writes a timestamp: a
// number, with a fraction only when there is one.
std::string epoch_number(double seconds) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", seconds);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Writes `text` (a finished JSON document) or says why there is none.
exit_code write_json(result<std::string> text, std::ostream& out, std::ostream& err) {
  if (!text) return err << explain_error(text.error()) << "\n", exit_code_for(text.error());
  out << *text << '\n';
  return exit_code::ok;
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
  if (*format == "json") {
    // sts:GetCallerIdentity's result as the AWS CLI prints it.
    finops_crawler::detail::json_writer j;
    j.begin_object().key("UserId").string(id->user_id).key("Account").string(id->account).key("Arn").string(id->arn);
    j.end_object();
    return write_json(std::move(j).finish(), out, err);
  }
  write_listing(out, *format, ctx, {"account", "arn", "user_id", "provider", "expires", "credentials"},
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
  if (*format == "json") {
    // ListAccounts' response (every page merged), members as AWS sends
    // them; absent ones are left out, as AWS leaves them out.
    std::string o = "{\"Accounts\":[";
    bool first = true;
    for (const auto& a : *accounts) {
      finops_crawler::detail::json_writer j;
      j.begin_object().key("Id").string(a.id);
      const auto opt = [&j](const char* name, const std::string& v) {
        if (!v.empty()) j.key(name).string(v);
      };
      opt("Arn", a.arn);
      opt("Email", a.email);
      opt("Name", a.name);
      opt("Status", a.status);
      opt("State", a.state);
      opt("JoinedMethod", a.joined_method);
      j.end_object();
      auto text = std::move(j).finish();
      if (!text) return err << explain_error(text.error()) << "\n", exit_code_for(text.error());
      if (a.joined_timestamp != 0) {
        text->pop_back();  // the closing brace: a number member follows
        *text += ",\"JoinedTimestamp\":" + epoch_number(a.joined_timestamp) + "}";
      }
      o += (first ? "" : ",") + *text;
      first = false;
    }
    o += "]}";
    out << o << '\n';
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : *accounts) rows.push_back({a.id, a.name, a.email, a.status.empty() ? a.state : a.status});
  write_listing(out, *format, ctx, {"id", "name", "email", "status"}, rows);
  return exit_code::ok;
}

exit_code run_dimensions(const std::string& key, const period_flags& period, const guard_flags& guard_f,
                         const connection_flags& conn, const std::string& format_flag, const cli_context& ctx,
                         std::ostream& out, std::ostream& err) {
  auto format = listing_format(format_flag, ctx);
  if (!format) return err << explain_error(format.error()) << "\n", exit_code::usage;
  auto guard = crawl_guard::from_flags(guard_f);
  if (!guard) return err << explain_error(guard.error()) << "\n", exit_code::usage;
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
  // GetDimensionValues pages hold up to 1000 values (MaxResults' range); a
  // dimension rarely has more, so the estimate is one request, or what an
  // earlier run of the same dimension took.
  ce::request_shape shape;
  shape.start = range->start;
  shape.end = range->end;
  auto normalized = req;
  normalized.time_period = {"2000-01-01", "2000-01-02"};
  auto body = normalized.to_json();
  const std::string hkey = body ? history_key(ce::dimension_values_request::operation_name, *body) : std::string();
  crawl_estimate estimate;
  estimate.requests = 1;
  estimate.basis = "one page of up to 1000 values";
  if (auto known = (*sess)->cache() ? (*sess)->cache()->load_history(hkey) : std::nullopt) {
    estimate.requests = known->first;
    estimate.basis = "from an earlier run: " + std::to_string(known->first) + (known->first == 1 ? " page" : " pages");
  }
  if (auto stop = guard->check(estimate, err, conn.verbose)) return *stop;
  (*sess)->progress().set_expected_pages(estimate.requests);
  auto client = (*sess)->client(aws::cost_explorer_api);
  if (!client) return err << explain_error(client.error()) << "\n", exit_code::usage;
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*client), ceo);
  std::vector<std::vector<std::string>> rows;
  // For --format json: GetDimensionValues' response, every page merged.
  finops_crawler::detail::json_writer j;
  j.begin_object().key("DimensionValues").begin_array();
  std::uint64_t total_size = 0;
  ce::crawl_options options;
  options.budget = guard->budget();
  auto st = explorer.crawl_dimension_values(req, [&](const ce::dimension_values_page& page, const ce::page_info&) {
    total_size = page.total_size();
    for (ce::dimension_value v : page.values()) {
      j.begin_object().key("Value").string(v.value()).key("Attributes").begin_object();
      for (const auto& a : v.attributes()) j.key(a.key).string(a.value);
      j.end_object().end_object();
      std::string attrs;
      for (const auto& a : v.attributes()) {
        if (!attrs.empty()) attrs += "; ";
        attrs += std::string(a.key) + "=" + std::string(a.value);
      }
      rows.push_back({std::string(v.value()), attrs});
    }
  }, options);
  if (st && st->complete) record_history((*sess)->cache(), hkey, st->pages, 1);
  (*sess)->progress().clear();
  if ((*sess)->progress().enabled() || conn.verbose) err << (*sess)->summary() << "\n";
  if (!st) return err << explain_error(st.error(), "ce:GetDimensionValues") << "\n", exit_code_for(st.error());
  if (*format == "json") {
    j.end_array().key("ReturnSize").integer(static_cast<std::int64_t>(rows.size()));
    j.key("TotalSize").integer(static_cast<std::int64_t>(total_size)).end_object();
    const exit_code written = write_json(std::move(j).finish(), out, err);
    if (written != exit_code::ok || !guard->stopped()) return written;
  } else {
    write_listing(out, *format, ctx, {key, "attributes"}, rows);
  }
  if (guard->stopped()) {
    err << guard->stop_message() << "\n";
    return exit_code::partial;
  }
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
