"""Communiqué: no arguments opens the viewer; a subcommand runs the command line."""

import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
