"""Responses that must never become statements: errors, empty bodies, bot challenges."""

from __future__ import annotations

import re

# Challenge pages are small script-only pages; the same markers can appear inside real pages
# (F5 injects /TSPD/ scripts, Iranian sites load assets from ArvanCloud), hence the size limit.
_SMALL = 40_000
_CHALLENGES = (
    (re.compile(rb"window\[\"bobcmn\"\]|/TSPD/[0-9a-f]{10,}"), "F5 bot challenge page"),
    (
        re.compile(
            rb"<title>\s*Just a moment\.\.\.\s*</title>|cf-browser-verification", re.IGNORECASE
        ),
        "Cloudflare challenge page",
    ),
    (re.compile(rb"Incapsula incident ID", re.IGNORECASE), "Incapsula challenge page"),
)


def challenge_reason(body: bytes) -> str | None:
    """Which known bot-challenge page this is, or None."""
    if len(body) > _SMALL:
        return None
    lowered = body.lower()
    if b"arvan" in lowered and b"document.cookie" in lowered:
        return "ArvanCloud cookie gate"
    for pattern, reason in _CHALLENGES:
        if pattern.search(body):
            return reason
    return None


def unusable_reason(status: int | None, body: bytes) -> str | None:
    """Why a response cannot be a statement (HTTP >= 400, empty, challenge), or None."""
    if status is not None and status >= 400:
        return f"HTTP {status}"
    if not body.strip():
        return "empty body"
    return challenge_reason(body)
