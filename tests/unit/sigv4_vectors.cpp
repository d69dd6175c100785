// The AWS SigV4 test suite (tests/vectors/sigv4/v4, from aws-c-auth; see the
// LICENSE and NOTICE beside it): every case, header and query variants, with
// canonical request, string to sign, signature and signed request checked
// separately. A server-side verify() round trip runs on each signed request.
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"
#include "finops_crawler/detail/time.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fc = finops_crawler;
namespace sigv4 = finops_crawler::sigv4;
namespace fs = std::filesystem;

namespace test_sigv4_vectors {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A request.txt parsed into the signer's input. `header_block` is the
/// header lines exactly as in the file (folded lines included), which the
/// expected signed requests repeat verbatim.
struct parsed_request {
  std::string request_line;
  std::string method, path, query;
  std::vector<std::string> names, values;
  std::string header_block;
  std::string body;
  bool has_body_separator = false;
  std::vector<sigv4::header> views;
};

bool parse_request(const std::string& text, parsed_request& out) {
  std::size_t eol = text.find('\n');
  if (eol == std::string::npos) return false;
  out.request_line = text.substr(0, eol);
  const std::size_t sp = out.request_line.find(' ');
  const std::size_t http = out.request_line.rfind(" HTTP/");
  if (sp == std::string::npos || http == std::string::npos || http <= sp) return false;
  out.method = out.request_line.substr(0, sp);
  const std::string target = out.request_line.substr(sp + 1, http - sp - 1);
  const std::size_t q = target.find('?');
  out.path = target.substr(0, q);
  out.query = q == std::string::npos ? "" : target.substr(q + 1);
  std::size_t pos = eol + 1;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      out.has_body_separator = true;
      out.body = pos < text.size() ? text.substr(pos) : "";
      break;
    }
    out.header_block += line + "\n";
    if (line[0] == ' ' || line[0] == '\t') {  // obsolete line folding
      if (out.values.empty()) return false;
      out.values.back() += "\n" + line;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) return false;
    out.names.push_back(line.substr(0, colon));
    out.values.push_back(line.substr(colon + 1));
  }
  for (std::size_t i = 0; i < out.names.size(); ++i) out.views.push_back({out.names[i], out.values[i]});
  return true;
}

struct context {
  std::string access_key_id, secret, token, region, service, timestamp;
  bool normalize = true, sign_body = false, omit_session_token = false;
  std::int64_t expires = 0;
};

bool parse_context(const fs::path& p, context& c) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(p.string()).get(doc) != simdjson::SUCCESS) return false;
  std::string_view sv;
  if (doc["credentials"]["access_key_id"].get(sv) != simdjson::SUCCESS) return false;
  c.access_key_id = sv;
  if (doc["credentials"]["secret_access_key"].get(sv) != simdjson::SUCCESS) return false;
  c.secret = sv;
  if (doc["credentials"]["token"].get(sv) == simdjson::SUCCESS) c.token = sv;
  if (doc["region"].get(sv) != simdjson::SUCCESS) return false;
  c.region = sv;
  if (doc["service"].get(sv) != simdjson::SUCCESS) return false;
  c.service = sv;
  if (doc["timestamp"].get(sv) != simdjson::SUCCESS) return false;
  c.timestamp = sv;
  if (doc["normalize"].get(c.normalize) != simdjson::SUCCESS) return false;
  if (doc["sign_body"].get(c.sign_body) != simdjson::SUCCESS) return false;
  if (doc["expiration_in_seconds"].get(c.expires) != simdjson::SUCCESS) return false;
  bool omit = false;
  if (doc["omit_session_token"].get(omit) == simdjson::SUCCESS) c.omit_session_token = omit;
  return true;
}

/// The expected signed request: request line, the original header lines,
/// the headers the signer adds, a blank line, then the body.
std::string assemble(const std::string& request_line, const std::string& header_block,
                     const std::vector<sigv4::owned_header>& added, const std::string& body) {
  std::string out = request_line + "\n" + header_block;
  for (const auto& h : added) out += h.name + ":" + h.value + "\n";
  out += "\n" + body;
  return out;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace test_sigv4_vectors

TEST_CASE("sigv4 suite: every case, header and query variants") {
  using namespace test_sigv4_vectors;
  const fs::path root = fs::path(FINOPS_CRAWLER_TEST_DIR) / "vectors" / "sigv4" / "v4";
  REQUIRE(fs::is_directory(root));
  // Meson also runs this program once per case and variant (SIGV4_CASE,
  // SIGV4_VARIANT), so each of the 76 shows as its own line in the output.
  const char* only_case = std::getenv("SIGV4_CASE");
  const char* only_variant = std::getenv("SIGV4_VARIANT");
  const auto wanted = [only_variant](const char* variant) {
    return only_variant == nullptr || std::string_view(only_variant) == variant;
  };
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    if (only_case != nullptr && entry.path().filename().string() != only_case) continue;
    cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());

  // One signer across all cases also exercises its key cache: the suite
  // uses a single (secret, date, region, service), so one derivation.
  sigv4::signer cached;
  std::size_t variants_passed = 0;
  std::size_t variants_run = 0;

  for (const fs::path& dir : cases) {
    const std::string name = dir.filename().string();
    INFO("case ", name);
    context ctx;
    REQUIRE_MESSAGE(parse_context(dir / "context.json", ctx), "cannot parse context.json of ", name);
    parsed_request req;
    REQUIRE_MESSAGE(parse_request(read_text(dir / "request.txt"), req), "cannot parse request.txt of ", name);

    auto when = fc::detail::parse_iso8601(ctx.timestamp);
    REQUIRE(when);
    sigv4::request_view view{req.method, req.path, req.query, req.views, req.body};
    const sigv4::credentials_view creds{ctx.access_key_id, ctx.secret, ctx.token};
    sigv4::signing_params params;
    params.region = ctx.region;
    params.service = ctx.service;
    params.time = *when;
    params.normalize_path = ctx.normalize;
    params.double_encode_path = true;
    params.add_content_sha256 = ctx.sign_body;
    params.session_token =
        ctx.omit_session_token ? sigv4::session_token_mode::add_after_signing : sigv4::session_token_mode::sign;
    params.expires = std::chrono::seconds(ctx.expires);

    const auto lookup = [&ctx](std::string_view id, std::string& secret) {
      if (id != ctx.access_key_id) return false;
      secret = ctx.secret;
      return true;
    };
    sigv4::verify_options vopt;
    vopt.region = ctx.region;
    vopt.service = ctx.service;
    vopt.now = *when;
    vopt.normalize_path = ctx.normalize;

    // Header variant.
    if (wanted("header")) {
      ++variants_run;
      INFO("variant: header");
      auto signed_ = cached.sign_headers(view, creds, params);
      REQUIRE_MESSAGE(signed_, signed_.error().message);
      const sigv4::header_signature& s = *signed_;
      const bool canonical_ok = s.canonical_request == read_text(dir / "header-canonical-request.txt");
      const bool sts_ok = s.string_to_sign == read_text(dir / "header-string-to-sign.txt");
      const bool sig_ok = s.signature == read_text(dir / "header-signature.txt");
      const std::string expected_request = read_text(dir / "header-signed-request.txt");
      const std::string expected_auth_line = "\nAuthorization:" + s.authorization + "\n";
      const bool auth_ok = expected_request.find(expected_auth_line) != std::string::npos;
      const bool request_ok = assemble(req.request_line, req.header_block, s.headers_to_add, req.body) == expected_request;
      CHECK_MESSAGE(canonical_ok, "canonical request:\n", s.canonical_request);
      CHECK_MESSAGE(sts_ok, "string to sign:\n", s.string_to_sign);
      CHECK_MESSAGE(sig_ok, "signature: ", s.signature);
      CHECK_MESSAGE(auth_ok, "Authorization: ", s.authorization);
      CHECK(request_ok);

      // The stateless function agrees with the caching signer.
      auto fresh = sigv4::sign_headers(view, creds, params);
      REQUIRE(fresh);
      CHECK(fresh->signature == s.signature);

      // Server side: the signed request verifies.
      std::vector<sigv4::header> all(req.views);
      for (const auto& h : s.headers_to_add) all.push_back({h.name, h.value});
      sigv4::request_view received{req.method, req.path, req.query, all, req.body};
      auto v = sigv4::verify(received, lookup, vopt);
      CHECK_MESSAGE(v, v.error().message);
      if (canonical_ok && sts_ok && sig_ok && auth_ok && request_ok && v) ++variants_passed;
    }

    // Query (presigned URL) variant.
    if (wanted("query")) {
      ++variants_run;
      INFO("variant: query");
      auto signed_ = cached.sign_query(view, creds, params);
      REQUIRE_MESSAGE(signed_, signed_.error().message);
      const sigv4::query_signature& s = *signed_;
      const bool canonical_ok = s.canonical_request == read_text(dir / "query-canonical-request.txt");
      const bool sts_ok = s.string_to_sign == read_text(dir / "query-string-to-sign.txt");
      const bool sig_ok = s.signature == read_text(dir / "query-signature.txt");
      const std::string expected_request = read_text(dir / "query-signed-request.txt");
      const std::string line = req.method + " " + req.path + "?" + s.query + " HTTP/1.1";
      const bool line_ok = first_line(expected_request) == line;
      const bool request_ok = assemble(line, req.header_block, {}, req.body) == expected_request;
      CHECK_MESSAGE(canonical_ok, "canonical request:\n", s.canonical_request);
      CHECK_MESSAGE(sts_ok, "string to sign:\n", s.string_to_sign);
      CHECK_MESSAGE(sig_ok, "signature: ", s.signature);
      CHECK_MESSAGE(line_ok, "request line: ", line);
      CHECK(request_ok);

      auto fresh = sigv4::sign_query(view, creds, params);
      REQUIRE(fresh);
      CHECK(fresh->query == s.query);

      // Server side. Not for omit_session_token: there the token is added to
      // the URL after signing, and verify() (like AWS for presigned URLs)
      // includes every query parameter but X-Amz-Signature in the canonical
      // query, so such a URL cannot verify by design.
      bool verify_ok = true;
      if (!ctx.omit_session_token) {
        sigv4::request_view received{req.method, req.path, s.query, req.views, req.body};
        auto v = sigv4::verify(received, lookup, vopt);
        CHECK_MESSAGE(v, v.error().message);
        verify_ok = static_cast<bool>(v);
        if (v) CHECK(v->presigned);
      }
      if (canonical_ok && sts_ok && sig_ok && line_ok && request_ok && verify_ok) ++variants_passed;
    }
  }

  MESSAGE("sigv4 suite: ", variants_passed, "/", variants_run, " variants passed (", cases.size(), " cases)");
  const std::size_t expected_cases = only_case != nullptr ? 1 : 38;
  const std::size_t expected_variants = expected_cases * (only_variant != nullptr ? 1 : 2);
  CHECK(cases.size() == expected_cases);
  CHECK(variants_run == expected_variants);
  CHECK(variants_passed == expected_variants);
  CHECK(cached.key_derivations() == 1);
}
