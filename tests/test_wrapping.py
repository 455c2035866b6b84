"""The cylinder-wrap kernel, against geometry that can be worked out by hand and over many inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from anatviz.geometry.wrapping import wrap_cylinder


def wrap(p, s, radius=1.0, length=10.0, axis=0, sign=0.0):
    p, s = np.atleast_2d(np.asarray(p, float)), np.atleast_2d(np.asarray(s, float))
    n = p.shape[0]
    return wrap_cylinder(p, s, np.full(n, radius), np.full(n, length), np.full(n, axis), np.full(n, sign))


def samples(w, k=400):
    """(k + 1, 3) points along the first segment, from P to S."""
    return np.concatenate([w._p[:1], w.sample(k)[0]])


def test_symmetric_wrap_by_hand():
    w = wrap([-2.0, 0.0, 0.0], [2.0, 0.0, 0.0])
    assert w.wrapped[0]
    assert w.length_m[0] == pytest.approx(2 * np.sqrt(3) + np.pi / 3)


def test_helix_length_by_hand():
    """Unrolled, the path is one straight line: length = hypot(planar length, axial rise)."""
    w = wrap([-2.0, 0.0, -1.0], [2.0, 0.0, 3.0])
    assert w.length_m[0] == pytest.approx(np.hypot(2 * np.sqrt(3) + np.pi / 3, 4.0))


def test_missing_segment_does_not_wrap():
    w = wrap([-2.0, 1.5, 0.0], [2.0, 1.5, 0.0])
    assert not w.wrapped[0]
    assert w.length_m[0] == pytest.approx(4.0)


def test_an_end_entering_the_cylinder_moves_the_path_continuously():
    """An end inside the cylinder shrinks it to that end's distance from the axis (OpenSim drops the
    wrap there, and the path jumps): the path runs over the shrunk surface to the end, so the length
    and the points change little as the end crosses the surface."""
    s = [2.0, -0.2, 0.0]
    outside, inside = wrap([-1.0005, 0.3, 0.0], s), wrap([-0.9995, 0.3, 0.0], s)
    assert inside.wrapped[0] and outside.wrapped[0]
    assert abs(inside.length_m[0] - outside.length_m[0]) < 2e-3
    assert np.abs(samples(inside, 50) - samples(outside, 50)).max() < 2e-3
    deep = wrap([-0.5, 0.0, 0.0], [2.0, 0.0, 0.0])
    assert np.linalg.norm(samples(deep)[:, :2], axis=-1).min() == pytest.approx(0.5, abs=1e-6)


def test_beyond_the_cylinder_ends_does_not_wrap():
    assert not wrap([-2.0, 0.0, 6.0], [2.0, 0.0, 6.0], length=10.0).wrapped[0]
    assert wrap([-2.0, 0.0, 4.0], [2.0, 0.0, 4.0], length=10.0).wrapped[0]


def test_quadrant_forces_the_side():
    """A segment clearing the +y side of a '-y' cylinder is wrapped round the -y side."""
    w = wrap([-2.0, 1.2, 0.0], [2.0, 1.2, 0.0], axis=1, sign=-1.0)
    assert w.wrapped[0]
    assert samples(w)[:, 1].min() < -0.99
    free = wrap([-2.0, 1.2, 0.0], [2.0, 1.2, 0.0])
    assert not free.wrapped[0]


def test_quadrant_side_clear_of_the_cylinder_does_not_wrap():
    assert not wrap([-2.0, -1.2, 0.0], [2.0, -1.2, 0.0], axis=1, sign=-1.0).wrapped[0]


def crosses_fin(xy, allowed):
    """Whether a 2D polyline (k, 2) crosses the fin: the ray from the origin away from ``allowed``."""
    u, v = xy @ allowed, xy @ np.array([-allowed[1], allowed[0]])
    change = np.flatnonzero(np.sign(v[1:]) * np.sign(v[:-1]) < 0)
    at = u[change] + (u[change + 1] - u[change]) * v[change] / (v[change] - v[change + 1])
    return bool(np.any(at < 0.0))


points = st.tuples(st.floats(-4, 4), st.floats(-4, 4), st.floats(-2, 2))


@settings(max_examples=300, deadline=None)
@given(p=points, s=points, radius=st.floats(0.2, 1.5), quadrant=st.sampled_from(
    [(0, 0.0), (0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)]))
def test_wrapped_paths_are_sound(p, s, radius, quadrant):
    """Never shorter than straight; outside the cylinder; the samples' length is the reported length;
    tangent at the contact points; on the quadrant's side when constrained."""
    assume(min(np.hypot(*p[:2]), np.hypot(*s[:2])) > 0.1)  # an end on the axis shrinks it to a kink
    if quadrant[1] != 0:  # an end on the fin (the half-plane away from the allowed side) has no side
        fin = np.arctan2(*(np.eye(2)[quadrant[0]] * -quadrant[1])[::-1])
        assume(all(abs(np.angle(np.exp(1j * (np.arctan2(e[1], e[0]) - fin)))) > 0.01 for e in (p, s)))
    w = wrap(p, s, radius=radius, axis=quadrant[0], sign=quadrant[1])
    assert w.length_m[0] >= w.straight_length_m[0] - 1e-12
    pts = samples(w)
    np.testing.assert_allclose(pts[0], p, atol=1e-9)
    np.testing.assert_allclose(pts[-1], s, atol=1e-9)
    polyline_length = np.linalg.norm(np.diff(pts, axis=0), axis=-1).sum()
    assert polyline_length == pytest.approx(w.length_m[0], rel=2e-3, abs=1e-6)
    if w.wrapped[0]:
        shrunk = min(radius, np.linalg.norm(p[:2]), np.linalg.norm(s[:2]))  # an end inside shrinks it
        assert np.linalg.norm(pts[:, :2], axis=-1).min() >= shrunk * (1 - 1e-6)
        direction = np.diff(pts, axis=0)
        direction = direction[np.linalg.norm(direction, axis=-1) > 1e-12]
        direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
        turn = np.arccos(np.clip(np.einsum("ij,ij->i", direction[1:], direction[:-1]), -1, 1))
        assert turn.max() < 0.2  # smooth: no kink at the tangent points
        if quadrant[1] != 0:  # never across the fin: round the quadrant's side
            assert not crosses_fin(pts[:, :2], np.eye(2)[quadrant[0]] * quadrant[1])


@settings(max_examples=100, deadline=None)
@given(p=points, s=points)
def test_unconstrained_wrap_is_continuous(p, s):
    """Moving an end a little moves the path a little as the wrap comes on and off. Excluded: a segment
    through (within 5 cm of) the axis, where both ways round are equally short and the side flips,
    as it does in OpenSim."""
    p, s = np.array(p), np.array(s)
    d = s[:2] - p[:2]
    assume(abs(d[0] * p[1] - d[1] * p[0]) / max(np.linalg.norm(d), 1e-12) > 0.05)
    delta = np.array([1e-4, -1e-4, 1e-4])
    a, b = samples(wrap(p, s), 50), samples(wrap(p + delta, s), 50)
    if np.linalg.norm(p[:2]) > 1.01 and np.linalg.norm(s[:2]) > 1.01:
        assert np.abs(a - b).max() < 0.05


@settings(max_examples=200, deadline=None)
@given(p=points, s=points, quadrant=st.sampled_from([(0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)]))
def test_constrained_wrap_is_continuous(p, s, quadrant):
    """A one-sided cylinder has a fin: the half-plane from its axis away from the allowed side. The path
    never crosses it, so moving an end a little moves the path a little everywhere, also where the
    segment passes through the axis (where an unconstrained cylinder flips sides), except where an end
    itself crosses the fin."""
    p, s = np.array(p), np.array(s)
    fin = np.arctan2(*(np.eye(2)[quadrant[0]] * -quadrant[1])[::-1])
    for end in (p, s):
        assume(np.hypot(*end[:2]) > 0.1)
        assume(abs(np.angle(np.exp(1j * (np.arctan2(end[1], end[0]) - fin)))) > 0.01)
    delta = np.array([1e-4, -1e-4, 1e-4])
    a = samples(wrap(p, s, axis=quadrant[0], sign=quadrant[1]), 50)
    b = samples(wrap(p + delta, s, axis=quadrant[0], sign=quadrant[1]), 50)
    assert np.abs(a - b).max() < 0.05


# --- several surfaces on one path ----------------------------------------------------------------------
def _distance_to_cylinder_axis(model, pose, wrap_name, points):
    from anatviz.geometry.transforms import invert_rigid, rigid, xyz_body_rotation
    w = model.data.wraps[wrap_name]
    T = model.bone_transforms(**pose)[w.bone] @ rigid(xyz_body_rotation(w.xyz_body_rotation_rad), w.translation_m)
    local = points @ invert_rigid(T)[:3, :3].T + invert_rigid(T)[:3, 3]
    return np.linalg.norm(local[:, :2], axis=1), local[:, 2], w


def test_a_path_over_two_surfaces_stays_outside_both(model):
    """With the hip flexed and the knee straight, the semitendinosus runs under the ischial tuberosity
    and round the tibial condyles: its polyline keeps outside both cylinders (where they reach), its
    point count does not change, and its length is the musculotendon length."""
    pose = {"hip_flexion_r": 90.0}
    name = "semitendinosus_r"
    assert [w.surface for w in model.muscle(name).path_wraps] == ["bf_st_at_ischium_r", "st_at_condyles_r"]
    points = model.muscle_paths(**pose)[name]
    assert points.shape == model.muscle_paths()[name].shape
    for wrap_name in ("bf_st_at_ischium_r", "st_at_condyles_r"):
        r, z, w = _distance_to_cylinder_axis(model, pose, wrap_name, points)
        within = np.abs(z) <= w.length_m / 2
        assert within.any() and r[within].min() >= w.radius_m * (1 - 1e-6), wrap_name
    polyline = np.linalg.norm(np.diff(points, axis=0), axis=-1).sum()
    assert polyline == pytest.approx(model.lengths(**pose)[name], rel=2e-3)
    motion = model.compute(paths=False, moment_arms=False, **pose)
    assert motion.wrapped[0, model.muscles.index(name)]


def test_several_surfaces_agree_with_one_when_only_one_wraps(model):
    """At neutral the ischial cylinder does not touch the semitendinosus, so its path over the condyles
    is what the condyle cylinder alone gives (the left side, mirrored, agrees too)."""
    import dataclasses

    from anatviz.hipmodel import HipModel
    from anatviz.model.schema import PathWrap

    data = model.data
    muscles = dict(data.muscles)
    for side in "rl":
        m = muscles[f"semitendinosus_{side}"]
        muscles[m.name] = dataclasses.replace(m, wraps=(PathWrap(f"st_at_condyles_{side}"),))
    single = HipModel(dataclasses.replace(data, muscles=muscles))
    for side in "rl":
        name = f"semitendinosus_{side}"
        assert single.lengths()[name] == pytest.approx(model.lengths()[name], abs=1e-12)
        np.testing.assert_allclose(single.muscle_paths()[name], model.muscle_paths()[name], atol=1e-12)


# --- the data file -------------------------------------------------------------------------------------
@pytest.mark.parametrize("old, new, key, expected", [
    ('wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 2] }, { surface = "st_at_condyles_r" }]',
     'wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 2] }, { surface = "st_at_condylez_r" }]',
     "muscles.semitendinosus_r.wraps", "unknown wrap surface"),
    ('wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 2] }, { surface = "st_at_condyles_r" }]',
     'wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 2] }, { surface = "bf_st_at_ischium_r" }]',
     "muscles.semitendinosus_r.wraps", "each wrap surface once"),
    ('wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 2] }, { surface = "st_at_condyles_r" }]',
     'wraps = [{ surface = "bf_st_at_ischium_r", range = [1, 4] }, { surface = "st_at_condyles_r" }]',
     "muscles.semitendinosus_r.wraps[0].range", "1 <= first < last <= 3"),
    ('shape = "sphere"\ntranslation_m = [-0.0563', 'shape = "cone"\ntranslation_m = [-0.0563',
     "wraps.hip_capsule_r.shape", "cylinder, sphere"),
    ('radius_m = 0.0458\nquadrant', 'radius_m = 0.0458\nlength_m = 0.1\nquadrant',
     "wraps.hip_capsule_r.length_m", "no length"),
])
def test_wrap_data_errors_name_the_key(tmp_path, data_text, old, new, key, expected):
    from anatviz.model import AnatomyDataError, load_anatomy

    assert data_text.count(old) >= 1, f"test case out of date: {old!r} not in the data file"
    broken = tmp_path / "broken_model.toml"
    broken.write_text(data_text.replace(old, new, 1))
    with pytest.raises(AnatomyDataError) as info:
        load_anatomy(broken)
    assert key in str(info.value) and expected in str(info.value), str(info.value)
