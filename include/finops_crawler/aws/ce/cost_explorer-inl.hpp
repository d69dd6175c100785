#ifndef FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_INL_HPP
/// \file
/// The bodies of aws/ce/cost_explorer.hpp (its templates stay there):
/// included by that header in header-only mode, compiled once in src/
/// otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/ce/cost_explorer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC validation_context cost_explorer::context() const {
  validation_context ctx;
  ctx.today = options_.today ? *options_.today : utc_today();
  return ctx;
}

FINOPS_CRAWLER_FUNC status cost_explorer::check_service() const {
  if (client_.service().target_prefix != aws::cost_explorer_api.target_prefix)
    return status(errc::invalid_argument, "ce::cost_explorer needs a json_client made for cost_explorer_api, not " +
                                              std::string(client_.service().display_name));
  return {};
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_COST_EXPLORER_INL_HPP
