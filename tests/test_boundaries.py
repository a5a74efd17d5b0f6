"""db/, scraper/ and compare/ never import Qt: every module imports with Qt made unavailable."""

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
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError:
        continue
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
