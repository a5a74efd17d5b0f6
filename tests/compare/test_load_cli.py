"""`compare` through the archive: ID / ID@N resolution, the command line, one-line errors."""

import json

import pytest

from cli import main
from compare.load import RefError, load_sides
from db import StatementInput

URL = "https://www.whitehouse.gov/briefing-room/statements-releases/2021/06/12/remarks/"


@pytest.fixture
def stored(archive, edits):
    """The archive holding the real Biden–Macron (2 versions) and nominations (3) items."""
    ids = {}
    for guid, item in edits.items():
        for n, version in enumerate(item["versions"]):
            result = archive.add_statement(
                StatementInput(
                    "us-whitehouse",
                    item["url"],
                    version["text"],
                    title=item["title"],
                    key=guid,
                    seen_at=version["seen_at"],
                    declared_modified="2021-07-01T12:00:00Z" if n == 2 else None,
                )
            )
            ids[guid] = result.archive_id
    single = archive.add_statement(StatementInput("us-state", URL, "Only one version here."))
    ids["single"] = single.archive_id
    return ids


def macron_id(stored):
    return stored["https://www.whitehouse.gov/?p=20549"]


def nominations_id(stored):
    return stored["https://www.whitehouse.gov/?p=21783"]


def test_one_id_gives_its_two_latest_versions(archive, stored):
    left, right = load_sides(archive, [nominations_id(stored)])
    assert (left.version, right.version) == (2, 3)
    assert left.source == "us-whitehouse"
    assert left.title.startswith("President Biden Announces")
    assert right.declared_modified == "2021-07-01T12:00:00Z"


def test_id_at_n_alone_compares_with_the_version_before(archive, stored):
    left, right = load_sides(archive, [nominations_id(stored) + "@2"])
    assert (left.version, right.version) == (1, 2)
    assert "Bradenburg" in left.text
    assert "Brandenburg" in right.text


def test_two_refs(archive, stored):
    sides = load_sides(archive, [nominations_id(stored) + "@1", macron_id(stored)])
    assert [(s.id, s.version) for s in sides] == [
        (nominations_id(stored), 1),
        (macron_id(stored), 2),
    ]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("us-whitehouse:000000000000", "us-whitehouse:000000000000: no such statement in"),
        ("{macron}@5", "@5: no version 5 (the statement has versions 1–2)"),
        ("{macron}@1", "@1: is the first version; nothing earlier to compare with"),
        ("{single}", ": has only one version; give a second id to compare with"),
        ("not-an-id", "not a statement id: 'not-an-id'"),
    ],
)
def test_bad_refs(archive, stored, ref, message):
    ref = ref.format(macron=macron_id(stored), single=stored["single"])
    with pytest.raises(RefError, match=None) as info:
        load_sides(archive, [ref])
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_too_many_refs(archive, stored):
    with pytest.raises(RefError, match="at most 4"):
        load_sides(archive, [macron_id(stored)] * 5)


def run(capsys, archive, *argv):
    code = main(["--archive", str(archive.folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json(capsys, archive, stored):
    code, out, err = run(capsys, archive, "compare", macron_id(stored), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["mode"] == "versions"
    assert (data["left"]["version"], data["right"]["version"]) == (1, 2)
    changed = [(o["left"]["text"], o["right"]["text"]) for o in data["ops"] if o["op"] != "equal"]
    assert ("that your allies in the United States are", "allies that America is") in changed
    assert data["summary"]["edit"] == "silent"


def test_cli_declared_edit(capsys, archive, stored):
    code, out, _ = run(capsys, archive, "compare", nominations_id(stored), "--json")
    assert code == 0
    assert json.loads(out)["summary"]["edit"] == "declared"


def test_cli_two_statements_text(capsys, archive, stored):
    code, out, _ = run(capsys, archive, "compare", macron_id(stored), nominations_id(stored))
    assert code == 0
    assert "shared passages" in out
    assert "left:  “Remarks by President Biden" in out


def test_cli_html(capsys, archive, stored, tmp_path):
    target = tmp_path / "out.html"
    code, out, _ = run(
        capsys, archive, "compare", nominations_id(stored) + "@2", "--html", str(target)
    )
    assert code == 0
    page = target.read_text(encoding="utf-8")
    assert 'title="replaced">Brandenburg</span>' in page
    assert out.startswith(f"{target}: 0 words added")


@pytest.mark.parametrize(
    "argv",
    [
        ["us-whitehouse:000000000000"],
        ["bad"],
        ["{single}"],
        ["{macron}", "--html", "/no/such/dir/x.html"],
    ],
)
def test_cli_errors_are_one_line(capsys, archive, stored, argv):
    argv = [a.format(macron=macron_id(stored), single=stored["single"]) for a in argv]
    code, out, err = run(capsys, archive, "compare", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("communique: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
