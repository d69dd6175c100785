#ifndef FINOPS_CRAWLER_HTTP_TRANSPORT_HPP
#define FINOPS_CRAWLER_HTTP_TRANSPORT_HPP
/// \file
/// The HTTP layer's vocabulary: one request, one response, the abstract
/// `transport` that sends a request, its transfer counters, and the clock the
/// layer waits with. No libcurl here: `curl_transport.hpp` is the one file that
/// includes <curl/curl.h>; unit tests implement `transport` with scripted
/// responses and never open a socket.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "finops_crawler/detail/ascii.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

/// One header line: name and value as sent or received (value without the
/// surrounding whitespace). Names compare case-insensitively (RFC 9110 5.1).
struct header {
  std::string name;
  std::string value;
};

/// Headers in wire order. Duplicates are kept; lookups return the first.
using header_list = std::vector<header>;

/// ASCII case-insensitive equality, for header names (detail/ascii.hpp).
using finops_crawler::detail::iequals;

/// The value of the first header named `name` (any case), or nullopt.
/// The view borrows from `headers`; it is invalidated when the list changes.
/// Linear in the number of headers.
inline std::optional<std::string_view> find_header(const header_list& headers FINOPS_CRAWLER_LIFETIMEBOUND,
                                                   std::string_view name) noexcept {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

/// One HTTP request. `method` is "GET" or "POST" (others are sent as custom
/// methods). `url` is absolute (scheme, host, optional port, path, query).
/// `headers` are sent exactly as given, in order; the transport adds only
/// headers no signature covers (Content-Length, Accept-Encoding, User-Agent).
/// Header names and values must not contain CR or LF (the transport refuses
/// them with errc::invalid_argument rather than letting them split a line).
struct http_request {
  std::string method = "POST";
  std::string url;
  header_list headers;
  std::string body;
  /// A limit on this request's whole transfer (connect to last byte) that
  /// applies when it is shorter than the transport's own (for curl_transport,
  /// curl_options::request_timeout_ms); zero or negative means none.
  /// aws::json_client sets it to what remains of the call's deadline
  /// (client_options::call_deadline), so no attempt outlives the call.
  std::chrono::milliseconds timeout{0};

  /// The first header named `name` (any case), or nullopt; borrows from *this.
  std::optional<std::string_view> header(std::string_view name) const FINOPS_CRAWLER_LIFETIMEBOUND {
    return find_header(headers, name);
  }
};

/// One HTTP response: the final status (interim 1xx responses are dropped),
/// its headers and its decoded body (any Content-Encoding already undone).
///
/// A transport leaves at least 64 bytes of spare capacity after the body, so
/// a JSON parser that reads ahead in blocks (simdjson's SIMDJSON_PADDING) can
/// parse it in place without copying.
struct http_response {
  long status = 0;
  header_list headers;
  std::string body;

  /// The first header named `name` (any case), or nullopt; borrows from *this.
  std::optional<std::string_view> header(std::string_view name) const FINOPS_CRAWLER_LIFETIMEBOUND {
    return find_header(headers, name);
  }
};

/// What a transport has done since it was made. All counts are totals.
struct transfer_counters {
  std::uint64_t transfers = 0;        ///< requests handed to the network (successful or not)
  std::uint64_t connections = 0;      ///< new connections opened (libcurl's CURLINFO_NUM_CONNECTS, summed)
  std::uint64_t bytes_sent = 0;       ///< request body bytes uploaded
  std::uint64_t bytes_received = 0;   ///< response body bytes received (after decoding)
};

/// Sends one request and returns the response, or an error when no complete
/// HTTP response arrived. An HTTP error status (4xx, 5xx) is a *response*, not
/// an error: interpreting it is the caller's job (see aws_error.hpp).
///
/// Errors: errc::transport for network failures (`error::retryable` says
/// whether a retry can help; `error::curl_code` holds libcurl's code),
/// errc::response_too_large when the body passes the cap, errc::invalid_argument
/// for a request that cannot be sent as given (bad URL, refused scheme).
///
/// Thread safety: an implementation is used by one thread at a time unless it
/// documents otherwise; make one per thread.
class transport {
 public:
  virtual ~transport() = default;

  /// Sends `request` and waits for the whole response. Blocking.
  virtual result<http_response> send(const http_request& request) = 0;

  /// Totals since construction. A fake may return zeros.
  virtual transfer_counters counters() const noexcept { return {}; }

 protected:
  transport() = default;
  transport(const transport&) = default;
  transport& operator=(const transport&) = default;
  transport(transport&&) = default;
  transport& operator=(transport&&) = default;
};

/// The monotonic clock and the sleep the HTTP layer waits with (backoff,
/// rate limiting). Injected so tests run instantly: a fake `sleep` advances a
/// fake `now`. Both members are always set; copies share nothing unless the
/// functions they hold do. The default is std::chrono::steady_clock and
/// std::this_thread::sleep_for, both safe from any thread.
struct time_source {
  using time_point = std::chrono::steady_clock::time_point;
  std::function<time_point()> now = [] { return std::chrono::steady_clock::now(); };
  std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) {
    if (d > std::chrono::nanoseconds::zero()) std::this_thread::sleep_for(d);
  };
};

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_HTTP_TRANSPORT_HPP
