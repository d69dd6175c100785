// run_cli: argument parsing, help, exit statuses, the small commands and the
// demo, all in-process against the simulator.
#include "cli.hpp"

#include <cerrno>
#include <cstring>

#include "cli_test_support.hpp"
#include "csv_writer.hpp"
#include "error_hints.hpp"
#include "session.hpp"
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

namespace {

struct opened {
  result<std::unique_ptr<session>> s;
  std::string err;
};
opened open_session(const connection_flags& flags, const cli_context& ctx) {
  std::ostringstream err;
  auto s = session::open(flags, ctx, err);
  return {std::move(s), err.str()};
}

}  // namespace

TEST_CASE("--region: an invalid form is exit 2 with nothing sent; an unknown one is a warning") {
  sim::simulator server{sim::options{}};
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  const std::string ep = server.endpoint_url();
  for (const char* bad : {"invalid_region!!", "US-EAST-1", "us-east-1.", "-us-east-1", "us--east-1", "us-east-1-", "a/b", " "}) {
    auto r = run({"whoami", "--region", bad, "--endpoint-url", ep}, ctx);
    INFO(bad << " -> " << r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("--region") != std::string::npos);
    CHECK(r.err.find("is not a region name") != std::string::npos);
  }
  CHECK(server.stats().requests == 0);
  auto env_region = sim_environment();
  env_region.set("AWS_REGION", "Bad_Region");
  auto ctx_region = test_context(env_region, ymd(2026, 11, 26));
  auto from_env = run({"whoami", "--endpoint-url", ep}, ctx_region);
  CHECK(from_env.code == 2);
  CHECK(from_env.err.find("AWS_REGION") != std::string::npos);
  CHECK(server.stats().requests == 0);

  auto mars = run({"whoami", "--format", "csv", "--region", "mars-north-9", "--endpoint-url", ep}, ctx);
  INFO(mars.err);
  CHECK(mars.code == 0);
  CHECK(mars.err.find("warning: --region 'mars-north-9' is in no AWS partition") != std::string::npos);
  for (const char* known : {"us-east-1", "eu-central-2", "cn-northwest-1", "us-gov-west-1", "aws-global", "us-isob-east-1"}) {
    auto r = run({"whoami", "--format", "csv", "--region", known, "--endpoint-url", ep}, ctx);
    INFO(known << " -> " << r.err);
    CHECK(r.code == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("plain http to another machine warns loudly, once per endpoint; loopback and https stay silent") {
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  auto warned = [&](const std::string& url, const aws::environment& e) {
    cli_context c = ctx;
    c.env = &e;
    connection_flags flags;
    flags.endpoint_url = url;
    std::ostringstream err;
    auto s = session::open(flags, c, err);
    REQUIRE(s);
    REQUIRE((*s)->client(aws::sts_api));  // makes the client; sends nothing
    REQUIRE((*s)->client(aws::cost_explorer_api));
    return err.str();
  };
  const std::string remote = warned("http://192.0.2.10:4566", env);
  CHECK(remote.find("WARNING: http://192.0.2.10:4566") != std::string::npos);
  CHECK(remote.find("unencrypted") != std::string::npos);
  CHECK(remote.find("session token") == std::string::npos);  // these credentials have none
  CHECK(remote.find("WARNING", remote.find("WARNING") + 1) == std::string::npos);  // once
  auto with_token = sim_environment();
  with_token.set("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN");
  const std::string token = warned("http://costs.example.com/", with_token);
  CHECK(token.find("and the session token") != std::string::npos);
  CHECK(token.find("FwoGZXIvYXdzEXAMPLETOKEN") == std::string::npos);
  CHECK(warned("HTTP://[2001:db8::1]:80", env).find("WARNING") != std::string::npos);
  CHECK(warned("http://128.0.0.1", env).find("WARNING") != std::string::npos);
  for (const char* quiet : {"http://127.0.0.1:4566", "http://127.9.8.7", "http://[::1]:4566", "http://localhost:4566",
                            "http://LOCALHOST/", "http://user@127.0.0.1:1", "https://192.0.2.10", "https://example.com"}) {
    INFO(quiet);
    CHECK(warned(quiet, env).empty());
  }
  CHECK(is_loopback_host("::ffff:127.0.0.1"));
  CHECK_FALSE(is_loopback_host("localhost.example.com"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.example.com"));
  CHECK_FALSE(is_loopback_host("::2"));
}

TEST_CASE("the CA bundle: --ca-bundle, then AWS_CA_BUNDLE, then the profile's ca_bundle, in every client") {
  const std::string dir = make_temp_dir();
  for (const char* n : {"flag.pem", "env.pem", "profile.pem"}) std::ofstream(dir + "/" + n) << "not checked here\n";
  const std::string config = dir + "/config";
  // An explicit --profile starts the credential chain at the profile
  // (environment keys are skipped, as botocore does), so these profiles
  // carry the simulator's keys.
  const std::string keys = "aws_access_key_id = " + std::string(sim::default_access_key_id) +
                           "\naws_secret_access_key = " + std::string(sim::default_secret_access_key) + "\n";
  std::ofstream(config) << "[default]\nregion = us-east-1\n[profile proxied]\nca_bundle = " << dir << "/profile.pem\n"
                        << keys << "[profile broken]\nca_bundle = " << dir << "/missing.pem\n" << keys;
  auto make_env = [&](const char* ca_env) {
    auto e = sim_environment();
    e.set("AWS_CONFIG_FILE", config);
    if (ca_env) e.set("AWS_CA_BUNDLE", ca_env);
    return e;
  };
  auto ca_of_every_client = [](const session& s) {
    std::string seen;
    for (const aws::api_service* api : {&aws::cost_explorer_api, &aws::organizations_api, &aws::sts_api}) {
      auto o = s.aws_session().client_options_for(*api);
      REQUIRE(o);
      if (seen.empty()) seen = o->curl.ca_bundle;
      CHECK(o->curl.ca_bundle == seen);
    }
    return seen;
  };
  const std::string env_pem = dir + "/env.pem";
  struct row {
    const char* flag;
    const char* env;
    const char* profile;
    std::string expect;
    std::string origin;
  };
  const std::vector<row> rows{
      {"flag.pem", env_pem.c_str(), "proxied", dir + "/flag.pem", "option"},
      {nullptr, env_pem.c_str(), "proxied", env_pem, "AWS_CA_BUNDLE"},
      {nullptr, "", "proxied", dir + "/profile.pem", "profile proxied in " + config + ":4"},
      {nullptr, nullptr, "proxied", dir + "/profile.pem", "profile proxied in " + config + ":4"},
      {nullptr, nullptr, nullptr, "", ""},
      {"flag.pem", nullptr, "broken", dir + "/flag.pem", "option"},  // the winner alone is checked
  };
  for (const auto& r : rows) {
    auto env = make_env(r.env);
    auto ctx = test_context(env, ymd(2026, 11, 26));
    connection_flags flags;
    if (r.flag) flags.ca_bundle = dir + "/" + r.flag;
    if (r.profile) flags.profile = r.profile;
    flags.verbose = true;
    auto o = open_session(flags, ctx);
    INFO(r.expect << " " << o.err);
    REQUIRE(o.s);
    const session& s = **o.s;
    CHECK(s.aws_session().ca_bundle() == r.expect);
    CHECK(s.aws_session().ca_bundle_origin() == r.origin);
    CHECK(ca_of_every_client(s) == r.expect);
    if (!r.expect.empty())
      CHECK(o.err.find("CA bundle " + r.expect + " (from " + (r.flag ? std::string("--ca-bundle") : r.origin) + ")") !=
            std::string::npos);
  }
  // A file that cannot be read fails before anything is sent, naming where it was set.
  sim::simulator server{sim::options{}};
  REQUIRE(server.start());
  const std::string ep = server.endpoint_url();
  auto env = make_env(nullptr);
  auto ctx = test_context(env, ymd(2026, 11, 26));
  auto flag = run({"whoami", "--ca-bundle", dir + "/nope.pem", "--endpoint-url", ep}, ctx);
  CHECK(flag.code == 2);
  CHECK(flag.err.find("CA bundle '" + dir + "/nope.pem' (from --ca-bundle) cannot be read: " + std::strerror(ENOENT)) !=
        std::string::npos);
  auto env_missing = make_env("/nonexistent/corp-ca.pem");
  auto ctx_missing = test_context(env_missing, ymd(2026, 11, 26));
  auto from_env = run({"whoami", "--endpoint-url", ep}, ctx_missing);
  CHECK(from_env.code == 2);
  CHECK(from_env.err.find("'/nonexistent/corp-ca.pem' (from AWS_CA_BUNDLE)") != std::string::npos);
  auto from_profile = run({"costs", "--last", "7d", "--profile", "broken", "--endpoint-url", ep}, ctx);
  CHECK(from_profile.code == 2);
  CHECK(from_profile.err.find("(from profile broken in " + config) != std::string::npos);
  auto a_dir = run({"accounts", "--ca-bundle", dir, "--endpoint-url", ep}, ctx);
  CHECK(a_dir.code == 2);
  CHECK(a_dir.err.find("is a directory") != std::string::npos);
  CHECK(server.stats().requests == 0);
  remove_tree(dir);
}

TEST_CASE("a certificate error's hint names --ca-bundle, AWS_CA_BUNDLE and the profile's ca_bundle") {
  error e(errc::transport, "SSL peer certificate or SSH remote key was not OK");
  e.curl_code = 60;  // CURLE_PEER_FAILED_VERIFICATION
  const std::string line = explain_error(e);
  CHECK(line.find("--ca-bundle FILE") != std::string::npos);
  CHECK(line.find("AWS_CA_BUNDLE") != std::string::npos);
  CHECK(line.find("ca_bundle in the profile") != std::string::npos);
  error refused(errc::transport, "Couldn't connect to server");
  refused.curl_code = 7;
  CHECK(explain_error(refused).find("--ca-bundle") == std::string::npos);
}

