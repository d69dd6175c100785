#ifndef FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_INL_HPP
#define FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_INL_HPP
/// \file
/// The bodies of aws/ce/cost_categories_page.hpp (the reader is shared with
/// tags_page-inl.hpp): included by that header in header-only mode,
/// compiled once in src/ otherwise (config.hpp). Not for direct inclusion.

#include "finops_crawler/aws/ce/cost_categories_page.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace ce {

FINOPS_CRAWLER_FUNC bool cost_categories_page::read(simdjson::dom::element root, error& err) {
  return detail::read_name_list_page(root, true, d_, err);
}

FINOPS_CRAWLER_FUNC status cost_categories_page::reparse(std::string_view json) & {
  return finops_crawler::detail::page_access::reparse(*this, json);
}

FINOPS_CRAWLER_FUNC result<cost_categories_page> cost_categories_page::parse(std::string_view json) {
  return finops_crawler::detail::page_access::parse<cost_categories_page>(json);
}

}  // namespace ce
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_AWS_CE_COST_CATEGORIES_PAGE_INL_HPP
