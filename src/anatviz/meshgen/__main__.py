"""Regenerate the bone meshes: ``python -m anatviz.meshgen [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from anatviz.meshgen.build import DEFAULT_OUT, build_all


def main(argv: Sequence[str] | None = None) -> int:
    """Build every bone mesh and write it as binary PLY.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code: 0 on success, 1 when the output folder cannot be written.
    """
    parser = argparse.ArgumentParser(prog="python -m anatviz.meshgen", description=__doc__)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        build_all(args.out)
    except OSError as error:
        print(f"anatviz.meshgen: cannot write meshes to {args.out}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
