"""Shared test set-up: Qt runs offscreen, fixtures are read from tests/fixtures/."""

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from viewer.pyside_guard import protect_none  # noqa: E402

protect_none()  # a PySide6 build that frees None on Python 3.11 must not crash any test run

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(*parts: str) -> bytes:
    """The bytes of a saved fixture file."""
    return FIXTURES.joinpath(*parts).read_bytes()


@pytest.fixture
def archive(tmp_path):
    """A fresh, empty archive in a temporary folder."""
    from db import Archive

    arc = Archive.open(tmp_path / "archive", create=True)
    yield arc
    arc.close()


@pytest.fixture(autouse=True)
def _bug_log_in_tmp(tmp_path_factory, monkeypatch):
    """Internal errors are logged under a temporary folder, never the user's log directory."""
    monkeypatch.setenv("COMMUNIQUE_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
