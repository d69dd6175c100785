// Bodies of costs_profiles.hpp.
#include "costs_profiles.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "atomic_file.hpp"
#include "crawl_guard.hpp"
#include "csv_writer.hpp"
#include "error_hints.hpp"
#include "multi_profile.hpp"
#include "ndjson_writer.hpp"
#include "progress.hpp"
#include "record_output.hpp"
#include "table_writer.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace cli {

namespace {

// The sink each profile's run writes to: it keeps the profile's rows (the
// run's views die with its page) and hands them, tagged, to the real writer
// only when commit() is called after the run succeeded.
class profile_rows final : public row_sink {
 public:
  // `set_tag` names the profile of the next rows in the writer's columns.
  using tag_setter = std::function<void(std::string_view profile, std::string_view account)>;
  profile_rows(row_sink& writer, tag_setter set_tag, record_output& records)
      : writer_(&writer), set_tag_(std::move(set_tag)), records_(&records) {}

  void start(const profile_tag& tag) {
    tag_ = tag;
    pending_.clear();
  }
  bool begin() override { return true; }  // the header goes out with the first complete profile
  bool write(const cost_row& r) override {
    pending_.push_back(owned{std::string(r.period_start), std::string(r.period_end), std::string(r.group_1),
                             std::string(r.group_2), std::string(r.metric), std::string(r.amount),
                             std::string(r.unit), std::string(r.account_name), r.estimated});
    return true;
  }
  bool finish() override { return true; }

  // Writes the profile's rows; false on a write error.
  bool commit() {
    if (!begun_) {
      begun_ = true;
      if (!writer_->begin()) return false;
    }
    set_tag_(tag_.profile, tag_.account);
    cost_row row;
    for (const owned& o : pending_) {
      row.period_start = o.start;
      row.period_end = o.end;
      row.group_1 = o.g1;
      row.group_2 = o.g2;
      row.metric = o.metric;
      row.amount = o.amount;
      row.unit = o.unit;
      row.account_name = o.account_name;
      row.estimated = o.estimated;
      if (!writer_->write(row) || !records_->record_done()) return false;
    }
    rows_ += pending_.size();
    pending_.clear();
    return records_->flush();
  }
  // After the last profile: whatever follows the rows (a table is drawn
  // here). Nothing at all when no profile succeeded.
  bool end() { return !begun_ || (writer_->finish() && records_->flush()); }
  std::uint64_t rows() const noexcept { return rows_; }

 private:
  struct owned {
    std::string start, end, g1, g2, metric, amount, unit, account_name;
    bool estimated;
  };
  row_sink* writer_;
  tag_setter set_tag_;
  record_output* records_;
  profile_tag tag_;
  std::vector<owned> pending_;
  std::uint64_t rows_ = 0;
  bool begun_ = false;
};

// Clears the interrupt message's target when the run ends, however it ends.
struct target_scope {
  explicit target_scope(report_target t) { set_report_target(t); }
  ~target_scope() { set_report_target(report_target::none); }
  target_scope(const target_scope&) = delete;
  target_scope& operator=(const target_scope&) = delete;
};

}  // namespace

costs_outcome run_costs_for_profiles(const costs_flags& f, const std::string& format, const costs_query& query,
                                     const connection_flags& conn, const cli_context& ctx, std::ostream& out,
                                     std::ostream& err) {
  costs_outcome outcome;
  auto fail = [&](const error& e, exit_code c) {
    err << explain_error(e) << "\n";
    outcome.code = c;
    return outcome;
  };
  if (format == "json")
    return fail(error(errc::invalid_argument, "--format json with several profiles: a merged AWS reply has no place "
                                              "for the profile; use ndjson or csv (each row names its profile)"),
                exit_code::usage);
  if (f.pivot)
    return fail(error(errc::invalid_argument, "--pivot with several profiles: a pivot has no profile column; "
                                              "run it once per profile, or use csv or ndjson (each row names its "
                                              "profile)"),
                exit_code::usage);
  if (f.guard.dry_run || f.resume)
    return fail(error(errc::invalid_argument, std::string(f.resume ? "--resume" : "--dry-run") +
                                                  " with several profiles: run it with one --profile at a time"),
                exit_code::usage);
  // The caps apply to each profile's crawl; checked here once, before anything is sent.
  if (auto guard = crawl_guard::from_flags(f.guard); !guard) return fail(guard.error(), exit_code::usage);
  if (auto names = profile_list(conn); !names) return fail(names.error(), exit_code::usage);

  std::optional<atomic_file> file;
  if (!f.output.empty()) {
    auto af = atomic_file::create(f.output);
    if (!af) return fail(af.error(), exit_code::usage);
    file.emplace(std::move(*af));
  }
  record_output records(file ? file->stream() : out);
  const bool names_column = f.account_names && query.account_group != 0;
  std::unique_ptr<row_sink> writer;
  profile_rows::tag_setter set_tag;
  if (format == "csv") {
    auto* c = new csv_writer(records.stream(), names_column, true);
    set_tag = [c](std::string_view p, std::string_view a) { c->set_profile(p, a); };
    writer.reset(c);
  } else if (format == "ndjson") {
    auto* n = new ndjson_writer(records.stream(), names_column, true);
    set_tag = [n](std::string_view p, std::string_view a) { n->set_profile(p, a); };
    writer.reset(n);
  } else {
    const bool terminal = ctx.stdout_is_terminal && !file;
    auto* t = new table_writer(records.stream(), terminal ? ctx.terminal_width : 0);
    t->set_account_group(query.account_group == 0 ? 1 : query.account_group);
    t->set_profile_columns(true);
    set_tag = [t](std::string_view p, std::string_view a) { t->set_profile(p, a); };
    writer.reset(t);
  }
  profile_rows rows(*writer, std::move(set_tag), records);
  const bool streamed = !file || file->writes_through();
  target_scope interrupt_note(streamed ? report_target::streamed : report_target::file);

  // Each profile's run: the plain costs run, its rows into `rows`, its own
  // output file and format turned off (this function owns them).
  costs_flags one_f = f;
  one_f.output.clear();
  one_f.format = "csv";
  bool write_failed = false;
  exit_code code = run_for_each_profile(
      conn, ctx, err, [&](const connection_flags& one, const profile_tag& tag, std::ostream& perr) {
        rows.start(tag);
        costs_outcome o = run_costs(one_f, one, ctx, out, perr, &rows);
        outcome.billable += o.billable;
        outcome.cached_pages += o.cached_pages;
        if (o.code != exit_code::ok) return o.code;
        if (!rows.commit()) {
          write_failed = true;
          return reader_gone(records.error_number(), -1) ? exit_code::closed_pipe : exit_code::failure;
        }
        return exit_code::ok;
      });
  outcome.rows = rows.rows();
  outcome.summary = summary_line(outcome.billable, !conn.cache_dir.empty(), outcome.cached_pages);
  if (code == exit_code::closed_pipe) {
    outcome.code = code;
    return outcome;
  }
  if (!write_failed && (code == exit_code::ok || code == exit_code::partial) && !rows.end()) {
    write_failed = true;
    if (reader_gone(records.error_number(), -1)) {
      outcome.code = exit_code::closed_pipe;
      return outcome;
    }
  }
  if (write_failed) {
    const std::string reason = file ? file->write_error() : std::string();
    err << "finops-crawler: " << (reason.empty() ? std::string("writing the report failed (disk full?)") : reason)
        << "\n";
    outcome.code = outcome.rows > 0 && !file ? exit_code::partial : exit_code::failure;
    return outcome;
  }
  if (file && (code == exit_code::ok || code == exit_code::partial)) {
    // A partial run still writes the file: it holds the complete profiles.
    if (auto st = file->commit(); !st) return fail(st.error(), exit_code::failure);
  }
  if (conn.progress || conn.verbose) err << "finops-crawler: all profiles: " << outcome.summary << "\n";
  outcome.code = code;
  return outcome;
}

}  // namespace cli
}  // namespace v0
}  // namespace finops_crawler
