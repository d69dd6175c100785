// Tests for finops_crawler/aws/credentials.hpp: the credentials type
// (redaction, wiping on release) and the default chain's order and errors.
#include "finops_crawler/aws/credentials.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include <stdlib.h>

namespace aws = finops_crawler::aws;
using finops_crawler::errc;

namespace {

// AWS's documentation example keys: not real secrets.
constexpr const char* key_id = "AKIAIOSFODNN7EXAMPLE";
constexpr const char* secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* token = "FwoGZXIvYXdzEXAMPLETOKENVALUE0123456789";

struct temp_home {
  std::filesystem::path path;
  temp_home() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fc-credentials-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
    std::filesystem::create_directory(path / ".aws");
  }
  ~temp_home() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string home() const { return path.string(); }
  std::string write(const std::string& rel, const std::string& text) const {
    const auto p = path / rel;
    std::ofstream f(p, std::ios::binary);
    f << text;
    return p.string();
  }
  std::string credentials_path() const { return (path / ".aws" / "credentials").string(); }
  std::string config_path() const { return (path / ".aws" / "config").string(); }
};

// No message may ever contain a secret or a token.
void check_no_secrets(const std::string& text) {
  CHECK(text.find(secret) == std::string::npos);
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("wJalrXUtnFEMI") == std::string::npos);
}

aws::credentials resolve_ok(const aws::credential_options& o, const aws::environment& env) {
  auto r = aws::resolve_credentials(o, env);
  INFO(r.error().message);
  REQUIRE(r.has_value());
  return std::move(*r);
}

finops_crawler::error resolve_err(const aws::credential_options& o, const aws::environment& env) {
  auto r = aws::resolve_credentials(o, env);
  REQUIRE_FALSE(r.has_value());
  check_no_secrets(r.error().message);
  return r.error();
}

}  // namespace

TEST_CASE("credentials::make validates and keeps the parts") {
  auto r = aws::credentials::make(key_id, secret, token, std::chrono::system_clock::time_point{}, "unit test");
  REQUIRE(r.has_value());
  CHECK(r->access_key_id() == key_id);
  CHECK(r->secret_access_key() == secret);
  CHECK(r->session_token() == token);
  CHECK(r->has_session_token());
  CHECK(r->source() == "unit test");
  REQUIRE(r->expiry().has_value());
  CHECK(r->expired(std::chrono::system_clock::time_point{} + std::chrono::seconds(1)));
  CHECK_FALSE(r->expired(std::chrono::system_clock::time_point{} - std::chrono::seconds(1)));

  auto no_expiry = aws::credentials::make(key_id, secret);
  REQUIRE(no_expiry.has_value());
  CHECK_FALSE(no_expiry->expired());
  CHECK_FALSE(no_expiry->has_session_token());

  CHECK(aws::credentials::make("", secret).code() == errc::invalid_argument);
  CHECK(aws::credentials::make(key_id, "").code() == errc::invalid_argument);
  CHECK(aws::credentials::make(key_id, "").error().message.find("secret access key is empty") != std::string::npos);
  CHECK(aws::credentials::make("AKIA EXAMPLE", secret).code() == errc::invalid_argument);
  auto bad_secret = aws::credentials::make(key_id, std::string(secret) + "\n");
  CHECK(bad_secret.code() == errc::invalid_argument);
  check_no_secrets(bad_secret.error().message);
  CHECK(aws::credentials::make(key_id, secret, "tok en").code() == errc::invalid_argument);
  CHECK(aws::credentials().empty());
}

TEST_CASE("credentials are never printed") {
  auto plain = aws::credentials::make(key_id, secret, "", std::nullopt, "environment");
  REQUIRE(plain.has_value());
  CHECK(plain->to_string() == "AKIA\xE2\x80\xA6MPLE (secret redacted) from environment");
  auto temp = aws::credentials::make(key_id, secret, token, std::nullopt, "environment");
  REQUIRE(temp.has_value());
  CHECK(temp->to_string() == "AKIA\xE2\x80\xA6MPLE (secret and session token redacted) from environment");
  std::ostringstream os;
  os << *temp;
  CHECK(os.str() == temp->to_string());
  check_no_secrets(os.str());
  // A short key id is not shown at all.
  auto short_id = aws::credentials::make("AKIA123", secret);
  REQUIRE(short_id.has_value());
  CHECK(short_id->to_string().rfind("\xE2\x80\xA6 (secret redacted)", 0) == 0);
  CHECK(aws::credentials().to_string() == "(no credentials)");
}

TEST_CASE("credentials: copy is independent, move empties the source") {
  auto r = aws::credentials::make(key_id, secret, token);
  REQUIRE(r.has_value());
  aws::credentials a = std::move(*r);
  aws::credentials copy = a;
  CHECK(copy.secret_access_key() == secret);
  CHECK(copy.secret_access_key().data() != a.secret_access_key().data());  // its own buffer
  aws::credentials moved = std::move(a);
  CHECK(moved.secret_access_key() == secret);
  CHECK(moved.session_token() == token);
  // The moved-from object no longer refers to the bytes (the pointer was
  // stolen, nothing was copied).
  CHECK(a.secret_access_key().empty());  // NOLINT(bugprone-use-after-move): checked on purpose
  CHECK(a.session_token().empty());      // NOLINT(bugprone-use-after-move)
  moved = copy;  // assignment over existing secrets wipes them first
  CHECK(moved.secret_access_key() == secret);
}

TEST_CASE("secret_buffer: release empties, move steals the allocation") {
  aws::detail::secret_buffer b("abc");
  const char* where = b.view().data();
  aws::detail::secret_buffer m(std::move(b));
  CHECK(m.view() == "abc");
  CHECK(m.view().data() == where);  // stolen, not copied: no stray copy to wipe
  CHECK(b.empty());                 // NOLINT(bugprone-use-after-move)
  m.release();
  CHECK(m.empty());
  CHECK(m.view().empty());
}

TEST_CASE("cleanse_string wipes and empties") {
  std::string s = secret;
  aws::detail::cleanse_string(s);
  CHECK(s.empty());
}

TEST_CASE("chain 1: explicit options come first") {
  aws::map_environment env{{"AWS_ACCESS_KEY_ID", "AKIAENVIRONMENTXXXXX"}, {"AWS_SECRET_ACCESS_KEY", "envsecret"}};
  aws::credential_options o;
  o.access_key_id = key_id;
  o.secret_access_key = secret;
  o.session_token = token;
  const auto c = resolve_ok(o, env);
  CHECK(c.access_key_id() == key_id);
  CHECK(c.session_token() == token);
  CHECK(c.source() == "explicit option");

  aws::credential_options only_id;
  only_id.access_key_id = key_id;
  CHECK(resolve_err(only_id, env).code == errc::invalid_argument);
  aws::credential_options only_secret;
  only_secret.secret_access_key = secret;
  CHECK(resolve_err(only_secret, env).code == errc::invalid_argument);
  aws::credential_options empty_secret;
  empty_secret.access_key_id = key_id;
  empty_secret.secret_access_key = "";
  const auto e = resolve_err(empty_secret, env);
  CHECK(e.code == errc::invalid_argument);
  CHECK(e.message.find("secret access key is empty") != std::string::npos);
}

TEST_CASE("chain 2: environment variables") {
  temp_home h;
  h.write(".aws/credentials", "[default]\naws_access_key_id = AKIAFROMFILEXXXXXXXX\naws_secret_access_key = s\n");
  SUBCASE("both set, with token; beats the files") {
    aws::map_environment env{{"HOME", h.home()},
                             {"AWS_ACCESS_KEY_ID", key_id},
                             {"AWS_SECRET_ACCESS_KEY", secret},
                             {"AWS_SESSION_TOKEN", token}};
    const auto c = resolve_ok({}, env);
    CHECK(c.access_key_id() == key_id);
    CHECK(c.secret_access_key() == secret);
    CHECK(c.session_token() == token);
    CHECK(c.source() == "environment");
  }
  SUBCASE("legacy AWS_SECURITY_TOKEN is read when AWS_SESSION_TOKEN is unset") {
    aws::map_environment env{{"AWS_ACCESS_KEY_ID", key_id}, {"AWS_SECRET_ACCESS_KEY", secret},
                             {"AWS_SECURITY_TOKEN", token}};
    CHECK(resolve_ok({}, env).session_token() == token);
  }
  SUBCASE("AWS_CREDENTIAL_EXPIRATION gives the expiry; a bad one is an error") {
    aws::map_environment env{{"AWS_ACCESS_KEY_ID", key_id}, {"AWS_SECRET_ACCESS_KEY", secret},
                             {"AWS_SESSION_TOKEN", token}, {"AWS_CREDENTIAL_EXPIRATION", "2026-11-26T05:00:00Z"}};
    const auto c = resolve_ok({}, env);
    REQUIRE(c.expiry().has_value());
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(c.expiry()->time_since_epoch()).count() == 1795669200);
    CHECK(c.expired(*c.expiry()));
    CHECK_FALSE(c.expired(*c.expiry() - std::chrono::seconds(1)));
    env.set("AWS_CREDENTIAL_EXPIRATION", "tomorrow");
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::invalid_argument);
    CHECK(e.message.rfind("AWS_CREDENTIAL_EXPIRATION: timestamp is not ISO-8601", 0) == 0);
  }
  SUBCASE("only the key id: the error names the missing secret variable") {
    aws::map_environment env{{"HOME", h.home()}, {"AWS_ACCESS_KEY_ID", key_id}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message == "Missing environment variable(s) for: AWS_SECRET_ACCESS_KEY (AWS_ACCESS_KEY_ID is set)");
  }
  SUBCASE("only the secret: the error names the missing key id variable") {
    aws::map_environment env{{"HOME", h.home()}, {"AWS_SECRET_ACCESS_KEY", secret}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message == "Missing environment variable(s) for: AWS_ACCESS_KEY_ID (AWS_SECRET_ACCESS_KEY is set)");
  }
  SUBCASE("an empty secret counts as missing") {
    aws::map_environment env{{"AWS_ACCESS_KEY_ID", key_id}, {"AWS_SECRET_ACCESS_KEY", ""}};
    CHECK(resolve_err({}, env).message.find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
  }
  SUBCASE("a malformed value is reported without the value") {
    aws::map_environment env{{"AWS_ACCESS_KEY_ID", key_id}, {"AWS_SECRET_ACCESS_KEY", std::string(secret) + " x"}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message.find("contains blanks") != std::string::npos);
  }
  SUBCASE("environment credentials win even when a shared file is broken") {
    std::filesystem::remove(h.credentials_path());
    std::filesystem::create_directory(h.credentials_path());
    aws::map_environment env{{"HOME", h.home()}, {"AWS_ACCESS_KEY_ID", key_id}, {"AWS_SECRET_ACCESS_KEY", secret}};
    CHECK(resolve_ok({}, env).source() == "environment");
  }
}

TEST_CASE("chain 3 and 4: shared credentials file, then config file") {
  temp_home h;
  h.write(".aws/credentials",
          "# comment\n"
          "[default]\n"
          "aws_access_key_id = AKIADEFAULTCREDSXXXX\n"
          "aws_secret_access_key = default-secret\n"
          "[dev]\n"
          "aws_access_key_id = AKIADEVCREDENTIALSXX\n"
          "aws_secret_access_key = dev-secret  # inline comment\n"
          "aws_session_token = dev-token\n");
  h.write(".aws/config",
          "[default]\n"
          "region = eu-west-1\n"
          "aws_access_key_id = AKIACONFIGDEFAULTXXX\n"
          "aws_secret_access_key = config-default-secret\n"
          "[profile ops]\n"
          "aws_access_key_id = AKIAOPSFROMCONFIGXXX\n"
          "aws_secret_access_key = ops-secret\n"
          "[profile dev]\n"
          "aws_access_key_id = AKIADEVFROMCONFIGXXX\n"
          "aws_secret_access_key = not-used\n");
  aws::map_environment env{{"HOME", h.home()}};

  SUBCASE("default profile from the credentials file (it wins over config)") {
    const auto c = resolve_ok({}, env);
    CHECK(c.access_key_id() == "AKIADEFAULTCREDSXXXX");
    CHECK(c.secret_access_key() == "default-secret");
    CHECK(c.source() == "shared credentials file " + h.credentials_path() + " profile default");
  }
  SUBCASE("AWS_PROFILE selects [dev]; inline comments stripped; token read") {
    env.set("AWS_PROFILE", "dev");
    const auto c = resolve_ok({}, env);
    CHECK(c.access_key_id() == "AKIADEVCREDENTIALSXX");
    CHECK(c.secret_access_key() == "dev-secret");
    CHECK(c.session_token() == "dev-token");
  }
  SUBCASE("the profile option wins over AWS_PROFILE; config file [profile ops]") {
    env.set("AWS_PROFILE", "dev");
    aws::credential_options o;
    o.profile = "ops";
    const auto c = resolve_ok(o, env);
    CHECK(c.access_key_id() == "AKIAOPSFROMCONFIGXXX");
    CHECK(c.source() == "config file " + h.config_path() + " profile ops");
  }
  SUBCASE("config file used when the credentials file is missing") {
    std::filesystem::remove(h.credentials_path());
    const auto c = resolve_ok({}, env);
    CHECK(c.access_key_id() == "AKIACONFIGDEFAULTXXX");
  }
  SUBCASE("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files") {
    const std::string other = h.write("other-creds", "[default]\naws_access_key_id = AKIAOTHERFILEXXXXXXX\n"
                                                     "aws_secret_access_key = x\n");
    env.set("AWS_SHARED_CREDENTIALS_FILE", other);
    CHECK(resolve_ok({}, env).access_key_id() == "AKIAOTHERFILEXXXXXXX");
    env.set("AWS_SHARED_CREDENTIALS_FILE", h.home() + "/nothing-here");
    const std::string cfg = h.write("other-config", "[profile z]\naws_access_key_id = AKIAOTHERCONFIGXXXXX\n"
                                                    "aws_secret_access_key = y\n");
    env.set("AWS_CONFIG_FILE", cfg);
    env.set("AWS_PROFILE", "z");
    CHECK(resolve_ok({}, env).access_key_id() == "AKIAOTHERCONFIGXXXXX");
  }
  SUBCASE("file options win over the environment variables") {
    env.set("AWS_SHARED_CREDENTIALS_FILE", h.home() + "/nothing-here");
    aws::credential_options o;
    o.credentials_file = h.credentials_path();
    CHECK(resolve_ok(o, env).access_key_id() == "AKIADEFAULTCREDSXXXX");
  }
}

TEST_CASE("chain errors: nothing found lists every place tried") {
  temp_home h;
  SUBCASE("no files at all") {
    aws::map_environment env{{"HOME", h.home()}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message.find("Missing environment variable(s) for: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY") !=
          std::string::npos);
    CHECK(e.message.find("shared credentials file " + h.credentials_path() +
                         " (from $HOME/.aws/credentials): not found") != std::string::npos);
    CHECK(e.message.find("config file " + h.config_path() + " (from $HOME/.aws/config): not found") !=
          std::string::npos);
    CHECK(e.message.find("Profile: default (the default; set AWS_PROFILE to use another)") != std::string::npos);
  }
  SUBCASE("files exist but lack the profile") {
    h.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULTCREDSXXXX\naws_secret_access_key = s\n");
    h.write(".aws/config", "[profile other]\nregion = x\n");
    aws::map_environment env{{"HOME", h.home()}, {"AWS_PROFILE", "prod"}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message.find(h.credentials_path() + " (from $HOME/.aws/credentials): no [prod] section") !=
          std::string::npos);
    CHECK(e.message.find(h.config_path() + " (from $HOME/.aws/config): no [profile prod] section") !=
          std::string::npos);
    CHECK(e.message.find("Profile: prod (from AWS_PROFILE)") != std::string::npos);
  }
  SUBCASE("a profile without keys, using role_arn, says it is unsupported") {
    h.write(".aws/config", "[profile assume]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n");
    aws::map_environment env{{"HOME", h.home()}, {"AWS_PROFILE", "assume"}};
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::no_credentials);
    CHECK(e.message.find("[profile assume] has no aws_access_key_id") != std::string::npos);
    CHECK(e.message.find("uses role_arn, which this static-only lookup does not follow") != std::string::npos);
  }
  SUBCASE("no HOME: the message says so") {
    aws::map_environment env;
    const auto e = resolve_err({}, env);
    CHECK(e.message.find("none: HOME and AWS_SHARED_CREDENTIALS_FILE are unset") != std::string::npos);
  }
}

TEST_CASE("chain errors: broken files are config_file errors naming file and line") {
  temp_home h;
  aws::map_environment env{{"HOME", h.home()}};
  SUBCASE("credentials file is a directory") {
    std::filesystem::create_directory(h.credentials_path());
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::config_file);
    CHECK(e.message == h.credentials_path() + ": is a directory, expected an AWS config or credentials file");
  }
  SUBCASE("unterminated section header") {
    h.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULTCREDSXXXX\n[dev\n");
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::config_file);
    CHECK(e.message == h.credentials_path() + ":3: section header is missing its closing ']'");
  }
  SUBCASE("key id without secret") {
    h.write(".aws/credentials", "[default]\n\naws_access_key_id = AKIADEFAULTCREDSXXXX\n");
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::config_file);
    CHECK(e.message ==
          h.credentials_path() + ":3: [default] sets aws_access_key_id but not aws_secret_access_key");
  }
  SUBCASE("secret without key id") {
    h.write(".aws/config", "[default]\naws_secret_access_key = s\n");
    const auto e = resolve_err({}, env);
    CHECK(e.message == h.config_path() + ":2: [default] sets aws_secret_access_key but not aws_access_key_id");
  }
  SUBCASE("empty secret") {
    h.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULTCREDSXXXX\naws_secret_access_key =\n");
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::config_file);
    CHECK(e.message == h.credentials_path() + ":3: [default] has an empty aws_secret_access_key");
  }
  SUBCASE("secret with a blank inside points at its line, without the value") {
    h.write(".aws/credentials",
            std::string("[default]\naws_access_key_id = AKIADEFAULTCREDSXXXX\naws_secret_access_key = ") + secret +
                "\tx\n");
    const auto e = resolve_err({}, env);
    CHECK(e.code == errc::config_file);
    CHECK(e.message.rfind(h.credentials_path() + ":3: [default] AWS secret access key contains blanks", 0) == 0);
  }
}

TEST_CASE("credentials_from_section reads the documented keys") {
  auto f = aws::parse_ini("[p]\nAWS_ACCESS_KEY_ID = AKIAUPPERCASEKEYSXXX\naws_secret_access_key = s\n"
                          "aws_security_token = legacy\n",
                          "mem");
  REQUIRE(f.has_value());
  auto r = aws::credentials_from_section(*f->find_section("p"), "mem", "src");
  REQUIRE(r.has_value());
  REQUIRE(r->has_value());
  CHECK((*r)->access_key_id() == "AKIAUPPERCASEKEYSXXX");
  CHECK((*r)->session_token() == "legacy");
  CHECK((*r)->source() == "src");
  auto none = aws::parse_ini("[p]\nregion = x\n", "mem");
  REQUIRE(none.has_value());
  auto n = aws::credentials_from_section(*none->find_section("p"), "mem", "src");
  REQUIRE(n.has_value());
  CHECK_FALSE(n->has_value());
}
