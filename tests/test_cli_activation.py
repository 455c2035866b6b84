"""``anatviz activations`` and its arguments, called in-process as ``main(argv)``."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from anatviz.activation import activations
from anatviz.cli import main
from anatviz.resources import scenes_dir
from anatviz.scene import load_scene


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_holds_mean_and_peak_of_every_muscle_as_the_api_does(capsys, model):
    code, out, err = run(capsys, "activations", "hip_thrust", "--json", "--fps", "10")
    assert code == 0 and not err
    data = json.loads(out)
    assert set(data["muscles"]) == set(model.muscles)
    api = activations(model, load_scene("hip_thrust", model), fps=10)
    expected = api.summary()
    for name, values in data["muscles"].items():
        assert set(values) == {"mean", "peak"}
        assert 0.0 <= values["mean"] <= values["peak"] <= 1.0
        assert values == pytest.approx(expected[name])
    assert set(data["actuators"]) == {"vasti_r", "vasti_l"}
    assert data["gluteus_maximus_to_hamstrings"] == pytest.approx(api.mean_ratio()) and data["balanced"]


def test_text_table_lists_every_muscle_and_the_ratio(capsys, model):
    code, out, _ = run(capsys, "activations", "romanian_deadlift", "--fps", "5")
    assert code == 0
    assert "gluteus maximus / hamstrings: 0." in out
    rows = [line for line in out.splitlines() if line.endswith("%")]
    assert len(rows) == len(model.muscles) + 2
    assert rows[0].split()[0] == "gluteus_maximus_superior_r"


def test_weakening_a_group_shifts_the_work_to_the_hamstrings(capsys):
    def hamstrings(argv):
        code, out, _ = run(capsys, "activations", "hip_thrust", "--json", "--fps", "5", *argv)
        assert code == 0
        data = json.loads(out)
        return sum(v["mean"] for k, v in data["muscles"].items() if k.startswith(("semi", "biceps_femoris_long")))

    assert hamstrings(["--weaken", "gluteus_maximus=0.5"]) > hamstrings([])


def test_a_scene_file_path_works(capsys, tmp_path):
    path = tmp_path / "my_bridge.toml"
    shutil.copy(scenes_dir() / "glute_bridge.toml", path)
    code, out, _ = run(capsys, "activations", str(path), "--json", "--fps", "5")
    assert code == 0 and json.loads(out)["scene"] == "my_bridge"


@pytest.mark.parametrize("argv, fragment", [
    (["activations", "hip_thrust", "--weaken", "glutes=0.5"], "argument --weaken: unknown 'glutes'; expected a muscle"),
    (["activations", "hip_thrust", "--weaken", "gluteus_maximus=2"], "argument --weaken: expected MUSCLE_OR_GROUP="),
    (["activations", "hip_thrust", "--weaken", "gluteus_maximus"], "argument --weaken: expected MUSCLE_OR_GROUP="),
    (["activations", "hip_thrust", "--fps", "0"], "argument --fps: expected 1 to 120"),
    (["activations", "hip_thrust", "--planes", "frontal"], "argument --planes: invalid choice"),
    (["activations", "overview"], "argument scene: 'overview' has no [load] table; expected a scene with a load"),
])
def test_bad_arguments_are_one_line_and_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.count("\n") == 1 and fragment in err, err


def test_unknown_scene_is_one_line_and_exit_1(capsys):
    code, _, err = run(capsys, "activations", "no_such_exercise")
    assert code == 1 and err.count("\n") == 1 and "no such scene file or shipped scene" in err


LOAD_ERRORS = [
    ('supports = ["shoulders", "foot_r", "foot_l"]', 'supports = ["hands"]', "load.supports",
     "unknown support 'hands'"),
    ('supports = ["shoulders", "foot_r", "foot_l"]', 'supports = ["shoulders"]', "load.supports",
     "expected one of shoulders, bench with at least one of foot_r, foot_l"),
    ('supports = ["shoulders", "foot_r", "foot_l"]', 'supports = ["lying_l", "foot_r"]', "load.supports",
     "expected 'lying_l' alone"),
    ('supports = ["shoulders", "foot_r", "foot_l"]', 'supports = ["shoulders", "foot_r", "foot_l"]\nbody_mass_kg = -3',
     "load.body_mass_kg", "expected a number >= 20"),
    ('supports = ["shoulders", "foot_r", "foot_l"]',
     'supports = ["shoulders", "foot_r", "foot_l"]\nweights = [{ mass_kg = 20.0, at = "belt" }]',
     "load.weights[0].at", "expected one of upper_back, hands, hips"),
    ('supports = ["shoulders", "foot_r", "foot_l"]',
     'supports = ["shoulders", "foot_r", "foot_l"]\nbands = [{ at = "knee_r", anchor_m = [1.0, 0.0], tension_n = 5.0 }]',
     "load.bands[0].anchor_m", "expected 3 finite numbers"),
    ('supports = ["shoulders", "foot_r", "foot_l"]',
     'supports = ["shoulders", "foot_r", "foot_l"]\nfriction = -0.1', "load.friction", "expected a number >= 0"),
    ('supports = ["shoulders", "foot_r", "foot_l"]', 'supports = ["shoulders", "foot_r", "foot_l"]\nbarbell = 60',
     "load.barbell", "unknown key; expected one of supports"),
]


@pytest.mark.parametrize("old, new, key, fragment", LOAD_ERRORS, ids=[e[3][:30] for e in LOAD_ERRORS])
def test_bad_load_table_is_a_one_line_error_naming_file_and_key(capsys, tmp_path, old, new, key, fragment):
    text = (scenes_dir() / "glute_bridge.toml").read_text()
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1))
    code, _, err = run(capsys, "activations", str(path))
    assert code == 1 and err.count("\n") == 1
    assert f"broken.toml: {key}: " in err and fragment in err, err


def test_a_scenes_strength_is_used_and_weaken_goes_on_top(capsys, model):
    """synergistic_dominance is the single-leg bridge with a weak right gluteus maximus ([strength]): its
    ratio is lower; --weaken gluteus_maximus_r=1 restores the single-leg bridge's."""
    def ratio(name, *argv):
        code, out, err = run(capsys, "activations", name, "--json", "--fps", "5", *argv)
        assert code == 0 and not err
        return json.loads(out)

    scene = load_scene("synergistic_dominance", model)
    weak, healthy = ratio("synergistic_dominance"), ratio("single_leg_bridge")
    assert weak["strength"] == scene.strength and scene.strength["gluteus_maximus_r"] < 1.0
    assert weak["gluteus_maximus_to_hamstrings"] < 0.8 * healthy["gluteus_maximus_to_hamstrings"]
    restored = ratio("synergistic_dominance", "--weaken", "gluteus_maximus_r=1")
    assert restored["strength"]["gluteus_maximus_r"] == 1.0
    assert restored["gluteus_maximus_to_hamstrings"] == pytest.approx(healthy["gluteus_maximus_to_hamstrings"])


def test_the_activation_plot_uses_each_scenes_strength(capsys, model, tmp_path, monkeypatch):
    from anatviz import plots

    seen = {}
    real = plots.activation_figure
    monkeypatch.setattr(plots, "activation_figure", lambda m, results: seen.update(results) or real(m, results))
    code, _, err = run(capsys, "plot", "activations", "synergistic_dominance", "single_leg_bridge",
                       "-o", str(tmp_path / "a.png"))
    assert code == 0 and not err
    gmax_r = [seen["single_leg_bridge"].muscles.index(m) for m in model.groups["gluteus_maximus_r"]]
    strength = load_scene("synergistic_dominance", model).strength["gluteus_maximus_r"]
    assert np.all(seen["synergistic_dominance"].strength[gmax_r] == strength)
    assert np.all(seen["single_leg_bridge"].strength[gmax_r] == 1.0)


def test_weakening_a_trendelenburg_scene_solves_its_pelvis_drop_again(capsys, model):
    """The trendelenburg scene drops its pelvis for its own weak abductors (5%); at full strength the
    pelvis is level (scene_with_drop), and ``--weaken`` back to full strength prints those activations:
    the drop is solved again, not kept from the scene, and the abductors work below their limit."""
    from anatviz.activation.trendelenburg import SUPERIOR_GLUTEAL, scene_with_drop

    scene = load_scene("trendelenburg", model)
    strong = {m: 1.0 for m in SUPERIOR_GLUTEAL}
    weak = activations(model, scene, fps=5)
    healthy = activations(model, scene_with_drop(model, scene, strong), strength=strong, fps=5)
    list_at = weak.coordinates.index("pelvis_list")
    assert weak.q_deg[:, list_at].min() < -3.0  # the scene's own drop, toward the swing side
    assert np.allclose(healthy.q_deg[:, list_at], 0.0)
    code, out, _ = run(capsys, "activations", "trendelenburg", "--json", "--fps", "5",
                       "--weaken", *(f"{m}=1" for m in SUPERIOR_GLUTEAL))
    assert code == 0
    printed, expected = json.loads(out)["muscles"], healthy.summary()
    medius = model.groups["gluteus_medius_r"]
    assert [printed[m]["peak"] for m in medius] == pytest.approx([expected[m]["peak"] for m in medius])
    assert max(printed[m]["peak"] for m in medius) < 0.9
