// End to end through real libcurl on 127.0.0.1: `costs` for several
// profiles in one run (--profile A --profile B, --profiles-file). Profiles
// live in a credentials file in a temporary HOME; the simulator accepts two
// keys, each of another account, and records which key signed each request.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cli_test_support.hpp"
#include "csv_writer.hpp"
#include "multi_profile.hpp"
#include "synthetic_data.hpp"

using namespace cli_test;

namespace {

const calendar_date today = ymd(2026, 11, 26);
constexpr std::uint64_t seed = 11;
const std::string key_b = "AKIAFINOPSPROFILEBB1";
const std::string secret_b = "profileBSecretKey000000000000000000EXAMPLE";

// Counts, per access key and service, the requests that passed the
// simulator's signature check.
class key_recorder final : public sim::credential_extension {
 public:
  bool find_credential(std::string_view, sim::credential&) const override { return false; }
  void authenticated(std::string_view key, std::string_view service) override {
    std::uint64_t n = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      n = ++uses_[std::string(key) + "|" + std::string(service)];
    }
    if (on_auth) on_auth(std::string(key), std::string(service), n);
  }
  /// Called (on a server thread) after each authenticated request, with
  /// that key's count for the service; set it while no request runs.
  std::function<void(const std::string& key, const std::string& service, std::uint64_t n)> on_auth;
  bool unsigned_action(std::string_view) const override { return false; }
  bool answer_sts(std::string_view, const std::map<std::string, std::string>&, const sim::credential*,
                  std::string_view, sim::sts_answer&) override {
    return false;
  }
  std::uint64_t uses(const std::string& key, const std::string& service) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = uses_.find(key + "|" + service);
    return it == uses_.end() ? 0 : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> uses_;
};

struct world {
  std::shared_ptr<key_recorder> keys = std::make_shared<key_recorder>();
  std::unique_ptr<sim::simulator> server;
  std::string home = make_temp_dir();
  aws::map_environment env;
  std::string account_a, account_b;

  world() {
    const auto accounts = sim::generate_accounts(seed, 2);
    account_a = accounts[0].id;
    account_b = accounts[1].id;
    sim::options o;
    o.data.seed = seed;
    o.data.account_count = 2;
    o.data.start_date = "2025-03-01";
    o.data.days = 20;
    o.page_size_groups = 5;  // several pages per profile
    sim::credential a{std::string(sim::default_access_key_id), std::string(sim::default_secret_access_key), "", false,
                      account_a};
    sim::credential b{key_b, secret_b, "", false, account_b};
    o.credentials = {a, b};
    o.extension = keys;
    server = std::make_unique<sim::simulator>(std::move(o));
    REQUIRE(server->start());
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    env.set("HOME", home);
    env.set("AWS_CONFIG_FILE", home + "/config");
    env.set("AWS_SHARED_CREDENTIALS_FILE", home + "/credentials");
    env.set("AWS_EC2_METADATA_DISABLED", "true");  // never 169.254.169.254 from a test
    env.set("AWS_ENDPOINT_URL", server->endpoint_url());
    write(home + "/config", "[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\n");
    credentials(secret_b);
  }
  ~world() {
    server->stop();
    remove_tree(home);
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
  }
  // Profile a holds the simulator's default key, b its own key with `secret`.
  void credentials(const std::string& secret) {
    write(home + "/credentials", "[a]\naws_access_key_id = " + std::string(sim::default_access_key_id) +
                                     "\naws_secret_access_key = " + std::string(sim::default_secret_access_key) +
                                     "\n[b]\naws_access_key_id = " + key_b + "\naws_secret_access_key = " + secret +
                                     "\n");
  }
};

const std::vector<std::string> report{"costs", "--start", "2025-03-01", "--end", "2025-03-08", "--group-by", "SERVICE"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The rows of a one-profile CSV, each with ",PROFILE,ACCOUNT" appended: what
// the list run must hold for that profile.
std::vector<std::string> tagged(const std::string& single_csv, const std::string& profile, const std::string& account) {
  auto l = lines_of(single_csv);
  std::vector<std::string> out;
  for (std::size_t i = 1; i < l.size(); ++i) out.push_back(l[i] + "," + profile + "," + account);
  return out;
}

std::vector<std::string> rows_ending(const std::vector<std::string>& lines, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& l : lines)
    if (l.size() >= suffix.size() && l.compare(l.size() - suffix.size(), suffix.size(), suffix) == 0) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("two profiles: every row tagged with its profile and account, each profile signed with its own key") {
  world w;
  auto ctx = test_context(w.env, today);
  auto one_a = run(with(report, {"--profile", "a", "--format", "csv"}), ctx);
  auto one_b = run(with(report, {"--profile", "b", "--format", "csv"}), ctx);
  REQUIRE_MESSAGE(one_a.code == 0, one_a.err);
  REQUIRE_MESSAGE(one_b.code == 0, one_b.err);
  REQUIRE(lines_of(one_a.out).size() > 8);

  const std::uint64_t ce_a = w.keys->uses(std::string(sim::default_access_key_id), "ce");
  const std::uint64_t ce_b = w.keys->uses(key_b, "ce");
  REQUIRE(ce_a >= 2);  // several pages
  REQUIRE(ce_b == ce_a);
  auto r = run(with(report, {"--profile", "a", "--profile", "b", "--format", "csv"}), ctx);
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto l = lines_of(r.out);
  REQUIRE(!l.empty());
  CHECK(l[0] == std::string(csv_header) + ",profile,profile_account");
  // Profile a's rows, then b's, each exactly the one-profile report.
  std::vector<std::string> expected = tagged(one_a.out, "a", w.account_a);
  const auto b_rows = tagged(one_b.out, "b", w.account_b);
  expected.insert(expected.end(), b_rows.begin(), b_rows.end());
  CHECK(std::vector<std::string>(l.begin() + 1, l.end()) == expected);
  // Each profile's requests were signed with its own key, once more each;
  // one free GetCallerIdentity per profile.
  CHECK(w.keys->uses(std::string(sim::default_access_key_id), "ce") == 2 * ce_a);
  CHECK(w.keys->uses(key_b, "ce") == 2 * ce_b);
  CHECK(w.keys->uses(std::string(sim::default_access_key_id), "sts") == 1);
  CHECK(w.keys->uses(key_b, "sts") == 1);

  SUBCASE("ndjson") {
    auto n = run(with(report, {"--profile", "a", "--profile", "b", "--format", "ndjson"}), ctx);
    REQUIRE_MESSAGE(n.code == 0, n.err);
    const auto nl = lines_of(n.out);
    REQUIRE(nl.size() == expected.size());
    CHECK(nl.front().find(",\"profile\":\"a\",\"profile_account\":\"" + w.account_a + "\"}") != std::string::npos);
    CHECK(nl.back().find(",\"profile\":\"b\",\"profile_account\":\"" + w.account_b + "\"}") != std::string::npos);
  }
  SUBCASE("table: profile and account columns first") {
    auto t = run(with(report, {"--profile", "a", "--profile", "b", "--format", "table"}), ctx);
    REQUIRE_MESSAGE(t.code == 0, t.err);
    const auto tl = lines_of(t.out);
    REQUIRE(tl.size() == expected.size() + 2);
    CHECK(tl[0].rfind("profile  profile_account  period", 0) == 0);
    CHECK(tl[2].rfind("a        " + w.account_a + "     2025-03-01", 0) == 0);
    CHECK(tl.back().rfind("b        " + w.account_b, 0) == 0);
  }
  SUBCASE("--profiles-file with --output: the same rows in the file") {
    world::write(w.home + "/profiles.txt", "# payers\n  a  \n\nb\n");
    const std::string out = w.home + "/all.csv";
    auto f = run(with(report, {"--profiles-file", w.home + "/profiles.txt", "--output", out}), ctx);
    REQUIRE_MESSAGE(f.code == 0, f.err);
    CHECK(f.out.empty());
    CHECK(slurp(out) == r.out);
  }
}

TEST_CASE("a failing profile is named with its reason; the others' rows are complete; exit 6") {
  world w;
  auto ctx = test_context(w.env, today);
  auto one_a = run(with(report, {"--profile", "a", "--format", "csv"}), ctx);
  REQUIRE_MESSAGE(one_a.code == 0, one_a.err);
  const std::uint64_t ce_a = w.keys->uses(std::string(sim::default_access_key_id), "ce");
  const auto expected_a = tagged(one_a.out, "a", w.account_a);

  SUBCASE("bad keys: refused by the free GetCallerIdentity, before any billable request") {
    w.credentials("wrongSecretKey0000000000000000000000EXAMPLE");
    const auto billable_before = w.server->stats().billable;
    auto r = run(with(report, {"--profile", "b", "--profile", "a", "--format", "csv"}), ctx);
    INFO(r.err);
    CHECK(r.code == 6);
    const auto l = lines_of(r.out);
    REQUIRE(!l.empty());
    CHECK(l[0] == std::string(csv_header) + ",profile,profile_account");
    CHECK(std::vector<std::string>(l.begin() + 1, l.end()) == expected_a);
    CHECK(r.err.find("finops-crawler: profile b: ") != std::string::npos);
    CHECK(r.err.find("SignatureDoesNotMatch") != std::string::npos);
    CHECK(r.err.find("1 of 2 profiles failed: b (exit 3)") != std::string::npos);
    CHECK(r.err.find(secret_b) == std::string::npos);
    CHECK(w.server->stats().billable - billable_before == ce_a);  // only a's pages
    CHECK(w.keys->uses(key_b, "ce") == 0);
  }
  SUBCASE("a profile in neither file: reported before the first request, the others run") {
    auto r = run(with(report, {"--profile", "a", "--profile", "nope", "--format", "csv", "--verbose"}), ctx);
    INFO(r.err);
    CHECK(r.code == 6);
    const auto l = lines_of(r.out);
    REQUIRE(!l.empty());
    CHECK(std::vector<std::string>(l.begin() + 1, l.end()) == expected_a);
    const auto missing = r.err.find("finops-crawler: profile nope: not found: it is in neither " + w.home +
                                    "/config nor " + w.home + "/credentials");
    REQUIRE(missing != std::string::npos);
    const auto first_request = r.err.find("finops-crawler: profile a: POST");
    REQUIRE(first_request != std::string::npos);
    CHECK(missing < first_request);
    CHECK(r.err.find("1 of 2 profiles failed: nope (exit 3)") != std::string::npos);
  }
  SUBCASE("a profile failing in Cost Explorer: none of its rows, the other's whole, the file written") {
    // b's second page is throttled on every attempt (the fault is scripted
    // as it arrives): rows of its first page had been received.
    w.keys->on_auth = [&w, &ctx](const std::string& key, const std::string& service, std::uint64_t n) {
      if (key == key_b && service == "ce" && n == 2) w.server->script_faults(sim::fault::throttling, ctx.retry.max_attempts);
    };
    world::write(w.home + "/list", "b\na\n");
    const std::string out = w.home + "/out.csv";
    auto r = run(with(report, {"--profiles-file", w.home + "/list", "--output", out}), ctx);
    w.keys->on_auth = nullptr;
    INFO(r.err);
    CHECK(r.code == 6);
    CHECK(w.keys->uses(key_b, "ce") == static_cast<std::uint64_t>(1 + ctx.retry.max_attempts));
    const auto l = lines_of(slurp(out));
    REQUIRE(!l.empty());
    CHECK(l[0] == std::string(csv_header) + ",profile,profile_account");
    CHECK(std::vector<std::string>(l.begin() + 1, l.end()) == expected_a);
    CHECK(rows_ending(l, ",b," + w.account_b).empty());
    CHECK(r.err.find("finops-crawler: profile b: ") != std::string::npos);
    CHECK(r.err.find("1 of 2 profiles failed: b (exit 5)") != std::string::npos);
  }
}

TEST_CASE("one profile: the output is exactly that of a run without the list feature") {
  world w;
  auto ctx = test_context(w.env, today);
  auto flag = run(with(report, {"--profile", "a", "--format", "csv"}), ctx);
  w.env.set("AWS_PROFILE", "a");
  auto env_profile = run(with(report, {"--format", "csv"}), ctx);
  REQUIRE_MESSAGE(flag.code == 0, flag.err);
  REQUIRE_MESSAGE(env_profile.code == 0, env_profile.err);
  CHECK(flag.out == env_profile.out);
  CHECK(lines_of(flag.out)[0] == std::string(csv_header));
  CHECK(flag.err == env_profile.err);
  CHECK(w.keys->uses(std::string(sim::default_access_key_id), "sts") == 0);  // no identity lookup
}

TEST_CASE("a bad list is refused before anything is sent (exit 2)") {
  world w;
  auto ctx = test_context(w.env, today);
  world::write(w.home + "/twice", "a\nb\na\n");
  world::write(w.home + "/blank-inside", "a\nmy profile\n");
  world::write(w.home + "/empty", "# nobody\n\n");
  struct refusal {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<refusal> cases{
      {{"--profile", "a", "--profile", "a"}, "profile a is named twice (--profile and --profile)"},
      {{"--profile", "b", "--profiles-file", w.home + "/twice"}, "profile b is named twice (--profile and " + w.home + "/twice:2)"},
      {{"--profiles-file", w.home + "/blank-inside"}, w.home + "/blank-inside:2: 'my profile' is not one profile name"},
      {{"--profiles-file", w.home + "/empty"}, "names no profile"},
      {{"--profiles-file", w.home + "/missing"}, "cannot be read"},
      {{"--profile", "a", "--profile", "b", "--format", "json"}, "--format json with several profiles"},
      {{"--profile", "a", "--profile", "b", "--pivot"}, "--pivot with several profiles"},
      {{"--profile", "a", "--profile", "b", "--dry-run"}, "--dry-run with several profiles"},
      {{"--profile", "a", "--profile", "b", "--max-requests", "many"}, "--max-requests"},
      {{"--profile", "a", "--profile", "b", "--output", w.home + "/no-such-dir/out.csv"}, "no-such-dir"},
      {{"--profile", "a", "--profile", "b", "--granularity", "WEEKLY"}, "--granularity WEEKLY"},
  };
  for (const auto& c : cases) {
    auto r = run(with(report, c.args), ctx);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.message) != std::string::npos);
  }
  CHECK(w.server->stats().requests == 0);
}

TEST_CASE("every profile failing: the first failure's status, no output at all") {
  world w;
  w.credentials("wrongSecretKey0000000000000000000000EXAMPLE");
  auto ctx = test_context(w.env, today);
  const std::string out = w.home + "/out.csv";
  auto r = run(with(report, {"--profile", "b", "--profile", "nope", "--output", out}), ctx);
  INFO(r.err);
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(!file_exists(out));
  CHECK(list_dir(w.home).size() == 2);  // config, credentials: no temporary left
  CHECK(r.err.find("2 of 2 profiles failed: b (exit 3), nope (exit 3); no output") != std::string::npos);
  CHECK(w.server->stats().billable == 0);
}

TEST_CASE("prefixed_stream names the profile after the lead of each line, progress redraws included") {
  std::ostringstream target;
  {
    prefixed_stream p(target, "profile x: ");
    p.stream() << "finops-crawler: one\n  hint\nfinops-crawler: two" << '\n' << "\rpages 1\x1b[K"
               << "\r\x1b[Kfinops-crawler: three\nfinops-crawl";
  }
  CHECK(target.str() ==
        "finops-crawler: profile x: one\n  hint\nfinops-crawler: profile x: two\n\rpages 1\x1b[K\r\x1b[Kfinops-crawler: "
        "three\nfinops-crawl");
}

TEST_CASE("--cache with several profiles: each account's pages apart, a second run free") {
  world w;
  auto ctx = test_context(w.env, today);
  const std::string cache = w.home + "/cache";
  const auto args = with(report, {"--profile", "a", "--profile", "b", "--format", "csv", "--cache", cache});
  auto first = run(args, ctx);
  REQUIRE_MESSAGE(first.code == 0, first.err);
  const auto billable = w.server->stats().billable;
  REQUIRE(billable > 0);
  // Each account's directory holds its pages (and the page-count history
  // the estimate reads: one more entry).
  CHECK((list_dir(cache + "/" + w.account_a).size() - 1) * 2 == billable);
  CHECK((list_dir(cache + "/" + w.account_b).size() - 1) * 2 == billable);
  CHECK(list_dir(cache).size() == 2);
  auto second = run(args, ctx);
  REQUIRE_MESSAGE(second.code == 0, second.err);
  CHECK(second.out == first.out);
  CHECK(w.server->stats().billable == billable);
  // A --cache that cannot be a directory is refused before any request.
  world::write(w.home + "/plain", "x");
  const auto requests = w.server->stats().requests;
  auto bad = run(with(report, {"--profile", "a", "--profile", "b", "--cache", w.home + "/plain"}), ctx);
  CHECK(bad.code == 2);
  CHECK(w.server->stats().requests == requests);
}

TEST_CASE("--cache with one profile at a time: another account's run is never served the first one's pages") {
  world w;
  auto ctx = test_context(w.env, today);
  const std::string cache = w.home + "/cache";
  auto plain_b = run(with(report, {"--profile", "b", "--format", "csv"}), ctx);
  REQUIRE_MESSAGE(plain_b.code == 0, plain_b.err);
  const auto one_run = w.server->stats().billable;
  REQUIRE(one_run > 0);
  auto a = run(with(report, {"--profile", "a", "--format", "csv", "--cache", cache}), ctx);
  REQUIRE_MESSAGE(a.code == 0, a.err);
  auto b = run(with(report, {"--profile", "b", "--format", "csv", "--cache", cache}), ctx);
  REQUIRE_MESSAGE(b.code == 0, b.err);
  CHECK(b.out == plain_b.out);
  // b's pages were fetched (billed), not taken from a's entries: the
  // simulator serves both accounts the same figures, so only the count shows it.
  CHECK(w.server->stats().billable == 3 * one_run);
  CHECK(list_dir(cache + "/" + w.account_a).size() > 1);
  CHECK(list_dir(cache + "/" + w.account_b).size() > 1);
}

TEST_CASE("summary for several profiles: one section per profile, each signed with its own keys; json refused") {
  world w;
  auto ctx = test_context(w.env, today);
  const std::vector<std::string> sum{"summary", "--today", "2025-03-21", "--no-forecast", "--profile", "a",
                                     "--profile", "b"};
  auto r = run(sum, ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto at_a = r.out.find("== profile a (account " + w.account_a + ")");
  const auto at_b = r.out.find("== profile b (account " + w.account_b + ")");
  REQUIRE(at_a != std::string::npos);
  REQUIRE(at_b != std::string::npos);
  CHECK(at_a < at_b);
  // Each section is a whole summary.
  CHECK(r.out.find("Month to date", at_a) < at_b);
  CHECK(r.out.find("Month to date", at_b) != std::string::npos);
  CHECK(w.keys->uses(key_b, "ce") > 0);  // b's section was crawled with b's keys
  CHECK(w.keys->uses(std::string(sim::default_access_key_id), "ce") > 0);

  auto md = run(with(sum, {"--format", "markdown"}), ctx);
  REQUIRE_MESSAGE(md.code == 0, md.err);
  CHECK(md.out.find("## profile b (account " + w.account_b + ")") != std::string::npos);

  const auto requests = w.server->stats().requests;
  auto json = run(with(sum, {"--format", "json"}), ctx);
  CHECK(json.code == 2);
  CHECK(json.err.find("several profiles") != std::string::npos);
  CHECK(w.server->stats().requests == requests);
}
