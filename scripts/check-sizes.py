#!/usr/bin/env python3
"""Sizes a reader can hold (issue 25): no non-test source file (.rs, .js,
.mjs, .py) over 400 lines, and no Rust function over 120 lines of code.

clippy's `too_many_lines` (at 120, clippy.toml) checks functions too, but it
skips code that comes out of a macro, and Yew's `#[function_component]` and
`#[hook]` are macros: the components, the longest functions of the app, would
go unchecked. This counts lines the way clippy does (neither blank nor only
a comment) for every `fn`, whatever wraps it.

    python3 scripts/check-sizes.py              # check the tree; exit 1 on a breach
    python3 scripts/check-sizes.py --self-test  # prove the checks fire
"""

import pathlib
import re
import sys
import tempfile

MAX_FILE_LINES = 400
MAX_FN_LINES = 120
EXTENSIONS = {".rs", ".js", ".mjs", ".py"}
SKIP_DIRS = {"target", "node_modules", "dist", ".git", "tests", "proptest-regressions"}
FN = re.compile(r"^(\s*)(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:const\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def is_test_file(path: pathlib.Path) -> bool:
    name = path.name
    return (
        name in {"tests.rs", "conftest.py"}
        or name.endswith(("_tests.rs", ".test.mjs", ".test.js"))
        or name.startswith("test_")
    )


def sources(root: pathlib.Path):
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if path.is_file() and path.suffix in EXTENSIONS and not is_test_file(path):
            yield path


def without_test_module(text: str) -> str:
    """The Rust file's code before its `#[cfg(test)] mod …` (tests may be long)."""
    match = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: match.start()] if match else text


def code_lines(lines) -> int:
    """Lines that are neither blank nor only a comment, as clippy counts."""
    count, in_block = 0, False
    for line in lines:
        s = line.strip()
        if in_block:
            if "*/" in s:
                in_block = False
                s = s.split("*/", 1)[1].strip()
            else:
                continue
        if s.startswith("/*"):
            in_block = "*/" not in s
            continue
        if s and not s.startswith("//"):
            count += 1
    return count


def long_functions(text: str):
    """(name, first line, code lines) of each function over the limit."""
    lines = without_test_module(text).split("\n")
    found = []
    for i, line in enumerate(lines):
        m = FN.match(line)
        if not m or line.rstrip().endswith(";"):
            continue
        indent = m.group(1)
        # As clippy: the body, from the line of its opening brace.
        body = next((k for k in range(i, len(lines)) if lines[k].rstrip().endswith("{")), i)
        for j in range(i + 1, len(lines)):
            if lines[j] == indent + "}":
                n = code_lines(lines[body : j + 1])
                if n > MAX_FN_LINES:
                    found.append((m.group(2), i + 1, n))
                break
    return found


def check(root: pathlib.Path) -> list:
    problems = []
    for path in sources(root):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root)
        n = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if n > MAX_FILE_LINES:
            problems.append(f"{rel}: {n} lines (at most {MAX_FILE_LINES})")
        if path.suffix == ".rs":
            for name, at, lines in long_functions(text):
                problems.append(f"{rel}:{at}: fn {name} has {lines} lines of code (at most {MAX_FN_LINES})")
    return problems


def self_test() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        src = root / "crates" / "x" / "src"
        src.mkdir(parents=True)
        body = "\n".join(f"    let a{i} = {i};" for i in range(MAX_FN_LINES))
        (src / "long.rs").write_text(f"#[function_component(Big)]\npub fn big() -> Html {{\n{body}\n}}\n")
        (src / "short.rs").write_text("fn f() {\n    // a comment\n\n    1;\n}\n")
        (src / "big.py").write_text("x = 1\n" * (MAX_FILE_LINES + 1))
        (src / "tests.rs").write_text("fn t() {}\n" * (MAX_FILE_LINES + 10))
        tested = "fn ok() {}\n#[cfg(test)]\nmod tests {\n    fn t() {\n" + body + "\n    }\n}\n"
        (src / "inline.rs").write_text(tested)
        problems = check(root)
        expected = {"long.rs", "big.py"}
        named = {pathlib.Path(p.split(":")[0]).name for p in problems}
        if named != expected or len(problems) != 2:
            print(f"check-sizes self-test FAILED: expected {sorted(expected)}, got {problems}")
            return 1
    print("check-sizes self-test: a long component and a long file are caught; tests, comments and blank lines are not counted")
    return 0


def main() -> int:
    if "--self-test" in sys.argv:
        return self_test()
    root = pathlib.Path(__file__).resolve().parent.parent
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"sizes: {len(problems)} over the limits")
        return 1
    print(f"sizes: no source file over {MAX_FILE_LINES} lines, no function over {MAX_FN_LINES} lines of code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
