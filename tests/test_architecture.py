"""The import layers of docs/architecture.md hold: no module imports (at module level) from a
layer above its own, and the module-level import graph has no cycle."""

import ast
import os

import pytest

PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "socialchoice")

LAYERS = {
    0: ["errors", "_config", "_random", "_registry", "_validation", "_chunks", "_compat"],
    1: ["_kernels"],
    2: ["profiles", "results"],
    3: ["xr"],  # the DataArray adapter: families call it; it reaches families only by registry
    4: ["rules", "welfare", "bargaining", "divergence", "stats", "generate"],
    5: ["io", "datasets", "testing"],
    6: ["axioms", "jury", "tradeoff"],  # families built on the families below
    7: ["cli", "_summary", "_cli_axioms", "_cli_options", "_cli_report", "_report", "report", "__main__"],
    8: ["__init__"],  # the package root re-exports the public names
}
#: within a layer, these may import those (documented in docs/architecture.md)
ALLOWED_SIDEWAYS = {("bargaining", "welfare"), ("stats", "divergence"), ("io", "datasets"),
                    ("datasets", "io"), ("testing", "generate")}


def top(mod: str) -> str:
    return mod.split(".")[0]


def layer_of(name: str) -> int | None:
    for k, names in LAYERS.items():
        if name in names:
            return k
    return None


def modules():
    for root, _, files in os.walk(PKG):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(root, f)
                rel = os.path.relpath(path, PKG)[:-3].replace(os.sep, ".")
                yield rel.removesuffix(".__init__"), path


def module_level_imports(path: str, modname: str):
    tree = ast.parse(open(path, encoding="utf-8").read())
    pkg_parts = modname.split(".")
    is_pkg = path.endswith("__init__.py")
    for node in tree.body:  # module level only: imports inside functions are lazy by design
        stmts = [node]
        if isinstance(node, ast.If) or isinstance(node, ast.Try):
            stmts = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
        for st in stmts:
            if isinstance(st, ast.ImportFrom) and st.level:
                base = pkg_parts if is_pkg else pkg_parts[:-1]
                base = base[: len(base) - (st.level - 1)] if st.level > 1 else base
                if st.module is None:  # from . import sibling
                    for alias in st.names:
                        yield ".".join([*base, alias.name])
                else:
                    yield ".".join([*base, st.module])
            elif isinstance(st, ast.ImportFrom) and st.module and st.module.startswith("socialchoice"):
                yield st.module.removeprefix("socialchoice").lstrip(".")
            elif isinstance(st, ast.Import):
                for alias in st.names:
                    if alias.name.startswith("socialchoice."):
                        yield alias.name.removeprefix("socialchoice.")


GRAPH = {m: sorted(set(module_level_imports(p, m))) for m, p in modules()}


@pytest.mark.parametrize("mod", sorted(m for m in GRAPH if m))
def test_no_upward_imports(mod):
    src = layer_of(top(mod))
    assert src is not None, f"module {mod} is in no layer of docs/architecture.md"
    for target in GRAPH[mod]:
        t = top(target)
        if not t or t == top(mod):
            continue
        dst = layer_of(t)
        assert dst is not None, f"{mod} imports {target}, which is in no layer"
        sideways_ok = src in (0, 7) or (top(mod), t) in ALLOWED_SIDEWAYS  # foundations, front ends
        assert dst < src or (dst == src and sideways_ok), \
            f"{mod} (layer {src}) imports {target} (layer {dst})"


def test_no_import_cycles():
    def resolve(target):
        while target and target not in GRAPH:
            target = target.rpartition(".")[0]
        return target

    edges = {m: {resolve(t) for t in ts if resolve(t) and resolve(t) != m} for m, ts in GRAPH.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in edges.get(m, ()):
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(n):] + [n]))
            if state.get(n) is None:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in edges:
        if m not in state:
            visit(m)


def test_code_cites_only_files_the_repository_has():
    """Citations point at docs/ (in the repo), never at the design spec outside it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    bad = []
    for d in ("socialchoice", "tests", "benchmarks", "examples", "proofs"):
        for p in (root / d).rglob("*.py"):
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"(?<![\w/])spec/[a-z-]+\.md", line) and "docs/" not in line:
                    bad.append(f"{p.relative_to(root)}:{i}")
    assert not bad, bad
