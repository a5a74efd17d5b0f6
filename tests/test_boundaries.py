"""The rooms' boundaries: db/, scraper/ and compare/ never import Qt (every module imports
with Qt made unavailable); the viewer never imports the command line."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import importlib, pkgutil, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6"):
            raise ImportError(f"Qt is not available here: {name}")
        return None

sys.meta_path.insert(0, NoQt())
imported = []
for package in ("db", "scraper", "compare"):
    module = importlib.import_module(package)
    imported.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        importlib.import_module(info.name)
        imported.append(info.name)
print(len(imported))
"""


def test_non_gui_packages_import_without_qt():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 8  # db's modules at least


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_viewer_never_imports_the_command_line():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imported_modules(path) if name.split(".")[0] == "cli"
        )
        for path in sorted((ROOT / "viewer").rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    assert len(offenders) >= 20  # every viewer module was read
