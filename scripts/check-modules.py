#!/usr/bin/env python3
"""Finds cycles between the modules of each crate (crates/*/src).

A module depends on another when its code names it: `use crate::a::b`,
`crate::a::f()` in code, `super::b::X` (resolved from the file's module),
and names a module imported (`use`) or re-exported (`pub use`) from
elsewhere. Comments, strings, `#[cfg(test)]` items and test files (named
`tests.rs`, under a `tests/` folder, or declared `#[cfg(test)] mod x;`)
are left out: tests may reach anywhere.

A cycle is a circle of sibling modules (children of one parent) that
depend on each other. A path into a nested module counts as a dependency
on the sibling that contains it; a module and its own descendants are one
unit, so a child using its parent's items (`super::X`) is no cycle.
Inline `mod x { }` blocks count as part of their file.

Prints every cycle as `crate: a -> b -> a`, with one place (file:line)
for each arrow, and exits 1 if there is one; prints one OK line otherwise.
`--self-test` runs the checker on a small tree with known cycles first.

Usage: python3 scripts/check-modules.py [--self-test] [ROOT]
"""

import os
import re
import sys
import tempfile

MAX_CYCLES = 200  # per crate: more would be noise, not news
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# `cfg(test)` or `cfg(all(..., test, ...))`: compiled for tests only.
CFG_TEST = re.compile(r"#\s*\[\s*cfg\s*\(\s*(?:test|all\s*\([^\]]*\btest\b[^\]]*\))\s*\)\s*\]")
INNER_CFG_TEST = re.compile(r"#!\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]")
PATH = re.compile(
    r"(?<![A-Za-z0-9_$])((?:crate|super|self)(?:\s*::\s*(?:super|" + IDENT + r"))+)"
)


def strip(src):
    """The source with comments, strings and chars blanked (newlines kept)."""
    out = []
    i, n = 0, len(src)

    def blank(text):
        return "".join("\n" if c == "\n" else " " for c in text)

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(src[i:j]))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(src[i:j]))
            i = j
        elif (c == "r" or c == "b") and re.match(r'(?:br|r)#*"', src[i:i + 260]) and (
            i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")
        ):
            m = re.match(r'(?:br|r)(#*)"', src[i:])
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(blank(src[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append(blank(src[i:j + 1]))
            i = j + 1
        elif c == "'":
            # A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            m = re.match(r"'(?:\\u\{[0-9A-Fa-f]+\}|\\.|[^\\'])'", src[i:])
            if m:
                out.append(blank(m.group(0)))
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def skip_item(code, i):
    """The end of the item starting at `i` (after its attributes)."""
    n = len(code)
    while True:
        m = re.compile(r"\s*#\s*\[").match(code, i)
        if not m:
            break
        depth, j = 1, m.end()
        while j < n and depth:
            depth += {"[": 1, "]": -1}.get(code[j], 0)
            j += 1
        i = j
    is_use = re.compile(r"\s*(?:pub(?:\s*\([^)]*\))?\s+)?use\b").match(code, i)
    depth, j = 0, i
    while j < n:
        c = code[j]
        if c in "([" or (c == "{" and is_use):
            depth += 1
        elif c in ")]" or (c == "}" and is_use):
            depth -= 1
        elif depth == 0 and c == ";":
            return j + 1
        elif depth == 0 and c == "{":
            k, d = j + 1, 1
            while k < n and d:
                d += {"{": 1, "}": -1}.get(code[k], 0)
                k += 1
            return k
        j += 1
    return n


def drop_test_items(code):
    """`code` with every `#[cfg(test)]` item blanked; the names of the
    modules it declares `#[cfg(test)] mod x;`."""
    test_mods = set()
    out, pos = [], 0
    for m in CFG_TEST.finditer(code):
        if m.start() < pos:
            continue
        end = skip_item(code, m.end())
        decl = re.search(r"\bmod\s+(" + IDENT + r")\s*;", code[m.end():end])
        if decl:
            test_mods.add(decl.group(1))
        out.append(code[pos:m.start()])
        out.append("".join("\n" if c == "\n" else " " for c in code[m.start():end]))
        pos = end
    out.append(code[pos:])
    return "".join(out), test_mods


def split_path(text):
    return [s.strip() for s in text.split("::")]


def use_paths(tree):
    """The full paths of a use tree: `a::{b, c::{d as e}}` ->
    [(['a','b'], 'b'), (['a','c','d'], 'e')]; globs end in '*'."""
    tree = re.sub(r"\s+", " ", tree).strip()
    results = []

    def parse(s, prefix):
        s = s.strip()
        brace = s.find("{")
        if brace >= 0 and s.rstrip().endswith("}"):
            head = s[:brace].strip().rstrip(":").strip()
            inner = s[brace + 1:s.rstrip().rfind("}")]
            base = prefix + ([p for p in split_path(head) if p] if head else [])
            depth, start = 0, 0
            for k, c in enumerate(inner + ","):
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif c == "," and depth == 0:
                    part = inner[start:k].strip()
                    if part:
                        parse(part, base)
                    start = k + 1
            return
        alias = None
        m = re.match(r"(.*?)\s+as\s+(" + IDENT + r")$", s)
        if m:
            s, alias = m.group(1), m.group(2)
        path = prefix + [p for p in split_path(s) if p]
        if not path:
            return
        if path[-1] == "self":
            path = path[:-1]
        if path:
            results.append((path, alias or path[-1]))

    parse(tree, [])
    return results


class Crate:
    def __init__(self, name, src_dir, root_dir):
        self.name = name
        self.src = src_dir
        self.root = root_dir
        self.files = {}  # module tuple -> (relative path, stripped code)
        self.test_modules = set()
        self.aliases = {}  # (module tuple, name) -> absolute path list
        self.refs = []  # (module tuple, target path list, rel file, line)

    def load(self):
        found = {}
        for dirpath, dirnames, filenames in os.walk(self.src):
            dirnames[:] = sorted(d for d in dirnames if d != "tests")
            for f in sorted(filenames):
                if not f.endswith(".rs") or f == "tests.rs":
                    continue
                full = os.path.join(dirpath, f)
                rel = os.path.relpath(full, self.src).replace(os.sep, "/")
                parts = rel[:-3].split("/")
                if parts in (["lib"], ["main"]):
                    module = ()
                elif parts[-1] == "mod":
                    module = tuple(parts[:-1])
                else:
                    module = tuple(parts)
                if module in found and module != ():
                    continue
                found[module] = full
        for module, full in sorted(found.items()):
            with open(full, encoding="utf-8") as fh:
                src = fh.read()
            code = strip(src)
            if INNER_CFG_TEST.search(code):
                self.test_modules.add(module)
                continue
            code, test_mods = drop_test_items(code)
            for t in test_mods:
                self.test_modules.add(module + (t,))
            rel = os.path.relpath(full, self.root).replace(os.sep, "/")
            self.files[module] = (rel, code)
        for module in list(self.files):
            if any(module[:k] in self.test_modules for k in range(1, len(module) + 1)):
                del self.files[module]

    def is_module(self, path):
        return tuple(path) in self.files

    def absolute(self, module, path):
        """`path` (crate::/super::/self:: or relative) from `module`, made
        absolute within the crate; None when it leaves the crate."""
        if not path:
            return None
        base = list(module)
        if path[0] == "crate":
            base, rest = [], path[1:]
        elif path[0] in ("super", "self"):
            rest = list(path)
            while rest and rest[0] in ("super", "self"):
                if rest[0] == "super":
                    if not base:
                        return None
                    base.pop()
                rest.pop(0)
        elif self.is_module(module + (path[0],)):
            rest = path
        else:
            return None  # another crate, std, or a name in scope
        return base + rest

    def read(self):
        use_re = re.compile(r"(?<![A-Za-z0-9_])use\s+([^;]*);")
        for module, (rel, code) in self.files.items():
            for m in use_re.finditer(code):
                for path, name in use_paths(m.group(1)):
                    target = self.absolute(module, path)
                    if target is None:
                        continue
                    line = code.count("\n", 0, m.start()) + 1
                    if name != "*" and target[-1] != "*":
                        self.aliases[(module, name)] = target
                    self.refs.append((module, target, rel, line))
            for m in PATH.finditer(code):
                path = [p for p in split_path(m.group(1)) if p]
                if code[max(0, m.start() - 4):m.start()].strip().endswith("in"):
                    continue  # pub(in crate::a): a visibility, not a use
                target = self.absolute(module, path)
                if target is not None:
                    line = code.count("\n", 0, m.start()) + 1
                    self.refs.append((module, target, rel, line))

    def resolve(self, path):
        """The module an absolute path lands in, following imports."""
        path = [p for p in path if p != "*"]
        for _ in range(16):
            k = 0
            while k < len(path) and self.is_module(path[:k + 1]):
                k += 1
            module = tuple(path[:k])
            if k < len(path) and (module, path[k]) in self.aliases:
                target = self.aliases[(module, path[k])]
                if target == path[:k + 1]:
                    break
                path = target + path[k + 1:]
                continue
            return module
        return tuple(path[:k])

    def edges(self):
        """{parent: {(a, b): (file, line)}} between sibling modules."""
        graph = {}
        for module, target, rel, line in self.refs:
            to = self.resolve(target)
            c = 0
            while c < min(len(module), len(to)) and module[c] == to[c]:
                c += 1
            if c == len(module) or c == len(to):
                continue  # itself, an ancestor or a descendant: one unit
            parent = module[:c]
            key = (module[c], to[c])
            graph.setdefault(parent, {}).setdefault(key, (rel, line))
        return graph


def cycles(edges):
    """Every elementary cycle of a graph given as {(a, b): where}, each
    once, starting from its least node."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, set()).add(b)
    found = []
    for start in sorted(succ):
        stack = [(start, [start])]
        while stack and len(found) < MAX_CYCLES:
            node, path = stack.pop()
            for nxt in sorted(succ.get(node, ()), reverse=True):
                if nxt == start:
                    found.append(path + [start])
                elif nxt > start and nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return sorted(found, key=lambda c: (len(c), c))


def check(root):
    """(lines to print, number of cycles) for the crates under `root`."""
    lines, count = [], 0
    crates_dir = os.path.join(root, "crates")
    for name in sorted(os.listdir(crates_dir)):
        src = os.path.join(crates_dir, name, "src")
        if not os.path.isdir(src):
            continue
        crate = Crate(name, src, root)
        crate.load()
        crate.read()
        for parent, edges in sorted(crate.edges().items()):
            prefix = "".join(p + "::" for p in parent)
            for cycle in cycles(edges):
                count += 1
                lines.append(f"{name}: " + " -> ".join(prefix + m for m in cycle))
                for a, b in zip(cycle, cycle[1:]):
                    rel, line = edges[(a, b)]
                    lines.append(f"    {prefix}{a} -> {prefix}{b}  {rel}:{line}")
    return lines, count


from module_cycle_cases import SELF_TEST, SELF_TEST_EXPECTED  # noqa: E402  (beside this script)


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for rel, text in SELF_TEST.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        lines, count = check(root)
    if lines != SELF_TEST_EXPECTED or count != 2:
        print("check-modules self-test FAILED: expected")
        print("\n".join(SELF_TEST_EXPECTED))
        print("got")
        print("\n".join(lines))
        return False
    print("check-modules self-test: ok (2 known cycles found, none invented)")
    return True


def main(argv):
    args = [a for a in argv if a != "--self-test"]
    if len(args) != len(argv) and not self_test():
        return 1
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    root = os.path.normpath(root)
    lines, count = check(root)
    if count:
        print("\n".join(lines))
        print(f"module cycles: {count} found (a module and its descendants are one unit)")
        return 1
    print("module cycles: none (every crate's sibling modules form a DAG)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
