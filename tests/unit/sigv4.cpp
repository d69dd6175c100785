// sigv4.hpp is included first: it must compile on its own.
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_canonical.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"
#include "finops_crawler/detail/crypto.hpp"
#include "finops_crawler/detail/hex.hpp"
#include "finops_crawler/detail/percent_encoding.hpp"
#include "finops_crawler/detail/wipe_on_exit.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

namespace fc = finops_crawler;
namespace sigv4 = finops_crawler::sigv4;
using std::chrono::seconds;

namespace test_sigv4 {

constexpr std::string_view secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view token = "FQoGZXIvYXdzEXAMPLEsessiontokenEXAMPLE";
constexpr std::string_view key_id = "AKIDEXAMPLE";
constexpr std::string_view body = R"({"TimePeriod":{"Start":"2024-01-01","End":"2024-02-01"},"Granularity":"DAILY"})";

inline std::chrono::system_clock::time_point t0() {
  return std::chrono::system_clock::time_point(seconds(1440938160));  // 2015-08-30T12:36:00Z
}

/// A Cost Explorer style POST and everything needed to sign and verify it.
struct fixture {
  std::vector<sigv4::header> headers{{"Host", "ce.us-east-1.amazonaws.com"},
                                     {"Content-Type", "application/x-amz-json-1.1"},
                                     {"X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage"}};
  std::string payload{body};
  sigv4::signing_params params;
  sigv4::verify_options vopt;

  fixture() {
    params.region = "us-east-1";
    params.service = "ce";
    params.time = t0();
    vopt.region = "us-east-1";
    vopt.service = "ce";
    vopt.now = t0();
  }
  sigv4::request_view request() const { return {"POST", "/", "", headers, payload}; }
};

/// The request as a server receives it: original headers plus the signer's.
struct received {
  std::vector<std::string> names, values;
  std::vector<sigv4::header> headers;
  std::string payload;
  received(const fixture& f, const sigv4::header_signature& s) : payload(f.payload) {
    for (const auto& h : f.headers) {
      names.emplace_back(h.name);
      values.emplace_back(h.value);
    }
    for (const auto& h : s.headers_to_add) {
      names.push_back(h.name);
      values.push_back(h.value);
    }
    for (std::size_t i = 0; i < names.size(); ++i) headers.push_back({names[i], values[i]});
  }
  sigv4::request_view request() const { return {"POST", "/", "", headers, payload}; }
  void set(std::string_view name, std::string value) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) values[i] = std::move(value);
    }
    for (std::size_t i = 0; i < names.size(); ++i) headers[i] = {names[i], values[i]};
  }
};

inline bool lookup(std::string_view id, std::string& out) {
  if (id != key_id) return false;
  out = std::string(secret);
  return true;
}

/// Every error message produced in this file is collected and checked for secrets.
inline std::vector<std::string>& messages() {
  static std::vector<std::string> all;
  return all;
}

/// Checks every collected message for the secret and the token, then forgets
/// them; returns how many were checked.
inline std::size_t check_messages() {
  std::size_t n = 0;
  for (const std::string& m : messages()) {
    CAPTURE(m);
    CHECK(!m.empty());
    CHECK(m.find(secret) == std::string::npos);
    CHECK(m.find("EXAMPLEKEY") == std::string::npos);
    CHECK(m.find("EXAMPLEKEZ") == std::string::npos);
    CHECK(m.find(token) == std::string::npos);
    ++n;
  }
  messages().clear();
  return n;
}

template <class R>
fc::errc code_of(const R& r) {
  if (!r) messages().push_back(r.error().message);
  return r.code();
}

inline sigv4::header_signature sign(const fixture& f, sigv4::credentials_view c = {key_id, secret, {}}) {
  auto r = sigv4::sign_headers(f.request(), c, f.params);
  REQUIRE_MESSAGE(r, r.error().message);
  return *r;
}

}  // namespace test_sigv4

using namespace test_sigv4;

TEST_CASE("crypto, hex and percent-encoding primitives") {
  namespace fd = fc::detail;
  fd::sha256_digest d{};
  REQUIRE(fd::sha256_oneshot("abc", d));
  CHECK(fd::to_hex_lower(d.data(), d.size()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fd::sha256 h;
  REQUIRE(h.ok());
  REQUIRE(h.digest("", d));
  CHECK(fd::to_hex_lower(d.data(), d.size()) == sigv4::empty_payload_sha256);
  REQUIRE(h.init());
  REQUIRE(h.update("a"));
  REQUIRE(h.update("bc"));
  REQUIRE(h.finish(d));
  CHECK(fd::to_hex_lower(d.data(), d.size()).substr(0, 8) == "ba7816bf");

  // RFC 4231 test case 2, then the same key again through reinit().
  fd::hmac_sha256 m;
  REQUIRE(m.ok());
  REQUIRE(m.mac("Jefe", 4, "what do ya want for nothing?", d));
  const std::string rfc4231 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  CHECK(fd::to_hex_lower(d.data(), d.size()) == rfc4231);
  REQUIRE(m.reinit());
  REQUIRE(m.update("what do ya want for nothing?"));
  REQUIRE(m.finish(d));
  CHECK(fd::to_hex_lower(d.data(), d.size()) == rfc4231);

  // The signing key of the AWS documentation example (IAM, 2015-08-30).
  sigv4::detail::workspace ws;
  REQUIRE(sigv4::detail::derive_signing_key(ws, secret, "20150830", "us-east-1", "iam", d));
  CHECK(fd::to_hex_lower(d.data(), d.size()) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");

  unsigned char bytes[3] = {};
  CHECK(fd::hex_decode("0aFf10", bytes, 3));
  CHECK((bytes[0] == 0x0a && bytes[1] == 0xff && bytes[2] == 0x10));
  CHECK_FALSE(fd::hex_decode("0aFg10", bytes, 3));
  CHECK_FALSE(fd::hex_decode("0aF", bytes, 2));
  CHECK(fd::constant_time_equal("abc", "abc", 3));
  CHECK_FALSE(fd::constant_time_equal("abc", "abd", 3));
  std::string wiped = "secret material";
  fd::secure_wipe(wiped);
  CHECK(wiped.empty());

  CHECK(fd::uri_encode("a b/c~-._+=&\xe1\x88\xb4") == "a%20b%2Fc~-._%2B%3D%26%E1%88%B4");
  CHECK(fd::uri_encode("a b/c", true) == "a%20b/c");
  CHECK(fd::percent_decode("a%20b%2fc+%zz%4") == "a b/c+%zz%4");
  CHECK(fd::percent_decode_strict("%E1%88%b4").value() == "\xe1\x88\xb4");
  CHECK(fd::percent_decode_strict("100%").code() == fc::errc::invalid_argument);
  CHECK(fd::percent_decode_strict("%g0").code() == fc::errc::invalid_argument);
  std::string kept;
  fd::append_uri_encoded_keep_escapes(kept, "/a%2fb c%");
  CHECK(kept == "/a%2Fb%20c%25");
}

TEST_CASE("canonical URI: double encoding and normalization") {
  sigv4::detail::workspace ws;
  const auto uri = [&ws](std::string_view p, bool normalize, bool dbl) {
    std::string out;
    sigv4::detail::append_canonical_uri(ws, p, normalize, dbl, out);
    return out;
  };
  CHECK(uri("", true, true) == "/");
  CHECK(uri("/a%20b/c d", false, true) == "/a%2520b/c%20d");
  CHECK(uri("/a%20b/c d", false, false) == "/a%20b/c%20d");
  CHECK(uri("/a/b/../c/./d/", true, true) == "/a/c/d/");
  CHECK(uri("/a/b/..", true, true) == "/a/");
  CHECK(uri("/../..", true, true) == "/");
  CHECK(uri("//a//b", true, true) == "/a/b");
  CHECK(uri("//a//b", false, true) == "//a//b");
  CHECK(uri("/a/%2E%2E/b", true, true) == "/a/%252E%252E/b");
}

TEST_CASE("canonical query and headers") {
  fixture f;
  sigv4::request_view r = f.request();
  r.query = "b=2&a=1&a=0&c&&%2f=x+y&e=";
  auto s = sigv4::sign_headers(r, {key_id, secret, {}}, f.params);
  REQUIRE(s);
  CHECK(s->canonical_request.find("\n/\n%2F=x%2By&a=0&a=1&b=2&c=&e=\n") != std::string::npos);

  std::vector<sigv4::header> hs{{"Host", "h"},
                                {"X-A", "  one \t two  "},
                                {"x-a", "three"},
                                {"X-B", "first\r\n  second\n\tthird"},
                                {"x-empty", ""}};
  r = {"GET", "/", "", hs, ""};
  s = sigv4::sign_headers(r, {key_id, secret, {}}, f.params);
  REQUIRE_MESSAGE(s, s.error().message);
  CHECK(s->canonical_request ==
        "GET\n/\n\nhost:h\nx-a:one two,three\nx-amz-date:20150830T123600Z\nx-b:first second third\nx-empty:\n\n"
        "host;x-a;x-amz-date;x-b;x-empty\n" +
            std::string(sigv4::empty_payload_sha256));
}

TEST_CASE("the one canonical-request builder: reproduces signing, repeatable with another payload hash") {
  fixture f;
  const sigv4::header_signature s = sign(f);
  sigv4::detail::workspace ws;
  REQUIRE(ws.crypto_ok());
  for (std::size_t i = 0; i < f.headers.size(); ++i) {
    REQUIRE(sigv4::detail::add_header(ws, f.headers[i].name, f.headers[i].value, i));
  }
  REQUIRE(sigv4::detail::add_header(ws, "X-Amz-Date", s.amz_date, f.headers.size()));
  sigv4::detail::sort_headers(ws);
  sigv4::detail::add_raw_query(ws, "", false);
  std::string canonical, names;
  sigv4::detail::build_canonical_request(ws, {"POST", "/", true, true, s.payload_hash}, canonical, names);
  CHECK(canonical == s.canonical_request);
  CHECK(names == s.signed_headers);
  CHECK(names == "content-type;host;x-amz-date;x-amz-target");
  // Building again (as verification does for UNSIGNED-PAYLOAD) changes only the hash.
  sigv4::detail::build_canonical_request(ws, {"POST", "/", true, true, sigv4::unsigned_payload}, canonical, names);
  CHECK(canonical == s.canonical_request.substr(0, s.canonical_request.size() - 64) + "UNSIGNED-PAYLOAD");
  CHECK(names == s.signed_headers);
  std::string string_to_sign;
  REQUIRE(sigv4::detail::build_string_to_sign(ws, s.amz_date, s.credential_scope, s.canonical_request, string_to_sign));
  CHECK(string_to_sign == s.string_to_sign);
}

TEST_CASE("wipe_on_exit wipes a string's whole buffer and a key on every exit path") {
  std::string secret_copy(secret);
  secret_copy.reserve(100);
  const std::size_t cap = secret_copy.capacity();
  std::array<unsigned char, 32> key{};
  key.fill(0xab);
  const auto use = [](std::string& s, std::array<unsigned char, 32>& k, bool early) {
    const fc::detail::wipe_on_exit wipe_s(s);
    const fc::detail::wipe_on_exit wipe_k(k);
    if (early) return 1;
    return s.empty() ? 0 : 2;
  };
  CHECK(use(secret_copy, key, true) == 1);
  CHECK(secret_copy.empty());
  CHECK(secret_copy.capacity() == cap);
  bool zeroed = true;
  for (std::size_t i = 0; i < cap; ++i) zeroed &= secret_copy.data()[i] == '\0';
  CHECK(zeroed);
  for (unsigned char b : key) zeroed &= b == 0;
  CHECK(zeroed);

  secret_copy.assign(secret);
  key.fill(0xcd);
  CHECK(use(secret_copy, key, false) == 2);
  CHECK(secret_copy.empty());
  CHECK(key == std::array<unsigned char, 32>{});

  unsigned char raw[7] = {1, 2, 3, 4, 5, 6, 7};
  { const fc::detail::wipe_on_exit wipe_raw(raw, sizeof raw); }
  for (unsigned char b : raw) CHECK(b == 0);
}

TEST_CASE("bad input is an error value with a clear message") {
  fixture f;
  const sigv4::credentials_view good{key_id, secret, token};
  const auto with_header = [&f, &good](std::string_view name, std::string_view value) {
    std::vector<sigv4::header> hs = f.headers;
    hs.push_back({name, value});
    sigv4::request_view r{"POST", "/", "", hs, f.payload};
    return sigv4::sign_headers(r, good, f.params);
  };
  CHECK(code_of(with_header("", "v")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("Bad\r\nName", "v")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("Bad\nName", "v")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("Bad Name", "v")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("Caf\xc3\xa9", "v")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", "a\r\nInjected: 1")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", "a\nInjected: 1")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", "a\rb")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", "a\r\n")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", std::string_view("a\0b", 3))) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Ok", "folded\r\n value")) == fc::errc::ok);
  CHECK(code_of(with_header("Authorization", "x")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Amz-Date", "x")) == fc::errc::invalid_argument);
  CHECK(code_of(with_header("X-Amz-Security-Token", "x")) == fc::errc::invalid_argument);
  {
    auto r = with_header("Bad\r\nName", "v");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("CR or LF") != std::string::npos);
    CHECK(r.error().message.find("header #4") != std::string::npos);
  }

  const auto with_creds = [&f](sigv4::credentials_view c) { return sigv4::sign_headers(f.request(), c, f.params); };
  CHECK(code_of(with_creds({key_id, "", {}})) == fc::errc::invalid_argument);
  CHECK(code_of(with_creds({"", secret, {}})) == fc::errc::invalid_argument);
  CHECK(code_of(with_creds({"AKID/X", secret, {}})) == fc::errc::invalid_argument);
  CHECK(code_of(with_creds({key_id, secret, "tok\r\nen"})) == fc::errc::invalid_argument);
  {
    auto r = with_creds({key_id, "", {}});
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "secret access key is empty");
  }

  const auto with_params = [&f, &good](auto change) {
    sigv4::signing_params p = f.params;
    change(p);
    return sigv4::sign_headers(f.request(), good, p);
  };
  CHECK(code_of(with_params([](sigv4::signing_params& p) { p.region = ""; })) == fc::errc::invalid_argument);
  CHECK(code_of(with_params([](sigv4::signing_params& p) { p.service = ""; })) == fc::errc::invalid_argument);
  CHECK(code_of(with_params([](sigv4::signing_params& p) { p.region = "us east"; })) == fc::errc::invalid_argument);

  const auto with_request = [&f, &good](std::string_view method, std::string_view path, std::string_view query) {
    sigv4::request_view r{method, path, query, f.headers, f.payload};
    return sigv4::sign_headers(r, good, f.params);
  };
  CHECK(code_of(with_request("", "/", "")) == fc::errc::invalid_argument);
  CHECK(code_of(with_request("PO ST", "/", "")) == fc::errc::invalid_argument);
  CHECK(code_of(with_request("POST", "relative", "")) == fc::errc::invalid_argument);
  CHECK(code_of(with_request("POST", "/a?b=c", "")) == fc::errc::invalid_argument);
  CHECK(code_of(with_request("POST", "/a\r\n", "")) == fc::errc::invalid_argument);
  CHECK(code_of(with_request("POST", "/", "a=b\r\nX: y")) == fc::errc::invalid_argument);

  std::vector<sigv4::header> no_host{{"Content-Type", "x"}};
  sigv4::request_view r{"GET", "/", "", no_host, ""};
  CHECK(code_of(sigv4::sign_headers(r, good, f.params)) == fc::errc::invalid_argument);

  // Query signing: expiry bounds, and a URL that is already presigned.
  sigv4::signing_params p = f.params;
  p.expires = seconds(0);
  CHECK(code_of(sigv4::sign_query(f.request(), good, p)) == fc::errc::invalid_argument);
  p.expires = sigv4::max_presign_expiry + seconds(1);
  CHECK(code_of(sigv4::sign_query(f.request(), good, p)) == fc::errc::invalid_argument);
  p.expires = sigv4::max_presign_expiry;
  CHECK(code_of(sigv4::sign_query(f.request(), good, p)) == fc::errc::ok);
  sigv4::request_view presigned{"GET", "/", "X-Amz-Signature=abc", f.headers, ""};
  CHECK(code_of(sigv4::sign_query(presigned, good, f.params)) == fc::errc::invalid_argument);

  // A moved-from signer answers with an error, not a crash.
  sigv4::signer a;
  sigv4::signer b(std::move(a));
  sigv4::header_signature out;
  CHECK(code_of(a.sign_headers(f.request(), good, f.params, out)) == fc::errc::invalid_argument);  // NOLINT(bugprone-use-after-move)
  CHECK(b.sign_headers(f.request(), good, f.params, out));

  // None of the messages above quotes the secret or the session token.
  CHECK(check_messages() >= 30);
}

TEST_CASE("signer: derived-key cache") {
  fixture f;
  sigv4::signer s;
  const sigv4::credentials_view c{key_id, secret, {}};
  sigv4::header_signature out;
  CHECK(s.key_derivations() == 0);
  for (int i = 0; i < 10; ++i) {
    f.params.time = t0() + seconds(i * 60);
    REQUIRE(s.sign_headers(f.request(), c, f.params, out));
    CHECK(out.signature == sign(f).signature);
  }
  CHECK(s.key_derivations() == 1);

  f.params.time = t0() + seconds(86400);  // next day: new scope date
  REQUIRE(s.sign_headers(f.request(), c, f.params, out));
  CHECK(s.key_derivations() == 2);
  f.params.region = "eu-west-1";
  REQUIRE(s.sign_headers(f.request(), c, f.params, out));
  CHECK(s.key_derivations() == 3);
  f.params.region = "us-east-1";
  f.params.time = t0();
  REQUIRE(s.sign_headers(f.request(), c, f.params, out));
  CHECK(s.key_derivations() == 3);  // still cached

  // Same length, one byte different: must not reuse the cached key.
  std::string other(secret);
  other.back() = 'X';
  REQUIRE(s.sign_headers(f.request(), {key_id, other, {}}, f.params, out));
  CHECK(s.key_derivations() == 4);
  CHECK(out.signature == sign(f, {key_id, other, {}}).signature);
  CHECK(out.signature != sign(f).signature);
  REQUIRE(s.sign_headers(f.request(), c, f.params, out));
  CHECK(out.signature == sign(f).signature);

  s.clear_cache();
  REQUIRE(s.sign_headers(f.request(), c, f.params, out));
  CHECK(s.key_derivations() == 5);
  CHECK(out.signature == sign(f).signature);

  // Query signing shares the cache.
  auto q = s.sign_query(f.request(), c, f.params);
  REQUIRE(q);
  CHECK(s.key_derivations() == 5);
}

TEST_CASE("signer: reused canonical template gives the same results as a fresh signing") {
  // The signer reuses the canonical request of an identical request shape,
  // rewriting only X-Amz-Date and the payload hash. Every variation below
  // must match the stateless signer byte for byte.
  fixture f;
  sigv4::signer s;
  sigv4::header_signature out;
  const auto same_as_fresh = [&](const sigv4::request_view& r, sigv4::credentials_view c) {
    REQUIRE(s.sign_headers(r, c, f.params, out));
    auto fresh = sigv4::sign_headers(r, c, f.params);
    REQUIRE(fresh);
    CHECK(out.canonical_request == fresh->canonical_request);
    CHECK(out.string_to_sign == fresh->string_to_sign);
    CHECK(out.signature == fresh->signature);
    CHECK(out.authorization == fresh->authorization);
    REQUIRE(out.headers_to_add.size() == fresh->headers_to_add.size());
    for (std::size_t i = 0; i < out.headers_to_add.size(); ++i) {
      CHECK(out.headers_to_add[i].name == fresh->headers_to_add[i].name);
      CHECK(out.headers_to_add[i].value == fresh->headers_to_add[i].value);
    }
  };
  const sigv4::credentials_view c{key_id, secret, {}};
  for (int i = 0; i < 5; ++i) {  // new time and body each request
    f.params.time = t0() + seconds(i * 3601);
    f.payload = std::string(body) + std::string(static_cast<std::size_t>(i), ' ');
    same_as_fresh(f.request(), c);
  }
  f.headers[2].value = "AWSInsightsIndexService.GetCostForecast";  // same length class, other bytes
  same_as_fresh(f.request(), c);
  f.headers[2].value = "AWSInsightsIndexService.GetCostForecasT";
  same_as_fresh(f.request(), c);
  f.headers.push_back({"X-Extra", "1"});
  same_as_fresh(f.request(), c);
  f.headers.pop_back();
  same_as_fresh(f.request(), c);
  same_as_fresh({"PUT", "/", "", f.headers, f.payload}, c);
  same_as_fresh({"POST", "/x", "", f.headers, f.payload}, c);
  same_as_fresh({"POST", "/x", "a=b", f.headers, f.payload}, c);
  same_as_fresh({"POST", "/x", "a=c", f.headers, f.payload}, c);
  same_as_fresh(f.request(), {key_id, secret, token});
  same_as_fresh(f.request(), {key_id, secret, "another-token-of-other-length"});
  same_as_fresh(f.request(), {"AKIDOTHER", secret, {}});
  f.params.add_content_sha256 = true;
  same_as_fresh(f.request(), c);
  f.params.time = t0() + seconds(7);
  f.payload = "{}";
  same_as_fresh(f.request(), c);
  f.params.payload = sigv4::payload_mode::unsigned_payload;
  same_as_fresh(f.request(), c);
  f.params.session_token = sigv4::session_token_mode::add_after_signing;
  same_as_fresh(f.request(), {key_id, secret, token});
  f.params.normalize_path = false;
  same_as_fresh({"POST", "/a/../b", "", f.headers, f.payload}, c);
  f.params.normalize_path = true;
  same_as_fresh({"POST", "/a/../b", "", f.headers, f.payload}, c);
  f.params.region = "eu-west-1";
  same_as_fresh(f.request(), c);
  // An invalid request after a valid one is still rejected.
  f.headers[0].name = "Ho st";
  CHECK(code_of(s.sign_headers(f.request(), c, f.params, out)) == fc::errc::invalid_argument);
  CHECK(code_of(s.sign_headers(f.request(), c, f.params, out)) == fc::errc::invalid_argument);
  check_messages();
}

TEST_CASE("signer: injected clock, token modes, payload modes") {
  fixture f;
  sigv4::signer s([] { return t0() + std::chrono::milliseconds(999); });
  f.params.time.reset();
  auto r = s.sign_headers(f.request(), {key_id, secret, token}, f.params);
  REQUIRE(r);
  CHECK(r->amz_date == "20150830T123600Z");
  CHECK(r->credential_scope == "20150830/us-east-1/ce/aws4_request");
  CHECK(r->signed_headers == "content-type;host;x-amz-date;x-amz-security-token;x-amz-target");
  REQUIRE(r->headers_to_add.size() == 3);
  CHECK(r->headers_to_add[0].name == "X-Amz-Security-Token");
  CHECK(r->headers_to_add[0].value == token);
  CHECK(r->headers_to_add[1].name == "X-Amz-Date");
  CHECK(r->headers_to_add[2].name == "Authorization");
  CHECK(r->headers_to_add[2].value == r->authorization);
  CHECK(r->authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ce/aws4_request, "
                               "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
                               "Signature=", 0) == 0);

  f.params.session_token = sigv4::session_token_mode::add_after_signing;
  f.params.add_content_sha256 = true;
  r = s.sign_headers(f.request(), {key_id, secret, token}, f.params);
  REQUIRE(r);
  CHECK(r->signed_headers == "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target");
  REQUIRE(r->headers_to_add.size() == 4);
  CHECK(r->headers_to_add[0].name == "X-Amz-Security-Token");
  CHECK(r->headers_to_add[2].name == "x-amz-content-sha256");
  CHECK(r->headers_to_add[2].value == r->payload_hash);
  CHECK(r->payload_hash == fc::detail::to_hex_lower(
                               [] { fc::detail::sha256_digest d{}; (void)fc::detail::sha256_oneshot(body, d); return d; }().data(), 32));

  f.params.payload = sigv4::payload_mode::unsigned_payload;
  auto q = s.sign_query(f.request(), {key_id, secret, token}, f.params);
  REQUIRE(q);
  CHECK(q->payload_hash == "UNSIGNED-PAYLOAD");
  CHECK(q->canonical_request.substr(q->canonical_request.size() - 16) == "UNSIGNED-PAYLOAD");
  // Token added after signing: in the URL, not in the canonical query.
  CHECK(q->query.find("&X-Amz-Security-Token=") != std::string::npos);
  CHECK(q->canonical_request.find("X-Amz-Security-Token") == std::string::npos);
  CHECK(q->query.rfind("&X-Amz-Signature=" + q->signature) == q->query.size() - 17 - 64);
}

TEST_CASE("verify: accepts good requests, names the failed check otherwise") {
  fixture f;
  const sigv4::header_signature s = sign(f);
  received good(f, s);

  auto v = sigv4::verify(good.request(), lookup, f.vopt);
  REQUIRE_MESSAGE(v, v.error().message);
  CHECK(v->access_key_id == key_id);
  CHECK(v->region == "us-east-1");
  CHECK(v->service == "ce");
  CHECK(v->signed_at == t0());
  CHECK_FALSE(v->presigned);

  const auto failure = [](const sigv4::request_view& r, const sigv4::secret_lookup& l, const sigv4::verify_options& o) {
    auto res = sigv4::verify(r, l, o);
    if (res) return sigv4::verify_failure::none;
    messages().push_back(res.error().message);
    messages().push_back(res.error().describe());
    return res.error().failure;
  };

  SUBCASE("wrong secret") {
    const auto wrong = [](std::string_view, std::string& out) {
      out = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ";
      return true;
    };
    auto r = sigv4::verify(good.request(), wrong, f.vopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().failure == sigv4::verify_failure::signature_mismatch);
    CHECK(r.error().code == fc::errc::signature_mismatch);
    CHECK(r.error().http_status == 403);
    CHECK(r.error().aws_code == "InvalidSignatureException");
    messages().push_back(r.error().message);
  }
  SUBCASE("tampered body") {
    good.payload += " ";
    CHECK(failure(good.request(), lookup, f.vopt) == sigv4::verify_failure::signature_mismatch);
  }
  SUBCASE("tampered body with x-amz-content-sha256") {
    f.params.add_content_sha256 = true;
    received r(f, sign(f));
    CHECK(failure(r.request(), lookup, f.vopt) == sigv4::verify_failure::none);
    r.payload = "{}";
    CHECK(failure(r.request(), lookup, f.vopt) == sigv4::verify_failure::payload_mismatch);
  }
  SUBCASE("tampered signed header") {
    good.set("X-Amz-Target", "AWSInsightsIndexService.GetCostForecast");
    CHECK(failure(good.request(), lookup, f.vopt) == sigv4::verify_failure::signature_mismatch);
  }
  SUBCASE("unsigned header added in transit is ignored") {
    good.names.push_back("User-Agent");
    good.values.push_back("proxy");
    good.headers.clear();
    for (std::size_t i = 0; i < good.names.size(); ++i) good.headers.push_back({good.names[i], good.values[i]});
    CHECK(failure(good.request(), lookup, f.vopt) == sigv4::verify_failure::none);
  }
  SUBCASE("clock skew") {
    sigv4::verify_options o = f.vopt;
    o.now = t0() + seconds(14 * 60);
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::none);
    o.now = t0() + seconds(16 * 60);
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::clock_skew);
    o.now = t0() - seconds(16 * 60);
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::clock_skew);
    o.max_skew = seconds(3600);
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::none);
  }
  SUBCASE("unknown access key") {
    const auto none = [](std::string_view, std::string&) { return false; };
    auto r = sigv4::verify(good.request(), none, f.vopt);
    REQUIRE_FALSE(r);
    CHECK(r.error().failure == sigv4::verify_failure::unknown_access_key);
    CHECK(r.error().aws_code == "UnrecognizedClientException");
    CHECK(failure(good.request(), sigv4::secret_lookup{}, f.vopt) == sigv4::verify_failure::unknown_access_key);
  }
  SUBCASE("scope") {
    sigv4::verify_options o = f.vopt;
    o.region = "eu-west-1";
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::scope_mismatch);
    o = f.vopt;
    o.service = "s3";
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::scope_mismatch);
    good.set("X-Amz-Date", "20150831T000000Z");
    o = f.vopt;
    o.max_skew = seconds(86400);
    CHECK(failure(good.request(), lookup, o) == sigv4::verify_failure::scope_mismatch);
  }
  SUBCASE("malformed Authorization") {
    const std::string cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/ce/aws4_request";
    const std::string sh = "SignedHeaders=content-type;host;x-amz-date;x-amz-target";
    const std::string sig = "Signature=" + s.signature;
    for (const std::string& bad :
         {std::string("garbage"), std::string("AWS4-HMAC-SHA256"), "AWS4-HMAC-SHA512 " + cred + ", " + sh + ", " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", " + sh, "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", Signature=xyz",
          "AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + ", " + sig,
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ce, " + sh + ", " + sig,
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830//ce/aws4_request, " + sh + ", " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;content-type;x-amz-date;x-amz-target, " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;x-amz-date;x-amz-target, " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;host;x-amz-target, " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-missing, " + sig,
          "AWS4-HMAC-SHA256 " + cred + ", Foo=bar, " + sh + ", " + sig}) {
      CAPTURE(bad);
      received r = good;
      r.set("Authorization", bad);
      auto res = sigv4::verify(r.request(), lookup, f.vopt);
      REQUIRE_FALSE(res);
      CHECK(res.error().failure == sigv4::verify_failure::malformed);
      CHECK(res.error().http_status == 400);
      messages().push_back(res.error().message);
    }
    received r = good;
    r.set("X-Amz-Date", "2015-08-30T12:36:00Z");
    CHECK(failure(r.request(), lookup, f.vopt) == sigv4::verify_failure::malformed);
    sigv4::request_view bare = f.request();
    auto res = sigv4::verify(bare, lookup, f.vopt);
    REQUIRE_FALSE(res);
    CHECK(res.error().failure == sigv4::verify_failure::malformed);
    CHECK(res.error().aws_code == "MissingAuthenticationTokenException");
  }
  SUBCASE("the original order of the Authorization components does not matter") {
    received r = good;
    const std::string swapped = "AWS4-HMAC-SHA256 Signature=" + s.signature + ",SignedHeaders=" + s.signed_headers +
                                ",  Credential=AKIDEXAMPLE/" + s.credential_scope;
    r.set("Authorization", swapped);
    CHECK(failure(r.request(), lookup, f.vopt) == sigv4::verify_failure::none);
  }
  SUBCASE("presigned URLs") {
    std::vector<sigv4::header> hs{{"Host", "ce.us-east-1.amazonaws.com"}};
    sigv4::request_view req{"GET", "/path", "a=1", hs, ""};
    auto q = sigv4::sign_query(req, {key_id, secret, token}, f.params);
    REQUIRE(q);
    sigv4::request_view url{"GET", "/path", q->query, hs, ""};
    auto ok = sigv4::verify(url, lookup, f.vopt);
    REQUIRE_MESSAGE(ok, ok.error().message);
    CHECK(ok->presigned);
    CHECK(ok->has_session_token);
    sigv4::verify_options o = f.vopt;
    o.now = t0() + seconds(3601);
    CHECK(failure(url, lookup, o) == sigv4::verify_failure::expired);
    o.now = t0() - seconds(16 * 60);
    CHECK(failure(url, lookup, o) == sigv4::verify_failure::clock_skew);
    std::string tampered = q->query;
    tampered.replace(0, 3, "a=2");
    sigv4::request_view bad{"GET", "/path", tampered, hs, ""};
    CHECK(failure(bad, lookup, f.vopt) == sigv4::verify_failure::signature_mismatch);

    f.params.payload = sigv4::payload_mode::unsigned_payload;
    auto u = sigv4::sign_query(req, {key_id, secret, {}}, f.params);
    REQUIRE(u);
    sigv4::request_view unsigned_url{"GET", "/path", u->query, hs, "any body"};
    CHECK(failure(unsigned_url, lookup, f.vopt) == sigv4::verify_failure::none);
  }
  SUBCASE("malformed presigned URLs and Authorization components name the field") {
    std::vector<sigv4::header> hs{{"Host", "ce.us-east-1.amazonaws.com"}};
    auto q = sigv4::sign_query({"GET", "/", "", hs, ""}, {key_id, secret, {}}, f.params);
    REQUIRE(q);
    const auto message_of = [&hs, &f](const std::string& query) {
      auto res = sigv4::verify({"GET", "/", query, hs, ""}, lookup, f.vopt);
      REQUIRE_FALSE(res);
      CHECK(res.error().failure == sigv4::verify_failure::malformed);
      messages().push_back(res.error().message);
      return res.error().message;
    };
    const auto replaced = [&q](std::string_view from, std::string_view to) {
      std::string out = q->query;
      const std::size_t at = out.find(from);
      REQUIRE(at != std::string::npos);
      out.replace(at, from.size(), to);
      return out;
    };
    CHECK(message_of(q->query + "&X-Amz-Date=" + q->amz_date).find("repeats X-Amz-Date") != std::string::npos);
    CHECK(message_of(replaced("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512")).find("must be AWS4-HMAC-SHA256") !=
          std::string::npos);
    CHECK(message_of(replaced("&X-Amz-Expires=3600", "")).find("lacks one of") != std::string::npos);
    CHECK(message_of(replaced("X-Amz-Expires=3600", "X-Amz-Expires=12a")).find("number of seconds") !=
          std::string::npos);
    CHECK(message_of(replaced("X-Amz-Expires=3600", "X-Amz-Expires=0")).find("1 to 604800") != std::string::npos);
    CHECK(message_of(replaced("X-Amz-Expires=3600", "X-Amz-Expires=604801")).find("1 to 604800") !=
          std::string::npos);

    const std::string cred = "Credential=AKIDEXAMPLE/" + s.credential_scope;
    const std::string sh = "SignedHeaders=" + s.signed_headers;
    const std::string sig = "Signature=" + s.signature;
    const auto auth_message = [&good, &f](const std::string& value) {
      received r = good;
      r.set("Authorization", value);
      auto res = sigv4::verify(r.request(), lookup, f.vopt);
      REQUIRE_FALSE(res);
      messages().push_back(res.error().message);
      return res.error().message;
    };
    CHECK(auth_message("AWS4-HMAC-SHA256 " + cred + ", " + sig).find("lacks SignedHeaders=") != std::string::npos);
    CHECK(auth_message("AWS4-HMAC-SHA256 " + sh + ", " + sig).find("lacks Credential=") != std::string::npos);
    CHECK(auth_message("AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sh + ", " + sig)
              .find("repeats SignedHeaders") != std::string::npos);
    CHECK(auth_message("AWS4-HMAC-SHA256 " + cred + ", Foo=bar, " + sh + ", " + sig)
              .find("unknown component 'Foo'") != std::string::npos);
  }
  SUBCASE("bad request bytes are reported, not crashed on") {
    received r = good;
    r.set("X-Amz-Target", "a\r\nb");
    CHECK(failure(r.request(), lookup, f.vopt) == sigv4::verify_failure::invalid_request);
  }
  // Whatever failed above, no message quotes the secret or the token.
  check_messages();
}

TEST_CASE("verify_failure names") {
  for (auto f : {sigv4::verify_failure::none, sigv4::verify_failure::malformed, sigv4::verify_failure::unknown_access_key,
                 sigv4::verify_failure::clock_skew, sigv4::verify_failure::expired, sigv4::verify_failure::scope_mismatch,
                 sigv4::verify_failure::payload_mismatch, sigv4::verify_failure::signature_mismatch,
                 sigv4::verify_failure::invalid_request}) {
    CHECK_FALSE(sigv4::to_string(f).empty());
    CHECK(sigv4::to_string(f) != "unknown verify failure");
  }
}
