"""``anatviz lesson NAME [-o DIR] [--size WxH]``: a lesson as pictures and a printable handout.

Each step's scene is rendered (its still frame) to ``DIR/NN_<scene>.png``; ``DIR/index.html`` lists the
steps with their headings, pictures and captions. The renderer is imported only when the command runs.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from .atomic import write_atomically
from .cli_scenes import _size
from .hipmodel import HipModel
from .lesson import Lesson, load_lesson, shipped_lessons
from .scene import with_overrides
from .usage import UsageError

DEFAULT_SIZE = (1280, 720)
"""Pictures of a handout: the scenes' own 720p, sharp on paper and on a slide."""

PAGE_STYLE = """body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1f2430; }
h1 { font-size: 2rem; } h2 { font-size: 1.4rem; margin-top: 2.5rem; }
figure { margin: 0; } img { width: 100%; height: auto; border-radius: 4px; }
p.caption { font-size: 1.15rem; line-height: 1.5; } p.source { color: #555; font-size: 0.95rem; }
section { page-break-inside: avoid; }"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lesson", help="render a lesson's steps to pictures and an HTML handout")
    p.add_argument("lesson", help=f"a lesson file or the name of a shipped lesson ({', '.join(shipped_lessons())})")
    p.add_argument("-o", "--output", metavar="DIR", help="folder (default: anatviz-output/<lesson name>)")
    p.add_argument("--size", metavar="WxH", help="picture size in pixels (default 1280x720)")


def picture_name(index: int, lesson: Lesson) -> str:
    """``NN_<scene>.png`` of step ``index`` (0-based), numbered from 01."""
    return f"{index + 1:02d}_{lesson.steps[index].scene.name}.png"


def handout_html(lesson: Lesson, pictures: list[str]) -> str:
    """The handout page: the lesson's title and description, then each step's heading, picture and caption."""
    e = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{e(lesson.title)}</title>",
             f"<style>\n{PAGE_STYLE}\n</style>\n</head>\n<body>", f"<h1>{e(lesson.title)}</h1>"]
    if lesson.description:
        parts.append(f"<p class=\"caption\">{e(lesson.description)}</p>")
    for i, (step, picture) in enumerate(zip(lesson.steps, pictures), start=1):
        parts.append(f"<section>\n<h2>{i}. {e(step.title)}</h2>\n<figure><img src=\"{e(picture)}\" "
                     f"alt=\"{e(step.scene.title)}\"></figure>\n<p class=\"caption\">{e(step.caption)}</p>\n"
                     f"<p class=\"source\">Scene: {e(step.scene.name)}</p>\n</section>")
    if lesson.source:
        parts.append(f"<p class=\"source\">Sources: {e(lesson.source)}</p>")
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def _lesson(model: HipModel, args: argparse.Namespace) -> int:
    size = _size(args.size) or DEFAULT_SIZE
    lesson = load_lesson(args.lesson, model)
    folder = Path(args.output) if args.output else Path("anatviz-output") / lesson.name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"argument -o/--output: expected a folder, found the file {str(folder)!r}")
    folder.mkdir(parents=True, exist_ok=True)
    from .render import render_still  # the renderer only when drawing

    pictures = []
    for i, step in enumerate(lesson.steps):
        name = picture_name(i, lesson)
        render_still(model, with_overrides(model, step.scene, size=size), folder / name)
        pictures.append(name)
        print(f"step {i + 1}/{len(lesson)}: {folder / name}")
    index = write_atomically(folder / "index.html", handout_html(lesson, pictures))
    print(f"wrote {len(pictures)} pictures and the handout {index}")
    return 0


COMMANDS = {"lesson": _lesson}
