// The compiled mode (see README.md): Organizations, STS and costs_api.
#include "finops_crawler/aws/organizations/requests-inl.hpp"
#include "finops_crawler/aws/sts/caller_identity-inl.hpp"
#include "finops_crawler/costs_api-inl.hpp"
