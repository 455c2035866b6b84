"""``python -m anatviz.demos [FOLDER]``: write the computed demonstration scenes (default: a source
checkout's scenes/; an installed package needs FOLDER)."""

from __future__ import annotations

import sys

from ..hipmodel import load_model
from . import write_scenes


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m anatviz.demos [FOLDER]", file=sys.stderr)
        return 2
    try:
        paths = write_scenes(load_model(), args[0] if args else None)
    except FileNotFoundError as exc:
        print(f"python -m anatviz.demos: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
