#ifndef FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_HPP
#define FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_HPP
/// \file
/// `curl_transport`: the `transport` over libcurl. This is the only header of
/// the library that includes <curl/curl.h>.

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "finops_crawler/http/transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

/// Settings of a `curl_transport`. Every limit is on by default, so a stalled
/// or hostile server cannot hang the client or make it allocate without bound.
struct curl_options {
  /// Time allowed to open a TCP connection and finish the TLS handshake.
  long connect_timeout_ms = 10'000;
  /// Time allowed for a whole request (one attempt), from connecting to the
  /// last body byte. A request's own http_request::timeout applies when it is
  /// shorter. Hitting it fails with "per-attempt timeout".
  long request_timeout_ms = 120'000;
  /// Abort a transfer that moves fewer than `low_speed_limit_bytes_per_s`
  /// bytes per second on average over `low_speed_time_s` seconds: a silent
  /// or trickling server (1 byte a second) fails after `low_speed_time_s`
  /// instead of holding the attempt until the request timeout. The window
  /// also covers the wait for the first byte, so it must stay above the
  /// service's think time (Cost Explorer answers large queries in seconds).
  /// Hitting it fails with "low-speed limit". 0 in either turns this off.
  long low_speed_limit_bytes_per_s = 1024;
  long low_speed_time_s = 30;
  /// Largest decoded response body accepted. A larger one fails with
  /// errc::response_too_large: early, from Content-Length, when the server
  /// announces it; otherwise as soon as the received bytes pass the cap. The
  /// default is far above any Cost Explorer page (a few hundred KiB).
  std::size_t max_response_bytes = std::size_t{64} << 20;
  /// Allow plain `http://` URLs. Only for endpoints the user overrode
  /// explicitly (a local simulator, a test double); AWS endpoints are always
  /// HTTPS. When false, an http URL is refused before any connection.
  bool allow_http = false;
  /// A PEM CA bundle file to verify servers with; empty means libcurl's
  /// built-in default (the system store). TLS verification is always on.
  std::string ca_bundle;
  /// Sent as User-Agent (not covered by any signature).
  std::string user_agent = "finops-crawler/0.1";
};

/// Largest response header block accepted (all lines of the final response
/// together); any AWS reply's headers are a few KiB. libcurl refuses a single
/// line over `curl_max_header_line` (CURL_MAX_HTTP_HEADER) by itself.
inline constexpr std::size_t max_header_bytes = std::size_t{256} << 10;
inline constexpr std::size_t curl_max_header_line = CURL_MAX_HTTP_HEADER;

/// Whether a libcurl failure may succeed when the same request is sent again:
/// the connection was refused, reset, timed out, or closed before a whole
/// response (empty reply, partial body). DNS, TLS verification and option
/// errors are not: retrying cannot fix them.
inline bool is_retryable_curl_code(int code) noexcept {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_COULDNT_CONNECT:     // connection refused: the service may be restarting
    case CURLE_OPERATION_TIMEDOUT:  // connect, whole-request or low-speed timeout
    case CURLE_GOT_NOTHING:         // empty reply: the server closed an idle kept-alive connection
    case CURLE_PARTIAL_FILE:        // connection closed before Content-Length bytes
    case CURLE_RECV_ERROR:          // connection reset while reading
    case CURLE_SEND_ERROR:          // connection reset while writing
    case CURLE_SSL_CONNECT_ERROR:   // handshake cut off (not a verification failure)
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:  // a compressed body cut off mid-stream
      return true;
    default:
      return false;
  }
}

/// Makes sure `curl_global_init(CURL_GLOBAL_DEFAULT)` has run in this process,
/// exactly once, whichever thread gets here first (std::call_once). Returns
/// the CURLcode of that one call; sets `*ran` (when given) to whether this
/// call was the one that ran it. `curl_transport`'s constructor calls this,
/// so a program that forgets `curl_global_guard` (curl_global.hpp) is safe.
inline int ensure_curl_global_init(bool* ran = nullptr) noexcept {
  static std::once_flag once;
  static int code = CURLE_OK;
  bool here = false;
  std::call_once(once, [&here] {
    code = static_cast<int>(curl_global_init(CURL_GLOBAL_DEFAULT));
    here = true;
  });
  if (ran != nullptr) *ran = here;
  return code;
}

/// The `transport` over one libcurl easy handle, reused for the transport's
/// whole life: libcurl keeps its connection pool on the handle, so successive
/// requests to one host share one kept-alive connection (and one TLS session).
///
/// Each request: TLS peer and host verification always on; protocols limited
/// to https (or http,https when `allow_http`); redirects never followed (AWS
/// APIs do not redirect, and a redirect must not carry a signature elsewhere);
/// `Accept-Encoding` offers every encoding this libcurl can decode, and the
/// body is returned decoded; `Expect:` is sent empty so libcurl never waits
/// for a 100-continue; CURLOPT_NOSIGNAL is set so timeouts work in threads.
///
/// Proxies: libcurl's standard environment variables (`https_proxy`,
/// `http_proxy`, `all_proxy`, `no_proxy`) apply as in the curl tool; this
/// class does nothing special about them.
///
/// Errors: see `transport`. A CURLcode maps to errc::transport with
/// curl_easy_strerror's text (plus libcurl's detail) in the message and the
/// code in `error::curl_code`; `error::retryable` follows
/// is_retryable_curl_code. An over-cap body is errc::response_too_large.
/// A timeout (CURLE_OPERATION_TIMEDOUT) says which limit was hit: "low-speed
/// limit", "connect timeout", "per-attempt timeout" (request_timeout_ms) or
/// "request time limit" (http_request::timeout). A response header past
/// `max_header_bytes` (or one line past libcurl's own 100 KiB) fails with
/// "response header larger than N bytes", not retried.
///
/// Thread safety: one thread at a time (libcurl's rule for an easy handle);
/// make one transport per thread. Move-only; a moved-from transport refuses
/// to send. Cost: the first request to a host pays DNS, TCP and TLS; later
/// ones reuse the connection unless the server closed it.
class curl_transport final : public transport {
 public:
  /// Creates the handle (after ensure_curl_global_init). Never fails: if
  /// libcurl could not be set up, every send() reports why.
  explicit curl_transport(curl_options options = {}) : options_(std::move(options)) {
    init_code_ = ensure_curl_global_init();
    if (init_code_ == CURLE_OK) handle_ = curl_easy_init();
  }
  curl_transport(const curl_transport&) = delete;
  curl_transport& operator=(const curl_transport&) = delete;
  curl_transport(curl_transport&& o) noexcept
      : transport(std::move(o)),
        options_(std::move(o.options_)),
        handle_(std::exchange(o.handle_, nullptr)),
        init_code_(o.init_code_),
        counters_(o.counters_) {}
  curl_transport& operator=(curl_transport&& o) noexcept {
    if (this != &o) {
      if (handle_ != nullptr) curl_easy_cleanup(handle_);
      options_ = std::move(o.options_);
      handle_ = std::exchange(o.handle_, nullptr);
      init_code_ = o.init_code_;
      counters_ = o.counters_;
    }
    return *this;
  }
  ~curl_transport() override {
    if (handle_ != nullptr) curl_easy_cleanup(handle_);
  }

  /// Sends one request on the shared handle. Blocking; see the class comment.
  result<http_response> send(const http_request& request) override;

  /// Totals since construction (including failed transfers).
  transfer_counters counters() const noexcept override { return counters_; }

  /// The options this transport was made with.
  const curl_options& options() const noexcept { return options_; }

 private:
  struct transfer_state {
    http_response* response = nullptr;
    std::size_t cap = 0;
    bool too_large = false;
    std::size_t header_bytes = 0;
    bool header_overflow = false;
    bool headers_done = false;  // the final response's blank line arrived
  };
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept;
  result<http_response> fail(CURLcode code, const char* detail, std::string_view url,
                             std::string_view what = {});

  curl_options options_;
  CURL* handle_ = nullptr;
  int init_code_ = CURLE_OK;
  transfer_counters counters_;
};

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#if FINOPS_CRAWLER_HEADER_ONLY
#include "finops_crawler/http/curl_transport-inl.hpp"
#endif

#endif  // FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_HPP
