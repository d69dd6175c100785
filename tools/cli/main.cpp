// finops-crawler: the command-line tool. Everything but process setup lives
// in cli.hpp (run_cli), which the tests call in-process.
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "atomic_file.hpp"
#include "cli.hpp"
#include "record_output.hpp"
#include "finops_crawler/http/curl_global.hpp"

int main(int argc, char** argv) {
  using namespace finops_crawler;
  // libcurl's global state is set up once, here, never from a header.
  http::curl_global_guard curl;
  if (!curl.ok()) {
    std::cerr << "finops-crawler: " << curl.status().error().describe() << "\n";
    return 1;
  }
  cli::install_interrupt_cleanup();
  // Ctrl-C: one line saying the output is incomplete, then the cleanup above.
  cli::install_interrupt_message();
  std::ios::sync_with_stdio(false);
  cli::cli_context ctx;
  ctx.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
  ctx.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
  struct winsize ws {};
  if (ctx.stdout_is_terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) {
    ctx.terminal_width = ws.ws_col;
  } else if (const char* cols = std::getenv("COLUMNS")) {
    const long n = std::strtol(cols, nullptr, 10);
    if (n >= 40 && n <= 1000) ctx.terminal_width = static_cast<std::size_t>(n);
  }
  const int rc = cli::run_cli(argc, argv, std::cout, std::cerr, ctx);
  std::cout.flush();
  if (rc == cli::closed_pipe_status) {
    // The reader went away while SIGPIPE was ignored (the demo's simulator
    // ignores it): end as SIGPIPE would have, like any other Unix tool.
    ::signal(SIGPIPE, SIG_DFL);
    ::raise(SIGPIPE);
  }
  return rc;
}
