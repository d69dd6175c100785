#ifndef FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_INL_HPP
#define FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_INL_HPP
/// \file
/// The bodies of aws/credential_provider.hpp: included by that header in
/// header-only mode, compiled once in src/ otherwise (config.hpp). Not for
/// direct inclusion.

#include "finops_crawler/aws/credential_provider.hpp"

#include "finops_crawler/detail/time.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace aws {

namespace detail {

FINOPS_CRAWLER_FUNC std::string iso8601_utc(credentials::time_point t) {
  const auto f = finops_crawler::detail::to_utc_fields(t);
  char buf[32];
  auto two = [](char* p, unsigned v) {
    p[0] = static_cast<char>('0' + v / 10 % 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  if (f.year < 0 || f.year > 9999) return "(a time outside years 0000-9999)";
  const unsigned y = static_cast<unsigned>(f.year);
  two(buf, y / 100);
  two(buf + 2, y % 100);
  buf[4] = '-';
  two(buf + 5, f.month);
  buf[7] = '-';
  two(buf + 8, f.day);
  buf[10] = 'T';
  two(buf + 11, f.hour);
  buf[13] = ':';
  two(buf + 14, f.minute);
  buf[16] = ':';
  two(buf + 17, f.second);
  buf[19] = 'Z';
  return std::string(buf, 20);
}

FINOPS_CRAWLER_FUNC std::string safe_excerpt(std::string_view text, std::size_t limit) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  std::string out;
  const std::size_t n = text.size() < limit ? text.size() : limit;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > n) out += "...";
  return out;
}

}  // namespace detail

FINOPS_CRAWLER_FUNC result<std::shared_ptr<refreshing_credentials>> refreshing_credentials::make_static(credentials c) {
  if (c.empty()) return error(errc::no_credentials, "empty credentials given as static credentials");
  std::shared_ptr<refreshing_credentials> r(new refreshing_credentials());
  r->static_ = true;
  r->name_ = c.source();
  r->static_creds_ = std::move(c);
  return r;
}

FINOPS_CRAWLER_FUNC result<std::shared_ptr<refreshing_credentials>> refreshing_credentials::make(
    std::unique_ptr<credentials_provider> provider, refresh_options options) {
  if (!provider) return error(errc::invalid_argument, "refreshing_credentials::make: null provider");
  std::shared_ptr<refreshing_credentials> r(new refreshing_credentials());
  r->name_ = std::string(provider->name());
  r->provider_ = std::move(provider);
  r->options_ = std::move(options);
  return r;
}

FINOPS_CRAWLER_FUNC result<credentials_lease> refreshing_credentials::current_slow(time_point now) {
  if (static_) {
    // Static credentials with a known expiry: never sign with them once
    // they are past it (AWS would answer ExpiredToken after a billable-
    // looking round trip; this says why at once).
    if (static_creds_.expired(now))
      return error(errc::no_credentials, "the credentials from " + name_ + " expired at " +
                                             detail::iso8601_utc(*static_creds_.expiry()) +
                                             " and cannot be refreshed; get new ones");
    return credentials_lease(&static_creds_);
  }
  std::shared_ptr<const credentials> cur;
  bool may_try = false;
  {
    std::lock_guard<std::mutex> g(state_mu_);
    cur = current_;
    may_try = now >= next_attempt_;
  }
  if (cur && (fresh(*cur, now) || (!cur->expired(now) && !may_try))) return credentials_lease(std::move(cur));
  return refresh_and_get(now);
}

FINOPS_CRAWLER_FUNC error refreshing_credentials::expired_error(const credentials* cur, const error& failure) const {
  if (cur == nullptr) return failure;  // the first fetch: the provider's own error as it is
  error e(errc::no_credentials, "the credentials from " + name_ + " expired at " +
                                    detail::iso8601_utc(*cur->expiry()) + " and the refresh failed: " +
                                    (failure.message.empty() ? std::string(error_message(failure.code))
                                                             : failure.message));
  e.http_status = failure.http_status;
  e.aws_code = failure.aws_code;
  e.request_id = failure.request_id;
  return e;
}

FINOPS_CRAWLER_FUNC result<credentials_lease> refreshing_credentials::refresh_and_get(time_point now) {
  std::unique_lock<std::mutex> refresh(refresh_mu_, std::defer_lock);
  unsigned long attempts_seen = 0;
  {
    std::shared_ptr<const credentials> cur;
    {
      std::lock_guard<std::mutex> g(state_mu_);
      cur = current_;
      attempts_seen = fetches_;
    }
    if (cur && !cur->expired(now)) {
      // Still valid: one thread refreshes, the others sign with these.
      if (!refresh.try_lock()) return credentials_lease(std::move(cur));
    } else {
      refresh.lock();  // nothing usable: wait for the refresh in progress
    }
  }
  std::shared_ptr<const credentials> cur;
  {
    std::lock_guard<std::mutex> g(state_mu_);
    cur = current_;
    // Another thread refreshed while this one waited.
    if (cur && !cur->expired(now) && (fresh(*cur, now) || now < next_attempt_))
      return credentials_lease(std::move(cur));
    // Another thread's attempt failed while this one waited: report that
    // failure instead of asking the provider once more per waiting thread.
    if (fetches_ != attempts_seen && last_error_.code != errc::ok && (!cur || cur->expired(now)))
      return expired_error(cur.get(), last_error_);
  }
  auto got = provider_->fetch(now);
  error failure;
  if (got) {
    if (got->empty()) {
      failure = error(errc::no_credentials, name_ + " returned empty credentials");
    } else if (got->expired(now)) {
      failure = error(errc::no_credentials, name_ + " returned credentials that expired at " +
                                                detail::iso8601_utc(*got->expiry()));
    } else {
      auto fresh_creds = std::make_shared<const credentials>(std::move(*got));
      std::lock_guard<std::mutex> g(state_mu_);
      ++fetches_;
      current_ = fresh_creds;
      last_error_ = error();
      // Credentials that are already inside the margin (a short-lived
      // source) are used until a later attempt, not refetched per request.
      next_attempt_ = fresh(*fresh_creds, now) ? time_point{} : now + options_.retry_interval;
      return credentials_lease(std::move(fresh_creds));
    }
  } else {
    failure = got.error();
  }
  {
    std::lock_guard<std::mutex> g(state_mu_);
    ++fetches_;
    last_error_ = failure;
    next_attempt_ = now + options_.retry_interval;
  }
  refresh.unlock();
  if (cur && !cur->expired(now)) {
    // Still valid: keep them, and tell the caller the refresh failed (the
    // run goes on now but will fail once they expire). A first fetch or an
    // expired refresh is the call's own error instead: reporting it here
    // too would claim keys were kept that are not.
    if (options_.on_refresh_failure) options_.on_refresh_failure(failure);
    return credentials_lease(std::move(cur));
  }
  return expired_error(cur.get(), failure);
}

FINOPS_CRAWLER_FUNC status refreshing_credentials::prime(time_point now) {
  if (static_) return {};
  {
    std::lock_guard<std::mutex> g(state_mu_);
    if (current_) return {};
  }
  auto r = current_slow(now);
  if (!r) return r.error();
  return {};
}

FINOPS_CRAWLER_FUNC error refreshing_credentials::last_error() const {
  std::lock_guard<std::mutex> g(state_mu_);
  return last_error_;
}

FINOPS_CRAWLER_FUNC std::shared_ptr<const credentials> refreshing_credentials::peek() const {
  if (static_) return std::shared_ptr<const credentials>(std::shared_ptr<const credentials>(), &static_creds_);
  std::lock_guard<std::mutex> g(state_mu_);
  return current_;
}

FINOPS_CRAWLER_FUNC unsigned long refreshing_credentials::fetch_count() const {
  std::lock_guard<std::mutex> g(state_mu_);
  return fetches_;
}

}  // namespace aws
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CREDENTIAL_PROVIDER_INL_HPP
