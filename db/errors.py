"""Errors a user can cause (bad path, not an archive, newer schema, full disk): one family."""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """A problem with an archive file that the user can fix; the message names the path."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class ArchiveNotFound(ArchiveError):
    pass


class NotAnArchive(ArchiveError):
    pass


class NewerArchive(ArchiveError):
    pass


class ArchiveReadOnly(ArchiveError):
    pass


class DiskFull(ArchiveError):
    pass


class ArchiveCorrupt(ArchiveError):
    pass


class ArchiveBusy(ArchiveError):
    pass


class ArchiveIOError(ArchiveError):
    pass


# ------------------------------------------------------------------ sorting sqlite errors
# Errors are sorted by SQLite's result code (sqlite3.Error.sqlite_errorcode), never by the wording
# of the message: the primary code (its low 8 bits) says whether the user can do something about
# it. Every code not listed here — SQLITE_ERROR (bad SQL), SQLITE_CONSTRAINT (an IntegrityError),
# SQLITE_MISUSE, SQLITE_MISMATCH, SQLITE_RANGE … — is a bug in Communiqué, reported as one.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26
SQLITE_INTERRUPT = 9  # sqlite3.Connection.interrupt(): a superseded query stopped on purpose

_USER_CAUSED: dict[int, tuple[type[ArchiveError], str]] = {
    SQLITE_FULL: (DiskFull, "the disk is full; nothing of this change was written"),
    SQLITE_READONLY: (ArchiveReadOnly, "cannot write here (read-only location or permissions)"),
    SQLITE_PERM: (ArchiveReadOnly, "cannot write here (read-only location or permissions)"),
    SQLITE_CANTOPEN: (
        ArchiveReadOnly,
        "cannot open the archive file (missing folder, read-only location or permissions)",
    ),
    SQLITE_NOTADB: (NotAnArchive, "not an SQLite database"),
    SQLITE_CORRUPT: (ArchiveCorrupt, "the archive file is damaged"),
    SQLITE_BUSY: (
        ArchiveBusy,
        "another program is writing to the archive; try again when it has finished",
    ),
    SQLITE_LOCKED: (
        ArchiveBusy,
        "another program is writing to the archive; try again when it has finished",
    ),
    SQLITE_IOERR: (ArchiveIOError, "the disk could not be read or written (input/output error)"),
}


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of `exc` (e.g. 13 for SQLITE_FULL), None if it has none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def classify(exc: BaseException, path: Path | str) -> ArchiveError | None:
    """The user-facing error for an sqlite3 error a user can cause or fix, by its result code;
    None when it is a bug (or carries no code), to be reported as an internal error."""
    found = _USER_CAUSED.get(primary_code(exc))  # type: ignore[arg-type]
    if found is None:
        return None
    kind, reason = found
    if kind is ArchiveCorrupt:
        reason = f"{reason} ({getattr(exc, 'sqlite_errorname', '')}: {exc})"
    return kind(path, reason)


def is_user_error(exc: BaseException) -> bool:
    """True for errors a user causes and can fix, shown as one line: archive problems (also
    sqlite3 errors of those codes) and file-system errors (a missing file, a full disk…)."""
    if isinstance(exc, ArchiveError):
        return True
    if primary_code(exc) is not None:
        return primary_code(exc) in _USER_CAUSED
    return isinstance(exc, OSError)


# ------------------------------------------------------------------ bugs: logged, never swallowed
ENV_LOG_DIR = "COMMUNIQUE_LOG_DIR"
LOG_NAME = "communique.log"
_LOG_KEEP_BYTES = 1_000_000  # the log is cut to its last megabyte when it grows past two


def log_path() -> Path:
    """Where bugs are logged: $COMMUNIQUE_LOG_DIR, else the user log directory (platformdirs;
    e.g. ~/.local/state/communique/log/communique.log)."""
    import os

    folder = os.environ.get(ENV_LOG_DIR)
    if not folder:
        from platformdirs import user_log_path

        return user_log_path("communique", appauthor=False) / LOG_NAME
    return Path(folder).expanduser() / LOG_NAME


def log_internal_error(exc: BaseException, context: str = "") -> Path:
    """Append `exc` with its traceback (and where it happened) to the log; the log's path.

    A worker thread's traceback, kept by viewer.tasks in `__traceback_text__`, is used when the
    exception was carried across threads."""
    import datetime
    import traceback

    path = log_path()
    text = getattr(exc, "__traceback_text__", None) or "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)
    )
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    entry = f"--- {when} internal error{f' in {context}' if context else ''}\n{text.rstrip()}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > 2 * _LOG_KEEP_BYTES:
            tail = path.read_bytes()[-_LOG_KEEP_BYTES:]
            path.write_bytes(tail[tail.find(b"\n--- ") + 1 :] if b"\n--- " in tail else tail)
        with path.open("a", encoding="utf-8") as log:
            log.write(entry)
    except OSError:  # the log itself cannot be written: the traceback goes to stderr instead
        import sys

        print(entry, file=sys.stderr)
    return path


def internal_error_line(exc: BaseException, log: Path) -> str:
    """The one line shown for a bug: what it was, and where the details are."""
    first = (str(exc).splitlines() or [""])[0][:200]
    what = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return f"an internal error ({what}), details in {log}"


def describe(exc: BaseException, context: str = "") -> str:
    """One line for any exception: a user error's own message; a bug is logged first and
    described as an internal error naming the log."""
    if is_user_error(exc):
        return str(exc)
    return internal_error_line(exc, log_internal_error(exc, context))
