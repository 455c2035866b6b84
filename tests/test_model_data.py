"""The anatomy data file: it loads, it is complete, and every validator catches a broken copy."""

from __future__ import annotations

import re

import pytest

import anatviz
from anatviz.model import AnatomyDataError, load_anatomy

EXPECTED_BUNDLES = {
    "gluteus_maximus": {"superior", "middle", "inferior"},
    "gluteus_medius": {"anterior", "middle", "posterior"},
    "gluteus_minimus": {"anterior", "middle", "posterior"},
}
EXPECTED_WHOLE = {"biceps_femoris_long_head", "biceps_femoris_short_head", "semitendinosus",
                  "semimembranosus", "piriformis"}
CONTEXT = {"iliacus", "psoas", "rectus_femoris", "adductor_magnus", "tensor_fasciae_latae"}


def test_both_sides_of_every_required_muscle(model):
    for side in ("r", "l"):
        for card, bundles in EXPECTED_BUNDLES.items():
            for bundle in bundles:
                assert f"{card}_{bundle}_{side}" in model.muscles
        for card in EXPECTED_WHOLE:
            assert f"{card}_{side}" in model.muscles
    assert len(model.muscles) == 44  # with the context muscles (hip flexors, adductor magnus, TFL)
    assert {model.muscle(m).card for m in model.groups["context"]} == CONTEXT


def test_groups_exist_per_side(model):
    groups = model.groups
    for group in ("gluteals", "hamstrings", "deep_rotators", "gluteus_maximus", "gluteus_medius",
                  "gluteus_minimus", "semitendinosus"):
        assert set(groups[group]) == set(groups[f"{group}_r"]) | set(groups[f"{group}_l"])
        assert all(m.endswith("_r") for m in groups[f"{group}_r"])
        assert all(m.endswith("_l") for m in groups[f"{group}_l"])
    assert set(groups["gluteals_r"]) == {f"{c}_{b}_r" for c, bs in EXPECTED_BUNDLES.items() for b in bs}
    assert "piriformis_r" in groups["deep_rotators"]
    assert "biceps_femoris_short_head_l" in groups["hamstrings_l"]


def test_bones_and_coordinates(model):
    assert set(model.bones) == {"pelvis", "femur_r", "femur_l", "tibia_r", "tibia_l"}
    assert model.bones[0] == "pelvis"
    assert set(model.coordinates) == {
        "pelvis_tilt", "pelvis_list", "pelvis_rotation", *(f"{c}_{s}" for c in (
            "hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion") for s in "rl")}
    assert model.coordinates["hip_flexion_r"] == (-30.0, 120.0)
    assert model.coordinates["knee_flexion_l"][1] == 120.0


def test_every_muscle_cites_its_published_source(model):
    for m in model.data.muscles.values():
        assert m.path_source in ("rajagopal2016", "gait2392")
        assert m.published_name.endswith(f"_{m.side}")
        assert m.max_isometric_force_n > 0 and m.optimal_fiber_length_m > 0


def test_one_model_per_bone(model):
    """All muscle points on a bone come from one published model."""
    sources = {}
    for m in model.data.muscles.values():
        for p in m.path:
            sources.setdefault(p.bone, set()).add(m.path_source)
    assert all(len(s) == 1 for s in sources.values()), sources


def test_cards_carry_the_seed_facts(model):
    cards = model.data.cards
    assert set(cards) == set(EXPECTED_BUNDLES) | EXPECTED_WHOLE | CONTEXT
    assert {c for c, card in cards.items() if card.context} == CONTEXT
    gmax = cards["gluteus_maximus"]
    assert gmax.innervation[0].roots == ("L5", "S1", "S2")
    assert "Inferior gluteal" in gmax.innervation[0].text
    assert any("iliotibial" in f.text.lower() for f in gmax.insertion + gmax.notes)
    for name in ("gluteus_medius", "gluteus_minimus"):
        assert cards[name].innervation[0].roots == ("L4", "L5", "S1")
        assert "Superior gluteal" in cards[name].blood_supply[0].text + cards[name].innervation[0].text
    assert any("bursa" in f.text for f in cards["gluteus_minimus"].notes)
    assert any("Biarticular" in f.text for f in cards["semimembranosus"].notes)
    assert any("synergistic dominance" in f.text for f in gmax.notes)
    for card in cards.values():
        for fact in card.origin + card.insertion + card.innervation + card.blood_supply + card.actions:
            assert fact.source in model.data.sources


# Each case breaks the bundled file the way a user might, and names the key the error must name.
BROKEN = [
    ('bone = "femur_r", position_m = [-0.0444', 'bone = "femur_x", position_m = [-0.0444',
     "muscles.gluteus_maximus_superior_r.path[2].bone", "unknown bone 'femur_x'"),
    ('range_deg = [-30.0, 120.0]', 'range_deg = [120.0, -30.0]',
     "coordinates.hip_flexion_r.range_deg", "min < max"),
    ('wrap = "gmax2_at_pelvis_r"', 'wrap = "gmax9_at_pelvis_r"',
     "muscles.gluteus_maximus_middle_r.wrap", "unknown wrap surface"),
    ('radius_m = 0.0352', 'radius_m = -0.0352', "wraps.sm_at_condyles_r.radius_m", "> 0.0"),
    ('quadrant = "-y"', 'quadrant = "-q"', "wraps.gmax1_at_pelvis_r.quadrant", "one of all"),
    ('max_isometric_force_n = 984.0', 'max_isometric_force_n = "984"',
     "muscles.gluteus_maximus_superior_r.max_isometric_force_n", "finite number"),
    ('position_m = [-0.0563, -0.0785, 0.0773]\ndescription', 'position_m = [-56.3, -78.5, 77.3]\ndescription',
     "landmarks.hip_centre_r.position_m", "metres"),
    ('card = "piriformis"', 'card = "piriformus"', "muscles.piriformis_r.card", "unknown card"),
    ('{ axis = "x", coordinate = "hip_adduction_r" }', '{ axis = "w", coordinate = "hip_adduction_r" }',
     "joints.hip_r.rotations[1].axis", "x, y, z"),
    ('{ axis = "y", coordinate = "hip_rotation_r" }', '{ axis = "y", coordinate = "hip_spin_r" }',
     "joints.hip_r.rotations[2].coordinate", "unknown coordinate"),
    ('source = "seed_lets_talk_booty" },\n]\nblood_supply', 'source = "seed_nowhere" },\n]\nblood_supply',
     "cards.gluteus_maximus.innervation[0].source", "unknown source"),
    ('bundles = ["posterior"]', 'bundles = ["lateral"]', "cards.gluteus_medius.secondary_actions", "unknown bundle"),
    ('optimal_fiber_length_m = 0.1470', 'optimal_fibre_length_m = 0.1470',
     "muscles.gluteus_maximus_superior_r.optimal_fibre_length_m", "unknown key"),
    ('parent = "femur_r"\nchild = "tibia_r"', 'parent = "tibia_r"\nchild = "tibia_r"', "bones.tibia_r", "cycle"),
    ('y_knots_deg = [-120.0, -9.1, 10.0', 'y_knots_deg = [-120.0, 10.0, -9.1',
     "joints.knee_r.translation_spline.y_knots_deg", "increasing"),
    ('x_m = [-0.00525,', 'x_m = [', "joints.knee_r.translation_spline.x_m", "as many values as knots"),
    ('hamstrings = ["biceps_femoris_long_head",', 'hamstrings = ["biceps_femoris_longhead",',
     "groups.hamstrings", "unknown card"),
    ('[muscles.piriformis_r]', '[muscles.piriformis_l]', "muscles.piriformis_l", "right-side"),
    ('    { bone = "pelvis", position_m = [-0.0987, -0.1140, 0.0614] },',
     '    { bone = "pelvis", position_m = [-0.0987, -0.1140, 0.0614], active_when = { coordinate = "knee_flexion_r", range_deg = [0.0, 30.0] } },',
     "muscles.semimembranosus_r.path[0].active_when", "fixed points"),
    ('mirror = "z"', 'mirror = "x"', "model.mirror", "'z'"),
    ('[model]', '[model', "<syntax>", "not valid TOML"),
]


@pytest.mark.parametrize("old, new, key, expected", BROKEN, ids=[b[2] for b in BROKEN])
def test_validators_name_file_key_and_expectation(tmp_path, data_text, old, new, key, expected):
    assert data_text.count(old) >= 1, f"test case out of date: {old!r} not in the data file"
    broken = tmp_path / "broken_model.toml"
    broken.write_text(data_text.replace(old, new, 1))
    with pytest.raises(AnatomyDataError) as info:
        load_anatomy(broken)
    message = str(info.value)
    assert message.startswith("broken_model.toml: "), message
    assert key in message and expected in message, message
    assert "\n" not in message


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(AnatomyDataError, match=re.escape("nowhere.toml: <file>: no such file")):
        anatviz.load_model(tmp_path / "nowhere.toml")


def test_a_copy_of_the_bundled_file_loads_from_any_path(tmp_path, data_text):
    copy = tmp_path / "copy.toml"
    copy.write_text(data_text)
    assert anatviz.load_model(copy).muscles == anatviz.load_model().muscles
