"""Human-readable dates, languages and citations for what the viewer shows."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from db import cite
from db.models import Statement, Version

# Dates, titles and citations have one definition, in db/cite.py (Qt-free), shared with the
# command line and the exports.
published_label = cite.published_label
utc_label = cite.utc_label
display_title = cite.title_of


def short_date(value: str | None) -> str:
    """'2022-11-01' for the list (or the year alone)."""
    if not value:
        return ""
    return value[:10]


def language_label(code: str | None) -> str:
    """'English (en)', 'Persian (fa)'; the bare code when Qt does not know it."""
    if not code:
        return "language unknown"
    language = QLocale(code).language()
    if language == QLocale.Language.C or language == QLocale.Language.AnyLanguage:
        return code
    return f"{QLocale.languageToString(language)} ({code})"


def version_label(version: Version, previous: Version | None) -> str:
    """'v2 · captured 2021-06-03 18:33 UTC · silent edit' (or 'imported, first seen …')."""
    label = f"v{version.seq} · {cite.evidence(version).short()}"
    if previous is None:
        return label + " · first version"
    declared = version.declared_modified and version.declared_modified != previous.declared_modified
    return label + (
        f" · declared edit ({version.declared_modified})" if declared else " · silent edit"
    )


def citation(statement: Statement, version: Version | None = None) -> str:
    """The one-line citation (db.cite.citation_text): never claims a capture that was an import."""
    return cite.citation_text(statement, version)
