"""Export statements as JSON Lines in the interchange schema, every version included."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .archive import Archive
from .cite import evidence
from .models import SearchQuery, Statement, Version

_PAGE = 500


def statement_record(st: Statement) -> dict:
    """The interchange record of a statement: current text, earlier texts in `versions`."""
    record: dict = {"id": st.archive_id, "source": st.source_id}
    if st.url:
        record["url"] = st.url
    current = st.current
    full_title = current.title if current is not None and current.title else st.title
    for key, value in (
        ("country", st.country),
        ("institution", st.institution),
        ("title", full_title),  # the version's full title (the statement's may be capped)
        ("published", st.published),
        ("published_raw", st.published_raw if st.published_raw != st.published else None),
        ("published_utc", st.published_utc),
        ("language", st.language),
        ("kind", st.kind),
        ("speaker", st.speaker),
    ):
        if value:
            record[key] = value
    if current is not None and current.text:
        record["text"] = current.text
    if current is not None and current.html:
        record["html"] = current.html
    if st.tags:
        record["tags"] = list(st.tags)
    record["origin"] = version_origin(st, current) if current else f"communique:{st.archive_id}"
    if current is not None:
        record["seen_at"] = current.first_seen
    if st.key != st.url:
        record["guid"] = st.key
    if len(st.versions) > 1:
        record["versions"] = [
            {
                k: v
                for k, v in (
                    ("seen_at", ver.first_seen),
                    ("title", ver.title),
                    ("text", ver.text),
                    ("declared_modified", ver.declared_modified),
                    ("origin", version_origin(st, ver)),
                )
                if v is not None
            }
            for ver in st.versions[:-1]
        ]
    return record


def version_origin(st: Statement, version: Version) -> str:
    """Where a version came from, as the archive it is imported into will say: its own imported
    origin, or for a capture the archive id with the capture's time and payload hash."""
    if version.origin:
        return version.origin
    ref = f"communique:{st.archive_id}@{version.seq}"
    ev = evidence(version)
    if ev.captured_at:
        return f"{ref} (captured {ev.captured_at}, payload SHA-256 {ev.payload_sha256})"
    return ref


def with_library(archive: Archive, record: dict) -> dict:
    """`record` with the statement's collections and notes (a researcher's own layer)."""
    from .library import collections_of, notes_of

    collections = collections_of(archive, record["id"])
    if collections:
        record["collections"] = collections
    notes = [
        {k: v for k, v in n.to_json().items() if k != "archive_id"}
        for n in notes_of(archive, record["id"])
    ]
    if notes:
        record["notes"] = notes
    return record


def export_records(archive: Archive, query: SearchQuery | None = None) -> Iterator[dict]:
    """Records of every statement matching `query` (default: all), oldest first."""
    for st in matching_statements(archive, query):
        record = statement_record(st)
        edition = archive.edition_key(st.archive_id)
        if edition:
            record["edition"] = edition  # language editions survive an export
        yield with_library(archive, record)


def matching_statements(archive: Archive, query: SearchQuery | None = None) -> Iterator[Statement]:
    """Every statement matching `query` (default: all) with its versions, oldest first.

    Pages are read in date order, never by rank: ranked pages are recomputed tier by tier from
    the first row, which would make a large export quadratic.
    """
    offset = 0
    while True:
        page = replace(query or SearchQuery(), order="date_asc", limit=_PAGE, offset=offset)
        hits = archive.search(page).hits
        for hit in hits:
            st = archive.get_statement(hit.archive_id)
            if st is not None:
                yield st
        if len(hits) < _PAGE:
            return
        offset += _PAGE
