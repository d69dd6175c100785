// The compiled mode (see README.md): the libcurl transport, AWS error
// decoding and the JSON/query client over them.
#include "finops_crawler/aws/aws_error-inl.hpp"
#include "finops_crawler/aws/json_client-inl.hpp"
#include "finops_crawler/http/curl_transport-inl.hpp"
