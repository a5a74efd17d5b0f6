"""Export statements as JSON Lines in the interchange schema, every version included."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .archive import Archive
from .models import SearchQuery, Statement

_PAGE = 500


def statement_record(st: Statement) -> dict:
    """The interchange record of a statement: current text, earlier texts in `versions`."""
    record: dict = {"url": st.url, "source": st.source_id} if st.url else {"source": st.source_id}
    current = st.current
    full_title = current.title if current is not None and current.title else st.title
    for key, value in (
        ("country", st.country),
        ("institution", st.institution),
        ("title", full_title),  # the version's full title (the statement's may be capped)
        ("published", st.published),
        ("published_raw", st.published_raw if st.published_raw != st.published else None),
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
    record["origin"] = f"communique:{st.archive_id}"
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
                )
                if v is not None
            }
            for ver in st.versions[:-1]
        ]
    return record


def export_records(archive: Archive, query: SearchQuery | None = None) -> Iterator[dict]:
    """Records of every statement matching `query` (default: all), oldest first.

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
                record = statement_record(st)
                edition = archive.edition_key(hit.archive_id)
                if edition:
                    record["edition"] = edition  # language editions survive an export
                yield record
        if len(hits) < _PAGE:
            return
        offset += _PAGE
