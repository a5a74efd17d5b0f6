"""Run every benchmark in bench/ one after another and print their figures.

Usage: python bench/run_all.py [--full]   (--full also builds/uses the 1M-statement archives)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK_ARGS = {"bench_archive.py": ["--skip-1m"], "bench_viewer.py": ["--size", "100000"]}


def main(argv: list[str]) -> int:
    full = "--full" in argv
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        args = [] if full else QUICK_ARGS.get(script.name, [])
        print(f"\n=== {script.name} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, str(script), *args], cwd=HERE.parent).returncode:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
