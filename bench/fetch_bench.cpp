// fetch_bench: small Cost Explorer pages from the in-process simulator over
// one kept-alive connection, three ways, in the same run:
//   client     aws::json_client: rate limiter, SigV4 signing per attempt,
//              curl_transport, JSON validation of every 200, counters;
//   transport  curl_transport replaying one pre-signed request (no signing,
//              no parsing): the transport's own cost;
//   bare       a raw libcurl easy handle replaying the same request: the limit.
// Client CPU is the calling thread's (getrusage RUSAGE_THREAD), so the
// simulator's threads are not counted.
//
// Each run makes N requests per round (default 1000) over R interleaved
// rounds (default 3); figures are medians.
//
//   fetch_bench [--requests N] [--rounds R] [--json]
#include "finops_crawler/aws/json_client.hpp"
#include "finops_crawler/http/curl_global.hpp"
#include "finops_crawler/http/curl_transport.hpp"
#include "bench_support.hpp"
#include "simulator.hpp"

#include <curl/curl.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#ifndef FINOPS_CRAWLER_BENCH_FLAGS
#define FINOPS_CRAWLER_BENCH_FLAGS "unknown"
#endif

using namespace finops_crawler;

namespace {

const char* const page_body =
    R"({"TimePeriod":{"Start":"2024-01-01","End":"2024-01-02"},"Granularity":"DAILY","Metrics":["UnblendedCost"]})";

double thread_cpu_us() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

struct figures {
  double requests_per_s = 0;
  double cpu_us_per_request = 0;
  std::uint64_t connections = 0;
  bool ok = false;
};

template <class F>
figures measure(int n, F&& one) {
  figures f;
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = thread_cpu_us();
  for (int i = 0; i < n; ++i)
    if (!one()) return f;
  const double c1 = thread_cpu_us();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.requests_per_s = n / secs;
  f.cpu_us_per_request = (c1 - c0) / n;
  f.ok = true;
  return f;
}

// A transport that answers every request with one stored response, so the
// client's own work (limiter, signing, request assembly, JSON validation,
// counters) can be timed without the network.
class canned_transport final : public http::transport {
 public:
  explicit canned_transport(http::http_response r) : r_(std::move(r)) {}
  result<http::http_response> send(const http::http_request&) override { return r_; }

 private:
  http::http_response r_;
};

// The median of each figure over the rounds (ok only if every round was).
figures median(std::vector<figures> v) {
  figures out;
  out.ok = true;
  for (const auto& f : v) out.ok = out.ok && f.ok;
  if (!out.ok || v.empty()) return out;
  auto mid = [&v](auto member) {
    std::vector<double> x;
    for (const auto& f : v) x.push_back(f.*member);
    std::sort(x.begin(), x.end());
    return x[x.size() / 2];
  };
  out.requests_per_s = mid(&figures::requests_per_s);
  out.cpu_us_per_request = mid(&figures::cpu_us_per_request);
  return out;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(size * count, 'x');
  return size * count;
}

}  // namespace

int main(int argc, char** argv) {
  http::curl_global_guard curl;
  if (!curl.ok()) {
    std::fprintf(stderr, "%s\n", curl.status().error().describe().c_str());
    return 1;
  }
  bool json = false;
  int n = 1000;
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) json = true;
    else if (std::strcmp(argv[i], "--requests") == 0 && i + 1 < argc) n = std::atoi(argv[++i]);
    else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: fetch_bench [--requests N] [--rounds R] [--json]\n");
      return 2;
    }
  }
  if (n < 1) n = 1;
  if (rounds < 1) rounds = 1;
  ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);

  sim::options so;
  so.data.seed = 3;
  so.data.start_date = "2024-01-01";
  so.data.days = 2;
  so.threads = 4;  // each kept-alive connection holds a worker; three runs interleave
  so.keep_alive_timeout_s = 60;  // runs interleave: a connection idles while the others run
  sim::simulator server(so);
  auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "simulator: %s\n", port.error().describe().c_str());
    return 1;
  }


  aws::client_options o = bench_support::sim_client_options(server.endpoint_url());
  if (o.creds.empty()) return 1;
  const aws::credentials creds = o.creds;  // o goes to the client; the other runs sign with these

  // The same request, signed once, for the transport and bare runs (the
  // simulator accepts a replayed signature within its 15-minute skew).
  http::http_request signed_req;
  {
    sigv4::signer s;
    const std::string host = "127.0.0.1:" + std::to_string(*port);
    sigv4::header hs[] = {{"Host", host},
                          {"Content-Type", "application/x-amz-json-1.1"},
                          {"X-Amz-Target", "AWSInsightsIndexService.GetCostAndUsage"}};
    sigv4::request_view rv{"POST", "/", "", hs, page_body};
    sigv4::signing_params sp;
    sp.region = "us-east-1";
    sp.service = "ce";
    auto sig = s.sign_headers(rv, {creds.access_key_id(), creds.secret_access_key(), ""}, sp);
    if (!sig) {
      std::fprintf(stderr, "sign: %s\n", sig.error().describe().c_str());
      return 1;
    }
    signed_req.url = server.endpoint_url() + "/";
    signed_req.body = page_body;
    for (const auto& h : hs) signed_req.headers.push_back({std::string(h.name), std::string(h.value)});
    for (const auto& h : sig->headers_to_add) signed_req.headers.push_back({h.name, h.value});
  }

  std::size_t page_bytes = 0;
  std::string first_error;

  // The three runs are interleaved over `rounds` rounds and each figure is
  // the median, so a burst of other load on the machine skews one round only.
  figures client, transport, bare, overhead;
  {  // the clients close their connections at the end of this block, before server.stop()
    aws::json_client c(std::move(o));
    http::curl_options co;
    co.allow_http = true;
    http::curl_transport t(co);
    CURL* h = curl_easy_init();
    curl_slist* list = nullptr;
    for (const auto& hd : signed_req.headers) list = curl_slist_append(list, (hd.name + ": " + hd.value).c_str());
    list = curl_slist_append(list, "Expect:");
    std::string sink;
    curl_easy_setopt(h, CURLOPT_URL, signed_req.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, signed_req.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(signed_req.body.size()));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    long bare_connects = 0;

    auto client_one = [&] {
      auto r = c.call("GetCostAndUsage", page_body);
      if (!r) {
        first_error = r.error().describe();
        return false;
      }
      page_bytes = r->body.size();
      return true;
    };
    auto transport_one = [&] {
      auto r = t.send(signed_req);
      if (!r || r->status != 200) {
        if (first_error.empty()) first_error = r ? "transport run: HTTP " + std::to_string(r->status) : r.error().describe();
        return false;
      }
      return true;
    };
    auto bare_one = [&] {
      sink.clear();
      if (curl_easy_perform(h) != CURLE_OK) return false;
      long code = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
      long cn = 0;
      curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &cn);
      bare_connects += cn;
      return code == 200;
    };
    for (int i = 0; i < 20; ++i) {  // warm-up; its connections are counted
      (void)client_one();
      (void)transport_one();
      (void)bare_one();
    }
    std::vector<figures> cr, tr, br;
    for (int round = 0; round < rounds; ++round) {
      cr.push_back(measure(n, client_one));
      tr.push_back(measure(n, transport_one));
      br.push_back(measure(n, bare_one));
    }
    client = median(cr);
    transport = median(tr);
    bare = median(br);
    client.connections = c.transfer_counters().connections;
    transport.connections = t.counters().connections;
    bare.connections = static_cast<std::uint64_t>(bare_connects);
    curl_slist_free_all(list);
    curl_easy_cleanup(h);

    // 4. The client over the canned transport: its CPU cost alone (the copy
    // of the stored response is included, as a real transport allocates too).
    {
      http::http_response canned;
      canned.status = 200;
      canned.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"x-amzn-RequestId", "bench"}};
      std::string page;
      {
        auto r = c.call("GetCostAndUsage", page_body);
        if (r) page = r->body;
      }
      canned.body = page;
      aws::client_options oc;
      oc.service = aws::cost_explorer_api;
      oc.target = c.target();
      oc.creds = creds;
      oc.rate_limit = {0, 1};
      oc.transport = std::make_unique<canned_transport>(canned);
      aws::json_client cc(std::move(oc));
      std::vector<figures> orr;
      for (int round = 0; round < rounds; ++round)
        // 50x the calls: each costs microseconds, and thread CPU time is only
        // precise over many milliseconds.
        orr.push_back(measure(50 * n, [&] { return static_cast<bool>(cc.call("GetCostAndUsage", page_body)); }));
      overhead = median(orr);
    }

  }

  auto st = server.stats();
  server.stop();

  if (!client.ok || !transport.ok || !bare.ok || !overhead.ok) {
    std::fprintf(stderr, "a run failed: %s\n", first_error.c_str());
    return 1;
  }
  const char* kernel = simdjson::get_active_implementation()->name().data();
  if (json) {
    std::printf(
        "{\"requests\":%d,\"rounds\":%d,\"page_bytes\":%zu,"
        "\"requests_per_s\":%.1f,\"client_cpu_us_per_request\":%.2f,\"client_connections\":%llu,"
        "\"transport_requests_per_s\":%.1f,\"transport_cpu_us_per_request\":%.2f,"
        "\"bare_requests_per_s\":%.1f,\"bare_cpu_us_per_request\":%.2f,"
        "\"client_minus_transport_cpu_us_per_request\":%.2f,\"client_only_cpu_us_per_request\":%.2f,"
        "\"server_requests\":%llu,\"simdjson_kernel\":\"%s\",\"libcurl\":\"%s\",\"flags\":\"%s\"}\n",
        n, rounds, page_bytes, client.requests_per_s, client.cpu_us_per_request,
        static_cast<unsigned long long>(client.connections), transport.requests_per_s, transport.cpu_us_per_request,
        bare.requests_per_s, bare.cpu_us_per_request, client.cpu_us_per_request - transport.cpu_us_per_request,
        overhead.cpu_us_per_request, static_cast<unsigned long long>(st.requests), kernel, curl_version_info(CURLVERSION_NOW)->version,
        FINOPS_CRAWLER_BENCH_FLAGS);
  } else {
    std::printf("fetch_bench: %d pages of %zu bytes from the in-process simulator per run, medians of %d rounds\n", n,
                page_bytes, rounds);
    std::printf("  %-10s %12s %22s %12s\n", "run", "requests/s", "client CPU us/request", "connections");
    std::printf("  %-10s %12.1f %22.2f %12llu\n", "client", client.requests_per_s, client.cpu_us_per_request,
                static_cast<unsigned long long>(client.connections));
    std::printf("  %-10s %12.1f %22.2f %12llu\n", "transport", transport.requests_per_s,
                transport.cpu_us_per_request, static_cast<unsigned long long>(transport.connections));
    std::printf("  %-10s %12.1f %22.2f %12llu   (limit: raw libcurl, pre-signed, no parsing)\n", "bare",
                bare.requests_per_s, bare.cpu_us_per_request, static_cast<unsigned long long>(bare.connections));
    std::printf("  client minus transport: %.2f us CPU per request (noisy: a difference of two runs)\n",
                client.cpu_us_per_request - transport.cpu_us_per_request);
    std::printf("  client alone over a canned in-memory transport (sign, validate, count): %.2f us CPU per request\n",
                overhead.cpu_us_per_request);
    std::printf("  simdjson kernel %s, libcurl %s, flags: %s\n", kernel, curl_version_info(CURLVERSION_NOW)->version,
                FINOPS_CRAWLER_BENCH_FLAGS);
  }
  return 0;
}
