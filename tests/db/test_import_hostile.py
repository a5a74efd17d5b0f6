"""Issue 9 item 1: one bad record never costs the good ones (each line: all or nothing)."""

import gzip
import json
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from db import Archive, archive_id_for
from db.importer import import_jsonl


def _good(n: int) -> bytes:
    record = {
        "url": f"https://www.state.gov/good-{n}/",
        "source": "us-state",
        "title": f"Good {n}",
        "published": "2022-07-01T10:00:00-04:00",
        "language": "en",
        "text": f"Good line number {n}.",
    }
    return json.dumps(record).encode()


def _bad(field: str, raw_value: bytes) -> bytes:
    """A record that is good except for one raw JSON value."""
    return (
        b'{"url": "https://www.state.gov/bad/", "source": "us-state", "text": "t", '
        + f'"{field}": '.encode()
        + raw_value
        + b"}"
    )


BAD_LINES = {
    "lone surrogate": _bad("title", b'"\\ud800"'),
    "raw invalid UTF-8": _bad("title", b'"\xed\xa0\x80"'),
    "invalid UTF-8 in an ignored key": _bad("comment", b'"\xff"'),
    "raw NUL byte": _bad("title", b'"a\x00b"'),
    "escaped NUL": _bad("text", b'"a\\u0000b"'),
    "nested 100,000 deep": _bad("extra", b"[" * 100_000 + b"]" * 100_000),
    "nested object 100,000 deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "date out of range": _bad("published", b'"9999-12-31T23:59:59-23:59"'),
    "year 0": _bad("published", b'"0000-01-01"'),
    "seen_at out of range": _bad("seen_at", b'"9999-12-31T23:59:59-23:59"'),
    "html a number": _bad("versions", b'[{"text": "a", "html": 5}]'),
    "title a list": _bad("versions", b'[{"text": "a", "title": ["x"]}]'),
    "declared_modified an object": _bad("versions", b'[{"text": "a", "declared_modified": {}}]'),
    "version without text": _bad("versions", b'[{"title": "a"}]'),
    "seen_at of a version in year 0": _bad(
        "versions", b'[{"text": "a", "seen_at": "0000-01-01T00:00:00Z"}]'
    ),
}

REASONS = {
    "lone surrogate": "not valid JSON",
    "raw invalid UTF-8": "not valid UTF-8 (byte 83: ED)",
    "invalid UTF-8 in an ignored key": "not valid UTF-8 (byte 85: FF)",
    "raw NUL byte": "not valid JSON",
    "escaped NUL": "'text' contains a NUL character",
    "nested 100,000 deep": "not valid JSON (nested too deeply)",
    "nested object 100,000 deep": "not valid JSON (nested too deeply)",
    "date out of range": "'published' is not an ISO 8601 date: '9999-12-31T23:59:59-23:59'",
    "year 0": "'published' is not an ISO 8601 date: '0000-01-01'",
    "seen_at out of range": "'seen_at' is not an ISO 8601 time",
    "html a number": "Expected `str | null`, got `int` - at `$.versions[0].html`",
    "title a list": "Expected `str | null`, got `array` - at `$.versions[0].title`",
    "declared_modified an object": "got `object` - at `$.versions[0].declared_modified`",
    "version without text": "missing required field `text` - at `$.versions[0]`",
    "seen_at of a version in year 0": "'versions[].seen_at' is not an ISO 8601 time",
}


def _mixed(tmp_path, name="mixed.jsonl"):
    """Good line, bad line, good line, … ; returns the path and the bad lines' numbers."""
    lines, bad_at = [_good(0)], {}
    for i, (label, bad) in enumerate(BAD_LINES.items(), 1):
        lines.append(bad)
        bad_at[label] = len(lines)
        lines.append(_good(i))
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path, bad_at


def test_each_bad_line_is_named_and_every_good_line_kept(archive, tmp_path):
    path, bad_at = _mixed(tmp_path)
    report = import_jsonl(archive, path)
    good = len(BAD_LINES) + 1
    assert report.new == good
    assert archive.stats()["statements"] == good
    assert len(report.rejected) == len(BAD_LINES)
    for (label, number), line in zip(bad_at.items(), report.rejected, strict=True):
        assert line.startswith(f"{path}:{number}: "), label
        assert REASONS[label] in line, (label, line)
        assert len(line) < 400
        assert "\x00" not in line
        assert "Traceback" not in line
    for i in range(good):
        url = f"https://www.state.gov/good-{i}/"
        assert archive.get_statement(archive_id_for("us-state", url)).current.text == (
            f"Good line number {i}."
        )


def test_cli_import_of_a_mixed_file_keeps_the_good_lines_and_exits_1(tmp_path, capsys):
    path, bad_at = _mixed(tmp_path, "mixed.jsonl.gz")
    status = main(["--archive", str(tmp_path / "arc"), "import", str(path)])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"{len(BAD_LINES) + 1} new, 0 new versions, 0 unchanged, {len(BAD_LINES)} rejected" in (
        out
    )
    assert [line.split(": ", 2)[1] for line in err.splitlines()] == [
        f"{path}:{n}" for n in bad_at.values()
    ]
    with Archive.open(tmp_path / "arc", readonly=True) as arc:
        assert arc.stats()["statements"] == len(BAD_LINES) + 1


def test_gzip_damaged_mid_file_keeps_the_lines_before_and_names_the_line(archive, tmp_path):
    lines = [_good(i) + b" " * 400 for i in range(400)]  # ~170 KB: several deflate blocks
    data = gzip.compress(b"\n".join(lines) + b"\n", compresslevel=1)
    damaged = bytearray(data)
    middle = len(damaged) // 2
    damaged[middle : middle + 64] = bytes(64)  # a zeroed block in the middle
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(bytes(damaged))

    report = import_jsonl(archive, path)

    # Every line wholly decompressed from the bytes before the damage must be kept.
    intact = zlib.decompressobj(wbits=31).decompress(bytes(damaged[:middle]))
    before = intact.count(b"\n")
    assert before > 50
    assert report.new >= before
    last = report.rejected[-1]
    number = int(last.split(": ", 1)[0].rsplit(":", 1)[1])
    assert number > before
    assert last.startswith(f"{path}:{number}: cannot read further, the file is damaged here (")
    assert last.endswith(f"the {number - 1} lines before it were read")
    assert all(c.isprintable() for line in report.rejected for c in line)
    for i in range(before):
        url = f"https://www.state.gov/good-{i}/"
        assert archive.find_statement("us-state", url) is not None


# ------------------------------------------------------------------ fuzzing
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=8,
)
_fields = st.sampled_from(
    ["url", "source", "title", "text", "html", "published", "language", "seen_at", "guid",
     "tags", "versions", "country", "speaker", "declared_modified", "origin"]
)  # fmt: skip
_records = st.dictionaries(_fields, _json_values | st.text(), max_size=8).map(
    lambda d: json.dumps(d).encode()
)
_versions = st.lists(
    st.dictionaries(
        st.sampled_from(["text", "title", "html", "seen_at", "declared_modified"]),
        _json_values,
    ),
    max_size=3,
).map(lambda v: _bad("versions", json.dumps(v).encode()))
_hostile = st.one_of(st.binary(max_size=200), _records, _versions)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_hostile, min_size=1, max_size=6))
def test_fuzzed_lines_never_cost_a_good_line(tmp_path_factory, hostile):
    folder = tmp_path_factory.mktemp("fuzz")
    lines = []
    for i, line in enumerate(hostile):
        lines += [_good(i), line.replace(b"\n", b" ")]
    path = folder / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with Archive.open(folder / "arc", create=True) as arc:
        report = import_jsonl(arc, path)  # never raises
        for i in range(len(hostile)):
            url = f"https://www.state.gov/good-{i}/"
            assert arc.find_statement("us-state", url) is not None
        for line in report.rejected:
            assert line.startswith(f"{path}:")
            assert "\n" not in line
        assert arc.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_sanitiser_failure_rejects_only_its_line(archive, tmp_path):
    lines = [_good(0), _bad("html", b'"<p>boom</p>"'), _good(1)]
    path = tmp_path / "h.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    def clean(html: str) -> str:
        if "boom" in html:
            raise RuntimeError("the sanitiser gave up")
        return html

    report = import_jsonl(archive, path, clean_html=clean)
    assert report.new == 2
    assert report.rejected == [f"{path}:2: 'html' cannot be made safe (the sanitiser gave up)"]


def test_a_record_the_archive_refuses_half_way_leaves_nothing_of_itself(archive, tmp_path):
    """Its first version was written when the second was refused: the savepoint undoes both,
    and the good lines before and after it in the same batch are kept."""
    archive.conn.execute(
        """CREATE TEMP TRIGGER refuse BEFORE INSERT ON versions WHEN NEW.text = 'refused'
           BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"""
    )
    record = {
        "url": "https://www.state.gov/half/",
        "source": "us-state",
        "versions": [{"text": "written first", "seen_at": "2022-01-01T00:00:00Z"}],
        "text": "refused",
        "seen_at": "2022-01-02T00:00:00Z",
    }
    path = tmp_path / "half.jsonl"
    path.write_bytes(b"\n".join([_good(0), json.dumps(record).encode(), _good(1)]) + b"\n")
    report = import_jsonl(archive, path)
    assert report.new == 2
    assert report.rejected == [f"{path}:2: refused by the archive (refused for the test)"]
    assert archive.find_statement("us-state", "https://www.state.gov/half/") is None
    assert archive.stats()["versions"] == 2


_GZ_LINES = [_good(i) + b" " * 200 for i in range(120)]
_GZ = gzip.compress(b"\n".join(_GZ_LINES) + b"\n", compresslevel=1)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.integers(min_value=10, max_value=len(_GZ) - 1),
    st.binary(min_size=1, max_size=64),
    st.booleans(),
)
def test_fuzzed_gzip_damage_keeps_what_precedes_it(tmp_path_factory, at, garbage, cut):
    """Overwritten or cut anywhere: no exception, every line decompressed before it kept."""
    damaged = _GZ[:at] if cut else _GZ[:at] + garbage + _GZ[at + len(garbage) :]
    folder = tmp_path_factory.mktemp("gz")
    path = folder / "d.jsonl.gz"
    path.write_bytes(damaged)
    before = zlib.decompressobj(wbits=31).decompress(_GZ[:at]).count(b"\n")
    with Archive.open(folder / "arc", create=True) as arc:
        report = import_jsonl(arc, path)
        for i in range(before):
            assert arc.find_statement("us-state", f"https://www.state.gov/good-{i}/")
    for line in report.rejected:
        assert line.startswith(f"{path}:")
        assert all(c.isprintable() for c in line)
