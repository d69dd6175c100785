// aws::json_client through real libcurl against hostile servers on
// 127.0.0.1 (plain sockets on a thread, port 0): silent after accept, a
// 1 byte/s trickle, an endless body, a huge header, a gzip bomb, a redirect
// and a close-delimited HTTP/1.0 reply. Each must end within its configured
// limit with the documented message and errc, reading no more than the size
// cap. Every loop is bounded (a stop flag, poll timeouts, byte budgets).
#include "finops_crawler/aws/json_client.hpp"

#include "loopback_listener.hpp"
#include "sim_test_support.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using namespace finops_crawler;
using namespace std::chrono_literals;

namespace {

// What the server does on one accepted connection after reading the request.
// `stop` is set when the test ends; a behaviour must return soon after.
class conn {
 public:
  conn(int fd, const std::atomic<bool>& stop) : fd_(fd), stop_(stop) {}
  // Sends all of `data`; false once the client has gone (or the test ends).
  bool send_all(const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
      if (stop_) return false;
      pollfd p{fd_, POLLOUT, 0};
      int r = ::poll(&p, 1, 20);
      if (r < 0) return false;
      if (r == 0) continue;  // bounded by stop_
      auto n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Waits `d` in 20 ms steps; false when the test ends.
  bool pause(std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
    return !stop_;
  }
  // Reads and drops whatever arrives until the client closes or the test ends.
  void wait_for_close() {
    for (int i = 0; i < 30000 && !stop_; ++i) {  // 30000 x 20 ms: 10 minutes at most
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r < 0) return;
      if (r > 0) {
        char buf[4096];
        if (::recv(fd_, buf, sizeof buf, 0) <= 0) return;
      }
    }
  }
  std::size_t sent = 0;

 private:
  int fd_;
  const std::atomic<bool>& stop_;
};

using behaviour = std::function<void(conn&)>;

// Serves connections one at a time, each with `b`, on 127.0.0.1:<port 0>.
class hostile_server {
 public:
  explicit hostile_server(behaviour b) : b_(std::move(b)) {
    thread_ = std::thread([this] { run(); });
  }
  hostile_server(const hostile_server&) = delete;
  hostile_server& operator=(const hostile_server&) = delete;
  ~hostile_server() {
    stop_ = true;
    thread_.join();
  }
  std::string url() const { return listen_.origin("http") + "/"; }
  int accepts() const { return accepts_.load(); }
  int requests() const { return requests_.load(); }
  std::size_t bytes_sent() const { return sent_.load(); }

 private:
  void run() {
    while (!stop_) {  // bounded by the destructor's stop flag
      pollfd p{listen_.fd(), POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r <= 0) continue;
      int c = ::accept(listen_.fd(), nullptr, nullptr);
      if (c < 0) continue;
      ++accepts_;
      if (read_request(c)) {
        ++requests_;
        conn k(c, stop_);
        b_(k);
        sent_ += k.sent;
      }
      ::close(c);
    }
  }
  // Reads one request (headers, then Content-Length bytes); at most 1 MiB.
  bool read_request(int c) {
    std::string buf;
    for (int i = 0; i < 500 && !stop_ && buf.size() < (std::size_t{1} << 20); ++i) {  // 500 x 20 ms
      auto end = buf.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t need = end + 4;
        auto cl = buf.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) need += std::strtoul(buf.c_str() + cl + 16, nullptr, 10);
        if (buf.size() >= need) return true;
      }
      pollfd p{c, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r < 0) return false;
      if (r == 0) continue;
      char tmp[4096];
      auto n = ::recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<std::size_t>(n));
    }
    return false;
  }

  behaviour b_;
  loopback::listener listen_;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepts_{0};
  std::atomic<int> requests_{0};
  std::atomic<std::size_t> sent_{0};
  std::thread thread_;
};

const std::string cost_body = R"({"TimePeriod":{"Start":"2024-01-01","End":"2024-01-05"},"Granularity":"DAILY"})";
const std::string ok_json = R"({"ResultsByTime":[],"DimensionValueAttributes":[]})";

// A client for `url` with short real limits: 2 attempts, 1 ms backoff.
aws::client_options client_for(const std::string& url) {
  sim_test::prepare_process();
  aws::client_options o;
  o.target.url = url;
  o.target.signing_region = "us-east-1";
  o.target.signing_name = "ce";
  o.target.overridden = true;  // a local test server: http allowed
  auto c = aws::credentials::make("AKIDEXAMPLEHOSTILE01", "hostile/secret/key/not/real/EXAMPLEKEY00");
  REQUIRE(c);
  o.creds = *c;
  o.retry.max_attempts = 2;
  o.retry.base_delay = 1ms;
  o.retry.max_delay = 5ms;
  o.rate_limit = {0, 1};
  o.curl.connect_timeout_ms = 5000;
  o.curl.request_timeout_ms = 10000;
  o.call_deadline = 30s;
  return o;
}

std::string headers_200(const std::string& extra = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n" + extra + "\r\n";
}

using sim_test::has;

struct stopwatch {
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
};

// A gzip stream whose inflated content is `prefix`, `spaces` blanks, then
// `suffix`, written with deflate's fixed Huffman codes: one literal blank,
// then <length 258, distance 1> matches (13 bits for 258 bytes, a ratio of
// about 160), so a bomb of many MiB is a few hundred KiB. The CRC-32 is
// computed only when `with_crc` (a bomb is cut off long before its trailer).
class bit_writer {
 public:
  // `n` bits of `v`, least significant first (deflate's header fields).
  void bits(std::uint32_t v, int n) {
    for (int i = 0; i < n; ++i) bit((v >> i) & 1U);
  }
  // A Huffman code of `n` bits, most significant first.
  void code(std::uint32_t v, int n) {
    for (int i = n - 1; i >= 0; --i) bit((v >> i) & 1U);
  }
  std::string finish() {
    if (nbits_ > 0) out_ += static_cast<char>(cur_);
    cur_ = 0;
    nbits_ = 0;
    return std::move(out_);
  }
  std::string out_;

 private:
  void bit(std::uint32_t b) {
    cur_ |= static_cast<std::uint8_t>(b << nbits_);
    if (++nbits_ == 8) {
      out_ += static_cast<char>(cur_);
      cur_ = 0;
      nbits_ = 0;
    }
  }
  std::uint8_t cur_ = 0;
  int nbits_ = 0;
};

void literal(bit_writer& w, unsigned char c) {
  if (c < 144) w.code(0x30 + c, 8);
  else w.code(0x190 + (c - 144), 9);
}

std::uint32_t crc32_update(std::uint32_t crc, unsigned char c) {
  crc ^= c;
  for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
  return crc;
}

std::string gzip_of(const std::string& prefix, std::size_t spaces, const std::string& suffix, bool with_crc) {
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  bit_writer w;
  w.bits(1, 1);  // BFINAL
  w.bits(1, 2);  // BTYPE 01: fixed Huffman codes
  for (unsigned char c : prefix) literal(w, c);
  std::size_t left = spaces;
  if (left > 0) {
    literal(w, ' ');
    --left;
  }
  for (; left >= 258; left -= 258) {
    w.code(0xC5, 8);  // length code 285: 258 bytes, no extra bits
    w.code(0, 5);     // distance code 0: distance 1
  }
  for (; left > 0; --left) literal(w, ' ');
  for (unsigned char c : suffix) literal(w, c);
  w.code(0, 7);  // end of block (256)
  out += w.finish();
  std::uint32_t crc = 0xFFFFFFFFU;
  std::uint64_t size = prefix.size() + spaces + suffix.size();
  if (with_crc) {
    for (unsigned char c : prefix) crc = crc32_update(crc, c);
    for (std::size_t i = 0; i < spaces; ++i) crc = crc32_update(crc, ' ');
    for (unsigned char c : suffix) crc = crc32_update(crc, c);
  }
  crc ^= 0xFFFFFFFFU;
  for (int i = 0; i < 4; ++i) out += static_cast<char>((crc >> (8 * i)) & 0xFF);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((size >> (8 * i)) & 0xFF);
  return out;
}

}  // namespace

TEST_CASE("hostile: the defaults bound a stuck endpoint to under 3 minutes") {
  aws::client_options o;
  http::curl_options c;
  // A 1 byte/s trickle is far below the floor, so the low-speed limit fires.
  CHECK(c.low_speed_limit_bytes_per_s >= 1024);
  CHECK(c.low_speed_time_s > 0);
  CHECK(c.low_speed_time_s <= 30);
  CHECK(o.call_deadline > std::chrono::milliseconds::zero());
  CHECK(o.call_deadline <= std::chrono::minutes(3));
}

TEST_CASE("hostile: silent after accept ends at the per-attempt timeout, retried, with that message") {
  hostile_server srv([](conn& k) { k.wait_for_close(); });
  auto o = client_for(srv.url());
  o.curl.request_timeout_ms = 700;
  o.curl.low_speed_limit_bytes_per_s = 0;  // this case is about the timeout
  aws::json_client c(std::move(o));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  const double took = w.seconds();
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code == 28);  // CURLE_OPERATION_TIMEDOUT
  CHECK_MESSAGE(has(r.error().message, "per-attempt timeout hit: no complete response within 700 ms "
                                       "(curl_options::request_timeout_ms)"), r.error().message);
  CHECK_MESSAGE(has(r.error().message, "gave up after 2 attempts"), r.error().message);
  CHECK(srv.requests() == 2);
  CHECK(took >= 1.3);
  CHECK(took < 5.0);
}

TEST_CASE("hostile: silent after accept ends at the call deadline, which caps the attempt") {
  hostile_server srv([](conn& k) { k.wait_for_close(); });
  auto o = client_for(srv.url());
  o.retry.max_attempts = 5;
  o.curl.request_timeout_ms = 20000;       // longer than the deadline
  o.curl.low_speed_limit_bytes_per_s = 0;
  o.call_deadline = 1500ms;
  aws::json_client c(std::move(o));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  const double took = w.seconds();
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(has(r.error().message, "request time limit hit"), r.error().message);
  CHECK_MESSAGE(has(r.error().message, "gave up after 1 attempt: the call deadline of 1500 ms "
                                       "(client_options::call_deadline) was reached"), r.error().message);
  CHECK(srv.requests() == 1);
  CHECK(took >= 1.4);
  CHECK(took < 4.0);
}

TEST_CASE("hostile: a 1 byte/s trickle ends at the low-speed limit, with that message") {
  hostile_server srv([](conn& k) {
    if (!k.send_all(headers_200("Content-Length: 100000\r\n"))) return;
    for (int i = 0; i < 100 && k.send_all(" "); ++i)  // at most 100 s, until the client gives up
      if (!k.pause(1000ms)) return;
  });
  auto o = client_for(srv.url());
  o.retry.max_attempts = 1;
  o.curl.low_speed_limit_bytes_per_s = 100;
  o.curl.low_speed_time_s = 2;
  aws::json_client c(std::move(o));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  const double took = w.seconds();
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK(r.error().curl_code == 28);
  CHECK_MESSAGE(has(r.error().message, "low-speed limit hit: fewer than 100 bytes/s for 2 s "
                                       "(curl_options::low_speed_limit_bytes_per_s, low_speed_time_s)"),
                r.error().message);
  CHECK(took >= 1.5);
  CHECK(took < 5.0);
}

TEST_CASE("hostile: an endless body stops at the size cap, not retried, memory bounded") {
  hostile_server srv([](conn& k) {
    if (!k.send_all(headers_200())) return;  // no length: delimited by close, never closed
    const std::string chunk(64 << 10, ' ');
    for (int i = 0; i < 16384 && k.send_all(chunk); ++i) {  // at most 1 GiB
    }
  });
  auto o = client_for(srv.url());
  o.curl.max_response_bytes = std::size_t{1} << 20;
  aws::json_client c(std::move(o));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::response_too_large);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(has(r.error().message, "is larger than the 1048576-byte cap (curl_options::max_response_bytes)"),
                r.error().message);
  CHECK(srv.requests() == 1);
  CHECK(w.seconds() < 5.0);
  // The client stopped reading at the cap: what the server got out is the
  // cap plus the sockets' buffers, not the gigabyte it offered.
  CHECK(c.transfer_counters().bytes_received <= (std::size_t{1} << 20));
  CHECK(srv.bytes_sent() < (std::size_t{16} << 20));
}

TEST_CASE("hostile: a 1 MiB header line is 'response header larger than', not 'Out of memory'") {
  hostile_server srv([](conn& k) {
    k.send_all("HTTP/1.1 200 OK\r\nX-Huge: " + std::string(1 << 20, 'h') + "\r\nContent-Length: 2\r\n\r\n{}");
  });
  aws::json_client c(client_for(srv.url()));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(has(r.error().message, "response header larger than 102400 bytes (one header line)"),
                r.error().message);
  CHECK_FALSE(has(r.error().message, "Out of memory"));
  CHECK(srv.requests() == 1);
  CHECK(w.seconds() < 5.0);
}

TEST_CASE("hostile: headers totalling over 256 KiB are 'response header larger than'") {
  hostile_server srv([](conn& k) {
    std::string h = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 400; ++i) h += "X-Many-" + std::to_string(i) + ": " + std::string(1000, 'm') + "\r\n";
    k.send_all(h + "Content-Length: 2\r\n\r\n{}");
  });
  aws::json_client c(client_for(srv.url()));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(has(r.error().message, "response header larger than 262144 bytes (all header lines together)"),
                r.error().message);
  CHECK(srv.requests() == 1);
}

TEST_CASE("hostile: the gzip writer is right (a small gzip body decodes to valid JSON)") {
  const std::string gz = gzip_of("{\"ResultsByTime\":[]", 100000, "}", true);
  CHECK(gz.size() < 2000);
  hostile_server srv([&gz](conn& k) {
    k.send_all(headers_200("Content-Encoding: gzip\r\nContent-Length: " + std::to_string(gz.size()) + "\r\n") + gz);
  });
  aws::json_client c(client_for(srv.url()));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->body.size() == 100000 + 20);
}

TEST_CASE("hostile: a gzip bomb stops at the size cap (decoded bytes count), not retried") {
  // 256 MiB of blanks in about 1.6 MiB of gzip; the cap is 1 MiB decoded.
  const std::string gz = gzip_of("{\"ResultsByTime\":[]", std::size_t{256} << 20, "}", false);
  hostile_server srv([&gz](conn& k) {
    k.send_all(headers_200("Content-Encoding: gzip\r\nContent-Length: " + std::to_string(gz.size()) + "\r\n") + gz);
  });
  auto o = client_for(srv.url());
  o.curl.max_response_bytes = std::size_t{1} << 20;
  aws::json_client c(std::move(o));
  stopwatch w;
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::response_too_large);
  CHECK_FALSE(r.error().retryable);
  CHECK_MESSAGE(has(r.error().message, "is larger than the 1048576-byte cap"), r.error().message);
  CHECK(srv.requests() == 1);
  CHECK(c.transfer_counters().bytes_received <= (std::size_t{1} << 20));
  CHECK(w.seconds() < 5.0);
}

TEST_CASE("hostile: a 302 is not followed: errc::transport, a clear message, nothing sent elsewhere") {
  hostile_server elsewhere([](conn& k) { k.send_all(headers_200("Content-Length: 2\r\n") + "{}"); });
  const std::string location = elsewhere.url() + "steal?X-Amz-Credential=leak";
  hostile_server srv([&location](conn& k) {
    k.send_all("HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n");
  });
  aws::json_client c(client_for(srv.url()));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::transport);  // like every reply that is not AWS's (CLI: exit 5)
  CHECK_FALSE(r.error().retryable);
  CHECK(r.error().http_status == 302);
  CHECK_MESSAGE(has(r.error().message, "Cost Explorer GetCostAndUsage failed: the server answered HTTP 302 "
                                       "(a redirect to \"" + elsewhere.url() + "steal\"), which is not followed"),
                r.error().message);
  CHECK_FALSE(has(r.error().message, "leak"));
  CHECK(srv.requests() == 1);
  CHECK(elsewhere.accepts() == 0);
}

TEST_CASE("hostile: a close-delimited HTTP/1.0 200 works when its JSON is complete") {
  hostile_server srv([](conn& k) {
    k.send_all("HTTP/1.0 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n" + ok_json);
  });  // the connection closes here: that ends the body
  aws::json_client c(client_for(srv.url()));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_MESSAGE(r, r.error().describe());
  CHECK(r->status == 200);
  CHECK(r->body == ok_json);
}

TEST_CASE("hostile: a close-delimited HTTP/1.0 200 cut off is never trusted: bad_json after the retries") {
  hostile_server srv([](conn& k) {
    k.send_all("HTTP/1.0 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\r\n{\"ResultsByTime\":[{\"Time");
  });
  aws::json_client c(client_for(srv.url()));
  auto r = c.call("GetCostAndUsage", cost_body);
  REQUIRE_FALSE(r);
  CHECK(r.code() == errc::bad_json);  // CLI: exit 5, like the other replies that are not AWS's
  CHECK(r.error().http_status == 200);
  CHECK_MESSAGE(has(r.error().message, "is not valid JSON"), r.error().message);
  CHECK_MESSAGE(has(r.error().message, "it was probably cut off in transit; gave up after 2 attempts"),
                r.error().message);
  CHECK(srv.requests() == 2);
}
