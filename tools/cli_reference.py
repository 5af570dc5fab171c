"""Write docs/cli.md, the reference of every command and option, from the option declarations.

    python tools/cli_reference.py [--check]

With --check, only say whether docs/cli.md is current (exit 1 if not).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pseudogen.cli import main
from pseudogen.options import cli_reference

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that docs/cli.md is current")
    args = parser.parse_args()
    text = cli_reference(main)
    if args.check:
        current = PAGE.is_file() and PAGE.read_text(encoding="utf-8") == text
        print(f"{PAGE}: {'current' if current else 'out of date; run python tools/cli_reference.py'}")
        sys.exit(0 if current else 1)
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    run()
