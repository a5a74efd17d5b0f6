"""Damaged WARCs (issue 9, item 5): read up to the damage, skip to the next record, one line per
damaged region naming its offset (never raw bytes), exit status 1."""

from __future__ import annotations

import functools
import gzip

import pytest

from cli import main
from db import Archive
from scraper.warcscan import Damage, RecordInfo, scan_warc
from scraper.warcstore import WarcReplay
from tests.conftest import FIXTURES
from tests.scraper.test_fmprc_replay import no_network  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("no_network")  # replay and import never reach the network
WARC = FIXTURES / "scraper" / "fmprc-subset.warc.gz"
ALL = 105  # statements the whole file gives (35 cn-mfa-en + 70 cn-mfa-zh)


@functools.cache
def records() -> list[RecordInfo]:
    items = list(scan_warc(WARC))
    assert not [i for i in items if isinstance(i, Damage)]
    return items


def record_at(fraction: float) -> RecordInfo:
    """The response record that holds the byte at `fraction` of the file."""
    size = WARC.stat().st_size
    return next(
        r
        for r in records()
        if r.offset <= size * fraction < r.offset + r.length and r.rec_type == "response"
    )


def damaged(tmp_path, name: str, change) -> tuple:
    data = bytearray(WARC.read_bytes())
    change(data)
    path = tmp_path / name
    path.write_bytes(bytes(data))
    return path


def zeroed_record(tmp_path) -> tuple[RecordInfo, object]:
    """A copy with 64 zero bytes inside the response record a third into the file."""
    hit = record_at(0.33)
    start = hit.offset + 40
    return hit, damaged(
        tmp_path, "zeroed.warc.gz", lambda d: d.__setitem__(slice(start, start + 64), bytes(64))
    )


def run_import(tmp_path, path, capsys) -> tuple[int, list[str], int]:
    status = main(["--archive", str(tmp_path / "arc"), "import", str(path)])
    err = capsys.readouterr().err
    with Archive.open(tmp_path / "arc") as arc:
        statements = arc.stats()["statements"]
    return status, err.splitlines(), statements


def assert_clean(lines: list[str]) -> None:
    """Plain words: no control characters, no replacement characters, no escaped bytes."""
    for line in lines:
        assert line.isprintable(), line
        assert "\\x" not in line
        assert "\ufffd" not in line


@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_a_truncated_warc_imports_what_precedes_the_cut_and_exits_1(fraction, tmp_path, capsys):
    cut = record_at(fraction)
    size = WARC.stat().st_size
    path = damaged(
        tmp_path, "cut.warc.gz", lambda d: d.__delitem__(slice(int(size * fraction), None))
    )
    status, lines, statements = run_import(tmp_path, path, capsys)
    assert status == 1
    assert lines == [
        f"communique: {path}: damaged at offset {cut.offset}: the file ends inside this "
        "record (truncated); nothing readable after it"
    ]
    before = sum(1 for r in records() if r.rec_type == "response" and r.offset < cut.offset)
    assert 0 < statements <= before < ALL


def test_flipped_bytes_cost_one_record_and_are_reported_once(tmp_path, capsys):
    hit = record_at(0.33)
    middle = hit.offset + hit.length // 2

    def flip(d):
        for i in range(64):
            d[middle + i] ^= 0xFF

    path = damaged(tmp_path, "flipped.warc.gz", flip)
    status, lines, statements = run_import(tmp_path, path, capsys)
    assert status == 1
    [line] = lines
    end = hit.offset + hit.length
    assert line.startswith(
        f"communique: {path}: damaged at offset {hit.offset}: corrupt compressed"
    )
    assert line.endswith(f"reading resumed at offset {end}")
    assert_clean(lines)
    assert statements == ALL - 1  # only the damaged record is lost


def test_a_zeroed_block_is_skipped_to_the_next_record(tmp_path, capsys):
    hit = record_at(0.6)
    start = hit.offset + 10

    def zero(d):
        d[start : start + 4096] = bytes(4096)

    path = damaged(tmp_path, "zeroed.warc.gz", zero)
    status, lines, statements = run_import(tmp_path, path, capsys)
    assert status == 1
    assert len(lines) == 1
    assert f"damaged at offset {hit.offset}:" in lines[0]
    assert_clean(lines)
    lost = sum(
        1
        for r in records()
        if r.rec_type == "response" and start <= r.offset + r.length and r.offset < start + 4096
    )
    assert statements >= ALL - lost
    assert statements < ALL


def test_replay_of_a_damaged_warc_reports_the_damage(tmp_path, capsys):
    hit, path = zeroed_record(tmp_path)
    replay = WarcReplay(path)
    [damage] = replay.damages
    assert damage.start == hit.offset
    assert hit.url not in replay.index or replay.index[hit.url] != (hit.offset, hit.length)
    status = main(
        [
            "--archive",
            str(tmp_path / "arc"),
            "scrape",
            "--replay",
            str(path),
            "cn-mfa-en",
            "cn-mfa-zh",
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f"damaged at offset {hit.offset}" in err


def test_an_uncompressed_warc_cut_short_is_reported(tmp_path):
    plain = gzip.decompress(WARC.read_bytes())
    path = tmp_path / "plain.warc"
    path.write_bytes(plain[: len(plain) * 3 // 4])
    items = list(scan_warc(path))
    [damage] = [i for i in items if isinstance(i, Damage)]
    assert items[-1] is damage
    assert damage.reason == "the file ends inside this record (truncated)"
    whole = [i for i in items if isinstance(i, RecordInfo)]
    assert whole[-1].offset + whole[-1].length == damage.start
    assert len(whole) < len(records())


@pytest.mark.parametrize("seed", range(24))
def test_random_damage_loses_only_the_records_it_touches(seed, tmp_path):
    import random

    rng = random.Random(seed)
    data = bytearray(WARC.read_bytes())
    originals = records()
    kind = ("flip", "zero", "cut")[seed % 3]
    start = rng.randrange(len(data))
    length = rng.choice((1, 8, 64, 4096))
    if kind == "flip":
        for i in range(start, min(start + length, len(data))):
            data[i] ^= rng.randrange(1, 256)
    elif kind == "zero":
        data[start : start + length] = bytes(len(data[start : start + length]))
    else:
        del data[start:]
    path = tmp_path / f"{kind}.warc.gz"
    path.write_bytes(bytes(data))
    items = list(scan_warc(path))
    whole = [i for i in items if isinstance(i, RecordInfo)]
    damages = [i for i in items if isinstance(i, Damage)]
    end = WARC.stat().st_size if kind == "cut" else start + length
    assert set(whole) <= set(originals)  # nothing invented, nothing misread
    untouched = [r for r in originals if r.offset + r.length <= start or r.offset >= end]
    assert set(untouched) <= set(whole)  # everything outside the damage is kept
    assert len(damages) <= 1
    for damage in damages:
        assert damage.line().isprintable()
        assert damage.start <= start < damage.end or kind == "cut"


def test_reading_a_damaged_capture_says_so_in_one_clean_line(tmp_path, capfd):
    from scraper.warcstore import WarcError, read_exchange

    hit, path = zeroed_record(tmp_path)
    with pytest.raises(WarcError) as caught:
        read_exchange(path, hit.offset)
    message = str(caught.value)
    assert message.startswith(f"{path}: offset {hit.offset}: damaged record: corrupt compressed")
    assert message.isprintable()
    assert capfd.readouterr().err == ""  # warcio never got to print zlib errors or raw bytes
    assert read_exchange(path, records()[1].offset).status is not None  # others still read
