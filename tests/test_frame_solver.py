"""The compiled path (anatviz.use_numba) against the numpy path it stands in for: the kernels segment by
segment, and the whole model over random poses. The first test here compiles it (about 30 s on a cold
cache, once per machine: numba keeps the machine code beside the sources)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import anatviz
from anatviz.geometry import frame_kernels, frame_solver  # frame_kernels imports numba (the test extra has it)
from anatviz.geometry.paths import MusclePaths
from anatviz.geometry.sphere_wrap import sphere_plane
from anatviz.geometry.wrapping import wrap_cylinder

EXACT = dict(rtol=0.0, atol=1e-12)


@pytest.fixture(scope="module")
def model() -> anatviz.HipModel:
    return anatviz.load_model()


@pytest.fixture
def compiled():
    """The compiled path on for one test, and off again after it."""
    anatviz.use_numba()
    yield
    anatviz.use_numba(False)


def random_segments(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Segments of every kind the kernels tell apart: passing through or beside the surface, ends
    inside it, through its centre or axis, of no length, with each quadrant."""
    p = rng.normal(size=(n, 3)) * rng.choice([0.5, 1.5, 4.0], size=(n, 1))
    s = rng.normal(size=(n, 3)) * rng.choice([0.5, 1.5, 4.0], size=(n, 1))
    kind = rng.integers(0, 6, n)
    s[kind == 1] = -p[kind == 1] * rng.uniform(0.5, 2.0, size=(np.sum(kind == 1), 1))  # through the centre
    s[kind == 2] = p[kind == 2]  # no length
    p[kind == 3, :2] = 0.0  # on the axis
    s[kind == 4] = p[kind == 4] + [0.0, 0.0, 1.0]  # along the axis
    s[kind == 5] = -p[kind == 5] + rng.normal(scale=1e-3, size=(np.sum(kind == 5), 3))  # nearly opposite
    radius = rng.uniform(0.2, 1.5, n)
    length = np.where(rng.random(n) < 0.3, np.inf, rng.uniform(0.5, 4.0, n))
    qaxis = rng.integers(0, 2, n)
    qsign = rng.choice([-1.0, 0.0, 1.0], n)
    return p, s, radius, length, qaxis, qsign


def test_compiled_cylinder_kernel_matches_numpy():
    p, s, radius, length, qaxis, qsign = random_segments(np.random.default_rng(0), 4000)
    want = wrap_cylinder(p, s, radius, length, qaxis, qsign)
    got = [frame_kernels.wrap_cylinder(tuple(p[i]), tuple(s[i]), radius[i], length[i], int(qaxis[i]), qsign[i])
           for i in range(len(p))]
    wrapped, path, straight, r, theta1, dtheta, z1, z2 = (np.array(x) for x in zip(*got))
    assert 0.2 < wrapped.mean() < 0.8  # both branches are exercised
    np.testing.assert_array_equal(wrapped, want.wrapped)
    np.testing.assert_allclose(path, want.length_m, **EXACT)
    np.testing.assert_allclose(straight, want.straight_length_m, **EXACT)
    # Where the segment passes through the axis of an unconstrained cylinder, both ways round are as
    # short; the last bit of rounding (libm's atan2 and acos) picks one. Anywhere else, the same way.
    other_way = wrapped & ~np.isclose(theta1, want.arc[1], rtol=0.0, atol=1e-12)
    assert other_way.mean() < 0.02
    assert np.all(qsign[other_way] == 0.0)
    np.testing.assert_allclose(np.abs(dtheta[other_way]), np.abs(want.arc[2][other_way]), rtol=0.0, atol=1e-9)
    for got_x, want_x in zip((r, theta1, dtheta, z1, z2), want.arc):
        np.testing.assert_allclose(got_x[wrapped & ~other_way], want_x[wrapped & ~other_way], **EXACT)


def test_compiled_sphere_plane_matches_numpy():
    p, s, radius, _, qaxis, qsign = random_segments(np.random.default_rng(1), 4000)
    qaxis = np.random.default_rng(2).integers(0, 3, len(p))
    p_plane, s_plane, circle, rotation, origin, sided = sphere_plane(p, s, radius, qaxis, qsign)
    got = [frame_kernels.sphere_plane(tuple(p[i]), tuple(s[i]), radius[i], int(qaxis[i]), qsign[i])
           for i in range(len(p))]
    g_p, g_s, g_circle, e1, e2, e3, g_origin, g_sided = (np.array(x) for x in zip(*got))
    assert 0.05 < (g_circle < radius - 1e-9).mean() < 0.95  # planes turned off the great circle, and not
    np.testing.assert_array_equal(g_sided, sided)
    for got_x, want_x in ((g_p, p_plane), (g_s, s_plane), (g_circle, circle), (g_origin, origin),
                          (np.stack([e1, e2, e3], axis=-1), rotation)):
        np.testing.assert_allclose(got_x, want_x, **EXACT)


def random_poses(model: anatviz.HipModel, n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {c: rng.uniform(lo, hi, n) for c, (lo, hi) in model.coordinates.items()}


def test_compiled_model_matches_numpy_over_random_poses(model, compiled):
    """Transforms, lengths, wrapping, every polyline point and the moment arms, over 400 random poses
    (each coordinate over its whole range) and the poses where conditional via points switch."""
    poses = random_poses(model, 400, seed=3)
    for point in (p for m in model.data.muscles.values() for p in m.path if p.active_when is not None):
        for edge in point.active_when.range_deg:
            poses[point.active_when.coordinate] = np.append(poses[point.active_when.coordinate], edge)
            for other in poses.keys() - {point.active_when.coordinate}:
                poses[other] = np.append(poses[other], 0.0)
    got = model.compute(poses)
    anatviz.use_numba(False)
    want = model.compute(poses)
    assert 0.1 < want.wrapped.mean() < 0.9
    np.testing.assert_allclose(got.bone_transforms, want.bone_transforms, **EXACT)
    np.testing.assert_allclose(got.lengths_m, want.lengths_m, rtol=0.0, atol=1e-9)
    np.testing.assert_array_equal(got.wrapped, want.wrapped)
    for got_line, want_line in zip(got.paths, want.paths):
        np.testing.assert_allclose(got_line, want_line, rtol=0.0, atol=1e-9)
    np.testing.assert_allclose(got.moment_arms_m, want.moment_arms_m, rtol=0.0, atol=1e-6)


def test_compiled_one_pose_through_the_api(model, compiled, monkeypatch):
    """With use_numba on, one pose never reaches the numpy paths, and gives their answer."""
    pose = dict(hip_flexion_r=75.0, hip_adduction_r=-12.0, hip_rotation_r=20.0, knee_flexion_r=60.0)
    monkeypatch.setattr(MusclePaths, "evaluate", lambda *a, **k: pytest.fail("numpy path used"))
    got = model.lengths(**pose), model.muscle_paths(**pose), model.moment_arms(**pose)
    monkeypatch.undo()
    anatviz.use_numba(False)
    want = model.lengths(**pose), model.muscle_paths(**pose), model.moment_arms(**pose)
    assert got[0] == pytest.approx(want[0], abs=1e-9)
    for m in model.muscles:
        np.testing.assert_allclose(got[1][m], want[1][m], rtol=0.0, atol=1e-9)
        assert got[2][m] == pytest.approx(want[2][m], abs=1e-6)


def test_compiled_models_without_wraps_or_later_passes(model, compiled):
    """Models the bundled one does not exercise: no muscle wraps; wraps but no shared segments."""
    unwrapped = {m: replace(model.data.muscles[m], wrap=None, wraps=()) for m in model.muscles[:6]}
    one_surface_each = {m: model.data.muscles[m] for m in model.muscles if m.startswith("gluteus_minimus")}
    for muscles in (unwrapped, one_surface_each):
        data = replace(model.data, muscles=muscles, groups={})
        small = anatviz.HipModel(data)
        poses = random_poses(small, 50, seed=4)
        got = small.compute(poses, moment_arms=False)
        anatviz.use_numba(False)
        want = small.compute(poses, moment_arms=False)
        anatviz.use_numba()
        np.testing.assert_allclose(got.lengths_m, want.lengths_m, rtol=0.0, atol=1e-9)
        for got_line, want_line in zip(got.paths, want.paths):
            np.testing.assert_allclose(got_line, want_line, rtol=0.0, atol=1e-9)


def test_use_numba_off_and_on():
    assert not frame_solver.numba_enabled()
    assert anatviz.use_numba() > 0.0 and frame_solver.numba_enabled()
    assert anatviz.use_numba(False) == 0.0 and not frame_solver.numba_enabled()


def test_use_numba_without_numba_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(frame_solver, "available", lambda: False)
    with pytest.raises(RuntimeError, match=r"^use_numba: numba is not installed; install it with pip install "
                                           r"'anatviz\[fast\]'$"):
        anatviz.use_numba()
    assert not frame_solver.numba_enabled()


def test_jit_compiles_without_a_cache_where_numba_has_nowhere_to_write(monkeypatch):
    """numba refuses ``cache=True`` where neither the package's folder nor the user's cache folder is
    writable (a read-only install); the kernels then compile in each process instead."""
    import numba

    calls = []

    def njit(**options):
        calls.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function 'f': no locator available for file 'x.py'")
        return lambda function: function

    monkeypatch.setattr(numba, "njit", njit)
    assert frame_kernels.jit(abs) is abs
    assert calls == [{"cache": True, "nogil": True}, {"nogil": True}]
