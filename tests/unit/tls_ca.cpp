// TLS with a CA made by the test: a CA and server certificates are created
// at test time with libcrypto (no openssl command line) in a temporary
// directory, removed after; a small HTTPS server on 127.0.0.1 (OpenSSL's
// SSL_accept on a thread, one request per connection, every wait bounded)
// answers like Cost Explorer with a minimal GetCostAndUsage page. Through
// real libcurl: the CA given by --ca-bundle, AWS_CA_BUNDLE, the profile's
// ca_bundle and curl_options::ca_bundle is trusted; without it the failure
// is a certificate error whose hint names those three; a certificate for
// another host name is refused even from the trusted CA.
#include "cli_test_support.hpp"

#include "finops_crawler/aws/ce/cost_explorer.hpp"
#include "loopback_listener.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

using namespace cli_test;

namespace {

// ---- certificates -----------------------------------------------------------

struct key_deleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct cert_deleter {
  void operator()(X509* c) const { X509_free(c); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_deleter>;
using cert_ptr = std::unique_ptr<X509, cert_deleter>;

key_ptr new_key() {
  key_ptr k(EVP_EC_gen("P-256"));
  REQUIRE(k);
  return k;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  REQUIRE(ext != nullptr);
  REQUIRE(X509_add_ext(cert, ext, -1) == 1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by `issuer_key` (issuer null:
// self-signed, a CA). `san` is the subjectAltName of a server certificate.
cert_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, const char* san, long serial) {
  cert_ptr c(X509_new());
  REQUIRE(c);
  REQUIRE(X509_set_version(c.get(), 2) == 1);
  REQUIRE(ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial) == 1);
  REQUIRE(X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600) != nullptr);
  REQUIRE(X509_gmtime_adj(X509_getm_notAfter(c.get()), 24 * 3600) != nullptr);
  REQUIRE(X509_set_pubkey(c.get(), key) == 1);
  X509_NAME* name = X509_get_subject_name(c.get());
  REQUIRE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1,
                                     0) == 1);
  X509* signer = issuer ? issuer : c.get();
  REQUIRE(X509_set_issuer_name(c.get(), X509_get_subject_name(signer)) == 1);
  if (!issuer) {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(c.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(c.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(c.get(), signer, NID_key_usage, "critical,digitalSignature");
    add_ext(c.get(), signer, NID_ext_key_usage, "serverAuth");
    add_ext(c.get(), signer, NID_subject_alt_name, san);
  }
  REQUIRE(X509_sign(c.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0);
  return c;
}

void write_pem(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  const int ok = PEM_write_X509(f, cert);
  std::fclose(f);
  REQUIRE(ok == 1);
}

// A CA and two server certificates from it: one for 127.0.0.1 and
// localhost, one for another host name only. PEM files in a temporary
// directory, removed by the destructor.
struct test_pki {
  std::string dir = make_temp_dir();
  std::string ca_pem = dir + "/ca.pem";
  key_ptr ca_key = new_key(), server_key = new_key(), other_key = new_key();
  cert_ptr ca = make_cert(ca_key.get(), "finops-crawler test CA", nullptr, nullptr, nullptr, 1);
  cert_ptr server = make_cert(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), "IP:127.0.0.1,DNS:localhost", 2);
  cert_ptr other = make_cert(other_key.get(), "other.example", ca.get(), ca_key.get(), "DNS:other.example", 3);
  test_pki() { write_pem(ca_pem, ca.get()); }
  ~test_pki() { remove_tree(dir); }
};

// ---- the HTTPS server ---------------------------------------------------------

// One GetCostAndUsage day: one group, one metric.
const char* const page_json =
    R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[{"TimePeriod":)"
    R"({"Start":"2025-03-01","End":"2025-03-02"},"Total":{},"Groups":[{"Keys":["AWS Lambda"],"Metrics":)"
    R"({"UnblendedCost":{"Amount":"1.2500000000","Unit":"USD"}}}],"Estimated":false}],"DimensionValueAttributes":[]})";

// Serves HTTPS on 127.0.0.1:<port 0> with `cert`/`key`: each connection is
// one TLS handshake, one request read (headers and Content-Length body) and
// the page above, then closed. Every wait is bounded (20 ms accept polls
// until stopped, 5 s socket timeouts).
class https_server {
 public:
  https_server(X509* cert, EVP_PKEY* key) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    REQUIRE(ctx_ != nullptr);
    REQUIRE(SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION) == 1);
    REQUIRE(SSL_CTX_use_certificate(ctx_, cert) == 1);
    REQUIRE(SSL_CTX_use_PrivateKey(ctx_, key) == 1);
    thread_ = std::thread([this] { run(); });
  }
  https_server(const https_server&) = delete;
  https_server& operator=(const https_server&) = delete;
  ~https_server() {
    stop_ = true;
    thread_.join();
    SSL_CTX_free(ctx_);
  }
  std::string url() const { return listen_.origin("https"); }
  int handshakes() const { return handshakes_.load(); }
  int answered() const { return answered_.load(); }

 private:
  void run() {
    // A client that refuses the certificate closes at once, and the
    // handshake's next write to it raises SIGPIPE, which would end the test
    // process. SIGPIPE from write() goes to the writing thread, so blocking it
    // here turns it into EPIPE for this thread only.
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
    while (!stop_) {  // bounded by the destructor's flag
      pollfd p{listen_.fd(), POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept(listen_.fd(), nullptr, nullptr);
      if (c < 0) continue;
      timeval tv{5, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      ::setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      serve(c);
      ::close(c);
    }
  }
  void serve(int c) {
    SSL* ssl = SSL_new(ctx_);
    if (ssl == nullptr) return;
    SSL_set_fd(ssl, c);
    if (SSL_accept(ssl) == 1) {  // fails when the client refuses the certificate
      ++handshakes_;
      if (read_request(ssl)) {
        const std::string body = page_json;
        const std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                                  "x-amzn-RequestId: tls-test-1\r\nConnection: close\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body;
        if (SSL_write(ssl, reply.data(), static_cast<int>(reply.size())) == static_cast<int>(reply.size()))
          ++answered_;
        SSL_shutdown(ssl);
      }
    }
    SSL_free(ssl);
    ERR_clear_error();
  }
  // Reads the headers and a Content-Length body; at most 1 MiB, 5 s per read.
  static bool read_request(SSL* ssl) {
    std::string in;
    char buf[4096];
    std::size_t want = std::string::npos;
    while (in.size() < (1u << 20)) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
      const std::size_t end = in.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      if (want == std::string::npos) {
        std::size_t length = 0;
        for (const char* h : {"Content-Length: ", "content-length: "}) {
          const std::size_t at = in.find(h);
          if (at != std::string::npos && at < end) length = std::stoul(in.substr(at + std::strlen(h)));
        }
        want = end + 4 + length;
      }
      if (in.size() >= want) return true;
    }
    return false;
  }

  SSL_CTX* ctx_ = nullptr;
  loopback::listener listen_;
  std::atomic<bool> stop_{false};
  std::atomic<int> handshakes_{0}, answered_{0};
  std::thread thread_;
};

const calendar_date today = ymd(2025, 6, 1);

std::vector<std::string> costs_args(const std::string& url) {
  return {"costs", "--start", "2025-03-01", "--end", "2025-03-02", "--group-by", "SERVICE",
          "--format", "csv", "--endpoint-url", url};
}

void check_report(const run_result& r) {
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK_MESSAGE(r.out.find("2025-03-01,2025-03-02,AWS Lambda,,UnblendedCost,1.2500000000,USD,false") !=
                    std::string::npos,
                r.out);
}

constexpr const char* hint = "--ca-bundle FILE, AWS_CA_BUNDLE or ca_bundle in the profile";

}  // namespace

TEST_CASE("TLS: the test CA is trusted when given by --ca-bundle, AWS_CA_BUNDLE or the profile's ca_bundle") {
  test_pki pki;
  https_server server(pki.server.get(), pki.server_key.get());

  SUBCASE("--ca-bundle") {
    auto env = sim_environment();
    env.set("AWS_REGION", "us-east-1");
    auto args = costs_args(server.url());
    args.insert(args.end(), {"--ca-bundle", pki.ca_pem});
    check_report(run(args, test_context(env, today)));
  }
  SUBCASE("AWS_CA_BUNDLE") {
    auto env = sim_environment();
    env.set("AWS_REGION", "us-east-1");
    env.set("AWS_CA_BUNDLE", pki.ca_pem);
    check_report(run(costs_args(server.url()), test_context(env, today)));
  }
  SUBCASE("the profile's ca_bundle") {
    const std::string config = pki.dir + "/config";
    std::ofstream(config) << "[default]\nregion = us-east-1\nca_bundle = " << pki.ca_pem << "\n";
    auto env = sim_environment();
    env.set("AWS_CONFIG_FILE", config);
    check_report(run(costs_args(server.url()), test_context(env, today)));
  }
  CHECK(server.answered() == 1);
}

TEST_CASE("TLS: the library's curl_options::ca_bundle") {
  test_pki pki;
  https_server server(pki.server.get(), pki.server_key.get());
  aws::client_options o;
  o.service = aws::cost_explorer_api;
  o.target.url = server.url();
  o.target.signing_region = "us-east-1";
  o.target.signing_name = "ce";
  auto c = aws::credentials::make(std::string(sim::default_access_key_id), std::string(sim::default_secret_access_key));
  REQUIRE(c);
  o.creds = *c;
  o.rate_limit = {0, 1};
  o.retry.max_attempts = 1;
  o.curl.ca_bundle = pki.ca_pem;
  ce::cost_explorer explorer{aws::json_client(std::move(o))};
  ce::cost_and_usage_request r;
  r.time_period = {"2025-03-01", "2025-03-02"};
  r.granularity = ce::granularity::daily;
  r.metrics = {"UnblendedCost"};
  r.group_by = {ce::group_by::dimension("SERVICE")};
  ce::cost_page page;
  auto st = explorer.get_cost_and_usage(r, page);
  REQUIRE_MESSAGE(st, st.error().describe());
  REQUIRE(page.group_count() == 1);
  CHECK(page.results()[0].groups()[0].keys()[0] == "AWS Lambda");
  CHECK(page.results()[0].groups()[0].metrics().find("UnblendedCost")->amount_text() == "1.2500000000");
}

TEST_CASE("TLS: without the CA, a certificate error (exit 5) whose hint names the three ways to give it") {
  test_pki pki;
  https_server server(pki.server.get(), pki.server_key.get());
  auto env = sim_environment();
  env.set("AWS_REGION", "us-east-1");
  auto r = run(costs_args(server.url()), test_context(env, today));
  CHECK(r.code == 5);
  CHECK_MESSAGE(r.err.find("unable to get local issuer certificate") != std::string::npos, r.err);
  CHECK_MESSAGE(r.err.find(hint) != std::string::npos, r.err);
  CHECK(r.out.empty());
  CHECK(server.answered() == 0);  // nothing was read by a server it did not trust
}

TEST_CASE("TLS: a certificate for another host name is refused, even from the trusted CA") {
  test_pki pki;
  https_server server(pki.other.get(), pki.other_key.get());
  auto env = sim_environment();
  env.set("AWS_REGION", "us-east-1");
  auto args = costs_args(server.url());
  args.insert(args.end(), {"--ca-bundle", pki.ca_pem});
  auto r = run(args, test_context(env, today));
  CHECK(r.code == 5);
  // libcurl's words with OpenSSL: the name check, not the chain, refused it.
  CHECK_MESSAGE(r.err.find("no alternative certificate subject name matches target host name '127.0.0.1'") !=
                    std::string::npos,
                r.err);
  CHECK(r.out.empty());
  CHECK(server.answered() == 0);
}
