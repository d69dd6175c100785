// The compiled mode (see README.md): what the database sinks share (input
// checks, the row diff); no database library.
#include "finops_crawler/store/replace_plan-inl.hpp"
