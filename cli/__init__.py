"""The command line: `python main.py [--archive PATH] COMMAND …`; no command opens the viewer."""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

from db import ArchiveError
from db.errors import classify, internal_error_line, log_internal_error

from .common import CommandError, archive_path, fail

# Each module exposes register(subparsers).
COMMAND_MODULES = (
    "cli.archive_cmds",
    "cli.scrape_cmds",
    "cli.compare_cmds",
    "cli.research_cmds",
    "cli.desktop_cmds",
    "cli.related_cmds",
    "cli.search_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="communique",
        description="Communiqué: an offline archive of official government statements. "
        "Without a command, opens the viewer.",
    )
    parser.add_argument(
        "--archive",
        metavar="PATH",
        default=None,
        help="archive folder (or its archive.sqlite); default: "
        "$COMMUNIQUE_ARCHIVE, else the user data directory",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    for sub in subparsers.choices.values():  # --archive is accepted after the command too
        sub.add_argument(
            "--archive", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _open_viewer(args)
        return int(args.handler(args) or 0)
    except (ArchiveError, CommandError) as exc:
        fail(str(exc))
        return getattr(exc, "status", 2)
    except sqlite3.Error as exc:  # sorted by SQLite's result code: the user's, or a bug
        user = classify(exc, archive_path(args)[0])
        if user is None:
            return _internal_error(exc, argv)
        fail(str(user))
        return 2
    except KeyboardInterrupt:
        fail("interrupted; everything committed so far is kept")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file the user named: missing, unreadable, disk full
        fail(str(exc))
        return 2
    except Exception as exc:  # a bug: logged with its traceback, said in one line, never hidden
        return _internal_error(exc, argv)


def _internal_error(exc: BaseException, argv: list[str]) -> int:
    log = log_internal_error(exc, "communique " + " ".join(argv))
    fail(internal_error_line(exc, log))
    return 70  # EX_SOFTWARE


def entry() -> None:
    """The `communique` command installed by pip/pipx (`[project.scripts]`)."""
    sys.exit(main(sys.argv[1:]))


def _open_viewer(args) -> int:
    from viewer.app import run

    path, is_default = archive_path(args)
    return run(None if is_default else path)  # None: the last archive used, else the default
