#ifndef FINOPS_CRAWLER_CLI_CSV_WRITER_HPP
#define FINOPS_CRAWLER_CLI_CSV_WRITER_HPP
/// \file
/// The CSV output of `finops-crawler costs`: the contract.
///
/// Long format, one row per period x group x metric, header exactly
/// `period_start,period_end,group_1,group_2,metric,amount,unit,estimated`
/// (with --account-names one more column, `account_name`, is appended at the
/// end so the first eight columns never move; a run for several profiles
/// appends `profile,profile_account` after them). Amounts are copied byte for
/// byte from the response. Fields are quoted as RFC 4180 says (a field
/// holding a comma, a double quote, CR or LF is enclosed in double quotes,
/// inner quotes doubled); records end with LF (RFC 4180 asks CRLF; Unix tools
/// and every CSV reader we know accept LF). `estimated` is `true`/`false`.

#include <iosfwd>
#include <string>
#include <string_view>

#include "cost_row.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

/// The exact header line of the CSV contract, without the line end.
inline constexpr std::string_view csv_header = "period_start,period_end,group_1,group_2,metric,amount,unit,estimated";

/// Whether RFC 4180 requires `field` to be quoted. Pure.
bool csv_needs_quotes(std::string_view field) noexcept;

/// Writes one field with RFC 4180 quoting. Cost: one pass over the field.
void write_csv_field(std::ostream& out, std::string_view field);

/// Writes rows as CSV to a borrowed stream (it must outlive the writer).
/// Not thread-safe. The stream is flushed by finish() only, so a large report
/// is written in the stream's buffer-sized chunks.
class csv_writer final : public row_sink {
 public:
  /// `with_account_name` appends the `account_name` column (--account-names);
  /// `with_profile` then `profile,profile_account` (several profiles).
  explicit csv_writer(std::ostream& out, bool with_account_name = false, bool with_profile = false) noexcept
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
};

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_CLI_CSV_WRITER_HPP
