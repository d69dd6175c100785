// The rough edges a new user hit (issue 10, point 5), each checked the way
// the user met it: in-process against the simulator, or with the real
// binaries in child processes (signals, closed pipes, the simulator's export
// lines) through pipes on this machine only.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <simdjson.h>

#include <chrono>
#include <cstring>
#include <regex>
#include <thread>

#include "cli_test_support.hpp"
#include "finops_crawler/aws/ce/requests.hpp"
#include "period_args.hpp"
#include "synthetic_data.hpp"

using namespace cli_test;

namespace {

// Data that ends on `today` (the simulator's window ends with its last day).
const calendar_date today = ymd(2026, 11, 26);

sim::options window_ending_today(std::size_t page_size = 1000) {
  sim::options o;
  o.data.seed = 3;
  o.data.account_count = 3;
  o.data.start_date = "2026-09-28";
  o.data.days = 60;  // 2026-09-28 .. 2026-11-26
  o.page_size_groups = page_size;
  return o;
}

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

// --- child processes -------------------------------------------------------

// The built executables beside this test program (build/tests/tests_cli ->
// build/tools/...), unless FINOPS_CRAWLER_BUILD_DIR names the build root.
std::string built(const std::string& rel) {
  if (const char* b = std::getenv("FINOPS_CRAWLER_BUILD_DIR")) return std::string(b) + "/" + rel;
  char self[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  REQUIRE(n > 0);
  std::string dir(self, static_cast<std::size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));  // build/tests
  dir = dir.substr(0, dir.rfind('/'));  // build
  return dir + "/" + rel;
}

struct child {
  pid_t pid = -1;
  int out = -1;  // its stdout (read end)
  int err = -1;  // its stderr (read end)
};

child spawn(const std::string& exe, const std::vector<std::string>& args, const std::vector<std::string>& env) {
  REQUIRE_MESSAGE(::access(exe.c_str(), X_OK) == 0, exe << " is not built");
  int o[2], e[2];
  REQUIRE(::pipe(o) == 0);
  REQUIRE(::pipe(e) == 0);
  std::vector<std::string> argv_s{exe};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  std::vector<std::string> env_s = env;
  for (auto& v : env_s) envp.push_back(&v[0]);
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(o[1], 1);
    ::dup2(e[1], 2);
    ::close(o[0]);
    ::close(o[1]);
    ::close(e[0]);
    ::close(e[1]);
    // The child starts with the default dispositions, as from a shell.
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(o[1]);
  ::close(e[1]);
  return {pid, o[0], e[0]};
}

// Reads from fd into `into` until `enough(into)` or EOF or `limit` passes.
// Bounded by the deadline; returns false on EOF.
template <class Pred>
bool read_until(int fd, std::string& into, Pred enough, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (!enough(into)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

std::string read_all(int fd, std::chrono::milliseconds limit = std::chrono::milliseconds(20000)) {
  std::string s;
  read_until(fd, s, [](const std::string&) { return false; }, limit);
  return s;
}

// waitpid, bounded: kills the child after `limit`.
int wait_status(pid_t pid, std::chrono::milliseconds limit = std::chrono::milliseconds(30000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int st = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &st, WNOHANG);
    if (r == pid) return st;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &st, 0);
      FAIL("child did not finish in time");
      return st;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::vector<std::string> child_env(const sim::simulator& s) {
  return {"AWS_ACCESS_KEY_ID=" + std::string(sim::default_access_key_id),
          "AWS_SECRET_ACCESS_KEY=" + std::string(sim::default_secret_access_key),
          "AWS_CONFIG_FILE=/nonexistent/finops-cli-test/config",
          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/finops-cli-test/credentials",
          "AWS_ENDPOINT_URL=" + s.endpoint_url()};
}

// Whether a wait status is "the reader went away" as for other Unix tools:
// killed by SIGPIPE, or exit status 141 (128 + SIGPIPE).
bool closed_pipe_status(int st) {
  return (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) || (WIFEXITED(st) && WEXITSTATUS(st) == 141);
}

// Fields of one CSV record (RFC 4180 quotes), or -1 if a quote is open.
int csv_fields(const std::string& line) {
  int fields = 1;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) ++fields;
  }
  return quoted ? -1 : fields;
}

}  // namespace

// ---------------------------------------------------------------------------
// --group-by RESOURCE_ID: one 14-day rule for the library, the CLI, the simulator

TEST_CASE("RESOURCE_ID: the default period works; Start = today-14 accepted everywhere, today-15 refused") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::string> base{"costs", "--group-by", "RESOURCE_ID", "--endpoint-url", server.endpoint_url()};

  // The default period, as the README shows it.
  auto def = run(base, ctx);
  CHECK_MESSAGE(def.code == 0, def.err);
  CHECK(count_lines(def.out) > 1);
  CHECK(def.out.find("2026-11-12,2026-11-13") != std::string::npos);  // the first day: today - 14
  CHECK(def.out.find("2026-11-11,") == std::string::npos);

  // The first day accepted by all three, and the day before refused before anything is sent.
  auto with = [&](std::vector<std::string> a, const char* start, const char* end) {
    a.insert(a.end(), {"--start", start, "--end", end});
    return a;
  };
  auto first = run(with(base, "2026-11-12", "2026-11-14"), ctx);
  CHECK_MESSAGE(first.code == 0, first.err);
  const auto before = server.stats().requests;
  auto early = run(with(base, "2026-11-11", "2026-11-14"), ctx);
  CHECK(early.code == 2);
  CHECK(early.err.find("2026-11-12") != std::string::npos);  // names the earliest Start
  CHECK(server.stats().requests == before);

  // The simulator applies the same rule on its own "today" (its last day):
  // a client that believes it is a day earlier is refused by the service.
  auto lagging = test_context(env, today.add_days(-1));
  auto refused = run(with(base, "2026-11-11", "2026-11-14"), lagging);
  CHECK(refused.code == 4);
  CHECK(refused.err.find("2026-11-12") != std::string::npos);
  auto accepted = run(with(base, "2026-11-12", "2026-11-14"), lagging);
  CHECK_MESSAGE(accepted.code == 0, accepted.err);

  // The library's request validation, directly.
  ce::cost_and_usage_with_resources_request r;
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("RESOURCE_ID")};
  r.filter = ce::expression::dimension("SERVICE", {"Amazon Elastic Compute Cloud - Compute"});
  ce::validation_context vc;
  vc.today = today.to_string();
  r.time_period = {"2026-11-12", "2026-11-13"};
  CHECK(r.validate(vc));
  r.time_period = {"2026-11-11", "2026-11-13"};
  CHECK_FALSE(r.validate(vc));
}

// ---------------------------------------------------------------------------
// Nothing on stdout before the first page succeeded

TEST_CASE("exit 3 and exit 4 write nothing to stdout, not even the CSV header") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  aws::map_environment bad{{"AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG1"},
                           {"AWS_SECRET_ACCESS_KEY", "wrongSecretValueThatMustNotBePrinted000"},
                           {"AWS_CONFIG_FILE", "/nonexistent/c"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/k"}};
  auto bad_ctx = test_context(bad, today);
  for (const char* format : {"csv", "ndjson", "table", "json"}) {
    CAPTURE(format);
    auto r = run({"costs", "--last", "7d", "--format", format, "--endpoint-url", server.endpoint_url()}, bad_ctx);
    CHECK(r.code == 3);
    CHECK(r.out.empty());
  }
  // HOURLY passes the library's checks (within 14 days) but the simulator
  // refuses it (ValidationException): AWS refused, exit 4.
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--last", "2d", "--granularity", "HOURLY", "--format", "csv", "--endpoint-url",
                server.endpoint_url()},
               ctx);
  CHECK(r.code == 4);
  CHECK(r.out.empty());
  // An empty report still gets its header.
  auto empty = run({"costs", "--start", "2020-01-01", "--end", "2020-01-03", "--group-by", "SERVICE", "--format", "csv",
                    "--endpoint-url", server.endpoint_url()},
                   ctx);
  CHECK_MESSAGE(empty.code == 0, empty.err);
  CHECK(empty.out.rfind("period_start,period_end,", 0) == 0);
}

TEST_CASE("Ctrl-C: the output ends with the last complete record and one line says it is incomplete") {
  sim::options o = window_ending_today(10);
  o.data.start_date.clear();  // the window ends today, as the real binary sees it
  o.faults.probability[static_cast<std::size_t>(sim::fault::slow)] = 1.0;
  o.faults.slow_ms = 100;
  sim::simulator server(o);
  REQUIRE(server.start());
  child c = spawn(built("tools/cli/finops-crawler"),
                  {"costs", "--last", "30d", "--group-by", "SERVICE", "--group-by", "LINKED_ACCOUNT", "--format", "csv"},
                  child_env(server));
  std::string out;
  // A few pages in (10 groups a page, 100 ms each), then SIGINT.
  read_until(c.out, out, [](const std::string& s) { return count_lines(s) >= 25; }, std::chrono::milliseconds(20000));
  REQUIRE(count_lines(out) >= 25);
  ::kill(c.pid, SIGINT);
  out += read_all(c.out);
  const std::string err = read_all(c.err);
  const int st = wait_status(c.pid);
  ::close(c.out);
  ::close(c.err);
  CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGINT));
  REQUIRE(!out.empty());
  CHECK(out.back() == '\n');
  std::istringstream lines(out);
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) {
    CAPTURE(line);
    CHECK(csv_fields(line) == 8);
    ++n;
  }
  CHECK(n < 30u * 20u);  // it really was interrupted
  CHECK(err.find("incomplete") != std::string::npos);
  CHECK(count_lines(err) == 1);
}

// ---------------------------------------------------------------------------
// A closed pipe: quiet, as for other Unix tools

TEST_CASE("a closed pipe ends costs and demo quietly, with the status of SIGPIPE") {
  sim::options o = window_ending_today(10);
  o.data.start_date.clear();
  sim::simulator server(o);
  REQUIRE(server.start());
  // Each command's output outlasts the reader: costs writes page by page
  // (rate-limited, 10 groups a page), the CSV demo more than a pipe holds
  // (64 KiB); the demo's tables are small and come at once, so for them the
  // reader goes away before reading anything (`| true`).
  struct command {
    std::vector<std::string> args;
    bool read_first;
  };
  const std::vector<command> commands{
      {{"costs", "--last", "30d", "--group-by", "SERVICE", "--group-by", "LINKED_ACCOUNT", "--format", "csv"}, true},
      {{"costs", "--last", "30d", "--group-by", "SERVICE", "--format", "ndjson"}, true},
      {{"demo"}, false},
      {{"demo", "--format", "csv", "--days", "400"}, true}};
  for (const auto& cmd : commands) {
    // Plain references, not structured bindings: CAPTURE's lambda cannot
    // name a structured binding in C++17 (clang refuses it).
    const std::vector<std::string>& args = cmd.args;
    const bool read_first = cmd.read_first;
    const std::string what = args[0] + " " + args.back();
    CAPTURE(what);
    child c = spawn(built("tools/cli/finops-crawler"), args, child_env(server));
    std::string out;
    if (read_first)
      read_until(c.out, out, [](const std::string& s) { return !s.empty(); }, std::chrono::milliseconds(20000));
    ::close(c.out);  // `| head -c 1`
    const std::string err = read_all(c.err);
    const int st = wait_status(c.pid);
    ::close(c.err);
    CHECK(closed_pipe_status(st));
    // Nothing but what the command says anyway (the demo's introduction
    // goes to stderr with --format csv): no failure message.
    CHECK_MESSAGE(err.find("fail") == std::string::npos, err);
    CHECK_MESSAGE(err.find("rror") == std::string::npos, err);
    if (args[0] == "costs") CHECK_MESSAGE(err.empty(), err);
  }
}

TEST_CASE("a FIFO whose reader goes away: exit 141 quietly, and the crawl stops") {
  ::signal(SIGPIPE, SIG_IGN);  // in-process: the error path, not the signal
  sim::simulator server(window_ending_today(5));
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  const std::string fifo = dir + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::thread reader([&] {
    const int fd = ::open(fifo.c_str(), O_RDONLY);
    if (fd < 0) return;
    char buf[64];
    (void)::read(fd, buf, sizeof buf);
    ::close(fd);
  });
  auto r = run({"costs", "--last", "50d", "--group-by", "SERVICE", "--group-by", "LINKED_ACCOUNT", "--format", "csv",
                "--output", fifo, "--endpoint-url", server.endpoint_url()},
               ctx);
  reader.join();
  CHECK(r.code == 141);
  CHECK_MESSAGE(r.err.empty(), r.err);
  CHECK(server.stats().billable < 50);  // stopped early (50 days x ~20 groups / 5 a page is ~200 pages)
  remove_tree(dir);
}

// ---------------------------------------------------------------------------
// --format table: cut only on a terminal; dates are never cut

TEST_CASE("--format table is cut only on a terminal, and never cuts the dates") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::vector<std::string> args{"costs", "--start", "2026-11-01", "--end", "2026-11-03", "--group-by", "SERVICE",
                                      "--group-by", "LINKED_ACCOUNT", "--metric", "UnblendedCost", "--metric",
                                      "UsageQuantity", "--format", "table", "--endpoint-url", server.endpoint_url()};
  auto piped = run(args, ctx);  // not a terminal
  REQUIRE(piped.code == 0);
  CHECK(piped.out.find("Amazon Elastic Compute Cloud - Compute") != std::string::npos);
  CHECK(piped.out.find('~') == std::string::npos);
  std::size_t widest = 0;
  std::string line;
  for (std::istringstream in(piped.out); std::getline(in, line);) widest = std::max(widest, line.size());
  CHECK(widest > 80);  // wider than the 80 columns it used to be cut to

  auto narrow = ctx;
  narrow.stdout_is_terminal = true;
  narrow.terminal_width = 30;
  auto term = run(args, narrow);
  REQUIRE(term.code == 0);
  std::istringstream lines(term.out);
  int dated = 0;
  while (std::getline(lines, line))
    if (line.rfind("2026-11-0", 0) == 0) {
      CAPTURE(line);
      CHECK((line.rfind("2026-11-01 ", 0) == 0 || line.rfind("2026-11-02 ", 0) == 0));
      ++dated;
    }
  CHECK(dated > 0);
  CHECK(term.out.find('~') != std::string::npos);  // the service names were cut instead
}

// ---------------------------------------------------------------------------
// --output FILE.EXT picks the format

TEST_CASE("--output takes the format from an unambiguous extension") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  const std::string dir = make_temp_dir();
  auto report = [&](const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> a{"costs", "--start", "2026-11-01", "--end", "2026-11-03", "--group-by", "SERVICE",
                               "--output", dir + "/" + name, "--endpoint-url", server.endpoint_url()};
    a.insert(a.end(), extra.begin(), extra.end());
    auto r = run(a, ctx);
    CHECK_MESSAGE(r.code == 0, r.err);
    return slurp(dir + "/" + name);
  };
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  const std::string json = report("out.json");
  CHECK(p.parse(json).get(doc) == simdjson::SUCCESS);
  CHECK(json.find("\"ResultsByTime\"") != std::string::npos);
  for (const char* name : {"out.ndjson", "out.jsonl", "OUT.NDJSON"}) {
    const std::string nd = report(name);
    REQUIRE(!nd.empty());
    CHECK(nd.front() == '{');
    CHECK(nd.find("\"period_start\"") != std::string::npos);
  }
  CHECK(report("out.csv").rfind("period_start,", 0) == 0);
  CHECK(report("report.txt").rfind("period_start,", 0) == 0);  // no rule: CSV, as before
  CHECK(report("forced.json", {"--format", "csv"}).rfind("period_start,", 0) == 0);  // --format wins
  remove_tree(dir);
}

// ---------------------------------------------------------------------------
// Help texts and "did you mean"

TEST_CASE("help texts name every placeholder and show the ranges") {
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  for (const char* cmd : {"costs", "demo", "dimensions", "accounts", "whoami"}) {
    CAPTURE(cmd);
    auto r = run({cmd, "--help"}, ctx);
    REQUIRE(r.code == 0);
    for (const char* generic : {" TEXT", " INT", " FLOAT", " UINT", ":TEXT", "4566"}) {
      CAPTURE(generic);
      CHECK(r.out.find(generic) == std::string::npos);
    }
  }
  auto costs = run({"costs", "--help"}, ctx);
  for (const char* s : {"--start DATE", "--end DATE", "--month YYYY-MM", "--output FILE", "--filter-json FILE",
                        "--cache DIR", "--ca-bundle FILE", "--endpoint-url URL", "1st"}) {
    CAPTURE(s);
    CHECK(costs.out.find(s) != std::string::npos);
  }
  auto demo = run({"demo", "--help"}, ctx);
  for (const char* s : {"--days N", "2..400", "--faults RATE", "0..0.5", "--top N", "1..8", "--accounts N", "1..50"}) {
    CAPTURE(s);
    CHECK(demo.out.find(s) != std::string::npos);
  }
}

TEST_CASE("case mistakes get a 'did you mean' and nothing is sent") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  struct mistake {
    std::vector<std::string> flags;
    const char* hint;
  };
  const std::vector<mistake> cases{{{"--group-by", "service"}, "did you mean SERVICE?"},
                                   {{"--group-by", "Linked_Account"}, "did you mean LINKED_ACCOUNT?"},
                                   {{"--group-by", "tag:Team"}, "did you mean TAG:Team?"},
                                   {{"--granularity", "monthly"}, "did you mean MONTHLY?"},
                                   {{"--filter", "service=AWS Lambda"}, "did you mean SERVICE?"},
                                   {{"--filter", "record_type=Usage"}, "did you mean RECORD_TYPE?"}};
  for (const auto& m : cases) {
    std::vector<std::string> a{"costs", "--last", "7d", "--endpoint-url", server.endpoint_url()};
    a.insert(a.end(), m.flags.begin(), m.flags.end());
    auto r = run(a, ctx);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(m.hint) != std::string::npos);
  }
  CHECK(server.stats().requests == 0);
}

TEST_CASE("--filter SERVICE=EC2 that matches nothing says so and suggests the nearest values") {
  sim::simulator server(window_ending_today());
  REQUIRE(server.start());
  auto env = sim_environment();
  auto ctx = test_context(env, today);
  auto r = run({"costs", "--last", "7d", "--group-by", "LINKED_ACCOUNT", "--filter", "SERVICE=EC2", "--format", "csv",
                "--progress", "--endpoint-url", server.endpoint_url()},
               ctx);
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(count_lines(r.out) == 1);  // the header alone
  CHECK(r.err.find("SERVICE=EC2 matched nothing") != std::string::npos);
  CHECK(r.err.find("Amazon Elastic Compute Cloud - Compute") != std::string::npos);
  CHECK(r.err.find("GetDimensionValues") != std::string::npos);
  // One page of costs and one of GetDimensionValues, both counted.
  CHECK(server.stats().billable == 2);
  CHECK(r.err.find("2 billable requests") != std::string::npos);

  // A filter that matches asks nothing more.
  const auto before = server.stats().billable;
  auto ok = run({"costs", "--last", "7d", "--group-by", "LINKED_ACCOUNT", "--filter", "SERVICE=AWS Lambda", "--format",
                 "csv", "--endpoint-url", server.endpoint_url()},
                ctx);
  CHECK(ok.code == 0);
  CHECK(ok.err.find("matched nothing") == std::string::npos);
  CHECK(server.stats().billable == before + 1);
}

// ---------------------------------------------------------------------------
// The simulator and the docs

TEST_CASE("the simulator's export lines set AWS_DEFAULT_REGION too") {
  child c = spawn(built("tools/ce-simulator/finops-crawler-sim"), {"--days", "5"}, {});
  std::string out;
  read_until(c.out, out, [](const std::string& s) { return s.find("AWS_SECRET_ACCESS_KEY") != std::string::npos; },
             std::chrono::milliseconds(10000));
  ::kill(c.pid, SIGTERM);
  out += read_all(c.out, std::chrono::milliseconds(5000));
  (void)wait_status(c.pid);
  ::close(c.out);
  ::close(c.err);
  CHECK(out.find("export AWS_REGION=us-east-1\n") != std::string::npos);
  CHECK(out.find("export AWS_DEFAULT_REGION=us-east-1\n") != std::string::npos);
}

TEST_CASE("POST /__sim/script works without a body (curl -X POST)") {
  sim::simulator server(window_ending_today());
  auto port = server.start();
  REQUIRE(port);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(*port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  // What `curl -X POST URL` sends: no body, no Content-Length.
  const std::string req = "POST /__sim/script?fault=throttling&count=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "User-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  REQUIRE(::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
  std::string reply = read_all(fd, std::chrono::milliseconds(5000));
  ::close(fd);
  CAPTURE(reply);
  CHECK(reply.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(reply.find("\"scripted\":2") != std::string::npos);
}

TEST_CASE("every tag key in the docs and examples is one the simulator serves") {
  const std::string root = FINOPS_CRAWLER_TEST_DIR "/..";
  const std::regex tag_flag(R"re(TAG:([A-Za-z0-9_.-]+))re");
  const std::regex tag_call(R"re(group_by::tag\("([^"]+)"\))re");
  std::size_t seen = 0;
  for (const char* f : {"README.md", "tools/cli/README.md", "tools/ce-simulator/README.md", "examples/example.cpp",
                        "examples/monthly_by_account.cpp", "tools/cli/cli.cpp"}) {
    const std::string text = slurp(root + "/" + f);
    REQUIRE(!text.empty());
    for (const std::regex* re : {&tag_flag, &tag_call})
      for (auto it = std::sregex_iterator(text.begin(), text.end(), *re); it != std::sregex_iterator(); ++it) {
        const std::string key = (*it)[1];
        if (key == "key") continue;  // the placeholder TAG:key
        CAPTURE(f);
        CAPTURE(key);
        CHECK(std::find(sim::tag_keys.begin(), sim::tag_keys.end(), key) != sim::tag_keys.end());
        ++seen;
      }
  }
  CHECK(seen >= 3);
}

TEST_CASE("the demo covers the days of the README's `costs --last 90d`") {
  const std::string readme = slurp(FINOPS_CRAWLER_TEST_DIR "/../README.md");
  REQUIRE(readme.find("finops-crawler costs --last 90d --group-by SERVICE") != std::string::npos);
  auto env = sim_environment();
  cli_context ctx = test_context(env, calendar_date::from_days(sim::today_utc()));
  auto r = run({"demo"}, ctx);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  period_flags p;
  p.last = "90d";
  auto range = resolve_period(p, calendar_date::from_days(sim::today_utc()));
  REQUIRE(range);
  const std::string expect = "Top services, " + range->start.to_string() + " to " + range->end.add_days(-1).to_string() +
                             " (90 days, USD)";
  CHECK_MESSAGE(r.out.find(expect) != std::string::npos, r.out.substr(0, 600));
}
