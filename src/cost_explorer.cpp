// The compiled mode (see README.md): Cost Explorer requests.
#include "finops_crawler/aws/ce/requests-inl.hpp"
