"""Lessons: the loader, its one-line errors, the shipped lesson and the handout command."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from anatviz.cli import main
from anatviz.lesson import Lesson, LessonStep, load_lesson, shipped_lessons
from anatviz.model import AnatomyDataError
from anatviz.resources import lessons_dir

SHIPPED = "glutes_and_hamstrings"
SMALL = """\
[lesson]
title = "Two pictures"
description = "A small lesson for the tests."

[[steps]]
scene = "overview"
caption = "Both groups & their <places>."

[[steps]]
scene = "hamstrings"
title = "The hamstrings"
caption = "From the sitting bone to the lower leg."
"""


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_lesson_loads_with_every_scene(model):
    assert SHIPPED in shipped_lessons()
    lesson = load_lesson(SHIPPED, model)
    assert isinstance(lesson, Lesson) and lesson.name == SHIPPED and lesson.path.parent == lessons_dir()
    assert lesson.title == "Glutes and hamstrings are not the same muscle group"
    assert len(lesson.steps) >= 8 and all(isinstance(s, LessonStep) for s in lesson.steps)
    for step in lesson.steps:
        assert step.scene.name and step.title and step.caption
        assert re.search(r"\[(Not the same group|Lift the glutes\?|Let's talk booty)", step.caption), step.title


def test_shipped_lesson_tells_the_seeds_story_in_order(model):
    scenes = [s.scene.name for s in load_lesson(SHIPPED, model).steps]
    story = ["gluteal_layers", "hamstrings", "hip_extension", "knee_flexion", "knee_changes_the_hamstrings",
             "hip_thrust", "romanian_deadlift", "synergistic_dominance", "trendelenburg"]
    positions = [scenes.index(s) for s in story]
    assert positions == sorted(positions)
    captions = " ".join(s.caption for s in load_lesson(SHIPPED, model).steps)
    for fact in ("inferior gluteal nerve", "superior gluteal nerve", "sciatic nerve", "biarticular"):
        assert fact in captions


def test_small_lesson_loads_and_defaults_the_title_to_the_scene(tmp_path, model):
    lesson = load_lesson(write(tmp_path, SMALL), model)
    assert lesson.name == "lesson" and lesson.description == "A small lesson for the tests."
    assert [s.scene.name for s in lesson.steps] == ["overview", "hamstrings"]
    assert lesson.steps[0].title == lesson.steps[0].scene.title and lesson.steps[1].title == "The hamstrings"


def test_a_step_may_name_a_scene_file_beside_the_lesson(tmp_path, model):
    from anatviz.resources import scenes_dir
    (tmp_path / "mine.toml").write_text((scenes_dir() / "hamstrings.toml").read_text())
    lesson = load_lesson(write(tmp_path, SMALL.replace('scene = "hamstrings"', 'scene = "mine.toml"')), model)
    assert lesson.steps[1].scene.path == tmp_path / "mine.toml"


@pytest.mark.parametrize("old, new, key, expected", [
    ('scene = "hamstrings"', 'scene = "hamstrung"', "steps[1].scene", "no such scene 'hamstrung'"),
    ('scene = "hamstrings"', 'scene = "gone.toml"', "steps[1].scene", "no such scene file"),
    ('scene = "hamstrings"', 'scene = "broken.toml"', "steps[1].scene", "does not load"),
    ('title = "Two pictures"', 'name = "Two pictures"', "lesson.name", "unknown key"),
    ('title = "Two pictures"\n', '', "lesson.title", "missing key"),
    ('caption = "From the sitting bone to the lower leg."', 'caption = ""', "steps[1].caption", "non-empty string"),
    ('caption = "From the sitting bone to the lower leg."', f'caption = "{"x" * 700}"', "steps[1].caption",
     "at most 600"),
    ('title = "The hamstrings"', 'titel = "The hamstrings"', "steps[1].titel", "unknown key"),
])
def test_broken_lesson_is_a_one_line_error(tmp_path, model, old, new, key, expected):
    (tmp_path / "broken.toml").write_text('[scene]\ntitle = "x"\n[camera]\nview = "sideways"\n')
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new))
    with pytest.raises(AnatomyDataError) as info:
        load_lesson(path, model)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path.name}: ") and key in message and expected in message, message


def test_lesson_without_steps_and_unknown_lesson_are_errors(tmp_path, model):
    path = write(tmp_path, 'steps = []\n[lesson]\ntitle = "Empty"\n')
    with pytest.raises(AnatomyDataError, match="at least one"):
        load_lesson(path, model)
    with pytest.raises(AnatomyDataError, match=f"no such lesson.*{SHIPPED}"):
        load_lesson("no_such_lesson", model)


def test_lesson_command_writes_pictures_and_a_handout(tmp_path, model, capsys):
    out = tmp_path / "handout"
    assert main(["lesson", str(write(tmp_path, SMALL)), "-o", str(out), "--size", "96x54"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["01_overview.png", "02_hamstrings.png", "index.html"]
    from PIL import Image
    for name in names[:2]:
        picture = np.asarray(Image.open(out / name))
        assert picture.shape[:2] == (54, 96) and np.ptp(picture[..., :3]) > 50  # drawn, not blank
    page = (out / "index.html").read_text()
    assert page.index('src="01_overview.png"') < page.index('src="02_hamstrings.png"')
    assert "Both groups &amp; their &lt;places&gt;." in page and "<h2>2. The hamstrings</h2>" in page
    assert str(out / "index.html") in capsys.readouterr().out


def test_lesson_command_one_line_errors(tmp_path, capsys):
    assert main(["lesson", "no_such_lesson", "-o", str(tmp_path)]) == 1
    assert main(["lesson", SHIPPED, "-o", str(tmp_path), "--size", "big"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and "no such lesson" in errors[0] and "--size" in errors[1]
    assert not any(tmp_path.iterdir())
    (tmp_path / "a_file").write_text("")
    assert main(["lesson", SHIPPED, "-o", str(tmp_path / "a_file"), "--size", "32x18"]) == 2
    assert "expected a folder" in capsys.readouterr().err
