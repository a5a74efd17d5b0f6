"""Resolve `ID` and `ID@N` references to compared sides through the archive API."""

from __future__ import annotations

from compare.comparison import Side
from db import Archive, Statement, cite, parse_ref

__all__ = ["RefError", "load_sides", "side_for", "MAX_SIDES"]

MAX_SIDES = 4


class RefError(Exception):
    """A reference that names no statement or version; the message is one line for the user."""


def load_sides(archive: Archive, refs: list[str]) -> list[Side]:
    """Sides for `refs`. One ref: `ID` gives its two latest versions, `ID@N` versions N-1 and N.

    Several refs: each `ID` is the statement's latest version, `ID@N` version N.
    """
    refs = [r.strip() for r in refs if r.strip()]
    if not refs:
        raise RefError("nothing to compare: give one statement id, or two to four ids")
    if len(refs) > MAX_SIDES:
        raise RefError(f"at most {MAX_SIDES} statements or versions can be compared at once")
    if len(refs) == 1:
        statement, seq = _statement(archive, refs[0])
        if statement.version_count < 2 or len(statement.versions) < 2:
            raise RefError(f"{refs[0]}: has only one version; give a second id to compare with")
        if seq is None:
            seq = statement.versions[-1].seq
        _version(statement, seq, refs[0])
        if seq == statement.versions[0].seq:
            raise RefError(f"{refs[0]}: is the first version; nothing earlier to compare with")
        earlier = max(v.seq for v in statement.versions if v.seq < seq)
        return [side_for(statement, earlier), side_for(statement, seq)]
    sides = []
    for ref in refs:
        statement, seq = _statement(archive, ref)
        sides.append(side_for(statement, seq if seq is not None else statement.versions[-1].seq))
    return sides


def side_for(statement: Statement, seq: int) -> Side:
    """The side for version `seq` of a loaded statement."""
    version = _version(statement, seq, f"{statement.archive_id}@{seq}")
    return Side(
        text=version.text,
        id=statement.archive_id,
        version=version.seq,
        version_count=len(statement.versions),
        title=version.title or statement.title,
        source=statement.source_id,
        source_name=statement.source_name,
        url=statement.url,
        published=statement.published,
        language=statement.language,
        first_seen=version.first_seen,
        declared_modified=version.declared_modified,
        captured_at=cite.evidence(version).captured_at,
        origin=version.origin,
    )


def _statement(archive: Archive, ref: str) -> tuple[Statement, int | None]:
    try:
        archive_id, seq = parse_ref(ref)
    except ValueError as exc:
        raise RefError(str(exc)) from None
    statement = archive.get_statement(archive_id)
    if statement is None:
        raise RefError(f"{ref}: no such statement in {archive.folder}")
    if not statement.versions:
        raise RefError(f"{ref}: the archive holds no text for this statement")
    return statement, seq


def _version(statement: Statement, seq: int, ref: str):
    for version in statement.versions:
        if version.seq == seq:
            return version
    raise RefError(
        f"{ref}: no version {seq} (the statement has versions 1–{statement.versions[-1].seq})"
    )
