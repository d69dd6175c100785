// The compiled mode (see README.md): calendar dates, decimals, JSON writing
// and configuration (shared files, credentials, endpoints).
#include "finops_crawler/aws/credential_provider-inl.hpp"
#include "finops_crawler/aws/credential_provider_context-inl.hpp"
#include "finops_crawler/aws/credentials-inl.hpp"
#include "finops_crawler/aws/endpoints-inl.hpp"
#include "finops_crawler/aws/shared_config-inl.hpp"
#include "finops_crawler/calendar_date-inl.hpp"
#include "finops_crawler/decimal-inl.hpp"
#include "finops_crawler/detail/json_writer-inl.hpp"
