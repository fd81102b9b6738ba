"""The tree is the architecture: each package imports only the layers below it.

Read from the source with `ast`, so a forbidden import fails here, in review,
rather than as a slow start or a terminal library inside the engine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "journey"
TERMINAL = {"typer", "click", "rich", "questionary", "prompt_toolkit"}
FOUNDATION = {"journey", "journey.errors", "journey.text", "journey.safeyaml", "journey.shapecheck"}

# What each layer may import of journey, besides itself (package prefixes).
ALLOWED: dict[str, set[str]] = {
    "foundation": set(),
    "journey.routes": set(),
    "journey.records.format": set(),
    "journey.walk": {"journey.routes", "journey.records.format"},
    "journey.records": {"journey.routes", "journey.walk"},
    "journey.cli": {"journey.routes", "journey.walk", "journey.records"},
    "journey.__main__": {"journey.cli"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    for name in sorted(ALLOWED, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    raise AssertionError(f"{module} belongs to no layer: add it to tests/project/test_layers.py")


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def may_import(importer: str, imported: str) -> bool:
    own = layer(importer)
    if imported in FOUNDATION or imported == "journey.__version__":
        return True
    if own == "foundation":
        return False
    if imported == own or imported.startswith(own + "."):
        return True
    return any(imported == a or imported.startswith(a + ".") for a in ALLOWED[own])


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_each_module_imports_only_the_layers_below_it(path: Path) -> None:
    me = module_name(path)
    found = imports(path)
    ours = {m for m in found if m.startswith("journey.") and not _is_name(m)}
    wrong = sorted(m for m in ours if not may_import(me, m))
    terminal = sorted(m for m in found if m.split(".")[0] in TERMINAL)
    if layer(me) == "journey.cli" or me == "journey.__main__":
        terminal = []
    assert (wrong, terminal) == ([], []), f"{me} imports what its layer may not"


def _is_name(dotted: str) -> bool:
    """`journey.walk.engine.Walk` names a class in a module, not a module."""
    parts = dotted.split(".")
    folder = SRC.parent.joinpath(*parts[:-1])
    return (folder.with_suffix(".py")).is_file()


def test_the_main_module_is_three_lines_of_code() -> None:
    code = [
        line
        for line in (SRC / "__main__.py").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(('"""', "#"))
    ]
    assert len(code) <= 4, code


def test_every_package_says_what_it_owns_and_may_import() -> None:
    for init in SRC.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and (init.parent == SRC or "import" in doc), init
