#ifndef FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_INL_HPP
#define FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_INL_HPP
/// \file
/// The bodies of http/curl_transport.hpp: included by that header in header-only
/// mode, compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/http/curl_transport.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

namespace detail {

/// True when `s` holds CR, LF or NUL, which would split or end a header line.
FINOPS_CRAWLER_FUNC bool has_line_break(std::string_view s) noexcept {
  for (char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return true;
  return false;
}

/// The URL's scheme in lower case ("https"), or empty if it has none.
FINOPS_CRAWLER_FUNC std::string url_scheme(std::string_view url) {
  auto colon = url.find("://");
  if (colon == std::string_view::npos) return {};
  std::string scheme(url.substr(0, colon));
  for (auto& c : scheme)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return scheme;
}

/// Owns a curl_slist for the length of one transfer.
class slist_holder {
 public:
  slist_holder() = default;
  slist_holder(const slist_holder&) = delete;
  slist_holder& operator=(const slist_holder&) = delete;
  ~slist_holder() { curl_slist_free_all(list_); }
  bool append(const std::string& line) {
    curl_slist* next = curl_slist_append(list_, line.c_str());
    if (next == nullptr) return false;
    list_ = next;
    return true;
  }
  curl_slist* get() const noexcept { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

/// Bytes of spare capacity kept after a body (simdjson's SIMDJSON_PADDING).
inline constexpr std::size_t body_padding = 64;

/// Parses a decimal Content-Length value; nullopt if it is not one.
FINOPS_CRAWLER_FUNC std::optional<std::uint64_t> parse_content_length(std::string_view v) noexcept {
  if (v.empty() || v.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC std::size_t curl_transport::on_body(char* data, std::size_t size, std::size_t count,
                                           void* user) noexcept {
  auto* st = static_cast<transfer_state*>(user);
  const std::size_t n = size * count;
  std::string& body = st->response->body;
  // The cap is checked before growing, so an endless body never allocates
  // past cap + one libcurl buffer. Returning a short count aborts the transfer.
  if (n > st->cap || body.size() > st->cap - n) {
    st->too_large = true;
    return 0;
  }
  if (body.capacity() < body.size() + n + detail::body_padding) {
    std::size_t want = body.capacity() * 2;
    if (want < body.size() + n + detail::body_padding) want = body.size() + n + detail::body_padding;
    if (want > st->cap + detail::body_padding) want = st->cap + detail::body_padding;
    body.reserve(want);
  }
  body.append(data, n);
  return n;
}

FINOPS_CRAWLER_FUNC std::size_t curl_transport::on_header(char* data, std::size_t size, std::size_t count,
                                             void* user) noexcept {
  auto* st = static_cast<transfer_state*>(user);
  const std::size_t n = size * count;
  // Headers are bounded too: max_header_bytes is far beyond any AWS reply.
  st->header_bytes += n;
  if (st->header_bytes > max_header_bytes) {
    st->header_overflow = true;
    return 0;
  }
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line: an interim 1xx (or a proxy's CONNECT reply) ended;
    // keep only the final response's headers.
    st->response->headers.clear();
    st->header_bytes = n;
    st->headers_done = false;
    return n;
  }
  if (line.empty()) {
    st->headers_done = true;  // an interim response's end is undone by the next status line
    return n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank end line or junk
  std::string_view name = line.substr(0, colon);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (iequals(name, "content-length")) {
    // Refuse an announced over-cap body before reading any of it. (libcurl
    // reports the encoded length; the decoded body is checked in on_body.)
    auto len = detail::parse_content_length(value);
    if (len && *len > st->cap) {
      st->too_large = true;
      return 0;
    }
    if (len && st->response->body.capacity() < *len + detail::body_padding)
      st->response->body.reserve(static_cast<std::size_t>(*len) + detail::body_padding);
  }
  st->response->headers.push_back(header{std::string(name), std::string(value)});
  return n;
}

FINOPS_CRAWLER_FUNC result<http_response> curl_transport::fail(CURLcode code, const char* detail,
                                                  std::string_view url, std::string_view what) {
  std::string msg = "HTTP request to ";
  // Only scheme://host[:port]/path: a URL we build carries no secrets, but a
  // query string is not worth repeating in every log line.
  msg += url.substr(0, url.find('?'));
  msg += " failed: ";
  if (what.empty()) msg += curl_easy_strerror(code);
  else msg += what;
  if (detail != nullptr && detail[0] != '\0') {
    msg += " (";
    msg += detail;
    msg += ")";
  }
  error e(errc::transport, std::move(msg));
  e.curl_code = static_cast<int>(code);
  e.retryable = is_retryable_curl_code(static_cast<int>(code));
  return e;
}

FINOPS_CRAWLER_FUNC result<http_response> curl_transport::send(const http_request& request) {
  if (handle_ == nullptr) {
    if (init_code_ != CURLE_OK) {
      error e(errc::transport, std::string("libcurl global initialisation failed: ") +
                                   curl_easy_strerror(static_cast<CURLcode>(init_code_)));
      e.curl_code = init_code_;
      e.retryable = false;
      return e;
    }
    error e(errc::transport, "no libcurl handle: curl_easy_init failed, or this transport was moved from");
    e.retryable = false;
    return e;
  }

  const std::string scheme = detail::url_scheme(request.url);
  if (scheme != "https" && !(scheme == "http" && options_.allow_http)) {
    if (scheme == "http")
      return error(errc::invalid_argument,
                   "refusing plain-http URL " + request.url.substr(0, request.url.find('?')) +
                       ": AWS endpoints require HTTPS; http is allowed only for an endpoint that was "
                       "explicitly overridden (e.g. a local simulator given with --endpoint-url)");
    return error(errc::invalid_argument,
                 "unsupported URL '" + request.url.substr(0, request.url.find('?')) + "': expected https://host/...");
  }
  if (detail::has_line_break(request.url) || detail::has_line_break(request.method))
    return error(errc::invalid_argument, "request URL or method contains a line break");

  detail::slist_holder headers;
  for (const auto& h : request.headers) {
    if (h.name.empty() || detail::has_line_break(h.name) || detail::has_line_break(h.value) ||
        h.name.find(':') != std::string::npos)
      return error(errc::invalid_argument, "request header '" + h.name + "' has an invalid name or a line break");
    // "Name;" is libcurl's spelling of a header sent with an empty value;
    // "Name:" would remove the header instead.
    if (!headers.append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value))
      return error(errc::transport, "out of memory building request headers");
  }
  // Why: libcurl would add "Expect: 100-continue" to large POSTs and wait for
  // the server; an empty value suppresses the header.
  if (!request.header("expect") && !headers.append("Expect:"))
    return error(errc::transport, "out of memory building request headers");
  // Why: libcurl's default "Accept: */*" is harmless but is not ours to send.
  if (!request.header("accept") && !headers.append("Accept:"))
    return error(errc::transport, "out of memory building request headers");

  http_response response;
  transfer_state st;
  st.response = &response;
  st.cap = options_.max_response_bytes;
  char errbuf[CURL_ERROR_SIZE];
  errbuf[0] = '\0';

  // The attempt's time limit: the transport's own, or the request's when
  // that is shorter (what remains of the caller's deadline).
  long timeout_ms = options_.request_timeout_ms;
  bool request_limited = false;
  if (request.timeout.count() > 0 && (timeout_ms <= 0 || request.timeout.count() < timeout_ms)) {
    timeout_ms = static_cast<long>(request.timeout.count());
    request_limited = true;
  }

  CURL* h = handle_;
  const char* protocols = options_.allow_http ? "http,https" : "https";
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode c) {
    if (rc == CURLE_OK) rc = c;
  };
  set(curl_easy_setopt(h, CURLOPT_URL, request.url.c_str()));
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols));
  set(curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocols));
  set(curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!options_.ca_bundle.empty()) set(curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_bundle.c_str()));
  set(curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""));
  set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms));
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms));
  set(curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit_bytes_per_s));
  set(curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s));
  set(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(
      options_.max_response_bytes > static_cast<std::size_t>(std::numeric_limits<curl_off_t>::max())
          ? std::numeric_limits<curl_off_t>::max()
          : static_cast<curl_off_t>(options_.max_response_bytes))));
  set(curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str()));
  set(curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()));
  set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf));
  set(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &curl_transport::on_body));
  set(curl_easy_setopt(h, CURLOPT_WRITEDATA, static_cast<void*>(&st)));
  set(curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &curl_transport::on_header));
  set(curl_easy_setopt(h, CURLOPT_HEADERDATA, static_cast<void*>(&st)));
  if (request.method == "GET") {
    set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr)));
    set(curl_easy_setopt(h, CURLOPT_HTTPGET, 1L));
  } else {
    // POSTFIELDS points into the request, which outlives this call; the
    // explicit size allows NUL bytes and avoids a strlen.
    set(curl_easy_setopt(h, CURLOPT_POST, 1L));
    set(curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
    set(curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data()));
    set(curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
                         request.method == "POST" ? static_cast<const char*>(nullptr) : request.method.c_str()));
  }
  if (rc != CURLE_OK) return fail(rc, "while setting transfer options", request.url);

  rc = curl_easy_perform(h);

  // The handle keeps pointers into this frame (errbuf, headers, st); clear
  // them so nothing dangles between calls.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));

  ++counters_.transfers;
  long connects = 0;
  if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
    counters_.connections += static_cast<std::uint64_t>(connects);
  curl_off_t up = 0;
  if (curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &up) == CURLE_OK && up > 0)
    counters_.bytes_sent += static_cast<std::uint64_t>(up);
  counters_.bytes_received += response.body.size();

  if (st.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    error e(errc::response_too_large,
            "response from " + request.url.substr(0, request.url.find('?')) + " is larger than the " +
                std::to_string(options_.max_response_bytes) +
                "-byte cap (curl_options::max_response_bytes); transfer aborted");
    e.curl_code = static_cast<int>(rc);
    e.retryable = false;
    return e;
  }
  // libcurl refuses a header line over CURL_MAX_HTTP_HEADER itself, as
  // CURLE_OUT_OF_MEMORY ("Out of memory"): say what it is.
  const bool line_too_long = rc == CURLE_OUT_OF_MEMORY && !st.headers_done;
  if (st.header_overflow || line_too_long) {
    const std::size_t limit = st.header_overflow ? max_header_bytes : curl_max_header_line;
    error e(errc::transport, "HTTP request to " + request.url.substr(0, request.url.find('?')) +
                                 " failed: response header larger than " + std::to_string(limit) + " bytes (" +
                                 (st.header_overflow ? "all header lines together" : "one header line") +
                                 "); transfer aborted, not retried: no AWS reply has such headers");
    e.curl_code = static_cast<int>(rc);
    e.retryable = false;
    return e;
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    // Say which limit fired: libcurl's text does not name our settings.
    std::string what;
    curl_off_t connect_us = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
    if (std::strstr(errbuf, "too slow") != nullptr) {
      what = "low-speed limit hit: fewer than " + std::to_string(options_.low_speed_limit_bytes_per_s) +
             " bytes/s for " + std::to_string(options_.low_speed_time_s) +
             " s (curl_options::low_speed_limit_bytes_per_s, low_speed_time_s)";
    } else if (connect_us == 0 && options_.connect_timeout_ms > 0 &&
               (timeout_ms <= 0 || options_.connect_timeout_ms <= timeout_ms)) {
      what = "connect timeout hit: no connection within " + std::to_string(options_.connect_timeout_ms) +
             " ms (curl_options::connect_timeout_ms)";
    } else if (request_limited) {
      what = "request time limit hit: no complete response within " + std::to_string(timeout_ms) +
             " ms (http_request::timeout: what remained of the call deadline)";
    } else {
      what = "per-attempt timeout hit: no complete response within " + std::to_string(timeout_ms) +
             " ms (curl_options::request_timeout_ms)";
    }
    return fail(rc, errbuf, request.url, what);
  }
  if (rc != CURLE_OK) return fail(rc, errbuf, request.url);

  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = status;
  if (response.body.capacity() < response.body.size() + detail::body_padding)
    response.body.reserve(response.body.size() + detail::body_padding);
  return response;
}

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_HTTP_CURL_TRANSPORT_INL_HPP
