#!/usr/bin/env python3
"""Holds ARCHITECTURE.md to being a map of the tree, and a short one.

Fails (exit 1), naming each, when a source folder is not mentioned in
ARCHITECTURE.md by its path from the root (`crates/core/src/trace/`, with or
without the closing slash), and when the file is longer than MAX_WORDS
words (counted as `wc -w` counts them). The source folders: every crate
(`crates/*`), every directory under a crate's `src`, `tests`, `examples`,
`js` and `text`, and `www`, `scripts` and every directory under `tests/`
(build output and dependencies left out). Prints one OK line otherwise.

Usage: python3 scripts/check-architecture.py [--self-test] [ROOT]
"""

import os
import re
import sys
import tempfile

MAX_WORDS = 1800
MAP = "ARCHITECTURE.md"
IGNORED = {"target", "node_modules", "dist", ".git", "__pycache__"}
CRATE_FOLDERS = ("src", "tests", "examples", "js", "text")


def below(root, rel):
    """`rel` and every directory under it, as paths from `root`."""
    top = os.path.join(root, rel)
    if not os.path.isdir(top):
        return []
    found = []
    for dirpath, dirnames, _ in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED)
        found.append(os.path.relpath(dirpath, root).replace(os.sep, "/"))
    return found


def source_folders(root):
    folders = []
    crates = os.path.join(root, "crates")
    for name in sorted(os.listdir(crates)) if os.path.isdir(crates) else []:
        if name in IGNORED or not os.path.isdir(os.path.join(crates, name)):
            continue
        folders.append(f"crates/{name}")
        for sub in CRATE_FOLDERS:
            folders += below(root, f"crates/{name}/{sub}")
    folders += below(root, "www") + below(root, "scripts")
    tests = os.path.join(root, "tests")
    for name in sorted(os.listdir(tests)) if os.path.isdir(tests) else []:
        if name not in IGNORED and os.path.isdir(os.path.join(tests, name)):
            folders += below(root, f"tests/{name}")
    return folders


def mentioned(text, folder):
    """Whether `text` names `folder` itself (not only a longer path)."""
    pattern = r"(?<![\w./-])" + re.escape(folder) + r"(?!/?[\w.-])"
    return re.search(pattern, text) is not None


def check(root):
    """The problems found, one line each."""
    path = os.path.join(root, MAP)
    if not os.path.isfile(path):
        return [f"{MAP} is missing"]
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    problems = [
        f"{MAP} does not mention the folder {folder}/"
        for folder in source_folders(root)
        if not mentioned(text, folder)
    ]
    words = len(text.split())
    if words > MAX_WORDS:
        problems.append(f"{MAP} has {words} words, more than {MAX_WORDS}: a map, not a manual")
    return problems


def self_test():
    cases = {
        "crates/demo/src/inner/deep/x.rs": "",
        "crates/demo/js/a.js": "",
        "www/a.css": "",
        "scripts/a.sh": "",
        "tests/e2e/a.mjs": "",
        "crates/demo/target/debug/x": "",
        "tests/e2e/node_modules/x/y.js": "",
    }
    listed = (
        "`crates/demo/` `crates/demo/src/` `crates/demo/src/inner/deep/`\n"
        "`crates/demo/js` `www/` `scripts/` `tests/e2e/`\n"
    )
    with tempfile.TemporaryDirectory() as root:
        for rel in cases:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            open(os.path.join(root, rel), "w").close()
        text = listed + "word " * MAX_WORDS
        with open(os.path.join(root, MAP), "w", encoding="utf-8") as fh:
            fh.write(text)
        got = check(root)
    expected = [
        f"{MAP} does not mention the folder crates/demo/src/inner/",
        f"{MAP} has {len(text.split())} words, more than {MAX_WORDS}: a map, not a manual",
    ]
    if got != expected:
        print("check-architecture self-test FAILED: expected")
        print("\n".join(expected))
        print("got")
        print("\n".join(got))
        return False
    print("check-architecture self-test: ok (a folder left out and a long map are found)")
    return True


def main(argv):
    args = [a for a in argv if a != "--self-test"]
    if len(args) != len(argv) and not self_test():
        return 1
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    root = os.path.normpath(root)
    problems = check(root)
    if problems:
        print("\n".join(problems))
        return 1
    with open(os.path.join(root, MAP), encoding="utf-8") as fh:
        words = len(fh.read().split())
    print(
        f"architecture map: every source folder mentioned ({len(source_folders(root))}), "
        f"{words} words (at most {MAX_WORDS})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
