"""``anatviz plot``: files written atomically, of the right format and size, with something drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from anatviz import plots
from anatviz.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def drawn_png(path):
    image = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    return image.shape, image.std(), (image < 128).any(axis=2).mean()


def test_moment_arm_plot_is_a_non_blank_png(capsys, tmp_path):
    out = tmp_path / "arms.png"
    code, stdout, _ = run(capsys, "plot", "moment-arms", "--muscle", "gluteus_maximus_r", "--muscle", "hamstrings_r",
                          "--coordinate", "hip_flexion_r", "--hip-flexion", "-30:120:5", "-o", str(out))
    assert code == 0 and stdout.strip() == str(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shape, spread, dark = drawn_png(out)
    assert shape[0] >= 800 and shape[1] >= 1200  # 7 x 4.2 inches at 200 dpi, plus the legend
    assert spread > 20 and 0.01 < dark < 0.5
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_length_plot_is_an_svg_with_both_knee_angles(capsys, tmp_path):
    out = tmp_path / "lengths.svg"
    code, _, _ = run(capsys, "plot", "lengths", "--muscle", "hamstrings_r", "--knee-flexion", "0,90", "-o", str(out))
    assert code == 0
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text()
    assert text.count("<path") > 20 and "knee flexed 90 deg" in text and "Musculotendon length (cm)" in text


def test_activation_plot_compares_exercises(capsys, tmp_path):
    out = tmp_path / "exercises.png"
    code, _, _ = run(capsys, "plot", "activations", "hip_thrust", "romanian_deadlift", "-o", str(out))
    assert code == 0
    shape, spread, _ = drawn_png(out)
    assert shape[1] > shape[0] and spread > 20


def test_figures_are_labelled_with_units_and_colour_blind_safe(model):
    fig = plots.moment_arm_figure(model, list(model.groups["hamstrings_r"][:1]) + ["semitendinosus_r"],
                                  "hip_flexion_r", np.arange(-30.0, 121.0, 10.0))
    ax = fig.axes[0]
    assert "(deg)" in ax.get_xlabel() and "(cm)" in ax.get_ylabel()
    assert len(ax.get_legend().get_texts()) == 2
    assert {line.get_color() for line in ax.get_lines()[:2]} <= set(plots.OKABE_ITO)


@pytest.mark.parametrize("argv, fragment", [
    (["plot", "moment-arms", "-o", "arms.bmp"], "argument -o/--output: expected a file ending in .png, .svg, .pdf"),
    (["plot", "moment-arms", "--coordinate", "knee_flexion_x", "-o", "a.png"], "argument --coordinate: unknown"),
    (["plot", "moment-arms", "--muscle", "biceps_femoris_short_head_r", "-o", "a.png"],
     "argument --coordinate: none of the chosen muscles crosses 'hip_flexion_r'"),
    (["plot", "lengths", "--knee-flexion", "0,200", "-o", "a.png"], "argument --knee-flexion: expected degrees in"),
    (["plot", "lengths", "--muscle", "quads", "-o", "a.png"], "argument --muscle: unknown 'quads'"),
    (["plot", "activations", "overview", "-o", "a.png"], "has no [load] table"),
    (["plot", "scatter", "-o", "a.png"], "invalid choice: 'scatter'"),
])
def test_bad_plot_arguments_are_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, fragment):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.count("\n") == 1 and fragment in err, err
    assert not list(tmp_path.iterdir())
