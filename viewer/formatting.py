"""Human-readable dates, languages and citations for what the viewer shows."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QLocale

from db.models import Statement, Version

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


def utc_label(value: str | None) -> str:
    """'2022-11-01 18:20 UTC' for capture and sighting times stored as ISO UTC."""
    if not value:
        return "—"
    moment = _parse(value)
    if moment is None:
        return value
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


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
    """'v2 · 2021-06-03 18:33 UTC · silent edit' for the versions list."""
    label = f"v{version.seq} · {utc_label(version.first_seen)[:16]}"
    if previous is None:
        return label + " · first capture"
    declared = version.declared_modified and version.declared_modified != previous.declared_modified
    return label + (
        f" · declared edit ({version.declared_modified})" if declared else " · silent edit"
    )


def display_title(statement: Statement, version: Version | None = None, limit: int = 110) -> str:
    """The title; for untitled posts, their first line (shortened), so they can be told apart."""
    version = version or statement.current
    title = version.title if version and version.title else statement.title
    if title:
        return title
    first = (version.text if version else "").strip().split("\n", 1)[0].strip()
    if not first:
        return "(untitled)"
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def citation(statement: Statement, version: Version | None = None) -> str:
    """A citation: title, institution, date, URL, archive id (with version), captured at."""
    version = version or statement.current
    title = display_title(statement, version)
    publisher = statement.institution or statement.source_name
    ref = statement.archive_id + (f"@{version.seq}" if version else "")
    captured = None
    if version is not None:
        captured = version.capture.fetched_at if version.capture else version.first_seen
    parts = [
        f"“{title}”",
        publisher,
        published_label(statement.published or statement.published_raw),
        statement.url,
        f"Communiqué archive id {ref}",
        f"captured {utc_label(captured)}",
    ]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."
