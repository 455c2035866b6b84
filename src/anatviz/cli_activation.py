"""CLI commands of the activation model: ``activations`` (a table or JSON) and ``plot`` (PNG, SVG, PDF).

matplotlib is imported only when ``plot`` runs.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from .activation import PLANES, activations, merged_strength
from .activation.trendelenburg import scene_with_drop
from .hipmodel import HipModel
from .scene import load_scene, shipped_scenes
from .scene.schema import Scene
from .usage import UsageError

SCENE_HELP = "a scene file or the name of a shipped scene with a [load] (e.g. hip_thrust)"
PLOT_KINDS = ("moment-arms", "lengths", "activations")


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("activations", help="mean and peak activation of every muscle over a scene's motion")
    p.add_argument("scene", help=SCENE_HELP)
    p.add_argument("--weaken", nargs="+", default=[], metavar="MUSCLE_OR_GROUP=FACTOR",
                   help="scale muscles' strength, e.g. gluteus_maximus=0.5 (factor 0 to 1), on top of the scene's [strength]")
    p.add_argument("--fps", type=float, default=None, help="frames per second to sample (default: the scene's)")
    p.add_argument("--planes", choices=list(PLANES), default="all",
                   help="hip moments the muscles must make: all three axes (default) or sagittal only")
    p.add_argument("--json", action="store_true", help='print {"muscles": {name: {"mean": x, "peak": y}}, ...}')

    p = sub.add_parser("plot", help="plot moment arms, lengths or activations to a PNG, SVG or PDF file")
    kinds = p.add_subparsers(dest="kind", required=True, parser_class=type(p))
    q = kinds.add_parser("moment-arms", help="moment arm against hip flexion")
    _muscle_options(q, "gluteus_maximus_r and hamstrings_r")
    q.add_argument("--coordinate", default="hip_flexion_r", help="the moment arm's coordinate (default hip_flexion_r)")
    q.add_argument("--knee-flexion", type=float, default=0.0, metavar="DEG", help="knee angle held (default 0)")
    q = kinds.add_parser("lengths", help="musculotendon length against hip flexion at some knee angles")
    _muscle_options(q, "hamstrings_r")
    q.add_argument("--knee-flexion", default="0,90", metavar="DEG[,DEG...]", help="knee angles (default 0,90)")
    q = kinds.add_parser("activations", help="mean and peak activation per muscle group per exercise")
    q.add_argument("scenes", nargs="+", metavar="SCENE", help=SCENE_HELP)
    q.add_argument("--weaken", nargs="+", default=[], metavar="MUSCLE_OR_GROUP=FACTOR", help="as for activations")
    q.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .png, .svg or .pdf")


def _muscle_options(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--muscle", action="append", default=[], metavar="NAME",
                   help=f"a muscle or a group, repeatable (default {default})")
    p.add_argument("--hip-flexion", default="-30:120:2", metavar="START:STOP:STEP",
                   help="hip flexion sweep in degrees (default -30:120:2)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file: .png, .svg or .pdf")


def weakening(model: HipModel, items: list[str]) -> dict[str, float]:
    """``['gluteus_maximus=0.5', ...]`` -> ``{'gluteus_maximus': 0.5}``; UsageError naming the allowed values."""
    out = {}
    for item in items:
        name, _, text = item.partition("=")
        try:
            factor = float(text)
        except ValueError:
            factor = float("nan")
        if not 0.0 <= factor <= 1.0:
            raise UsageError(f"argument --weaken: expected MUSCLE_OR_GROUP=FACTOR with FACTOR from 0 to 1 "
                             f"(e.g. gluteus_maximus=0.5), found {item!r}")
        if name not in model.groups and name not in model.data.muscles and name not in ("vasti", "vasti_r", "vasti_l"):
            raise UsageError(f"argument --weaken: unknown {name!r}; expected a muscle, vasti, vasti_r, vasti_l or a "
                             f"group ({', '.join(model.groups)})")
        out[name] = factor
    return out


def loaded_scene(model: HipModel, name: str) -> Scene:
    scene = load_scene(name, model)
    if scene.load is None:
        with_load = [s for s in shipped_scenes() if load_scene(s, model).load is not None]
        raise UsageError(f"argument scene: {name!r} has no [load] table; expected a scene with a load, e.g. "
                         f"{', '.join(with_load)}")
    return scene


def _activations(model: HipModel, args: argparse.Namespace) -> int:
    if args.fps is not None and not 1.0 <= args.fps <= 120.0:
        raise UsageError(f"argument --fps: expected 1 to 120 frames per second, found {args.fps:g}")
    weak = weakening(model, args.weaken)
    scene = scene_with_drop(model, loaded_scene(model, args.scene), weak)  # a [pelvis_drop] solved for --weaken
    strength = merged_strength(scene.strength, weak)  # --weaken on top of the scene's [strength]
    result = activations(model, scene, strength=strength, fps=args.fps, planes=args.planes)
    summary = result.summary()
    ratio = result.mean_ratio()
    residual = float(np.abs(result.residual_moment_nm).max())
    if args.json:
        print(json.dumps({
            "scene": scene.name, "frames": len(result), "planes": args.planes, "strength": strength,
            "muscles": {m: summary[m] for m in result.muscles},
            "actuators": {a: summary[a] for a in summary if a not in result.muscles},
            "gluteus_maximus_to_hamstrings": None if not np.isfinite(ratio) else ratio,
            "max_residual_moment_nm": residual, "balanced": bool(result.statics.balanced.all()),
        }, indent=2))
        return 0
    print(f"{scene.title}  ({scene.name}, {len(result)} frames, {args.planes} planes"
          + (", " + ", ".join(f"{k} x{v:g}" for k, v in strength.items()) if strength else "") + ")")
    print(f"gluteus maximus / hamstrings: {ratio:.2f}" if np.isfinite(ratio) else
          "gluteus maximus / hamstrings: - (hamstrings silent)")
    if residual > 0.5:
        print(f"note: the muscles fall short by up to {residual:.1f} N m (see docs/activation-model.md)")
    print(f"{'muscle':34s} {'mean':>6s} {'peak':>6s}")
    for name, values in summary.items():
        print(f"{name:34s} {100 * values['mean']:5.1f}% {100 * values['peak']:5.1f}%")
    return 0


def _plot(model: HipModel, args: argparse.Namespace) -> int:
    from . import plots

    if args.kind == "activations":
        strength = weakening(model, args.weaken)  # on top of each scene's own [strength]
        scenes = [scene_with_drop(model, loaded_scene(model, name), strength) for name in args.scenes]
        fig = plots.activation_figure(model, {s.name: activations(model, s, strength=strength, fps=10.0)
                                              for s in scenes})
    else:
        fig = _angle_figure(model, args, plots)
    try:
        print(plots.save_figure(fig, args.output))
    except ValueError as exc:
        raise UsageError(f"argument -o/--output: {exc}") from None
    return 0


def _angle_figure(model: HipModel, args: argparse.Namespace, plots):
    """A moment-arm or length plot against hip flexion, on the side of the chosen muscles."""
    from .cli import _degrees_list, _degrees_range, _selected_muscles

    hip = _degrees_range(args.hip_flexion, "--hip-flexion", model.coordinates["hip_flexion_r"])
    default = ["hamstrings_r"] if args.kind == "lengths" else ["gluteus_maximus_r", "hamstrings_r"]
    muscles = _selected_muscles(model, args.muscle or default)
    knee_range = model.coordinates["knee_flexion_r"]
    if args.kind == "lengths":
        knees = [float(k) for k in _degrees_list(args.knee_flexion, "--knee-flexion", knee_range)]
        return plots.length_figure(model, muscles, hip, knees, side=model.muscle(muscles[0]).side)
    if not knee_range[0] <= args.knee_flexion <= knee_range[1]:
        raise UsageError(f"argument --knee-flexion: expected degrees in [{knee_range[0]:g}, {knee_range[1]:g}], "
                         f"found {args.knee_flexion:g}")
    crossing = _crossing(model, muscles, args.coordinate)
    return plots.moment_arm_figure(model, crossing, args.coordinate, hip, knee_flexion_deg=args.knee_flexion,
                                   side=model.muscle(crossing[0]).side)


def _crossing(model: HipModel, muscles: list[str], coordinate: str) -> list[str]:
    if coordinate not in model.coordinates:
        raise UsageError(f"argument --coordinate: unknown {coordinate!r}; expected one of "
                         f"{', '.join(model.coordinates)}")
    crossing = [m for m in muscles if coordinate in model.crossed[m]]
    if not crossing:
        raise UsageError(f"argument --coordinate: none of the chosen muscles crosses {coordinate!r}")
    return crossing


COMMANDS = {"activations": _activations, "plot": _plot}
__all__ = ["COMMANDS", "add_commands"]
