"""Edition keys from the sources' `editions` rules, and linking what the archive holds."""

from __future__ import annotations

from collections.abc import Iterable

from db import Archive
from scraper.sources import SourceConfig


def edition_key(source: SourceConfig, url: str, published: str | None, kind: str | None) -> str:
    """The key this statement shares with its other-language editions, or '' when none."""
    rules = source.editions
    if rules is None:
        return ""
    if rules.url is not None:
        match = rules.url.search(url or "")
        return f"{rules.group}:{match.group(1)}" if match else ""
    if rules.same_day and kind == rules.same_day and published and len(published) >= 10:
        return f"{rules.group}:{published[:10]}"
    return ""


def link_editions(arc: Archive, sources: Iterable[SourceConfig]) -> int:
    """Give every statement of these sources not looked at yet its edition key.

    Runs after a crawl, a WARC import and a JSONL import, so statements archived before the
    rules existed are linked too. Returns how many statements got a key.
    """
    by_id = {s.id: s for s in sources if s.editions is not None}
    if not by_id:
        return 0
    keys = [
        (rowid, edition_key(by_id[sid], url, published, kind))
        for rowid, sid, url, published, kind in arc.unlinked_editions(sorted(by_id))
    ]
    return arc.set_edition_keys(keys) if keys else 0


def link_with_sources(arc: Archive, user_file=None) -> int:
    """`link_editions` with the shipped sources (and a user's file); 0 when they cannot load."""
    from scraper.sources import SourcesError, load_sources

    try:
        sources = load_sources(user_file)
    except SourcesError:
        return 0  # the import itself reports a bad sources file where it matters
    return link_editions(arc, sources.values())
