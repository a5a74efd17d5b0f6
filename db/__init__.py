"""The archive: SQLite schema, statements and versions, captures, search (a derived tantivy index)."""

from .archive import Archive, resolve_paths
from .errors import (
    ArchiveCorrupt,
    ArchiveError,
    ArchiveNotFound,
    ArchiveReadOnly,
    DiskFull,
    NewerArchive,
    NotAnArchive,
)
from .ids import archive_id_for, parse_ref
from .models import (
    AddResult,
    CaptureRecord,
    SearchHit,
    SearchQuery,
    SearchResult,
    Source,
    Statement,
    StatementInput,
    Version,
)
from .normalise import normalise_text, text_hash
from .search import HIGHLIGHT_END, HIGHLIGHT_START

__all__ = [
    "Archive",
    "resolve_paths",
    "archive_id_for",
    "parse_ref",
    "ArchiveError",
    "ArchiveNotFound",
    "NotAnArchive",
    "NewerArchive",
    "ArchiveReadOnly",
    "DiskFull",
    "ArchiveCorrupt",
    "AddResult",
    "CaptureRecord",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "Source",
    "Statement",
    "StatementInput",
    "Version",
    "normalise_text",
    "text_hash",
    "HIGHLIGHT_START",
    "HIGHLIGHT_END",
]
