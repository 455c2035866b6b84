"""Lessons: an ordered list of scenes, each with a caption, stepped through in class.

A lesson file (TOML)::

    [lesson]
    title = "Glutes and hamstrings are not the same muscle group"
    description = "What the lesson shows, in a sentence or two."   # optional
    source = "The articles the captions cite."                       # optional

    [[steps]]
    scene = "gluteal_layers"          # a shipped scene, or a .toml path (relative to the lesson file)
    title = "Three gluteal muscles"   # optional; default: the scene's title
    caption = "What the lecturer says over this picture."

:func:`load_lesson` reads and checks it, loading every step's scene, so that a lesson that loads can be
shown. Every error is one line naming the file, the key (``steps[2].scene``) and what was expected.
The window (``anatviz show --lesson``), the browser (``anatviz serve --lesson``) and the handout
(``anatviz lesson``) all read lessons through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .hipmodel import HipModel
from .model import AnatomyDataError, read_toml
from .model.reader import Table
from .resources import lessons_dir
from .scene import load_scene, shipped_scenes
from .scene.schema import Scene

MAX_CAPTION_CHARS = 600
"""A caption is read aloud over one picture: a few sentences at most."""


@dataclass(frozen=True)
class LessonStep:
    """One step: a scene, what to say over it, and its heading."""

    scene: Scene
    caption: str
    title: str


@dataclass(frozen=True)
class Lesson:
    """A lesson read from ``path``; ``name`` is the file's stem."""

    name: str
    path: Path
    title: str
    description: str
    steps: tuple[LessonStep, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.steps)


def shipped_lessons() -> list[str]:
    """Names of the lessons in the shipped ``lessons/`` folder."""
    return sorted(p.stem for p in lessons_dir().glob("*.toml"))


def resolve_lesson_path(lesson: str | Path) -> Path:
    """A lesson file path, or the name of a shipped lesson -> its path."""
    path = Path(lesson)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise AnatomyDataError(path, "<lesson>", "no such lesson file")
        return path
    candidate = lessons_dir() / f"{lesson}.toml"
    if candidate.is_file():
        return candidate
    raise AnatomyDataError(path, "<lesson>", "no such lesson file or shipped lesson; expected a .toml path or one of "
                           f"{', '.join(shipped_lessons()) or '(none shipped)'}")


def _step_scene(t: Table, model: HipModel) -> Scene:
    name = t.str("scene")
    relative = t.file.parent / name
    if name.endswith(".toml"):
        target: str | Path = relative if not Path(name).is_absolute() else Path(name)
        if not Path(target).is_file():
            raise t.error(f"no such scene file {str(target)!r}; expected a .toml path relative to the lesson or the "
                          "name of a shipped scene", "scene")
    elif name in shipped_scenes():
        target = name
    else:
        raise t.error(f"no such scene {name!r}; expected a .toml path relative to the lesson or one of "
                      f"{', '.join(shipped_scenes())}", "scene")
    try:
        return load_scene(target, model)
    except AnatomyDataError as exc:
        raise t.error(f"scene {name!r} does not load: {exc}", "scene") from None


def _read_step(t: Table, model: HipModel) -> LessonStep:
    t.only("scene", "caption", "title")
    scene = _step_scene(t, model)
    caption = " ".join(t.str("caption").split())
    if len(caption) > MAX_CAPTION_CHARS:
        raise t.error(f"expected at most {MAX_CAPTION_CHARS} characters (a caption is read over one picture), "
                      f"found {len(caption)}", "caption")
    title = " ".join(t.str("title").split()) if t.has("title") else scene.title
    return LessonStep(scene, caption, title)


def load_lesson(lesson: str | Path, model: HipModel) -> Lesson:
    """Read a lesson file (or a shipped lesson by name), loading every step's scene.

    Parameters
    ----------
    lesson : str or Path
        A ``.toml`` path or the name of a shipped lesson (:func:`shipped_lessons`).
    model : HipModel

    Returns
    -------
    Lesson

    Raises
    ------
    AnatomyDataError
        One line naming the file, the key and what was expected (a step whose scene fails to load names
        the step and repeats the scene's own error).
    """
    path = resolve_lesson_path(lesson)
    top = Table(read_toml(path), "", path)
    top.only("lesson", "steps")
    head = top.table("lesson")
    head.only("title", "description", "source")
    tables = top.list_of_tables("steps")
    if not tables:
        raise top.error("expected at least one [[steps]] table", "steps")
    steps = tuple(_read_step(t, model) for t in tables)
    return Lesson(name=path.stem, path=path, title=head.str("title"), description=head.str("description", ""),
                  steps=steps, source=head.str("source", ""))
