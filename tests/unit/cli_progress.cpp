#include "progress.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <sstream>

using namespace finops_crawler::cli;

TEST_CASE("prices in exact cents, from the library's price") {
  CHECK(usd_text(0) == "USD 0.00");
  CHECK(usd_text(3) == "USD 0.03");
  CHECK(usd_text(100) == "USD 1.00");
  CHECK(usd_text(12345) == "USD 123.45");
}

TEST_CASE("progress text: pages of the estimate, request rate, retries, USD, ETA") {
  progress_counts c;
  c.pages = 3;
  c.billable = 3;
  c.retries = 1;
  // 3 pages in 1.2 s: 2.5 req/s; 9 pages left at 0.4 s each: 3.6 s -> 0:03.
  CHECK(progress_text(c, 12, std::chrono::milliseconds(1200)) ==
        "pages 3/12, 2.5 req/s, retries 1, USD 0.03 so far, ETA 0:03");
  // Unknown total: no "/N", no ETA.
  CHECK(progress_text(c, 0, std::chrono::milliseconds(1200)) == "pages 3, 2.5 req/s, retries 1, USD 0.03 so far");
  // More pages than estimated: the total follows, no ETA.
  CHECK(progress_text(c, 2, std::chrono::milliseconds(1200)) == "pages 3/3, 2.5 req/s, retries 1, USD 0.03 so far");
  // A long crawl: minutes.
  c.pages = 10;
  c.billable = 8;
  c.cached_pages = 2;
  CHECK(progress_text(c, 1000, std::chrono::milliseconds(20000)) ==
        "pages 10/1000 (2 cached), 0.4 req/s, retries 1, USD 0.08 so far, ETA 33:00");
  // Before any time passed: no division by zero.
  CHECK(progress_text(progress_counts{}, 5, std::chrono::milliseconds(0)) ==
        "pages 0/5, 0.0 req/s, retries 0, USD 0.00 so far");
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
  a.update_at(c, std::chrono::milliseconds(1000));
  a.clear();
  b.update_at(c, std::chrono::milliseconds(1000));
  d.update_at(c, std::chrono::milliseconds(1000));
  d.clear();
  CHECK(tty.str() == "\rpages 2, 3.0 req/s, retries 1, USD 0.03 so far\x1b[K\r\x1b[K");
  CHECK(file.str() == "pages 2, 3.0 req/s, retries 1, USD 0.03 so far\n");
  CHECK(off.str().empty());
}
