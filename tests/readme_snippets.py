#!/usr/bin/env python3
"""Every C++ snippet of the READMEs compiles as written.

usage: readme_snippets.py SOURCE_ROOT COMPILER [COMPILER ARGS...]

Each ```cpp block of the READMEs is checked one of two ways:
- a block that the text just before it introduces as "From [`examples/X`]"
  must be an excerpt of that file (its lines, leading spaces ignored, appear
  in order and together there); the examples themselves are compiled by
  examples/meson.build;
- any other block is compiled, syntax only (-fsyntax-only: no code is
  generated, no link), on the header-only route. A block with `int main` is
  a whole program; otherwise its #include, `namespace x = ...;` and `using`
  lines go first and the rest becomes the body of main(), as a reader would
  paste it.
Prints one line per snippet and "N passed, N failed" at the end; exits 1 on
any failure.
"""
import os
import re
import subprocess
import sys
import tempfile

READMES = ["README.md", "tools/ce-simulator/README.md", "tools/cli/README.md"]
FENCE = re.compile(r"^```cpp[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
FROM_EXAMPLE = re.compile(r"From \[`(examples/[^`]+)`\]")


def normalized(lines):
    return [l.strip() for l in lines if l.strip()]


def as_program(code):
    if re.search(r"\bint\s+main\s*\(", code):
        return code
    head, body = [], []
    for line in code.splitlines():
        s = line.strip()
        if s.startswith("#include") or re.match(r"namespace\s+\w+\s*=", s) or s.startswith("using "):
            head.append(line)
        else:
            body.append(line)
    return "\n".join(head) + "\nint main() {\n" + "\n".join(body) + "\n  return 0;\n}\n"


def main():
    root, compiler = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for readme in READMES:
        path = os.path.join(root, readme)
        if not os.path.exists(path):
            continue
        text = open(path, encoding="utf-8").read()
        for n, m in enumerate(FENCE.finditer(text), 1):
            name = "%s snippet %d (line %d)" % (readme, n, text.count("\n", 0, m.start()) + 1)
            code = m.group(1)
            intro = text[max(0, m.start() - 300):m.start()]
            source = FROM_EXAMPLE.findall(intro)
            if source:
                example = os.path.join(root, source[-1])
                want = normalized(code.splitlines())
                have = normalized(open(example, encoding="utf-8").read().splitlines()) if os.path.exists(example) else []
                ok = any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))
                why = "" if ok else "not an excerpt of " + source[-1]
            else:
                with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as f:
                    f.write(as_program(code))
                    tu = f.name
                cmd = compiler + ["-std=c++17", "-fsyntax-only", "-DFINOPS_CRAWLER_HEADER_ONLY=1",
                                  "-I" + os.path.join(root, "include"),
                                  "-I" + os.path.join(root, "tools/ce-simulator"), tu]
                r = subprocess.run(cmd, capture_output=True, text=True)
                os.unlink(tu)
                ok = r.returncode == 0
                why = "" if ok else "does not compile:\n" + r.stderr[-3000:]
            if ok:
                passed += 1
                print("ok    " + name)
            else:
                failed += 1
                print("FAIL  " + name + ": " + why)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
