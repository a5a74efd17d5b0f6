"""Kind and speaker of a statement from the source's rules, categories and title patterns."""

from __future__ import annotations

import re

from scraper.sources import SourceConfig

_TITLE_SPEAKER = re.compile(
    r"^(?:Joint\s+)?(?:Statement|Statements)\s+(?:by|from|of)\s+(?P<a>.+)"
    r"|^Remarks\s+as\s+Prepared\s+for\s+Delivery\s+by\s+(?P<b>.+)"
    r"|^Remarks\s+by\s+(?P<c>.+)"
    r"|^(?:Press\s+Briefing|Press\s+Gaggle|Press\s+Call|Background\s+Press\s+Call|"
    r"On-the-Record\s+Press\s+Call)\s+by\s+(?P<d>.+)"
    r"|^Address\s+by\s+(?P<e>.+)"
    r"|^Interview\s+of\s+(?P<f>.+)",
)
_OCCASION = re.compile(
    r"\s+(?i:on|at|in|during|before|after|aboard|en\s+route|to\s+mark|to\s+the|following|upon|"
    r"regarding|for|with\s+(?:reporters|press)|marking)\s+|\s*\||\s+(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+\d|,\s+\d{4}|\s+–|\s+—"
    r"|\s+(?:Celebrating|Commemorating|Honoring|Marking|Announcing|Highlighting|Previewing)\s"
)


def kind_for(
    source: SourceConfig, title: str | None, categories: list[str], url: str = ""
) -> str | None:
    """The first matching kind rule (title regex, category, URL regex), else the default."""
    cats = {c.strip().casefold() for c in categories if c and c.strip()}
    for rule in source.kinds:
        if rule.title is not None and title and rule.title.search(title):
            return rule.kind
        if rule.category is not None and rule.category.casefold() in cats:
            return rule.kind
        if rule.url is not None and url and rule.url.search(url):
            return rule.kind
    return source.default_kind


def speaker_from_title(title: str | None) -> str | None:
    """'Statement by NSC Spokesperson A. Watson on …' -> 'NSC Spokesperson A. Watson'."""
    if not title:
        return None
    title = " ".join(title.split())
    match = _TITLE_SPEAKER.match(title)
    if not match:
        return None
    rest = next(g for g in match.groups() if g)
    cut = _OCCASION.search(rest)
    speaker = (rest[: cut.start()] if cut else rest).strip(" ,:;")
    speaker = re.sub(r"^(?:the|an?)\s+", "", speaker, flags=re.IGNORECASE)
    return speaker or None


def clean_speaker(source: SourceConfig, speaker: str | None) -> str | None:
    """None for offices and unnamed officials listed in `not_speakers`; else collapsed spaces."""
    if not speaker:
        return None
    speaker = " ".join(speaker.split())
    excluded = {s.casefold() for s in source.not_speakers}
    if speaker.casefold() in excluded or speaker.casefold().startswith("senior administration"):
        return None
    return speaker


def speaker_for(
    source: SourceConfig,
    *,
    title: str | None,
    creator: str | None = None,
    selected: str | None = None,
) -> str | None:
    """Speaker by the source's `speaker_from` strategies, in order."""
    for how in source.speaker_from:
        candidate = {"creator": creator, "title": speaker_from_title(title), "selector": selected}[
            how
        ]
        candidate = clean_speaker(source, candidate)
        if candidate:
            return candidate
    return None
