// A downstream program: includes the umbrella header of the installed library,
// signs a request and adds two amounts exactly. Exits 0 when both work.
#include <finops_crawler/finops_crawler.hpp>

#include <cstdio>

int main() {
  namespace fc = finops_crawler;
  fc::sigv4::signer signer;
  fc::sigv4::header headers[] = {{"Host", "ce.us-east-1.amazonaws.com"},
                                 {"Content-Type", "application/x-amz-json-1.1"}};
  fc::sigv4::request_view request{"POST", "/", "", headers, "{}"};
  fc::sigv4::signing_params params;
  params.region = "us-east-1";
  params.service = "ce";
  auto signed_request = signer.sign_headers(request, {"AKIDEXAMPLE", "not-a-real-secret", ""}, params);
  if (!signed_request) {
    std::fprintf(stderr, "signing failed: %s\n", signed_request.error().describe().c_str());
    return 1;
  }
  auto a = fc::decimal::parse("12.3456789012");
  auto b = fc::decimal::parse("-0.3456789012");
  if (!a || !b) return 1;
  auto sum = fc::decimal::add(*a, *b);
  if (!sum || sum->to_string() != "12.0000000000") {
    std::fprintf(stderr, "decimal sum wrong\n");
    return 1;
  }
  std::printf("consumer OK: signed %zu headers, 12.3456789012 + -0.3456789012 = %s\n",
              signed_request->headers_to_add.size(), sum->to_string().c_str());
  return 0;
}
