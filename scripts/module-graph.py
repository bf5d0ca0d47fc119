#!/usr/bin/env python3
"""Checks the shape of `app/src`: one folder per business capability, no cycles across them.

The graph is read from the source, not from the compiler: every `crate::…`, `super::…` and
`self::…` path (in `use` trees, however nested, and inline in code) is resolved to the longest
module it names, and each such reference is an edge between two modules. Then:

1. No module cycle may span two top-level folders: a cycle inside `requests/` is that
   capability's own business; a cycle between `requests` and `surveys` means neither can be
   read, moved or tested without the other.
2. The folders themselves form a DAG (the layering of DESIGN.md: platform → live → accounts →
   catalogue → requests → {workspace, detractors}; detractors → surveys).
3. `platform/` imports no capability: only the shared kernel (`error`, `organization`,
   `tabular`, `timers`) and itself.
4. `lib.rs` is the map of screens: capabilities do not reach back into it.

Run with no arguments from the repository root; `--graph` also prints the folder graph.
Exit status 1 and a list of the offending edges when a rule is broken.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "app" / "src"

# Modules every capability may use and that use no capability themselves.
KERNEL = {"error", "organization", "tabular", "timers"}
# Layers below which `platform` must stay.
PLATFORM_MAY_USE = KERNEL | {"platform"}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_of(path: Path) -> tuple:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("mod", "lib"):
        parts = parts[:-1]
    return tuple(parts)


def strip(source: str) -> str:
    """Source without comments and string/char literals, so prose cannot add edges."""
    out = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        elif source.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if source.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif source.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', source[i:i + 10]) and (i == 0 or not (source[i - 1].isalnum() or source[i - 1] == "_")):
            m = re.match(r'r(#*)"', source[i:])
            end = source.find('"' + m.group(1), i + len(m.group(0)))
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            j = i + 1
            while j < n and source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", source[i:i + 4] if source[i + 1:i + 2] != "\\" else source[i:i + 12]):
            m = re.match(r"'(\\[^']*|[^\\'])'", source[i:])
            i += len(m.group(0)) if m else 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use_tree(tree: str) -> list:
    """`a::{b, c::{d, e as f}, self}` → ['a::b', 'a::c::d', 'a::c::e', 'a']."""
    tree = re.sub(r"\s+as\s+", "@", tree)
    tree = re.sub(r"\s+", "", tree)
    paths = []

    def walk(prefix: str, text: str):
        depth, start, items = 0, 0, []
        for k, ch in enumerate(text):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                items.append(text[start:k])
                start = k + 1
        items.append(text[start:])
        for item in filter(None, items):
            brace = item.find("{")
            if brace >= 0:
                head = item[:brace].rstrip(":")
                walk(join(prefix, head), item[brace + 1:item.rfind("}")])
            else:
                item = item.split("@")[0]
                if item == "self":
                    paths.append(prefix)
                elif item != "*":
                    paths.append(join(prefix, item))
                else:
                    paths.append(prefix)

    walk("", tree)
    return paths


def join(a: str, b: str) -> str:
    return b if not a else (a if not b else f"{a}::{b}")


def resolve(path: str, here: tuple, is_dir_module: bool) -> tuple | None:
    """An absolute module-path tuple for `crate::`/`super::`/`self::` paths, else None."""
    parts = path.split("::")
    if parts[0] == "crate":
        return tuple(parts[1:])
    # `self` is the module itself; `super` its parent (for `foo.rs` and `foo/mod.rs` alike).
    base = list(here)
    if parts[0] == "self":
        return tuple(base + parts[1:])
    if parts[0] == "super":
        while parts and parts[0] == "super":
            base = base[:-1]
            parts = parts[1:]
        return tuple(base + parts)
    return None


def main() -> int:
    files = sorted(ROOT.rglob("*.rs"))
    modules = {module_of(f) for f in files}
    edges = {}  # (from, to) -> first file:line

    for f in files:
        here = module_of(f)
        text = strip(f.read_text())
        refs = []
        for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", text):
            line = text.count("\n", 0, m.start()) + 1
            refs += [(p, line) for p in expand_use_tree(m.group(1))]
        without_uses = re.sub(r"\buse\s+(?:crate|super|self)\b[^;]*;", lambda m: "\n" * m.group(0).count("\n"), text)
        for m in re.finditer(rf"\b(?:crate|super|self)(?:::(?:super|{IDENT}))+", without_uses):
            line = without_uses.count("\n", 0, m.start()) + 1
            refs.append((m.group(0), line))
        for path, line in refs:
            target = resolve(path, here, f.name == "mod.rs")
            if target is None:
                continue
            # The longest prefix that is a module of ours.
            while target and target not in modules:
                target = target[:-1]
            if target == here or (target == () and path.startswith("crate::") is False):
                continue
            edges.setdefault((here, target), f"{f.relative_to(ROOT.parent.parent)}:{line}")

    problems = []
    name = lambda m: "::".join(m) or "crate (lib.rs)"
    folder = lambda m: m[0] if m else "(lib.rs)"

    # Rule 4: nobody reaches back into lib.rs.
    for (a, b), at in sorted(edges.items()):
        if b == () and a != ():
            problems.append(f"{at}: {name(a)} uses lib.rs; lib.rs is the route table only")

    # Rule 3: platform stays below the capabilities.
    for (a, b), at in sorted(edges.items()):
        if a and a[0] == "platform" and b and b[0] not in PLATFORM_MAY_USE:
            problems.append(f"{at}: platform module {name(a)} uses capability {name(b)}")
        if a and a[0] in KERNEL and b and b[0] not in KERNEL:
            problems.append(f"{at}: kernel module {name(a)} uses {name(b)}")

    # Rule 1: strongly connected components (Tarjan) spanning folders.
    graph = {}
    for (a, b) in edges:
        if a != () and b != ():
            graph.setdefault(a, set()).add(b)
    for comp in sccs(graph):
        folders = {folder(m) for m in comp}
        if len(folders) > 1:
            inner = sorted((a, b) for (a, b) in edges if a in comp and b in comp and folder(a) != folder(b))
            problems.append(
                "module cycle across " + ", ".join(sorted(folders)) + ":\n" +
                "\n".join(f"    {edges[e]}: {name(e[0])} -> {name(e[1])}" for e in inner))

    # Rule 2: the folder graph is a DAG.
    fgraph = {}
    for (a, b), at in edges.items():
        if a and b and folder(a) != folder(b):
            fgraph.setdefault(folder(a), {}).setdefault(folder(b), at)
    for comp in sccs({k: set(v) for k, v in fgraph.items()}):
        if len(comp) > 1:
            lines = [f"    {fgraph[a][b]}: {a} -> {b}" for a in sorted(comp) for b in sorted(fgraph.get(a, {})) if b in comp]
            problems.append("folder cycle " + " <-> ".join(sorted(comp)) + ":\n" + "\n".join(lines))

    if "--graph" in sys.argv:
        for a in sorted(fgraph):
            print(f"{a} -> {', '.join(sorted(fgraph[a]))}")
    if problems:
        print("module-graph: the shape of app/src is broken:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"module-graph: {len(modules)} modules, {len(edges)} edges; no cycle across folders, platform below the capabilities")
    return 0


def sccs(graph: dict) -> list:
    """Tarjan's strongly connected components, iteratively (the graph is small, but deep)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]
    nodes = set(graph) | {b for bs in graph.values() for b in bs}
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.add(w)
                    if w == node:
                        break
                result.append(comp)
    return result


if __name__ == "__main__":
    sys.exit(main())
