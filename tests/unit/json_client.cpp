// aws::json_client over a scripted fake transport: no sockets, a fake clock
// and a fixed random source, so every retry and wait is checked exactly.
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view key_id = "AKIDEXAMPLEKEY123456";
constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN";

// What the fake transport saw and what it will answer. Shared with the test
// so it stays inspectable after the transport moved into the client.
struct script {
  std::deque<result<http::http_response>> replies;
  std::vector<http::http_request> sent;
};

class fake_transport final : public http::transport {
 public:
  explicit fake_transport(std::shared_ptr<script> s) : s_(std::move(s)) {}
  result<http::http_response> send(const http::http_request& request) override {
    s_->sent.push_back(request);
    if (s_->replies.empty()) return error(errc::transport, "script exhausted");
    auto r = s_->replies.front();
    s_->replies.pop_front();
    return r;
  }

 private:
  std::shared_ptr<script> s_;
};

http::http_response reply(long status, std::string body, http::header_list headers = {}) {
  http::http_response r;
  r.status = status;
  r.headers = std::move(headers);
  r.headers.push_back({"x-amzn-RequestId", "rid-" + std::to_string(status)});
  r.body = std::move(body);
  return r;
}
http::http_response ok_json(std::string body = R"({"ResultsByTime":[]})") { return reply(200, std::move(body)); }
http::http_response aws_err(long status, const std::string& type, const std::string& msg = "m") {
  return reply(status, "{\"__type\":\"" + type + "\",\"message\":\"" + msg + "\"}");
}
error transport_err(int curl_code, bool retryable) {
  error e(errc::transport, "HTTP request failed: simulated");
  e.curl_code = curl_code;
  e.retryable = retryable;
  return e;
}

// A fake steady clock that moves only when the client sleeps; the wall
// clock is a fixed instant plus the same offset.
struct fake_time {
  std::shared_ptr<std::chrono::nanoseconds> offset = std::make_shared<std::chrono::nanoseconds>(0);
  std::shared_ptr<std::vector<std::chrono::nanoseconds>> sleeps =
      std::make_shared<std::vector<std::chrono::nanoseconds>>();
  http::time_source source() const {
    http::time_source t;
    auto o = offset;
    auto s = sleeps;
    t.now = [o] { return http::time_source::time_point(*o); };
    t.sleep = [o, s](std::chrono::nanoseconds d) {
      s->push_back(d);
      *o += d;
    };
    return t;
  }
  std::function<std::chrono::system_clock::time_point()> wall() const {
    auto o = offset;
    // 2025-01-15T10:00:00Z
    return [o] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1736935200)) +
             std::chrono::duration_cast<std::chrono::system_clock::duration>(*o);
    };
  }
};

struct fixture {
  std::shared_ptr<script> s = std::make_shared<script>();
  fake_time clock;
  std::vector<aws::attempt_info> attempts;
  std::vector<std::string> attempt_failures;  // copies of failure messages seen by the hook

  aws::client_options options(aws::api_service svc = aws::cost_explorer_api, bool with_token = false) {
    aws::client_options o;
    o.service = svc;
    o.target.url = svc.id == aws::service::sts ? "https://sts.us-east-1.amazonaws.com"
                                                 : "https://" + std::string(svc.iam_prefix) + ".us-east-1.amazonaws.com";
    o.target.signing_region = "us-east-1";
    o.target.signing_name = std::string(svc.iam_prefix);
    auto c = aws::credentials::make(std::string(key_id), std::string(secret),
                                    with_token ? std::string(token) : std::string());
    REQUIRE(c);
    o.creds = *c;
    o.transport = std::make_unique<fake_transport>(s);
    o.retry.max_attempts = 5;
    o.retry.base_delay = 100ms;
    o.retry.throttle_base_delay = 500ms;
    o.retry.max_delay = 20s;
    o.rate_limit = {0, 1};  // unlimited unless a test sets one
    o.time = clock.source();
    o.wall_clock = clock.wall();
    o.random = [] { return std::numeric_limits<std::uint64_t>::max(); };  // jitter at the ceiling
    o.on_attempt = [this](const aws::attempt_info& a) {
      attempts.push_back(a);
      attempt_failures.push_back(a.failure ? a.failure->message : std::string());
    };
    return o;
  }
};

std::string header_of(const http::http_request& r, std::string_view name) {
  auto h = r.header(name);
  return h ? std::string(*h) : std::string("<absent>");
}

// Verifies a recorded request's SigV4 signature with the known secret.
result<sigv4::verified_request, sigv4::verify_error> verify_sent(const http::http_request& r, std::string_view path,
                                                                 std::chrono::system_clock::time_point now) {
  std::vector<sigv4::header> hs;
  for (const auto& h : r.headers) hs.push_back({h.name, h.value});
  sigv4::request_view rv{r.method, path, "", hs, r.body};
  sigv4::verify_options vo;
  vo.region = "us-east-1";
  vo.now = now;
  return sigv4::verify(
      rv,
      [](std::string_view id, std::string& out) {
        if (id != key_id) return false;
        out = std::string(secret);
        return true;
      },
      vo);
}

}  // namespace

TEST_CASE("a JSON 1.1 call sends a correctly signed POST with exactly our headers") {
  fixture f;
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", R"({"Granularity":"DAILY"})");
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == R"({"ResultsByTime":[]})");
  REQUIRE(f.s->sent.size() == 1);
  const auto& q = f.s->sent[0];
  CHECK(q.method == "POST");
  CHECK(q.url == "https://ce.us-east-1.amazonaws.com/");
  CHECK(q.body == R"({"Granularity":"DAILY"})");
  CHECK(header_of(q, "host") == "ce.us-east-1.amazonaws.com");
  CHECK(header_of(q, "content-type") == "application/x-amz-json-1.1");
  CHECK(header_of(q, "x-amz-target") == "AWSInsightsIndexService.GetCostAndUsage");
  CHECK(header_of(q, "x-amz-date") == "20250115T100000Z");
  CHECK(header_of(q, "x-amz-security-token") == "<absent>");
  const std::string auth = header_of(q, "authorization");
  CHECK(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEKEY123456/20250115/us-east-1/ce/aws4_request, ", 0) == 0);
  CHECK(auth.find("SignedHeaders=content-type;host;x-amz-date;x-amz-target,") != std::string::npos);
  CHECK(q.headers.size() == 5);  // Host, Content-Type, X-Amz-Target, X-Amz-Date, Authorization

  auto v = verify_sent(q, "/", f.clock.wall()());
  CHECK_MESSAGE(v, v.error().describe());

  CHECK(c.counters().requests_sent == 1);
  CHECK(c.counters().billable_requests == 1);
  CHECK(c.counters().estimated_cost_cents() == 1);
  CHECK(c.counters().retries == 0);
  REQUIRE(f.attempts.size() == 1);
  CHECK(f.attempts[0].attempt == 1);
  CHECK(f.attempts[0].http_status == 200);
  CHECK(f.attempts[0].failure == nullptr);
  CHECK(f.attempts[0].operation == "GetCostAndUsage");
  CHECK(f.attempts[0].method == "POST");
}

TEST_CASE("a session token is sent and signed") {
  fixture f;
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options(aws::cost_explorer_api, true));
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  const auto& q = f.s->sent.at(0);
  CHECK(header_of(q, "x-amz-security-token") == token);
  CHECK(header_of(q, "authorization").find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,") !=
        std::string::npos);
  CHECK(verify_sent(q, "/", f.clock.wall()()));
}

TEST_CASE("Organizations uses its target prefix and is not billable") {
  fixture f;
  f.s->replies.push_back(ok_json(R"({"Accounts":[]})"));
  aws::json_client c(f.options(aws::organizations_api));
  REQUIRE(c.call("ListAccounts", ""));
  const auto& q = f.s->sent.at(0);
  CHECK(header_of(q, "x-amz-target") == "AWSOrganizationsV20161128.ListAccounts");
  CHECK(q.body == "{}");  // empty input becomes an empty object
  CHECK(c.counters().billable_requests == 0);
}

TEST_CASE("throttle, throttle, then success: retried with throttle backoff, counted") {
  fixture f;
  f.s->replies.push_back(aws_err(400, "ThrottlingException", "Rate exceeded"));
  f.s->replies.push_back(aws_err(400, "com.amazonaws#LimitExceededException"));
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(f.s->sent.size() == 3);
  REQUIRE(f.clock.sleeps->size() == 2);
  CHECK((*f.clock.sleeps)[0] == 500ms);  // random at the top: the full ceiling
  CHECK((*f.clock.sleeps)[1] == 1000ms);
  CHECK(c.counters().requests_sent == 3);
  CHECK(c.counters().retries == 2);
  CHECK(c.counters().throttles == 2);
  CHECK(c.counters().billable_requests == 1);
  REQUIRE(f.attempts.size() == 3);
  CHECK(f.attempts[0].will_retry);
  CHECK(f.attempts[0].delay == 500ms);
  CHECK(f.attempts[0].http_status == 400);
  CHECK(f.attempt_failures[0].find("request rate exceeded") != std::string::npos);
  CHECK(f.attempts[2].failure == nullptr);
  CHECK(f.attempts[2].attempt == 3);
}

TEST_CASE("HTTP 429 without an AWS code is throttling and retried") {
  fixture f;
  f.s->replies.push_back(reply(429, ""));
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  CHECK(c.counters().throttles == 1);
}

TEST_CASE("5xx then success, with transient backoff") {
  fixture f;
  f.s->replies.push_back(aws_err(500, "InternalServerError"));
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  REQUIRE(f.clock.sleeps->size() == 1);
  CHECK((*f.clock.sleeps)[0] == 100ms);
  CHECK(c.counters().throttles == 0);
}

TEST_CASE("an HTML 503 is retried; if it persists the error names status and attempts") {
  fixture f;
  for (int i = 0; i < 5; ++i)
    f.s->replies.push_back(reply(503, "<html><title>Service Unavailable</title></html>", {{"Content-Type", "text/html"}}));
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::http_status);
  CHECK(r.error().http_status == 503);
  CHECK(r.error().message.find("HTTP 503") != std::string::npos);
  CHECK(r.error().message.find("Service Unavailable") != std::string::npos);
  CHECK(r.error().message.find("gave up after 5 attempts") != std::string::npos);
  CHECK(f.s->sent.size() == 5);
  REQUIRE(f.clock.sleeps->size() == 4);
  CHECK((*f.clock.sleeps)[0] == 100ms);
  CHECK((*f.clock.sleeps)[1] == 200ms);
  CHECK((*f.clock.sleeps)[2] == 400ms);
  CHECK((*f.clock.sleeps)[3] == 800ms);
  CHECK_FALSE(f.attempts.back().will_retry);
  CHECK(c.counters().billable_requests == 0);
}

TEST_CASE("a truncated 200 is retried, never returned") {
  fixture f;
  f.s->replies.push_back(ok_json(R"({"ResultsByTime":[{"TimePeriod":{"Start":"2025-01-01")"));
  f.s->replies.push_back(ok_json(""));
  f.s->replies.push_back(ok_json(R"({"ResultsByTime":[]})"));
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == R"({"ResultsByTime":[]})");
  CHECK(f.s->sent.size() == 3);
  CHECK(c.counters().billable_requests == 1);  // only the complete answer counts
  CHECK(f.attempt_failures[0].find("not valid JSON") != std::string::npos);
}

TEST_CASE("a 200 that stays truncated ends in bad_json") {
  fixture f;
  for (int i = 0; i < 5; ++i) f.s->replies.push_back(ok_json("{\"a\":"));
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::bad_json);
  CHECK(r.error().message.find("cut off") != std::string::npos);
  CHECK(r.error().message.find("gave up after 5 attempts") != std::string::npos);
}

TEST_CASE("call(op, body, doc) leaves the parsed 200 body in doc") {
  fixture f;
  f.s->replies.push_back(ok_json(R"({"ResultsByTime":[{"TimePeriod":{"Start":"2025-01-01")"));  // truncated
  f.s->replies.push_back(ok_json(R"({"ResultsByTime":[],"NextPageToken":"t"})"));
  aws::json_client c(f.options());
  finops_crawler::detail::json_document doc;
  CHECK_FALSE(doc.parsed());
  auto r = c.call("GetCostAndUsage", "{}", doc);
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(f.s->sent.size() == 2);
  REQUIRE(doc.parsed());
  std::string_view token;
  REQUIRE(doc.root()["NextPageToken"].get_string().get(token) == simdjson::SUCCESS);
  r = error(errc::transport, "drop the response");  // the document owns its strings
  CHECK(token == "t");

  // call() without a document still validates with the client's own.
  f.s->replies.push_back(ok_json("{"));
  f.s->replies.push_back(ok_json("{}"));
  CHECK(c.call("GetCostAndUsage", "{}"));
  CHECK(f.s->sent.size() == 4);
  CHECK(doc.parsed());  // untouched
}

TEST_CASE("a 200 nested deeper than the limit is bad_json at once, not retried") {
  fixture f;
  const std::string deep = std::string(65, '[') + std::string(65, ']');
  for (int i = 0; i < 5; ++i) f.s->replies.push_back(ok_json(deep));
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::bad_json);
  CHECK_FALSE(r.error().retryable);
  CHECK(r.error().message.find("nested deeper than 64 levels") != std::string::npos);
  CHECK(r.error().message.find("cut off") == std::string::npos);
  CHECK(f.s->sent.size() == 1);
  f.s->replies.clear();
  f.s->replies.push_back(ok_json(std::string(64, '[') + std::string(64, ']')));  // at the limit: fine
  CHECK(c.call("GetCostAndUsage", "{}"));
}

TEST_CASE("non-retryable errors surface at once, with their message") {
  struct row {
    const char* type;
    errc kind;
    const char* phrase;
  };
  const row rows[] = {
      {"AccessDeniedException", errc::aws_error, "ce:GetCostAndUsage"},
      {"ValidationException", errc::aws_error, "the detail"},
      {"DataUnavailableException", errc::aws_error, "ce-enable.html"},
      {"UnrecognizedClientException", errc::aws_error, "AWS_ACCESS_KEY_ID"},
      {"InvalidSignatureException", errc::aws_error, "secret access key"},
      {"ExpiredTokenException", errc::aws_error, "session token has expired"},
  };
  for (const auto& rw : rows) {
    CAPTURE(rw.type);
    fixture f;
    f.s->replies.push_back(aws_err(400, rw.type, "the detail"));
    f.s->replies.push_back(ok_json());  // must never be reached
    aws::json_client c(f.options());
    auto r = c.call("GetCostAndUsage", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == rw.kind);
    CHECK(r.error().aws_code == rw.type);
    CHECK(r.error().message.find(rw.phrase) != std::string::npos);
    CHECK(r.error().message.find("gave up") == std::string::npos);
    CHECK(f.s->sent.size() == 1);
    CHECK(f.clock.sleeps->empty());
    CHECK(c.counters().retries == 0);
  }
}

TEST_CASE("Organizations not in use is a distinct outcome, not retried") {
  fixture f;
  f.s->replies.push_back(aws_err(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization."));
  aws::json_client c(f.options(aws::organizations_api));
  auto r = c.call("ListAccounts", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::not_in_organization);
  CHECK(f.s->sent.size() == 1);
}

TEST_CASE("the attempt limit is honoured") {
  for (int limit : {1, 2, 3}) {
    CAPTURE(limit);
    fixture f;
    for (int i = 0; i < 10; ++i) f.s->replies.push_back(aws_err(400, "ThrottlingException"));
    auto o = f.options();
    o.retry.max_attempts = limit;
    aws::json_client c(std::move(o));
    auto r = c.call("GetCostAndUsage", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::throttled);
    CHECK(f.s->sent.size() == static_cast<std::size_t>(limit));
    CHECK(f.clock.sleeps->size() == static_cast<std::size_t>(limit - 1));
    CHECK(c.counters().throttles == static_cast<std::uint64_t>(limit));
    CHECK(r.error().message.find("gave up after " + std::to_string(limit)) != std::string::npos);
  }
}

TEST_CASE("jitter: a zero random source retries at once; the cap bounds every wait") {
  fixture f;
  for (int i = 0; i < 7; ++i) f.s->replies.push_back(aws_err(400, "ThrottlingException"));
  f.s->replies.push_back(ok_json());
  auto o = f.options();
  o.retry.max_attempts = 8;
  o.retry.max_delay = 3s;
  o.random = [] { return std::uint64_t{0}; };
  aws::json_client c(std::move(o));
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  REQUIRE(f.clock.sleeps->size() == 7);
  for (auto d : *f.clock.sleeps) CHECK(d == 0ns);

  fixture g;
  for (int i = 0; i < 7; ++i) g.s->replies.push_back(aws_err(400, "ThrottlingException"));
  g.s->replies.push_back(ok_json());
  auto p = g.options();
  p.retry.max_attempts = 8;
  p.retry.max_delay = 3s;
  aws::json_client d(std::move(p));
  REQUIRE(d.call("GetCostAndUsage", "{}"));
  const std::chrono::nanoseconds expected[] = {500ms, 1s, 2s, 3s, 3s, 3s, 3s};
  REQUIRE(g.clock.sleeps->size() == 7);
  for (std::size_t i = 0; i < 7; ++i) CHECK((*g.clock.sleeps)[i] == expected[i]);
}

TEST_CASE("every attempt is re-signed with a fresh X-Amz-Date") {
  fixture f;
  f.s->replies.push_back(aws_err(500, "InternalServerError"));
  f.s->replies.push_back(aws_err(400, "ThrottlingException"));
  f.s->replies.push_back(ok_json());
  auto o = f.options();
  o.retry.base_delay = 5s;  // waits long enough to move the signing second
  o.retry.throttle_base_delay = 10s;
  aws::json_client c(std::move(o));
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  REQUIRE(f.s->sent.size() == 3);
  CHECK(header_of(f.s->sent[0], "x-amz-date") == "20250115T100000Z");
  CHECK(header_of(f.s->sent[1], "x-amz-date") == "20250115T100005Z");
  CHECK(header_of(f.s->sent[2], "x-amz-date") == "20250115T100025Z");  // + 2 x 10 s throttle ceiling
  CHECK(header_of(f.s->sent[0], "authorization") != header_of(f.s->sent[1], "authorization"));
  CHECK(header_of(f.s->sent[1], "authorization") != header_of(f.s->sent[2], "authorization"));
  // Each one verifies at its own time.
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1736935200));
  CHECK(verify_sent(f.s->sent[0], "/", t0));
  CHECK(verify_sent(f.s->sent[2], "/", t0 + 25s));
  for (const auto& q : f.s->sent) CHECK(header_of(q, "x-amz-date").size() == 16);
}

TEST_CASE("transport failures: transient ones retried, fatal ones not") {
  fixture f;
  f.s->replies.push_back(transport_err(56, true));  // recv error
  f.s->replies.push_back(transport_err(52, true));  // empty reply
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  CHECK(f.s->sent.size() == 3);
  CHECK(f.attempts[0].http_status == 0);

  fixture g;
  g.s->replies.push_back(transport_err(60, false));  // TLS verification failed
  g.s->replies.push_back(ok_json());
  aws::json_client d(g.options());
  auto r = d.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.error().curl_code == 60);
  CHECK(g.s->sent.size() == 1);

  fixture h;
  h.s->replies.push_back(error(errc::response_too_large, "too big"));
  aws::json_client e(h.options());
  auto big = e.call("GetCostAndUsage", "{}");
  CHECK(big.code() == errc::response_too_large);
  CHECK(h.s->sent.size() == 1);
}

TEST_CASE("the rate limiter runs before each attempt") {
  fixture f;
  for (int i = 0; i < 4; ++i) f.s->replies.push_back(ok_json());
  auto o = f.options();
  o.rate_limit = {2.0, 1.0};  // one token, refilled every 500 ms
  aws::json_client c(std::move(o));
  for (int i = 0; i < 4; ++i) REQUIRE(c.call("GetCostAndUsage", "{}"));
  REQUIRE(f.clock.sleeps->size() == 3);
  for (auto d : *f.clock.sleeps) CHECK(d == 500ms);
  CHECK(f.attempts[0].waited == 0ns);
  CHECK(f.attempts[1].waited == 500ms);
}

TEST_CASE("a shared rate limiter spans clients") {
  fixture f;
  for (int i = 0; i < 2; ++i) f.s->replies.push_back(ok_json());
  auto shared = std::make_shared<http::rate_limiter>(http::rate_limit_options{1.0, 1.0}, f.clock.source());
  auto o1 = f.options();
  o1.limiter = shared;
  aws::json_client a(std::move(o1));
  auto o2 = f.options();
  o2.limiter = shared;
  aws::json_client b(std::move(o2));
  REQUIRE(a.call("GetCostAndUsage", "{}"));
  REQUIRE(b.call("GetCostAndUsage", "{}"));
  REQUIRE(f.clock.sleeps->size() == 1);
  CHECK((*f.clock.sleeps)[0] == 1s);
}

TEST_CASE("STS query protocol: form body, no target, XML reply checked complete") {
  fixture f;
  const std::string xml =
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult>"
      "</GetCallerIdentityResponse>";
  f.s->replies.push_back(reply(200, xml.substr(0, 60), {{"Content-Type", "text/xml"}}));  // cut off
  f.s->replies.push_back(reply(200, xml, {{"Content-Type", "text/xml"}}));
  auto o = f.options(aws::sts_api);
  aws::json_client c(std::move(o));
  auto r = c.call_query("GetCallerIdentity", {{"Extra Name", "a b&c"}});
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == xml);
  REQUIRE(f.s->sent.size() == 2);
  const auto& q = f.s->sent[1];
  CHECK(q.url == "https://sts.us-east-1.amazonaws.com/");
  CHECK(q.body == "Action=GetCallerIdentity&Version=2011-06-15&Extra%20Name=a%20b%26c");
  CHECK(header_of(q, "content-type") == "application/x-www-form-urlencoded; charset=utf-8");
  CHECK(header_of(q, "x-amz-target") == "<absent>");
  CHECK(header_of(q, "authorization").find("/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date,") !=
        std::string::npos);
  CHECK(verify_sent(q, "/", f.clock.wall()()));
  CHECK(c.counters().billable_requests == 0);
  CHECK(f.attempt_failures[0].find("GetCallerIdentityResponse") != std::string::npos);
}

TEST_CASE("STS XML errors are decoded") {
  fixture f;
  f.s->replies.push_back(reply(403,
                               "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
                               "<Message>The request signature we calculated does not match</Message></Error>"
                               "<RequestId>sts-rid</RequestId></ErrorResponse>"));
  aws::json_client c(f.options(aws::sts_api));
  auto r = c.call_query("GetCallerIdentity");
  REQUIRE_FALSE(r);
  CHECK(r.error().aws_code == "SignatureDoesNotMatch");
  CHECK(r.error().request_id == "sts-rid");
  CHECK(r.error().message.find("secret access key") != std::string::npos);
  CHECK(f.s->sent.size() == 1);
}

TEST_CASE("bad input is refused before anything is sent") {
  fixture f;
  aws::json_client c(f.options());
  CHECK(c.call("Get Cost", "{}").code() == errc::invalid_argument);
  CHECK(c.call("Get\r\nX: y", "{}").code() == errc::invalid_argument);
  CHECK(c.call("", "{}").code() == errc::invalid_argument);
  fixture g;
  aws::json_client sts(g.options(aws::sts_api));
  CHECK(sts.call("GetCallerIdentity", "{}").code() == errc::invalid_argument);  // STS has no JSON target
  CHECK(g.s->sent.empty());

  fixture h;
  auto o = h.options();
  o.target.url = "https://user:pw@ce.us-east-1.amazonaws.com";
  aws::json_client bad(std::move(o));
  CHECK(bad.call("GetCostAndUsage", "{}").code() == errc::invalid_argument);
  CHECK(h.s->sent.empty());
}

// Regression (issue 12, item 3): these checks used to run only when the
// endpoint URL had a path, which AWS endpoints never have.
TEST_CASE("empty credentials are errc::no_credentials before anything is sent") {
  for (const char* url : {"https://ce.us-east-1.amazonaws.com", "https://proxy.example.com/aws/ce"}) {
    CAPTURE(url);
    fixture f;
    f.s->replies.push_back(ok_json());
    auto o = f.options();
    o.target.url = url;
    o.creds = aws::credentials();
    aws::json_client c(std::move(o));
    auto r = c.call("GetCostAndUsage", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::no_credentials);
    CHECK(r.error().message == "the client was given empty credentials");
    CHECK(f.s->sent.empty());
    CHECK(c.counters().requests_sent == 0);
    CHECK(f.attempts.empty());
  }
  fixture g;
  auto o = g.options(aws::sts_api);
  o.creds = aws::credentials();
  aws::json_client sts(std::move(o));
  CHECK(sts.call_query("GetCallerIdentity").code() == errc::no_credentials);
  CHECK(g.s->sent.empty());
}

TEST_CASE("an endpoint without a signing region is refused before anything is sent") {
  for (const char* url : {"https://ce.us-east-1.amazonaws.com", "https://proxy.example.com/aws/ce"}) {
    CAPTURE(url);
    fixture f;
    f.s->replies.push_back(ok_json());
    auto o = f.options();
    o.target.url = url;
    o.target.signing_region.clear();
    o.creds = aws::credentials();  // the region is reported first
    aws::json_client c(std::move(o));
    auto r = c.call("GetCostAndUsage", "{}");
    REQUIRE_FALSE(r);
    CHECK(r.code() == errc::invalid_argument);
    CHECK(r.error().message == "endpoint has no signing region");
    CHECK(f.s->sent.empty());
  }
  fixture h;  // a malformed URL is reported before the missing region
  auto o = h.options();
  o.target.url = "ce.us-east-1.amazonaws.com";
  o.target.signing_region.clear();
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", "{}");
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().message.find("has no scheme") != std::string::npos);
  CHECK(h.s->sent.empty());
}

TEST_CASE("an endpoint path is kept and signed") {
  fixture f;
  f.s->replies.push_back(ok_json());
  auto o = f.options();
  o.target.url = "https://proxy.example.com:8443/aws/ce";
  o.target.overridden = true;
  aws::json_client c(std::move(o));
  REQUIRE(c.call("GetCostAndUsage", "{}"));
  const auto& q = f.s->sent.at(0);
  CHECK(q.url == "https://proxy.example.com:8443/aws/ce");
  CHECK(header_of(q, "host") == "proxy.example.com:8443");
  CHECK(verify_sent(q, "/aws/ce", f.clock.wall()()));
}

TEST_CASE("plain http to a non-overridden endpoint is refused by the default transport") {
  fixture f;
  auto o = f.options();
  o.transport.reset();  // the default curl_transport
  o.target.url = "http://127.0.0.1:9";
  o.target.overridden = false;
  o.retry.max_attempts = 3;
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().message.find("refusing plain-http URL") != std::string::npos);
  CHECK(c.transfer_counters().connections == 0);
  CHECK(c.transfer_counters().transfers == 0);
  CHECK(c.counters().requests_sent == 1);  // refused on the first attempt, not retried
}

TEST_CASE("no secret reaches an error message or the attempt hook") {
  fixture f;
  f.s->replies.push_back(aws_err(400, "ThrottlingException"));
  f.s->replies.push_back(aws_err(403, "InvalidSignatureException", "bad"));
  aws::json_client c(f.options(aws::cost_explorer_api, true));
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  const std::string all = r.error().describe() + f.attempt_failures[0] + f.attempt_failures[1];
  CHECK(all.find(secret) == std::string::npos);
  CHECK(all.find(token) == std::string::npos);
}

TEST_CASE("a client can be moved and keeps working") {
  fixture f;
  f.s->replies.push_back(ok_json());
  f.s->replies.push_back(ok_json());
  aws::json_client a(f.options());
  REQUIRE(a.call("GetCostAndUsage", "{}"));
  aws::json_client b(std::move(a));
  REQUIRE(b.call("GetCostAndUsage", "{}"));
  CHECK(b.counters().requests_sent == 2);
}

namespace {

// A transport that times out after min(`takes`, the request's own limit) of
// fake time, like libcurl on a silent server; records each limit it got.
class stalling_transport final : public http::transport {
 public:
  stalling_transport(std::shared_ptr<std::chrono::nanoseconds> clock, std::chrono::nanoseconds takes,
                     std::shared_ptr<std::vector<std::chrono::milliseconds>> limits)
      : clock_(std::move(clock)), takes_(takes), limits_(std::move(limits)) {}
  result<http::http_response> send(const http::http_request& request) override {
    limits_->push_back(request.timeout);
    std::chrono::nanoseconds t = takes_;
    if (request.timeout.count() > 0 && request.timeout < t) t = request.timeout;
    *clock_ += t;
    error e(errc::transport, "HTTP request failed: simulated timeout");
    e.curl_code = 28;  // CURLE_OPERATION_TIMEDOUT
    e.retryable = true;
    return e;
  }

 private:
  std::shared_ptr<std::chrono::nanoseconds> clock_;
  std::chrono::nanoseconds takes_;
  std::shared_ptr<std::vector<std::chrono::milliseconds>> limits_;
};

}  // namespace

TEST_CASE("the call deadline caps the attempts of a stuck endpoint (fake clock, defaults)") {
  fixture f;
  auto limits = std::make_shared<std::vector<std::chrono::milliseconds>>();
  auto o = f.options();
  o.transport = std::make_unique<stalling_transport>(f.clock.offset, 120s, limits);  // the default request timeout
  CHECK(o.call_deadline == 170s);  // the default
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(r.error().message.find("gave up after 2 attempts: the call deadline of 170000 ms "
                                       "(client_options::call_deadline) was reached") != std::string::npos,
                r.error().message);
  // The first attempt may use all 170 s; the second gets only what is left
  // after 120 s and the 100 ms backoff.
  REQUIRE(limits->size() == 2);
  CHECK((*limits)[0] == 170s);
  CHECK((*limits)[1] == 49900ms);
  CHECK(*f.clock.offset <= std::chrono::nanoseconds(170s));
  CHECK(f.attempts.size() == 2);
  CHECK_FALSE(f.attempts.back().will_retry);
}

TEST_CASE("no backoff sleeps past the call deadline") {
  fixture f;
  for (int i = 0; i < 5; ++i) f.s->replies.push_back(aws_err(503, "ServiceUnavailable"));
  auto o = f.options();
  o.call_deadline = 1s;  // backoffs at the ceiling: 100, 200, 400, then 800 ms would end past 1 s
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);  // the deadline, though the last reply was a 503
  CHECK(r.error().http_status == 503);
  CHECK_MESSAGE(r.error().message.find("gave up after 4 attempts: the call deadline of 1000 ms") !=
                    std::string::npos,
                r.error().message);
  CHECK(f.s->sent.size() == 4);
  CHECK(*f.clock.offset == std::chrono::nanoseconds(700ms));
  CHECK(f.s->sent[3].timeout == 300ms);
}

TEST_CASE("call_deadline 0: no deadline, no per-request limit") {
  fixture f;
  auto limits = std::make_shared<std::vector<std::chrono::milliseconds>>();
  auto o = f.options();
  o.transport = std::make_unique<stalling_transport>(f.clock.offset, 120s, limits);
  o.call_deadline = 0s;
  aws::json_client c(std::move(o));
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("gave up after 5 attempts (retry.max_attempts)") != std::string::npos);
  REQUIRE(limits->size() == 5);
  for (auto l : *limits) CHECK(l == 0ms);
}

TEST_CASE("a redirect is errc::transport with its Location's path, not followed or retried") {
  fixture f;
  f.s->replies.push_back(reply(301, "", {{"Location", "https://elsewhere.example/x?token=leak\x1b[2J"}}));
  f.s->replies.push_back(ok_json());
  aws::json_client c(f.options());
  auto r = c.call("GetCostAndUsage", "{}");
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().http_status == 301);
  CHECK_FALSE(r.error().retryable);
  CHECK(r.error().message.find("answered HTTP 301 (a redirect to \"https://elsewhere.example/x\"), which is "
                               "not followed") != std::string::npos);
  CHECK(r.error().message.find("leak") == std::string::npos);
  CHECK(f.s->sent.size() == 1);
}
