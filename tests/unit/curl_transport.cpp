// curl_transport through real libcurl against a scripted raw-socket server
// on 127.0.0.1 (the test owns every byte the server sends). Every wait is
// bounded by poll timeouts and a stop flag.
#include "finops_crawler/http/curl_global.hpp"
#include "finops_crawler/http/curl_transport.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_listener.hpp"

using namespace finops_crawler;
using http::curl_options;
using http::curl_transport;
using http::http_request;

namespace {

// One scripted reply: raw bytes, then optionally close the connection.
struct step {
  std::string raw;
  bool close_after = false;
};

std::string reply(int status, const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/x-amz-json-1.1\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A one-connection-at-a-time HTTP/1.1 server that answers each request with
// the next scripted step and records what it received.
class scripted_server {
 public:
  explicit scripted_server(std::vector<step> steps) : steps_(steps.begin(), steps.end()) {
    thread_ = std::thread([this] { run(); });
  }
  ~scripted_server() {
    stop_ = true;
    thread_.join();
  }
  std::string url(const std::string& path = "/") const { return listen_.origin("http") + path; }
  int port() const { return listen_.port(); }
  int accepts() const { return accepts_.load(); }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> l(m_);
    return requests_;
  }

 private:
  bool wait_readable(int fd) {
    while (!stop_) {  // bounded by the destructor's stop flag
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r > 0) return true;
      if (r < 0) return false;
    }
    return false;
  }
  void run() {
    while (!stop_) {
      if (!wait_readable(listen_.fd())) return;
      int c = ::accept(listen_.fd(), nullptr, nullptr);
      if (c < 0) continue;
      ++accepts_;
      serve(c);
      ::close(c);
    }
  }
  void serve(int c) {
    std::string buf;
    while (!stop_) {
      // Read one request: headers, then Content-Length bytes of body.
      std::size_t end = std::string::npos;
      std::size_t need = 0;
      for (;;) {
        end = buf.find("\r\n\r\n");
        if (end != std::string::npos) {
          need = end + 4;
          auto cl = buf.find("Content-Length: ");
          if (cl != std::string::npos && cl < end) need += std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
          if (buf.size() >= need) break;
        }
        if (!wait_readable(c)) return;
        char tmp[4096];
        auto n = ::recv(c, tmp, sizeof tmp, 0);
        if (n <= 0) return;  // client closed
        buf.append(tmp, static_cast<std::size_t>(n));
        if (static_cast<unsigned char>(buf[0]) == 0x16) break;  // a TLS ClientHello: answer at once
      }
      if (static_cast<unsigned char>(buf[0]) == 0x16) need = buf.size();
      step s;
      {
        std::lock_guard<std::mutex> l(m_);
        requests_.push_back(buf.substr(0, need));
        if (steps_.empty()) {
          s.raw = reply(500, "{\"__type\":\"NoScript\"}");
          s.close_after = true;
        } else {
          s = steps_.front();
          steps_.pop_front();
        }
      }
      buf.erase(0, need);
      std::size_t sent = 0;
      while (sent < s.raw.size()) {
        auto n = ::send(c, s.raw.data() + sent, s.raw.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
      }
      if (s.close_after) return;
    }
  }

  loopback::listener listen_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepts_{0};
  std::mutex m_;
  std::deque<step> steps_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

curl_options local_options() {
  curl_options o;
  o.allow_http = true;  // the test server is an explicitly overridden endpoint
  o.connect_timeout_ms = 5000;
  o.request_timeout_ms = 10000;
  return o;
}

http_request post(const std::string& url, const std::string& body = "{}") {
  http_request r;
  r.method = "POST";
  r.url = url;
  r.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Svc.Op"}};
  r.body = body;
  return r;
}

// Keep the tests away from any proxy configured in the environment.
struct no_proxy_env {
  no_proxy_env() { ::setenv("NO_PROXY", "127.0.0.1,localhost", 1); }
} const no_proxy_env_instance;

}  // namespace

TEST_CASE("the global guard initialises libcurl once") {
  http::curl_global_guard guard;
  CHECK(guard.ok());
  CHECK(guard.status());
  bool ran = true;
  CHECK(http::ensure_curl_global_init(&ran) == 0);
  CHECK_FALSE(ran);  // already done by the guard (or an earlier transport)
}

TEST_CASE("a POST sends exactly our headers and returns status, headers and body") {
  scripted_server srv({{reply(200, "{\"ok\":true}", "X-Amzn-RequestId: rid-1\r\n")}});
  curl_transport t(local_options());
  auto r = t.send(post(srv.url(), "{\"a\":1}"));
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->status == 200);
  CHECK(r->body == "{\"ok\":true}");
  CHECK(r->body.capacity() >= r->body.size() + 64);  // padding for in-place JSON parsing
  REQUIRE(r->header("x-amzn-requestid"));
  CHECK(*r->header("X-AMZN-REQUESTID") == "rid-1");
  CHECK_FALSE(r->header("x-missing"));

  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  const std::string& q = reqs[0];
  CHECK(q.rfind("POST / HTTP/1.1\r\n", 0) == 0);
  CHECK(q.find("Content-Type: application/x-amz-json-1.1\r\n") != std::string::npos);
  CHECK(q.find("X-Amz-Target: Svc.Op\r\n") != std::string::npos);
  CHECK(q.find("Content-Length: 7\r\n") != std::string::npos);
  CHECK(q.find("Expect:") == std::string::npos);       // no 100-continue
  CHECK(q.find("Accept: ") == std::string::npos);      // libcurl's default dropped
  CHECK(q.find("Accept-Encoding: ") != std::string::npos);  // offered by libcurl
  CHECK(q.find("User-Agent: finops-crawler/") != std::string::npos);
  CHECK(q.substr(q.size() - 7) == "{\"a\":1}");
}

TEST_CASE("a large POST is sent without waiting for 100-continue") {
  std::string big(200'000, 'x');
  scripted_server srv({{reply(200, "{}")}});
  curl_transport t(local_options());
  auto r = t.send(post(srv.url(), big));
  REQUIRE_MESSAGE(r, r.error().describe());
  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].find("Expect:") == std::string::npos);
  CHECK(reqs[0].size() > big.size());
}

TEST_CASE("keep-alive: many requests share one connection, per libcurl's counters") {
  std::vector<step> steps;
  for (int i = 0; i < 20; ++i) steps.push_back({reply(200, "{\"i\":" + std::to_string(i) + "}")});
  scripted_server srv(steps);
  curl_transport t(local_options());
  for (int i = 0; i < 20; ++i) {
    auto r = t.send(post(srv.url()));
    REQUIRE_MESSAGE(r, r.error().describe());
    CHECK(r->body == "{\"i\":" + std::to_string(i) + "}");
  }
  auto c = t.counters();
  CHECK(c.transfers == 20);
  CHECK(c.connections == 1);
  CHECK(srv.accepts() == 1);
  CHECK(c.bytes_sent == 40);  // "{}" twenty times
}

TEST_CASE("a server closing the connection costs one reconnect, counted") {
  scripted_server srv({{reply(200, "{}"), true}, {reply(200, "{}")}});
  curl_transport t(local_options());
  REQUIRE(t.send(post(srv.url())));
  REQUIRE(t.send(post(srv.url())));
  CHECK(t.counters().connections == 2);
  CHECK(srv.accepts() == 2);
}

TEST_CASE("4xx and 5xx are responses, not errors; interim headers are dropped") {
  scripted_server srv({{reply(400, "{\"__type\":\"ValidationException\"}")},
                       {"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n" + reply(503, "<html>down</html>")}});
  curl_transport t(local_options());
  auto a = t.send(post(srv.url()));
  REQUIRE(a);
  CHECK(a->status == 400);
  auto b = t.send(post(srv.url()));
  REQUIRE(b);
  CHECK(b->status == 503);
  CHECK(b->body == "<html>down</html>");
  CHECK_FALSE(b->header("x-interim"));
}

TEST_CASE("an announced over-cap body is refused from Content-Length") {
  std::string body(5000, 'a');
  scripted_server srv({{reply(200, body)}});
  auto o = local_options();
  o.max_response_bytes = 1000;
  curl_transport t(o);
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::response_too_large);
  CHECK_FALSE(r.error().retryable);
  CHECK(r.error().message.find("1000-byte cap") != std::string::npos);
  CHECK(t.counters().bytes_received == 0);  // nothing of the body was kept
}

TEST_CASE("an unannounced (chunked) over-cap body is cut off in the write callback") {
  std::string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 50; ++i) raw += "400\r\n" + std::string(1024, 'b') + "\r\n";
  raw += "0\r\n\r\n";
  scripted_server srv({{raw, true}});
  auto o = local_options();
  o.max_response_bytes = 10'000;
  curl_transport t(o);
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::response_too_large);
  CHECK(t.counters().bytes_received <= 10'000);  // stopped at the cap, not at 50 KiB
}

TEST_CASE("a body exactly at the cap is accepted") {
  std::string body(1000, 'c');
  scripted_server srv({{reply(200, body)}});
  auto o = local_options();
  o.max_response_bytes = 1000;
  curl_transport t(o);
  auto r = t.send(post(srv.url()));
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == body);
}

TEST_CASE("connection closed mid-body is a retryable transport error with the CURLcode") {
  std::string raw = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":";
  scripted_server srv({{raw, true}});
  curl_transport t(local_options());
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code == CURLE_PARTIAL_FILE);
  CHECK(r.error().retryable);
  CHECK(r.error().message.find(curl_easy_strerror(CURLE_PARTIAL_FILE)) != std::string::npos);
}

TEST_CASE("an empty reply is a retryable transport error") {
  scripted_server srv({{"", true}});
  curl_transport t(local_options());
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.error().curl_code == CURLE_GOT_NOTHING);
  CHECK(r.error().retryable);
}

TEST_CASE("connection refused is a retryable transport error") {
  int port = 0;
  {
    scripted_server srv({});
    port = srv.port();
  }  // closed: nothing listens there now
  curl_transport t(local_options());
  auto r = t.send(post("http://127.0.0.1:" + std::to_string(port) + "/"));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code == CURLE_COULDNT_CONNECT);
  CHECK(r.error().retryable);
}

TEST_CASE("a stalled server hits the request timeout, retryable") {
  std::string raw = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{";  // then silence
  scripted_server srv({{raw}});
  auto o = local_options();
  o.request_timeout_ms = 300;
  curl_transport t(o);
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.error().curl_code == CURLE_OPERATION_TIMEDOUT);
  CHECK(r.error().retryable);
}

TEST_CASE("plain http is refused before any connection unless allow_http") {
  scripted_server srv({{reply(200, "{}")}});
  curl_transport t;  // defaults: https only
  auto r = t.send(post(srv.url()));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(r.error().message.find("refusing plain-http URL") != std::string::npos);
  CHECK(r.error().message.find("explicitly overridden") != std::string::npos);
  CHECK_FALSE(r.error().retryable);
  CHECK(srv.accepts() == 0);
  CHECK(t.counters().transfers == 0);

  auto other = t.send(post("ftp://127.0.0.1/"));
  CHECK(other.code() == errc::invalid_argument);
}

TEST_CASE("https to a plain-http server fails the TLS handshake (verification stays on)") {
  scripted_server srv({{reply(200, "{}"), true}});
  curl_transport t(local_options());
  auto r = t.send(post("https://127.0.0.1:" + std::to_string(srv.port()) + "/"));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code != 0);
}

TEST_CASE("a missing CA bundle is a clear, non-retryable failure") {
  scripted_server srv({});
  auto o = local_options();
  o.ca_bundle = "/nonexistent/ca-bundle.pem";
  curl_transport t(o);
  auto r = t.send(post("https://127.0.0.1:" + std::to_string(srv.port()) + "/"));
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code != 0);
}

TEST_CASE("CR or LF in a header is refused, not sent") {
  scripted_server srv({{reply(200, "{}")}});
  curl_transport t(local_options());
  auto req = post(srv.url());
  req.headers.push_back({"X-Evil", "a\r\nInjected: yes"});
  auto r = t.send(req);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::invalid_argument);
  CHECK(srv.accepts() == 0);
}

TEST_CASE("a header with an empty value is sent as such") {
  scripted_server srv({{reply(200, "{}")}});
  curl_transport t(local_options());
  auto req = post(srv.url());
  req.headers.push_back({"X-Empty", ""});
  REQUIRE(t.send(req));
  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].find("X-Empty:") != std::string::npos);
}

TEST_CASE("GET after POST on the same handle sends no body") {
  scripted_server srv({{reply(200, "{}")}, {reply(200, "{\"get\":1}")}});
  curl_transport t(local_options());
  REQUIRE(t.send(post(srv.url())));
  http_request g;
  g.method = "GET";
  g.url = srv.url("/ping");
  auto r = t.send(g);
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == "{\"get\":1}");
  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[1].rfind("GET /ping HTTP/1.1\r\n", 0) == 0);
  CHECK(reqs[1].find("Content-Length") == std::string::npos);
}

TEST_CASE("a gzip-encoded body is returned decoded") {
  const auto* info = curl_version_info(CURLVERSION_NOW);
  if ((info->features & CURL_VERSION_LIBZ) == 0) {
    MESSAGE("skipped: this libcurl was built without zlib, so it offers no gzip");
    return;
  }
  static const unsigned char gz[] = {
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0x48, 0xcd, 0xc9,
      0xc9, 0x57, 0xb2, 0x52, 0x4a, 0xce, 0xcf, 0x2d, 0x28, 0x4a, 0x2d, 0x2e, 0x4e, 0x4d, 0x51, 0x28,
      0xcf, 0x2f, 0xca, 0x49, 0x51, 0xaa, 0x05, 0x00, 0x86, 0x2f, 0x3b, 0x1a, 0x1c, 0x00, 0x00, 0x00};
  std::string body(reinterpret_cast<const char*>(gz), sizeof gz);
  scripted_server srv({{reply(200, body, "Content-Encoding: gzip\r\n")}});
  curl_transport t(local_options());
  auto r = t.send(post(srv.url()));
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body == "{\"hello\":\"compressed world\"}");
  auto reqs = srv.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].find("Accept-Encoding: ") != std::string::npos);
  CHECK(reqs[0].find("gzip") != std::string::npos);
}

TEST_CASE("a moved-from transport refuses to send; the moved-to one keeps the connection") {
  scripted_server srv({{reply(200, "{}")}, {reply(200, "{}")}});
  curl_transport a(local_options());
  REQUIRE(a.send(post(srv.url())));
  curl_transport b(std::move(a));
  auto bad = a.send(post(srv.url()));  // NOLINT(bugprone-use-after-move): tested on purpose
  REQUIRE_FALSE(bad);
  CHECK(bad.code() == errc::transport);
  REQUIRE(b.send(post(srv.url())));
  CHECK(b.counters().connections == 1);
  CHECK(b.counters().transfers == 2);
}

TEST_CASE("retryable CURLcodes are exactly the transient ones") {
  CHECK(http::is_retryable_curl_code(CURLE_COULDNT_CONNECT));
  CHECK(http::is_retryable_curl_code(CURLE_OPERATION_TIMEDOUT));
  CHECK(http::is_retryable_curl_code(CURLE_GOT_NOTHING));
  CHECK(http::is_retryable_curl_code(CURLE_PARTIAL_FILE));
  CHECK(http::is_retryable_curl_code(CURLE_RECV_ERROR));
  CHECK(http::is_retryable_curl_code(CURLE_SEND_ERROR));
  CHECK_FALSE(http::is_retryable_curl_code(CURLE_OK));
  CHECK_FALSE(http::is_retryable_curl_code(CURLE_COULDNT_RESOLVE_HOST));
  CHECK_FALSE(http::is_retryable_curl_code(CURLE_PEER_FAILED_VERIFICATION));
  CHECK_FALSE(http::is_retryable_curl_code(CURLE_UNSUPPORTED_PROTOCOL));
  CHECK_FALSE(http::is_retryable_curl_code(CURLE_WRITE_ERROR));
}

TEST_CASE("a request's own timeout applies when shorter, and the message names it") {
  std::string raw = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{";  // then silence
  scripted_server srv({{raw}, {raw}});
  auto o = local_options();
  o.request_timeout_ms = 10000;
  curl_transport t(o);
  auto req = post(srv.url());
  req.timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = t.send(req);
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r);
  CHECK(r.error().curl_code == CURLE_OPERATION_TIMEDOUT);
  CHECK(r.error().retryable);
  CHECK_MESSAGE(r.error().message.find("request time limit hit: no complete response within 300 ms "
                                       "(http_request::timeout") != std::string::npos,
                r.error().message);
  CHECK(took < std::chrono::seconds(5));

  // The transport's own limit when the request's is longer.
  o.request_timeout_ms = 300;
  curl_transport t2(o);
  req.timeout = std::chrono::milliseconds(60000);
  auto r2 = t2.send(req);
  REQUIRE_FALSE(r2);
  CHECK_MESSAGE(r2.error().message.find("per-attempt timeout hit: no complete response within 300 ms "
                                        "(curl_options::request_timeout_ms)") != std::string::npos,
                r2.error().message);
}

TEST_CASE("the default low-speed floor catches a 1 byte/s trickle") {
  curl_options o;
  CHECK(o.low_speed_limit_bytes_per_s >= 1024);
  CHECK(o.low_speed_time_s <= 30);
}
