#!/usr/bin/env python3
"""Fail when the modules of a Rust crate import each other in a cycle.

Usage: check-module-cycles.py [CRATE_SRC_DIR ...]   (default: DEFAULT_DIRS, from the repo root)

Each argument is a crate's `src` directory; the crate root is lib.rs (main.rs if there is no
lib.rs; src/bin/ is skipped). A module is one .rs file, named by its place in the tree:
lib.rs is `crate`, a.rs and a/mod.rs are `crate::a`, a/b.rs is `crate::a::b`. Inline
`mod x { ... }` blocks belong to their file.

File A imports file B when A's code (without comments and string literals) has a path that
starts with `crate::`, `super::` or `self::` (relative to A's module and any inline module
around the path), or with `NAME::` where A declares `mod NAME;`, and B is the file named by
the longest prefix of that path (B != A). `use` trees are expanded:
`use crate::a::{self, b::{C, D}}` means crate::a, crate::a::b::C and crate::a::b::D. If that
file re-exports the next segment (`pub use x::Item;`, also pub(crate)), the path is followed
to the item, so `crate::Item` is an import of x.rs rather than of lib.rs (which imports x.rs).
Not imports: `mod x;` declarations, `pub(in crate::x)`, and anything inside
`#[cfg(test)] mod NAME { ... }`; files declared `#[cfg(test)] mod NAME;` are left out.
Each strongly connected component of more than one file is reported, as the shortest cycles
that cover its edges. Exit status: 0 without cycles, 1 with any, 2 on a bad argument.
"""
import os
import re
import sys
from collections import deque

# The node, the client crates and the tools. FRAME pallets and the runtime are left out:
# their macros tie `lib.rs` to every module by design.
DEFAULT_DIRS = [
    "node/src",
    "client/alignment/src",
    "client/da/src",
    "client/data-plane/src",
    "client/eth-rpc/src",
    "client/rpc-api/src",
    "client/storage/src",
    "tools/zerog-cli/src",
    "primitives/erasure/src",
]

START = re.compile(r"(?<![\w:$])\$?(\w+)\s*::")
IDENT, SEP, ALIAS = re.compile(r"\s*(\w+)"), re.compile(r"\s*::\s*"), re.compile(r"\s+as\s+(\w+)")
RAW = re.compile(r"b?r(#*)\"")
IN_VIS = re.compile(r"\(\s*in\s+$")
PUB_USE = re.compile(r"\bpub(\([^)]*\))?\s+use\s+$")
TEST_MOD = re.compile(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*([{;])")
INLINE_MOD, CHILD_MOD = re.compile(r"\bmod\s+(\w+)\s*\{"), re.compile(r"\bmod\s+(\w+)\s*;")


def blank(s):
    return re.sub(r"[^\n]", " ", s)


def strip(src):
    """Replace comments and string/char literals with spaces, keeping line breaks."""
    out, i, n = [], 0, len(src)
    while i < n:
        c, j = src[i], i + 1
        raw = RAW.match(src, i) if c in "br" and not re.match(r"\w", src[i - 1 : i]) else None
        if src.startswith("//", i):
            j = src.find("\n", i) % (n + 1)  # -1 (no newline) becomes n
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                depth += src.startswith("/*", j) - src.startswith("*/", j)
                j += 2 if src.startswith(("/*", "*/"), j) else 1
        elif raw:
            j = (src.find('"' + raw.group(1), raw.end()) + 1 or n) + len(raw.group(1))
        elif c == '"':
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j += 1
        elif c == "'" and src.startswith("\\", i + 1):  # '\n', '\'', '\u{..}'
            j = src.find("'", i + 3) + 1 or n
        elif c != "'" or src[i + 2 : i + 3] != "'":  # not a char literal like 'x' (a lifetime)
            out.append(c)
            i += 1
            continue
        else:
            j = i + 3
        out.append(blank(src[i:j]))
        i = j
    return "".join(out)


def block_end(text, brace):
    """Index just past the brace that closes the one at `brace`."""
    depth = 0
    for k in range(brace, len(text)):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0:
            return k + 1
    return len(text)


def parse_tree(text, i, prefix=()):
    """Parse a path or `use` tree at i: ([(segments, leaf offset, alias)], end offset)."""
    segs, leaf = list(prefix), i
    while m := IDENT.match(text, i):
        segs.append(m.group(1))
        i, leaf = m.end(), m.start(1)
        if not (m := SEP.match(text, i)):
            break
        i = m.end()
        if text.startswith("*", i):
            return [(segs + ["*"], leaf, None)], i + 1
        if text.startswith("{", i):
            paths, i = [], i + 1
            while i < len(text) and not text.startswith("}", i := re.compile(r"[\s,]*").match(text, i).end()):
                sub, j = parse_tree(text, i, segs)
                paths, i = paths + sub, max(j, i + 1)
            return paths, i + 1
    m = ALIAS.match(text, i)
    return [(segs, leaf, m and m.group(1))], m.end() if m else i


def read_module(path):
    """Return (code without comments, literals and test blocks, names of test-only children)."""
    text, tests = strip(open(path, encoding="utf-8").read()), []
    for m in reversed(list(TEST_MOD.finditer(text))):
        end = block_end(text, m.end() - 1) if m.group(2) == "{" else m.end()
        text = text[: m.start()] + blank(text[m.start() : end]) + text[end:]
        tests.append(m.group(1))
    return text, tests


def module_paths(text, mod):
    """Yield (absolute target segments, line, path as written, name if `pub use`d) in a file."""
    inline = [(m.start(), block_end(text, m.end() - 1), m.group(1)) for m in INLINE_MOD.finditer(text)]
    children, i = set(CHILD_MOD.findall(text)), 0
    while m := START.search(text, i):
        paths, i = parse_tree(text, m.start(1))
        if m.group(1) not in ("crate", "super", "self", *children) or IN_VIS.search(text, max(0, m.start() - 20), m.start()):
            continue  # another crate's path (its whole `use` tree is skipped), or pub(in ...)
        reexport = PUB_USE.search(text, max(0, m.start() - 30), m.start())
        for segs, pos, alias in paths:
            here = list(mod) + [name for s, e, name in inline if s < pos < e]
            first = segs[0]
            base = ["crate"] if first == "crate" else here[:-1] if first == "super" else here
            target = (base or ["crate"]) + ([first] if first in children else [])
            for seg in segs[1:]:
                target = (target[:-1] or ["crate"]) if seg == "super" else target + [seg] * (seg != "self")
            shown = [s for n, s in enumerate(segs) if n == 0 or s != "self"]
            name = reexport and (alias or shown[-1])
            yield target, text.count("\n", 0, pos) + 1, "::".join(shown), name if name != "*" else None


def check_crate(src_dir):
    has_lib, files = os.path.exists(os.path.join(src_dir, "lib.rs")), {}
    for dirpath, dirnames, names in os.walk(src_dir):
        dirnames[:] = sorted(d for d in dirnames if not (dirpath == src_dir and d == "bin"))
        for name in sorted(n for n in names if n.endswith(".rs")):
            rel = os.path.relpath(os.path.join(dirpath, name), src_dir)
            parts = rel[:-3].split(os.sep)
            if not (has_lib and parts == ["main"]):
                files[rel] = ("crate", *([] if parts in (["lib"], ["main"]) else parts[: -1 if parts[-1] == "mod" else None]))
    if ("crate",) not in files.values():
        sys.exit(print(f"error: {src_dir} has no lib.rs or main.rs", file=sys.stderr) or 2)
    code, test_mods = {}, set()
    for rel, mod in files.items():
        code[rel], tests = read_module(os.path.join(src_dir, rel))
        test_mods.update(mod + (t,) for t in tests)
    module_file = {mod: rel for rel, mod in files.items() if not any(mod[: len(t)] == t for t in test_mods)}
    uses = {rel: list(module_paths(code[rel], files[rel])) for rel in module_file.values()}
    named = {rel: {name: target for target, _, _, name in uses[rel] if name} for rel in uses}

    def resolve(target):
        for _ in range(20):  # follow at most 20 re-exports
            k = next(k for k in range(len(target), 0, -1) if tuple(target[:k]) in module_file)
            dest = module_file[tuple(target[:k])]
            via = named[dest].get(target[k]) if k < len(target) else None
            if not via or via == target[: k + 1]:
                break
            target = via + target[k + 1 :]
        return dest

    edges = {rel: {} for rel in uses}  # A -> {B: {line: [path, ...]}}
    for rel in uses:
        for target, line, shown, _ in uses[rel]:
            if (dest := resolve(target)) != rel:
                edges[rel].setdefault(dest, {}).setdefault(line, []).append(shown)

    comps, cycles = strongly_connected(edges), 0
    for comp in comps:
        print(f"import cycle group in {src_dir} ({len(comp)} modules): {', '.join(sorted(comp))}")
        todo = {(u, v) for u in comp for v in edges[u] if v in comp}
        while todo:  # print the shortest cycle through a not yet shown edge, until all are shown
            loop = min(([u] + bfs_path(edges, comp, v, u) for u, v in todo), key=lambda c: (len(c), c))
            cycles += 1
            print(f"cycle in {src_dir}: " + " -> ".join(loop))
            for a, b in zip(loop, loop[1:]):
                for line, shown in sorted(edges[a][b].items()) if (a, b) in todo else []:
                    print(f"  {os.path.join(src_dir, a)}:{line} uses {', '.join(dict.fromkeys(shown))}")
                todo.discard((a, b))
    verdict = f"{cycles} cycle{'s' * (cycles != 1)} among {sum(map(len, comps))} modules" if comps else "no cycles"
    print(f"{src_dir}: {len(edges)} modules, {sum(map(len, edges.values()))} imports, {verdict}")
    return bool(comps)


def strongly_connected(edges):
    """Tarjan's algorithm; returns the components with more than one node."""
    sys.setrecursionlimit(max(10000, 4 * len(edges)))
    index, low, stack, comps = {}, {}, [], []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = stack[stack.index(v) :]
            del stack[stack.index(v) :]
            if len(comp) > 1:
                comps.append(set(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return comps


def bfs_path(edges, comp, start, goal):
    """Shortest path start -> goal inside comp, as a list of nodes."""
    prev, queue = {start: None}, deque([start])
    while queue and goal not in prev:
        for w in sorted(edges[u := queue.popleft()]):
            if w in comp and w not in prev:
                prev[w] = u
                queue.append(w)
    path = [goal]
    while prev[path[-1]] is not None:
        path.append(prev[path[-1]])
    return path[::-1]


def main():
    if not (dirs := sys.argv[1:]):  # the defaults are relative to the repository root
        os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        dirs = DEFAULT_DIRS
    for d in dirs:
        if not os.path.isdir(d):
            sys.exit(print(f"error: {d} is not a directory", file=sys.stderr) or 2)
    sys.exit(int(any([check_crate(os.path.normpath(d)) for d in dirs])))


if __name__ == "__main__":
    main()
