// Tests for finops_crawler/aws/providers/sts_providers.hpp against the
// credential doubles (tools/ce-simulator/credential_doubles.hpp) through real
// libcurl on 127.0.0.1: assume role (source_profile, credential_source,
// chains, loops, MFA), web identity (environment and profile, the token file
// read at every refresh), each with success, refresh on an injected clock,
// malformed, slow and refused replies; the keys a provider returns are the
// ones the next Cost Explorer request is signed with; no secret in messages.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "credential_doubles_support.hpp"
#include "finops_crawler/aws/credential_provider.hpp"
#include "finops_crawler/aws/providers/sts_providers.hpp"

using namespace creds_test;
using std::chrono::seconds;

namespace {

const std::string role = "arn:aws:iam::111122223333:role/FinOpsRead";

std::string base_profile() {
  return "[profile base]\naws_access_key_id = " + std::string(sim::default_access_key_id) +
         "\naws_secret_access_key = " + std::string(sim::default_secret_access_key) + "\n";
}

aws::shared_config config_of(const std::string& text) {
  auto c = aws::shared_config::from_strings(text, "");
  REQUIRE_MESSAGE(c, c.error().describe());
  return std::move(*c);
}

std::unique_ptr<aws::credentials_provider> expect_provider(fc::result<aws::provider_lookup> r) {
  REQUIRE_MESSAGE(r, r.error().describe());
  REQUIRE_MESSAGE(r->provider, r->declined);
  return std::move(r->provider);
}

// The chain's profile hook, as the chain wires it: a profile's own
// assume-role, else its static keys.
fc::result<std::unique_ptr<aws::credentials_provider>> profile_hook(std::string_view profile,
                                                                   const aws::provider_context& from) {
  aws::provider_context c = from;
  c.profile = std::string(profile);
  auto r = aws::assume_role_factory(c);
  if (!r) return r.error();
  if (r->provider) return std::move(r->provider);
  auto keys = aws::detail::profile_static_keys(*from.files, std::string(profile));
  if (!keys) return keys.error();
  if (!keys->has_value()) return fc::error(fc::errc::no_credentials, "profile " + std::string(profile) + " has no keys");
  return std::unique_ptr<aws::credentials_provider>(new aws::static_credentials_provider(std::move(**keys)));
}

}  // namespace

TEST_CASE("assume role: source_profile with static keys, signed, its parameters sent") {
  world w;
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of(base_profile() + "[profile role]\nrole_arn = " + role +
                         "\nsource_profile = base\nrole_session_name = finops-test\nexternal_id = ext-1\n"
                         "duration_seconds = 900\n");
  auto p = expect_provider(aws::assume_role_factory(context(env, files, "role")));
  CHECK(p->name() == "assume-role " + role + " via profile base");
  auto c = p->fetch(std::chrono::system_clock::now());
  REQUIRE_MESSAGE(c, c.error().describe());
  CHECK(w.is_last_issued(*c));
  CHECK(c->expiry().has_value());
  CHECK(c->source() == std::string(p->name()));
  CHECK(w.signs_cost_explorer(*c));
  auto sent = w.doubles->last_request(sim::double_service::assume_role);
  CHECK(sent["caller"] == sim::default_access_key_id);  // signed with the source's key
  CHECK(sent["RoleArn"] == role);
  CHECK(sent["RoleSessionName"] == "finops-test");
  CHECK(sent["ExternalId"] == "ext-1");
  CHECK(sent["DurationSeconds"] == "900");
  CHECK(holds_no_secret(w, c->to_string()));
}

TEST_CASE("assume role: refreshed before expiry on an injected clock, expired keys refused") {
  // The doubles' clock runs ahead on demand: the simulator then sees keys as
  // expired that the client still holds as valid.
  auto ahead = std::make_shared<std::atomic<long long>>(0);
  sim::doubles_options d;
  d.clock = [ahead] { return std::chrono::system_clock::now() + seconds(ahead->load()); };
  world w(d);
  w.doubles->set_lifetime(seconds(900));
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of(base_profile() + "[profile role]\nrole_arn = " + role + "\nsource_profile = base\n");
  auto made = aws::refreshing_credentials::make(expect_provider(aws::assume_role_factory(context(env, files, "role"))));
  REQUIRE(made);
  auto& source = **made;
  const auto t0 = std::chrono::system_clock::now();
  auto first = source.current(t0);
  REQUIRE_MESSAGE(first, first.error().describe());
  const aws::credentials one = first->get();
  // 5 minutes later: still far from expiry, no new call.
  auto again = source.current(t0 + seconds(300));
  REQUIRE(again);
  CHECK(again->get().access_key_id() == one.access_key_id());
  CHECK(w.doubles->requests(sim::double_service::assume_role) == 1);
  // 11 minutes later: inside the 5-minute margin of the 15-minute keys.
  auto later = source.current(t0 + seconds(660));
  REQUIRE_MESSAGE(later, later.error().describe());
  CHECK(later->get().access_key_id() != one.access_key_id());
  CHECK(w.doubles->requests(sim::double_service::assume_role) == 2);
  CHECK(w.is_last_issued(later->get()));
  CHECK(w.signs_cost_explorer(later->get()));
  // Keys whose expiry has passed are refused by the simulator (ExpiredToken):
  // the proof above can fail.
  ahead->store(1000);
  const auto before = w.simulator->sim.stats().auth_failures;
  CHECK_FALSE(w.signs_cost_explorer(later->get()));
  CHECK(w.simulator->sim.stats().auth_failures == before + 1);
}

TEST_CASE("assume role: malformed, slow and refused replies") {
  world w;
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of(base_profile() + "[profile role]\nrole_arn = " + role + "\nsource_profile = base\n");
  SUBCASE("malformed") {
    w.doubles->set_fault(sim::double_service::assume_role, sim::double_fault::malformed);
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "role")))->fetch(std::chrono::system_clock::now());
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::unexpected_shape);
    CHECK(sim_test::has(c.error().message, "SecretAccessKey is missing"));
    CHECK(sim_test::has(c.error().message, "assume-role " + role));
    CHECK(holds_no_secret(w, c.error().describe()));
  }
  SUBCASE("slow: the call deadline ends it") {
    w.doubles->set_fault(sim::double_service::assume_role, sim::double_fault::slow);
    auto st = aws::detail::sts_connection_for(context(env, files, "role"));
    REQUIRE(st);
    st->call_deadline = std::chrono::milliseconds(300);
    st->max_attempts = 1;
    auto src = aws::refreshing_credentials::make_static(
        *aws::credentials::make(std::string(sim::default_access_key_id), std::string(sim::default_secret_access_key)));
    REQUIRE(src);
    aws::assume_role_settings s;
    s.role_arn = role;
    aws::assume_role_provider p(s, *src, std::move(*st));
    const auto start = std::chrono::steady_clock::now();
    auto c = p.fetch(std::chrono::system_clock::now());
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::transport);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1400));
  }
  SUBCASE("refused: 403 AccessDenied with advice") {
    w.doubles->set_fault(sim::double_service::assume_role, sim::double_fault::refuse);
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "role")))->fetch(std::chrono::system_clock::now());
    REQUIRE_FALSE(c);
    CHECK(c.error().aws_code == "AccessDenied");
    CHECK(sim_test::has(c.error().message, "trust policy"));
  }
  SUBCASE("refused: a source key the simulator does not know") {
    auto bad = config_of("[profile base]\naws_access_key_id = AKIAUNKNOWNKEY000001\naws_secret_access_key = "
                         "unknownSecretKey00000000000000000000000\n[profile role]\nrole_arn = " +
                         role + "\nsource_profile = base\n");
    auto c = expect_provider(aws::assume_role_factory(context(env, bad, "role")))->fetch(std::chrono::system_clock::now());
    REQUIRE_FALSE(c);
    CHECK(c.error().aws_code == "InvalidClientTokenId");
    CHECK_FALSE(sim_test::has(c.error().describe(), "unknownSecretKey"));
  }
}

TEST_CASE("assume role: wrong external id is refused") {
  sim::doubles_options d;
  d.external_id = "expected-ext";
  world w(d);
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of(base_profile() + "[profile role]\nrole_arn = " + role +
                         "\nsource_profile = base\nexternal_id = other\n");
  auto c = expect_provider(aws::assume_role_factory(context(env, files, "role")))->fetch(std::chrono::system_clock::now());
  REQUIRE_FALSE(c);
  CHECK(c.error().aws_code == "AccessDenied");
}

TEST_CASE("assume role: credential_source variants") {
  world w;
  temp_dir dir;
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of("[profile env]\nrole_arn = " + role + "\ncredential_source = Environment\n"
                         "[profile ec2]\nrole_arn = " + role + "\ncredential_source = Ec2InstanceMetadata\n"
                         "[profile ecs]\nrole_arn = " + role + "\ncredential_source = EcsContainer\n"
                         "[profile odd]\nrole_arn = " + role + "\ncredential_source = Laptop\n"
                         "[profile both]\nrole_arn = " + role + "\ncredential_source = Environment\nsource_profile = env\n");
  const auto now = std::chrono::system_clock::now();
  SUBCASE("Environment") {
    env.set("AWS_ACCESS_KEY_ID", std::string(sim::default_access_key_id));
    env.set("AWS_SECRET_ACCESS_KEY", std::string(sim::default_secret_access_key));
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "env")))->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(w.signs_cost_explorer(*c));
    CHECK(w.doubles->last_request(sim::double_service::assume_role)["caller"] == sim::default_access_key_id);
  }
  SUBCASE("Environment without keys") {
    auto r = aws::assume_role_factory(context(env, files, "env"));
    REQUIRE_FALSE(r);
    CHECK(sim_test::has(r.error().message, "credential_source Environment"));
  }
  SUBCASE("Ec2InstanceMetadata: AssumeRole signed with the instance role's keys") {
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", w.doubles->endpoint_url());
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "ec2")))->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    auto issued = w.doubles->issued();
    REQUIRE(issued.size() == 2);
    CHECK(issued[0].by == sim::double_service::imds);
    CHECK(w.doubles->last_request(sim::double_service::assume_role)["caller"] == issued[0].access_key_id);
    CHECK(w.signs_cost_explorer(*c));
  }
  SUBCASE("EcsContainer") {
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", w.doubles->container_url());
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "finops-sim-container-token");
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "ecs")))->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    auto issued = w.doubles->issued();
    REQUIRE(issued.size() == 2);
    CHECK(issued[0].by == sim::double_service::container);
    CHECK(w.signs_cost_explorer(*c));
  }
  SUBCASE("EcsContainer without the variables") {
    auto r = aws::assume_role_factory(context(env, files, "ecs"));
    REQUIRE_FALSE(r);
    CHECK(sim_test::has(r.error().message, "credential_source EcsContainer"));
  }
  SUBCASE("unknown, and both kinds of source") {
    auto odd = aws::assume_role_factory(context(env, files, "odd"));
    REQUIRE_FALSE(odd);
    CHECK(sim_test::has(odd.error().message, "'Laptop' is not one of Environment, Ec2InstanceMetadata, EcsContainer"));
    auto both = aws::assume_role_factory(context(env, files, "both"));
    REQUIRE_FALSE(both);
    CHECK(sim_test::has(both.error().message, "both source_profile and credential_source"));
  }
}

TEST_CASE("assume role: chains, loops, MFA, precedence over static keys") {
  world w;
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  const auto now = std::chrono::system_clock::now();
  SUBCASE("role -> role -> static keys: each AssumeRole signed by the previous role's keys") {
    auto files = config_of(base_profile() + "[profile first]\nrole_arn = arn:aws:iam::111122223333:role/First\n"
                           "source_profile = base\n[profile second]\nrole_arn = " + role +
                           "\nsource_profile = first\n");
    auto ctx = context(env, files, "second");
    ctx.provider_for_profile = profile_hook;
    auto c = expect_provider(aws::assume_role_factory(ctx))->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    auto issued = w.doubles->issued();
    REQUIRE(issued.size() == 2);
    CHECK(issued[0].role_arn == "arn:aws:iam::111122223333:role/First");
    CHECK(w.doubles->last_request(sim::double_service::assume_role)["caller"] == issued[0].access_key_id);
    CHECK(w.signs_cost_explorer(*c));
  }
  SUBCASE("a source_profile loop is refused, naming the path") {
    auto files = config_of("[profile a]\nrole_arn = " + role + "\nsource_profile = b\n[profile b]\nrole_arn = " +
                           role + "\nsource_profile = a\n");
    auto ctx = context(env, files, "a");
    ctx.provider_for_profile = profile_hook;
    auto r = aws::assume_role_factory(ctx);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == fc::errc::config_file);
    CHECK(sim_test::has(r.error().message, "source_profile loop: a -> b -> a"));
    CHECK(w.doubles->requests(sim::double_service::assume_role) == 0);
  }
  SUBCASE("a profile that is its own source uses its static keys (botocore)") {
    auto files = config_of("[profile self]\nrole_arn = " + role + "\nsource_profile = self\naws_access_key_id = " +
                           std::string(sim::default_access_key_id) + "\naws_secret_access_key = " +
                           std::string(sim::default_secret_access_key) + "\n");
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "self")))->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(c->has_session_token());
    CHECK(w.is_last_issued(*c));
  }
  SUBCASE("a profile itself as source without keys is a loop") {
    auto files = config_of("[profile self]\nrole_arn = " + role + "\nsource_profile = self\n");
    auto r = aws::assume_role_factory(context(env, files, "self"));
    REQUIRE_FALSE(r);
    CHECK(sim_test::has(r.error().message, "source_profile loop: self -> self"));
  }
  SUBCASE("role_arn with static keys: assume role wins (botocore)") {
    auto files = config_of(base_profile() + "[profile both]\nrole_arn = " + role +
                           "\nsource_profile = base\naws_access_key_id = AKIASTATICKEYOFBOTH1\n"
                           "aws_secret_access_key = staticSecretOfBoth000000000000000000000\n");
    auto c = expect_provider(aws::assume_role_factory(context(env, files, "both")))->fetch(now);
    REQUIRE(c);
    CHECK(c->access_key_id() != "AKIASTATICKEYOFBOTH1");
    CHECK(w.is_last_issued(*c));
  }
  SUBCASE("mfa_serial, missing source, missing source profile, bad duration") {
    auto files = config_of(base_profile() + "[profile mfa]\nrole_arn = " + role +
                           "\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n"
                           "[profile nosrc]\nrole_arn = " + role + "\n[profile ghost]\nrole_arn = " + role +
                           "\nsource_profile = nowhere\n[profile long]\nrole_arn = " + role +
                           "\nsource_profile = base\nduration_seconds = 99999\n");
    auto mfa = aws::assume_role_factory(context(env, files, "mfa"));
    REQUIRE_FALSE(mfa);
    CHECK(sim_test::has(mfa.error().message, "MFA prompts are not supported; use `aws sts get-session-token`"));
    auto nosrc = aws::assume_role_factory(context(env, files, "nosrc"));
    REQUIRE_FALSE(nosrc);
    CHECK(sim_test::has(nosrc.error().message, "neither source_profile nor credential_source"));
    auto ghost = aws::assume_role_factory(context(env, files, "ghost"));
    REQUIRE_FALSE(ghost);
    CHECK(sim_test::has(ghost.error().message, "source_profile nowhere"));
    auto lng = aws::assume_role_factory(context(env, files, "long"));
    REQUIRE_FALSE(lng);
    CHECK(sim_test::has(lng.error().message, "duration_seconds"));
    auto none = aws::assume_role_factory(context(env, files, "base"));
    REQUIRE(none);
    CHECK(none->provider == nullptr);
    CHECK(sim_test::has(none->declined, "no role_arn"));
  }
}

TEST_CASE("web identity: environment, token file read at every refresh") {
  world w;
  temp_dir dir;
  const std::string token_file = dir.write("token", "finops-sim-web-identity-token\n");
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()},
                           {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file},
                           {"AWS_ROLE_ARN", role},
                           {"AWS_ROLE_SESSION_NAME", "ci-run-7"}};
  const aws::shared_config none;
  auto p = expect_provider(aws::web_identity_factory(context(env, none)));
  CHECK(sim_test::has(p->name(), "web-identity " + role));
  CHECK(sim_test::has(p->name(), "from environment"));
  const auto now = std::chrono::system_clock::now();
  auto c = p->fetch(now);
  REQUIRE_MESSAGE(c, c.error().describe());
  CHECK(w.is_last_issued(*c));
  CHECK(w.signs_cost_explorer(*c));
  auto sent = w.doubles->last_request(sim::double_service::web_identity);
  CHECK(sent.count("caller") == 0);  // unsigned
  CHECK(sent["RoleSessionName"] == "ci-run-7");
  CHECK(sent["WebIdentityToken"] == "finops-sim-web-identity-token");

  // The file changes (EKS rotates it): the next fetch sends the new token.
  dir.write("token", "a-rotated-but-unknown-token");
  auto refused = p->fetch(now);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().aws_code == "InvalidIdentityToken");
  CHECK_FALSE(sim_test::has(refused.error().describe(), "a-rotated-but-unknown-token"));
  dir.write("token", "finops-sim-web-identity-token");
  auto back = p->fetch(now);
  REQUIRE(back);
  CHECK(w.signs_cost_explorer(*back));

  // Missing file: a clear error naming it.
  std::remove(token_file.c_str());
  auto missing = p->fetch(now);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == fc::errc::no_credentials);
  CHECK(sim_test::has(missing.error().message, "web identity token file '" + token_file + "' cannot be read"));
}

TEST_CASE("web identity: profile keys, faults, declines") {
  world w;
  temp_dir dir;
  const std::string token_file = dir.write("token", "finops-sim-web-identity-token");
  aws::map_environment env{{"AWS_ENDPOINT_URL_STS", w.sim_url()}};
  auto files = config_of("[profile ci]\nrole_arn = " + role + "\nweb_identity_token_file = " + token_file +
                         "\nrole_session_name = from-profile\n");
  const auto now = std::chrono::system_clock::now();
  SUBCASE("success; the assume-role factory leaves the profile to it") {
    auto ar = aws::assume_role_factory(context(env, files, "ci"));
    REQUIRE(ar);
    CHECK(ar->provider == nullptr);
    auto p = expect_provider(aws::web_identity_factory(context(env, files, "ci")));
    CHECK(sim_test::has(p->name(), "from profile ci"));
    auto c = p->fetch(now);
    REQUIRE_MESSAGE(c, c.error().describe());
    CHECK(w.signs_cost_explorer(*c));
    CHECK(w.doubles->last_request(sim::double_service::web_identity)["RoleSessionName"] == "from-profile");
  }
  SUBCASE("malformed") {
    w.doubles->set_fault(sim::double_service::web_identity, sim::double_fault::malformed);
    auto c = expect_provider(aws::web_identity_factory(context(env, files, "ci")))->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::unexpected_shape);
    CHECK(holds_no_secret(w, c.error().describe(), {"finops-sim-web-identity-token"}));
  }
  SUBCASE("slow") {
    w.doubles->set_fault(sim::double_service::web_identity, sim::double_fault::slow);
    auto st = aws::detail::sts_connection_for(context(env, files, "ci"));
    REQUIRE(st);
    st->call_deadline = std::chrono::milliseconds(300);
    st->max_attempts = 1;
    aws::web_identity_settings s;
    s.role_arn = role;
    s.token_file = token_file;
    aws::web_identity_provider p(s, std::move(*st));
    auto c = p.fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().code == fc::errc::transport);
  }
  SUBCASE("refused") {
    w.doubles->set_fault(sim::double_service::web_identity, sim::double_fault::refuse);
    auto c = expect_provider(aws::web_identity_factory(context(env, files, "ci")))->fetch(now);
    REQUIRE_FALSE(c);
    CHECK(c.error().aws_code == "AccessDenied");
    CHECK(holds_no_secret(w, c.error().describe(), {"finops-sim-web-identity-token"}));
  }
  SUBCASE("declines without a token file or a role") {
    const aws::shared_config none;
    auto r = aws::web_identity_factory(context(env, none));
    REQUIRE(r);
    CHECK(r->provider == nullptr);
    CHECK(sim_test::has(r->declined, "AWS_WEB_IDENTITY_TOKEN_FILE"));
    env.set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
    auto r2 = aws::web_identity_factory(context(env, none));
    REQUIRE(r2);
    CHECK(sim_test::has(r2->declined, "AWS_ROLE_ARN"));
  }
}
