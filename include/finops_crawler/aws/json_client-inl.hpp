#ifndef FINOPS_CRAWLER_AWS_JSON_CLIENT_INL_HPP
#define FINOPS_CRAWLER_AWS_JSON_CLIENT_INL_HPP
/// \file
/// The bodies of aws/json_client.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC bool is_operation_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

FINOPS_CRAWLER_FUNC status split_endpoint_url(std::string_view url, std::string& host, std::string& path) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' has no scheme (expected https://host)");
  std::string_view rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.empty())
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' has no host");
  if (authority.find('@') != std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL must not contain user information");
  std::string_view p = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  if (p.find_first_of("?#") != std::string_view::npos)
    return error(errc::invalid_argument, "endpoint URL '" + std::string(url) + "' must not have a query or fragment");
  host.assign(authority.data(), authority.size());
  path.assign(p.data(), p.size());
  return {};
}

}  // namespace detail

FINOPS_CRAWLER_FUNC json_client::json_client(client_options options)
    : service_(options.service),
      target_(std::move(options.target)),
      creds_(std::move(options.credential_source)),
      wall_clock_(options.wall_clock),
      transport_(std::move(options.transport)),
      retry_(options.retry, options.time, std::move(options.random)),
      limiter_(std::move(options.limiter)),
      on_attempt_(std::move(options.on_attempt)),
      call_deadline_(options.call_deadline),
      signer_(std::move(options.wall_clock)) {
  if (!transport_) {
    http::curl_options curl = std::move(options.curl);
    // Why: plain http is only for endpoints the user named explicitly (a
    // local simulator); every AWS endpoint is https.
    curl.allow_http = target_.overridden;
    transport_.reset(new http::curl_transport(std::move(curl)));
  }
  if (!limiter_) limiter_ = std::make_shared<http::rate_limiter>(options.rate_limit, options.time);
  url_ = target_.url;
  // The first problem found is the one every call reports.
  if (auto s = detail::split_endpoint_url(target_.url, host_, path_); !s) {
    setup_error_ = s.error();
  } else {
    // A URL without a path is sent with "/" (the path it is signed with).
    if (url_.find('/', url_.find("://") + 3) == std::string::npos) url_ += '/';
    if (target_.signing_region.empty()) {
      setup_error_ = error(errc::invalid_argument, "endpoint has no signing region");
    } else if (!creds_) {
      if (options.creds.empty()) {
        setup_error_ = error(errc::no_credentials, "the client was given empty credentials");
      } else if (auto st = refreshing_credentials::make_static(std::move(options.creds)); st) {
        creds_ = std::move(*st);
      } else {
        setup_error_ = st.error();
      }
    }
  }
  if (target_.signing_name.empty()) target_.signing_name = std::string(service_.iam_prefix);
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::call(std::string_view operation, std::string_view json_body) {
  return call(operation, json_body, doc_);
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::call(std::string_view operation, std::string_view json_body,
                                                                  finops_crawler::detail::json_document& parsed) {
  return call(operation, json_body, parsed, body_reader());
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::call(std::string_view operation, std::string_view json_body,
                                                                  finops_crawler::detail::json_document& parsed,
                                                                  const body_reader& read) {
  if (service_.target_prefix.empty())
    return error(errc::invalid_argument, std::string(service_.display_name) +
                                             " does not speak AWS JSON 1.1; use call_query()");
  if (!detail::is_operation_name(operation))
    return error(errc::invalid_argument, "'" + std::string(operation) + "' is not an AWS operation name");
  std::string target(service_.target_prefix);
  target += '.';
  target += operation;
  return execute(protocol::json, operation, "application/x-amz-json-1.1", std::move(target),
                 std::string(json_body.empty() ? std::string_view("{}") : json_body), parsed, read ? &read : nullptr);
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::call_query(std::string_view action,
                                                           const std::vector<form_param>& params) {
  return call_query(action, params, body_reader());
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::call_query(std::string_view action,
                                                           const std::vector<form_param>& params,
                                                           const body_reader& read) {
  if (!detail::is_operation_name(action))
    return error(errc::invalid_argument, "'" + std::string(action) + "' is not an AWS action name");
  // Query protocol: Action and Version first, then the parameters, each
  // name and value percent-encoded (application/x-www-form-urlencoded).
  std::string body = "Action=";
  body += action;
  body += "&Version=";
  finops_crawler::detail::append_uri_encoded(body, service_.api_version);
  for (const auto& p : params) {
    body += '&';
    finops_crawler::detail::append_uri_encoded(body, p.name);
    body += '=';
    finops_crawler::detail::append_uri_encoded(body, p.value);
  }
  return execute(protocol::query, action, "application/x-www-form-urlencoded; charset=utf-8", std::string(),
                 std::move(body), doc_, read ? &read : nullptr);
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::execute(protocol p, std::string_view operation,
                                                        std::string content_type, std::string target_header,
                                                        std::string body,
                                                        finops_crawler::detail::json_document& parsed,
                                                        const body_reader* read) {
  if (setup_error_.code != errc::ok) return setup_error_;
  http::http_request base;
  base.method = "POST";
  base.url = url_;
  base.headers.reserve(8);
  base.headers.push_back({"Host", host_});
  base.headers.push_back({"Content-Type", std::move(content_type)});
  if (!target_header.empty()) base.headers.push_back({"X-Amz-Target", std::move(target_header)});
  base.body = std::move(body);

  const int max_attempts = retry_.max_attempts();
  const http::time_source& clock = retry_.time();
  const bool has_deadline = call_deadline_.count() > 0;
  const auto deadline = clock.now() + call_deadline_;
  auto deadline_note = [this](int attempts) {
    return "; gave up after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts") +
           ": the call deadline of " + std::to_string(call_deadline_.count()) +
           " ms (client_options::call_deadline) was reached";
  };
  error last;  // the previous attempt's failure
  for (int n = 1;; ++n) {
    attempt_info info;
    info.method = "POST";  // a literal: the hook may keep it
    info.service = service_.display_name;
    info.operation = operation;
    info.attempt = n;
    info.max_attempts = max_attempts;
    info.waited = limiter_->acquire();
    std::chrono::milliseconds time_left{0};
    if (has_deadline) {
      const auto left = deadline - clock.now();
      if (left <= std::chrono::nanoseconds::zero()) {
        // Only after a failure (the rate limiter outlasted the deadline, or
        // a slow sleeper): no attempt starts after the deadline.
        error e = n > 1 ? last : error(errc::transport, std::string(service_.display_name) + " " +
                                                            std::string(operation) + " was not sent");
        e.code = errc::transport;
        e.retryable = false;
        e.message += deadline_note(n - 1);
        return e;
      }
      // Rounded up, so an attempt never gets 0 (which means no limit).
      time_left = std::chrono::ceil<std::chrono::milliseconds>(left);
    }
    if (n > 1) ++counters_.retries;

    auto r = attempt(p, operation, base, time_left, parsed, read);
    if (r) {
      info.http_status = r->status;
      if (on_attempt_) on_attempt_(info);
      if (p == protocol::json && service_.billable) ++counters_.billable_requests;
      return r;
    }
    error e = r.error();
    info.http_status = e.http_status;
    if (e.code == errc::throttled) ++counters_.throttles;
    bool again = retry_.should_retry(e, n);
    std::chrono::nanoseconds delay{0};
    if (again) delay = retry_.backoff(n, e.code == errc::throttled);
    // Out of time: a retry would start at or after the deadline, or this
    // attempt itself was cut short by it (its timeout was what remained).
    const bool timed_out = e.code == errc::transport && e.curl_code == CURLE_OPERATION_TIMEDOUT;
    if (has_deadline && (again || timed_out) && clock.now() + delay >= deadline) {
      info.failure = &e;
      if (on_attempt_) on_attempt_(info);
      e.code = errc::transport;
      e.retryable = false;
      e.message += deadline_note(n);
      return e;
    }
    if (again) {
      info.will_retry = true;
      info.delay = delay;
    }
    info.failure = &e;
    if (on_attempt_) on_attempt_(info);
    if (!again) {
      if (n > 1 || e.retryable) {
        e.message += "; gave up after " + std::to_string(n) + (n == 1 ? " attempt" : " attempts");
        if (e.retryable && n >= max_attempts) e.message += " (retry.max_attempts)";
      }
      return e;
    }
    last = e;
    retry_.sleep(info.delay);
  }
}

FINOPS_CRAWLER_FUNC result<http::http_response> json_client::attempt(protocol p, std::string_view operation,
                                                        const http::http_request& base,
                                                        std::chrono::milliseconds time_left,
                                                        finops_crawler::detail::json_document& parsed,
                                                        const body_reader* read) {
  // SigV4 over exactly the headers we send: Host, Content-Type,
  // X-Amz-Target (JSON); the signer adds X-Amz-Date (fresh each attempt),
  // X-Amz-Security-Token (signed, when present) and Authorization.
  sigv4::header hs[3];
  std::size_t nh = 0;
  for (const auto& h : base.headers)
    if (nh < 3) hs[nh++] = sigv4::header{h.name, h.value};
  sigv4::request_view rv{base.method, path_, "", sigv4::header_span(hs, nh), base.body};
  sigv4::signing_params sp;
  sp.region = target_.signing_region;
  sp.service = target_.signing_name;
  // The keys valid now (refreshed first when close to expiry). The lease
  // keeps them alive through this attempt if another client refreshes.
  auto lease = creds_->current(creds_->needs_clock()
                                   ? (wall_clock_ ? wall_clock_() : std::chrono::system_clock::now())
                                   : credentials::time_point{});
  if (!lease) {
    error e = lease.error();
    e.message = "no usable credentials for " + std::string(service_.display_name) + " " + std::string(operation) +
                ": " + e.message;
    e.retryable = false;
    return e;
  }
  const credentials& keys = lease->get();
  sigv4::credentials_view cv{keys.access_key_id(), keys.secret_access_key(), keys.session_token()};
  if (auto s = signer_.sign_headers(rv, cv, sp, signature_); !s) {
    error e = s.error();
    e.message = "could not sign the " + std::string(operation) + " request: " + e.message;
    e.retryable = false;
    return e;
  }
  http::http_request req;
  req.method = base.method;
  req.url = base.url;
  req.headers.reserve(base.headers.size() + signature_.headers_to_add.size());
  req.headers = base.headers;
  for (const auto& h : signature_.headers_to_add) req.headers.push_back({h.name, h.value});
  // The request holds the Authorization header and maybe the session token;
  // it never leaves this function except into the transport.
  req.body = base.body;
  req.timeout = time_left;

  ++counters_.requests_sent;
  auto sent = transport_->send(req);
  if (!sent) return sent.error();
  http::http_response& resp = *sent;
  if (resp.status >= 200 && resp.status < 300) {
    error bad = validate_ok_body(p, operation, resp, parsed);
    if (bad.code != errc::ok) return bad;
    if (read) {
      if (status st = (*read)(resp); !st) {
        error e = st.error();
        if (e.request_id.empty())
          if (auto h = resp.header("x-amzn-requestid")) e.request_id = detail::clean_message(*h, 200);
        // A reply refused for good was still answered (and billed) by AWS;
        // a damaged one is retried and, like a cut-off 200, not counted.
        if (!e.retryable && p == protocol::json && service_.billable) ++counters_.billable_requests;
        return e;
      }
    }
    return std::move(resp);
  }
  const error_context ctx{service_.display_name, operation, service_.iam_prefix};
  if (resp.status >= 300 && resp.status < 400) {
    // Why: AWS APIs never redirect, and following one would send a signed
    // request elsewhere. A redirect means something that is not AWS answered
    // (a proxy, a captive portal, a wrong --endpoint-url): a network-side
    // fault like an invalid 200, so errc::transport, not an AWS refusal.
    std::string msg = std::string(service_.display_name) + " " + std::string(operation) +
                      " failed: the server answered HTTP " + std::to_string(resp.status) + " (a redirect";
    if (auto loc = resp.header("location")) {
      // Only scheme://host/path, and printable: the server's text is untrusted.
      std::string_view l = loc->substr(0, loc->find('?'));
      msg += " to \"" + detail::clean_message(l, 200) + "\"";
    }
    msg += "), which is not followed: AWS APIs never redirect; check the endpoint URL and any proxy";
    error e(errc::transport, std::move(msg));
    e.http_status = resp.status;
    if (auto h = resp.header("x-amzn-requestid")) e.request_id = detail::clean_message(*h, 200);
    e.retryable = false;
    return e;
  }
  return p == protocol::json ? decode_json_error(resp, ctx) : decode_query_error(resp, ctx);
}

FINOPS_CRAWLER_FUNC error json_client::validate_ok_body(protocol p, std::string_view operation, http::http_response& r,
                                                        finops_crawler::detail::json_document& parsed) {
  std::string what;
  bool retry = true;
  if (p == protocol::json) {
    // Why: a 200 can arrive with a cut-off body (a proxy or server closing
    // early with a complete chunked stream); only complete JSON is returned.
    // The body is parsed in place: transports leave simdjson's padding.
    if (parsed.parse_padded(simdjson::padded_string_view(r.body.data(), r.body.size(), r.body.capacity()), {}))
      return error();
    const simdjson::error_code err = parsed.last_error();
    if (err == simdjson::DEPTH_ERROR) {
      // Complete but absurd: a retry would get the same body.
      what = "is nested deeper than " + std::to_string(finops_crawler::detail::max_json_depth) + " levels";
      retry = false;
    } else {
      what = "is not valid JSON (" + std::string(simdjson::error_message(err)) + ")";
    }
  } else {
    std::string open = "<" + std::string(operation) + "Response";
    std::string close = "</" + std::string(operation) + "Response>";
    if (r.body.find(open) != std::string::npos && r.body.find(close) != std::string::npos) return error();
    what = "is not a complete <" + std::string(operation) + "Response> XML document";
  }
  error e(errc::bad_json, std::string(service_.display_name) + " " + std::string(operation) + " returned HTTP " +
                              std::to_string(r.status) + " with a " + std::to_string(r.body.size()) +
                              "-byte body that " + what + (retry ? "; it was probably cut off in transit" : ""));
  if (p == protocol::query) e.code = errc::unexpected_shape;
  e.http_status = r.status;
  if (auto h = r.header("x-amzn-requestid")) e.request_id = std::string(*h);
  e.retryable = retry;
  return e;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_JSON_CLIENT_INL_HPP
