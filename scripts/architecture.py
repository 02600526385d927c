"""Draw Détente's rooms and their imports from the code, and check the import rules.

Usage: ``python scripts/architecture.py`` rewrites the diagram block of docs/architecture.md;
``python scripts/architecture.py --check`` exits 1 if the block is stale or a rule is broken.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "detente"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- rooms:begin (scripts/architecture.py) -->", "<!-- rooms:end -->"

#: room -> layer; a room may import only rooms of lower layers (a higher number is lower)
LAYERS: dict[str, int] = {
    "cli": 0,
    "api": 1,
    "report": 2,
    "theatres": 3,
    "alerts": 3,
    "forecast": 4,
    "analysis": 4,
    "update": 4,
    "bargaining": 5,
    "indicators": 5,
    "kb": 6,
    "store": 7,
    "sources": 8,
    "ontology": 9,
    "core": 10,
}
#: top-level modules that are not packages, and the room each belongs to
MODULE_ROOMS: dict[str, str] = {
    "store": "store",
    "manifest": "store",
    "rules": "ontology",
    "ingest": "store",
    "backends": "store",
    "engines": "store",
    "coverage": "update",
    "alerts": "alerts",
    "verdict": "alerts",
    "journal": "core",
    "update": "update",
    "gdelt_bigquery": "update",
    "scope": "sources",
    "schema": "core",
    "validation": "core",
    "config": "core",
    "dyad": "core",
    "output": "cli",
    "_json": "core",
    "_lazy": "core",
    "_extras": "core",
    "_estimator": "core",
    "_util": "core",
    "__init__": "core",
}
#: edges allowed although they point upwards, each with its reason
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("core", "store"): "the package root re-exports Store and IngestReport",
}


def room_of(module: str) -> str:
    """Room of a dotted module name inside ``detente`` (``detente.kb.tables`` -> ``kb``)."""
    parts = module.split(".")[1:]
    if not parts:
        return "core"
    head = parts[0]
    if (PACKAGE / head).is_dir():
        return head
    return MODULE_ROOMS.get(head, head)


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    base = PACKAGE.parent / dotted.replace(".", "/")
    return base.is_dir() or base.with_suffix(".py").is_file()


def _imports(path: Path) -> set[str]:
    """Absolute ``detente.*`` modules imported by a file (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "detente")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "detente":
                continue
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names if _is_module(f"{target}.{a.name}"))
    return found


def room_graph() -> dict[str, dict[str, int]]:
    """room -> imported room -> number of import statements (files) behind the edge."""
    graph: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path in sorted(PACKAGE.rglob("*.py")):
        src = room_of(_module_name(path))
        graph.setdefault(src, defaultdict(int))
        for target in {room_of(m) for m in _imports(path)}:
            if target != src:
                graph[src][target] += 1
    return graph


def violations(graph: dict[str, dict[str, int]]) -> list[str]:
    """Edges that break the layer rule, and rooms the rule does not know."""
    problems = [f"room {r!r} has no layer in scripts/architecture.py" for r in graph if r not in LAYERS]
    for src, targets in graph.items():
        for dst in targets:
            upward = src in LAYERS and dst in LAYERS and LAYERS[dst] <= LAYERS[src]
            if upward and (src, dst) not in EXCEPTIONS:
                problems.append(f"{src} (layer {LAYERS[src]}) imports {dst} (layer {LAYERS[dst]})")
    return problems


def mermaid(graph: dict[str, dict[str, int]]) -> str:
    """The room graph as a Mermaid flowchart, one subgraph per layer."""
    lines = ["```mermaid", "flowchart TD"]
    by_layer: dict[int, list[str]] = defaultdict(list)
    for room in sorted(graph):
        by_layer[LAYERS.get(room, 99)].append(room)
    for layer in sorted(by_layer):
        lines.append(f"  subgraph L{layer}[layer {layer}]")
        lines.extend(f"    {room}" for room in by_layer[layer])
        lines.append("  end")
    for src in sorted(graph):
        for dst in sorted(graph[src]):
            lines.append(f"  {src} --> {dst}")
    lines.append("```")
    return "\n".join(lines)


def block(graph: dict[str, dict[str, int]]) -> str:
    """The generated part of docs/architecture.md."""
    return f"{BEGIN}\n{mermaid(graph)}\n{END}"


def main(argv: list[str]) -> int:
    """Rewrite or check the diagram block; print rule violations."""
    graph = room_graph()
    problems = violations(graph)
    for p in problems:
        print(p, file=sys.stderr)
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    fresh = head + block(graph) + tail
    if "--check" in argv:
        if fresh != text:
            print("docs/architecture.md is stale: run python scripts/architecture.py", file=sys.stderr)
            return 1
        return 1 if problems else 0
    DOC.write_text(fresh, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
