"""The ``anatviz`` command: a thin shell over the Python API.

``main(argv) -> int`` so that tests call it in-process. Bad arguments print one line naming the
argument and the allowed values, and exit with code 2; bad data files print one line and exit with 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence

import numpy as np

from . import __version__
from .cards import card_json, card_text
from .geometry.pose import PoseError
from .hipmodel import HipModel, load_model
from .model import AnatomyDataError
from .usage import UsageError
from . import cli_scenes
from . import cli_activation
from . import cli_lesson

LISTABLE = ("muscles", "groups", "bones", "coordinates")
MOMENT_ARM_COLUMNS = ("muscle", "hip_flexion_deg", "knee_flexion_deg", "coordinate", "moment_arm_m", "length_m")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="anatviz", description="3D anatomy of the hip: gluteal and hamstring muscles.")
    parser.add_argument("--version", action="version", version=f"anatviz {__version__}")
    parser.add_argument("--model", metavar="TOML", help="anatomy data file (default: the bundled hip model)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("list", help="list muscles, groups, bones or coordinates")
    p.add_argument("what", choices=LISTABLE)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("info", help="print a muscle's card")
    p.add_argument("muscle", help="a muscle (gluteus_maximus_superior_r) or a card (gluteus_maximus)")
    p.add_argument("--json", action="store_true", help="print every field of the card as JSON")

    p = sub.add_parser("moment-arms", help="moment arms and lengths over a range of hip flexion")
    p.add_argument("--muscle", action="append", metavar="NAME", default=[],
                   help="a muscle or a group (repeatable; default: every muscle)")
    p.add_argument("--hip-flexion", required=True, metavar="START:STOP:STEP",
                   help="hip flexion in degrees, both sides, STOP included (e.g. -30:120:10)")
    p.add_argument("--knee-flexion", default="0", metavar="DEG[,DEG...]",
                   help="knee flexion angles in degrees, both sides (default: 0)")
    p.add_argument("--csv", action="store_true", help="print CSV")
    cli_scenes.add_commands(sub)
    cli_activation.add_commands(sub)
    cli_lesson.add_commands(sub)
    return parser


VALUE_OPTIONS = ("--hip-flexion", "--knee-flexion")


def _attach_values(argv: Sequence[str]) -> list[str]:
    """``--hip-flexion -30:120:10`` -> ``--hip-flexion=-30:120:10`` (argparse reads ``-30...`` as an option)."""
    out: list[str] = []
    for token in argv:
        if out and out[-1] in VALUE_OPTIONS and token.startswith("-"):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(_attach_values(sys.argv[1:] if argv is None else argv))
        model = load_model(args.model)
        return COMMANDS[args.command](model, args)
    except UsageError as exc:
        print(f"anatviz: error: {exc}", file=sys.stderr)
        return 2
    except (AnatomyDataError, PoseError) as exc:
        print(f"anatviz: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit flush quiet
        return 0


def _list(model: HipModel, args: argparse.Namespace) -> int:
    data = {
        "muscles": model.muscles,
        "groups": model.groups,
        "bones": model.bones,
        "coordinates": {name: list(r) for name, r in model.coordinates.items()},
    }[args.what]
    if args.json:
        print(json.dumps(data, indent=2))
    elif args.what == "muscles":
        print("\n".join(f"{m:32s} {model.muscle(m).label}" for m in model.muscles))
    elif args.what == "groups":
        print("\n".join(f"{g:30s} {', '.join(ms)}" for g, ms in model.groups.items()))
    elif args.what == "bones":
        print("\n".join(f"{b:10s} {model.data.bones[b].display_name}" for b in model.bones))
    else:
        for name, (lo, hi) in model.coordinates.items():
            print(f"{name:18s} {lo:6.1f} .. {hi:6.1f} deg  {model.data.coordinates[name].description}")
    return 0


def _info(model: HipModel, args: argparse.Namespace) -> int:
    name = args.muscle
    if name in model.data.cards:
        card, muscles = model.data.cards[name], model.groups[name]
    elif name in model.data.muscles:
        card, muscles = model.card(name), [name]
    else:
        raise UsageError(f"argument muscle: unknown {name!r}; expected a muscle "
                         f"({', '.join(model.muscles)}) or a card ({', '.join(model.data.cards)})")
    if args.json:
        print(json.dumps(card_json(model.data, card, muscles), indent=2))
    else:
        print(card_text(model.data, card, muscles))
    return 0


def _degrees_range(text: str, argument: str, limits: tuple[float, float]) -> np.ndarray:
    lo, hi = limits
    try:
        start, stop, step = (float(x) for x in text.split(":"))
    except ValueError:
        raise UsageError(f"argument {argument}: expected START:STOP:STEP in degrees (e.g. -30:120:10), "
                         f"found {text!r}") from None
    if step <= 0 or stop < start or start < lo or stop > hi:
        raise UsageError(f"argument {argument}: expected {lo:g} <= START <= STOP <= {hi:g} and STEP > 0, "
                         f"found {text!r}")
    return np.arange(start, stop + step * 1e-9, step)


def _degrees_list(text: str, argument: str, limits: tuple[float, float]) -> np.ndarray:
    lo, hi = limits
    try:
        values = np.array([float(x) for x in text.split(",")])
    except ValueError:
        raise UsageError(f"argument {argument}: expected comma-separated degrees (e.g. 0,90), "
                         f"found {text!r}") from None
    if np.any((values < lo) | (values > hi)):
        raise UsageError(f"argument {argument}: expected degrees in [{lo:g}, {hi:g}], found {text!r}")
    return values


def _selected_muscles(model: HipModel, names: list[str]) -> list[str]:
    if not names:
        return model.muscles
    chosen: list[str] = []
    for name in names:
        if name in model.data.muscles:
            members = [name]
        elif name in model.groups:
            members = model.groups[name]
        else:
            raise UsageError(f"argument --muscle: unknown {name!r}; expected a muscle or a group "
                             f"({', '.join(model.groups)})")
        chosen += [m for m in members if m not in chosen]
    return chosen


def _moment_arms(model: HipModel, args: argparse.Namespace) -> int:
    hip = _degrees_range(args.hip_flexion, "--hip-flexion", model.coordinates["hip_flexion_r"])
    knee = _degrees_list(args.knee_flexion, "--knee-flexion", model.coordinates["knee_flexion_r"])
    muscles = _selected_muscles(model, args.muscle)
    hip_grid, knee_grid = (g.ravel() for g in np.meshgrid(hip, knee, indexing="ij"))
    motion = model.compute(paths=False, hip_flexion_r=hip_grid, hip_flexion_l=hip_grid,
                           knee_flexion_r=knee_grid, knee_flexion_l=knee_grid)
    rows = []
    for muscle in muscles:
        i = motion.muscles.index(muscle)
        for frame, (h, k) in enumerate(zip(hip_grid, knee_grid)):
            for coordinate in model.crossed[muscle]:
                c = motion.coordinates.index(coordinate)
                rows.append((muscle, float(h), float(k), coordinate,
                             float(motion.moment_arms_m[frame, i, c]), float(motion.lengths_m[frame, i])))
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(MOMENT_ARM_COLUMNS)
        writer.writerows((m, f"{h:g}", f"{k:g}", c, f"{r:.6f}", f"{length:.6f}") for m, h, k, c, r, length in rows)
    else:
        print(f"{'muscle':32s} {'hip':>6s} {'knee':>6s} {'coordinate':16s} {'moment arm':>11s} {'length':>8s}")
        for m, h, k, c, r, length in rows:
            print(f"{m:32s} {h:6.1f} {k:6.1f} {c:16s} {r * 100:8.2f} cm {length * 100:5.1f} cm")
    return 0


COMMANDS = {"list": _list, "info": _info, "moment-arms": _moment_arms, **cli_scenes.COMMANDS,
            **cli_activation.COMMANDS, **cli_lesson.COMMANDS}


if __name__ == "__main__":
    sys.exit(main())
