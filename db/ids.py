"""Archive ids: stable, citable names for statements and their versions."""

from __future__ import annotations

import hashlib
import re

_REF = re.compile(r"^(?P<id>[a-z0-9][a-z0-9._-]*:[0-9a-f]{12})(?:@(?P<seq>\d+))?$")


def archive_id_for(source_id: str, key: str) -> str:
    """The stable id of a statement: the same in every archive that holds it."""
    digest = hashlib.sha256(f"{source_id}\n{key}".encode()).hexdigest()[:12]
    return f"{source_id}:{digest}"


def parse_ref(ref: str) -> tuple[str, int | None]:
    """Split `ID` or `ID@N` into (archive id, version seq or None); ValueError when malformed."""
    match = _REF.match(ref.strip())
    if not match:
        raise ValueError(
            f"not a statement id: {ref!r} (expected e.g. us-state:3f9a2c1b7d4e or …@2)"
        )
    seq = match.group("seq")
    return match.group("id"), int(seq) if seq else None
