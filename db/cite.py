"""Citations of a statement or a version, and the one rule for what its evidence claims.

Every place that names where a text came from (the reader, the versions list, Compare headers,
the HTML/PDF export, the `cite` command, every citation format) asks this module, so they never
disagree. The rule: "captured" is said only of a real HTTP capture (the WARC-Date of the
response); a version that came from an imported file says "imported from <origin>, first seen
<seen_at>" and claims no access date.

Formats: `text` (one line to paste), `csl-json` (CSL-JSON items: citeproc-py, Zotero, pandoc),
`bibtex` (@misc entries) and `ris` (TY ELEC, the tags Zotero's RIS translator reads).
Standard library only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from .models import Statement, Version

FORMATS = ("text", "csl-json", "bibtex", "ris")
ARCHIVE_NAME = "Communiqué"
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _parse(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def published_label(value: str | None) -> str:
    """'1 Nov 2022 14:03 −04:00' (the source's own zone), '1 Nov 2022', or a bare year."""
    if not value:
        return "date unknown"
    if len(value) == 4 and value.isdigit():
        return value
    if len(value) == 7 and value[4] == "-":
        year, month = value.split("-")
        return (
            f"{_MONTHS[int(month) - 1]} {year}"
            if month.isdigit() and 1 <= int(month) <= 12
            else value
        )
    moment = _parse(value)
    if moment is None:
        return value
    day = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    if len(value) <= 10:
        return day
    zone = ""
    if moment.tzinfo is not None:
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "\u2212"
        zone = f" {sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{day} {moment.hour:02d}:{moment.minute:02d}{zone}"


def utc_label(value: str | None) -> str:
    """'2022-11-01 18:20:00 UTC' for capture and sighting times stored as ISO UTC."""
    if not value:
        return "—"
    moment = _parse(value)
    if moment is None:
        return value
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


# ------------------------------------------------------------------ evidence
@dataclass(frozen=True)
class Evidence:
    """What the archive can honestly claim about where one version's text came from."""

    captured_at: str | None  # WARC-Date of the HTTP response; None when nothing was fetched
    origin: str | None  # the imported record it came from (None for a capture)
    first_seen: str | None  # when this archive (or the imported file) first saw this text
    payload_sha256: str | None = None

    @property
    def captured(self) -> bool:
        return self.captured_at is not None

    def phrase(self) -> str:
        """'captured 2020-07-04 10:00:00 UTC' or 'imported from <origin>, first seen <time>'."""
        if self.captured_at:
            return f"captured {utc_label(self.captured_at)}"
        if self.origin is None:
            return f"no capture recorded, first seen {utc_label(self.first_seen)}"
        return f"imported from {self.origin}, first seen {utc_label(self.first_seen)}"

    def short(self) -> str:
        """'captured 2020-07-04 10:00 UTC' / 'imported, first seen 2021-06-03 18:33 UTC' (lists)."""
        if self.captured_at:
            return f"captured {utc_label(self.captured_at)[:16]} UTC"
        how = "imported" if self.origin else "no capture"
        return f"{how}, first seen {utc_label(self.first_seen)[:16]} UTC"


def evidence(version: Version | None) -> Evidence:
    """The evidence of `version`: a capture only when it traces back to a fetched response."""
    if version is None:
        return Evidence(None, None, None)
    capture = version.capture
    if capture is not None and capture.fetched_at and capture.error is None:
        return Evidence(capture.fetched_at, None, version.first_seen, capture.payload_sha256)
    return Evidence(None, version.origin, version.first_seen)


# ------------------------------------------------------------------ the citation
def _version(statement: Statement, version: Version | None) -> Version | None:
    return version or statement.current


def ref(statement: Statement, version: Version | None = None) -> str:
    """`ID@N` of the version cited (the current one by default)."""
    version = _version(statement, version)
    return statement.archive_id + (f"@{version.seq}" if version else "")


def title_of(statement: Statement, version: Version | None = None, limit: int = 110) -> str:
    """The title; for untitled posts, their first line (shortened), so they can be told apart."""
    version = _version(statement, version)
    title = version.title if version and version.title else statement.title
    if title:
        return title
    first = (version.text if version else "").strip().split("\n", 1)[0].strip()
    if not first:
        return "(untitled)"
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _publisher(statement: Statement) -> str:
    return statement.institution or statement.source_name or statement.source_id


def archive_note(statement: Statement, version: Version | None = None) -> str:
    """What travels in a reference manager's note/extra field: id, evidence, payload hash."""
    version = _version(statement, version)
    ev = evidence(version)
    parts = [f"{ARCHIVE_NAME} archive id {ref(statement, version)}"]
    if version is not None and statement.version_count > 1:
        parts[0] += f" (version {version.seq} of {statement.version_count})"
    parts.append(ev.phrase())
    if ev.payload_sha256:
        parts.append(f"payload SHA-256 {ev.payload_sha256}")
    if version is not None:
        parts.append(f"text SHA-256 {version.sha256}")
    return "; ".join(parts)


def citation_line(
    *,
    title: str,
    publisher: str | None,
    published: str | None,
    url: str | None,
    ref: str | None,
    evidence: Evidence | None,
    version: str | None = None,
    extra: str | None = None,
) -> str:
    """The one shape of a plain-text citation, whoever builds it (the reader, Compare, `cite`):
    “Title”. Publisher. Date. URL. Communiqué archive id ID@N (version). Extra. Evidence."""
    parts = [f"“{title}”", publisher, published, url]
    if ref:
        parts.append(f"{ARCHIVE_NAME} archive id {ref}" + (f" ({version})" if version else ""))
    parts.append(extra)
    if evidence is not None:
        parts.append(evidence.phrase())
        if evidence.payload_sha256:
            parts.append(f"payload SHA-256 {evidence.payload_sha256}")
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def citation_text(statement: Statement, version: Version | None = None) -> str:
    """The one-line citation of a version: title, institution, date, URL, archive id, evidence."""
    version = _version(statement, version)
    return citation_line(
        title=title_of(statement, version),
        publisher=_publisher(statement),
        published=published_label(statement.published or statement.published_raw),
        url=statement.url,
        ref=ref(statement, version),
        evidence=evidence(version),
    )


def quote_with_citation(quote: str, statement: Statement, version: Version | None = None) -> str:
    """A selected passage in quotation marks, then its citation (for pasting into a text)."""
    passage = " ".join(quote.split())
    return f"“{passage}” — {citation_text(statement, version)}"


# ------------------------------------------------------------------ structured formats
def _date_parts(value: str | None) -> list[int] | None:
    """[Y, M, D] (or fewer) of an ISO date, as the source's own calendar day."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if m is None:
        return None
    return [int(g) for g in m.groups() if g is not None]


def csl_item(statement: Statement, version: Version | None = None) -> dict:
    """A CSL-JSON item (type webpage); `accessed` only for a real capture."""
    version = _version(statement, version)
    ev = evidence(version)
    item: dict = {
        "id": ref(statement, version),
        "type": "webpage",
        "title": title_of(statement, version),
        "author": [{"literal": _publisher(statement)}],
        "container-title": statement.source_name or _publisher(statement),
        "publisher": _publisher(statement),
        "URL": statement.url,
        "archive": ARCHIVE_NAME,
        "archive_location": ref(statement, version),
        "note": archive_note(statement, version),
    }
    issued = _date_parts(statement.published)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    elif statement.published_raw:
        item["issued"] = {"literal": statement.published_raw}
    if ev.captured_at:
        item["accessed"] = {"date-parts": [_date_parts(ev.captured_at)]}
    if statement.language:
        item["language"] = statement.language
    if statement.kind:
        item["genre"] = statement.kind
    return item


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(value: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(value.split()))


def _bib_url(value: str) -> str:
    """A URL kept verbatim except what would break the entry's braces."""
    return value.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_key(statement: Statement, version: Version | None = None) -> str:
    """`us-state:3f9a2c1b7d4e-v2`: the archive id with the version, in BibTeX key characters."""
    return re.sub(r"[^A-Za-z0-9:_.-]", "-", ref(statement, version).replace("@", "-v"))


def bibtex_entry(statement: Statement, version: Version | None = None) -> str:
    """A @misc entry (biblatex reads `urldate`; classic BibTeX keeps it in `note`)."""
    version = _version(statement, version)
    ev = evidence(version)
    fields: list[tuple[str, str]] = [
        ("title", "{" + _bib_escape(title_of(statement, version)) + "}"),
        ("author", "{" + _bib_escape(_publisher(statement)) + "}"),
        ("organization", _bib_escape(_publisher(statement))),
        ("howpublished", r"\url{" + _bib_url(statement.url) + "}"),
        ("url", _bib_url(statement.url)),
    ]
    issued = _date_parts(statement.published)
    if issued:
        fields.append(("year", str(issued[0])))
        if len(issued) > 1:
            fields.append(("month", str(issued[1])))
        fields.append(("date", "-".join(f"{p:02d}" for p in issued)))
    if ev.captured_at:
        fields.append(("urldate", ev.captured_at[:10]))
    if statement.language:
        fields.append(("language", _bib_escape(statement.language)))
    fields.append(("note", _bib_escape(archive_note(statement, version))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(statement, version)},\n{body}\n}}\n"


def _ris_value(value: str) -> str:
    return " ".join(value.split())


def ris_entry(statement: Statement, version: Version | None = None) -> str:
    """One RIS record (TY ELEC = Zotero's webpage): T2 website, DA date, Y2 access date,
    M2 extra (archive id, evidence, payload SHA-256). No AN: Zotero's web page has no archive
    location and would turn it into a stray note."""
    version = _version(statement, version)
    ev = evidence(version)
    lines = [
        ("TY", "ELEC"),
        ("TI", title_of(statement, version)),
        ("AU", _publisher(statement).replace(",", "")),  # Zotero splits AU at a comma
        ("T2", statement.source_name or _publisher(statement)),
    ]
    issued = _date_parts(statement.published)
    if issued:
        padded = [f"{issued[0]:04d}"] + [f"{p:02d}" for p in issued[1:]]
        lines.append(("PY", str(issued[0])))
        lines.append(("DA", "/".join(padded) + ("/" if len(padded) == 3 else "")))
    lines.append(("UR", statement.url))
    if ev.captured_at:
        y, m, d = _date_parts(ev.captured_at) or [0, 0, 0]
        lines.append(("Y2", f"{y:04d}/{m:02d}/{d:02d}/"))
    if statement.language:
        lines.append(("LA", statement.language))
    for tag in statement.tags:
        lines.append(("KW", tag))
    lines.append(("M2", archive_note(statement, version)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}".rstrip(" ") + "\n" for tag, value in lines)


def render(
    items: list[tuple[Statement, Version | None]], fmt: str = "text"
) -> str:  # one output for one or many cited versions
    """Citations of `items` in `fmt` (one of FORMATS), ready to print or copy."""
    if fmt == "csl-json":
        return json.dumps([csl_item(s, v) for s, v in items], ensure_ascii=False, indent=2) + "\n"
    if fmt == "bibtex":
        return "\n".join(bibtex_entry(s, v) for s, v in items)
    if fmt == "ris":
        return "\n".join(ris_entry(s, v) for s, v in items)
    if fmt == "text":
        return "".join(citation_text(s, v) + "\n" for s, v in items)
    raise ValueError(f"unknown citation format {fmt!r}; one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "Evidence",
    "evidence",
    "citation_text",
    "citation_line",
    "quote_with_citation",
    "archive_note",
    "csl_item",
    "bibtex_entry",
    "ris_entry",
    "render",
    "published_label",
    "utc_label",
    "title_of",
    "ref",
]
