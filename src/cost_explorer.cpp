// The compiled mode (see README.md): Cost Explorer requests, the page views
// and their readers, merging, the Filter reader and the Cost Explorer
// client (the readers share detail/json_body's helpers, so they sit in one
// object where those can be inlined).
#include "finops_crawler/aws/ce/cost_explorer-inl.hpp"
#include "finops_crawler/aws/ce/cost_categories_page-inl.hpp"
#include "finops_crawler/aws/ce/cost_page-inl.hpp"
#include "finops_crawler/aws/ce/dimension_values_page-inl.hpp"
#include "finops_crawler/aws/ce/expression_json-inl.hpp"
#include "finops_crawler/aws/ce/forecast_page-inl.hpp"
#include "finops_crawler/aws/ce/merged_results-inl.hpp"
#include "finops_crawler/aws/ce/requests-inl.hpp"
#include "finops_crawler/aws/ce/tags_page-inl.hpp"
#include "finops_crawler/aws/organizations/accounts_page-inl.hpp"
#include "finops_crawler/detail/json_body-inl.hpp"
#include "finops_crawler/aws/ce/request_budget-inl.hpp"
