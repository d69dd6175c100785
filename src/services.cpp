// The compiled mode (see README.md): the session that composes clients,
// Organizations, STS and costs_api.
#include "finops_crawler/aws/organizations/organizations-inl.hpp"
#include "finops_crawler/aws/organizations/requests-inl.hpp"
#include "finops_crawler/aws/session-inl.hpp"
#include "finops_crawler/aws/sts/caller_identity-inl.hpp"
#include "finops_crawler/costs_api-inl.hpp"
