"""Rendering: pictures of the right size and alpha, toggles, highlight colours, every scene, movies.

Renders are deterministic on these machines (Mesa llvmpipe, EGL), so reference images use a tight
threshold. Regenerate them after an intended visual change with:

    python tests/make_reference_images.py
"""

from __future__ import annotations

import colorsys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anatviz.cli import main
from anatviz.render import HipView, render_movie, render_still
from anatviz.render import style as S
from anatviz.render.output import OutputError
from anatviz.scene import load_scene, shipped_scenes, with_overrides

REFERENCE = Path(__file__).parent / "reference"
SMALL = (320, 180)


def small(model, name, **overrides):
    return with_overrides(model, load_scene(name, model), size=SMALL, **overrides)


def read(path) -> np.ndarray:
    return np.asarray(Image.open(path))


@pytest.fixture
def hamstrings_view(model):
    view = HipView(model, small(model, "hamstrings"), anti_aliasing=None)
    yield view
    view.close()


def test_picture_has_exactly_the_size_asked(model, tmp_path):
    for size in ((320, 180), (333, 211)):
        out = render_still(model, with_overrides(model, load_scene("hamstrings", model), size=size), tmp_path / "a.png")
        assert read(out).shape == (size[1], size[0], 3)


def test_transparent_picture_has_a_real_alpha_channel(model, tmp_path):
    out = render_still(model, small(model, "hamstrings", transparent=True), tmp_path / "t.png")
    image = read(out)
    assert image.shape == (*SMALL[::-1], 4)
    alpha = image[..., 3]
    assert alpha[0, 0] == 0 and alpha.max() == 255  # background see-through, bone opaque
    assert 0.02 < (alpha > 0).mean() < 0.6


@pytest.mark.parametrize("size", [(3840, 2160), (7680, 4320)])
def test_large_pictures_are_drawn(model, tmp_path, size):
    """4K uses VTK's SSAA; 8K is past its limit here (it came out black) and is averaged from jittered
    renders instead. Either way the bones are drawn."""
    scene = with_overrides(model, load_scene("hamstrings", model), size=size, show=["pelvis"])
    image = read(render_still(model, scene.with_changes(labels=(), legend=False), tmp_path / "big.png"))
    assert image.shape == (size[1], size[0], 3)
    bone = np.abs(image.astype(int) - np.array(S.hex_to_rgb(scene.background))).sum(axis=-1) > 30
    assert 0.02 < bone.mean() < 0.9


def test_jittered_anti_aliasing_smooths_only_the_edges(model, monkeypatch):
    scene = small(model, "hamstrings")
    plain = HipView(model, scene, anti_aliasing=None)
    sharp = plain.image().astype(int)
    plain.close()
    monkeypatch.setattr(S, "SSAA_MAX_SIDE_PX", 100)  # force the path used for pictures over 7300 px
    view = HipView(model, scene, anti_aliasing="ssaa")
    assert view._jitter_passes == 4
    smooth = view.image().astype(int)
    view.close()
    changed = np.abs(smooth - sharp).sum(axis=-1) > 24
    edge = np.zeros_like(changed)
    jump = np.abs(np.diff(sharp, axis=1)).sum(axis=-1) > 60
    edge[:, 1:] |= jump
    edge[:, :-1] |= jump
    jump = np.abs(np.diff(sharp, axis=0)).sum(axis=-1) > 60
    edge[1:] |= jump
    edge[:-1] |= jump
    assert changed.sum() > 50  # something was smoothed
    assert (changed & edge).sum() / changed.sum() > 0.8  # ... and it was the edges


@pytest.mark.parametrize("ext, magic", [(".svg", b"<?xml"), (".pdf", b"%PDF"), (".eps", b"%!PS")])
def test_vector_outputs(model, tmp_path, ext, magic):
    out = render_still(model, small(model, "hamstrings"), tmp_path / f"v{ext}")
    assert out.read_bytes()[:5].startswith(magic)
    assert not list(tmp_path.glob(".*partial*"))


def test_unknown_extension_is_an_error_and_writes_nothing(model, tmp_path):
    with pytest.raises(OutputError, match="unknown picture extension '.webp'; expected one of .png"):
        render_still(model, small(model, "hamstrings"), tmp_path / "x.webp")
    with pytest.raises(OutputError, match="JPEG has no alpha"):
        render_still(model, small(model, "hamstrings", transparent=True), tmp_path / "x.jpg")
    assert list(tmp_path.iterdir()) == []


def test_toggled_group_hides_its_actors(model):
    scene = small(model, "overview")
    view = HipView(model, scene, anti_aliasing=None)
    try:
        view.set_visible("hamstrings_r", False)
        for m in model.muscles:
            expected = m in scene.muscles and m not in model.groups["hamstrings_r"]
            assert view.muscle_actors[m].actor.GetVisibility() == expected, m
        before = view.image()
        view.set_visible("hamstrings_r", True)
        assert all(view.muscle_actors[m].actor.GetVisibility() for m in model.groups["hamstrings_r"])
        assert np.abs(view.image().astype(int) - before).sum() > 0
        view.show_only(["gluteus_medius_l"])
        assert [m for m in model.muscles if view.muscle_actors[m].actor.GetVisibility()] == \
            list(model.groups["gluteus_medius_l"])
    finally:
        view.close()


def _pixel_of(view, point):
    x, y = view.display_px(point)
    return int(round(x)), view.size[1] - 1 - int(round(y))


def _mid_belly(view, muscle):
    """The middle point of a muscle's fleshy part, as drawn (its tendon is pale)."""
    actor = view.muscle_actors[muscle]
    belly = np.flatnonzero(actor.radius[: actor.points] == actor.source.point_data["radius"][: actor.points])
    return np.asarray(actor.source.points)[belly[len(belly) // 2]]


def _hue(rgb):
    return colorsys.rgb_to_hsv(*(np.asarray(rgb[:3]) / 255.0))


def test_pixel_inside_a_highlighted_tube_has_its_colour(model):
    scene = with_overrides(model, load_scene("hamstrings", model), size=(640, 360))
    view = HipView(model, scene, anti_aliasing=None)
    try:
        view.highlight("muscles", ["semitendinosus_r"])
        image = view.image()
        x, y = _pixel_of(view, _mid_belly(view, "semitendinosus_r"))
        h, s, v = _hue(image[y, x])
        h0, s0, _ = _hue(S.hex_to_rgb(S.CARD_COLOURS["semitendinosus"]))
        assert abs(h - h0) < 0.04 and s > 0.5 * s0, (image[y, x], (x, y))
        ox, oy = _pixel_of(view, _mid_belly(view, "biceps_femoris_long_head_r"))
        dimmed = _hue(image[oy, ox])
        view.highlight("none")
        coloured = _hue(view.image()[oy, ox])
        assert abs(coloured[0] - _hue(S.hex_to_rgb(S.CARD_COLOURS["biceps_femoris_long_head"]))[0]) < 0.04
        assert dimmed[1] < 0.6 * coloured[1]  # the others are dimmed to grey
    finally:
        view.close()


def test_active_muscles_glow_in_proportion_to_drive(model):
    scene = small(model, "hip_extension")
    view = HipView(model, scene, anti_aliasing=None)
    try:
        colours = view._muscle_colours(view.frames.motion, 0, view.frames.drive_nm)
        dimmed = S.hex_to_rgb(S.DIMMED_COLOUR)
        assert colours["biceps_femoris_short_head_r"][0] == dimmed  # does not act at the hip
        assert colours["gluteus_maximus_middle_r"][0] != dimmed
        assert view.annotations.scalar_bar is not None and view.annotations.scalar_bar.GetVisibility()
    finally:
        view.close()


def test_tubes_update_in_place_and_bones_move_by_matrix(model):
    view = HipView(model, small(model, "hip_extension"), anti_aliasing=None)
    try:
        source = view.muscle_actors["semimembranosus_r"].source
        actor_ids = {m: id(a.actor) for m, a in view.muscle_actors.items()}
        before = np.array(source.points)
        femur_before = np.array(view.bone_actors["femur_r"].user_matrix)
        view.set_frame(40)
        assert view.muscle_actors["semimembranosus_r"].source is source
        assert {m: id(a.actor) for m, a in view.muscle_actors.items()} == actor_ids
        assert np.abs(np.array(source.points) - before).max() > 0.01
        assert np.abs(np.array(view.bone_actors["femur_r"].user_matrix) - femur_before).max() > 0.1
        pose = view.set_pose(hip_flexion_r=90.0)
        np.testing.assert_allclose(view.bone_actors["femur_r"].user_matrix,
                                   pose.bone_transforms[pose.bones.index("femur_r"), 0])
    finally:
        view.close()


def test_lines_style_and_named_views(model):
    view = HipView(model, small(model, "overview"), anti_aliasing=None)
    try:
        tubes = view.image()
        view.set_muscle_style("lines")
        assert np.abs(view.image().astype(int) - tubes).sum() > 0
        view.set_view("anterior")
        saved = view.camera()
        anterior = view.image()
        view.set_view("superior")
        view.set_camera(saved)  # a saved camera restores the picture exactly
        np.testing.assert_array_equal(view.image(), anterior)
    finally:
        view.close()


@pytest.mark.parametrize("name", shipped_scenes())
def test_every_shipped_scene_renders(model, tmp_path, name):
    out = render_still(model, small(model, name), tmp_path / f"{name}.png")
    image = read(out)
    assert image.shape == (180, 320, 3)
    assert image.std() > 5  # something was drawn


def test_cli_picture_equals_the_api_picture(model, tmp_path):
    cli_out = tmp_path / "cli.png"
    assert main(["render", "gluteal_layers", "-o", str(cli_out), "--size", "320x180", "--view", "posterior",
                 "--hide", "piriformis_r", "--set", "hip_flexion_r=20"]) == 0
    scene = with_overrides(model, load_scene("gluteal_layers", model), size=(320, 180), view="posterior",
                           hide=["piriformis_r"], pose_deg={"hip_flexion_r": 20.0})
    api_out = render_still(model, scene, tmp_path / "api.png")
    np.testing.assert_array_equal(read(cli_out), read(api_out))


@pytest.mark.parametrize("argv, fragment", [
    (["render", "overview", "-o", "x.webp"], "argument -o/--output: x.webp: unknown picture extension"),
    (["render", "overview", "-o", "x.png", "--size", "9000x10"], "argument --size: expected WxH"),
    (["render", "overview", "-o", "x.png", "--set", "hip_flexion_r=300"], "argument --set: hip_flexion_r = 300 deg"),
    (["render", "overview", "-o", "x.png", "--show", "quads"], "argument --show/--hide: unknown 'quads'"),
    (["animate", "hip_extension", "-o", "x.gif", "--fps", "30"], "whole hundredths of a second"),
    (["animate", "overview", "-o", "x.gif"], "has no [motion] to animate"),
    (["animate", "hip_extension", "-o", "x.mp4", "--size", "321x181"], "even width and height"),
])
def test_render_arguments_are_checked(capsys, tmp_path, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1, err
    assert list(tmp_path.iterdir()) == []


def test_gif_has_the_frames_and_duration_asked(model, tmp_path):
    scene = with_overrides(model, load_scene("hip_extension", model), size=(160, 90))
    out = render_movie(model, scene, tmp_path / "m.gif", fps=10, progress=False)
    gif = Image.open(out)
    assert gif.size == (160, 90) and gif.info["loop"] == 0
    durations = []
    for i in range(gif.n_frames):
        gif.seek(i)
        durations.append(gif.info["duration"])
    # 5 s at 10 frames per second; identical frames (the pause at full extension) are merged by the
    # GIF encoder into one frame held for a whole number of frame times
    assert sum(durations) == 5000 and all(d % 100 == 0 for d in durations)
    assert gif.n_frames >= 40


def test_mp4_has_the_frames_and_duration_asked(model, tmp_path):
    import imageio_ffmpeg

    scene = with_overrides(model, load_scene("knee_flexion", model), size=(160, 90))
    out = render_movie(model, scene, tmp_path / "m.mp4", fps=24, frames=36, progress=False)
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 36 and seconds == pytest.approx(1.5, abs=0.05)
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = next(reader)
    assert meta["size"] == (160, 90) and meta["fps"] == pytest.approx(24)
    assert meta["codec"] == "h264"


def test_movie_restores_the_view(model, tmp_path):
    view = HipView(model, small(model, "hip_extension"), anti_aliasing=None)
    try:
        view.set_frame(17)
        frames = view.frames
        from anatviz.render import record

        record(view, tmp_path / "r.gif", fps=10, frames=6, progress=False)
        assert view.frames is frames and view.frame_index == 17
    finally:
        view.close()


@pytest.mark.parametrize("name", ["overview", "hip_extension"])
def test_reference_images(model, tmp_path, name):
    """Against stored pictures at a small pinned size: fails when a colour, a path or a bone changes."""
    out = render_still(model, with_overrides(model, load_scene(name, model), size=(240, 135)), tmp_path / "r.png")
    expected = read(REFERENCE / f"{name}.png").astype(int)
    actual = read(out).astype(int)
    assert actual.shape == expected.shape
    difference = np.abs(actual - expected)
    assert difference.mean() < 0.5 and (difference > 40).mean() < 0.002, (difference.mean(), (difference > 40).mean())


def test_demo_writes_the_still_and_the_movie_and_says_where(capsys, tmp_path, monkeypatch):
    """The README's main job, headless (the movie made small to keep the test fast)."""
    import anatviz.cli_scenes as cli_scenes

    monkeypatch.setattr(cli_scenes, "DEMO_MOVIE_SIZE", (160, 90))
    monkeypatch.delenv("DISPLAY", raising=False)
    assert main(["demo", "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.splitlines()
    still, movie = tmp_path / "out" / "overview.png", tmp_path / "out" / "hip_extension.gif"
    assert out == [f"wrote {still.resolve()}", f"wrote {movie.resolve()}"]
    assert Image.open(still).size == (1600, 900) and Image.open(movie).n_frames > 40
