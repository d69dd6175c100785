// The compiled mode (see README.md): Cost Explorer requests, the Filter
// reader and the JSON helpers of the page readers.
#include "finops_crawler/aws/ce/expression_json-inl.hpp"
#include "finops_crawler/aws/ce/requests-inl.hpp"
#include "finops_crawler/detail/json_body-inl.hpp"
