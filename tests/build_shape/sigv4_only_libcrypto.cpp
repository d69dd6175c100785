// Built with libcrypto only (no libcurl, no simdjson on the dependency list):
// the signer must not pull in either, directly or through another header.
#include "finops_crawler/aws/sigv4.hpp"

#if defined(CURLINC_CURL_H) || defined(__CURL_CURL_H)
#error "aws/sigv4.hpp must not include <curl/curl.h>"
#endif
#if defined(SIMDJSON_H) || defined(SIMDJSON_SIMDJSON_H)
#error "aws/sigv4.hpp must not include simdjson"
#endif
