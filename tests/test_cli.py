"""The command line, called in-process as ``main(argv)``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from anatviz.cli import MOMENT_ARM_COLUMNS, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("what", ["muscles", "groups", "bones", "coordinates"])
def test_list_json_matches_the_api(capsys, model, what):
    code, out, err = run(capsys, "list", what, "--json")
    assert code == 0 and not err
    expected = {"muscles": model.muscles, "groups": model.groups, "bones": model.bones,
                "coordinates": {k: list(v) for k, v in model.coordinates.items()}}[what]
    assert json.loads(out) == expected


def test_list_text_is_one_line_per_item(capsys, model):
    code, out, _ = run(capsys, "list", "muscles")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == len(model.muscles)
    assert lines[0].split()[0] == "gluteus_maximus_superior_r" and "(right)" in lines[0]


def test_info_json_holds_every_card_field_and_the_path_source(capsys, model):
    code, out, _ = run(capsys, "info", "gluteus_maximus_middle_r", "--json")
    assert code == 0
    card = json.loads(out)
    for key in ("origin", "insertion", "innervation", "blood_supply", "primary_actions",
                "secondary_actions", "notes"):
        assert card[key] == [] or all("text" in f and "reference" in f for f in card[key]), key
    assert card["innervation"][0]["roots"] == ["L5", "S1", "S2"]
    (muscle,) = card["muscles"]
    assert muscle["name"] == "gluteus_maximus_middle_r"
    assert muscle["published_name"] == "glmax2_r" and "Rajagopal" in muscle["path_reference"]
    assert muscle["max_isometric_force_n"] == 1406.0
    assert muscle["optimal_fiber_length_m"] == 0.157 and muscle["tendon_slack_length_m"] == 0.0679
    assert muscle["wrap"]["published_name"] == "Gmax2_at_pelvis_r"
    assert len(muscle["path"]) == 4


def test_info_by_card_name_lists_every_bundle(capsys):
    code, out, _ = run(capsys, "info", "gluteus_minimus")
    assert code == 0
    assert "bursa" in out and "Superior gluteal nerve (L4, L5, S1)" in out
    assert out.count("gluteus_minimus_") == 6


def test_moment_arms_csv(capsys, model):
    code, out, _ = run(capsys, "moment-arms", "--muscle", "semitendinosus_r", "--muscle", "gluteus_maximus_r",
                       "--hip-flexion", "-30:120:30", "--knee-flexion", "0,90", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == MOMENT_ARM_COLUMNS
    # semitendinosus: 6 hip angles x 2 knee angles x 4 coordinates; gluteus maximus: 3 x 6 x 2 x 3
    assert len(rows) == 6 * 2 * 4 + 3 * 6 * 2 * 3
    row = next(r for r in rows if r["muscle"] == "semitendinosus_r" and r["hip_flexion_deg"] == "30"
               and r["knee_flexion_deg"] == "90" and r["coordinate"] == "hip_flexion_r")
    expected = model.moment_arms(hip_flexion_r=30, hip_flexion_l=30, knee_flexion_r=90, knee_flexion_l=90)
    assert float(row["moment_arm_m"]) == pytest.approx(expected["semitendinosus_r"]["hip_flexion_r"], abs=1e-6)
    lengths = model.lengths(hip_flexion_r=30, knee_flexion_r=90)
    assert float(row["length_m"]) == pytest.approx(lengths["semitendinosus_r"], abs=1e-6)


@pytest.mark.parametrize("argv, fragment", [
    (["list", "nerves"], "argument what: invalid choice: 'nerves'"),
    (["info", "gluteus_maximum"], "argument muscle: unknown 'gluteus_maximum'; expected a muscle"),
    (["moment-arms", "--hip-flexion", "0:200:10"], "argument --hip-flexion: expected -30 <= START <= STOP <= 120"),
    (["moment-arms", "--hip-flexion", "0-90"], "argument --hip-flexion: expected START:STOP:STEP"),
    (["moment-arms", "--hip-flexion", "0:90:10", "--knee-flexion", "0,150"], "argument --knee-flexion: expected degrees in [-10, 120]"),
    (["moment-arms", "--hip-flexion", "0:90:10", "--muscle", "quads"], "argument --muscle: unknown 'quads'"),
    (["moment-arms"], "the following arguments are required: --hip-flexion"),
    (["paint"], "argument command: invalid choice"),
    (["render"], "the following arguments are required: scene, -o/--output"),
    (["show", "hip_thrust", "--lesson", "glutes_and_hamstrings"], "argument --lesson: a lesson brings its own scenes"),
    (["serve", "hip_thrust", "--lesson", "glutes_and_hamstrings"], "argument --lesson: a lesson brings its own scenes"),
])
def test_bad_arguments_are_one_line_and_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and not out
    assert err.startswith("anatviz: error: ") and fragment in err, err
    assert err.count("\n") == 1


def test_bad_model_file_is_one_line_and_exit_1(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[model]\nname = 1\nversion = 1\nmirror = \"z\"\n")
    code, _, err = run(capsys, "--model", str(bad), "list", "muscles")
    assert code == 1 and err.count("\n") == 1 and "bad.toml: model.name" in err
