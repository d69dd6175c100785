#ifndef FINOPS_CRAWLER_SIM_CREDENTIAL_DOUBLES_HPP
#define FINOPS_CRAWLER_SIM_CREDENTIAL_DOUBLES_HPP
/// \file
/// Test doubles of the services that hand out temporary AWS credentials, in
/// the simulator's executable, on 127.0.0.1 only:
///
///   on the simulator's own listener (POST /, query protocol):
///     STS AssumeRole                (signed: the simulator verifies SigV4
///                                    with aws/sigv4_verifier.hpp first)
///     STS AssumeRoleWithWebIdentity (unsigned; WebIdentityToken checked)
///     STS GetCallerIdentity         (the simulator's own; works with any
///                                    issued key, reporting an assumed role)
///   on the doubles' sibling listener (start(), endpoint_url()):
///     GET  /federation/credentials?account_id=..&role_name=..   SSO portal
///          GetRoleCredentials, header x-amz-sso_bearer_token checked
///     POST /token                   SSO-OIDC CreateToken (refresh_token grant)
///     GET  options.container_path   container credentials, Authorization checked
///     PUT  /latest/api/token        IMDSv2 session token (TTL header required)
///     GET  /latest/meta-data/iam/security-credentials/[ROLE]  (token required: 401)
///
/// Every key pair handed out is registered with the simulator (through
/// sim::credential_extension), so Cost Explorer, Organizations and STS accept
/// exactly those keys with their session token, and refuse them with
/// ExpiredToken once their expiry (on the doubles' clock) has passed. Tests
/// then prove that the credentials a provider returned are the ones that
/// signed the next request: issued() lists what was handed out and uses()
/// counts the authenticated requests made with one key.
///
/// How to use it (tests; the creds helper's providers too):
///
///   sim::doubles_options d;                   // defaults below: tokens, role
///   d.lifetime = std::chrono::seconds(900);   // expiry of issued keys
///   auto doubles = std::make_shared<sim::credential_doubles>(d);
///   sim::options o;
///   o.extension = doubles;                    // STS actions + issued keys
///   sim::simulator s(o);
///   s.start();                                // CE, Organizations, STS
///   doubles->start();                         // SSO, OIDC, container, IMDS
///   // point the providers at them:
///   //   AWS_ENDPOINT_URL=s.endpoint_url()            (ce, organizations, sts)
///   //   AWS_ENDPOINT_URL_SSO=doubles->endpoint_url()
///   //   AWS_ENDPOINT_URL_SSO_OIDC=doubles->endpoint_url()
///   //   AWS_CONTAINER_CREDENTIALS_FULL_URI=doubles->container_url()
///   //   AWS_CONTAINER_AUTHORIZATION_TOKEN=d.container_token
///   //   AWS_EC2_METADATA_SERVICE_ENDPOINT=doubles->endpoint_url()
///   doubles->set_fault(sim::double_service::sso_portal, sim::double_fault::slow);
///   auto keys = doubles->issued();            // every key pair handed out
///   CHECK(doubles->uses(keys.back().access_key_id, "ce") == 1);
///
/// Faults (set_fault, per service, until changed): `malformed` (a 200 whose
/// body is cut or lacks the credentials), `slow` (the reply after
/// options.slow_ms), `refuse` (403 AccessDenied / ForbiddenException, 401 for
/// IMDS). A wrong token, client secret or refresh token is refused as the
/// real service does (InvalidIdentityToken, UnauthorizedException,
/// invalid_grant, 401/403).
///
/// Thread safety: every member may be called from any thread once the
/// object is made; start() and stop() from one thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "finops_crawler/result.hpp"
#include "simulator.hpp"

namespace finops_crawler {
inline namespace v0 {
namespace sim {

/// The services the doubles play.
enum class double_service : std::uint8_t {
  assume_role,        ///< STS AssumeRole
  web_identity,       ///< STS AssumeRoleWithWebIdentity
  sso_portal,         ///< SSO portal GetRoleCredentials
  sso_oidc,           ///< SSO-OIDC CreateToken
  container,          ///< ECS / EKS container credentials endpoint
  imds,               ///< EC2 instance metadata (IMDSv2)
};
/// Number of double_service values.
inline constexpr std::size_t double_service_count = 6;

/// A fault a double injects into its replies.
enum class double_fault : std::uint8_t {
  none,
  malformed,  ///< 200 with a body that is cut short or lacks the credentials
  slow,       ///< the normal reply after doubles_options::slow_ms
  refuse,     ///< 403 (401 for IMDS): the service refuses whatever was sent
};

/// What the doubles accept and hand out. Plain data; every default works.
struct doubles_options {
  /// AssumeRole / AssumeRoleWithWebIdentity: the roles that may be assumed
  /// (empty: any well-formed arn:aws:iam::ACCOUNT:role/NAME).
  std::vector<std::string> role_arns;
  /// AssumeRole: when non-empty, the ExternalId every call must carry.
  std::string external_id;
  /// AssumeRoleWithWebIdentity: the WebIdentityToken accepted (any of them).
  std::vector<std::string> web_identity_tokens{"finops-sim-web-identity-token"};
  /// SSO portal: the bearer tokens accepted (CreateToken adds the ones it issues).
  std::vector<std::string> sso_access_tokens{"finops-sim-sso-access-token"};
  /// SSO portal: the account and role GetRoleCredentials serves.
  std::string sso_account_id = "111122223333";
  std::string sso_role_name = "FinOpsRead";
  /// SSO-OIDC: the registered client and the refresh token accepted (the
  /// token rotates: each CreateToken issues a new one and retires the old).
  std::string oidc_client_id = "finops-sim-client-id";
  std::string oidc_client_secret = "finops-sim-client-secret";
  std::string oidc_refresh_token = "finops-sim-refresh-token";
  /// Container endpoint: its path, and the Authorization value it requires
  /// (empty: none needed, as on ECS with the relative URI).
  std::string container_path = "/v2/credentials/finops-sim-task";
  std::string container_token = "finops-sim-container-token";
  /// IMDS: the instance's role name.
  std::string imds_role = "finops-sim-instance-role";
  /// Lifetime of every key pair handed out (and of SSO access tokens issued
  /// by CreateToken, in expiresIn). set_lifetime() changes it later.
  std::chrono::seconds lifetime{3600};
  /// The doubles' wall clock: Expiration values and the expiry check of
  /// issued keys. Empty: std::chrono::system_clock.
  std::function<std::chrono::system_clock::time_point()> clock;
  /// Sleep of the `slow` fault.
  int slow_ms = 3000;
  /// Account the issued keys belong to (GetCallerIdentity, assumed-role
  /// ARNs); empty: the account in the role ARN, else the simulator's first.
  std::string account_id;
  /// Port of the sibling listener on 127.0.0.1; 0 = any free port.
  int port = 0;
};

/// One key pair handed out. Holds secrets: tests compare, never print them.
struct issued_credential {
  double_service by;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::chrono::system_clock::time_point expiry;
  std::string role_arn;  ///< the role assumed, when there is one
};

/// The doubles. Not copyable; share them with std::shared_ptr (the
/// simulator keeps one through options::extension).
class credential_doubles final : public credential_extension {
 public:
  explicit credential_doubles(doubles_options options);
  ~credential_doubles() override;
  credential_doubles(const credential_doubles&) = delete;
  credential_doubles& operator=(const credential_doubles&) = delete;

  /// Binds the sibling listener on 127.0.0.1 and serves on a thread. Returns
  /// the port. Errors: errc::invalid_argument (already started),
  /// errc::transport (bind failed).
  result<int> start();
  /// Stops and joins the sibling listener. Idempotent.
  void stop();
  /// "http://127.0.0.1:PORT" of the sibling listener.
  std::string endpoint_url() const;
  /// endpoint_url() + options.container_path.
  std::string container_url() const;

  /// Makes `s` inject `f` into every reply until changed.
  void set_fault(double_service s, double_fault f);
  /// The lifetime of key pairs handed out from now on.
  void set_lifetime(std::chrono::seconds lifetime);
  /// Every key pair handed out, oldest first.
  std::vector<issued_credential> issued() const;
  /// Authenticated simulator requests to `service` ("ce", "organizations",
  /// "sts") signed with `access_key_id`.
  std::uint64_t uses(std::string_view access_key_id, std::string_view service) const;
  /// Requests that reached double `s` (accepted or refused).
  std::uint64_t requests(double_service s) const;
  /// IMDS token PUTs that reached the double (accepted or refused).
  std::uint64_t imds_token_requests() const;
  /// Forgets every IMDS session token handed out, as an instance whose
  /// metadata service restarted: requests with them get 401.
  void revoke_imds_tokens();
  /// The parameters of the last request to `s`: form fields for STS, the
  /// query for the portal, JSON members for CreateToken (as raw text under
  /// "body"), and the headers that matter (lower-case names), e.g.
  /// "authorization", "x-amz-sso_bearer_token",
  /// "x-aws-ec2-metadata-token-ttl-seconds".
  std::map<std::string, std::string> last_request(double_service s) const;

  // sim::credential_extension
  bool find_credential(std::string_view access_key_id, credential& out) const override;
  void authenticated(std::string_view access_key_id, std::string_view service) override;
  bool unsigned_action(std::string_view action) const override;
  bool answer_sts(std::string_view action, const std::map<std::string, std::string>& form,
                  const credential* caller, std::string_view request_id, sts_answer& out) override;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

/// "2026-12-02T04:05:06Z" (the form of every Expiration the doubles send).
std::string iso8601_utc(std::chrono::system_clock::time_point t);

}  // namespace sim
}  // namespace v0
}  // namespace finops_crawler

#endif  // FINOPS_CRAWLER_SIM_CREDENTIAL_DOUBLES_HPP
