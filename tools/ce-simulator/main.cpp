// finops-crawler-sim: runs the local Cost Explorer simulator until SIGINT or
// SIGTERM, then prints its counters.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "simulator.hpp"

namespace sim = finops_crawler::sim;

namespace {

constexpr std::string_view usage_text =
    "usage: finops-crawler-sim [options]\n"
    "\n"
    "A local stand-in for AWS Cost Explorer, Organizations and STS on 127.0.0.1,\n"
    "serving deterministic synthetic data. Runs until Ctrl-C (SIGINT) or SIGTERM.\n"
    "\n"
    "  --port N                 port on 127.0.0.1 (default 0: any free port)\n"
    "  --seed N                 data and fault seed (default 1)\n"
    "  --accounts N             member accounts (default 3)\n"
    "  --days N                 days of data ending today (default 30)\n"
    "  --today YYYY-MM-DD       the day the data ends on instead of today (UTC)\n"
    "  --start-date YYYY-MM-DD  first day of data instead (window: days from it)\n"
    "  --revision N             redraw the days Cost Explorer may still revise\n"
    "                           (from the first day of the month before the last\n"
    "                           day); 0, the default: none\n"
    "  --page-size N            GetCostAndUsage groups per page (default 1000)\n"
    "  --faults RATE            chance 0..1 that a request fails (spread over\n"
    "                           throttling, limit_exceeded, internal_error,\n"
    "                           unavailable, connection_close, truncated_json,\n"
    "                           duplicate_key)\n"
    "  --fault NAME=P           chance of one kind (also slow, gzip)\n"
    "  --max-consecutive K      never more than K failures in a row for the\n"
    "                           same request (default 3)\n"
    "  --slow-ms N              delay of the slow fault (default 200)\n"
    "  --gzip                   gzip replies when the client accepts it\n"
    "  --not-in-organization    Organizations answers AWSOrganizationsNotInUseException\n"
    "  --access-key-id ID       accepted access key (default: a simulator key)\n"
    "  --secret-access-key S    its secret\n"
    "  --session-token T        require this session token\n"
    "  --threads N              worker threads (default 8)\n"
    "  -h, --help               this text\n"
    "\n"
    "Counters: GET /__sim/stats (JSON). Scripted faults:\n"
    "POST /__sim/script?fault=NAME&count=N fails the next N requests.\n";

bool parse_u64(const char* s, std::uint64_t& out) {
  if (s == nullptr || *s == '\0') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0' || s[0] == '-') return false;
  out = v;
  return true;
}

bool parse_int(const char* s, int lo, int hi, int& out) {
  std::uint64_t v = 0;
  if (!parse_u64(s, v) || v < static_cast<std::uint64_t>(lo) || v > static_cast<std::uint64_t>(hi)) return false;
  out = static_cast<int>(v);
  return true;
}

bool parse_rate(const char* s, double& out) {
  if (s == nullptr || *s == '\0') return false;
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (*end != '\0' || !(v >= 0.0 && v <= 1.0)) return false;
  out = v;
  return true;
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "finops-crawler-sim: %s\n(see --help)\n", msg.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  sim::options o;
  sim::credential cred;
  bool user_key = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto need = [&](bool ok) {
      ++i;
      return ok;
    };
    if (a == "-h" || a == "--help") {
      std::fwrite(usage_text.data(), 1, usage_text.size(), stdout);
      return 0;
    } else if (a == "--port") {
      if (!need(parse_int(v, 0, 65535, o.port))) return fail("--port needs 0..65535");
    } else if (a == "--seed") {
      if (!need(parse_u64(v, o.data.seed))) return fail("--seed needs a non-negative integer");
      o.faults.seed = o.data.seed;
    } else if (a == "--accounts") {
      if (!need(parse_int(v, 1, 10000, o.data.account_count))) return fail("--accounts needs 1..10000");
    } else if (a == "--days") {
      if (!need(parse_int(v, 1, 3660, o.data.days))) return fail("--days needs 1..3660");
    } else if (a == "--start-date") {
      std::int64_t d = 0;
      if (!need(v != nullptr && sim::parse_date(v, d))) return fail("--start-date needs YYYY-MM-DD");
      o.data.start_date = v;
    } else if (a == "--today") {
      std::int64_t d = 0;
      if (!need(v != nullptr && sim::parse_date(v, d))) return fail("--today needs YYYY-MM-DD");
      o.data.today = v;
    } else if (a == "--revision") {
      if (!need(parse_u64(v, o.data.revision))) return fail("--revision needs a non-negative integer");
    } else if (a == "--page-size") {
      int n = 0;
      if (!need(parse_int(v, 1, 1000000, n))) return fail("--page-size needs 1..1000000");
      o.page_size_groups = static_cast<std::size_t>(n);
    } else if (a == "--faults") {
      double r = 0;
      if (!need(parse_rate(v, r))) return fail("--faults needs a rate between 0 and 1");
      o.faults.set_failure_rate(r);
    } else if (a == "--fault") {
      if (!need(v != nullptr)) return fail("--fault needs NAME=P");
      const std::string_view nv = v;
      const auto eq = nv.find('=');
      sim::fault f;
      double p = 0;
      const std::string rate = eq == std::string_view::npos ? "" : std::string(nv.substr(eq + 1));
      if (eq == std::string_view::npos || !sim::parse_fault(nv.substr(0, eq), f) || !parse_rate(rate.c_str(), p))
        return fail("--fault needs NAME=P, NAME one of throttling, limit_exceeded, internal_error, unavailable, "
                    "connection_close, truncated_json, duplicate_key, slow, gzip");
      o.faults.probability[static_cast<std::size_t>(f)] = p;
    } else if (a == "--max-consecutive") {
      if (!need(parse_int(v, 0, 1000, o.faults.max_consecutive))) return fail("--max-consecutive needs 0..1000");
    } else if (a == "--slow-ms") {
      if (!need(parse_int(v, 0, 60000, o.faults.slow_ms))) return fail("--slow-ms needs 0..60000");
    } else if (a == "--gzip") {
      o.faults.probability[static_cast<std::size_t>(sim::fault::gzip)] = 1.0;
    } else if (a == "--not-in-organization") {
      o.not_in_organization = true;
    } else if (a == "--access-key-id") {
      if (!need(v != nullptr && *v != '\0')) return fail("--access-key-id needs a value");
      cred.access_key_id = v;
      user_key = true;
    } else if (a == "--secret-access-key") {
      if (!need(v != nullptr && *v != '\0')) return fail("--secret-access-key needs a value");
      cred.secret_access_key = v;
      user_key = true;
    } else if (a == "--session-token") {
      if (!need(v != nullptr && *v != '\0')) return fail("--session-token needs a value");
      cred.session_token = v;
    } else if (a == "--threads") {
      int n = 0;
      if (!need(parse_int(v, 1, 256, n))) return fail("--threads needs 1..256");
      o.threads = static_cast<std::size_t>(n);
    } else {
      return fail("unknown option '" + std::string(a) + "'");
    }
  }
  if (!o.data.today.empty() && !o.data.start_date.empty())
    return fail("--today and --start-date exclude each other (--start-date fixes the window, --today its end)");
  if (user_key && (cred.access_key_id.empty() || cred.secret_access_key.empty()))
    return fail("--access-key-id and --secret-access-key go together");
  if (!user_key) {
    cred.access_key_id = std::string(sim::default_access_key_id);
    cred.secret_access_key = std::string(sim::default_secret_access_key);
  }
  o.credentials.push_back(cred);

  // Block the signals before any thread starts so every thread inherits the
  // mask and sigwait() below is the only receiver.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  sim::simulator s(o);
  auto port = s.start();
  if (!port) {
    std::fprintf(stderr, "finops-crawler-sim: %s\n", port.error().describe().c_str());
    return 1;
  }
  const auto& ds = s.data();
  std::printf("listening on %s\n", s.endpoint_url().c_str());
  std::printf("data: seed %llu, %zu accounts, %zu services, %s .. %s (%d days)\n",
              static_cast<unsigned long long>(ds.seed()), ds.accounts().size(), ds.services().size(),
              sim::format_date(ds.first_day()).c_str(), sim::format_date(ds.end_day() - 1).c_str(),
              static_cast<int>(ds.end_day() - ds.first_day()));
  if (ds.revision() != 0)
    std::printf("revision %llu of the days from %s\n", static_cast<unsigned long long>(ds.revision()),
                sim::format_date(ds.revision_first_day()).c_str());
  std::printf("# paste into a shell to point finops-crawler (or the AWS CLI) here:\n");
  std::printf("export AWS_ENDPOINT_URL=%s\n", s.endpoint_url().c_str());
  std::printf("export AWS_REGION=us-east-1\n");
  // Both: botocore (the AWS CLI, boto3) reads AWS_DEFAULT_REGION, most SDKs AWS_REGION.
  std::printf("export AWS_DEFAULT_REGION=us-east-1\n");
  std::printf("export AWS_ACCESS_KEY_ID=%s\n", cred.access_key_id.c_str());
  // Why: the default secret is a public, simulator-only value; a secret the
  // user passed is never echoed.
  if (user_key) std::printf("export AWS_SECRET_ACCESS_KEY='<the secret you passed>'\n");
  else std::printf("export AWS_SECRET_ACCESS_KEY=%s\n", cred.secret_access_key.c_str());
  if (!cred.session_token.empty()) std::printf("export AWS_SESSION_TOKEN='<the token you passed>'\n");
  std::fflush(stdout);

  int sig = 0;
  sigwait(&set, &sig);
  std::printf("\nstopping on %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  std::fflush(stdout);
  s.stop();
  std::fputs(s.stats().to_text().c_str(), stdout);
  std::fflush(stdout);
  return 0;
}
