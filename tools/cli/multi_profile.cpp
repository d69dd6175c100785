// Bodies of multi_profile.hpp.
#include "multi_profile.hpp"

#include <fstream>
#include <ostream>
#include <streambuf>
#include <string_view>
#include <utility>

#include "error_hints.hpp"
#include "finops_crawler/aws/shared_config.hpp"
#include "finops_crawler/aws/sts/sts.hpp"
#include "response_cache.hpp"
#include "session.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

constexpr std::string_view lead = "finops-crawler: ";

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Where a profile would have to be, for the message that it is not.
std::string files_named(const aws::shared_config_paths& p) {
  const std::string config = p.config_file.empty() ? std::string("the config file") : p.config_file;
  const std::string creds = p.credentials_file.empty() ? std::string("the credentials file") : p.credentials_file;
  return config + " nor " + creds;
}

}  // namespace

bool is_profile_list(const connection_flags& conn) noexcept {
  return conn.profiles.size() > 1 || !conn.profiles_file.empty();
}

result<std::vector<std::string>> profile_list(const connection_flags& conn) {
  std::vector<std::string> names;
  std::vector<std::string> where;  // "--profile" or "FILE:LINE", for the duplicate message
  auto add = [&](std::string_view name, std::string origin) -> status {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name)
        return error(errc::invalid_argument, "profile " + std::string(name) + " is named twice (" + where[i] + " and " +
                                                 origin + "): its costs would be counted twice");
    names.emplace_back(name);
    where.push_back(std::move(origin));
    return {};
  };
  for (const auto& p : conn.profiles) {
    if (p.empty()) return error(errc::invalid_argument, "--profile needs a profile name");
    if (auto st = add(p, "--profile"); !st) return st.error();
  }
  if (!conn.profiles_file.empty()) {
    std::ifstream in(conn.profiles_file);
    if (!in)
      return error(errc::invalid_argument,
                   "--profiles-file " + conn.profiles_file + " cannot be read: give a file with one profile per line");
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
      const std::string_view name = trim(line);
      if (name.empty() || name.front() == '#') continue;
      const std::string origin = conn.profiles_file + ":" + std::to_string(n);
      for (char c : name)
        if (is_blank(c))
          return error(errc::invalid_argument, origin + ": '" + std::string(name) +
                                                   "' is not one profile name: write one profile per line");
      if (auto st = add(name, origin); !st) return st.error();
    }
    if (in.bad()) return error(errc::invalid_argument, "--profiles-file " + conn.profiles_file + ": read error");
  }
  if (names.empty())
    return error(errc::invalid_argument, "--profiles-file " + conn.profiles_file +
                                             " names no profile: write one profile per line ('#' starts a comment)");
  return names;
}

exit_code run_for_each_profile(const connection_flags& conn, const cli_context& ctx, std::ostream& err,
                               const profile_runner& run_one) {
  auto names = profile_list(conn);
  if (!names) {
    err << explain_error(names.error()) << "\n";
    return exit_code::usage;
  }
  // Every profile is looked up before the first request of the first: a
  // typo in the last one is reported at once, not after the others' crawls.
  const auto paths = aws::default_shared_config_paths(ctx.environment());
  auto files = aws::shared_config::load(paths);
  if (!files) {
    err << explain_error(files.error()) << "\n";
    return exit_code_for(files.error());
  }
  if (!conn.cache_dir.empty()) {
    if (auto c = response_cache::open(conn.cache_dir); !c) {
      err << explain_error(c.error()) << "\n";
      return exit_code::usage;
    }
  }
  std::vector<exit_code> codes(names->size(), exit_code::ok);
  for (std::size_t i = 0; i < names->size(); ++i) {
    if (files->has_profile((*names)[i])) continue;
    err << lead << "profile " << (*names)[i] << ": not found: it is in neither " << files_named(paths)
        << "; skipped, the other profiles run\n";
    codes[i] = exit_code::credentials;
  }

  bool stopped = false;
  for (std::size_t i = 0; i < names->size() && !stopped; ++i) {
    if (codes[i] != exit_code::ok) continue;
    const std::string& name = (*names)[i];
    prefixed_stream named(err, "profile " + name + ": ");
    std::ostream& perr = named.stream();
    connection_flags one = conn;
    one.profile = name;
    one.profiles.clear();
    one.profiles_file.clear();
    profile_tag tag;
    tag.profile = name;
    {
      // The account of the credentials (STS, free): the profile_account
      // column, and a check of the keys before any billable request.
      connection_flags identity = one;
      identity.cache_dir.clear();  // a cache would ask STS once more
      auto sess = session::open(identity, ctx, perr);
      if (!sess) {
        perr << explain_error(sess.error()) << "\n";
        codes[i] = exit_code_for(sess.error());
        continue;
      }
      auto client = (*sess)->client(aws::sts_api);
      if (!client) {
        perr << explain_error(client.error()) << "\n";
        codes[i] = exit_code::usage;
        continue;
      }
      sts::sts_client sts(std::move(*client));
      auto who = sts.get_caller_identity();
      if (!who) {
        perr << explain_error(who.error(), "sts:GetCallerIdentity") << "\n";
        codes[i] = exit_code_for(who.error());
        continue;
      }
      tag.account = who->account;
      one.credentials = (*sess)->aws_session().credential_source();
    }
    // --cache: session::open keeps each account's pages apart.
    codes[i] = run_one(one, tag, perr);
    if (codes[i] == exit_code::closed_pipe) return exit_code::closed_pipe;
    stopped = codes[i] == exit_code::failure;
  }

  std::size_t failed = 0;
  std::string list;
  exit_code first_failure = exit_code::ok;
  for (std::size_t i = 0; i < names->size(); ++i) {
    if (codes[i] == exit_code::ok) continue;
    if (first_failure == exit_code::ok) first_failure = codes[i];
    list += (failed++ ? ", " : "") + (*names)[i] + " (exit " + std::to_string(to_int(codes[i])) + ")";
  }
  if (failed == 0) return exit_code::ok;
  const bool some_ran = failed < names->size();
  err << lead << failed << " of " << names->size() << (names->size() == 1 ? " profile" : " profiles") << " failed: "
      << list;
  if (stopped) err << "; stopped there, the profiles after it were not run";
  err << (some_ran ? "; the output holds the other profiles' results, whole (exit 6)\n" : "; no output\n");
  return some_ran ? exit_code::partial : first_failure;
}

/// Copies text through, inserting the profile after a line's leading
/// "finops-crawler: ". Holds back at most the length of that lead.
class prefixed_stream::buf final : public std::streambuf {
 public:
  buf(std::ostream& target, std::string insert) : target_(&target), insert_(std::move(insert)) {}
  void drain() {
    if (!pending_.empty()) target_->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
    pending_.clear();
    target_->flush();
  }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) put(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) put(s[i]);
    return n;
  }
  int sync() override {
    target_->flush();
    return *target_ ? 0 : -1;
  }

 private:
  void put(char c) {
    if (!at_line_start_) {
      target_->put(c);
      at_line_start_ = c == '\n' || c == '\r';
      return;
    }
    pending_.push_back(c);
    if (lead.substr(0, pending_.size()) == pending_) {
      if (pending_.size() < lead.size()) return;
      *target_ << lead << insert_;
      pending_.clear();
      at_line_start_ = false;
      return;
    }
    target_->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
    pending_.clear();
    at_line_start_ = c == '\n' || c == '\r';
  }

  std::ostream* target_;
  std::string insert_;
  std::string pending_;
  bool at_line_start_ = true;
};

prefixed_stream::prefixed_stream(std::ostream& target, std::string insert)
    : buf_(new buf(target, std::move(insert))), stream_(new std::ostream(buf_.get())) {}

prefixed_stream::~prefixed_stream() { buf_->drain(); }

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
