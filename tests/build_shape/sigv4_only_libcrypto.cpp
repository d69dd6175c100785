// Built with libcrypto only (no libcurl, no simdjson on the dependency list):
// SigV4 must not pull in either, directly or through another header. The
// public headers first, then, on purpose and only here, the bodies the
// compiled mode builds in src/ (in header-only mode the headers already
// include them, so both modes check the same code).
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_canonical.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"

#if defined(CURLINC_CURL_H) || defined(__CURL_CURL_H)
#error "the SigV4 headers must not include <curl/curl.h>"
#endif
#if defined(SIMDJSON_H) || defined(SIMDJSON_SIMDJSON_H)
#error "the SigV4 headers must not include simdjson"
#endif

#include "finops_crawler/aws/sigv4-inl.hpp"
#include "finops_crawler/aws/sigv4_canonical-inl.hpp"
#include "finops_crawler/aws/sigv4_verifier-inl.hpp"

#if defined(CURLINC_CURL_H) || defined(__CURL_CURL_H)
#error "the SigV4 bodies (*-inl.hpp) must not include <curl/curl.h>"
#endif
#if defined(SIMDJSON_H) || defined(SIMDJSON_SIMDJSON_H)
#error "the SigV4 bodies (*-inl.hpp) must not include simdjson"
#endif

