// The compiled mode (see README.md): the sync planner and runner
// (store/sync.hpp). Needs no database library: it writes through the
// cost_store interface.
#include "finops_crawler/store/sync-inl.hpp"
