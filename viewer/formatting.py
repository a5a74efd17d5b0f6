"""Human-readable dates, languages and citations for what the viewer shows."""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale

from db import cite
from db.models import Statement, Version

# Dates, titles and citations have one definition, in db/cite.py (Qt-free), shared with the
# command line and the exports.
# Long institution names shortened for the list's Source column (the full name is in its tooltip
# and in the filter panel): the words every foreign ministry's name repeats.
_SHORTER = [
    (re.compile(r"^The "), ""),
    (re.compile(r"\bMinistry of Foreign Affairs\b"), "MFA"),
    (re.compile(r"\bU\.S\. Department of State\b"), "US State Dept."),
    (re.compile(r"\bDepartment of State\b"), "State Dept."),
    (re.compile(r"\bUnited Nations\b"), "UN"),
    (re.compile(r"\bof (the )?People's Republic of China\b"), "China"),
    (re.compile(r"\bof (the )?Russian Federation\b"), "Russia"),
    (re.compile(r"\bof (the )?United States( of America)?\b"), "US"),
    (re.compile(r"\bof (the )?United Kingdom\b"), "UK"),
]

published_label = cite.published_label
utc_label = cite.utc_label
display_title = cite.title_of


def short_source(name: str | None) -> str:
    """'MFA Russia' for 'Ministry of Foreign Affairs of the Russian Federation'."""
    short = name or ""
    for pattern, replacement in _SHORTER:
        short = pattern.sub(replacement, short)
    return " ".join(short.split()) or (name or "")


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


def native_language_name(code: str | None) -> str:
    """'English', 'Русский', '中文': a language as its speakers write it (the code if unknown)."""
    if not code:
        return "?"
    # Qt names a language by its default territory's variant ("American English"); not these.
    plain = {"en": "English", "zh": "中文", "es": "Español", "pt": "Português"}
    if code.lower() in plain:
        return plain[code.lower()]
    locale = QLocale(code)
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return code
    name = locale.nativeLanguageName() or code
    return name[:1].upper() + name[1:]


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
