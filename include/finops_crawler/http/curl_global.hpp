#ifndef FINOPS_CRAWLER_HTTP_CURL_GLOBAL_HPP
#define FINOPS_CRAWLER_HTTP_CURL_GLOBAL_HPP
/// \file
/// `curl_global_guard`: libcurl's process-wide set-up and tear-down, meant to
/// be the first object of `main()`. (It reaches libcurl through
/// curl_transport.hpp, the one header that includes <curl/curl.h>.)

#include "finops_crawler/http/curl_transport.hpp"
#include "finops_crawler/result.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace http {

/// Runs `curl_global_init` once for the process (thread-safely, through
/// ensure_curl_global_init's std::call_once) and, if this guard is the one
/// that ran it, `curl_global_cleanup` when the guard is destroyed.
///
///   int main() {
///     finops_crawler::http::curl_global_guard curl;
///     if (!curl.ok()) { std::cerr << curl.status().error().describe() << '\n'; return 1; }
///     ...
///   }
///
/// Forgetting it is safe: every `curl_transport` constructor calls
/// ensure_curl_global_init() itself (through the same std::call_once), so the
/// first transport initialises libcurl; only the final cleanup is then left
/// to process exit. Having a guard still matters when threads start: it makes
/// the initialisation happen before them, in main, as libcurl recommends.
///
/// Lifetime: every curl_transport must be destroyed before the guard that
/// did the initialisation (declare the guard first in main). Make one guard
/// per program; it is neither copyable nor movable. Nothing runs at include.
class curl_global_guard {
 public:
  curl_global_guard() noexcept {
    bool ran = false;
    code_ = ensure_curl_global_init(&ran);
    owns_ = ran && code_ == 0;
  }
  curl_global_guard(const curl_global_guard&) = delete;
  curl_global_guard& operator=(const curl_global_guard&) = delete;
  ~curl_global_guard() {
    if (owns_) curl_global_cleanup();
  }

  /// Whether libcurl is initialised.
  bool ok() const noexcept { return code_ == 0; }

  /// Success, or errc::transport naming libcurl's initialisation failure.
  ::finops_crawler::status status() const {
    if (code_ == 0) return {};
    error e(errc::transport, std::string("libcurl global initialisation failed: ") +
                                 curl_easy_strerror(static_cast<CURLcode>(code_)));
    e.curl_code = code_;
    e.retryable = false;
    return e;
  }

 private:
  int code_ = 0;
  bool owns_ = false;
};

}  // namespace http
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_HTTP_CURL_GLOBAL_HPP
