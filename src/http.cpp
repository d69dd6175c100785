// The compiled mode (see README.md): the libcurl transport and AWS error decoding.
#include "finops_crawler/aws/aws_error-inl.hpp"
#include "finops_crawler/http/curl_transport-inl.hpp"
