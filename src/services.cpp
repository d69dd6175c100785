// The compiled mode (see README.md): the session that composes clients,
// Organizations, STS and costs_api.
#include "finops_crawler/aws/organizations/organizations-inl.hpp"
#include "finops_crawler/aws/organizations/requests-inl.hpp"
#include "finops_crawler/aws/session-inl.hpp"
#include "finops_crawler/aws/sts/caller_identity-inl.hpp"
#include "finops_crawler/costs_api-inl.hpp"
#include "finops_crawler/aws/credential_provider_chain-inl.hpp"
#include "finops_crawler/aws/providers/environment_provider-inl.hpp"
#include "finops_crawler/aws/providers/login_provider-inl.hpp"
#include "finops_crawler/aws/providers/process_provider-inl.hpp"
#include "finops_crawler/aws/providers/profile_provider-inl.hpp"
#include "finops_crawler/aws/providers/sso_provider-inl.hpp"
