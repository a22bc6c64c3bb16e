"""The three layers: content loading -> pure engine -> presentation."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "triage"


def test_engine_import_loads_neither_rich_nor_typer() -> None:
    code = (
        "import sys, triage, triage.engine, triage.report, triage.records\n"
        "triage.evaluate\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer', 'click')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def _imports(path: Path) -> set[str]:
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
            str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if lib in _imports(p)
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
            "cli/quick.py",
        ],
        "rich": ["render/batch.py", "render/check.py", "render/results.py"],
        "yaml": [
            "condparse.py",
            "files.py",
            "questionsfile.py",
            "reader.py",
            "rulesfile.py",
            "yamlnodes.py",
        ],
    }


def test_errors_module_imports_nothing_from_the_package() -> None:
    tree = ast.parse((PACKAGE / "errors.py").read_text())
    relative = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level > 0]
    assert relative == []


def test_the_engine_never_prints_prompts_or_opens_files() -> None:
    forbidden = {"print", "input", "open"}
    for name in ("engine.py", "conditions.py", "answers.py", "model.py"):
        tree = ast.parse((PACKAGE / name).read_text())
        called = {
            n.func.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert called & forbidden == set(), name
