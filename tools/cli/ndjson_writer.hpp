#ifndef FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
#define FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
/// \file
/// The NDJSON output of `finops-crawler costs`: one JSON object per line with
/// the CSV's fields. `amount` stays a JSON *string* (the exact decimal AWS
/// sent; a JSON number would be read as a double by most consumers);
/// `estimated` is a boolean; `group_1`/`group_2` are null when absent;
/// `account_name` is present only with --account-names (null when unknown);
/// `profile` and `profile_account` only in a run for several profiles.

#include <iosfwd>
#include <string>
#include <string_view>

#include "cost_row.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// Writes `s` as a JSON string literal (quotes included), escaped as the
/// library's request bodies are (detail::append_json_string): `"` and `\`
/// are escaped, control characters become \b, \f, \n, \r, \t or \u00XX;
/// other bytes (UTF-8) pass through unchanged. Bytes that are not valid
/// UTF-8 are copied unchanged too (AWS pages never hold them: the parser
/// rejects invalid UTF-8). Pure apart from the stream.
void write_json_string(std::ostream& out, std::string_view s);

/// Writes rows as NDJSON to a borrowed stream (it must outlive the writer).
/// Each row is written with one stream write. Not thread-safe.
class ndjson_writer final : public row_sink {
 public:
  explicit ndjson_writer(std::ostream& out, bool with_account_name = false, bool with_profile = false) noexcept
      : out_(&out), with_account_name_(with_account_name), with_profile_(with_profile) {}

  /// The profile and account written in the profile columns of the next
  /// rows (a run for several profiles).
  void set_profile(std::string_view profile, std::string_view account) {
    profile_.assign(profile.data(), profile.size());
    profile_account_.assign(account.data(), account.size());
  }

  bool begin() override;
  bool write(const cost_row& r) override;
  bool finish() override;

 private:
  std::ostream* out_;
  bool with_account_name_;
  bool with_profile_;
  std::string profile_, profile_account_;
  std::string line_;  // the row being written, reused
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_NDJSON_WRITER_HPP
