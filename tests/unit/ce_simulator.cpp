// finops-crawler-sim in process, tested over raw HTTP (cpp-httplib's client,
// requests signed with the library's SigV4 signer): auth, shapes of every
// operation, validation, pagination and token binding, each fault kind, the
// consecutive-fault cap, counters, and served data against the ground truth
// computed independently from synthetic_data.hpp. Network: 127.0.0.1 only;
// every loop is bounded.
#include "simulator.hpp"
#include "synthetic_data.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <simdjson.h>
#include <zlib.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "finops_crawler/aws/sigv4.hpp"

using namespace finops_crawler;
namespace s = finops_crawler::sim;

namespace {

constexpr const char* key_id = "AKIDTESTSIM000000001";
constexpr const char* secret = "test/secret/for/the/simulator/000000000";

s::options small_options() {
  s::options o;
  o.data.seed = 42;
  o.data.start_date = "2024-03-01";
  o.data.days = 6;
  o.data.account_count = 2;
  o.credentials.push_back(s::credential{key_id, secret, "", false, ""});
  o.credentials.push_back(s::credential{"AKIDEXPIREDSIM000001", "expired-secret", "", true, ""});
  o.credentials.push_back(s::credential{"ASIATEMPSIM000000001", "temp-secret", "the-session-token", false, ""});
  o.keep_alive_timeout_s = 1;
  return o;
}

struct reply {
  bool transport_ok = false;
  int status = 0;
  std::string body;
  httplib::Headers headers;
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A signed client for one simulator. One connection, kept alive.
class client {
 public:
  explicit client(int port) : port_(port), cli_("127.0.0.1", port) {
    cli_.set_keep_alive(true);
    cli_.set_tcp_nodelay(true);
    cli_.set_read_timeout(10, 0);
    cli_.set_decompress(false);
  }

  std::string key = key_id;
  std::string sec = secret;
  std::string token;
  bool sign = true;
  std::string accept_encoding;

  reply raw(const std::string& service, const std::string& target, const std::string& body,
            const std::string& content_type = "application/x-amz-json-1.1") {
    const std::string host = "127.0.0.1:" + std::to_string(port_);
    std::vector<sigv4::header> hs = {{"Host", host}, {"Content-Type", content_type}};
    if (!target.empty()) hs.push_back({"X-Amz-Target", target});
    httplib::Headers out;
    out.emplace("Host", host);
    if (!target.empty()) out.emplace("X-Amz-Target", target);
    if (!accept_encoding.empty()) out.emplace("Accept-Encoding", accept_encoding);
    if (sign) {
      sigv4::request_view rv{"POST", "/", "", sigv4::header_span(hs), body};
      sigv4::signing_params p;
      p.region = "us-east-1";
      p.service = service;
      auto sig = sigv4::sign_headers(rv, sigv4::credentials_view{key, sec, token}, p);
      REQUIRE(sig);
      for (const auto& h : sig->headers_to_add) out.emplace(h.name, h.value);
    }
    auto res = cli_.Post("/", out, body, content_type.c_str());
    reply r;
    if (!res) return r;
    r.transport_ok = true;
    r.status = res->status;
    r.body = res->body;
    r.headers = res->headers;
    return r;
  }

  reply ce(const std::string& op, const std::string& body) { return raw("ce", "AWSInsightsIndexService." + op, body); }
  reply org(const std::string& op, const std::string& body) {
    return raw("organizations", "AWSOrganizationsV20161128." + op, body);
  }
  reply sts() {
    return raw("sts", "", "Action=GetCallerIdentity&Version=2011-06-15",
               "application/x-www-form-urlencoded; charset=utf-8");
  }

 private:
  int port_;
  httplib::Client cli_;
};

// A parsed JSON body (DOM), kept alive with its parser.
struct json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool ok = false;
  explicit json(const std::string& text) { ok = !parser.parse(text).get(root); }
};

std::string str(simdjson::dom::element e, std::string_view k) {
  std::string_view v;
  if (e[k].get_string().get(v)) return "<missing " + std::string(k) + ">";
  return std::string(v);
}

std::string aws_type(const reply& r) {
  json j(r.body);
  if (!j.ok) return "<not json>";
  return str(j.root, "__type");
}

std::string aws_message(const reply& r) {
  json j(r.body);
  if (!j.ok) return "<not json>";
  return str(j.root, "message");
}

std::size_t arr_size(simdjson::dom::element e, std::string_view k) {
  simdjson::dom::array a;
  if (e[k].get_array().get(a)) return static_cast<std::size_t>(-1);
  return a.size();
}

// The array at `r`; fails the test when it is not one.
simdjson::dom::array as_array(simdjson::simdjson_result<simdjson::dom::element> r) {
  simdjson::dom::array a;
  REQUIRE_FALSE(r.get_array().get(a));
  return a;
}

// Keys joined with '|', as a map key.
std::string join_keys(simdjson::dom::element group) {
  std::string k;
  const simdjson::dom::array list_1 = as_array(group["Keys"]);
  for (auto v : list_1) {
    if (!k.empty()) k += '|';
    k += std::string(v.get_string().value_unsafe());
  }
  return k;
}

struct served_group {
  std::string period_start;
  std::string keys;
  std::string amount;
  std::string unit;
};

// Follows NextPageToken through every page (at most 200) and flattens groups.
// Records how many pages and whether a TimePeriod repeated across pages.
struct crawl {
  std::vector<served_group> groups;
  int pages = 0;
  bool period_split = false;
  std::string error;
};

crawl crawl_groups(client& c, const std::string& op, const std::string& body_without_token, const std::string& metric) {
  crawl out;
  std::string token;
  std::string last_period_prev_page;
  for (int page = 0; page < 200; ++page) {
    std::string body = body_without_token;
    if (!token.empty()) body.insert(body.size() - 1, ",\"NextPageToken\":\"" + token + "\"");
    reply r = c.ce(op, body);
    if (r.status != 200) {
      out.error = std::to_string(r.status) + " " + r.body;
      return out;
    }
    json j(r.body);
    if (!j.ok) {
      out.error = "bad json";
      return out;
    }
    ++out.pages;
    bool first_in_page = true;
    std::string last_period;
    const simdjson::dom::array list_2 = as_array(j.root["ResultsByTime"]);
    for (auto rbt : list_2) {
      const std::string start = str(rbt["TimePeriod"], "Start");
      if (first_in_page && start == last_period_prev_page) out.period_split = true;
      first_in_page = false;
      last_period = start;
      const simdjson::dom::array list_3 = as_array(rbt["Groups"]);
      for (auto g : list_3) {
        served_group sg;
        sg.period_start = start;
        sg.keys = join_keys(g);
        sg.amount = str(g["Metrics"][metric], "Amount");
        sg.unit = str(g["Metrics"][metric], "Unit");
        out.groups.push_back(sg);
      }
    }
    last_period_prev_page = last_period;
    std::string_view next;
    if (j.root["NextPageToken"].get_string().get(next)) return out;
    token = std::string(next);
  }
  out.error = "more than 200 pages";
  return out;
}

bool gunzip(const std::string& in, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[16384];
  int rc = Z_OK;
  for (int guard = 0; guard < 100000 && rc == Z_OK; ++guard) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END;
}

const std::string daily_by_service =
    R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-04"},"Granularity":"DAILY",)"
    R"("Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"}]})";

}  // namespace

// ---------------------------------------------------------------------------
// synthetic_data.hpp (no HTTP)
// ---------------------------------------------------------------------------

TEST_CASE("fixed10 parses and prints exact decimals") {
  const char* cases[][2] = {{"0", "0"},          {"-0", "0"},           {"1.50", "1.5"},
                            {"-0.0000000001", "-0.0000000001"}, {"123456789012.1234567891", "123456789012.1234567891"},
                            {"007", "7"},       {"-12.3400", "-12.34"}};
  for (auto& c : cases) {
    s::fixed10 f;
    CAPTURE(c[0]);
    REQUIRE(s::fixed10::parse(c[0], f));
    CHECK(f.to_string() == c[1]);
  }
  for (const char* bad : {"", "-", "1.", ".5", "1.12345678901", "1e5", "+1", "1,5", " 1"}) {
    s::fixed10 f;
    CAPTURE(bad);
    CHECK_FALSE(s::fixed10::parse(bad, f));
  }
  s::fixed10 a, b;
  REQUIRE(s::fixed10::parse("0.1", a));
  REQUIRE(s::fixed10::parse("0.2", b));
  CHECK((a + b).to_string() == "0.3");  // exact, unlike double
  REQUIRE(s::fixed10::parse("-0.3", b));
  CHECK((a + a + a + b).is_zero());
}

TEST_CASE("dates round-trip and reject invalid calendar dates") {
  std::int64_t d = 0;
  REQUIRE(s::parse_date("1970-01-01", d));
  CHECK(d == 0);
  REQUIRE(s::parse_date("2024-02-29", d));
  CHECK(s::format_date(d) == "2024-02-29");
  CHECK(s::format_date(d + 1) == "2024-03-01");
  CHECK(s::format_date(s::next_month_start(d)) == "2024-03-01");
  CHECK(s::format_date(s::month_start(d)) == "2024-02-01");
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024/01/01", "2024-1-01"}) {
    CAPTURE(bad);
    CHECK_FALSE(s::parse_date(bad, d));
  }
  for (std::int64_t day = -800; day < 80000; day += 97) {
    std::int64_t back = 0;
    REQUIRE(s::parse_date(s::format_date(day), back));
    CHECK(back == day);
  }
}

TEST_CASE("synthetic data is deterministic, seed-dependent and realistic") {
  s::data_options o;
  o.seed = 9;
  o.start_date = "2024-01-01";
  o.days = 5;
  o.account_count = 4;
  auto a = s::data_set::make(o);
  auto b = s::data_set::make(o);
  o.seed = 10;
  auto c = s::data_set::make(o);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(a->accounts()[0].id == b->accounts()[0].id);
  CHECK(a->accounts()[0].id != c->accounts()[0].id);
  for (const auto& acc : a->accounts()) {
    CHECK(acc.id.size() == 12);
    CHECK(acc.id.find_first_not_of("0123456789") == std::string::npos);
  }
  // Amounts: exact strings, at most 10 fractional digits, credits negative.
  bool saw_negative = false, saw_tax = false, saw_long_fraction = false;
  int differing = 0;
  for (const auto& acc : a->accounts())
    for (const auto& svc : a->services())
      for (const auto& u : svc.usage_types)
        for (std::int64_t day = a->first_day(); day < a->end_day(); ++day) {
          const std::string date = s::format_date(day);
          const std::string x = s::amount(a->seed(), a->presence_percent(), date, acc, svc, u, s::metric::unblended_cost);
          const std::string y = s::amount(b->seed(), b->presence_percent(), date, acc, svc, u, s::metric::unblended_cost);
          const std::string z = s::amount(10, c->presence_percent(), date, acc, svc, u, s::metric::unblended_cost);
          CHECK(x == y);
          differing += x != z;
          s::fixed10 f;
          REQUIRE(s::fixed10::parse(x, f));
          const auto dot = x.find('.');
          if (dot != std::string::npos) saw_long_fraction |= x.size() - dot - 1 >= 8;
          if (u.record_type == "Credit" && x != "0") {
            CHECK(x[0] == '-');
            saw_negative = true;
          }
          saw_tax |= svc.name == "Tax" && x != "0";
        }
  CHECK(saw_negative);
  CHECK(saw_tax);
  CHECK(saw_long_fraction);
  CHECK(differing > 0);
  // Bad options are refused with a message naming the field.
  s::data_options bad;
  bad.accounts = {s::account_def{"12345", "x", "x@example.com"}};
  auto r = s::data_set::make(bad);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("12345") != std::string::npos);
  bad = s::data_options{};
  bad.start_date = "2024-02-30";
  CHECK_FALSE(s::data_set::make(bad));
}

// ---------------------------------------------------------------------------
// Lifecycle and auth
// ---------------------------------------------------------------------------

TEST_CASE("start binds 127.0.0.1 on a free port; stop is idempotent") {
  s::simulator sim(small_options());
  CHECK(sim.port() == 0);
  auto port = sim.start();
  REQUIRE(port);
  CHECK(*port > 0);
  CHECK(sim.port() == *port);
  CHECK(sim.endpoint_url() == "http://127.0.0.1:" + std::to_string(*port));
  auto again = sim.start();
  CHECK_FALSE(again);
  CHECK(again.error().code == errc::invalid_argument);
  client c(*port);
  CHECK(c.sts().status == 200);
  sim.stop();
  sim.stop();
  client after(*port);
  CHECK_FALSE(after.sts().transport_ok);  // nobody listens any more
  CHECK_FALSE(sim.start());               // runs once
}

TEST_CASE("bad options make start fail with a message") {
  s::options o = small_options();
  o.data.days = 0;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE_FALSE(port);
  CHECK(port.error().message.find("days") != std::string::npos);
}

TEST_CASE("requests must carry a valid SigV4 signature") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  const std::string body = R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";

  client ok(*port);
  reply good = ok.ce("GetCostAndUsage", body);
  CHECK(good.status == 200);
  CHECK(good.header("Content-Type") == "application/x-amz-json-1.1");
  CHECK(good.header("x-amzn-RequestId").size() == 36);

  client unsigned_client(*port);
  unsigned_client.sign = false;
  reply r = unsigned_client.ce("GetCostAndUsage", body);
  CHECK(r.status == 403);
  CHECK(aws_type(r) == "MissingAuthenticationTokenException");
  CHECK(r.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException");
  CHECK(r.header("x-amzn-RequestId").size() == 36);

  client wrong_secret(*port);
  wrong_secret.sec = "not-the-secret";
  r = wrong_secret.ce("GetCostAndUsage", body);
  CHECK(r.status == 403);
  CHECK(aws_type(r) == "InvalidSignatureException");
  CHECK(aws_message(r).rfind("The request signature we calculated does not match the signature you provided", 0) == 0);
  CHECK(r.body.find("not-the-secret") == std::string::npos);

  client unknown(*port);
  unknown.key = "AKIDUNKNOWN000000000";
  r = unknown.ce("GetCostAndUsage", body);
  CHECK(r.status == 403);
  CHECK(aws_type(r) == "UnrecognizedClientException");
  CHECK(aws_message(r) == "The security token included in the request is invalid.");

  client expired(*port);
  expired.key = "AKIDEXPIREDSIM000001";
  expired.sec = "expired-secret";
  r = expired.ce("GetCostAndUsage", body);
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "ExpiredTokenException");

  client temp(*port);
  temp.key = "ASIATEMPSIM000000001";
  temp.sec = "temp-secret";
  r = temp.ce("GetCostAndUsage", body);  // token required but missing
  CHECK(r.status == 403);
  CHECK(aws_type(r) == "UnrecognizedClientException");
  temp.token = "wrong-token";
  CHECK(temp.ce("GetCostAndUsage", body).status == 403);
  temp.token = "the-session-token";
  CHECK(temp.ce("GetCostAndUsage", body).status == 200);

  // Signed for the wrong service: the scope does not match.
  reply scoped = ok.raw("organizations", "AWSInsightsIndexService.GetCostAndUsage", body);
  CHECK(scoped.status == 403);

  // A body changed after signing.
  client tamper(*port);
  const std::string host = "127.0.0.1:" + std::to_string(*port);
  std::vector<sigv4::header> hs = {{"Host", host}, {"Content-Type", "application/x-amz-json-1.1"},
                                   {"X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage"}};
  sigv4::signing_params p;
  p.region = "us-east-1";
  p.service = "ce";
  auto sig = sigv4::sign_headers(sigv4::request_view{"POST", "/", "", sigv4::header_span(hs), body},
                                 sigv4::credentials_view{key_id, secret, ""}, p);
  REQUIRE(sig);
  httplib::Client raw("127.0.0.1", *port);
  httplib::Headers h{{"Host", host}, {"X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage"}};
  for (const auto& x : sig->headers_to_add) h.emplace(x.name, x.value);
  auto res = raw.Post("/", h, body + " ", "application/x-amz-json-1.1");
  REQUIRE(res);
  CHECK(res->status == 403);

  const auto st = sim.stats();
  CHECK(st.auth_failures == 8);
  CHECK(st.billable == 2);
}

TEST_CASE("STS GetCallerIdentity answers the query protocol in XML") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply r = c.sts();
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Type").rfind("text/xml", 0) == 0);
  const std::string account = sim.data().accounts()[0].id;
  CHECK(r.body.find("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">") !=
        std::string::npos);
  CHECK(r.body.find("<Account>" + account + "</Account>") != std::string::npos);
  CHECK(r.body.find("<Arn>arn:aws:iam::" + account + ":user/finops-sim</Arn>") != std::string::npos);
  CHECK(r.body.find("<UserId>AIDA") != std::string::npos);
  CHECK(r.body.find("<RequestId>" + r.header("x-amzn-RequestId") + "</RequestId>") != std::string::npos);

  // XML is not compressed unless the gzip fault asks for it (AWS does not gzip STS).
  c.accept_encoding = "gzip";
  reply plain = c.sts();
  CHECK(plain.status == 200);
  CHECK(plain.header("Content-Encoding").empty());
  CHECK(plain.body.find("<Account>" + account + "</Account>") != std::string::npos);
  sim.script_faults(s::fault::gzip, 1);
  reply zipped = c.sts();
  CHECK(zipped.header("Content-Encoding") == "gzip");
  std::string xml;
  CHECK(gunzip(zipped.body, xml));
  CHECK(xml.find("<Account>" + account + "</Account>") != std::string::npos);
  c.accept_encoding.clear();

  c.sec = "bad";
  r = c.sts();
  CHECK(r.status == 403);
  CHECK(r.body.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
  c.sec = secret;
  r = c.raw("sts", "", "Action=AssumeRole&Version=2011-06-15", "application/x-www-form-urlencoded");
  CHECK(r.status == 400);
  CHECK(r.body.find("<Code>InvalidAction</Code>") != std::string::npos);
  CHECK(sim.stats().billable == 0);  // STS is free
}

// ---------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------

TEST_CASE("GetCostAndUsage without GroupBy: Total holds figures, Groups empty, zeros outside the data") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  // The data covers 2024-03-01..06; ask for two days more.
  reply r = c.ce("GetCostAndUsage",
                 R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-09"},"Granularity":"DAILY",)"
                 R"("Metrics":["UnblendedCost","UsageQuantity","NormalizedUsageAmount"]})");
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  CHECK(j.root["GroupDefinitions"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(j.root["NextPageToken"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(arr_size(j.root, "DimensionValueAttributes") == 0);
  REQUIRE(arr_size(j.root, "ResultsByTime") == 8);
  int i = 0;
  const simdjson::dom::array list_4 = as_array(j.root["ResultsByTime"]);
  for (auto rbt : list_4) {
    CAPTURE(i);
    CHECK(arr_size(rbt, "Groups") == 0);
    CHECK(str(rbt["TimePeriod"], "Start") == s::format_date(sim.data().first_day() + i));
    CHECK(str(rbt["TimePeriod"], "End") == s::format_date(sim.data().first_day() + i + 1));
    CHECK(str(rbt["Total"]["UnblendedCost"], "Unit") == "USD");
    CHECK(str(rbt["Total"]["UsageQuantity"], "Unit") == "N/A");  // hours and requests mixed
    bool estimated = false;
    REQUIRE_FALSE(rbt["Estimated"].get_bool().get(estimated));
    CHECK(estimated == (i == 4 || i == 5));  // the last two days of the data window
    if (i >= 6) {
      CHECK(str(rbt["Total"]["UnblendedCost"], "Amount") == "0");
      CHECK(str(rbt["Total"]["UsageQuantity"], "Amount") == "0");
    } else {
      CHECK(str(rbt["Total"]["UnblendedCost"], "Amount") != "0");
    }
    ++i;
  }
  // MONTHLY clips the first and last months to the period.
  r = c.ce("GetCostAndUsage", R"({"TimePeriod":{"Start":"2024-02-20","End":"2024-04-02"},"Granularity":"MONTHLY","Metrics":["BlendedCost"]})");
  REQUIRE(r.status == 200);
  json m(r.body);
  REQUIRE(m.ok);
  REQUIRE(arr_size(m.root, "ResultsByTime") == 3);
  const simdjson::dom::array periods = as_array(m.root["ResultsByTime"]);
  CHECK(str(periods.at(0)["TimePeriod"], "Start") == "2024-02-20");
  CHECK(str(periods.at(0)["TimePeriod"], "End") == "2024-03-01");
  CHECK(str(periods.at(0)["Total"]["BlendedCost"], "Amount") == "0");
  CHECK(str(periods.at(1)["TimePeriod"], "End") == "2024-04-01");
  CHECK(str(periods.at(2)["TimePeriod"], "End") == "2024-04-02");
}

TEST_CASE("GetCostAndUsage with GroupBy: Total {}, GroupDefinitions echoed, account names attached") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply r = c.ce("GetCostAndUsage",
                 R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
                 R"("GroupBy":[{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"},{"Type":"TAG","Key":"Environment"}]})");
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  REQUIRE(arr_size(j.root, "GroupDefinitions") == 2);
  CHECK(str(j.root["GroupDefinitions"].at(0), "Type") == "DIMENSION");
  CHECK(str(j.root["GroupDefinitions"].at(0), "Key") == "LINKED_ACCOUNT");
  CHECK(str(j.root["GroupDefinitions"].at(1), "Type") == "TAG");
  CHECK(str(j.root["GroupDefinitions"].at(1), "Key") == "Environment");
  simdjson::dom::element rbt;
  REQUIRE_FALSE(j.root["ResultsByTime"].at(0).get(rbt));
  simdjson::dom::object total;
  REQUIRE_FALSE(rbt["Total"].get_object().get(total));
  CHECK(total.size() == 0);
  CHECK(arr_size(rbt, "Groups") > 0);
  bool untagged = false;
  const simdjson::dom::array list_5 = as_array(rbt["Groups"]);
  for (auto g : list_5) {
    const std::string k = join_keys(g);
    CHECK(k.find("|Environment$") != std::string::npos);
    untagged |= k.size() >= 13 && k.compare(k.size() - 13, 13, "|Environment$") == 0;
  }
  CHECK(untagged);  // lines without resources have no tags
  REQUIRE(arr_size(j.root, "DimensionValueAttributes") == 2);
  const simdjson::dom::array list_6 = as_array(j.root["DimensionValueAttributes"]);
  for (auto a : list_6) {
    const int idx = sim.data().account_index(str(a, "Value"));
    REQUIRE(idx >= 0);
    CHECK(str(a["Attributes"], "description") == sim.data().accounts()[static_cast<std::size_t>(idx)].name);
  }
}

TEST_CASE("GetCostAndUsageWithResources: RESOURCE_ID groups, last 14 days only, Filter required") {
  s::options o = small_options();
  o.data.days = 30;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const std::string last = s::format_date(sim.data().end_day() - 1);
  const std::string end = s::format_date(sim.data().end_day());
  const std::string filter = R"("Filter":{"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Compute Cloud - Compute"]}})";
  reply r = c.ce("GetCostAndUsageWithResources",
                 R"({"TimePeriod":{"Start":")" + last + R"(","End":")" + end +
                     R"("},"Granularity":"DAILY","Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"RESOURCE_ID"}],)" +
                     filter + "}");
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  bool instance = false, none = false;
  const simdjson::dom::array list_7 = as_array(j.root["ResultsByTime"].at(0)["Groups"]);
  for (auto g : list_7) {
    const std::string k = join_keys(g);
    instance |= k.rfind("i-0", 0) == 0;
    none |= k == "NoResourceId";  // the credit line has no resource
  }
  CHECK(instance);
  CHECK(none);
  const std::string old = s::format_date(sim.data().end_day() - 20);
  r = c.ce("GetCostAndUsageWithResources", R"({"TimePeriod":{"Start":")" + old + R"(","End":")" + end +
                                               R"("},"Granularity":"DAILY","Metrics":["UnblendedCost"],)" + filter + "}");
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "ValidationException");
  CHECK(aws_message(r).find("14 days") != std::string::npos);
  r = c.ce("GetCostAndUsageWithResources",
           R"({"TimePeriod":{"Start":")" + last + R"(","End":")" + end + R"("},"Granularity":"DAILY","Metrics":["UnblendedCost"]})");
  CHECK(r.status == 400);
  CHECK(aws_message(r).find("filter") != std::string::npos);
  // RESOURCE_ID is not a GetCostAndUsage grouping.
  r = c.ce("GetCostAndUsage", R"({"TimePeriod":{"Start":")" + last + R"(","End":")" + end +
                                  R"("},"Granularity":"DAILY","Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"RESOURCE_ID"}]})");
  CHECK(r.status == 400);
}

TEST_CASE("GetDimensionValues: values, attributes, sizes and pages") {
  s::options o = small_options();
  o.data.account_count = 5;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const std::string period = R"("TimePeriod":{"Start":"2024-03-01","End":"2024-03-07"})";
  reply r = c.ce("GetDimensionValues", "{" + period + R"(,"Dimension":"LINKED_ACCOUNT","MaxResults":2})");
  REQUIRE(r.status == 200);
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    json j(r.body);
    REQUIRE(j.ok);
    std::uint64_t total = 0, ret = 0;
    REQUIRE_FALSE(j.root["TotalSize"].get_uint64().get(total));
    REQUIRE_FALSE(j.root["ReturnSize"].get_uint64().get(ret));
    CHECK(total == 5);
    CHECK(ret == arr_size(j.root, "DimensionValues"));
    const simdjson::dom::array list_8 = as_array(j.root["DimensionValues"]);
    for (auto v : list_8) {
      const std::string id = str(v, "Value");
      const int idx = sim.data().account_index(id);
      REQUIRE(idx >= 0);
      CHECK(str(v["Attributes"], "description") == sim.data().accounts()[static_cast<std::size_t>(idx)].name);
      seen.push_back(id);
    }
    std::string_view next;
    if (j.root["NextPageToken"].get_string().get(next)) break;
    r = c.ce("GetDimensionValues", "{" + period + R"(,"Dimension":"LINKED_ACCOUNT","MaxResults":2,"NextPageToken":")" +
                                       std::string(next) + "\"}");
    REQUIRE(r.status == 200);
  }
  CHECK(seen.size() == 5);
  r = c.ce("GetDimensionValues", "{" + period + R"(,"Dimension":"RECORD_TYPE"})");
  REQUIRE(r.status == 200);
  json rt(r.body);
  REQUIRE(rt.ok);
  std::vector<std::string> types;
  const simdjson::dom::array type_list = as_array(rt.root["DimensionValues"]);
  for (auto v : type_list) types.push_back(str(v, "Value"));
  CHECK(types == std::vector<std::string>{"Credit", "Tax", "Usage"});
  r = c.ce("GetDimensionValues", "{" + period + R"(,"Dimension":"SERVICE","SearchString":"amazon s"})");
  json sv(r.body);
  REQUIRE(sv.ok);
  REQUIRE(arr_size(sv.root, "DimensionValues") == 1);
  CHECK(str(sv.root["DimensionValues"].at(0), "Value") == "Amazon Simple Storage Service");
  r = c.ce("GetDimensionValues", "{" + period + R"(,"Dimension":"COLOUR"})");
  CHECK(aws_type(r) == "ValidationException");
}

TEST_CASE("GetCostForecast: Total and per-period mean with bounds") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const std::string today = s::format_date(sim.data().end_day() - 1);
  const std::string later = s::format_date(sim.data().end_day() + 4);
  reply r = c.ce("GetCostForecast", R"({"TimePeriod":{"Start":")" + today + R"(","End":")" + later +
                                        R"("},"Metric":"UNBLENDED_COST","Granularity":"DAILY","PredictionIntervalLevel":90})");
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  CHECK(str(j.root["Total"], "Unit") == "USD");
  REQUIRE(arr_size(j.root, "ForecastResultsByTime") == 5);
  s::fixed10 sum, total;
  const simdjson::dom::array list_9 = as_array(j.root["ForecastResultsByTime"]);
  for (auto f : list_9) {
    s::fixed10 mean, lo, hi;
    REQUIRE(s::fixed10::parse(str(f, "MeanValue"), mean));
    REQUIRE(s::fixed10::parse(str(f, "PredictionIntervalLowerBound"), lo));
    REQUIRE(s::fixed10::parse(str(f, "PredictionIntervalUpperBound"), hi));
    CHECK(lo < mean);
    CHECK(mean < hi);
    sum += mean;
  }
  REQUIRE(s::fixed10::parse(str(j.root["Total"], "Amount"), total));
  CHECK(total == sum);
  r = c.ce("GetCostForecast", R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-03"},"Metric":"UNBLENDED_COST","Granularity":"DAILY"})");
  CHECK(aws_type(r) == "ValidationException");  // starts in the past
  r = c.ce("GetCostForecast", R"({"TimePeriod":{"Start":")" + later + R"(","End":")" + today +
                                  R"("},"Metric":"UNBLENDED_COST","Granularity":"DAILY"})");
  CHECK(aws_message(r).find("must be before requested End") != std::string::npos);
  r = c.ce("GetCostForecast", R"({"TimePeriod":{"Start":")" + today + R"(","End":")" + later +
                                  R"("},"Metric":"UnblendedCost","Granularity":"DAILY"})");
  CHECK(aws_type(r) == "ValidationException");  // forecasts take UPPER_SNAKE metrics
}

TEST_CASE("Organizations: ListAccounts pages, DescribeAccount, not in an organization") {
  s::options o = small_options();
  o.data.account_count = 5;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  for (; pages < 10; ++pages) {
    reply r = c.org("ListAccounts", token.empty() ? R"({"MaxResults":2})"
                                                  : R"({"MaxResults":2,"NextToken":")" + token + "\"}");
    REQUIRE(r.status == 200);
    json j(r.body);
    REQUIRE(j.ok);
    const simdjson::dom::array list_10 = as_array(j.root["Accounts"]);
    for (auto a : list_10) {
      ids.push_back(str(a, "Id"));
      CHECK(str(a, "Status") == "ACTIVE");
      CHECK(str(a, "Arn").rfind("arn:aws:organizations::" + sim.data().accounts()[0].id + ":account/o-", 0) == 0);
      CHECK(str(a, "Email").find('@') != std::string::npos);
      double joined = 0;
      CHECK_FALSE(a["JoinedTimestamp"].get_double().get(joined));
      CHECK(joined > 1.5e9);
      CHECK(!str(a, "JoinedMethod").empty());
    }
    std::string_view next;
    if (j.root["NextToken"].get_string().get(next)) break;
    token = std::string(next);
  }
  CHECK(pages == 2);  // 2 + 2 + 1
  REQUIRE(ids.size() == 5);
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == sim.data().accounts()[i].id);

  reply r = c.org("ListAccounts", R"({"MaxResults":2,"NextToken":"bm90LWEtdG9rZW4="})");
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "InvalidInputException");
  r = c.org("DescribeAccount", R"({"AccountId":")" + ids[3] + "\"}");
  REQUIRE(r.status == 200);
  json d(r.body);
  REQUIRE(d.ok);
  CHECK(str(d.root["Account"], "Id") == ids[3]);
  CHECK(str(d.root["Account"], "Name") == sim.data().accounts()[3].name);
  std::string unknown = ids[0] == "000000000000" ? "000000000001" : "000000000000";
  r = c.org("DescribeAccount", R"({"AccountId":")" + unknown + "\"}");
  CHECK(aws_type(r) == "AccountNotFoundException");
  r = c.org("DescribeAccount", R"({"AccountId":"12"})");
  CHECK(aws_type(r) == "InvalidInputException");
  CHECK(sim.stats().billable == 0);  // Organizations calls are free

  s::options lone = small_options();
  lone.not_in_organization = true;
  s::simulator alone(lone);
  auto p2 = alone.start();
  REQUIRE(p2);
  client c2(*p2);
  r = c2.org("ListAccounts", "{}");
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "AWSOrganizationsNotInUseException");
  CHECK(r.header("x-amzn-ErrorType") == "AWSOrganizationsNotInUseException");
  CHECK(c2.org("DescribeAccount", R"({"AccountId":"123456789012"})").status == 400);
}

TEST_CASE("validation errors are AWS-shaped ValidationExceptions") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  struct bad_case {
    const char* body;
    const char* type;
    const char* in_message;
  };
  const bad_case cases[] = {
      {R"({"TimePeriod":{"Start":"2024-3-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})",
       "ValidationException", "regular expression pattern"},
      {R"({"TimePeriod":{"Start":"2024-02-30","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})",
       "ValidationException", "2024-02-30"},
      {R"({"TimePeriod":{"Start":"2024-03-02","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})",
       "ValidationException", "Start date (and hour) should be before end date (and hour)"},
      {R"({"TimePeriod":{"Start":"2024-03-03","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})",
       "ValidationException", "should be before"},
      {R"({"Granularity":"DAILY","Metrics":["UnblendedCost"]})", "ValidationException", "timePeriod"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"WEEKLY","Metrics":["UnblendedCost"]})",
       "ValidationException", "granularity"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["Dollars"]})",
       "ValidationException", "Dollars"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":[]})",
       "ValidationException", "at least one"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
       R"("GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"},{"Type":"DIMENSION","Key":"REGION"},{"Type":"DIMENSION","Key":"USAGE_TYPE"}]})",
       "ValidationException", "up to two"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
       R"("GroupBy":[{"Type":"DIMENSION","Key":"FLAVOUR"}]})",
       "ValidationException", "FLAVOUR"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
       R"("NextPageToken":"bogus"})",
       "ValidationException", "NextPageToken"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
       R"("Filter":{"And":[{"Dimensions":{"Key":"SERVICE","Values":["Tax"]}}]}})",
       "ValidationException", "at least 2"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
       R"("Filter":{"Dimensions":{"Key":"SERVICE","Values":["Tax"]},"Not":{"Dimensions":{"Key":"SERVICE","Values":["Tax"]}}}})",
       "ValidationException", "more than one"},
      {R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":"UnblendedCost"})",
       "SerializationException", "list"},
      {R"({"TimePeriod":)", "SerializationException", "JSON"},
  };
  for (const auto& bc : cases) {
    CAPTURE(bc.body);
    reply r = c.ce("GetCostAndUsage", bc.body);
    CHECK(r.status == 400);
    CHECK(aws_type(r) == bc.type);
    CHECK(r.header("x-amzn-ErrorType") == bc.type);
    CHECK(aws_message(r).find(bc.in_message) != std::string::npos);
  }
  reply r = c.ce("GetCostAndUsageAndMore", "{}");
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "UnknownOperationException");
  r = c.raw("ce", "AWSInsightsIndexService.GetCostAndUsage", "{}", "application/json");
  CHECK(r.status == 400);
  CHECK(sim.stats().billable == 0);
}

TEST_CASE("qualified_error_types adds the namespace and URL parts real services send") {
  s::options o = small_options();
  o.qualified_error_types = true;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply r = c.ce("GetCostAndUsage", R"({"Granularity":"DAILY","Metrics":["UnblendedCost"]})");
  CHECK(aws_type(r) == "com.amazon.coral.validate#ValidationException");
  CHECK(r.header("x-amzn-ErrorType").rfind("ValidationException:http", 0) == 0);
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

TEST_CASE("pagination splits a day across pages, repeating its TimePeriod, and loses nothing") {
  s::options o = small_options();
  o.page_size_groups = 5;  // 7 services a day: every day spills onto the next page
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  crawl cr = crawl_groups(c, "GetCostAndUsage", daily_by_service, "UnblendedCost");
  REQUIRE(cr.error.empty());
  CHECK(cr.period_split);
  s::query q;
  q.start_day = sim.data().first_day();
  q.end_day = q.start_day + 3;
  q.metrics = {s::metric::unblended_cost};
  q.group_by = {s::group_def{false, s::dimension::service, ""}};
  const auto truth = s::ground_truth(sim.data(), q);
  std::size_t expected = 0;
  for (const auto& p : truth) expected += p.groups.size();
  CHECK(cr.groups.size() == expected);
  CHECK(cr.pages == static_cast<int>((expected + 4) / 5));
  std::size_t k = 0;
  for (const auto& p : truth)
    for (const auto& g : p.groups) {
      REQUIRE(k < cr.groups.size());
      CHECK(cr.groups[k].period_start == s::format_date(p.start_day));
      CHECK(cr.groups[k].keys == g.keys[0]);
      CHECK(cr.groups[k].amount == g.metrics[0].amount.to_string());
      ++k;
    }
  CHECK(sim.stats().billable == static_cast<std::uint64_t>(cr.pages));
}

TEST_CASE("page tokens are opaque and bound to the request") {
  s::options o = small_options();
  o.page_size_groups = 4;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply first = c.ce("GetCostAndUsage", daily_by_service);
  REQUIRE(first.status == 200);
  json j(first.body);
  REQUIRE(j.ok);
  std::string_view tv;
  REQUIRE_FALSE(j.root["NextPageToken"].get_string().get(tv));
  const std::string token(tv);
  CHECK(token.find("4") == token.find("4"));  // opaque: nothing to assert on its text but that it exists
  auto with_token = [&](std::string body, const std::string& t) {
    body.insert(body.size() - 1, ",\"NextPageToken\":\"" + t + "\"");
    return body;
  };
  // Replayed with the same request: the same second page, twice.
  reply a = c.ce("GetCostAndUsage", with_token(daily_by_service, token));
  reply b = c.ce("GetCostAndUsage", with_token(daily_by_service, token));
  REQUIRE(a.status == 200);
  CHECK(a.body == b.body);
  // Member order does not matter; the content does.
  const std::string reordered =
      R"({"Metrics":["UnblendedCost"],"Granularity":"DAILY","GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"}],)"
      R"("TimePeriod":{"Start":"2024-03-01","End":"2024-03-04"}})";
  CHECK(c.ce("GetCostAndUsage", with_token(reordered, token)).body == a.body);
  const std::string other_metric =
      R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-04"},"Granularity":"DAILY",)"
      R"("Metrics":["BlendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"}]})";
  const std::string other_period =
      R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-05"},"Granularity":"DAILY",)"
      R"("Metrics":["UnblendedCost"],"GroupBy":[{"Type":"DIMENSION","Key":"SERVICE"}]})";
  for (const std::string& body : {other_metric, other_period}) {
    reply r = c.ce("GetCostAndUsage", with_token(body, token));
    CHECK(r.status == 400);
    CHECK(aws_type(r) == "ValidationException");
    CHECK(aws_message(r).find("NextPageToken") != std::string::npos);
  }
  // A token for another operation is refused too.
  reply r = c.ce("GetDimensionValues",
                 with_token(R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-04"},"Dimension":"SERVICE"})", token));
  CHECK(aws_type(r) == "ValidationException");
  // Tampered: flip one character.
  std::string bad = token;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'A' ? 'B' : 'A';
  r = c.ce("GetCostAndUsage", with_token(daily_by_service, bad));
  CHECK(aws_type(r) == "ValidationException");
}

// ---------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------

TEST_CASE("each scripted fault kind is observable, then service resumes") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const std::string body =
      R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-03"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";
  reply normal = c.ce("GetCostAndUsage", body);
  REQUIRE(normal.status == 200);

  sim.script_faults(s::fault::throttling, 1);
  reply r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "ThrottlingException");
  CHECK(aws_message(r) == "Rate exceeded");

  sim.script_faults(s::fault::limit_exceeded, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 400);
  CHECK(aws_type(r) == "LimitExceededException");
  CHECK(aws_message(r) == "Rate limit exceeded");

  sim.script_faults(s::fault::internal_error, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 500);
  CHECK(aws_type(r) == "InternalServerError");

  sim.script_faults(s::fault::unavailable, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 503);
  CHECK(r.header("Content-Type").rfind("text/html", 0) == 0);
  CHECK(r.body.find("<html>") != std::string::npos);

  sim.script_faults(s::fault::truncated_json, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 200);
  CHECK(r.body.size() == normal.body.size() / 2);
  CHECK(r.body == normal.body.substr(0, normal.body.size() / 2));
  CHECK_FALSE(json(r.body).ok);

  sim.script_faults(s::fault::connection_close, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK_FALSE(r.transport_ok);  // Content-Length promised more than arrived

  sim.script_faults(s::fault::slow, 1);
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 200);
  CHECK(r.body == normal.body);

  sim.script_faults(s::fault::gzip, 1);
  c.accept_encoding = "gzip";
  r = c.ce("GetCostAndUsage", body);
  CHECK(r.status == 200);
  CHECK(r.header("Content-Encoding") == "gzip");
  REQUIRE(r.body.size() > 2);
  CHECK(static_cast<unsigned char>(r.body[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(r.body[1]) == 0x8b);
  std::string inflated;
  CHECK(gunzip(r.body, inflated));
  CHECK(inflated == normal.body);
  c.accept_encoding.clear();

  // Scripts queue in order, then the service is back to normal.
  sim.script_faults(s::fault::throttling, 2);
  sim.script_faults(s::fault::internal_error, 1);
  CHECK(c.ce("GetCostAndUsage", body).status == 400);
  CHECK(c.ce("GetCostAndUsage", body).status == 400);
  CHECK(c.ce("GetCostAndUsage", body).status == 500);
  CHECK(c.ce("GetCostAndUsage", body).body == normal.body);
  sim.script_faults(s::fault::throttling, 5);
  sim.clear_script();
  CHECK(c.ce("GetCostAndUsage", body).status == 200);

  const auto st = sim.stats();
  CHECK(st.faults[static_cast<std::size_t>(s::fault::throttling)] == 3);
  CHECK(st.faults[static_cast<std::size_t>(s::fault::internal_error)] == 2);
  for (auto f : {s::fault::limit_exceeded, s::fault::unavailable, s::fault::truncated_json, s::fault::connection_close,
                 s::fault::slow, s::fault::gzip})
    CHECK(st.faults[static_cast<std::size_t>(f)] == 1);
  CHECK(st.billable == 5);  // normal, slow, gzip and the two after the scripts
  CHECK(st.requests == 14);
  CHECK(st.connections >= 2);  // connection_close forced a reconnect
}

TEST_CASE("scripted faults answer STS in its XML error form") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  sim.script_faults(s::fault::throttling, 1);
  reply r = c.sts();
  CHECK(r.status == 400);
  CHECK(r.body.find("<Code>Throttling</Code>") != std::string::npos);
  CHECK(c.sts().status == 200);
}

TEST_CASE("random faults never fail the same request more than K times in a row") {
  s::options o = small_options();
  o.faults.probability[static_cast<std::size_t>(s::fault::throttling)] = 1.0;  // every attempt wants to fail
  o.faults.max_consecutive = 2;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const std::string a =
      R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";
  const std::string b =
      R"({"TimePeriod":{"Start":"2024-03-02","End":"2024-03-03"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";
  for (int round = 0; round < 3; ++round) {
    CAPTURE(round);
    CHECK(c.ce("GetCostAndUsage", a).status == 400);
    CHECK(c.ce("GetCostAndUsage", b).status == 400);  // a different request has its own count
    CHECK(c.ce("GetCostAndUsage", a).status == 400);
    CHECK(c.ce("GetCostAndUsage", a).status == 200);  // attempt K+1
    CHECK(c.ce("GetCostAndUsage", b).status == 400);
    CHECK(c.ce("GetCostAndUsage", b).status == 200);
  }
  CHECK(sim.stats().faults[static_cast<std::size_t>(s::fault::throttling)] == 12);
}

TEST_CASE("random faults are reproducible from the seed and a client with K+1 attempts always succeeds") {
  auto run = [](std::uint64_t seed, std::vector<int>& statuses) {
    s::options o = small_options();
    o.faults.seed = seed;
    o.faults.set_failure_rate(0.6);
    o.faults.max_consecutive = 3;
    s::simulator sim(o);
    auto port = sim.start();
    REQUIRE(port);
    int successes = 0;
    for (int day = 1; day <= 6; ++day) {
      const std::string d0 = "2024-03-0" + std::to_string(day);
      const std::string d1 = "2024-03-0" + std::to_string(day + 1);
      const std::string body = R"({"TimePeriod":{"Start":")" + d0 + R"(","End":")" + d1 +
                               R"("},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";
      for (int attempt = 0; attempt < 4; ++attempt) {  // K + 1 attempts
        client c(*port);  // a fresh connection: connection_close may have killed the last
        reply r = c.ce("GetCostAndUsage", body);
        statuses.push_back(r.transport_ok ? r.status : -1);
        if (r.status == 200 && json(r.body).ok) {
          ++successes;
          break;
        }
      }
    }
    CHECK(successes == 6);
    const auto st = sim.stats();
    std::uint64_t failing = 0;
    for (std::size_t i = 0; i < s::fault_count; ++i)
      if (s::is_failure(static_cast<s::fault>(i))) failing += st.faults[i];
    CHECK(failing > 0);
  };
  std::vector<int> x, y, z;
  run(5, x);
  run(5, y);
  run(6, z);
  CHECK(x == y);
  CHECK(x != z);
}

// ---------------------------------------------------------------------------
// Counters
// ---------------------------------------------------------------------------

TEST_CASE("counters: in-process, GET /__sim/stats, keep-alive connections") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  {
    client c(*port);
    for (int i = 0; i < 5; ++i) CHECK(c.ce("GetCostAndUsage", daily_by_service).status == 200);
  }
  const auto st = sim.stats();
  CHECK(st.requests == 5);
  CHECK(st.billable == 5);
  CHECK(st.connections == 1);  // one kept-alive connection
  CHECK(st.bytes_sent > 1000);
  httplib::Client h("127.0.0.1", *port);
  auto res = h.Get("/__sim/stats");
  REQUIRE(res);
  CHECK(res->status == 200);
  json j(res->body);
  REQUIRE(j.ok);
  std::uint64_t v = 0;
  REQUIRE_FALSE(j.root["requests"].get_uint64().get(v));
  CHECK(v == 5);
  REQUIRE_FALSE(j.root["billable"].get_uint64().get(v));
  CHECK(v == 5);
  REQUIRE_FALSE(j.root["faults"]["throttling"].get_uint64().get(v));
  CHECK(v == 0);
  CHECK(st.to_text().find("billable:") != std::string::npos);
  // Scripting over HTTP, for a simulator in another process.
  auto sc = h.Post("/__sim/script?fault=internal_error&count=1", "", "text/plain");
  REQUIRE(sc);
  CHECK(sc->status == 200);
  client c(*port);
  CHECK(c.ce("GetCostAndUsage", daily_by_service).status == 500);
  auto bad = h.Post("/__sim/script?fault=meteor&count=1", "", "text/plain");
  REQUIRE(bad);
  CHECK(bad->status == 400);
}

TEST_CASE("concurrent clients get identical pages and exact counters") {
  s::options o = small_options();
  o.page_size_groups = 6;
  o.threads = 4;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  std::string reference;
  {
    client c(*port);
    reference = c.ce("GetCostAndUsage", daily_by_service).body;
  }
  constexpr int workers = 4, per_worker = 25;
  std::vector<int> mismatches(workers, 0);
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      client c(*port);
      for (int i = 0; i < per_worker; ++i)
        if (c.ce("GetCostAndUsage", daily_by_service).body != reference) ++mismatches[static_cast<std::size_t>(w)];
    });
  for (auto& t : threads) t.join();
  for (int m : mismatches) CHECK(m == 0);
  const auto st = sim.stats();
  CHECK(st.requests == 1 + workers * per_worker);
  CHECK(st.billable == 1 + workers * per_worker);
  CHECK(st.connections == 1 + workers);
}

TEST_CASE("bodies above max_body are refused with 413") {
  s::options o = small_options();
  o.max_body = 64;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply r = c.ce("GetCostAndUsage", daily_by_service);
  CHECK(r.status == 413);
}

// ---------------------------------------------------------------------------
// Served data against the ground truth, computed independently
// ---------------------------------------------------------------------------

TEST_CASE("served amounts equal sums of the generator's cells") {
  s::options o = small_options();
  o.page_size_groups = 7;
  s::simulator sim(o);
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  const s::data_set& ds = sim.data();
  const std::int64_t first = ds.first_day();

  // Independent truth: loop over cells with amount() and add with fixed10.
  auto cell_sum = [&](std::int64_t day, auto&& key_of, auto&& keep) {
    std::map<std::string, s::fixed10> out;
    const std::string date = s::format_date(day);
    for (const auto& a : ds.accounts())
      for (const auto& svc : ds.services())
        for (const auto& u : svc.usage_types) {
          if (!keep(a, svc, u)) continue;
          if (!s::has_usage(ds.seed(), ds.presence_percent(), date, a, svc, u)) continue;
          s::fixed10 f;
          REQUIRE(s::fixed10::parse(s::amount(ds.seed(), ds.presence_percent(), date, a, svc, u, s::metric::unblended_cost), f));
          out[key_of(a, svc, u)] += f;
        }
    return out;
  };
  auto all = [](const auto&, const auto&, const auto&) { return true; };

  struct grouping {
    const char* group_by;
    std::function<std::string(const s::account_def&, const s::service_def&, const s::usage_type_def&)> key;
  };
  const grouping groupings[] = {
      {R"([{"Type":"DIMENSION","Key":"SERVICE"},{"Type":"DIMENSION","Key":"USAGE_TYPE"}])",
       [](const auto&, const auto& svc, const auto& u) { return svc.name + "|" + u.name; }},
      {R"([{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"}])", [](const auto& a, const auto&, const auto&) { return a.id; }},
      {R"([{"Type":"DIMENSION","Key":"RECORD_TYPE"}])",
       [](const auto&, const auto&, const auto& u) { return u.record_type; }},
      {R"([{"Type":"DIMENSION","Key":"REGION"},{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"}])",
       [](const auto& a, const auto&, const auto& u) { return u.region + "|" + a.id; }},
  };
  for (const auto& g : groupings) {
    CAPTURE(g.group_by);
    const std::string body = R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-07"},"Granularity":"DAILY",)"
                             R"("Metrics":["UnblendedCost"],"GroupBy":)" +
                             std::string(g.group_by) + "}";
    crawl cr = crawl_groups(c, "GetCostAndUsage", body, "UnblendedCost");
    REQUIRE(cr.error.empty());
    std::map<std::string, std::map<std::string, std::string>> served;  // date -> keys -> amount
    for (const auto& sg : cr.groups) {
      CHECK(served[sg.period_start].count(sg.keys) == 0);  // no group twice
      served[sg.period_start][sg.keys] = sg.amount;
      CHECK(sg.unit == "USD");
    }
    for (std::int64_t day = first; day < first + 6; ++day) {
      const auto truth = cell_sum(day, g.key, all);
      const auto& got = served[s::format_date(day)];
      CHECK(got.size() == truth.size());
      for (const auto& cell : truth) {
        const std::string& k = cell.first;
        CAPTURE(k);
        auto it = got.find(k);
        REQUIRE(it != got.end());
        CHECK(it->second == cell.second.to_string());
      }
    }
  }

  // Totals without grouping, with a filter: And(Not(RECORD_TYPE Credit), SERVICE in {EC2, Tax}).
  const std::string filtered =
      R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-07"},"Granularity":"DAILY","Metrics":["UnblendedCost"],)"
      R"("Filter":{"And":[{"Not":{"Dimensions":{"Key":"RECORD_TYPE","Values":["Credit"]}}},)"
      R"({"Dimensions":{"Key":"SERVICE","Values":["Amazon Elastic Compute Cloud - Compute","Tax"]}}]}})";
  reply r = c.ce("GetCostAndUsage", filtered);
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  std::int64_t day = first;
  const simdjson::dom::array list_11 = as_array(j.root["ResultsByTime"]);
  for (auto rbt : list_11) {
    const auto truth = cell_sum(
        day, [](const auto&, const auto&, const auto&) { return std::string("total"); },
        [](const auto&, const auto& svc, const auto& u) {
          return u.record_type != "Credit" && (svc.name == "Amazon Elastic Compute Cloud - Compute" || svc.name == "Tax");
        });
    const std::string expect = truth.count("total") ? truth.at("total").to_string() : "0";
    CHECK(str(rbt["Total"]["UnblendedCost"], "Amount") == expect);
    ++day;
  }
  CHECK(day == first + 6);

  // LINKED_ACCOUNT filter narrows to one account; MONTHLY sums the days exactly.
  const std::string one = ds.accounts()[1].id;
  r = c.ce("GetCostAndUsage",
           R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-04-01"},"Granularity":"MONTHLY","Metrics":["UnblendedCost"],)"
           R"("Filter":{"Dimensions":{"Key":"LINKED_ACCOUNT","Values":[")" + one + R"("]}}})");
  REQUIRE(r.status == 200);
  json mj(r.body);
  REQUIRE(mj.ok);
  s::fixed10 month;
  for (std::int64_t d = first; d < first + 6; ++d) {
    const auto t = cell_sum(
        d, [](const auto&, const auto&, const auto&) { return std::string("t"); },
        [&](const auto& a, const auto&, const auto&) { return a.id == one; });
    if (t.count("t")) month += t.at("t");
  }
  CHECK(str(mj.root["ResultsByTime"].at(0)["Total"]["UnblendedCost"], "Amount") == month.to_string());
}

TEST_CASE("UsageQuantity carries the usage type's unit when a group has one unit") {
  s::simulator sim(small_options());
  auto port = sim.start();
  REQUIRE(port);
  client c(*port);
  reply r = c.ce("GetCostAndUsage",
                 R"({"TimePeriod":{"Start":"2024-03-01","End":"2024-03-02"},"Granularity":"DAILY","Metrics":["UsageQuantity"],)"
                 R"("GroupBy":[{"Type":"DIMENSION","Key":"USAGE_TYPE"}]})");
  REQUIRE(r.status == 200);
  json j(r.body);
  REQUIRE(j.ok);
  bool hrs = false;
  const simdjson::dom::array list_12 = as_array(j.root["ResultsByTime"].at(0)["Groups"]);
  for (auto g : list_12) {
    const std::string k = join_keys(g);
    const std::string unit = str(g["Metrics"]["UsageQuantity"], "Unit");
    if (k.find("BoxUsage") != std::string::npos) {
      CHECK(unit == "Hrs");
      hrs = true;
    }
  }
  CHECK(hrs);
}
