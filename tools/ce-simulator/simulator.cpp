// finops-crawler-sim: the HTTP side of the simulator (cpp-httplib server,
// SigV4 verification, AWS JSON 1.1 / query protocols, faults, counters).

#include "simulator.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <simdjson.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "finops_crawler/aws/ce/requests.hpp"
#include "finops_crawler/aws/sigv4.hpp"
#include "finops_crawler/aws/sigv4_verifier.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sim {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

// Internal linkage: this is the simulator's one translation unit, not a header.
namespace {

void json_str(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[(c >> 4) & 15]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void xml_text(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
}

std::string hex_lower(const unsigned char* p, std::size_t n) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(hex[p[i] >> 4]);
    s.push_back(hex[p[i] & 15]);
  }
  return s;
}

std::string base64_encode(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

bool base64_decode(std::string_view in, std::string& out) {
  if (in.empty() || in.size() % 4 != 0 || in.size() > 8192) return false;
  for (char c : in) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '=';
    if (!ok) return false;
  }
  out.assign(3 * in.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) return false;
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  if (in.size() >= 1 && in[in.size() - 1] == '=') --len;
  if (in.size() >= 2 && in[in.size() - 2] == '=') --len;
  out.resize(len);
  return true;
}

bool gzip_compress(std::string_view in, std::string& out) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const auto produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return false;
  out.resize(produced);
  return true;
}

std::string uuid_like(std::uint64_t a, std::uint64_t b) {
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(a >> (8 * i));
  for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
  const std::string h = hex_lower(bytes, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string percent_decode_form(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hexv = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hexv(s[i + 1]) >= 0 && hexv(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexv(s[i + 1]) * 16 + hexv(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  for (std::size_t guard = 0; pos <= body.size() && guard < 4096; ++guard) {
    std::size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view part = body.substr(pos, amp - pos);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos) out[percent_decode_form(part)] = "";
      else out[percent_decode_form(part.substr(0, eq))] = percent_decode_form(part.substr(eq + 1));
    }
    pos = amp + 1;
  }
  return out;
}

// Every value of the Dimension enum of the Cost Explorer model: accepted in
// requests; the simulator models only the ones in `dimension_names`.
constexpr std::string_view model_dimensions[] = {
    "AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "PAYER_ACCOUNT", "LINKED_ACCOUNT_NAME", "OPERATION", "PURCHASE_TYPE",
    "REGION", "SERVICE", "SERVICE_CODE", "USAGE_TYPE", "USAGE_TYPE_GROUP", "RECORD_TYPE", "OPERATING_SYSTEM",
    "TENANCY", "SCOPE", "PLATFORM", "SUBSCRIPTION_ID", "LEGAL_ENTITY_NAME", "DEPLOYMENT_OPTION", "DATABASE_ENGINE",
    "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "BILLING_ENTITY", "RESERVATION_ID", "RESOURCE_ID", "RIGHTSIZING_TYPE",
    "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "PAYMENT_OPTION", "AGREEMENT_END_DATE_TIME_AFTER",
    "AGREEMENT_END_DATE_TIME_BEFORE", "INVOICING_ENTITY", "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
    "ANOMALY_TOTAL_IMPACT_PERCENTAGE"};

bool is_model_dimension(std::string_view s) {
  for (auto d : model_dimensions)
    if (d == s) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------

enum class protocol : std::uint8_t { json, query };

struct reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/x-amz-json-1.1";
  std::string error_type;  // AWS error code when status != 200
};

// Where real services keep each error type (for qualified_error_types).
std::string_view coral_namespace(std::string_view type) {
  if (type == "ValidationException") return "com.amazon.coral.validate";
  if (type == "ThrottlingException" || type == "LimitExceededException") return "com.amazon.coral.availability";
  if (type == "SerializationException" || type == "UnknownOperationException") return "com.amazon.coral.service";
  return "com.amazonaws.awsinsightsindexservice";
}

}  // namespace

// ---------------------------------------------------------------------------
// counters
// ---------------------------------------------------------------------------

std::string counters::to_json() const {
  std::string s = "{\"requests\":" + std::to_string(requests) + ",\"billable\":" + std::to_string(billable) +
                  ",\"auth_failures\":" + std::to_string(auth_failures) +
                  ",\"client_errors\":" + std::to_string(client_errors) +
                  ",\"connections\":" + std::to_string(connections) + ",\"bytes_sent\":" + std::to_string(bytes_sent) +
                  ",\"faults\":{";
  for (std::size_t i = 0; i < fault_count; ++i) {
    if (i) s += ',';
    json_str(s, fault_names[i]);
    s += ':' + std::to_string(faults[i]);
  }
  s += "}}";
  return s;
}

std::string counters::to_text() const {
  std::string s;
  s += "requests:       " + std::to_string(requests) + "\n";
  s += "billable:       " + std::to_string(billable) + " (Cost Explorer calls answered 200; $0.01 each on AWS)\n";
  s += "auth failures:  " + std::to_string(auth_failures) + "\n";
  s += "client errors:  " + std::to_string(client_errors) + "\n";
  s += "connections:    " + std::to_string(connections) + "\n";
  s += "bytes sent:     " + std::to_string(bytes_sent) + "\n";
  s += "faults:";
  for (std::size_t i = 0; i < fault_count; ++i) s += " " + std::string(fault_names[i]) + "=" + std::to_string(faults[i]);
  s += "\n";
  return s;
}

// ---------------------------------------------------------------------------
// impl
// ---------------------------------------------------------------------------

namespace {

// Counts accepted connections: cpp-httplib enqueues one task per accepted
// socket, so enqueue() is exactly "connection accepted".
class counting_pool : public httplib::ThreadPool {
 public:
  counting_pool(std::size_t n, std::atomic<std::uint64_t>* count) : httplib::ThreadPool(n), count_(count) {}
  // Why decltype: enqueue returns void in cpp-httplib 0.11 (Debian 12) and
  // bool in later releases (the wrap fallback).
  using enqueue_result =
      decltype(std::declval<httplib::ThreadPool&>().enqueue(std::declval<std::function<void()>>()));
  enqueue_result enqueue(std::function<void()> fn) override {
    count_->fetch_add(1, std::memory_order_relaxed);
    return httplib::ThreadPool::enqueue(std::move(fn));
  }

 private:
  std::atomic<std::uint64_t>* count_;
};

// An operation's failure before a body is produced.
struct api_error {
  int status = 400;
  std::string type;
  std::string message;
};

// Either a JSON body (status 200) or an api_error.
struct op_result {
  bool ok = true;
  std::string body;
  api_error err;
  static op_result fail(int status, std::string type, std::string message) {
    op_result r;
    r.ok = false;
    r.err = api_error{status, std::move(type), std::move(message)};
    return r;
  }
  static op_result success(std::string body) {
    op_result r;
    r.body = std::move(body);
    return r;
  }
};

op_result validation(std::string message) { return op_result::fail(400, "ValidationException", std::move(message)); }
op_result serialization(std::string message) {
  return op_result::fail(400, "SerializationException", std::move(message));
}

std::string not_null(std::string_view member) {
  return "1 validation error detected: Value null at '" + std::string(member) +
         "' failed to satisfy constraint: Member must not be null";
}

// simdjson DOM access that treats JSON null like an absent member (as AWS does).
bool member(simdjson::dom::object o, std::string_view key, simdjson::dom::element& out) {
  auto r = o[key];
  if (r.error()) return false;
  out = r.value_unsafe();
  return !out.is_null();
}

}  // namespace

struct simulator::impl {
  options opts_;
  std::optional<data_set> data_;
  std::vector<credential> creds_;
  httplib::Server server_;
  std::thread thread_;
  std::atomic<int> port_{0};
  std::atomic<bool> started_{false};
  bool used_ = false;  // start() ran once; cpp-httplib servers are not restartable
  std::string org_id_;
  unsigned char token_key_[32] = {};

  std::atomic<std::uint64_t> requests_{0}, billable_{0}, auth_failures_{0}, client_errors_{0}, connections_{0},
      bytes_sent_{0}, seq_{0};
  std::array<std::atomic<std::uint64_t>, fault_count> faults_{};

  // The last few aggregations, keyed by canonical request: pages of one crawl
  // then cost one aggregation instead of one per page.
  std::mutex cache_mu_;
  std::deque<std::pair<std::string, std::shared_ptr<const std::vector<period_result>>>> cache_;

  std::shared_ptr<const std::vector<period_result>> truth_for(const std::string& canon, const query& q) {
    {
      std::lock_guard<std::mutex> lock(cache_mu_);
      for (const auto& [k, v] : cache_)
        if (k == canon) return v;
    }
    auto computed = std::make_shared<const std::vector<period_result>>(ground_truth(*data_, q));
    std::lock_guard<std::mutex> lock(cache_mu_);
    cache_.emplace_front(canon, computed);
    if (cache_.size() > 8) cache_.pop_back();
    return computed;
  }

  std::mutex fault_mu_;
  std::deque<std::pair<fault, int>> script_;
  std::unordered_map<std::uint64_t, int> consecutive_;

  explicit impl(options o) : opts_(std::move(o)) {}

  // ----- tokens -------------------------------------------------------------

  std::string mac_hex(std::string_view canon, std::uint64_t a, std::uint64_t b) const {
    std::string msg(canon);
    msg += '|' + std::to_string(a) + '|' + std::to_string(b);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), token_key_, sizeof token_key_, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
         md, &len);
    return hex_lower(md, 16);
  }

  // Opaque and bound to the request: base64("v1|a|b|HMAC(canonical request, a, b)").
  std::string make_token(std::string_view canon, std::uint64_t a, std::uint64_t b) const {
    return base64_encode("v1|" + std::to_string(a) + "|" + std::to_string(b) + "|" + mac_hex(canon, a, b));
  }

  bool read_token(std::string_view token, std::string_view canon, std::uint64_t& a, std::uint64_t& b) const {
    std::string raw;
    if (!base64_decode(token, raw)) return false;
    if (raw.compare(0, 3, "v1|") != 0) return false;
    const std::size_t p1 = raw.find('|', 3);
    if (p1 == std::string::npos) return false;
    const std::size_t p2 = raw.find('|', p1 + 1);
    if (p2 == std::string::npos) return false;
    auto num = [](std::string_view s, std::uint64_t& v) {
      if (s.empty() || s.size() > 18) return false;
      v = 0;
      for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      return true;
    };
    if (!num(std::string_view(raw).substr(3, p1 - 3), a)) return false;
    if (!num(std::string_view(raw).substr(p1 + 1, p2 - p1 - 1), b)) return false;
    return raw.substr(p2 + 1) == mac_hex(canon, a, b);
  }

  // The request minus its page token, with members sorted: what a token binds to.
  static std::string canonical_body(std::string_view op, simdjson::dom::object o, std::string_view token_member) {
    std::vector<std::pair<std::string_view, std::string>> parts;
    for (auto field : o) {
      if (field.key == token_member) continue;
      parts.emplace_back(field.key, simdjson::minify(field.value));
    }
    std::sort(parts.begin(), parts.end());
    std::string out(op);
    for (auto& [k, v] : parts) {
      out += '\n';
      out += k;
      out += '=';
      out += v;
    }
    return out;
  }

  // ----- error rendering ----------------------------------------------------

  reply render_error(protocol p, int status, std::string_view type, std::string_view message,
                     const std::string& request_id) const {
    reply r;
    r.status = status;
    r.error_type = std::string(type);
    if (p == protocol::query) {
      r.content_type = "text/xml";
      r.body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>";
      r.body += status >= 500 ? "Receiver" : "Sender";
      r.body += "</Type><Code>";
      xml_text(r.body, type);
      r.body += "</Code><Message>";
      xml_text(r.body, message);
      r.body += "</Message></Error><RequestId>" + request_id + "</RequestId></ErrorResponse>";
      return r;
    }
    r.body = "{\"__type\":";
    if (opts_.qualified_error_types) json_str(r.body, std::string(coral_namespace(type)) + "#" + std::string(type));
    else json_str(r.body, type);
    r.body += ",\"message\":";
    json_str(r.body, message);
    r.body += "}";
    return r;
  }

  // ----- auth ---------------------------------------------------------------

  // Returns true when authenticated; else fills `out` with AWS's answer.
  bool authenticate(const httplib::Request& req, protocol p, std::string_view service, std::string_view region,
                    const std::string& rid, reply& out, const credential*& who, credential& lent) {
    std::string path = req.target;
    std::string query;
    if (auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q + 1);
      path.resize(q);
    }
    if (path.empty()) path = "/";
    std::vector<sigv4::header> hs;
    hs.reserve(req.headers.size());
    for (const auto& [k, v] : req.headers) {
      // cpp-httplib adds these pseudo headers on the server side; they were never sent.
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      hs.push_back(sigv4::header{k, v});
    }
    sigv4::request_view rv{req.method, path, query, sigv4::header_span(hs), req.body};
    const credential* found = nullptr;
    sigv4::secret_lookup lookup = [&](std::string_view id, std::string& secret) {
      for (const auto& c : creds_)
        if (c.access_key_id == id) {
          found = &c;
          secret = c.secret_access_key;
          return true;
        }
      // Temporary keys handed out by the credential doubles.
      if (opts_.extension && opts_.extension->find_credential(id, lent)) {
        found = &lent;
        secret = lent.secret_access_key;
        return true;
      }
      return false;
    };
    sigv4::verify_options vo;
    vo.service = service;
    vo.region = region;
    vo.max_skew = opts_.max_clock_skew;
    auto v = sigv4::verify(rv, lookup, vo);
    const bool sts = p == protocol::query;
    if (!v) {
      const auto& e = v.error();
      const bool has_auth = req.has_header("Authorization") || query.find("X-Amz-Signature=") != std::string::npos;
      switch (e.failure) {
        case sigv4::verify_failure::unknown_access_key:
          out = render_error(p, 403, sts ? "InvalidClientTokenId" : "UnrecognizedClientException",
                             "The security token included in the request is invalid.", rid);
          break;
        case sigv4::verify_failure::signature_mismatch:
          out = render_error(p, 403, sts ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                             "The request signature we calculated does not match the signature you provided. Check "
                             "your AWS Secret Access Key and signing method. Consult the service documentation for "
                             "details.",
                             rid);
          break;
        case sigv4::verify_failure::malformed:
          if (!has_auth) {
            out = render_error(p, 403, sts ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
                               "Missing Authentication Token", rid);
          } else {
            out = render_error(p, e.http_status ? static_cast<int>(e.http_status) : 400,
                               e.aws_code.empty() ? "IncompleteSignatureException" : e.aws_code, e.message, rid);
          }
          break;
        default:
          out = render_error(p, e.http_status ? static_cast<int>(e.http_status) : 403,
                             sts ? "SignatureDoesNotMatch"
                                 : (e.aws_code.empty() ? std::string("InvalidSignatureException") : e.aws_code),
                             e.message, rid);
      }
      return false;
    }
    if (found == nullptr) {  // cannot happen after a successful verify; be safe
      out = render_error(p, 403, sts ? "InvalidClientTokenId" : "UnrecognizedClientException",
                         "The security token included in the request is invalid.", rid);
      return false;
    }
    // Why: SigV4 covers the token only if signed; AWS still checks its value.
    const std::string token = req.get_header_value("X-Amz-Security-Token");
    if (token != found->session_token) {
      out = render_error(p, 403, sts ? "InvalidClientTokenId" : "UnrecognizedClientException",
                         "The security token included in the request is invalid.", rid);
      return false;
    }
    if (found->expired) {
      out = render_error(p, 400, sts ? "ExpiredToken" : "ExpiredTokenException",
                         "The security token included in the request is expired", rid);
      return false;
    }
    who = found;
    if (opts_.extension) opts_.extension->authenticated(found->access_key_id, service);
    return true;
  }

  // ----- faults -------------------------------------------------------------

  struct decision {
    bool fail = false;
    fault kind = fault::throttling;
    bool slow = false;
    bool gzip = false;
  };

  decision decide(std::uint64_t key) {
    decision d;
    std::lock_guard<std::mutex> lock(fault_mu_);
    if (!script_.empty()) {
      auto& [f, n] = script_.front();
      if (is_failure(f)) {
        d.fail = true;
        d.kind = f;
      } else if (f == fault::slow) {
        d.slow = true;
      } else {
        d.gzip = true;
      }
      if (--n <= 0) script_.pop_front();
      return d;
    }
    const std::uint64_t h = mix64(opts_.faults.seed ^ mix64(seq_.fetch_add(1) + 0x5eed));
    auto unit = [](std::uint64_t x) { return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0); };
    const double u = unit(h);
    double cum = 0;
    for (std::size_t i = 0; i < fault_count; ++i) {
      if (!is_failure(static_cast<fault>(i))) continue;
      cum += opts_.faults.probability[i];
      if (u < cum) {
        d.fail = true;
        d.kind = static_cast<fault>(i);
        break;
      }
    }
    int& run = consecutive_[key];
    if (d.fail && run >= opts_.faults.max_consecutive) d.fail = false;
    if (d.fail) {
      ++run;
    } else {
      consecutive_.erase(key);
    }
    if (consecutive_.size() > 100000) consecutive_.clear();  // bounded memory
    d.slow = unit(mix64(h ^ 0x510)) < opts_.faults.probability[static_cast<std::size_t>(fault::slow)];
    d.gzip = unit(mix64(h ^ 0x621)) < opts_.faults.probability[static_cast<std::size_t>(fault::gzip)];
    return d;
  }

  // ----- request parsing helpers ---------------------------------------------

  struct period_req {
    std::int64_t start = 0, end = 0;
  };

  static op_result parse_period(simdjson::dom::object o, period_req& p, bool forecast = false) {
    simdjson::dom::element tp;
    if (!member(o, "TimePeriod", tp)) return validation(not_null("timePeriod"));
    simdjson::dom::object tpo;
    if (tp.get_object().get(tpo)) return serialization("TimePeriod must be an object");
    std::string_view start, end;
    simdjson::dom::element e;
    if (!member(tpo, "Start", e)) return validation(not_null("timePeriod.start"));
    if (e.get_string().get(start)) return serialization("TimePeriod.Start must be a string");
    if (!member(tpo, "End", e)) return validation(not_null("timePeriod.end"));
    if (e.get_string().get(end)) return serialization("TimePeriod.End must be a string");
    auto pattern = [](std::string_view v, std::string_view at) {
      return "1 validation error detected: Value '" + std::string(v) + "' at '" + std::string(at) +
             "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
             "(\\d{4}-\\d{2}-\\d{2})(T\\d{2}:\\d{2}:\\d{2}Z)?";
    };
    auto shaped = [](std::string_view v) {
      if (v.size() != 10 && v.size() != 20) return false;
      for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        const bool digit = c >= '0' && c <= '9';
        if (i == 4 || i == 7) {
          if (c != '-') return false;
        } else if (i == 10) {
          if (c != 'T') return false;
        } else if (i == 13 || i == 16) {
          if (c != ':') return false;
        } else if (i == 19) {
          if (c != 'Z') return false;
        } else if (!digit) {
          return false;
        }
      }
      return true;
    };
    if (!shaped(start)) return validation(pattern(start, "timePeriod.start"));
    if (!shaped(end)) return validation(pattern(end, "timePeriod.end"));
    if (start.size() == 20 || end.size() == 20)
      return validation("Hourly time periods are only supported with HOURLY granularity, which is not enabled "
                        "for this account");
    if (!parse_date(start, p.start)) return validation("Start date " + std::string(start) + " is not a valid date");
    if (!parse_date(end, p.end)) return validation("End date " + std::string(end) + " is not a valid date");
    if (p.end <= p.start) {
      if (forecast)
        return validation("Requested Start: " + std::string(start) + " must be before requested End: " +
                          std::string(end));
      return validation("Start date (and hour) should be before end date (and hour)");
    }
    if (p.end - p.start > 3660) return validation("The time period is longer than 10 years");
    return op_result::success({});
  }

  static op_result parse_expression(simdjson::dom::element el, expression& out, int depth) {
    if (depth > 8) return validation("Filter expression is nested too deeply (more than 8 levels)");
    simdjson::dom::object o;
    if (el.get_object().get(o)) return serialization("An Expression must be an object");
    std::vector<std::string_view> roots;
    simdjson::dom::element e;
    for (std::string_view k : {"And", "Or", "Not", "Dimensions", "Tags", "CostCategories"})
      if (member(o, k, e)) roots.push_back(k);
    if (roots.empty())
      return validation("Expression must have at least one of: And, Or, Not, Dimensions, Tags, CostCategories");
    if (roots.size() > 1) {
      std::string msg = "Expression has more than one roots. Only one root operator is allowed for each expression: ";
      for (std::size_t i = 0; i < roots.size(); ++i) msg += (i ? ", " : "") + std::string(roots[i]);
      return validation(msg);
    }
    const std::string_view root = roots[0];
    member(o, root, e);
    if (root == "And" || root == "Or") {
      simdjson::dom::array a;
      if (e.get_array().get(a)) return serialization(std::string(root) + " must be a list of expressions");
      out.k = root == "And" ? expression::kind::and_ : expression::kind::or_;
      for (auto child : a) {
        expression c;
        auto r = parse_expression(child, c, depth + 1);
        if (!r.ok) return r;
        out.children.push_back(std::move(c));
      }
      if (out.children.size() < 2)
        return validation(std::string(root) + " expression must have at least 2 operands");
      return op_result::success({});
    }
    if (root == "Not") {
      out.k = expression::kind::not_;
      expression c;
      auto r = parse_expression(e, c, depth + 1);
      if (!r.ok) return r;
      out.children.push_back(std::move(c));
      return op_result::success({});
    }
    simdjson::dom::object d;
    if (e.get_object().get(d)) return serialization(std::string(root) + " must be an object");
    simdjson::dom::element ke, ve, me;
    std::string_view key;
    if (!member(d, "Key", ke) || ke.get_string().get(key))
      return validation(not_null(root == "Tags"             ? "filter.tags.key"
                                 : root == "CostCategories" ? "filter.costCategories.key"
                                                            : "filter.dimensions.key"));
    if (member(d, "MatchOptions", me)) {
      simdjson::dom::array ma;
      if (me.get_array().get(ma)) return serialization("MatchOptions must be a list");
      for (auto m : ma) {
        std::string_view mv;
        if (m.get_string().get(mv)) return serialization("MatchOptions must be strings");
        if (mv != "EQUALS")
          return validation("MatchOptions " + std::string(mv) + " is not supported by the simulator (only EQUALS)");
      }
    }
    if (member(d, "Values", ve)) {
      simdjson::dom::array va;
      if (ve.get_array().get(va)) return serialization("Values must be a list of strings");
      for (auto v : va) {
        std::string_view s;
        if (v.get_string().get(s)) return serialization("Values must be a list of strings");
        out.values.emplace_back(s);
      }
    }
    if (root == "Tags") {
      out.k = expression::kind::tags;
      out.tag_key = std::string(key);
      return op_result::success({});
    }
    if (root == "CostCategories") {
      if (key != cost_category_name) return validation("Cost category " + std::string(key) + " does not exist");
      out.k = expression::kind::cost_categories;
      return op_result::success({});
    }
    if (!is_model_dimension(key))
      return validation("1 validation error detected: Value '" + std::string(key) +
                        "' at 'filter.dimensions.key' failed to satisfy constraint: Member must satisfy enum value set");
    if (out.values.empty()) return validation("Dimensions expression for " + std::string(key) + " has no Values");
    out.k = expression::kind::dimensions;
    if (!parse_dimension(key, out.dim)) {
      // A dimension the simulator does not model has no values: nothing matches.
      out.k = expression::kind::or_;
      out.values.clear();
    }
    return op_result::success({});
  }

  static op_result parse_metrics(simdjson::dom::object o, std::vector<metric>& ms,
                                 std::vector<std::string>& names) {
    simdjson::dom::element e;
    if (!member(o, "Metrics", e)) return validation(not_null("metrics"));
    simdjson::dom::array a;
    if (e.get_array().get(a)) return serialization("Metrics must be a list of strings");
    for (auto m : a) {
      std::string_view s;
      if (m.get_string().get(s)) return serialization("Metrics must be a list of strings");
      metric mm;
      if (!parse_metric(s, mm))
        return validation("Metric " + std::string(s) +
                          " is invalid. Valid metrics: AmortizedCost, BlendedCost, NetAmortizedCost, "
                          "NetUnblendedCost, NormalizedUsageAmount, UnblendedCost, UsageQuantity");
      if (std::find(names.begin(), names.end(), s) != names.end())
        return validation("Metrics contain duplicate entries: " + std::string(s));
      ms.push_back(mm);
      names.emplace_back(s);
    }
    if (ms.empty()) return validation("Metrics must contain at least one metric");
    return op_result::success({});
  }

  static op_result parse_granularity(simdjson::dom::object o, granularity& g, bool required) {
    simdjson::dom::element e;
    if (!member(o, "Granularity", e)) {
      if (required) return validation(not_null("granularity"));
      g = granularity::daily;
      return op_result::success({});
    }
    std::string_view s;
    if (e.get_string().get(s)) return serialization("Granularity must be a string");
    if (s == "DAILY") g = granularity::daily;
    else if (s == "MONTHLY") g = granularity::monthly;
    else if (s == "HOURLY") return validation("Hourly granularity is not enabled for this account");
    else
      return validation("1 validation error detected: Value '" + std::string(s) +
                        "' at 'granularity' failed to satisfy constraint: Member must satisfy enum value set: "
                        "[DAILY, MONTHLY, HOURLY]");
    return op_result::success({});
  }

  // ----- Cost Explorer ------------------------------------------------------

  void write_metrics(std::string& out, const std::vector<std::string>& names, const std::vector<metric_value>& mv) const {
    out += '{';
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) out += ',';
      json_str(out, names[i]);
      out += ":{\"Amount\":";
      json_str(out, mv[i].amount.to_string());
      out += ",\"Unit\":";
      json_str(out, mv[i].unit);
      out += '}';
    }
    out += '}';
  }

  op_result get_cost_and_usage(simdjson::dom::object o, bool with_resources) {
    const data_set& ds = *data_;
    query q;
    period_req p;
    if (auto r = parse_period(o, p); !r.ok) return r;
    q.start_day = p.start;
    q.end_day = p.end;
    if (auto r = parse_granularity(o, q.gran, true); !r.ok) return r;
    std::vector<std::string> metric_keys;
    if (auto r = parse_metrics(o, q.metrics, metric_keys); !r.ok) return r;
    simdjson::dom::element e;
    if (with_resources) {
      // Why: resource-level data exists only for the last 14 days; the
      // library's one rule, on the simulator's today (its last day of data).
      const std::int64_t earliest =
          ce::resource_level_earliest_start(calendar_date::from_days(ds.end_day() - 1)).days_since_epoch();
      if (q.start_day < earliest)
        return validation("Start date " + format_date(q.start_day) +
                          " is more than 14 days ago; resource-level data covers only the last 14 days (since " +
                          format_date(earliest) + ")");
      if (!member(o, "Filter", e)) return validation(not_null("filter"));
    }
    if (member(o, "Filter", e)) {
      expression f;
      if (auto r = parse_expression(e, f, 0); !r.ok) return r;
      q.filter = std::move(f);
    }
    std::vector<std::pair<std::string, std::string>> defs;  // type, key as sent
    if (member(o, "GroupBy", e)) {
      simdjson::dom::array a;
      if (e.get_array().get(a)) return serialization("GroupBy must be a list");
      for (auto g : a) {
        simdjson::dom::object go;
        if (g.get_object().get(go)) return serialization("GroupBy entries must be objects");
        simdjson::dom::element te, ke;
        std::string_view type, key;
        if (!member(go, "Type", te) || te.get_string().get(type)) return validation(not_null("groupBy.member.type"));
        if (!member(go, "Key", ke) || ke.get_string().get(key)) return validation(not_null("groupBy.member.key"));
        group_def gd;
        if (type == "TAG") {
          gd.is_tag = true;
          gd.tag_key = std::string(key);
        } else if (type == "DIMENSION") {
          if (!is_model_dimension(key))
            return validation("1 validation error detected: Value '" + std::string(key) +
                              "' at 'groupBy.member.key' failed to satisfy constraint: Member must satisfy enum "
                              "value set");
          if (!parse_dimension(key, gd.dim) || (gd.dim == dimension::resource_id && !with_resources))
            return validation("Group by dimension " + std::string(key) +
                              " is not supported here. The simulator groups GetCostAndUsage by SERVICE, USAGE_TYPE, "
                              "LINKED_ACCOUNT, RECORD_TYPE, REGION and tags (RESOURCE_ID: "
                              "GetCostAndUsageWithResources only)");
        } else if (type == "COST_CATEGORY") {
          if (key != cost_category_name) return validation("Cost category " + std::string(key) + " does not exist");
          gd.is_cost_category = true;
        } else {
          return validation("1 validation error detected: Value '" + std::string(type) +
                            "' at 'groupBy.member.type' failed to satisfy constraint: Member must satisfy enum "
                            "value set: [DIMENSION, TAG, COST_CATEGORY]");
        }
        for (const auto& d : defs)
          if (d.first == type && d.second == key)
            return validation("Group Definitions contain duplicate keys: " + std::string(key));
        defs.emplace_back(std::string(type), std::string(key));
        q.group_by.push_back(std::move(gd));
      }
      if (q.group_by.size() > 2) return validation("Group Definitions can only contain up to two distinct keys");
    }
    const std::string op = with_resources ? "GetCostAndUsageWithResources" : "GetCostAndUsage";
    const std::string canon = canonical_body(op, o, "NextPageToken");

    const auto truth_ptr = truth_for(canon, q);
    const std::vector<period_result>& truth = *truth_ptr;
    std::uint64_t pi = 0, gi = 0;
    if (member(o, "NextPageToken", e)) {
      std::string_view tok;
      if (e.get_string().get(tok)) return serialization("NextPageToken must be a string");
      const bool ok = !q.group_by.empty() && read_token(tok, canon, pi, gi) && pi < truth.size() &&
                      gi < std::max<std::size_t>(truth[pi].groups.size(), 1);
      if (!ok) return validation("Invalid NextPageToken: it is malformed or was issued for a different request");
    }

    std::string out;
    out.reserve(4096);
    out += "{";
    if (!defs.empty()) {
      out += "\"GroupDefinitions\":[";
      for (std::size_t i = 0; i < defs.size(); ++i) {
        if (i) out += ',';
        out += "{\"Type\":";
        json_str(out, defs[i].first);
        out += ",\"Key\":";
        json_str(out, defs[i].second);
        out += '}';
      }
      out += "],";
    }
    out += "\"ResultsByTime\":[";
    std::set<std::string> accounts_seen;
    const bool by_account = std::any_of(q.group_by.begin(), q.group_by.end(), [](const group_def& g) {
      return !g.is_tag && !g.is_cost_category && g.dim == dimension::linked_account;
    });
    std::size_t budget = std::max<std::size_t>(opts_.page_size_groups, 1);
    bool first_period = true;
    std::string next;
    for (std::size_t i = static_cast<std::size_t>(pi); i < truth.size(); ++i) {
      const auto& pr = truth[i];
      if (!q.group_by.empty() && budget == 0) {
        next = make_token(canon, i, 0);
        break;
      }
      if (!first_period) out += ',';
      first_period = false;
      out += "{\"TimePeriod\":{\"Start\":\"" + format_date(pr.start_day) + "\",\"End\":\"" + format_date(pr.end_day) +
             "\"},\"Total\":";
      if (q.group_by.empty()) write_metrics(out, metric_keys, pr.total);
      else out += "{}";
      out += ",\"Groups\":[";
      if (!q.group_by.empty()) {
        std::size_t g = i == pi ? static_cast<std::size_t>(gi) : 0;
        bool first_group = true;
        for (; g < pr.groups.size() && budget > 0; ++g, --budget) {
          const auto& gr = pr.groups[g];
          if (!first_group) out += ',';
          first_group = false;
          out += "{\"Keys\":[";
          for (std::size_t k = 0; k < gr.keys.size(); ++k) {
            if (k) out += ',';
            json_str(out, gr.keys[k]);
            if (!q.group_by[k].is_tag && !q.group_by[k].is_cost_category &&
                q.group_by[k].dim == dimension::linked_account) accounts_seen.insert(gr.keys[k]);
          }
          out += "],\"Metrics\":";
          write_metrics(out, metric_keys, gr.metrics);
          out += '}';
        }
        // Why: Cost Explorer splits a period's groups across pages; the next
        // page repeats the same TimePeriod with the remaining groups.
        if (g < pr.groups.size()) next = make_token(canon, i, g);
      }
      out += "],\"Estimated\":";
      out += pr.estimated ? "true" : "false";
      out += '}';
      if (!next.empty()) break;
    }
    out += "],\"DimensionValueAttributes\":[";
    if (by_account) {
      bool first = true;
      for (const auto& id : accounts_seen) {
        const int ai = ds.account_index(id);
        if (ai < 0) continue;
        if (!first) out += ',';
        first = false;
        out += "{\"Value\":";
        json_str(out, id);
        out += ",\"Attributes\":{\"description\":";
        json_str(out, ds.accounts()[static_cast<std::size_t>(ai)].name);
        out += "}}";
      }
    }
    out += ']';
    if (!next.empty()) {
      out += ",\"NextPageToken\":";
      json_str(out, next);
    }
    out += '}';
    return op_result::success(std::move(out));
  }

  op_result get_dimension_values(simdjson::dom::object o) {
    const data_set& ds = *data_;
    period_req p;
    if (auto r = parse_period(o, p); !r.ok) return r;
    simdjson::dom::element e;
    std::string_view dim_name;
    if (!member(o, "Dimension", e)) return validation(not_null("dimension"));
    if (e.get_string().get(dim_name)) return serialization("Dimension must be a string");
    if (!is_model_dimension(dim_name))
      return validation("1 validation error detected: Value '" + std::string(dim_name) +
                        "' at 'dimension' failed to satisfy constraint: Member must satisfy enum value set");
    std::string_view context = "COST_AND_USAGE", search;
    if (member(o, "Context", e) && e.get_string().get(context)) return serialization("Context must be a string");
    if (context != "COST_AND_USAGE" && context != "RESERVATIONS" && context != "SAVINGS_PLANS")
      return validation("1 validation error detected: Value '" + std::string(context) +
                        "' at 'context' failed to satisfy constraint: Member must satisfy enum value set: "
                        "[COST_AND_USAGE, RESERVATIONS, SAVINGS_PLANS]");
    if (member(o, "SearchString", e) && e.get_string().get(search))
      return serialization("SearchString must be a string");
    std::size_t page = opts_.page_size_dimension_values;
    if (member(o, "MaxResults", e)) {
      std::int64_t mr = 0;
      if (e.get_int64().get(mr)) return serialization("MaxResults must be an integer");
      if (mr < 1 || mr > 10000)
        return validation("1 validation error detected: Value '" + std::to_string(mr) +
                          "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 10000");
      page = static_cast<std::size_t>(mr);
    }
    std::optional<expression> filter;
    if (member(o, "Filter", e)) {
      expression f;
      if (auto r = parse_expression(e, f, 0); !r.ok) return r;
      filter = std::move(f);
    }
    dimension dim = dimension::service;
    std::set<std::string> values;
    if (context == "COST_AND_USAGE" && parse_dimension(dim_name, dim)) {
      group_def g;
      g.dim = dim;
      auto lower = [](std::string_view s) {
        std::string r(s);
        for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return r;
      };
      const std::string needle = lower(search);
      for_each_line(ds, p.start, p.end, [&](const line& l) {
        if (filter && !matches(ds, l, *filter)) return;
        std::string v = group_value(ds, l, g);
        if (!needle.empty() && lower(v).find(needle) == std::string::npos) return;
        values.insert(std::move(v));
      });
    }
    const std::vector<std::string> all(values.begin(), values.end());
    const std::string canon = canonical_body("GetDimensionValues", o, "NextPageToken");
    std::uint64_t offset = 0, unused = 0;
    if (member(o, "NextPageToken", e)) {
      std::string_view tok;
      if (e.get_string().get(tok)) return serialization("NextPageToken must be a string");
      if (!read_token(tok, canon, offset, unused) || offset >= all.size() || unused != 0)
        return validation("Invalid NextPageToken: it is malformed or was issued for a different request");
    }
    const std::size_t begin = static_cast<std::size_t>(offset);
    const std::size_t end = std::min(all.size(), begin + std::max<std::size_t>(page, 1));
    std::string out = "{\"DimensionValues\":[";
    for (std::size_t i = begin; i < end; ++i) {
      if (i != begin) out += ',';
      out += "{\"Value\":";
      json_str(out, all[i]);
      out += ",\"Attributes\":{";
      if (dim == dimension::linked_account) {
        const int ai = ds.account_index(all[i]);
        if (ai >= 0) {
          out += "\"description\":";
          json_str(out, ds.accounts()[static_cast<std::size_t>(ai)].name);
        }
      }
      out += "}}";
    }
    out += "],\"ReturnSize\":" + std::to_string(end - begin) + ",\"TotalSize\":" + std::to_string(all.size());
    if (end < all.size()) {
      out += ",\"NextPageToken\":";
      json_str(out, make_token(canon, end, 0));
    }
    out += '}';
    return op_result::success(std::move(out));
  }

  // GetTags and GetCostCategories: a sorted list of names from the lines of
  // the period (after the Filter), searched case-insensitively, served
  // `page` at a time with a token bound to the request.
  op_result serve_name_list(simdjson::dom::object o, std::string_view op, std::string_view list_field,
                            const std::set<std::string>& names, std::size_t page,
                            std::string_view extra_field = {}, const std::set<std::string>* extra = nullptr) {
    simdjson::dom::element e;
    const std::vector<std::string> all(names.begin(), names.end());
    const std::string canon = canonical_body(op, o, "NextPageToken");
    std::uint64_t offset = 0, unused = 0;
    if (member(o, "NextPageToken", e)) {
      std::string_view tok;
      if (e.get_string().get(tok)) return serialization("NextPageToken must be a string");
      if (!read_token(tok, canon, offset, unused) || offset >= all.size() || unused != 0)
        return validation("Invalid NextPageToken: it is malformed or was issued for a different request");
    }
    const std::size_t begin = static_cast<std::size_t>(offset);
    const std::size_t end = std::min(all.size(), begin + std::max<std::size_t>(page, 1));
    std::string out = "{";
    const auto list = [&](std::string_view field, const std::vector<std::string>& v, std::size_t b, std::size_t n) {
      out += '"';
      out += field;
      out += "\":[";
      for (std::size_t i = b; i < n; ++i) {
        if (i != b) out += ',';
        json_str(out, v[i]);
      }
      out += "],";
    };
    if (extra) list(extra_field, std::vector<std::string>(extra->begin(), extra->end()), 0, extra->size());
    list(list_field, all, begin, end);
    out += "\"ReturnSize\":" + std::to_string(end - begin) + ",\"TotalSize\":" + std::to_string(all.size());
    if (end < all.size()) {
      out += ",\"NextPageToken\":";
      json_str(out, make_token(canon, end, 0));
    }
    out += '}';
    return op_result::success(std::move(out));
  }

  // The members GetTags and GetCostCategories share: TimePeriod, Filter,
  // SearchString, MaxResults (with SortBy only, as the model documents).
  op_result parse_listing(simdjson::dom::object o, period_req& p, std::optional<expression>& filter,
                          std::string& search, std::size_t& page) {
    if (auto r = parse_period(o, p); !r.ok) return r;
    simdjson::dom::element e;
    std::string_view sv;
    if (member(o, "SearchString", e)) {
      if (e.get_string().get(sv)) return serialization("SearchString must be a string");
      search.assign(sv);
      for (auto& c : search) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (member(o, "MaxResults", e)) {
      std::int64_t mr = 0;
      if (e.get_int64().get(mr)) return serialization("MaxResults must be an integer");
      if (mr < 1 || mr > 1000)
        return validation("1 validation error detected: Value '" + std::to_string(mr) +
                          "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000");
      page = static_cast<std::size_t>(mr);
    }
    if (member(o, "Filter", e)) {
      expression f;
      if (auto r = parse_expression(e, f, 0); !r.ok) return r;
      filter = std::move(f);
    }
    return op_result::success({});
  }

  static bool found(const std::string& needle, std::string_view v) {
    if (needle.empty()) return true;
    std::string lower(v);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find(needle) != std::string::npos;
  }

  // GetTags: without TagKey the keys that resources carry in the period (the
  // keys GetCostAndUsage groups by with TAG), with a TagKey its values: ""
  // for lines without the tag, which TAG grouping shows as "Key$".
  op_result get_tags(simdjson::dom::object o) {
    const data_set& ds = *data_;
    period_req p;
    std::optional<expression> filter;
    std::string search;
    std::size_t page = opts_.page_size_tags;
    if (auto r = parse_listing(o, p, filter, search, page); !r.ok) return r;
    simdjson::dom::element e;
    std::optional<std::string> key;
    if (member(o, "TagKey", e)) {
      std::string_view k;
      if (e.get_string().get(k)) return serialization("TagKey must be a string");
      key = std::string(k);
    }
    std::set<std::string> names;
    // A key no resource carries has no values (not even the untagged "").
    const bool known_key = !key || std::find(tag_keys.begin(), tag_keys.end(), *key) != tag_keys.end();
    if (known_key) for_each_line(ds, p.start, p.end, [&](const line& l) {
      if (filter && !matches(ds, l, *filter)) return;
      const auto& a = ds.accounts()[l.account];
      const auto& s = ds.services()[l.service];
      const auto& u = s.usage_types[l.usage];
      if (key) {
        if (u.max_resources <= 0 && names.count(std::string()) != 0) return;
        const std::string_view v = tag_value(ds.seed(), a, s, u, l.resource, *key);
        if (found(search, v)) names.emplace(v);
        return;
      }
      if (u.max_resources <= 0) return;  // no resource, no tags
      for (std::string_view k : tag_keys) {
        if (!tag_value(ds.seed(), a, s, u, l.resource, k).empty() && found(search, k)) names.emplace(k);
      }
    });
    return serve_name_list(o, "GetTags", "Tags", names, page);
  }

  // GetCostCategories: the one category (when a line of the period has it),
  // or with CostCategoryName its values; the response then carries both
  // lists, as AWS's does.
  op_result get_cost_categories(simdjson::dom::object o) {
    const data_set& ds = *data_;
    period_req p;
    std::optional<expression> filter;
    std::string search;
    std::size_t page = opts_.page_size_cost_categories;
    if (auto r = parse_listing(o, p, filter, search, page); !r.ok) return r;
    simdjson::dom::element e;
    std::optional<std::string> name;
    if (member(o, "CostCategoryName", e)) {
      std::string_view k;
      if (e.get_string().get(k)) return serialization("CostCategoryName must be a string");
      name = std::string(k);
    }
    std::set<std::string> names, values;
    for_each_line(ds, p.start, p.end, [&](const line& l) {
      if (filter && !matches(ds, l, *filter)) return;
      names.emplace(cost_category_name);
      const std::string_view v = cost_category_value(ds.seed(), ds.accounts()[l.account]);
      if (found(search, v)) values.emplace(v);
    });
    if (!name) {
      if (!found(search, cost_category_name)) names.clear();
      return serve_name_list(o, "GetCostCategories", "CostCategoryNames", names, page);
    }
    if (*name != cost_category_name) values.clear();  // a category without costs has no values
    return serve_name_list(o, "GetCostCategories", "CostCategoryValues", values, page, "CostCategoryNames", &names);
  }

  op_result get_cost_forecast(simdjson::dom::object o) {
    const data_set& ds = *data_;
    period_req p;
    if (auto r = parse_period(o, p, true); !r.ok) return r;
    simdjson::dom::element e;
    std::string_view metric_name;
    if (!member(o, "Metric", e)) return validation(not_null("metric"));
    if (e.get_string().get(metric_name)) return serialization("Metric must be a string");
    metric m = metric::unblended_cost;
    bool known = false;
    for (std::size_t i = 0; i < metric_snake_names.size(); ++i)
      if (metric_snake_names[i] == metric_name) {
        m = static_cast<metric>(i);
        known = true;
      }
    if (!known)
      return validation("1 validation error detected: Value '" + std::string(metric_name) +
                        "' at 'metric' failed to satisfy constraint: Member must satisfy enum value set: "
                        "[BLENDED_COST, UNBLENDED_COST, AMORTIZED_COST, NET_UNBLENDED_COST, NET_AMORTIZED_COST, "
                        "USAGE_QUANTITY, NORMALIZED_USAGE_AMOUNT]");
    granularity g = granularity::daily;
    if (auto r = parse_granularity(o, g, true); !r.ok) return r;
    std::int64_t level = 80;
    if (member(o, "PredictionIntervalLevel", e)) {
      if (e.get_int64().get(level)) return serialization("PredictionIntervalLevel must be an integer");
      if (level < 51 || level > 99)
        return validation("1 validation error detected: Value '" + std::to_string(level) +
                          "' at 'predictionIntervalLevel' failed to satisfy constraint: Member must have value "
                          "between 51 and 99");
    }
    std::optional<expression> filter;
    if (member(o, "Filter", e)) {
      expression f;
      if (auto r = parse_expression(e, f, 0); !r.ok) return r;
      filter = std::move(f);
    }
    const std::int64_t today = ds.end_day() - 1;
    if (p.start < today)
      return validation("Start date " + format_date(p.start) + " must be equal to or later than the current date " +
                        format_date(today));
    if (p.end > today + 549) return validation("End date must be at most 18 months after the current date");
    // A flat forecast: the mean daily amount of the last (up to) 14 days.
    const std::int64_t hist_begin = std::max(ds.first_day(), ds.end_day() - 14);
    const std::int64_t hist_days = ds.end_day() - hist_begin;
    fixed10 hist;
    std::string date;
    std::int64_t date_day = -1;
    for_each_line(ds, hist_begin, ds.end_day(), [&](const line& l) {
      if (filter && !matches(ds, l, *filter)) return;
      if (l.day != date_day) {
        date_day = l.day;
        date = format_date(l.day);
      }
      const auto& s = ds.services()[l.service];
      hist += resource_amount(ds.value_seed(l.day), date, ds.accounts()[l.account], s, s.usage_types[l.usage], l.resource, m);
    });
    const int128 per_day = hist_days > 0 ? hist.scaled() / hist_days : 0;
    const std::int64_t spread = level - 50;  // percent either side of the mean
    const std::string unit = is_cost_metric(m) ? "USD" : "N/A";
    fixed10 total;
    std::string out = "{\"ForecastResultsByTime\":[";
    bool first = true;
    for (const auto& [ps, pe] : periods(p.start, p.end, g)) {
      const int128 mean = per_day * (pe - ps);
      total += fixed10::from_scaled(mean);
      if (!first) out += ',';
      first = false;
      out += "{\"TimePeriod\":{\"Start\":\"" + format_date(ps) + "\",\"End\":\"" + format_date(pe) +
             "\"},\"MeanValue\":";
      json_str(out, fixed10::from_scaled(mean).to_string());
      out += ",\"PredictionIntervalLowerBound\":";
      json_str(out, fixed10::from_scaled(mean * (100 - spread) / 100).to_string());
      out += ",\"PredictionIntervalUpperBound\":";
      json_str(out, fixed10::from_scaled(mean * (100 + spread) / 100).to_string());
      out += '}';
    }
    out += "],\"Total\":{\"Amount\":";
    json_str(out, total.to_string());
    out += ",\"Unit\":";
    json_str(out, unit);
    out += "}}";
    return op_result::success(std::move(out));
  }

  // ----- Organizations ------------------------------------------------------

  void write_account(std::string& out, std::size_t i) const {
    const data_set& ds = *data_;
    const auto& a = ds.accounts()[i];
    const std::uint64_t h = hash_in(hash_in(mix64(ds.seed()), a.id), std::string_view("joined"));
    const std::uint64_t joined = 1577836800ULL + h % (3ULL * 365 * 86400);
    const unsigned millis = static_cast<unsigned>((h >> 40) % 1000);
    std::string frac = std::to_string(1000 + millis).substr(1);
    out += "{\"Id\":";
    json_str(out, a.id);
    out += ",\"Arn\":";
    json_str(out, "arn:aws:organizations::" + ds.accounts()[0].id + ":account/" + org_id_ + "/" + a.id);
    out += ",\"Email\":";
    json_str(out, a.email);
    out += ",\"Name\":";
    json_str(out, a.name);
    // Why: JoinedTimestamp is an AWS JSON timestamp: epoch seconds as a number, often fractional.
    out += ",\"Status\":\"ACTIVE\",\"State\":\"ACTIVE\",\"JoinedMethod\":\"";
    out += i == 0 ? "INVITED" : "CREATED";
    out += "\",\"JoinedTimestamp\":" + std::to_string(joined) + "." + frac + "}";
  }

  op_result org_check() const {
    if (opts_.not_in_organization)
      return op_result::fail(400, "AWSOrganizationsNotInUseException",
                             "Your account is not a member of an organization.");
    return op_result::success({});
  }

  op_result list_accounts(simdjson::dom::object o) {
    if (auto r = org_check(); !r.ok) return r;
    const data_set& ds = *data_;
    simdjson::dom::element e;
    std::size_t page = std::max<std::size_t>(opts_.page_size_accounts, 1);
    if (member(o, "MaxResults", e)) {
      std::int64_t mr = 0;
      if (e.get_int64().get(mr)) return serialization("MaxResults must be an integer");
      if (mr < 1 || mr > 20)
        return op_result::fail(400, "InvalidInputException",
                               "You specified an invalid value for MaxResults. It must be between 1 and 20.");
      page = static_cast<std::size_t>(mr);
    }
    const std::string canon = canonical_body("ListAccounts", o, "NextToken");
    std::uint64_t offset = 0, unused = 0;
    if (member(o, "NextToken", e)) {
      std::string_view tok;
      if (e.get_string().get(tok)) return serialization("NextToken must be a string");
      if (!read_token(tok, canon, offset, unused) || offset >= ds.accounts().size() || unused != 0)
        return op_result::fail(400, "InvalidInputException", "You specified an invalid value for nextToken.");
    }
    const std::size_t begin = static_cast<std::size_t>(offset);
    const std::size_t end = std::min(ds.accounts().size(), begin + page);
    std::string out = "{\"Accounts\":[";
    for (std::size_t i = begin; i < end; ++i) {
      if (i != begin) out += ',';
      write_account(out, i);
    }
    out += ']';
    if (end < ds.accounts().size()) {
      out += ",\"NextToken\":";
      json_str(out, make_token(canon, end, 0));
    }
    out += '}';
    return op_result::success(std::move(out));
  }

  op_result describe_account(simdjson::dom::object o) {
    if (auto r = org_check(); !r.ok) return r;
    simdjson::dom::element e;
    std::string_view id;
    if (!member(o, "AccountId", e)) return op_result::fail(400, "InvalidInputException", "You must specify AccountId.");
    if (e.get_string().get(id)) return serialization("AccountId must be a string");
    const bool digits = id.size() == 12 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits)
      return op_result::fail(400, "InvalidInputException", "You provided a value that does not match the required pattern.");
    const int ai = data_->account_index(id);
    if (ai < 0) return op_result::fail(400, "AccountNotFoundException", "You specified an account that doesn't exist.");
    std::string out = "{\"Account\":";
    write_account(out, static_cast<std::size_t>(ai));
    out += '}';
    return op_result::success(std::move(out));
  }

  // ----- STS ----------------------------------------------------------------

  reply get_caller_identity(const credential& who, const std::string& rid) const {
    const std::string account = who.account_id.empty() ? data_->accounts()[0].id : who.account_id;
    const bool temporary = !who.session_token.empty();
    const std::uint64_t h = hash_in(mix64(data_->seed()), who.access_key_id);
    std::string uid;
    static constexpr char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::uint64_t x = h;
    for (int i = 0; i < 17; ++i) {
      uid.push_back(alnum[x & 31]);
      x = (x >> 5) | (i == 11 ? mix64(h) << 4 : 0);
    }
    reply r;
    r.content_type = "text/xml";
    r.body = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
             "  <GetCallerIdentityResult>\n    <Arn>";
    if (temporary) r.body += "arn:aws:sts::" + account + ":assumed-role/finops-sim-role/finops-sim-session";
    else r.body += "arn:aws:iam::" + account + ":user/finops-sim";
    r.body += "</Arn>\n    <UserId>";
    r.body += temporary ? "AROA" + uid + ":finops-sim-session" : "AIDA" + uid;
    r.body += "</UserId>\n    <Account>" + account + "</Account>\n  </GetCallerIdentityResult>\n"
              "  <ResponseMetadata>\n    <RequestId>" + rid + "</RequestId>\n  </ResponseMetadata>\n"
              "</GetCallerIdentityResponse>\n";
    return r;
  }

  // ----- the pipeline ---------------------------------------------------------

  // The duplicate_key fault: every member of a JSON object reply twice
  // ({A,B} -> {A,B,A,B}), or every element inside an XML reply's
  // <...Result> twice. False (body unchanged) when there is nothing to repeat.
  static bool repeat_members(std::string& body) {
    constexpr const char* blanks = " \t\r\n";
    const std::size_t first = body.find_first_not_of(blanks);
    const std::size_t last = body.find_last_not_of(blanks);
    if (first != std::string::npos && body[first] == '{' && body[last] == '}') {
      const std::string inner = body.substr(first + 1, last - first - 1);
      if (inner.find_first_not_of(blanks) == std::string::npos) return false;
      body.insert(last, "," + inner);
      return true;
    }
    const std::size_t tag_end = body.find("Result>");  // <GetCallerIdentityResult>
    if (tag_end == std::string::npos) return false;
    const std::size_t tag_start = body.rfind('<', tag_end);
    if (tag_start == std::string::npos || body.compare(tag_start, 2, "</") == 0) return false;
    const std::string name = body.substr(tag_start + 1, tag_end + 6 - tag_start - 1);
    const std::size_t inner_start = tag_end + 7;
    const std::size_t close = body.find("</" + name + ">", inner_start);
    if (close == std::string::npos || close == inner_start) return false;
    body.insert(close, body.substr(inner_start, close - inner_start));
    return true;
  }

  void send(const httplib::Request& req, httplib::Response& res, reply r, const std::string& rid,
            const decision& d, bool billable_op) {
    res.status = r.status;
    res.set_header("x-amzn-RequestId", rid);
    if (r.status != 200 && !r.error_type.empty()) {
      std::string et = r.error_type;
      if (opts_.qualified_error_types) et += ":http://internal.amazon.com/coral/" + std::string(coral_namespace(r.error_type)) + "/";
      res.set_header("x-amzn-ErrorType", et);
    }
    if (d.slow) {
      faults_[static_cast<std::size_t>(fault::slow)]++;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::clamp(opts_.faults.slow_ms, 0, 60000)));
    }
    if (d.fail && d.kind == fault::truncated_json) {
      faults_[static_cast<std::size_t>(fault::truncated_json)]++;
      r.body.resize(r.body.size() / 2);
      r.status = 200;
      res.status = 200;
    } else if (d.fail && d.kind == fault::duplicate_key) {
      if (r.status == 200 && repeat_members(r.body)) faults_[static_cast<std::size_t>(fault::duplicate_key)]++;
    } else if (d.fail && d.kind == fault::connection_close) {
      faults_[static_cast<std::size_t>(fault::connection_close)]++;
      auto body = std::make_shared<std::string>(std::move(r.body));
      const std::size_t half = body->size() / 2;
      bytes_sent_ += half;
      res.set_content_provider(body->size(), r.content_type,
                               [body, half](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 if (offset < half) sink.write(body->data() + offset, half - offset);
                                 return false;  // cpp-httplib then drops the connection
                               });
      return;
    }
    const bool accepts_gzip = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
    if (d.gzip && accepts_gzip) {
      std::string z;
      if (gzip_compress(r.body, z)) {
        faults_[static_cast<std::size_t>(fault::gzip)]++;
        r.body = std::move(z);
        res.set_header("Content-Encoding", "gzip");
      }
    }
    if (billable_op && r.status == 200 && !d.fail) billable_++;
    if (r.status >= 400 && r.status < 500 && !d.fail) client_errors_++;
    bytes_sent_ += r.body.size();
    if (r.content_type.rfind("text/", 0) == 0) {
      // Why: cpp-httplib gzips text/* bodies on its own whenever the client
      // accepts gzip; AWS does not. A sized content provider is sent as is.
      auto body = std::make_shared<std::string>(std::move(r.body));
      res.set_content_provider(body->size(), r.content_type,
                               [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 return sink.write(body->data() + offset, length);
                               });
      return;
    }
    res.set_content(std::move(r.body), r.content_type);
  }

  // An STS action of the credential extension (AssumeRole, ...).
  void answer_sts(const httplib::Request& req, httplib::Response& res, const std::string& action,
                  const std::map<std::string, std::string>& form, const credential* caller, const std::string& rid) {
    sts_answer a;
    decision none;
    if (!opts_.extension->answer_sts(action, form, caller, rid, a)) {
      client_errors_++;
      return send(req, res,
                  render_error(protocol::query, 400, action.empty() ? "MissingAction" : "InvalidAction",
                               action.empty() ? "Missing Action"
                                              : "Could not find operation " + action + " for version 2011-06-15",
                               rid),
                  rid, none, false);
    }
    if (a.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(a.delay_ms, 60000)));
    if (a.status != 200) {
      if (a.status == 401 || a.status == 403) auth_failures_++;
      return send(req, res, render_error(protocol::query, a.status, a.error_code, a.message, rid), rid, none, false);
    }
    reply r;
    r.content_type = "text/xml";
    r.body = std::move(a.body);
    send(req, res, std::move(r), rid, none, false);
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const std::uint64_t n = requests_.fetch_add(1) + 1;
    const std::string rid = uuid_like(mix64(opts_.data.seed ^ mix64(n)), mix64(n * 0x9e37 + 1));
    const std::string target = req.get_header_value("X-Amz-Target");
    const protocol p = target.empty() ? protocol::query : protocol::json;
    decision none;

    std::string service, op;
    if (p == protocol::json) {
      const auto dot = target.find('.');
      const std::string prefix = target.substr(0, dot);
      op = dot == std::string::npos ? "" : target.substr(dot + 1);
      if (prefix == "AWSInsightsIndexService") service = "ce";
      else if (prefix == "AWSOrganizationsV20161128") service = "organizations";
      const bool known_op = (service == "ce" && (op == "GetCostAndUsage" || op == "GetCostAndUsageWithResources" ||
                                                 op == "GetDimensionValues" || op == "GetCostForecast" ||
                                                 op == "GetTags" || op == "GetCostCategories")) ||
                            (service == "organizations" && (op == "ListAccounts" || op == "DescribeAccount"));
      if (!known_op) {
        client_errors_++;
        return send(req, res, render_error(p, 400, "UnknownOperationException", "Unknown operation " + target, rid),
                    rid, none, false);
      }
      const std::string ct = req.get_header_value("Content-Type");
      if (ct.rfind("application/x-amz-json-1.1", 0) != 0) {
        client_errors_++;
        return send(req, res,
                    render_error(p, 400, "UnknownOperationException",
                                 "Content-Type must be application/x-amz-json-1.1 (got '" + ct + "')", rid),
                    rid, none, false);
      }
    } else {
      service = "sts";
    }

    // STS actions the credential doubles answer without a signature.
    if (p == protocol::query && opts_.extension) {
      std::map<std::string, std::string> form = parse_form(req.body);
      const std::string action = form.count("Action") ? form["Action"] : "";
      if (opts_.extension->unsigned_action(action)) return answer_sts(req, res, action, form, nullptr, rid);
    }

    const credential* who = nullptr;
    credential lent;
    reply denied;
    const std::string region = service == "sts" ? std::string() : opts_.region;
    if (!authenticate(req, p, service, region, rid, denied, who, lent)) {
      auth_failures_++;
      return send(req, res, std::move(denied), rid, none, false);
    }

    // Faults key on the request's identity so a retry of the same call is capped.
    const std::uint64_t key = hash_in(hash_in(0, target), req.body);
    const decision d = decide(key);
    if (d.fail) {
      switch (d.kind) {
        case fault::throttling:
          faults_[static_cast<std::size_t>(fault::throttling)]++;
          return send(req, res, render_error(p, 400, p == protocol::query ? "Throttling" : "ThrottlingException",
                                             "Rate exceeded", rid),
                      rid, d, false);
        case fault::limit_exceeded:
          faults_[static_cast<std::size_t>(fault::limit_exceeded)]++;
          return send(req, res, render_error(p, 400, "LimitExceededException", "Rate limit exceeded", rid), rid, d,
                      false);
        case fault::internal_error:
          faults_[static_cast<std::size_t>(fault::internal_error)]++;
          return send(req, res,
                      render_error(p, 500, p == protocol::query ? "InternalFailure" : "InternalServerError",
                                   "An internal error occurred. Try again.", rid),
                      rid, d, false);
        case fault::unavailable: {
          faults_[static_cast<std::size_t>(fault::unavailable)]++;
          reply r;
          r.status = 503;
          r.content_type = "text/html";
          r.body = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
                   "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";
          return send(req, res, std::move(r), rid, d, false);
        }
        default:
          break;  // truncated_json, duplicate_key and connection_close damage the real reply below
      }
    }

    if (p == protocol::query) {
      std::map<std::string, std::string> form = parse_form(req.body);
      if (form.empty()) {
        const auto q = req.target.find('?');
        if (q != std::string::npos) form = parse_form(std::string_view(req.target).substr(q + 1));
      }
      const std::string action = form.count("Action") ? form["Action"] : "";
      if (action != "GetCallerIdentity" && opts_.extension) return answer_sts(req, res, action, form, who, rid);
      if (action != "GetCallerIdentity") {
        return send(req, res,
                    render_error(p, 400, action.empty() ? "MissingAction" : "InvalidAction",
                                 action.empty() ? "Missing Action"
                                                : "Could not find operation " + action + " for version 2011-06-15",
                                 rid),
                    rid, d, false);
      }
      return send(req, res, get_caller_identity(*who, rid), rid, d, false);
    }

    thread_local simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::dom::object o;
    const std::string_view body = req.body.empty() ? std::string_view("{}") : std::string_view(req.body);
    if (parser.parse(body.data(), body.size()).get(doc) || doc.get_object().get(o)) {
      return send(req, res, render_error(p, 400, "SerializationException", "The request body is not a JSON object", rid),
                  rid, d, false);
    }
    op_result r;
    if (op == "GetCostAndUsage") r = get_cost_and_usage(o, false);
    else if (op == "GetCostAndUsageWithResources") r = get_cost_and_usage(o, true);
    else if (op == "GetDimensionValues") r = get_dimension_values(o);
    else if (op == "GetCostForecast") r = get_cost_forecast(o);
    else if (op == "GetTags") r = get_tags(o);
    else if (op == "GetCostCategories") r = get_cost_categories(o);
    else if (op == "ListAccounts") r = list_accounts(o);
    else r = describe_account(o);
    reply out;
    if (r.ok) out.body = std::move(r.body);
    else out = render_error(p, r.err.status, r.err.type, r.err.message, rid);
    send(req, res, std::move(out), rid, d, service == "ce");
  }
};

// ---------------------------------------------------------------------------
// simulator
// ---------------------------------------------------------------------------

simulator::simulator(options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

simulator::~simulator() { stop(); }

result<int> simulator::start() {
  impl& m = *impl_;
  if (m.started_) return error(errc::invalid_argument, "the simulator is already started");
  if (m.used_) return error(errc::invalid_argument, "a stopped simulator cannot be restarted; make a new one");
  auto ds = data_set::make(m.opts_.data);
  if (!ds) return ds.error();
  m.data_ = std::move(*ds);
  m.creds_ = m.opts_.credentials;
  if (m.creds_.empty())
    m.creds_.push_back(credential{std::string(default_access_key_id), std::string(default_secret_access_key), "", false, ""});
  for (const auto& c : m.creds_) {
    if (c.access_key_id.empty() || c.secret_access_key.empty())
      return error(errc::invalid_argument, "every credential needs an access key id and a secret");
    if (!c.account_id.empty() && m.data_->account_index(c.account_id) < 0)
      return error(errc::invalid_argument, "credential " + c.access_key_id + " names unknown account " + c.account_id);
  }
  if (m.opts_.faults.max_consecutive < 0) return error(errc::invalid_argument, "faults.max_consecutive must be >= 0");
  {
    const std::string seed_text = "finops-sim-token-key|" + std::to_string(m.opts_.data.seed);
    unsigned int len = 0;
    EVP_Digest(seed_text.data(), seed_text.size(), m.token_key_, &len, EVP_sha256(), nullptr);
  }
  {
    static constexpr char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::uint64_t h = hash_in(mix64(m.opts_.data.seed), std::string_view("org"));
    m.org_id_ = "o-";
    for (int i = 0; i < 10; ++i) {
      m.org_id_.push_back(alnum[h % 36]);
      h /= 36;
    }
  }
  httplib::Server& s = m.server_;
  const std::size_t threads = std::clamp<std::size_t>(m.opts_.threads, 1, 256);
  s.new_task_queue = [&m, threads] { return new counting_pool(threads, &m.connections_); };
  s.set_keep_alive_max_count(100000);
  // Why: headers and body go out in separate writes; with Nagle the body
  // waits for the client's delayed ACK (~40 ms per reply).
  s.set_tcp_nodelay(true);
  s.set_keep_alive_timeout(std::clamp(m.opts_.keep_alive_timeout_s, 1, 600));
  s.set_payload_max_length(m.opts_.max_body);
  s.set_read_timeout(10, 0);
  s.set_write_timeout(10, 0);
  s.Post("/", [&m](const httplib::Request& req, httplib::Response& res) { m.handle(req, res); });
  s.Get("/__sim/stats", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(stats().to_json(), "application/json");
  });
  // Why a content reader: `curl -X POST URL` sends no body and no
  // Content-Length, and for a plain handler cpp-httplib then reads the body
  // until the connection closes, so the request hangs. The parameters are in
  // the query; a body that is announced is read and ignored.
  s.Post("/__sim/script", [this](const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& read_body) {
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))
      read_body([](const char*, std::size_t) { return true; });
    fault f;
    const std::string name = req.get_param_value("fault");
    const std::string count = req.get_param_value("count");
    int n = 0;
    for (char c : count) n = (c >= '0' && c <= '9' && n < 100000) ? n * 10 + (c - '0') : n;
    if (!parse_fault(name, f) || n <= 0) {
      res.status = 400;
      res.set_content("{\"message\":\"use POST /__sim/script?fault=NAME&count=N\"}", "application/json");
      return;
    }
    script_faults(f, n);
    res.set_content("{\"scripted\":" + std::to_string(n) + "}", "application/json");
  });
  int port = 0;
  if (m.opts_.port == 0) {
    port = s.bind_to_any_port("127.0.0.1");
  } else {
    port = s.bind_to_port("127.0.0.1", m.opts_.port) ? m.opts_.port : -1;
  }
  if (port <= 0) return error(errc::transport, "cannot bind 127.0.0.1:" + std::to_string(m.opts_.port));
  m.port_ = port;
  m.started_ = true;
  m.used_ = true;
  m.thread_ = std::thread([&m] { m.server_.listen_after_bind(); });
  // cpp-httplib's Server::stop() only closes the listening socket once the
  // accept loop is running; stopping before that would leave the thread in
  // accept() for ever. Wait (bounded: 10 s) for the loop to start.
  for (int i = 0; i < 10000 && !m.server_.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void simulator::stop() {
  impl& m = *impl_;
  if (!m.started_) return;
  // start() waited for the accept loop, so stop() closes the listening socket.
  m.server_.stop();
  if (m.thread_.joinable()) m.thread_.join();
  m.started_ = false;
}

int simulator::port() const noexcept { return impl_->port_; }

std::string simulator::endpoint_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port_.load()); }

counters simulator::stats() const {
  const impl& m = *impl_;
  counters c;
  c.requests = m.requests_;
  c.billable = m.billable_;
  c.auth_failures = m.auth_failures_;
  c.client_errors = m.client_errors_;
  c.connections = m.connections_;
  c.bytes_sent = m.bytes_sent_;
  for (std::size_t i = 0; i < fault_count; ++i) c.faults[i] = m.faults_[i];
  return c;
}

void simulator::script_faults(fault f, int n) {
  if (n <= 0) return;
  std::lock_guard<std::mutex> lock(impl_->fault_mu_);
  impl_->script_.emplace_back(f, n);
}

void simulator::clear_script() {
  std::lock_guard<std::mutex> lock(impl_->fault_mu_);
  impl_->script_.clear();
}

const data_set& simulator::data() const { return *impl_->data_; }

const options& simulator::opts() const noexcept { return impl_->opts_; }

}  // namespace sim
}  // namespace v0
}  // namespace finops_crawler
