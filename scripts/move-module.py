#!/usr/bin/env python3
"""Moves modules of the `ventanilla-app` crate and rewrites every path that names them.

    python3 scripts/move-module.py ssr::db=platform::db ssr::audit=platform::audit

Each argument is OLD=NEW, two module paths inside the crate (without `crate::`). With
`--paths-only` they may name items (`model::Choice=ui::Choice`) whose code was moved by hand,
and only the paths are rewritten. Otherwise, for each:
the file (`old.rs` or `old/mod.rs` with its folder) moves with `git mv`, the `pub mod`
line leaves its old parent and is added to the new one (a missing `mod.rs` is created),
and every path that reaches the module is rewritten — `use` trees (flattened, mapped and
nested again), inline paths and doc links, `super::`/`self::` paths that the move would
break, in `app/`, `server/`, `load/` and `benches/` (`crate::` inside the app,
`ventanilla_app::` outside it). `cargo fmt` tidies the result; the compiler checks it.

Why a script: moving a capability touches a hundred `use` lines with nested braces, and
doing that by hand is where a refactor goes wrong (DESIGN.md §4, the capability-folders rule).
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
APP_SRC = os.path.join(ROOT, "app", "src")
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_of(path):
    """The module path of an app source file (`app/src/ssr/db.rs` -> ['ssr', 'db'])."""
    rel = os.path.relpath(path, APP_SRC)
    parts = rel[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return parts


def module_file(mod):
    """The file that holds a module, and whether it is a folder module."""
    base = os.path.join(APP_SRC, *mod)
    if os.path.isfile(base + ".rs"):
        return base + ".rs", False
    if os.path.isfile(os.path.join(base, "mod.rs")):
        return os.path.join(base, "mod.rs"), True
    raise SystemExit(f"no module {'::'.join(mod)}")


def parent_file(mod):
    """The file where `pub mod <last>;` of a module is declared."""
    if len(mod) == 1:
        return os.path.join(APP_SRC, "lib.rs")
    return module_file(mod[:-1])[0]


# ---- use trees -------------------------------------------------------------------------

def tokenize(text):
    return re.findall(r"::|[{},*]|" + IDENT, text)


def parse_tree(tokens, i):
    """Parses one use tree from tokens[i:]; returns ([(segments, alias)], next index)."""
    segs = []
    while True:
        tok = tokens[i]
        if tok == "{":
            i += 1
            out = []
            while tokens[i] != "}":
                sub, i = parse_tree(tokens, i)
                out.extend((segs + s, a) for s, a in sub)
                if tokens[i] == ",":
                    i += 1
            return out, i + 1
        if tok == "*":
            return [(segs + ["*"], None)], i + 1
        segs.append(tok)
        i += 1
        if i < len(tokens) and tokens[i] == "::":
            i += 1
            continue
        alias = None
        if i < len(tokens) and tokens[i] == "as":
            alias = tokens[i + 1]
            i += 2
        return [(segs, alias)], i


def render(entries):
    """Nests flat (segments, alias) entries back into one use tree."""
    def leaf(segs, alias):
        return "::".join(segs) + (f" as {alias}" if alias else "")

    groups = {}
    for segs, alias in entries:
        groups.setdefault(segs[0], []).append((segs, alias))
    parts = []
    for head, items in groups.items():
        if len(items) == 1:
            segs, alias = items[0]
            if len(segs) == 2 and segs[1] == "self":
                parts.append(leaf([head], alias))
            else:
                parts.append(leaf(segs, alias))
            continue
        inner = render([(segs[1:] if len(segs) > 1 else ["self"], alias) for segs, alias in items])
        parts.append(head + "::" + inner)
    if len(parts) == 1:
        return parts[0]
    return "{" + ", ".join(parts) + "}"


# ---- mapping ---------------------------------------------------------------------------

class Mapping:
    def __init__(self, pairs):
        self.pairs = sorted(pairs, key=lambda p: -len(p[0]))

    def map(self, segs):
        """Maps crate-relative segments; returns None when nothing changes."""
        for old, new in self.pairs:
            if segs[: len(old)] == old:
                return new + segs[len(old):]
        return None

    def moved(self, mod):
        return self.map(mod) is not None


def absolute(segs, here):
    """Resolves leading super/self segments against the module `here`."""
    cur = list(here)
    i = 0
    while i < len(segs) and segs[i] in ("super", "self"):
        if segs[i] == "super":
            cur = cur[:-1]
        i += 1
    return cur + segs[i:]


def rewrite_text(text, here, root, mapping):
    """Rewrites one file's text. `here` is its module path (None outside the app crate)."""
    file_moves = here is not None and mapping.moved(here)
    lines = text.split("\n")
    # Inline modules (tests) resolve super:: against themselves: leave them alone.
    stop = len(lines)
    for n, line in enumerate(lines):
        if re.match(r"\s*(pub(\([^)]*\))?\s+)?mod\s+" + IDENT + r"\s*\{", line):
            stop = n
            break
    head, tail = "\n".join(lines[:stop]), "\n".join(lines[stop:])

    roots = ["crate", "ventanilla_app", "super", "self"] if here is not None else ["ventanilla_app"]
    use_re = re.compile(
        r"(?m)^(?P<lead>[ \t]*(?:pub(?:\([^)]*\))?\s+)?use\s+)(?P<tree>(?:"
        + "|".join(roots)
        + r")\b[^;]*);"
    )

    def fix_use(m, in_tail):
        tokens = tokenize(m.group("tree"))
        try:
            entries, end = parse_tree(tokens, 0)
        except IndexError:
            return m.group(0)
        changed = False
        out = []
        for segs, alias in entries:
            first = segs[0]
            if first in ("super", "self"):
                if in_tail or here is None:
                    out.append((segs, alias))
                    continue
                crate_rel = absolute(segs, here)
                mapped = mapping.map(crate_rel)
                if mapped is None and not file_moves:
                    out.append((segs, alias))
                    continue
                out.append((["crate"] + (mapped or crate_rel), alias))
                changed = True
                continue
            if first == "ventanilla_app" or (first == "crate" and here is not None):
                mapped = mapping.map(segs[1:])
                if mapped is not None:
                    out.append(([first] + mapped, alias))
                    changed = True
                    continue
            out.append((segs, alias))
        if not changed:
            return m.group(0)
        # Group entries by root so each use statement keeps one root.
        by_root = {}
        for segs, alias in out:
            by_root.setdefault(segs[0], []).append((segs, alias))
        lead = m.group("lead")
        indent = re.match(r"[ \t]*", lead).group(0)
        stmts = []
        for r, items in by_root.items():
            tree = render(items)
            stmts.append(f"{lead if not stmts else indent + lead.lstrip()}{tree};")
        return "\n".join(stmts)

    head = use_re.sub(lambda m: fix_use(m, False), head)
    tail = use_re.sub(lambda m: fix_use(m, True), tail)

    path_re = re.compile(r"\b(crate|ventanilla_app|super)((?:::" + IDENT + r")+)")

    def fix_path(m, in_tail):
        first = m.group(1)
        segs = m.group(2).split("::")[1:]
        if first == "super":
            if in_tail or here is None:
                return m.group(0)
            # Only a chain of super:: that names a module; keep `super::*`-style items.
            crate_rel = absolute(["super"] + segs, here)
            mapped = mapping.map(crate_rel)
            if mapped is None and not file_moves:
                return m.group(0)
            return "crate::" + "::".join(mapped or crate_rel)
        if first == "crate" and here is None:
            return m.group(0)
        mapped = mapping.map(segs)
        if mapped is None:
            return m.group(0)
        return first + "::" + "::".join(mapped)

    head = path_re.sub(lambda m: fix_path(m, False), head)
    tail = path_re.sub(lambda m: fix_path(m, True), tail)
    return head + ("\n" + tail if stop < len(lines) else "")


def insert_mod_line(text, line):
    """Puts a `pub mod` line after the file's last module declaration, or after its `//!`
    docs and `use` lines when it has none, so the declarations stay at the top."""
    lines = text.split("\n")
    last = None
    for n, l in enumerate(lines):
        if re.match(r"\s*(pub(\([^)]*\))?\s+)?mod\s+" + IDENT + r";", l):
            last = n
        if re.match(r"\s*(#\[cfg\(test\)\]|(pub\s+)?mod\s+" + IDENT + r"\s*\{)", l):
            break
    if last is None:
        k = 0
        while k < len(lines) and lines[k].startswith("//!"):
            k += 1
        gap = [""] if k < len(lines) and lines[k].strip() != "" else []
        return "\n".join(lines[:k] + ["", line.rstrip("\n")] + gap + lines[k:])
    return "\n".join(lines[: last + 1] + [line.rstrip("\n")] + lines[last + 1:])


def rust_files():
    for top in ("app", "server", "load", "benches", "src"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = [d for d in dirnames if d not in ("target", "node_modules")]
            for f in filenames:
                if f.endswith(".rs"):
                    yield os.path.join(dirpath, f)


def main(args):
    # --paths-only: items (types, functions) moved by hand; only the paths are rewritten.
    paths_only = "--paths-only" in args
    args = [a for a in args if a != "--paths-only"]
    pairs = []
    for arg in args:
        old, new = arg.split("=")
        pairs.append((old.split("::"), new.split("::")))
    mapping = Mapping(pairs)

    # 1. Rewrite every reference while the files are still where their paths say.
    for path in rust_files():
        here = module_of(path) if path.startswith(APP_SRC + os.sep) else None
        if path.startswith(os.path.join(ROOT, "src") + os.sep):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        new = rewrite_text(text, here, "crate" if here is not None else "ventanilla_app", mapping)
        if new != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)

    # 2. Move the files and their `pub mod` lines.
    for old, new in ([] if paths_only else pairs):
        src, is_dir = module_file(old)
        decl_re = re.compile(
            r"(?m)^((?:#\[[^\]]*\]\s*\n)*)(pub(?:\([^)]*\))?\s+)?mod\s+" + old[-1] + r";\n"
        )
        pfile = parent_file(old)
        with open(pfile, encoding="utf-8") as f:
            ptext = f.read()
        m = decl_re.search(ptext)
        if not m:
            raise SystemExit(f"no `mod {old[-1]};` in {pfile}")
        attrs = m.group(1)
        ptext = ptext[: m.start()] + ptext[m.end():]
        with open(pfile, "w", encoding="utf-8") as f:
            f.write(ptext)

        dest_base = os.path.join(APP_SRC, *new)
        if is_dir:
            dest = dest_base
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            subprocess.check_call(["git", "mv", os.path.dirname(src), dest], cwd=ROOT)
        else:
            dest = dest_base + ".rs"
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            subprocess.check_call(["git", "mv", src, dest], cwd=ROOT)

        if len(new) == 1:
            nparent = os.path.join(APP_SRC, "lib.rs")
        else:
            pbase = os.path.join(APP_SRC, *new[:-1])
            if os.path.isfile(pbase + ".rs"):
                nparent = pbase + ".rs"
            else:
                nparent = os.path.join(pbase, "mod.rs")
        line = f"{attrs}pub mod {new[-1]};\n"
        if os.path.isfile(nparent):
            with open(nparent, encoding="utf-8") as f:
                ntext = f.read()
            if not re.search(r"(?m)^(pub\s+)?mod\s+" + new[-1] + r";", ntext):
                ntext = insert_mod_line(ntext, line)
        else:
            ntext = line
        with open(nparent, "w", encoding="utf-8") as f:
            f.write(ntext)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1:])
