// Bodies of sync_command.hpp.
#include "sync_command.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <thread>
#include <utility>

#include "absent_database.hpp"
#include "crawl_guard.hpp"
#include "error_hints.hpp"
#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "finops_crawler/aws/sts/sts.hpp"
#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/store/sync.hpp"
#include "query_args.hpp"
#include "session.hpp"
#include "test_kill_hook.hpp"
#if FINOPS_CRAWLER_CLI_SQLITE
#include "finops_crawler/store/sqlite_store.hpp"
#endif
#if FINOPS_CRAWLER_CLI_POSTGRES
#include "finops_crawler/store/postgres_store.hpp"
#endif

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

result<store::definition_flags> definition_from(const sync_flags& f) {
  store::definition_flags d;
  if (!f.granularity.empty()) {
    auto g = ce::parse_granularity(f.granularity);
    if (!g) return error(errc::invalid_argument, "--granularity " + f.granularity + ": use DAILY or MONTHLY");
    d.granularity = *g;
  }
  if (!f.metrics.empty()) d.metrics = f.metrics;
  if (f.group_by.size() > 2)
    return error(errc::invalid_argument, "--group-by given " + std::to_string(f.group_by.size()) +
                                             " times: Cost Explorer groups by at most two keys");
  if (!f.group_by.empty()) {
    std::vector<ce::group_by> groups;
    for (const auto& s : f.group_by) {
      if (s == "RESOURCE_ID")
        return error(errc::invalid_argument, "--group-by RESOURCE_ID cannot be synced (Cost Explorer keeps "
                                             "resource-level data for 14 days only)");
      auto g = parse_group_by(s);
      if (!g) return g.error();
      groups.push_back(std::move(*g));
    }
    d.group_by = std::move(groups);
  }
  auto filter = build_filter(f.filters, f.filter_json);
  if (!filter) return filter.error();
  if (*filter) d.filter = std::move(**filter);
  return d;
}

// The period flags of sync: --start alone (continue from there to today),
// or any form `costs` takes.
status period_from(const period_flags& p, calendar_date today, store::sync_options& o) {
  const bool only_start = !p.start.empty() && p.end.empty() && p.last.empty() && p.month.empty();
  if (only_start) {
    auto d = parse_date(p.start);
    if (!d) return status(errc::invalid_argument, "--start " + p.start + ": " + d.error().message);
    o.start = *d;
    return {};
  }
  if (p.start.empty() && p.end.empty() && p.last.empty() && p.month.empty()) return {};
  auto r = resolve_period(p, today);
  if (!r) return r.error();
  o.start = r->start;
  o.end = r->end;
  return {};
}

}  // namespace

result<std::unique_ptr<store::cost_store>> open_database(const std::string& db, bool dry_run) {
  const std::string name = db.empty() ? std::string(default_sync_db) : db;
  const std::string lower = detail::to_lower(name.substr(0, 13));
  if (starts_with(lower, "postgresql://") || starts_with(lower, "postgres://")) {
#if FINOPS_CRAWLER_CLI_POSTGRES
    return store::open_postgres_store(name);
#else
    return error(errc::invalid_argument, "--db: this build of finops-crawler has no PostgreSQL support "
                                         "(rebuild with libpq-dev installed)");
#endif
  }
  std::string path = starts_with(name, "sqlite:") ? name.substr(7) : name;
#if FINOPS_CRAWLER_CLI_SQLITE
  if (dry_run && !path.empty() && path != ":memory:") {
    // A missing file in an existing directory: what the store would create.
    // Anything else (a missing directory, a directory) is for the store to
    // refuse, which it does before creating anything.
    std::error_code ec;
    const auto p = std::filesystem::absolute(path, ec).lexically_normal();
    if (!ec && !std::filesystem::exists(std::filesystem::symlink_status(p, ec)) &&
        std::filesystem::is_directory(p.parent_path(), ec))
      return absent_sqlite_database(p.string());
  }
  return store::open_sqlite_store(path);
#else
  (void)path;
  (void)dry_run;
  return error(errc::invalid_argument, "--db: this build of finops-crawler has no SQLite support "
                                       "(rebuild with libsqlite3-dev installed)");
#endif
}

exit_code run_sync_command(const sync_flags& f, const connection_flags& conn, const cli_context& ctx,
                           std::ostream& out, std::ostream& err) {
  (void)out;
  auto fail = [&](const error& e, std::string_view action = {}) {
    err << explain_error(e, action) << "\n";
    return exit_code_for(e);
  };

  // 1. Flags, before anything is opened.
  auto resolved_today = resolve_today(f.today, ctx);
  if (!resolved_today) return fail(resolved_today.error());
  const calendar_date today = *resolved_today;
  // The same check and cap as every crawl (crawl_guard.hpp); the sync
  // itself charges the library's request_budget with it.
  guard_flags gf;
  gf.max_requests = f.max_requests;
  auto guard = crawl_guard::from_flags(gf);
  if (!guard) return fail(guard.error());
  const std::uint64_t max_requests = guard->cap();
  store::sync_options o;
  o.report = f.report.empty() ? "default" : f.report;
  o.today = today;
  o.dry_run = f.dry_run;
  o.refresh_final = f.refresh_final;
  o.max_requests = max_requests;
  auto def = definition_from(f);
  if (!def) return fail(def.error());
  o.definition = std::move(*def);
  if (status st = period_from(f.period, today, o); !st) return fail(st.error());
  // A definition the flags alone make must be valid whatever is stored.
  if (auto d = store::resolve_definition(o.definition, nullptr); !d) return fail(d.error());

  // 2. The database: opened, schema checked or created.
  auto db = open_database(f.db, f.dry_run);
  if (!db) {
    // The database's own message: the AWS hints of explain_error (e.g. for
    // errc::no_credentials) are about AWS keys, not a database password.
    err << "finops-crawler: " << db.error().message << "\n";
    return exit_code_for(db.error());
  }

  // 3. Credentials and clients (nothing sent yet).
  auto sess = session::open(conn, ctx, err);
  if (!sess) return fail(sess.error());
  session& s = **sess;
  auto ce_client = s.client(aws::cost_explorer_api);
  if (!ce_client) return fail(ce_client.error());
  auto sts_client = s.client(aws::sts_api);
  if (!sts_client) return fail(sts_client.error());
  ce::cost_explorer_options ceo;
  ceo.today = today.to_string();
  ce::cost_explorer explorer(std::move(*ce_client), ceo);
  sts::sts_client sts(std::move(*sts_client));
  o.payer = [&]() -> result<std::string> {
    auto who = sts.get_caller_identity();
    if (!who) return who.error();
    return who->account;
  };

  // 4. The run (lock, payer, plan, sync_runs row, then the requests).
  kill_hook kill = read_kill_hook(ctx.environment());
  long hold_ms = 0;
  if (auto v = ctx.environment().get_non_empty("FINOPS_CRAWLER_TEST_LOCK_HOLD_MS")) hold_ms = std::atol(v->c_str());
  store::sync_hooks hooks;
  hooks.on_locked = [&]() {
    if (hold_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
  };
  hooks.on_plan = [&](const store::sync_plan& p) {
    s.progress().clear();
    err << p.describe() << "\n";
    if (f.dry_run) err << "dry run: nothing sent to Cost Explorer, nothing written to " << (*db)->description() << "\n";
  };
  hooks.on_page = [&](std::size_t, std::uint64_t) { kill.tick(true); };
  hooks.on_chunk_committed = [&](std::size_t, const store::write_counts&) { kill.tick(false); };

  auto outcome = store::run_sync(**db, explorer, o, hooks);
  s.progress().clear();
  if (!outcome) return fail(outcome.error(), "sts:GetCallerIdentity");
  if (f.dry_run) return exit_code::ok;
  err << outcome->summary() << "\n";
  if (outcome->failure) return fail(*outcome->failure, "ce:GetCostAndUsage");
  if (outcome->status == store::run_status::partial) return exit_code::partial;
  return exit_code::ok;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
