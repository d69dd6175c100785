// Bodies of cli.hpp: with crawl_guard.cpp (the guard flags every crawling
// command shares), the only file that includes CLI11 (header-only in
// Debian's libcli11-dev, so every file including it parses and compiles all
// of it).
#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "cost_categories_command.hpp"
#include "costs_command.hpp"
#include "crawl_guard.hpp"
#include "demo_command.hpp"
#include "exit_codes.hpp"
#include "forecast_command.hpp"
#include "info_commands.hpp"
#include "summary_command.hpp"
#include "sync_command.hpp"
#include "tags_command.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

std::string help_footer() {
  return std::string(exit_codes_help) +
         "\nExamples:\n"
         "  finops-crawler demo\n"
         "  finops-crawler summary   (month to date vs last month, top services, forecast)\n"
         "  finops-crawler costs --last 30d --group-by SERVICE\n"
         "  finops-crawler costs --month 2026-10 --granularity MONTHLY --group-by LINKED_ACCOUNT --account-names\n"
         "  finops-crawler costs --start 2026-01-01 --end 2026-04-01 --group-by SERVICE --group-by TAG:Team \\\n"
         "      --filter RECORD_TYPE=Usage --format csv --output q1.csv --cache ~/.cache/finops-crawler\n"
         "  finops-crawler costs --group-by RESOURCE_ID --group-by RECORD_TYPE   (last 14 days, EC2)\n"
         "  finops-crawler accounts | finops-crawler whoami | finops-crawler dimensions SERVICE --last 30d\n"
         "  finops-crawler tags --last 30d; finops-crawler tags --key Team   (then costs --group-by TAG:Team)\n"
         "\nCredentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN), else --profile or\n"
         "AWS_PROFILE in ~/.aws/credentials and ~/.aws/config. Each Cost Explorer request costs USD 0.01.\n"
         "TLS: --ca-bundle FILE, else AWS_CA_BUNDLE, else ca_bundle in the profile, else the system's CAs.\n";
}

namespace {

// `several_profiles`: --profile may be repeated and --profiles-file is
// offered (the command runs through multi_profile.hpp's driver).
void add_connection_flags(CLI::App* cmd, connection_flags& c, bool with_cache, bool several_profiles = false) {
  if (several_profiles) {
    cmd->add_option_function<std::vector<std::string>>(
           "--profile",
           [&c](const std::vector<std::string>& names) {
             c.profiles = names;
             if (names.size() == 1) c.profile = names[0];
           },
           "profile in ~/.aws/credentials / ~/.aws/config (default: AWS_PROFILE, else default); repeat it to run "
           "the same report for each profile (costs: rows tagged with profile and profile_account; summary: one "
           "section per profile)")
        ->allow_extra_args(false)
        ->type_name("NAME");
    cmd->add_option("--profiles-file", c.profiles_file,
                    "run the same report for each profile listed in FILE (one per line, # comments), after any "
                    "--profile; tagged or sectioned as for a repeated --profile")
        ->type_name("FILE");
  } else {
    cmd->add_option("--profile", c.profile,
                    "profile in ~/.aws/credentials / ~/.aws/config (default: AWS_PROFILE, else default)")
        ->type_name("NAME");
  }
  cmd->add_option("--region", c.region, "AWS region (Cost Explorer and Organizations always use us-east-1)")
      ->type_name("REGION");
  cmd->add_option("--endpoint-url", c.endpoint_url,
                  "send requests here instead (e.g. the http://127.0.0.1:PORT that finops-crawler-sim prints)")
      ->type_name("URL");
  cmd->add_option("--ca-bundle", c.ca_bundle, "trust the CA certificates in FILE (PEM) for TLS, e.g. behind a TLS-inspecting "
                                              "proxy (else AWS_CA_BUNDLE, else ca_bundle in the profile)")
      ->type_name("FILE");
  if (with_cache)
    cmd->add_option("--cache", c.cache_dir, "cache final pages in DIR; a repeated report is then free (see README)")
        ->type_name("DIR");
  cmd->add_flag("--progress", c.progress, "show pages, retries and API cost on stderr even when it is not a terminal");
  cmd->add_flag("--verbose", c.verbose, "log every request and response status on stderr (secrets redacted)");
}
void add_period_flags(CLI::App* cmd, period_flags& p) {
  cmd->add_option("--start", p.start, "first day, YYYY-MM-DD (inclusive)")->type_name("DATE");
  cmd->add_option("--end", p.end, "end day, YYYY-MM-DD (exclusive, as in AWS)")->type_name("DATE");
  cmd->add_option("--last", p.last, "the last N days (1..3650) or months (1..120), until yesterday: 7d, 30d, 3m; "
                                    "Nm = the current month so far and the N-1 before it; on the 1st of a month, "
                                    "the N previous whole months")
      ->type_name("Nd|Nm");
  cmd->add_option("--month", p.month, "one calendar month")->type_name("YYYY-MM");
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err, const cli_context& ctx) {
  CLI::App app{"finops-crawler: AWS Cost Explorer reports without the AWS SDK"};
  app.name("finops-crawler");
  app.footer(help_footer());
  app.require_subcommand(1);
  app.set_version_flag("--version", "finops-crawler 0.1.0");

  costs_flags costs;
  connection_flags costs_conn;
  auto* c = app.add_subcommand("costs", "cost and usage report (GetCostAndUsage; USD 0.01 per page)");
  add_period_flags(c, costs.period);
  c->add_option("--granularity", costs.granularity, "DAILY (default), MONTHLY or HOURLY")->type_name("GRANULARITY");
  c->add_option("--metric", costs.metrics, "metric, repeatable (default UnblendedCost; also AmortizedCost, BlendedCost, "
                                           "NetAmortizedCost, NetUnblendedCost, UsageQuantity, NormalizedUsageAmount)")
      ->allow_extra_args(false)
      ->type_name("NAME");
  c->add_option("--group-by", costs.group_by, "SERVICE, LINKED_ACCOUNT, ..., TAG:key or COST_CATEGORY:name; at most two; "
                                              "RESOURCE_ID: GetCostAndUsageWithResources (EC2, the last 14 days, opt-in; "
                                              "default period: those 14 days)")
      ->allow_extra_args(false)
      ->type_name("KEY");
  c->add_option("--filter", costs.filters, "DIMENSION=value[,value] (or TAG:key=v, COST_CATEGORY:name=v); repeatable, "
                                           "combined with And; write a comma inside a value as \\,")
      ->allow_extra_args(false)
      ->type_name("DIM=V[,V]");
  c->add_option("--filter-json", costs.filter_json, "a file holding any Cost Explorer Expression (JSON)")->type_name("FILE");
  c->add_option("--format", costs.format, "csv, ndjson, json or table (default: from --output's extension .csv, .json, "
                                          ".ndjson or .jsonl; else table on a terminal, with periods as columns when "
                                          "they fit, else csv)")
      ->type_name("FORMAT");
  c->add_option("--output", costs.output, "write to FILE atomically (it appears only whole; csv/ndjson keep "
                                          "FILE.partial and FILE.resume until done, see --resume); a device or FIFO "
                                          "is written through, a symbolic link followed")
      ->type_name("FILE");
  c->add_flag("--resume", costs.resume,
              "with --output FILE: continue an interrupted or capped run of the same query from its last complete "
              "page (FILE.resume) instead of starting over");
  add_guard_flags(c, costs.guard);
  c->add_flag("--account-names", costs.account_names,
              "with --group-by LINKED_ACCOUNT: add the account name (csv/ndjson: an account_name column at the end)");
  c->add_flag("--pivot", costs.pivot, "periods as columns, rows sorted by amount, a total row and column "
                                     "(csv or table)");
  add_connection_flags(c, costs_conn, true, true);

  connection_flags acc_conn;
  std::string acc_format;
  auto* a = app.add_subcommand("accounts", "accounts of the organization: id, name, email, status (free)");
  a->add_option("--format", acc_format, "csv, json (ListAccounts' fields) or table (default: table on a terminal, else csv)")
      ->type_name("FORMAT");
  add_connection_flags(a, acc_conn, false);

  connection_flags who_conn;
  std::string who_format;
  auto* w = app.add_subcommand(
      "whoami", "the account and identity of the credentials, the provider that supplied them and their expiry (STS, free)");
  w->add_option("--format", who_format, "csv, json (GetCallerIdentity's UserId, Account, Arn) or table (default: table "
                                        "on a terminal, else csv)")
      ->type_name("FORMAT");
  add_connection_flags(w, who_conn, false);

  connection_flags dim_conn;
  std::string dim_key, dim_format;
  period_flags dim_period;
  auto* d = app.add_subcommand("dimensions", "values of a dimension in a period (GetDimensionValues; USD 0.01 per page)");
  d->add_option("KEY", dim_key, "dimension, e.g. SERVICE, LINKED_ACCOUNT, REGION, USAGE_TYPE")
      ->required()
      ->type_name("DIMENSION");
  add_period_flags(d, dim_period);
  d->add_option("--format", dim_format, "csv, json (GetDimensionValues' fields) or table (default: table on a terminal, "
                                        "else csv)")
      ->type_name("FORMAT");
  guard_flags dim_guard;
  add_guard_flags(d, dim_guard);
  add_connection_flags(d, dim_conn, false);

  tags_flags tags;
  connection_flags tags_conn;
  auto* tg = app.add_subcommand("tags", "tag keys of a period, or with --key that key's values (GetTags; USD 0.01 per "
                                        "page), spelled as --group-by TAG:key needs them");
  tg->add_option("--key", tags.key, "list the values of this tag key (case-sensitive) instead of the keys")
      ->type_name("KEY");
  add_period_flags(tg, tags.period);
  tg->add_option("--format", tags.format, "csv, json (GetTags' fields) or table (default: table on a terminal, else csv)")
      ->type_name("FORMAT");
  add_connection_flags(tg, tags_conn, false);

  cost_categories_flags cats;
  connection_flags cats_conn;
  auto* cc = app.add_subcommand("cost-categories", "cost categories with costs in a period, or with --name that "
                                                   "category's values (GetCostCategories; USD 0.01 per page)");
  cc->add_option("--name", cats.name, "list the values of this cost category instead of the names")->type_name("NAME");
  add_period_flags(cc, cats.period);
  cc->add_option("--format", cats.format, "csv, json (GetCostCategories' fields) or table (default: table on a "
                                          "terminal, else csv)")
      ->type_name("FORMAT");
  add_connection_flags(cc, cats_conn, false);

  sync_flags sync;
  connection_flags sync_conn;
  auto* y = app.add_subcommand("sync", "keep a cost database current (SQLite or PostgreSQL); USD 0.01 per page, "
                                       "each page paid once");
  y->add_option("--db", sync.db, "database: FILE or sqlite:FILE (default ./finops-crawler.db), or "
                                 "postgresql://user@host/db (password from PGPASSWORD or ~/.pgpass)")
      ->type_name("FILE|URL");
  y->add_option("--report", sync.report, "report name (default: default); its definition is stored by its first sync")
      ->type_name("NAME");
  add_period_flags(y, sync.period);
  y->add_option("--granularity", sync.granularity, "DAILY (default) or MONTHLY (first sync of a report)")
      ->type_name("GRANULARITY");
  y->add_option("--metric", sync.metrics, "metric, repeatable (default UnblendedCost and UsageQuantity)")
      ->allow_extra_args(false)
      ->type_name("NAME");
  y->add_option("--group-by", sync.group_by, "at most two (default SERVICE and LINKED_ACCOUNT)")
      ->allow_extra_args(false)
      ->type_name("KEY");
  y->add_option("--filter", sync.filters, "DIMENSION=value[,value], repeatable, combined with And")
      ->allow_extra_args(false)
      ->type_name("DIM=V[,V]");
  y->add_option("--filter-json", sync.filter_json, "a file holding any Cost Explorer Expression (JSON)")
      ->type_name("FILE");
  y->add_option("--today", sync.today, "the UTC day to sync up to, End exclusive (default: FINOPS_CRAWLER_TODAY, "
                                       "else today)")
      ->type_name("DATE");
  y->add_flag("--dry-run", sync.dry_run, "print the plan and its cost; send nothing to Cost Explorer, write nothing");
  y->add_option("--max-requests", sync.max_requests, "stop before the billable request that would exceed N; "
                                                     "complete chunks are kept (exit 6), the next run continues")
      ->type_name("N");
  y->add_flag("--refresh-final", sync.refresh_final, "fetch final periods again too (normally never refetched)");
  add_connection_flags(y, sync_conn, false);

  forecast_flags fc_flags;
  connection_flags fc_conn;
  auto* fcst = app.add_subcommand("forecast", "cost forecast with prediction intervals (GetCostForecast; USD 0.01)");
  fcst->add_option("--start", fc_flags.start, "first day, today or later (default: today)")->type_name("DATE");
  fcst->add_option("--end", fc_flags.end, "end day, exclusive; up to 18 months ahead (default: the 1st of next month)")
      ->type_name("DATE");
  fcst->add_option("--granularity", fc_flags.granularity, "DAILY or MONTHLY (default)")->type_name("GRANULARITY");
  fcst->add_option("--metric", fc_flags.metric, "UNBLENDED_COST (default), AMORTIZED_COST, BLENDED_COST, "
                                                "NET_AMORTIZED_COST or NET_UNBLENDED_COST (UnblendedCost works too)")
      ->type_name("NAME");
  fcst->add_option("--prediction-interval", fc_flags.prediction_interval,
                   "the prediction interval's level in percent, 51..99 (default 80)")
      ->type_name("N");
  fcst->add_option("--filter", fc_flags.filters, "DIMENSION=value[,value] (or TAG:key=v, COST_CATEGORY:name=v); "
                                                 "repeatable, combined with And")
      ->allow_extra_args(false)
      ->type_name("DIM=V[,V]");
  fcst->add_option("--format", fc_flags.format, "csv, json (AWS's response) or table (default: table on a terminal, "
                                                "else csv)")
      ->type_name("FORMAT");
  add_connection_flags(fcst, fc_conn, false);

  summary_flags sum_flags;
  connection_flags sum_conn;
  auto* sm = app.add_subcommand("summary", "month to date, last month, last 7 days and yesterday against the period "
                                           "before, the top groups and the month's forecast (2 requests: USD 0.02)");
  sm->add_option("--by", sum_flags.by, "SERVICE (default), LINKED_ACCOUNT, REGION, USAGE_TYPE, ..., TAG:key or "
                                       "COST_CATEGORY:name")
      ->type_name("KEY");
  sm->add_option("--top", sum_flags.top, "groups shown, 1..50 (default 5); the rest are summed as other")
      ->type_name("N");
  sm->add_option("--metric", sum_flags.metric, "UnblendedCost (default), AmortizedCost, BlendedCost, "
                                               "NetAmortizedCost or NetUnblendedCost")
      ->type_name("NAME");
  sm->add_option("--filter", sum_flags.filters, "DIMENSION=value[,value] (or TAG:key=v, COST_CATEGORY:name=v); "
                                                "repeatable, combined with And; the forecast too")
      ->allow_extra_args(false)
      ->type_name("DIM=V[,V]");
  sm->add_option("--format", sum_flags.format, "table (default), markdown, json or csv (exact amounts)")
      ->type_name("FORMAT");
  sm->add_option("--today", sum_flags.today, "the UTC day the summary is made on, its costs not yet in "
                                             "(default: FINOPS_CRAWLER_TODAY, else today)")
      ->type_name("DATE");
  sm->add_flag("--no-forecast", sum_flags.no_forecast, "skip GetCostForecast (one billable request less)");
  add_guard_flags(sm, sum_flags.guard);
  add_connection_flags(sm, sum_conn, true, true);

  demo_flags demo;
  auto* m = app.add_subcommand("demo", "run a report against the bundled simulator: no AWS account needed");
  m->add_option("--format", demo.format, "table (default: tables and chart), or csv, ndjson, json: the raw report")
      ->type_name("FORMAT");
  m->add_option("--days", demo.days, "days of data, 2..400, until yesterday like costs --last Nd (default 90)")
      ->type_name("N");
  m->add_option("--accounts", demo.accounts, "accounts in the simulated organization, 1..50 (default 5)")->type_name("N");
  m->add_option("--seed", demo.seed, "data seed, any whole number (default 42)")->type_name("N");
  m->add_option("--faults", demo.fault_rate, "share of requests the simulator fails, 0..0.5 (retried; default 0)")
      ->type_name("RATE");
  m->add_option("--top", demo.top, "services in the chart, 1..8 (default 5)")->type_name("N");
  m->add_option("--db", demo.db, "also sync the demo organization into this SQLite file and print SQL to query it")
      ->type_name("FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, out, err);  // --help, --version
    err << "finops-crawler: " << e.what() << " (see finops-crawler --help)\n";
    return to_int(exit_code::usage);
  }
  if (*c) return to_int(run_costs(costs, costs_conn, ctx, out, err).code);
  if (*a) return to_int(run_accounts(acc_conn, acc_format, ctx, out, err));
  if (*w) return to_int(run_whoami(who_conn, who_format, ctx, out, err));
  if (*d) return to_int(run_dimensions(dim_key, dim_period, dim_guard, dim_conn, dim_format, ctx, out, err));
  if (*tg) return to_int(run_tags(tags, tags_conn, ctx, out, err));
  if (*cc) return to_int(run_cost_categories(cats, cats_conn, ctx, out, err));
  if (*sm) return to_int(run_summary(sum_flags, sum_conn, ctx, out, err));
  if (*fcst) return to_int(run_forecast(fc_flags, fc_conn, ctx, out, err));
  if (*m) return to_int(run_demo(demo, ctx, out, err));
  if (*y) return to_int(run_sync_command(sync, sync_conn, ctx, out, err));
  return to_int(exit_code::usage);
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
