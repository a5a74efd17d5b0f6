"""Run by test_engine.py as a subprocess that is killed with SIGKILL at a random moment:
writes statements (new ones and new versions of earlier ones) in small transactions forever."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import Archive, StatementInput  # noqa: E402


def main(folder: str, start: int) -> None:
    arc = Archive.open(folder, create=True)
    print("ready", flush=True)
    n = start
    while True:
        with arc.transaction():
            for _ in range(7):
                arc.add_statement(
                    StatementInput("crash", f"https://x.test/{n}", f"common word{n}x first")
                )
                if n % 3 == 0 and n > 3:  # a new version of an earlier statement
                    old = n - 3
                    arc.add_statement(
                        StatementInput(
                            "crash", f"https://x.test/{old}", f"common word{old}x again{n}y"
                        )
                    )
                n += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
