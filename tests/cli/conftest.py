"""A replayed fmprc archive (real captures, no network) plus imported records, shared by the
citation and WACZ tests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cli import main
from db import Archive
from scraper.crawl import Crawl, CrawlOptions
from scraper.sources import load_sources
from tests.conftest import FIXTURES

WARC = FIXTURES / "scraper" / "fmprc-subset.warc.gz"
EDITED = FIXTURES / "db" / "edited.jsonl"


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> Path:
    """An archive holding the fmprc captures replayed from the WARC fixture (no network)."""
    folder = tmp_path_factory.mktemp("replayed") / "arc"
    sources = load_sources()
    real_connect = socket.socket.connect

    def refuse(self, address):
        if address[0] not in ("127.0.0.1", "::1"):
            raise AssertionError(f"network call during replay: {address}")
        return real_connect(self, address)

    socket.socket.connect = refuse
    try:
        with Archive.open(folder, create=True) as archive:
            Crawl(
                archive, [sources["cn-mfa-en"], sources["cn-mfa-zh"]], CrawlOptions(replay=WARC)
            ).run()
    finally:
        socket.socket.connect = real_connect
    assert main(["--archive", str(folder), "import", str(EDITED)]) == 0
    return folder
