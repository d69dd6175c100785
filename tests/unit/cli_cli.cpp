// run_cli: argument parsing, help, exit statuses, the small commands and the
// demo, all in-process against the simulator.
#include "cli.hpp"

#include "cli_test_support.hpp"
#include "csv_writer.hpp"
#include "table_writer.hpp"

using namespace cli_test;

TEST_CASE("--help documents the exit statuses and exits 0") {
  aws::map_environment env;
  auto ctx = test_context(env, ymd(2026, 11, 26));
  auto r = run({"--help"}, ctx);
  CHECK(r.code == 0);
  CHECK(r.out.find("costs") != std::string::npos);
  CHECK(r.out.find("6  partial output") != std::string::npos);
  auto c = run({"costs", "--help"}, ctx);
  CHECK(c.code == 0);
  CHECK(c.out.find("--group-by") != std::string::npos);
  CHECK(c.out.find("--cache") != std::string::npos);
  CHECK(run({}, ctx).code == 2);
  CHECK(run({"frobnicate"}, ctx).code == 2);
}

TEST_CASE("whoami, accounts, dimensions") {
  sim::options o;
  o.data.seed = 3;
  o.data.account_count = 3;
  o.data.start_date = "2025-03-01";
  o.data.days = 20;
  sim::simulator server(o);
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  const std::string ep = server.endpoint_url();

  auto who = run({"whoami", "--format", "csv", "--endpoint-url", ep}, ctx);
  INFO(who.err);
  REQUIRE(who.code == 0);
  CHECK(who.out.find(server.data().accounts()[0].id) != std::string::npos);
  CHECK(who.out.find(sim::default_secret_access_key) == std::string::npos);

  auto acc = run({"accounts", "--format", "csv", "--endpoint-url", ep}, ctx);
  INFO(acc.err);
  REQUIRE(acc.code == 0);
  CHECK(acc.out.rfind("id,name,email,status\n", 0) == 0);
  for (const auto& a : server.data().accounts()) CHECK(acc.out.find(a.id + "," + a.name + "," + a.email) != std::string::npos);

  auto dims = run({"dimensions", "SERVICE", "--start", "2025-03-01", "--end", "2025-03-10", "--format", "csv",
                   "--endpoint-url", ep},
                  ctx);
  INFO(dims.err);
  REQUIRE(dims.code == 0);
  for (const auto& s : server.data().services()) CHECK(dims.out.find(s.name) != std::string::npos);

  sim::options lone_opts = o;
  lone_opts.not_in_organization = true;
  sim::simulator lone(lone_opts);
  REQUIRE(lone.start());
  auto none = run({"accounts", "--endpoint-url", lone.endpoint_url()}, ctx);
  CHECK(none.code == 4);
  CHECK(none.err.find("not a member of an AWS Organization") != std::string::npos);
}

TEST_CASE("demo prints the tables, the chart and the billable-request line") {
  aws::map_environment env;  // the demo brings its own throw-away credentials
  cli_context ctx;
  ctx.env = &env;
  auto r = run({"demo"}, ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("Top services") != std::string::npos);
  CHECK(r.out.find("All services") != std::string::npos);
  CHECK(r.out.find("Recent days") != std::string::npos);
  CHECK(r.out.find("Daily cost, top 5 services") != std::string::npos);
  CHECK(r.out.find(" +----") != std::string::npos);  // the chart's x axis
  CHECK(r.out.find("simulator stopped; the report took ") != std::string::npos);
  CHECK(r.out.find("billable request") != std::string::npos);
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line) && n < 1000) {
    CHECK(display_width(line) <= 80);
    ++n;
  }

  auto csv = run({"demo", "--format", "csv", "--days", "10"}, ctx);
  INFO(csv.err);
  REQUIRE(csv.code == 0);
  CHECK(csv.out.rfind(std::string(csv_header) + "\n", 0) == 0);
  CHECK(csv.err.find("billable request") != std::string::npos);
}
