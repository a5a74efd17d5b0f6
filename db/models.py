"""The archive's domain records: what goes in and what comes out of `Archive`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """A publisher of statements (a ministry, a head of state's office, the UN)."""

    id: str  # e.g. "us-whitehouse"
    name: str
    institution: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2; None for international bodies
    languages: tuple[str, ...] = ()
    homepage: str | None = None


@dataclass(frozen=True)
class CaptureRecord:
    """One HTTP exchange (or one imported record) that evidence traces back to."""

    url: str
    fetched_at: str  # ISO 8601 UTC, e.g. "2022-11-01T18:20:00Z"
    status: int | None = None
    warc_file: str | None = None  # path relative to the archive folder
    warc_offset: int | None = None
    warc_length: int | None = None
    payload_sha256: str | None = None
    error: str | None = None  # why the exchange failed, when it did
    id: int | None = None  # set when read back from the archive


@dataclass
class StatementInput:
    """A statement as extracted or imported, before the archive decides new/version/unchanged."""

    source_id: str
    url: str
    text: str
    title: str | None = None
    key: str | None = None  # the source's stable id (e.g. RSS guid); defaults to the URL
    published: str | None = None  # as given by the source (original string, kept verbatim)
    published_iso: str | None = None  # normalised ISO 8601 in the source's offset, if the caller
    # parsed it (e.g. dateparser); otherwise the archive parses ISO 8601 / RFC 2822 itself
    language: str | None = None
    kind: str | None = None
    speaker: str | None = None
    country: str | None = None  # defaults to the source's country
    html: str | None = None  # sanitised HTML, if any
    tags: list[str] = field(default_factory=list)
    seen_at: str | None = None  # ISO 8601 UTC; defaults to now
    declared_modified: str | None = None  # the source's own "updated" time, if it declares one
    capture_id: int | None = None
    origin: str | None = None  # provenance of an imported record
    edition: str | None = None  # key shared with its other-language editions (db.editions)


@dataclass(frozen=True)
class AddResult:
    """What `Archive.add_statement` did."""

    status: str  # "new" | "version" | "unchanged"
    archive_id: str
    seq: int  # the sequence number of the statement's current version


@dataclass(frozen=True)
class Version:
    seq: int
    title: str | None
    text: str
    html: str | None
    sha256: str  # of the normalised text
    first_seen: str
    last_seen: str
    declared_modified: str | None
    origin: str | None
    capture: CaptureRecord | None


@dataclass(frozen=True)
class Statement:
    archive_id: str
    source_id: str
    source_name: str
    institution: str | None
    url: str
    key: str
    title: str | None
    published: str | None  # ISO 8601 in the source's own offset (or date / year only)
    published_raw: str | None
    published_utc: str | None
    language: str | None
    kind: str | None
    speaker: str | None
    country: str | None
    tags: tuple[str, ...]
    first_seen: str
    last_seen: str
    version_count: int
    versions: tuple[Version, ...] = ()
    # Other-language editions of the same statement: (archive_id, language, title), by language.
    language_editions: tuple[tuple[str, str | None, str | None], ...] = ()

    @property
    def current(self) -> Version | None:
        return self.versions[-1] if self.versions else None


@dataclass
class SearchQuery:
    """A search: free text (FTS syntax or plain words) plus filters. Empty text lists by date."""

    text: str = ""
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # ISO date or datetime, inclusive (a date covers the whole day)
    limit: int = 20
    offset: int = 0
    order: str = "rank"  # "rank" (date when no text) | "date" | "date_asc" | "title" | "source"
    tags: list[str] = field(default_factory=list)  # a researcher's tags: every one must be set
    collections: list[str] = field(default_factory=list)  # in any of these collections
    seen_since: str | None = None  # first seen after this ISO UTC time (saved searches' "new")
    removed_only: bool = False  # only statements the source took down (scraper.removed)
    # --all-languages: one group per query word, the word's spellings in every language
    # (compare.entities.expand_query); a statement matches when it holds one of each group.
    # Forms ending in "*" are prefixes (Russian and Ukrainian stems).
    expansions: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class SearchHit:
    archive_id: str
    url: str
    source_id: str
    source_name: str
    title: str | None
    published: str | None
    language: str | None
    kind: str | None
    speaker: str | None
    version_count: int
    snippet: str | None  # with HIGHLIGHT_START / HIGHLIGHT_END around matches
    score: float | None  # relevance (negated bm25: higher is better); None without a query
    lead: str | None = None  # for untitled statements (posts): the start of the text
    tags: tuple[str, ...] = ()  # the statement's tags (db/library.py), for the list
    earlier_version: int | None = None  # the match is only in this earlier version (its seq)


@dataclass(frozen=True)
class SearchResult:
    total: int  # matching statements, at most db.search.COUNT_CAP
    hits: list[SearchHit]
    query_used: str | None  # the FTS expression actually run (after plain-word fallback)
    total_exact: bool = True  # False when there are more than `total` ("10,000+")
    searched_as: str | None = None  # "searched as words: …" when the text was not valid syntax
