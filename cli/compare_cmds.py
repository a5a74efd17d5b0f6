"""`compare A [B] [--json | --html FILE]`: versions of one statement, or two statements."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from compare import compare_sides, comparison_html, summary_line, to_json
from compare.comparison import Comparison
from compare.load import RefError, load_sides
from db.files import write_atomic

from .common import CommandError, open_archive


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "compare",
        help="compare two versions of a statement, or two statements",
        description="Compare two versions of one statement (word by word; changes in spacing "
        "or quote marks are ignored; moved paragraphs are shown as moves) or two different "
        "statements (shared passages and aligned paragraphs). A is a statement id, or ID@N "
        "for version N. With A alone: its two latest versions (ID@N alone: versions N-1 and N).",
    )
    p.add_argument("a", metavar="A", help="statement id (e.g. us-state:3f9a2c1b7d4e) or ID@N")
    p.add_argument("b", metavar="B", nargs="?", help="second statement id or ID@N")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    out.add_argument(
        "--html", metavar="FILE", help="write one self-contained side-by-side HTML file"
    )
    p.add_argument(
        "--changes-only",
        action="store_true",
        help="with --html: fold paragraphs more than 3 away from a change",
    )
    p.set_defaults(handler=cmd_compare)


def cmd_compare(args) -> int:
    refs = [args.a] + ([args.b] if args.b else [])
    if args.html:
        target = Path(args.html)
        if not target.parent.exists():
            raise CommandError(f"{target}: the folder {target.parent} does not exist")
    archive = open_archive(args, readonly=True)
    try:
        sides = load_sides(archive, refs)
    except RefError as exc:
        raise CommandError(str(exc)) from None
    finally:
        archive.close()
    comparison = compare_sides(sides[0], sides[1])
    if args.json:
        json.dump(to_json(comparison), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.html:
        try:
            write_atomic(target, comparison_html(comparison, changes_only=args.changes_only))
        except OSError as exc:
            raise CommandError(f"{target}: cannot write: {exc.strerror or exc}") from None
        print(f"{target}: {summary_line(comparison)}")
    else:
        print_text(comparison)
    return 0


def print_text(c: Comparison) -> None:
    """A readable report on a terminal: both citations, the summary, then each change."""
    from compare.html_export import citation

    print(f"left:  {citation(c.left)}")
    print(f"right: {citation(c.right)}")
    print(summary_line(c))
    lt, rt = c.left.text, c.right.text
    if c.mode == "versions":
        for op in c.diff.ops:
            if op.op == "equal":
                continue
            before = _clip(lt[op.left_start : op.left_end])
            after = _clip(rt[op.right_start : op.right_end])
            where = f"@{op.left_start}/{op.right_start}"
            if op.op == "insert":
                print(f"  + {where} {after}")
            elif op.op == "delete":
                print(f"  - {where} {before}")
            elif op.op == "move":
                print(f"  ↷ {where} moved: {before}")
            else:
                print(f"  ~ {where} {before} → {after}")
    else:
        for p in c.shared:
            print(f"  = @{p.left_start}/{p.right_start} ({p.words} words) {_clip(p.text)}")


def _clip(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return json.dumps(text if len(text) <= width else text[: width - 1] + "…", ensure_ascii=False)
