// The listing commands (whoami, accounts, dimensions, tags, cost-categories)
// in-process against the simulator: --format json with exactly the member
// names of AWS's response shapes (read from the service models in
// tests/vectors/aws-models), csv, tables cut only on a terminal, the
// billable requests tags and cost-categories make (one per page), and the
// value placeholders of every command's --help.
#include "cli.hpp"

#include <simdjson.h>

#include <set>

#include "cli_test_support.hpp"
#include "finops_crawler/aws/ce/requests.hpp"

using namespace cli_test;

namespace {

// The member names of `shape` in an AWS service model.
std::set<std::string> model_members(const char* model_file, const char* shape) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.load(std::string(FINOPS_CRAWLER_TEST_DIR) + "/vectors/aws-models/" + model_file).get(root) ==
          simdjson::SUCCESS);
  simdjson::dom::object members;
  REQUIRE(root["shapes"][shape]["members"].get(members) == simdjson::SUCCESS);
  std::set<std::string> out;
  for (auto kv : members) out.emplace(kv.key);
  return out;
}

std::set<std::string> keys_of(simdjson::dom::object o) {
  std::set<std::string> out;
  for (auto kv : o) out.emplace(kv.key);
  return out;
}

std::set<std::string> without(std::set<std::string> s, const std::string& name) {
  s.erase(name);
  return s;
}

bool is_subset(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const auto& x : a)
    if (b.count(x) == 0) return false;
  return true;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t nl = text.find('\n', at);
    out.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return out;
}

struct listing_server {
  sim::simulator server;
  explicit listing_server(std::size_t page = 1000) : server(make(page)) { REQUIRE(server.start()); }
  static sim::options make(std::size_t page) {
    sim::options o;
    o.data.seed = 3;
    o.data.account_count = 4;
    o.data.start_date = "2025-03-01";
    o.data.days = 20;
    o.page_size_tags = page;
    o.page_size_cost_categories = page;
    o.page_size_dimension_values = page;
    o.page_size_accounts = 1 + page % 20;
    o.threads = 2;
    o.keep_alive_timeout_s = 2;
    return o;
  }
};

const std::vector<std::string> march = {"--start", "2025-03-01", "--end", "2025-03-15"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("tags: keys, then a key's values, across pages; one billable request per page") {
  listing_server s(1);
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  const std::string ep = s.server.endpoint_url();

  auto keys = run(with({"tags", "--format", "csv", "--endpoint-url", ep}, march), ctx);
  INFO(keys.err);
  REQUIRE(keys.code == 0);
  std::string want = "key\n";
  for (auto k : sim::tag_keys) want += std::string(k) + "\n";
  CHECK(keys.out == want);
  CHECK(s.server.stats().billable == sim::tag_keys.size());  // page size 1: one page per key

  const std::uint64_t before = s.server.stats().billable;
  auto values = run(with({"tags", "--key", "Team", "--format", "csv", "--endpoint-url", ep}, march), ctx);
  INFO(values.err);
  REQUIRE(values.code == 0);
  // The untagged share is the empty value, as TAG grouping's "Team$".
  CHECK(values.out == "key,value\nTeam,\nTeam,data\nTeam,platform\nTeam,web\n");
  CHECK(s.server.stats().billable - before == 4);

  // A key in the wrong case is another key: no values, and stderr says why.
  auto wrong_case = run(with({"tags", "--key", "team", "--format", "csv", "--endpoint-url", ep}, march), ctx);
  REQUIRE(wrong_case.code == 0);
  CHECK(wrong_case.out == "key,value\n");
  CHECK(wrong_case.err.find("tag keys are case-sensitive") != std::string::npos);

  // The values are exactly what `costs --group-by TAG:Team` groups by.
  auto costs = run(with({"costs", "--group-by", "TAG:Team", "--granularity", "MONTHLY", "--format", "csv",
                         "--endpoint-url", ep},
                        march),
                   ctx);
  INFO(costs.err);
  REQUIRE(costs.code == 0);
  for (const char* v : {"Team$data", "Team$platform", "Team$web"}) {
    CAPTURE(v);
    CHECK(costs.out.find(v) != std::string::npos);
  }

  // Bad flags are refused before anything is sent.
  const std::uint64_t sent = s.server.stats().requests;
  CHECK(run({"tags", "--key", std::string(1025, 'k'), "--endpoint-url", ep}, ctx).code == 2);
  CHECK(run({"tags", "--start", "2025-03-10", "--end", "2025-03-01", "--endpoint-url", ep}, ctx).code == 2);
  CHECK(run({"tags", "--format", "ndjson", "--endpoint-url", ep}, ctx).code == 2);
  CHECK(run({"cost-categories", "--name", "a/b", "--endpoint-url", ep}, ctx).code == 2);
  CHECK(s.server.stats().requests == sent);
}

TEST_CASE("cost-categories: names, then a category's values") {
  listing_server s(2);
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  const std::string ep = s.server.endpoint_url();
  auto names = run(with({"cost-categories", "--format", "csv", "--endpoint-url", ep}, march), ctx);
  INFO(names.err);
  REQUIRE(names.code == 0);
  CHECK(names.out == "cost_category\n" + std::string(sim::cost_category_name) + "\n");

  auto values = run(with({"cost-categories", "--name", std::string(sim::cost_category_name), "--format", "csv",
                          "--endpoint-url", ep},
                         march),
                    ctx);
  INFO(values.err);
  REQUIRE(values.code == 0);
  std::set<std::string> truth;
  for (const auto& a : s.server.data().accounts())
    truth.insert(std::string(sim::cost_category_value(s.server.data().seed(), a)));
  std::string want = "cost_category,value\n";
  for (const auto& v : truth) want += std::string(sim::cost_category_name) + "," + v + "\n";
  CHECK(values.out == want);
}

TEST_CASE("--format json: AWS's member names for every listing command") {
  listing_server s;
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  const std::string ep = s.server.endpoint_url();
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  const auto parse = [&](const run_result& r) {
    INFO(r.err);
    REQUIRE(r.code == 0);
    REQUIRE(parser.parse(r.out).get_object().get(o) == simdjson::SUCCESS);
  };
  const char* ce_model = "ce-2017-10-25.service-2.json";

  parse(run(with({"tags", "--format", "json", "--endpoint-url", ep}, march), ctx));
  CHECK(keys_of(o) == without(model_members(ce_model, "GetTagsResponse"), "NextPageToken"));
  simdjson::dom::array tags;
  REQUIRE(o["Tags"].get(tags) == simdjson::SUCCESS);
  CHECK(tags.size() == sim::tag_keys.size());
  std::uint64_t total = 0;
  REQUIRE(o["TotalSize"].get(total) == simdjson::SUCCESS);
  CHECK(total == sim::tag_keys.size());

  parse(run(with({"cost-categories", "--name", "BusinessUnit", "--format", "json", "--endpoint-url", ep}, march), ctx));
  CHECK(keys_of(o) == without(model_members(ce_model, "GetCostCategoriesResponse"), "NextPageToken"));
  parse(run(with({"cost-categories", "--format", "json", "--endpoint-url", ep}, march), ctx));
  CHECK(keys_of(o) == std::set<std::string>{"CostCategoryNames", "ReturnSize", "TotalSize"});

  parse(run(with({"dimensions", "LINKED_ACCOUNT", "--format", "json", "--endpoint-url", ep}, march), ctx));
  CHECK(keys_of(o) == without(model_members(ce_model, "GetDimensionValuesResponse"), "NextPageToken"));
  simdjson::dom::array dv;
  REQUIRE(o["DimensionValues"].get(dv) == simdjson::SUCCESS);
  CHECK(dv.size() == s.server.data().accounts().size());
  for (auto v : dv) {
    simdjson::dom::object vo;
    REQUIRE(v.get_object().get(vo) == simdjson::SUCCESS);
    CHECK(keys_of(vo) == model_members(ce_model, "DimensionValuesWithAttributes"));
    std::string_view desc;
    CHECK(vo["Attributes"]["description"].get(desc) == simdjson::SUCCESS);
  }

  parse(run({"accounts", "--format", "json", "--endpoint-url", ep}, ctx));
  CHECK(keys_of(o) == std::set<std::string>{"Accounts"});
  simdjson::dom::array accounts;
  REQUIRE(o["Accounts"].get(accounts) == simdjson::SUCCESS);
  CHECK(accounts.size() == s.server.data().accounts().size());
  const auto account_members = model_members("organizations-2016-11-28.service-2.json", "Account");
  for (auto a : accounts) {
    simdjson::dom::object ao;
    REQUIRE(a.get_object().get(ao) == simdjson::SUCCESS);
    CHECK(is_subset(keys_of(ao), account_members));
    for (const char* k : {"Id", "Arn", "Email", "Name"}) CHECK(keys_of(ao).count(k) == 1);
  }

  // costs: GetCostAndUsage's members (the pages merged), down to the groups' and metrics'.
  parse(run(with({"costs", "--group-by", "SERVICE", "--granularity", "MONTHLY", "--format", "json", "--endpoint-url",
                  ep},
                 march),
            ctx));
  CHECK(is_subset(keys_of(o), model_members(ce_model, "GetCostAndUsageResponse")));
  CHECK(keys_of(o).count("ResultsByTime") == 1);
  simdjson::dom::array periods;
  REQUIRE(o["ResultsByTime"].get(periods) == simdjson::SUCCESS);
  REQUIRE(periods.size() == 1);
  for (auto p : periods) {
    simdjson::dom::object po;
    REQUIRE(p.get_object().get(po) == simdjson::SUCCESS);
    CHECK(is_subset(keys_of(po), model_members(ce_model, "ResultByTime")));
    simdjson::dom::array groups;
    REQUIRE(po["Groups"].get(groups) == simdjson::SUCCESS);
    CHECK(groups.size() > 0);
    for (auto g : groups) {
      simdjson::dom::object go;
      REQUIRE(g.get_object().get(go) == simdjson::SUCCESS);
      CHECK(keys_of(go) == model_members(ce_model, "Group"));
      simdjson::dom::object metric;
      REQUIRE(go["Metrics"]["UnblendedCost"].get(metric) == simdjson::SUCCESS);
      CHECK(keys_of(metric) == model_members(ce_model, "MetricValue"));
    }
  }

  // GetCallerIdentity's result (STS model members: UserId, Account, Arn), no secrets.
  const auto who = run({"whoami", "--format", "json", "--endpoint-url", ep}, ctx);
  parse(who);
  CHECK(keys_of(o) == std::set<std::string>{"UserId", "Account", "Arn"});
  std::string_view account;
  REQUIRE(o["Account"].get(account) == simdjson::SUCCESS);
  CHECK(account == s.server.data().accounts()[0].id);
  CHECK(who.out.find(sim::default_secret_access_key) == std::string::npos);
}

TEST_CASE("tables are cut at the terminal's width only on a terminal") {
  sim::options opts = listing_server::make(1000);
  // Long account names and emails: a row far wider than 40 columns.
  opts.data.accounts = {{"111122223333", "a management account with a very long descriptive name",
                         "someone.with.a.long.address@finance-department.example.com"},
                        {"444455556666", "workloads", "w@example.com"}};
  sim::simulator server(opts);
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  ctx.terminal_width = 40;
  const std::string ep = server.endpoint_url();
  const auto widest = [](const std::string& text) {
    std::size_t w = 0;
    for (const auto& l : lines_of(text)) w = std::max(w, l.size());
    return w;
  };
  for (const char* cmd : {"accounts", "dimensions"}) {
    CAPTURE(cmd);
    std::vector<std::string> args = {cmd};
    if (std::string(cmd) == "dimensions") args = with({"dimensions", "LINKED_ACCOUNT"}, march);
    args = with(args, {"--format", "table", "--endpoint-url", ep});
    ctx.stdout_is_terminal = false;  // a file or pipe: whole cells
    auto piped = run(args, ctx);
    INFO(piped.err);
    REQUIRE(piped.code == 0);
    CHECK(piped.out.find("a management account with a very long descriptive name") != std::string::npos);
    CHECK(piped.out.find('~') == std::string::npos);
    CHECK(widest(piped.out) > 40);
    ctx.stdout_is_terminal = true;  // a terminal: cut to its width
    auto term = run(args, ctx);
    REQUIRE(term.code == 0);
    CHECK(term.out.find('~') != std::string::npos);
    CHECK(widest(term.out) <= 40);
  }
}

TEST_CASE("every command's --help names its value placeholders") {
  auto env = sim_environment();
  auto ctx = test_context(env, ymd(2026, 11, 26));
  for (const char* cmd : {"sync", "tags", "cost-categories", "forecast", "costs", "dimensions", "accounts", "whoami"}) {
    CAPTURE(cmd);
    auto r = run({cmd, "--help"}, ctx);
    REQUIRE(r.code == 0);
    for (const char* generic : {" TEXT", " INT", " FLOAT", " UINT", ":TEXT", ":INT"}) {
      CAPTURE(generic);
      CHECK(r.out.find(generic) == std::string::npos);
    }
  }
  auto sync = run({"sync", "--help"}, ctx);
  for (const char* s : {"--db FILE|URL", "--report NAME", "--granularity GRANULARITY", "--metric NAME",
                        "--group-by KEY", "--filter DIM=V[,V]", "--filter-json FILE", "--today DATE",
                        "--max-requests N", "--start DATE", "--month YYYY-MM"}) {
    CAPTURE(s);
    CHECK(sync.out.find(s) != std::string::npos);
  }
  auto tags = run({"tags", "--help"}, ctx);
  for (const char* s : {"--key KEY", "--format FORMAT", "--last Nd|Nm", "json"}) {
    CAPTURE(s);
    CHECK(tags.out.find(s) != std::string::npos);
  }
  auto cats = run({"cost-categories", "--help"}, ctx);
  CHECK(cats.out.find("--name NAME") != std::string::npos);
  auto top = run({"--help"}, ctx);
  CHECK(top.out.find("cost-categories") != std::string::npos);
  CHECK(top.out.find("tags") != std::string::npos);
}

TEST_CASE("the IAM policy grants every Cost Explorer operation the library sends, as the README's table lists") {
  simdjson::dom::parser parser;
  simdjson::dom::element policy;
  REQUIRE(parser.load(std::string(FINOPS_CRAWLER_TEST_DIR) + "/../examples/iam-policy.json").get(policy) ==
          simdjson::SUCCESS);
  std::set<std::string> granted;
  simdjson::dom::array statements;
  REQUIRE(policy["Statement"].get(statements) == simdjson::SUCCESS);
  for (auto st : statements) {
    simdjson::dom::array actions;
    REQUIRE(st["Action"].get(actions) == simdjson::SUCCESS);
    for (auto a : actions) {
      std::string_view v;
      REQUIRE(a.get(v) == simdjson::SUCCESS);
      granted.emplace(v);
    }
  }
  for (std::string_view op : {ce::cost_and_usage_request::operation_name,
                              ce::cost_and_usage_with_resources_request::operation_name,
                              ce::dimension_values_request::operation_name, ce::tags_request::operation_name,
                              ce::cost_categories_request::operation_name, ce::cost_forecast_request::operation_name}) {
    CAPTURE(std::string(op));
    CHECK(granted.count("ce:" + std::string(op)) == 1);
  }
  // The README's permissions table names exactly the granted actions.
  const std::string readme = slurp(std::string(FINOPS_CRAWLER_TEST_DIR) + "/../README.md");
  std::set<std::string> listed;
  for (std::size_t at = readme.find("\n| `"); at != std::string::npos; at = readme.find("\n| `", at + 1)) {
    const std::size_t end = readme.find('`', at + 4);
    const std::string action = readme.substr(at + 4, end - at - 4);
    if (action.rfind("ce:", 0) == 0 || action.rfind("organizations:", 0) == 0) listed.insert(action);
  }
  CHECK(listed == granted);
}
