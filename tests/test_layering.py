"""The layers, read from the source: imports flow from higher layers to lower ones only.

content files -> `Content`; answers files -> records; the pure engine; results
and their writers; the self-check flow; rendering (rich only); the command
line (typer only).  See docs/architecture.md.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "triage"

# lowest first; a module may import from its own unit or from a lower layer only
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "text", "safeyaml"),
    ("files", "logic"),
    ("model",),
    ("engine",),
    ("content", "intake"),
    ("results", "selfcheck"),
    ("render",),
    ("cli",),
    ("__init__", "__main__"),
)
LAYER = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _unit(module: str) -> str:
    """The layer unit of a module: its subpackage or top-level module."""
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _target(name: str) -> str:
    """The module an imported name lives in: itself when it is a module, else its parent."""
    return name if name in MODULES else name.rpartition(".")[0]


def imports_of(module: str) -> set[str]:
    """Every module of the package that `module` imports, at the top or inside a
    function (a lazy import is still a dependency)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("triage"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                stem = f"{base}.{node.module}" if node.module else base
            elif node.module and node.module.split(".")[0] == "triage":
                stem = node.module
            else:
                continue
            found.update(_target(f"{stem}.{alias.name}") for alias in node.names)
    return {_target(name) if name not in MODULES else name for name in found} - {module}


def test_the_layer_table_names_every_unit_of_the_package() -> None:
    assert {_unit(module) for module in MODULES} == set(LAYER)


def test_no_module_imports_from_a_higher_layer_or_a_sibling_unit() -> None:
    wrong = []
    for module in MODULES:
        unit = _unit(module)
        for imported in imports_of(module):
            other = _unit(imported)
            if other == unit or imported == "triage":
                continue
            if LAYER[other] >= LAYER[unit]:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_there_is_no_import_cycle() -> None:
    graph = {module: imports_of(module) for module in MODULES}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(module: str, chain: list[str]) -> None:
        if state.get(module) == 2:
            return
        if state.get(module) == 1:
            cycles.append(chain[chain.index(module) :] + [module])
            return
        state[module] = 1
        for imported in sorted(graph.get(module, ())):
            visit(imported, chain + [module])
        state[module] = 2

    for module in sorted(graph):
        visit(module, [])
    assert cycles == []


def test_the_import_reader_sees_relative_absolute_and_lazy_imports() -> None:
    """The reader itself, on modules whose imports are known."""
    assert "triage.cli.common" in imports_of("triage.cli.assess")  # from .common import ...
    assert "triage.results.batch" in imports_of("triage.cli.assessing")  # absolute
    assert "triage.render" in imports_of("triage.cli.assessing")  # inside a function
    assert imports_of("triage.errors") == set()


def test_engine_import_loads_neither_rich_nor_typer() -> None:
    code = (
        "import sys, triage, triage.engine.evaluate, triage.results.record, triage.intake.read\n"
        "triage.evaluate\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer', 'click')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _libraries(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_cli_imports_typer_and_only_render_imports_rich() -> None:
    users = {
        lib: sorted(
            str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if lib in _libraries(p)
        )
        for lib in ("typer", "rich", "yaml")
    }
    assert users == {
        "typer": [
            "cli/__init__.py",  # only for type checking
            "cli/assess.py",
            "cli/check.py",
            "cli/common.py",
            "cli/content.py",
            "cli/export.py",
            "cli/report.py",
        ],
        "rich": ["render/batch.py", "render/check.py", "render/results.py"],
        "yaml": [
            "content/cache.py",  # the PyYAML version is part of a cache entry's key
            "content/conditions.py",
            "content/nodes.py",
            "content/patterns.py",
            "content/questions.py",
            "content/rules.py",
            "content/second.py",
            "files.py",
            "safeyaml.py",
        ],
    }


def test_the_base_modules_import_nothing_from_the_package() -> None:
    for name in ("errors", "text", "safeyaml"):
        assert imports_of(f"triage.{name}") == set(), name


def test_the_engine_never_prints_prompts_or_opens_files() -> None:
    forbidden = {"print", "input", "open"}
    pure = [
        PACKAGE / "model.py",
        *(PACKAGE / "engine").glob("*.py"),
        *(PACKAGE / "logic").glob("*.py"),
    ]
    for path in pure:
        tree = ast.parse(path.read_text())
        called = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert called & forbidden == set(), path.name


def test_each_module_is_about_300_lines_at_most() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: size for name, size in sizes.items() if size > 310} == {}
