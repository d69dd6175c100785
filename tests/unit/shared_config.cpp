// Tests for finops_crawler/aws/shared_config.hpp: the INI dialect of the AWS
// shared config and credentials files, file loading, profile/region choice.
#include "finops_crawler/aws/shared_config.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

namespace aws = finops_crawler::aws;
using finops_crawler::errc;

namespace {

// A fresh directory under the system temp dir, removed on destruction.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fc-shared-config-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::permissions(path / "locked", std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path / name;
    std::ofstream f(p, std::ios::binary);
    f << text;
    return p.string();
  }
};

aws::ini_file parse_ok(std::string_view text) {
  auto r = aws::parse_ini(text, "test.ini");
  INFO(r.error().message);
  REQUIRE(r.has_value());
  return std::move(*r);
}

std::string parse_error(std::string_view text) {
  auto r = aws::parse_ini(text, "test.ini");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.code() == errc::config_file);
  return r.error().message;
}

}  // namespace

TEST_CASE("parse: sections, comments, blank lines, blanks around '='") {
  const auto f = parse_ok(
      "# leading comment\n"
      "; another comment\n"
      "\n"
      "[default]\n"
      "region=eu-west-1\n"
      "   # indented comment line\n"
      "Output   =   json   \n"
      "\t\n"
      "[profile dev]   # comment after the header\n"
      "region = us-east-2\n");
  REQUIRE(f.sections().size() == 2);
  const aws::ini_section* d = f.find_section("default");
  REQUIRE(d != nullptr);
  CHECK(d->line == 4);
  REQUIRE(d->find("region") != nullptr);
  CHECK(d->find("region")->value == "eu-west-1");
  CHECK(d->find("region")->line == 5);
  // Property names are case-insensitive (stored lower case, as configparser does).
  REQUIRE(d->find("output") != nullptr);
  CHECK(d->find("OUTPUT")->value == "json");
  CHECK(d->find("output")->key == "output");
  const aws::ini_section* dev = f.find_section("profile dev");
  REQUIRE(dev != nullptr);
  CHECK(dev->find("region")->value == "us-east-2");
  CHECK(f.find_section("dev") == nullptr);
  CHECK(f.source() == "test.ini");
}

TEST_CASE("parse: inline comments need a blank before '#' or ';'") {
  const auto f = parse_ok(
      "[default]\n"
      "a = one # comment\n"
      "b = two ; comment\n"
      "c = three#not-a-comment\n"
      "d = four;also-not\n"
      "e = #only a comment\n"
      "f =#kept\n"
      "g = x\t# tab before\n");
  const auto* s = f.find_section("default");
  REQUIRE(s != nullptr);
  CHECK(s->find("a")->value == "one");
  CHECK(s->find("b")->value == "two");
  CHECK(s->find("c")->value == "three#not-a-comment");
  CHECK(s->find("d")->value == "four;also-not");
  CHECK(s->find("e")->value == "");
  CHECK(s->find("f")->value == "#kept");
  CHECK(s->find("g")->value == "x");
}

TEST_CASE("parse: CRLF line endings and a last line without newline") {
  const auto f = parse_ok("[default]\r\nregion = ap-south-1\r\n[profile x]\r\nregion = eu-north-1");
  CHECK(f.find_section("default")->find("region")->value == "ap-south-1");
  CHECK(f.find_section("profile x")->find("region")->value == "eu-north-1");
}

TEST_CASE("parse: nested sub-properties and continuation lines") {
  const auto f = parse_ok(
      "[services local]\n"
      "cost_explorer =\n"
      "  endpoint_url = http://127.0.0.1:8080  # kept verbatim in sub-properties\n"
      "  Other = x\n"
      "s3 =\n"
      "\tendpoint_url = https://s3.example\n"
      "[default]\n"
      "note = first\n"
      "  second line\n"
      "  third line\n"
      "after = 1\n");
  const auto* svc = f.find_section("services local");
  REQUIRE(svc != nullptr);
  const auto* ce = svc->find("cost_explorer");
  REQUIRE(ce != nullptr);
  CHECK(ce->value.empty());
  REQUIRE(ce->sub_properties.size() == 2);
  CHECK(ce->find_sub("endpoint_url")->value == "http://127.0.0.1:8080  # kept verbatim in sub-properties");
  CHECK(ce->find_sub("endpoint_url")->line == 3);
  CHECK(ce->find_sub("other")->value == "x");
  CHECK(svc->find("s3")->find_sub("endpoint_url")->value == "https://s3.example");
  const auto* d = f.find_section("default");
  CHECK(d->find("note")->value == "first\nsecond line\nthird line");
  CHECK(d->find("after")->value == "1");
}

TEST_CASE("parse: repeated sections merge, repeated properties replace, header blanks normalize") {
  const auto f = parse_ok(
      "[profile   dev]\n"
      "region = a\n"
      "[other]\n"
      "x = 1\n"
      "[ profile dev ]\n"
      "region = b\n"
      "output = text\n");
  REQUIRE(f.sections().size() == 2);
  const auto* dev = f.find_section("profile dev");
  REQUIRE(dev != nullptr);
  CHECK(dev->line == 1);
  CHECK(dev->properties.size() == 2);
  CHECK(dev->find("region")->value == "b");
  CHECK(dev->find("region")->line == 6);
  CHECK(dev->find("output")->value == "text");
}

TEST_CASE("parse: an empty text and a text of only comments have no sections") {
  CHECK(parse_ok("").sections().empty());
  CHECK(parse_ok("\n\n# c\n; d\n   \n").sections().empty());
}

TEST_CASE("parse errors name the source and the line") {
  CHECK(parse_error("[default]\nregion = x\n[profile dev\nregion = y\n") ==
        "test.ini:3: section header is missing its closing ']'");
  CHECK(parse_error("[default] junk\n") == "test.ini:1: unexpected text after the section header's ']'");
  CHECK(parse_error("\n[   ]\n") == "test.ini:2: empty section name '[]'");
  CHECK(parse_error("# c\nregion = x\n").rfind("test.ini:2: 'name = value' line before any [section]", 0) == 0);
  CHECK(parse_error("[default]\njust some words\n") ==
        "test.ini:2: expected 'name = value' or a [section] header");
  CHECK(parse_error("[default]\n = value\n") == "test.ini:2: property with an empty name");
  CHECK(parse_error("[services s]\ns3 =\n  no equals sign\n") ==
        "test.ini:3: expected an indented 'name = value' sub-property under 's3 ='");
  CHECK(parse_error("[services s]\ns3 =\n  = v\n") == "test.ini:3: sub-property with an empty name");
}

TEST_CASE("parse error messages never quote a value") {
  // The value could be a secret; the broken line is reported by number only.
  const std::string msg = parse_error("[default]\naws_secret_access_key = SECRETVALUE\n[broken\n");
  CHECK(msg.find("SECRETVALUE") == std::string::npos);
  const std::string msg2 = parse_error("[default]\nSECRETVALUE_NO_EQUALS\n");
  CHECK(msg2.find("SECRETVALUE") == std::string::npos);
}

TEST_CASE("parse: arbitrary bytes never crash (NUL, high bytes, lone brackets)") {
  const std::string weird[] = {std::string("[a\0b]\nk=\0v\n", 10), "\xff\xfe[\xc3\x28]\n", "]\n", "[\n", "=\n",
                               "[x]\n  \n  k = v\n", "[x]\nk =\n\n  a = b\n"};
  for (const auto& w : weird) {
    auto r = aws::parse_ini(w, "w");
    CHECK((r.has_value() || r.code() == errc::config_file));
  }
}

TEST_CASE("load_ini_file: missing, regular, directory, unreadable, too large") {
  temp_dir dir;
  SUBCASE("missing file is not an error") {
    auto r = aws::load_ini_file((dir.path / "nope").string());
    REQUIRE(r.has_value());
    CHECK_FALSE(r->has_value());
  }
  SUBCASE("regular file parses with the path as source") {
    const std::string p = dir.write("config", "[default]\nregion = eu-west-3\n");
    auto r = aws::load_ini_file(p);
    REQUIRE(r.has_value());
    REQUIRE(r->has_value());
    CHECK((*r)->source() == p);
    CHECK((*r)->find_section("default")->find("region")->value == "eu-west-3");
  }
  SUBCASE("a directory is a clear error naming it") {
    const auto sub = dir.path / "credentials";
    std::filesystem::create_directory(sub);
    auto r = aws::load_ini_file(sub.string());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.code() == errc::config_file);
    CHECK(r.error().message == sub.string() + ": is a directory, expected an AWS config or credentials file");
  }
  SUBCASE("a parse error carries the file path and line") {
    const std::string p = dir.write("bad", "[default]\n[profile x\n");
    auto r = aws::load_ini_file(p);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == p + ":2: section header is missing its closing ']'");
  }
  SUBCASE("an unreadable file is a clear error") {
    const std::string p = dir.write("locked", "[default]\n");
    std::filesystem::permissions(p, std::filesystem::perms::none);
    if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
      // Reason for skipping: running as root (or with CAP_DAC_OVERRIDE), the
      // kernel ignores the mode bits, so the file cannot be made unreadable.
      std::fclose(f);
      MESSAGE("skipped: permissions are not enforced for this user (root?)");
    } else {
      auto r = aws::load_ini_file(p);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.code() == errc::config_file);
      CHECK(r.error().message.rfind(p + ": cannot open: ", 0) == 0);
    }
  }
  SUBCASE("a FIFO (not a regular file) is refused without blocking") {
    const std::string p = (dir.path / "fifo").string();
    REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
    auto r = aws::load_ini_file(p);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == p + ": is not a regular file");
  }
  SUBCASE("larger than 16 MiB is refused") {
    const std::string p = (dir.path / "huge").string();
    {
      std::ofstream f(p, std::ios::binary);
      f << "[default]\n";
      const std::string chunk(1 << 20, '#');
      for (int i = 0; i < 17; ++i) f << chunk;
    }
    auto r = aws::load_ini_file(p);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == p + ": larger than 16 MiB; not an AWS config file");
  }
}

TEST_CASE("default_shared_config_paths: options, environment variables, HOME") {
  SUBCASE("HOME") {
    aws::map_environment env{{"HOME", "/home/u"}};
    const auto p = aws::default_shared_config_paths(env);
    CHECK(p.config_file == "/home/u/.aws/config");
    CHECK(p.credentials_file == "/home/u/.aws/credentials");
    CHECK(p.config_origin == "$HOME/.aws/config");
    CHECK(p.credentials_origin == "$HOME/.aws/credentials");
  }
  SUBCASE("AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, with ~ expansion") {
    aws::map_environment env{{"HOME", "/home/u"},
                             {"AWS_CONFIG_FILE", "~/cfg"},
                             {"AWS_SHARED_CREDENTIALS_FILE", "/etc/aws/creds"}};
    const auto p = aws::default_shared_config_paths(env);
    CHECK(p.config_file == "/home/u/cfg");
    CHECK(p.config_origin == "AWS_CONFIG_FILE");
    CHECK(p.credentials_file == "/etc/aws/creds");
    CHECK(p.credentials_origin == "AWS_SHARED_CREDENTIALS_FILE");
  }
  SUBCASE("options win over the environment") {
    aws::map_environment env{{"HOME", "/home/u"}, {"AWS_CONFIG_FILE", "/x"}};
    const auto p = aws::default_shared_config_paths(env, std::string("/opt/c"), std::string("/opt/k"));
    CHECK(p.config_file == "/opt/c");
    CHECK(p.credentials_file == "/opt/k");
    CHECK(p.config_origin == "option");
  }
  SUBCASE("no HOME and no variables: empty paths, origin explains") {
    aws::map_environment env;
    const auto p = aws::default_shared_config_paths(env);
    CHECK(p.config_file.empty());
    CHECK(p.credentials_file.empty());
    CHECK(p.config_origin == "none: HOME and AWS_CONFIG_FILE are unset");
  }
  SUBCASE("empty variables count as unset") {
    aws::map_environment env{{"HOME", "/h"}, {"AWS_CONFIG_FILE", ""}};
    CHECK(aws::default_shared_config_paths(env).config_file == "/h/.aws/config");
  }
}

TEST_CASE("shared_config: profile sections in each file") {
  auto r = aws::shared_config::from_strings(
      "[default]\nregion = from-default\n"
      "[profile dev]\nregion = dev-config\noutput = json\n"
      "[dev]\nregion = not-a-profile-in-config\n"
      "[services svc]\ns3 =\n  endpoint_url = https://x\n",
      "[dev]\nregion = dev-credentials\n[profile odd]\nk = v\n");
  REQUIRE(r.has_value());
  const aws::shared_config& c = *r;
  CHECK(c.config_profile("default")->name == "default");
  CHECK(c.config_profile("dev")->name == "profile dev");
  CHECK(c.config_profile("nope") == nullptr);
  CHECK(c.credentials_profile("dev")->name == "dev");
  // In the credentials file "profile odd" is just a profile with a space.
  CHECK(c.credentials_profile("profile odd") != nullptr);
  CHECK(c.credentials_profile("odd") == nullptr);
  CHECK(c.services_section("svc") != nullptr);
  CHECK(c.services_section("other") == nullptr);
  CHECK(c.has_profile("dev"));
  CHECK_FALSE(c.has_profile("ghost"));
  // The credentials file overrides the config file for the same key.
  auto v = c.get("dev", "region");
  REQUIRE(v.has_value());
  CHECK(v->value == "dev-credentials");
  CHECK(v->file == "<credentials>");
  CHECK(v->line == 2);
  CHECK(c.get("dev", "output")->value == "json");
  CHECK(c.get("dev", "output")->file == "<config>");
  CHECK_FALSE(c.get("dev", "missing").has_value());
}

TEST_CASE("shared_config: [profile default] wins over [default] in the config file") {
  auto r = aws::shared_config::from_strings("[default]\nregion = a\n[profile default]\nregion = b\n", "");
  REQUIRE(r.has_value());
  CHECK(r->get("default", "region")->value == "b");
}

TEST_CASE("shared_config::load: missing files are fine, broken files are errors") {
  temp_dir dir;
  aws::shared_config_paths paths;
  paths.config_file = (dir.path / "config").string();
  paths.credentials_file = (dir.path / "credentials").string();
  {
    auto r = aws::shared_config::load(paths);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->config_file().has_value());
    CHECK_FALSE(r->credentials_file().has_value());
  }
  dir.write("config", "[default]\nregion = sa-east-1\n");
  {
    auto r = aws::shared_config::load(paths);
    REQUIRE(r.has_value());
    CHECK(r->get("default", "region")->value == "sa-east-1");
    CHECK(r->get("default", "region")->file == paths.config_file);
  }
  dir.write("credentials", "[default\n");
  {
    auto r = aws::shared_config::load(paths);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message == paths.credentials_file + ":1: section header is missing its closing ']'");
  }
}

TEST_CASE("resolve_profile: option, then AWS_PROFILE, then default") {
  aws::map_environment env{{"AWS_PROFILE", "from-env"}};
  CHECK(aws::resolve_profile(std::string_view("opt"), env).name == "opt");
  CHECK(aws::resolve_profile(std::string_view("opt"), env).origin == "option");
  CHECK(aws::resolve_profile(std::nullopt, env).name == "from-env");
  CHECK(aws::resolve_profile(std::nullopt, env).origin == "AWS_PROFILE");
  CHECK(aws::resolve_profile(std::string_view(""), env).name == "from-env");
  aws::map_environment empty{{"AWS_PROFILE", ""}};
  CHECK(aws::resolve_profile(std::nullopt, empty).name == "default");
  CHECK(aws::resolve_profile(std::nullopt, empty).origin == "default");
}

TEST_CASE("resolve_region: option, AWS_REGION, AWS_DEFAULT_REGION, profile, none") {
  auto cfg = aws::shared_config::from_strings("[default]\nregion = eu-central-1\n[profile p]\nregion = ap-east-1\n", "");
  REQUIRE(cfg.has_value());
  aws::map_environment env{{"AWS_REGION", "us-west-2"}, {"AWS_DEFAULT_REGION", "us-west-1"}};
  CHECK(aws::resolve_region(std::string_view("ca-central-1"), env, *cfg, "default")->name == "ca-central-1");
  CHECK(aws::resolve_region(std::nullopt, env, *cfg, "default")->name == "us-west-2");
  CHECK(aws::resolve_region(std::nullopt, env, *cfg, "default")->origin == "AWS_REGION");
  env.unset("AWS_REGION");
  CHECK(aws::resolve_region(std::nullopt, env, *cfg, "default")->name == "us-west-1");
  CHECK(aws::resolve_region(std::nullopt, env, *cfg, "default")->origin == "AWS_DEFAULT_REGION");
  env.unset("AWS_DEFAULT_REGION");
  auto r = aws::resolve_region(std::nullopt, env, *cfg, "default");
  REQUIRE(r.has_value());
  CHECK(r->name == "eu-central-1");
  CHECK(r->origin == "profile default in <config>:2");
  CHECK(aws::resolve_region(std::nullopt, env, *cfg, "p")->name == "ap-east-1");
  CHECK_FALSE(aws::resolve_region(std::nullopt, env, *cfg, "nobody").has_value());
  CHECK_FALSE(aws::resolve_region(std::nullopt, env, aws::shared_config(), "default").has_value());
}

TEST_CASE("parse_config_bool") {
  CHECK(aws::parse_config_bool("true") == true);
  CHECK(aws::parse_config_bool(" TRUE ") == true);
  CHECK(aws::parse_config_bool("False") == false);
  CHECK_FALSE(aws::parse_config_bool("yes").has_value());
  CHECK_FALSE(aws::parse_config_bool("").has_value());
  CHECK_FALSE(aws::parse_config_bool("1").has_value());
}

TEST_CASE("map_environment and the process environment") {
  aws::map_environment env{{"A", "1"}, {"EMPTY", ""}};
  CHECK(env.get("A") == std::optional<std::string>("1"));
  CHECK(env.get("EMPTY") == std::optional<std::string>(""));
  CHECK_FALSE(env.get_non_empty("EMPTY").has_value());
  CHECK_FALSE(env.get("B").has_value());
  env.set("B", "2");
  CHECK(env.size() == 3);
  env.unset("A");
  CHECK_FALSE(env.get("A").has_value());
  // The process environment: PATH is set under meson test; a name that
  // cannot be a real variable is unset.
  const aws::environment& proc = aws::default_environment();
  CHECK(proc.get("PATH").has_value());
  CHECK_FALSE(proc.get("FINOPS_CRAWLER_SURELY_UNSET_VARIABLE_1234").has_value());
}
