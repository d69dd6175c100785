// End to end: the `costs` command against the in-process simulator, through
// the real library, libcurl and SigV4, compared with the ground truth the
// simulator's generator computes independently from the seed.
#include "costs_command.hpp"

#include <simdjson.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "cli_test_support.hpp"
#include "csv_writer.hpp"
#include "progress.hpp"
#include "synthetic_data.hpp"

using namespace cli_test;

namespace {

// The data: 4 accounts, 100 days from 2025-03-01; reports cover the first
// 90 days, so every page is final (the last two days of the window, which
// the simulator marks Estimated, are outside the report).
sim::options sim_options(double fault_rate) {
  sim::options o;
  o.data.seed = 7;
  o.data.account_count = 4;
  o.data.start_date = "2025-03-01";
  o.data.days = 100;
  o.page_size_groups = 37;  // many pages; days split across pages
  o.faults.seed = 11;
  o.faults.set_failure_rate(fault_rate);
  return o;
}
const calendar_date today = ymd(2026, 11, 26);

std::string ground_truth_csv(const sim::data_set& ds, std::int64_t start, std::int64_t end) {
  sim::query q;
  q.start_day = start;
  q.end_day = end;
  q.gran = sim::granularity::daily;
  q.metrics = {sim::metric::unblended_cost};
  sim::group_def service;
  service.dim = sim::dimension::service;
  sim::group_def account;
  account.dim = sim::dimension::linked_account;
  q.group_by = {service, account};
  std::ostringstream o;
  o << "period_start,period_end,group_1,group_2,metric,amount,unit,estimated\n";
  for (const auto& p : sim::ground_truth(ds, q)) {
    for (const auto& g : p.groups) {
      o << sim::format_date(p.start_day) << ',' << sim::format_date(p.end_day) << ',';
      write_csv_field(o, g.keys[0]);
      o << ',';
      write_csv_field(o, g.keys[1]);
      o << ",UnblendedCost," << g.metrics[0].amount.to_string() << ',' << g.metrics[0].unit << ','
        << (p.estimated ? "true" : "false") << '\n';
    }
  }
  return o.str();
}

}  // namespace

TEST_CASE("90-day DAILY CSV by SERVICE and LINKED_ACCOUNT equals the ground truth, with faults on") {
  sim::simulator server(sim_options(0.25));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::string out = dir + "/report.csv";
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-05-30", "--group-by", "SERVICE", "--group-by",
                "LINKED_ACCOUNT", "--format", "csv", "--output", out, "--endpoint-url", server.endpoint_url()},
               ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto st = server.stats();
  std::uint64_t faults = 0;
  for (auto f : st.faults) faults += f;
  CHECK(faults > 0);  // the run really went through retries
  std::int64_t s = 0, e = 0;
  REQUIRE(sim::parse_date("2025-03-01", s));
  REQUIRE(sim::parse_date("2025-05-30", e));
  const std::string expected = ground_truth_csv(server.data(), s, e);
  const std::string got = slurp(out);
  CHECK(std::count(got.begin(), got.end(), '\n') > 90);
  CHECK(got == expected);
  // Nothing but the report is left in the directory (no temporary file).
  CHECK(list_dir(dir).size() == 1);
  remove_tree(dir);
}

TEST_CASE("with --cache the second run makes zero billable requests and writes the identical file") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::vector<std::string> base{"costs",      "--start",    "2025-03-01", "--end",   "2025-05-30",
                                      "--group-by", "SERVICE",    "--format",   "csv",     "--cache",
                                      dir + "/cache", "--progress", "--endpoint-url", server.endpoint_url()};
  auto first_args = base;
  first_args.insert(first_args.end(), {"--output", dir + "/a.csv"});
  auto first = run(first_args, ctx);
  INFO(first.err);
  REQUIRE(first.code == 0);
  const auto after_first = server.stats().billable;
  CHECK(after_first > 1);
  CHECK(first.err.find(std::to_string(after_first) + " billable requests (" + usd_text(after_first) +
                       "); 0 pages from cache") != std::string::npos);

  auto second_args = base;
  second_args.insert(second_args.end(), {"--output", dir + "/b.csv"});
  auto second = run(second_args, ctx);
  INFO(second.err);
  REQUIRE(second.code == 0);
  CHECK(server.stats().billable == after_first);  // not one more request reached the service
  CHECK(second.err.find("0 billable requests (USD 0.00); " + std::to_string(after_first) + " pages from cache") !=
        std::string::npos);
  CHECK(slurp(dir + "/a.csv") == slurp(dir + "/b.csv"));

  SUBCASE("a corrupt cache entry is refetched, never trusted") {
    // One directory per account (the credentials' account, from STS).
    const auto accounts = list_dir(dir + "/cache");
    REQUIRE(accounts.size() == 1);
    const std::string account_dir = dir + "/cache/" + accounts[0];
    auto entries = list_dir(account_dir);
    // The pages, and history/ (the page counts the next estimate uses).
    entries.erase(std::remove(entries.begin(), entries.end(), std::string("history")), entries.end());
    REQUIRE(entries.size() == after_first);
    std::sort(entries.begin(), entries.end());
    const std::string victim = account_dir + "/" + entries[0];
    std::string content = slurp(victim);
    auto at = content.find("\"Amount\":\"");
    REQUIRE(at != std::string::npos);
    content[at + 10] = content[at + 10] == '9' ? '8' : '9';  // same length, other amount
    { std::ofstream(victim, std::ios::binary | std::ios::trunc) << content; }
    auto third_args = base;
    third_args.insert(third_args.end(), {"--output", dir + "/c.csv"});
    auto third = run(third_args, ctx);
    INFO(third.err);
    REQUIRE(third.code == 0);
    CHECK(server.stats().billable == after_first + 1);
    CHECK(third.err.find("1 billable request (USD 0.01); " + std::to_string(after_first - 1) + " pages from cache") !=
          std::string::npos);
    CHECK(slurp(dir + "/c.csv") == slurp(dir + "/a.csv"));
  }
  remove_tree(dir);
}

TEST_CASE("recent pages are not cached: the current and previous month are refetched") {
  sim::options o = sim_options(0.0);
  o.data.start_date = "2026-09-01";
  o.data.days = 60;
  sim::simulator server(o);
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));  // cutoff 2026-10-01
  const std::string dir = make_temp_dir();
  const std::vector<std::string> args{"costs", "--start", "2026-09-01", "--end", "2026-10-20", "--group-by", "SERVICE",
                                      "--format", "csv", "--cache", dir, "--endpoint-url", server.endpoint_url()};
  auto a = run(args, ctx);
  REQUIRE(a.code == 0);
  const auto n1 = server.stats().billable;
  auto b = run(args, ctx);
  REQUIRE(b.code == 0);
  const auto n2 = server.stats().billable - n1;
  CHECK(n2 > 0);   // October (not final) went to the service again
  CHECK(n2 < n1);  // September (final) came from the cache
  CHECK(a.out == b.out);
  remove_tree(dir);
}

TEST_CASE("usage errors exit 2 before any request reaches the service") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string ep = server.endpoint_url();
  const std::vector<std::vector<std::string>> bad{
      {"costs", "--start", "2025-03-10", "--end", "2025-03-01"},
      {"costs", "--start", "2025-02-30", "--end", "2025-03-01"},
      {"costs", "--last", "7d", "--group-by", "SERVICE", "--group-by", "REGION", "--group-by", "USAGE_TYPE"},
      {"costs", "--last", "7d", "--metric", "UnblendedCosts"},
      {"costs", "--last", "7d", "--granularity", "WEEKLY"},
      {"costs", "--last", "7d", "--group-by", "SERVIC"},
      {"costs", "--last", "7d", "--filter", "SERVICE"},
      {"costs", "--last", "7d", "--filter-json", "/nonexistent/filter.json"},
      {"costs", "--last", "7d", "--format", "xml"},
      {"costs", "--last", "7d", "--output", "/nonexistent-dir/x.csv"},
      {"costs", "--month", "2025-13"},
      {"costs", "--no-such-flag"},
      {"dimensions", "NOT_A_DIMENSION", "--last", "7d"},
  };
  for (auto args : bad) {
    args.insert(args.end(), {"--endpoint-url", ep});
    auto r = run(args, ctx);
    INFO(std::string(args[1] + " " + args[2] + " -> " + r.err));
    CHECK(r.code == 2);
    CHECK(r.err.find("finops-crawler") != std::string::npos);
  }
  CHECK(server.stats().requests == 0);
}

TEST_CASE("missing credentials exit 3 naming what was tried; no output file appears") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  // Instance metadata off: the chain's last kind would otherwise ask
  // 169.254.169.254, which tests never contact.
  aws::map_environment env{{"AWS_CONFIG_FILE", "/nonexistent/c"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k"},
                           {"AWS_EC2_METADATA_DISABLED", "true"}};
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  auto r = run({"costs", "--last", "7d", "--output", dir + "/x.csv", "--endpoint-url", server.endpoint_url()}, ctx);
  CHECK(r.code == 3);
  CHECK(r.err.find("AWS_ACCESS_KEY_ID") != std::string::npos);
  CHECK(list_dir(dir).empty());
  CHECK(server.stats().requests == 0);
  remove_tree(dir);
}

TEST_CASE("refused credentials exit 3; the secret never appears") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  aws::map_environment env{{"AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1"},
                           {"AWS_SECRET_ACCESS_KEY", "wrongSecretValueThatMustNotBePrinted000"},
                           {"AWS_CONFIG_FILE", "/nonexistent/c"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k"}};
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-05", "--verbose", "--endpoint-url",
                server.endpoint_url()},
               ctx);
  CHECK(r.code == 3);
  CHECK(r.err.find("wrongSecretValue") == std::string::npos);
  CHECK(r.out.find("wrongSecretValue") == std::string::npos);
}

TEST_CASE("ndjson, json and table carry the same report") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::string> base{"costs", "--start", "2025-03-01", "--end", "2025-03-04", "--group-by", "SERVICE",
                                      "--endpoint-url", server.endpoint_url(), "--format"};
  auto csv = run([&] { auto a = base; a.push_back("csv"); return a; }(), ctx);
  auto nd = run([&] { auto a = base; a.push_back("ndjson"); return a; }(), ctx);
  auto js = run([&] { auto a = base; a.push_back("json"); return a; }(), ctx);
  auto tb = run([&] { auto a = base; a.push_back("table"); return a; }(), ctx);
  REQUIRE(csv.code == 0);
  REQUIRE(nd.code == 0);
  REQUIRE(js.code == 0);
  REQUIRE(tb.code == 0);
  const auto csv_rows = std::count(csv.out.begin(), csv.out.end(), '\n') - 1;
  CHECK(std::count(nd.out.begin(), nd.out.end(), '\n') == csv_rows);
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  REQUIRE(p.parse(js.out).get(doc) == simdjson::SUCCESS);
  simdjson::dom::array periods;
  REQUIRE(doc["ResultsByTime"].get_array().get(periods) == simdjson::SUCCESS);
  CHECK(periods.size() == 3);
  std::size_t groups = 0;
  for (auto period : periods) groups += period["Groups"].get_array().value().size();
  CHECK(static_cast<long>(groups) == csv_rows);
  CHECK(tb.out.find("period") != std::string::npos);
  CHECK(tb.out.find("group_1") != std::string::npos);
}

TEST_CASE("--account-names adds the account name column from Organizations") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--start", "2025-03-01", "--end", "2025-03-02", "--group-by", "LINKED_ACCOUNT",
                "--account-names", "--format", "csv", "--endpoint-url", server.endpoint_url()},
               ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("period_start,period_end,group_1,group_2,metric,amount,unit,estimated,account_name\n", 0) == 0);
  for (const auto& a : server.data().accounts())
    CHECK(r.out.find("," + a.id + ",,UnblendedCost,") != std::string::npos);
  CHECK(r.out.find(",management\n") != std::string::npos);

  SUBCASE("not in an organization: names come from Cost Explorer's DimensionValueAttributes") {
    sim::options o = sim_options(0.0);
    o.not_in_organization = true;
    sim::simulator lone(o);
    REQUIRE(lone.start());
    auto r2 = run({"costs", "--start", "2025-03-01", "--end", "2025-03-02", "--group-by", "LINKED_ACCOUNT",
                   "--account-names", "--format", "csv", "--endpoint-url", lone.endpoint_url()},
                  ctx);
    INFO(r2.err);
    REQUIRE(r2.code == 0);
    CHECK(r2.out == r.out);
  }
}

TEST_CASE("--output onto a device or FIFO writes through; a directory is refused before any request") {
  sim::simulator server(sim_options(0.0));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::string> report{"costs", "--start", "2025-03-01", "--end", "2025-03-04", "--group-by", "SERVICE",
                                        "--format", "csv", "--endpoint-url", server.endpoint_url()};
  auto with_output = [&](const std::string& target) {
    auto args = report;
    args.insert(args.end(), {"--output", target});
    return args;
  };
  auto plain = run(report, ctx);
  REQUIRE(plain.code == 0);

  const std::string dir = make_temp_dir();
  const std::string fifo = dir + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  auto r = run(with_output(fifo), ctx);
  reader.join();
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(got == plain.out);
  struct stat st {};
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK(list_dir(dir).size() == 1);

  if (::access("/dev/full", W_OK) == 0) {
    auto full = run(with_output("/dev/full"), ctx);
    CHECK(full.code == 1);
    CHECK(full.err.find(std::strerror(ENOSPC)) != std::string::npos);
    REQUIRE(::stat("/dev/full", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
  if (::access("/dev/null", W_OK) == 0) {
    CHECK(run(with_output("/dev/null"), ctx).code == 0);
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }

  const auto before = server.stats().requests;
  auto d = run(with_output(dir), ctx);
  CHECK(d.code == 2);
  CHECK(d.err.find("is a directory") != std::string::npos);
  CHECK(server.stats().requests == before);
  remove_tree(dir);
}
