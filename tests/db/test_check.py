"""Issue 9 item 9: `check` verifies the database, every stored text, the search indexes and the
WARC evidence, one line per problem, exit status 1 when there is any."""

import json

from cli import main
from db import Archive, CaptureRecord, StatementInput, archive_id_for
from db.check import check_archive
from db.importer import import_jsonl
from scraper.exchange import Exchange
from scraper.verify import verify_capture
from scraper.warcstore import WarcStore

from .conftest import FIXTURES

FLIP_TEXT = "The quick brown fox checks the archive for flipped bytes."


def _build(folder) -> tuple[Archive, str]:
    arc = Archive.open(folder, create=True)
    for name in ("corpus-sample.jsonl.gz", "edited.jsonl", "languages.jsonl"):
        assert import_jsonl(arc, FIXTURES / name).rejected == []
    store = WarcStore(arc.folder, "test.warc.gz")
    exchange = Exchange(
        url="https://www.state.gov/fox/",
        fetched_at="2022-11-01T10:00:00Z",
        status=200,
        reason="OK",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        raw_body=f"<html><body><p>{FLIP_TEXT}</p></body></html>".encode(),
    )
    store.record(exchange)
    store.close()
    capture_id = arc.add_capture(
        CaptureRecord(
            url=exchange.url,
            fetched_at=exchange.fetched_at,
            status=200,
            warc_file=exchange.warc_file,
            warc_offset=exchange.warc_offset,
            warc_length=exchange.warc_length,
            payload_sha256=exchange.payload_sha256,
        )
    )
    result = arc.add_statement(
        StatementInput("us-state", exchange.url, FLIP_TEXT, title="Fox", capture_id=capture_id)
    )
    return arc, result.archive_id


def _flush(arc: Archive) -> None:
    """Everything into the main database file (no WAL left), then closed."""
    arc.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    arc.close()


def test_a_healthy_archive_with_cjk_statements_checks_clean(tmp_path):
    arc, _ = _build(tmp_path / "arc")
    stages = []
    report = check_archive(
        arc,
        verify_capture=verify_capture,
        on_progress=lambda stage, done, total: stages.append((stage, done, total)),
    )
    versions = arc.stats()["versions"]
    assert report.problems == []  # the CJK index no longer reports "malformed"
    assert report.ok
    assert (report.versions, report.captures) == (versions, 1)
    assert ("texts", versions, versions) in stages
    assert ("captures", 1, 1) in stages
    assert [s for s, _, _ in stages][0] == "database"
    arc.close()
    assert main(["--archive", str(tmp_path / "arc"), "check"]) == 0


def test_check_finds_a_flipped_byte_in_a_stored_text(tmp_path, capsys):
    arc, archive_id = _build(tmp_path / "arc")
    _flush(arc)
    db_file = tmp_path / "arc" / "archive.sqlite"
    data = bytearray(db_file.read_bytes())
    at = data.find(FLIP_TEXT.encode())
    assert at > 0
    assert data.find(FLIP_TEXT.encode(), at + 1) == -1  # the only copy of the text in the file
    data[at + 4] ^= 0x01  # "quick" -> "pquick"… one bit of one byte
    db_file.write_bytes(bytes(data))

    status = main(["--archive", str(tmp_path / "arc"), "check", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 1
    assert out["ok"] is False
    assert f"{archive_id}@1: the stored text does not match its SHA-256 (" in "\n".join(
        out["problems"]
    )


def test_check_finds_a_damaged_warc_record(tmp_path, capsys):
    arc, _ = _build(tmp_path / "arc")
    capture = arc.get_capture(1)
    arc.close()
    warc = tmp_path / "arc" / capture.warc_file
    data = bytearray(warc.read_bytes())
    data[capture.warc_offset + capture.warc_length // 2] ^= 0xFF
    warc.write_bytes(bytes(data))

    assert main(["--archive", str(tmp_path / "arc"), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith(
        f"capture 1 (https://www.state.gov/fox/): {capture.warc_file} at offset "
        f"{capture.warc_offset}: "
    )


def test_check_finds_a_missing_warc_and_a_changed_payload(tmp_path):
    arc, _ = _build(tmp_path / "arc")
    capture = arc.get_capture(1)
    assert verify_capture(arc.folder, capture.warc_file, capture.warc_offset,
                          capture.warc_length, capture.payload_sha256) is None  # fmt: skip
    wrong = verify_capture(
        arc.folder, capture.warc_file, capture.warc_offset, capture.warc_length, "0" * 64
    )
    assert wrong == (
        f"{capture.warc_file} at offset {capture.warc_offset}: the payload's SHA-256 is not the "
        f"one recorded at capture ({'0' * 64})"
    )
    (tmp_path / "arc" / capture.warc_file).unlink()
    report = check_archive(arc, verify_capture=verify_capture)
    assert report.problems == [
        f"capture 1 (https://www.state.gov/fox/): {capture.warc_file}: the WARC file is missing"
    ]
    arc.close()


def test_fts5_tables_are_filled_for_datasette_on_demand_not_at_every_write(tmp_path, capsys):
    """FTS5 serves Datasette only: writes no longer pay for it, `datasette` fills it, and
    `check` (which verifies the search index) does not report the tables as out of step."""
    arc, _ = _build(tmp_path / "arc")
    zh = archive_id_for(
        "cn-mfa-zh", "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1767417.shtml"
    )
    count = "SELECT COUNT(*) FROM {}_docsize"
    assert arc.conn.execute(count.format("statement_fts")).fetchone()[0] == 0
    statements = arc.stats()["statements"]
    arc.close()
    assert main(["--archive", str(tmp_path / "arc"), "datasette"]) == 0
    assert "full-text tables filled in " in capsys.readouterr().out
    arc = Archive.open(tmp_path / "arc")
    assert arc.conn.execute(count.format("statement_fts")).fetchone()[0] == statements
    cjk = arc.conn.execute(
        """SELECT s.archive_id FROM statement_fts_cjk f JOIN versions v ON v.id = f.rowid
           JOIN statements s ON s.id = v.statement_id"""
    ).fetchall()
    assert [r[0] for r in cjk] == [zh]  # the trigram table holds the Chinese statement only
    assert check_archive(arc).problems == []
    arc.close()


def test_check_can_be_cancelled(tmp_path):
    arc, _ = _build(tmp_path / "arc")
    asked = []
    report = check_archive(arc, cancelled=lambda: asked.append(1) or True)
    assert report.cancelled
    assert not report.ok
    assert asked == [1]
    assert report.versions == 0  # stopped before reading any text
    arc.close()


def test_check_on_a_read_only_connection_says_what_it_skipped(tmp_path):
    arc, _ = _build(tmp_path / "arc")
    arc.close()
    with Archive.open(tmp_path / "arc", readonly=True) as ro:
        report = check_archive(ro, verify_capture=verify_capture)
        versions = ro.stats()["versions"]
    assert report.problems == []
    assert report.skipped == ["search index: not checked (the archive is open read-only)"]
    assert (report.versions, report.captures) == (versions, 1) == (75, 1)


def test_a_zeroed_page_is_reported_as_lines_never_a_traceback(tmp_path, capsys):
    arc, _ = _build(tmp_path / "arc")
    page_size = arc.conn.execute("PRAGMA page_size").fetchone()[0]
    (page,) = arc.conn.execute(  # a leaf page of the versions table (not a free page)
        "SELECT pageno FROM dbstat WHERE name = 'versions' AND pagetype = 'leaf' "
        "ORDER BY pageno LIMIT 1 OFFSET 2"
    ).fetchone()
    _flush(arc)
    db_file = tmp_path / "arc" / "archive.sqlite"
    data = bytearray(db_file.read_bytes())
    start = (page - 1) * page_size
    data[start : start + page_size] = bytes(page_size)
    db_file.write_bytes(bytes(data))

    status = main(["--archive", str(tmp_path / "arc"), "check"])
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip()
    lines = out.splitlines()
    assert all(line.strip() for line in lines)
    assert "Traceback" not in err
    # The damage stops neither the other stages nor the count of what was checked.
    assert any("database disk image is malformed" in line for line in lines)
    assert err.rstrip().endswith(f"{len(lines)} problems" if len(lines) > 1 else "1 problem")


def test_check_runs_beside_a_writer_without_waiting_or_reporting_a_lock(tmp_path):
    """`check` only reads (FTS5's integrity-check, an INSERT, is gone): a writer holding the
    archive neither delays it nor makes it report anything."""
    arc, _ = _build(tmp_path / "arc")
    waits: list[str] = []
    with arc.transaction():
        arc.add_statement(StatementInput("us-state", "https://www.state.gov/w/", "Written."))
        with Archive.open(tmp_path / "arc") as checker:
            checker.on_wait = waits.append
            report = check_archive(checker, verify_capture=verify_capture)
    assert (report.problems, report.skipped, waits) == ([], [], [])
    assert report.versions == arc.stats()["versions"] - 1  # the snapshot before the write
    arc.close()
