"""Statements built in memory for widget tests (no archive needed)."""

from __future__ import annotations

from db.models import Statement, Version

WHEN = "2024-01-02T03:04:05Z"


def make_statement(
    text: str,
    *,
    title: str | None = "A statement",
    url: str = "https://example.org/statements/1",
    speaker: str | None = None,
    source_name: str = "Test source",
    archive_id: str = "test:1",
    language: str | None = "en",
    html: str | None = None,
) -> Statement:
    version = Version(
        seq=1,
        title=title,
        text=text,
        html=html,
        sha256="0" * 64,
        first_seen=WHEN,
        last_seen=WHEN,
        declared_modified=None,
        origin=None,
        capture=None,
    )
    return Statement(
        archive_id=archive_id,
        source_id="test",
        source_name=source_name,
        institution=source_name,
        url=url,
        key=url,
        title=title,
        published="2024-01-02",
        published_raw=None,
        published_utc=None,
        language=language,
        kind="statement",
        speaker=speaker,
        country=None,
        tags=(),
        first_seen=WHEN,
        last_seen=WHEN,
        version_count=1,
        versions=(version,),
    )
