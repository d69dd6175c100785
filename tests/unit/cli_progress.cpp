#include "progress.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace finops_crawler::cli;

TEST_CASE("prices in exact cents") {
  CHECK(usd_for_requests(0) == "USD 0.00");
  CHECK(usd_for_requests(3) == "USD 0.03");
  CHECK(usd_for_requests(100) == "USD 1.00");
  CHECK(usd_for_requests(12345) == "USD 123.45");
}

TEST_CASE("summary line") {
  CHECK(summary_line(3, true, 2) == "3 billable requests (USD 0.03); 2 pages from cache");
  CHECK(summary_line(1, false, 0) == "1 billable request (USD 0.01)");
  CHECK(summary_line(0, true, 1) == "0 billable requests (USD 0.00); 1 page from cache");
}

TEST_CASE("progress line: redraw on a terminal, lines otherwise, silent when disabled") {
  progress_counts c;
  c.pages = 2;
  c.retries = 1;
  c.billable = 3;
  std::ostringstream tty, file, off;
  progress_line a(tty, true, true), b(file, true, false), d(off, false, true);
  a.update(c);
  a.clear();
  b.update(c);
  d.update(c);
  d.clear();
  CHECK(tty.str() == "\rpages 2, retries 1, 3 billable requests, USD 0.03 so far\x1b[K\r\x1b[K");
  CHECK(file.str() == "pages 2, retries 1, 3 billable requests, USD 0.03 so far\n");
  CHECK(off.str().empty());
}
