// The size baseline for bench/binary_sizes.sh: a bare libcurl + OpenSSL
// program that does one HTTPS POST and nothing else (no SigV4, no JSON), so
// the table shows what the library adds to a binary on top of its transport.
//
//   bare_https_post URL [BODY] [CA_FILE]
//
// Prints the HTTP status and the size of the reply; exits 0 on a 2xx.
// CA_FILE replaces the default CA bundle (tools/static/https_post_check.sh
// uses a self-signed certificate for 127.0.0.1). Only https:// is allowed.
#include <cstdio>
#include <cstring>
#include <string>

#include <curl/curl.h>

namespace {

std::size_t count_bytes(char*, std::size_t size, std::size_t n, void* total) {
  *static_cast<std::size_t*>(total) += size * n;
  return size * n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s URL [BODY] [CA_FILE]\n", argv[0]);
    return 2;
  }
  const std::string body = argc > 2 ? argv[2] : "{}";
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;
  CURL* h = curl_easy_init();
  if (h == nullptr) return 1;
  char error[CURL_ERROR_SIZE] = {0};
  std::size_t received = 0;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-amz-json-1.1");
  curl_easy_setopt(h, CURLOPT_URL, argv[1]);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, count_bytes);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  if (argc > 3) curl_easy_setopt(h, CURLOPT_CAINFO, argv[3]);
  const CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  curl_global_cleanup();
  if (rc != CURLE_OK) {
    std::fprintf(stderr, "bare_https_post: %s\n", error[0] != '\0' ? error : curl_easy_strerror(rc));
    return 1;
  }
  std::printf("HTTP %ld, %zu bytes\n", status, received);
  return status >= 200 && status < 300 ? 0 : 1;
}
