"""CLI commands that draw: render, animate, show, serve, export, demo, gallery (thin shells over
anatviz.render and the shells).

The renderer is imported only when one of these commands runs, so the model commands stay fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from pathlib import Path

from .geometry.frame_solver import use_numba_in_background
from .hipmodel import HipModel
from .scene import load_scene, shipped_scenes, with_overrides
from .scene.schema import MAX_SIZE, Scene
from .scene.views import VIEWS
from .usage import UsageError

DEMO_STILL, DEMO_MOVIE = "overview", "hip_extension"
DEMO_MOVIE_SIZE = (960, 540)  # a 5 s GIF of about 4 MB
GALLERY_SCENES = ("overview", "gluteal_layers", "hamstrings", "hip_extension", "knee_flexion", "hip_thrust",
                  "romanian_deadlift")
GALLERY_MOVIE = "hip_extension"


def add_commands(sub: argparse._SubParsersAction) -> None:
    scene_help = "a scene file or the name of a shipped scene (e.g. overview)"
    for name, helptext in (("render", "render a scene to a picture (PNG, JPEG, TIFF, SVG, PDF, EPS)"),
                           ("animate", "render a scene's motion to a GIF or MP4")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("scene", help=scene_help)
        p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file; the extension sets the format")
        p.add_argument("--size", metavar="WxH", help=f"picture size in pixels (up to {MAX_SIZE[0]}x{MAX_SIZE[1]})")
        if name == "render":
            p.add_argument("--transparent", action="store_true", help="transparent background (PNG or TIFF)")
        p.add_argument("--view", choices=list(VIEWS), help="a named camera view")
        p.add_argument("--show", nargs="+", default=[], metavar="GROUP", help="show only these groups, muscles or bones")
        p.add_argument("--hide", nargs="+", default=[], metavar="GROUP", help="hide these groups, muscles or bones")
        p.add_argument("--set", nargs="+", default=[], metavar="COORDINATE=DEG", dest="pose",
                       help="hold coordinates at these angles, e.g. hip_flexion_r=30")
        if name == "animate":
            p.add_argument("--fps", type=float, help="frames per second (GIF: 10, 20, 25 or 50)")
            p.add_argument("--frames", type=int, help="number of frames over the whole motion")
            p.add_argument("--quiet", action="store_true", help="no progress bar")
    p = sub.add_parser("show", help="open an interactive window of a scene")
    p.add_argument("scene", nargs="?", help=scene_help + " (default: overview)")
    p.add_argument("--present", action="store_true", help="presentation mode: full screen, large text, little chrome")
    p.add_argument("--lesson", metavar="NAME", help="step through a lesson (a lesson file or a shipped one) "
                   "instead of one scene")
    p = sub.add_parser("serve", help="serve a scene to browsers (needs the web extra)")
    p.add_argument("scene", nargs="?", help=scene_help + " (default: overview)")
    p.add_argument("--port", default="8080", metavar="N", help="port (default: 8080; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help="address to bind (default: 127.0.0.1, this machine only; 0.0.0.0 for a class)")
    p.add_argument("--rendering", choices=("server", "client"), default="server",
                   help="server: pictures rendered here (default); client: drawn in the browser by vtk.js")
    p.add_argument("--lesson", metavar="NAME", help="step through a lesson (a lesson file or a shipped one) "
                   "instead of one scene")
    p = sub.add_parser("export", help="export a scene to an interactive file: HTML page, glTF, GLB or vtk.js")
    p.add_argument("scene", help=scene_help)
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="OUT.html (a standalone page), OUT.gltf, OUT.glb (Blender, three.js) or OUT.vtksz")
    p.add_argument("--show", nargs="+", default=[], metavar="GROUP", help="show only these groups, muscles or bones")
    p.add_argument("--hide", nargs="+", default=[], metavar="GROUP", help="hide these groups, muscles or bones")
    p.add_argument("--set", nargs="+", default=[], metavar="COORDINATE=DEG", dest="pose",
                   help="hold coordinates at these angles, e.g. hip_flexion_r=30")
    p.add_argument("--view", choices=list(VIEWS), help="the camera the page opens with")
    p.set_defaults(size=None)
    p = sub.add_parser("demo", help="render the overview still and the hip-extension animation into a folder")
    p.add_argument("-o", "--output", default="anatviz-output", metavar="DIR", help="folder (default: anatviz-output)")
    p = sub.add_parser("gallery", help="render the README gallery from the shipped scenes")
    p.add_argument("-o", "--output", default="docs/gallery", metavar="DIR", help="folder (default: docs/gallery)")


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = re.fullmatch(r"(\d+)[xX](\d+)", text)
    if not match or not (16 <= int(match[1]) <= MAX_SIZE[0] and 16 <= int(match[2]) <= MAX_SIZE[1]):
        raise UsageError(f"argument --size: expected WxH with 16 <= W <= {MAX_SIZE[0]} and 16 <= H <= {MAX_SIZE[1]} "
                         f"(e.g. 1920x1080), found {text!r}")
    return int(match[1]), int(match[2])


def _pose(items: list[str]) -> dict[str, float]:
    pose = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            pose[name] = float(value)
        except ValueError:
            raise UsageError(f"argument --set: expected COORDINATE=DEGREES (e.g. hip_flexion_r=30), found {item!r}") from None
    return pose


def scene_from_args(model: HipModel, args: argparse.Namespace) -> Scene:
    scene = load_scene(args.scene, model)
    try:
        return with_overrides(model, scene, size=_size(args.size), transparent=getattr(args, "transparent", False),
                              view=args.view, show=args.show, hide=args.hide, pose_deg=_pose(args.pose))
    except ValueError as exc:
        option = "--set" if "deg" in str(exc) or "coordinate" in str(exc) else "--show/--hide"
        raise UsageError(f"argument {option}: {exc}") from None


def _render(model: HipModel, args: argparse.Namespace) -> int:
    from .render import render_still
    from .render.output import OutputError

    try:
        path = render_still(model, scene_from_args(model, args), args.output)
    except OutputError as exc:
        raise UsageError(f"argument -o/--output: {exc}") from None
    print(path)
    return 0


def _animate(model: HipModel, args: argparse.Namespace) -> int:
    from .render import render_movie
    from .render.output import OutputError

    if args.frames is not None and args.frames < 2:
        raise UsageError(f"argument --frames: expected at least 2, found {args.frames}")
    try:
        path = render_movie(model, scene_from_args(model, args), args.output, fps=args.fps, frames=args.frames,
                            progress=not args.quiet)
    except OutputError as exc:
        raise UsageError(f"argument -o/--output: {exc}") from None
    print(path)
    return 0


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in ("win32", "darwin")


def _show(model: HipModel, args: argparse.Namespace) -> int:
    lesson = _lesson(model, args)
    args.scene = args.scene or "overview"
    if not has_display():
        print("anatviz show: no display here (DISPLAY is not set); render pictures with "
              f"'anatviz render {args.scene} -o picture.png' or movies with 'anatviz animate {args.scene} -o movie.gif'",
              file=sys.stderr)
        return 1
    from .desktop import run_window

    use_numba_in_background()  # held poses' activations about 4 times as fast, once it is ready
    run_window(model, None if lesson else load_scene(args.scene, model), present=args.present, lesson=lesson)
    return 0


def _lesson(model: HipModel, args: argparse.Namespace):
    """The lesson named by ``--lesson``, or None; a bad name or file, or a scene named as well, is a
    one-line usage error."""
    name = args.lesson
    if name is None:
        return None
    if args.scene is not None:
        raise UsageError(f"argument --lesson: a lesson brings its own scenes; expected no SCENE, found {args.scene!r}")
    from .lesson import load_lesson

    try:
        return load_lesson(name, model)
    except (OSError, ValueError) as exc:
        raise UsageError(f"argument --lesson: {exc}") from None


def _port(text: str, host: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise UsageError(f"argument --port: expected a port number from 0 to 65535 (0: any free port), found {text!r}")
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except socket.gaierror:
        raise UsageError(f"argument --host: expected an address of this machine (127.0.0.1, 0.0.0.0...), "
                         f"found {host!r}") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"argument --port: {port} is already in use on {host}; choose another, "
                             "or 0 for any free port") from None
        raise UsageError(f"argument --host: cannot listen on {host!r} ({exc.strerror}); expected an address "
                         "of this machine (127.0.0.1, 0.0.0.0...)") from None
    return port


def _serve(model: HipModel, args: argparse.Namespace) -> int:
    from .web import INSTALL_HINT

    port = _port(args.port, args.host)
    lesson = _lesson(model, args)
    scene = lesson.steps[0].scene if lesson else load_scene(args.scene or "overview", model)
    try:
        from .web.serve import serve
    except ImportError as exc:
        print(f"anatviz serve: {INSTALL_HINT} ({exc.name} is missing)", file=sys.stderr)
        return 1
    use_numba_in_background()  # held poses' activations about 4 times as fast, once it is ready
    serve(model, scene, port=port, host=args.host, rendering=args.rendering, lesson=lesson)
    return 0


def _export(model: HipModel, args: argparse.Namespace) -> int:
    from .render.export import export_scene
    from .render.output import OutputError

    try:
        path = export_scene(model, scene_from_args(model, args), args.output)
    except OutputError as exc:
        raise UsageError(f"argument -o/--output: {exc}") from None
    except ImportError as exc:
        print(f"anatviz export: {args.output} needs {exc.name}: pip install \"anatviz[web]\"", file=sys.stderr)
        return 1
    print(path)
    return 0


def _demo(model: HipModel, args: argparse.Namespace) -> int:
    from .render import render_movie, render_still

    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    still = render_still(model, load_scene(DEMO_STILL, model), folder / f"{DEMO_STILL}.png")
    movie_scene = load_scene(DEMO_MOVIE, model).with_changes(size=DEMO_MOVIE_SIZE)
    movie = render_movie(model, movie_scene, folder / f"{DEMO_MOVIE}.gif", progress=sys.stderr.isatty())
    print(f"wrote {still.resolve()}")
    print(f"wrote {movie.resolve()}")
    return 0


def _gallery(model: HipModel, args: argparse.Namespace) -> int:
    from .render import render_movie, render_still

    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for name in GALLERY_SCENES:
        scene = load_scene(name, model)
        print(render_still(model, scene.with_changes(size=(1280, 720)), folder / f"{name}.png"))
    movie = load_scene(GALLERY_MOVIE, model).with_changes(size=(640, 360))
    print(render_movie(model, movie, folder / f"{GALLERY_MOVIE}.gif", fps=20))
    return 0


COMMANDS = {"render": _render, "animate": _animate, "show": _show, "demo": _demo, "gallery": _gallery,
            "serve": _serve, "export": _export}
__all__ = ["COMMANDS", "add_commands", "shipped_scenes"]
