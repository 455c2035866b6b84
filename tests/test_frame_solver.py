"""The compiled path (anatviz.use_numba) against the numpy path it stands in for: the kernels segment by
segment, the whole model over random poses, and small models made to reach what the bundled one does not.
The first test here compiles it (about 25 s on a cold cache, once per machine: numba keeps the machine
code beside the sources)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import anatviz
from anatviz.geometry import frame_compiled, frame_solver  # frame_compiled imports numba (the test extra has it)
from anatviz.geometry.paths import MusclePaths
from anatviz.geometry.sphere_wrap import sphere_plane
from anatviz.geometry.wrapping import TIE_RAD, wrap_cylinder
from anatviz.model.schema import PathPoint, PathWrap

EXACT = dict(rtol=0.0, atol=1e-12)


@pytest.fixture(scope="module")
def model() -> anatviz.HipModel:
    return anatviz.load_model()


@pytest.fixture
def compiled():
    """The compiled path on for one test, and off again after it (whatever happens in the test)."""
    with anatviz.use_numba():
        yield


def both_ways(model: anatviz.HipModel, poses, **options) -> tuple[anatviz.Motion, anatviz.Motion]:
    """``model.compute`` compiled, then with numpy."""
    with anatviz.use_numba():
        got = model.compute(poses, **options)
    with anatviz.use_numba(False):
        return got, model.compute(poses, **options)


def assert_same_paths(got: anatviz.Motion, want: anatviz.Motion) -> None:
    np.testing.assert_allclose(got.lengths_m, want.lengths_m, rtol=0.0, atol=1e-9)
    np.testing.assert_array_equal(got.wrapped, want.wrapped)
    for got_line, want_line in zip(got.paths, want.paths):
        np.testing.assert_allclose(got_line, want_line, rtol=0.0, atol=1e-9)


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
    got = [frame_compiled.wrap_cylinder(tuple(p[i]), tuple(s[i]), radius[i], length[i], int(qaxis[i]), qsign[i],
                                        TIE_RAD) for i in range(len(p))]
    wrapped, path, straight, r, theta1, dtheta, z1, z2 = (np.array(x) for x in zip(*got))
    assert 0.2 < wrapped.mean() < 0.8  # both branches are exercised
    np.testing.assert_array_equal(wrapped, want.wrapped)
    np.testing.assert_allclose(path, want.length_m, **EXACT)
    np.testing.assert_allclose(straight, want.straight_length_m, **EXACT)
    for got_x, want_x in zip((r, theta1, dtheta, z1, z2), want.arc):
        np.testing.assert_allclose(got_x[wrapped], want_x[wrapped], **EXACT)


def test_both_kernels_go_the_same_way_round_through_the_axis():
    """Through the axis of an unconstrained cylinder both ways round are as short, and numpy's arccos and
    the C library's differ in the last bit: the tie goes counter-clockwise in both (wrapping.TIE_RAD)."""
    for half in (2.0, 1.0, 0.07, 0.05, 0.03):
        for z in (0.0, 0.01, -0.3):
            for turn in (0.0, 0.3, np.pi / 2, 2.2):
                d = np.array([np.cos(turn), np.sin(turn), 0.0])
                p, s = -half * d + [0, 0, z], half * d - [0, 0, z]
                want = wrap_cylinder(p[None], s[None], np.array([0.02]), np.array([np.inf]), np.zeros(1, int),
                                     np.zeros(1))
                got = frame_compiled.wrap_cylinder(tuple(p), tuple(s), 0.02, np.inf, 0, 0.0, TIE_RAD)
                assert want.wrapped[0] and got[0]
                assert want.arc[2][0] > 0.0 and got[5] > 0.0  # counter-clockwise
                assert got[4] == pytest.approx(want.arc[1][0], abs=1e-12)


def test_compiled_sphere_plane_matches_numpy():
    p, s, radius, _, qaxis, qsign = random_segments(np.random.default_rng(1), 4000)
    qaxis = np.random.default_rng(2).integers(0, 3, len(p))
    p_plane, s_plane, circle, rotation, origin, sided = sphere_plane(p, s, radius, qaxis, qsign)
    blends = frame_solver._path_tables(anatviz.load_model()._paths).sphere_blends
    got = [frame_compiled.sphere_plane(tuple(p[i]), tuple(s[i]), radius[i], int(qaxis[i]), qsign[i], blends)
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


def test_compiled_model_matches_numpy_over_random_poses(model):
    """Transforms, lengths, wrapping, every polyline point and the moment arms, over 400 random poses
    (each coordinate over its whole range) and the poses where conditional via points switch."""
    poses = random_poses(model, 400, seed=3)
    for point in (p for m in model.data.muscles.values() for p in m.path if p.active_when is not None):
        for edge in point.active_when.range_deg:
            poses[point.active_when.coordinate] = np.append(poses[point.active_when.coordinate], edge)
            for other in poses.keys() - {point.active_when.coordinate}:
                poses[other] = np.append(poses[other], 0.0)
    got, want = both_ways(model, poses)
    assert 0.1 < want.wrapped.mean() < 0.9
    np.testing.assert_allclose(got.bone_transforms, want.bone_transforms, **EXACT)
    assert got.bone_transforms.flags.c_contiguous
    assert_same_paths(got, want)
    np.testing.assert_allclose(got.moment_arms_m, want.moment_arms_m, rtol=0.0, atol=1e-6)


def test_compiled_one_pose_through_the_api(model, compiled, monkeypatch):
    """With use_numba on, one pose never reaches the numpy paths, and gives their answer."""
    pose = dict(hip_flexion_r=75.0, hip_adduction_r=-12.0, hip_rotation_r=20.0, knee_flexion_r=60.0)
    monkeypatch.setattr(MusclePaths, "evaluate", lambda *a, **k: pytest.fail("numpy path used"))
    got = model.lengths(**pose), model.muscle_paths(**pose), model.moment_arms(**pose)
    monkeypatch.undo()
    with anatviz.use_numba(False):
        want = model.lengths(**pose), model.muscle_paths(**pose), model.moment_arms(**pose)
    assert got[0] == pytest.approx(want[0], abs=1e-9)
    for m in model.muscles:
        np.testing.assert_allclose(got[1][m], want[1][m], rtol=0.0, atol=1e-9)
        assert got[2][m] == pytest.approx(want[2][m], abs=1e-6)


def small_model(model: anatviz.HipModel, muscles: dict, wraps: dict | None = None) -> anatviz.HipModel:
    data = model.data
    return anatviz.HipModel(replace(data, muscles=muscles, wraps={**data.wraps, **(wraps or {})}, groups={}))


def test_compiled_models_without_wraps_or_later_passes(model):
    """Models the bundled one does not exercise: no muscle wraps; wraps but no shared segments."""
    unwrapped = {m: replace(model.data.muscles[m], wrap=None, wraps=()) for m in model.muscles[:6]}
    one_surface_each = {m: model.data.muscles[m] for m in model.muscles if m.startswith("gluteus_minimus")}
    for muscles in (unwrapped, one_surface_each):
        assert_same_paths(*both_ways(small_model(model, muscles), random_poses(model, 50, seed=4),
                                     moment_arms=False))


def femur_cylinder(model: anatviz.HipModel, name: str, **changes) -> dict:
    """A wrap cylinder of our own on the right femur, 20 cm below the hip centre."""
    base = replace(model.data.wraps["knext_at_fem_r"], name=name, bone="femur_r", translation_m=(0.0, -0.2, 0.0),
                   xyz_body_rotation_rad=(0.0, 0.0, 0.0), radius_m=0.02, length_m=0.2, quadrant="all")
    return {name: replace(base, **changes)}


def femur_muscle(model: anatviz.HipModel, points_m, wraps) -> dict:
    """A muscle of our own on the right femur, through ``points_m`` and over ``wraps``."""
    muscle = replace(model.data.muscles["gluteus_medius_anterior_r"], name="probe_r", wrap=None, wrap_range=None,
                     path=tuple(PathPoint("femur_r", p) for p in points_m), wraps=wraps)
    return {"probe_r": muscle}


def test_compiled_least_lengthening_in_a_later_pass(model):
    """A surface that can wrap both segments of a muscle, applied after another surface on the first: in
    the later pass it is kept only on the segment it lengthens least (both segments here pass through it)."""
    wraps = {**femur_cylinder(model, "elsewhere", translation_m=(0.5, 0.5, 0.5)), **femur_cylinder(model, "under")}
    points = [(-0.05, -0.19, 0.0), (0.05, -0.188, 0.0), (-0.05, -0.186, 0.02)]
    probe = small_model(model, femur_muscle(model, points, (PathWrap("elsewhere", (1, 2)), PathWrap("under"))), wraps)
    assert probe._paths._later_passes[0].shared_use
    got, want = both_ways(probe, {}, moment_arms=False)
    assert want.wrapped[0, 0]
    assert_same_paths(got, want)


def test_compiled_keeps_one_of_tied_slots(model):
    """A muscle there and back over one cylinder: both segments lengthen the path by as much, to the last
    bit or two of rounding, which numpy and the compiled path round apart; both keep the first
    (chains.LENGTHENING_TIE_M)."""
    wraps = {**femur_cylinder(model, "elsewhere", translation_m=(0.5, 0.5, 0.5)), **femur_cylinder(model, "under")}
    for y in np.linspace(-0.199, -0.185, 8):
        for x in (0.03, 0.05, 0.07):
            points = [(-x, y, 0.0), (x, y, 0.0), (-x, y, 0.0)]
            probe = small_model(model, femur_muscle(model, points, (PathWrap("elsewhere", (1, 2)),
                                                                    PathWrap("under"))), wraps)
            got, want = both_ways(probe, {}, moment_arms=False, paths=True)
            assert want.wrapped[0, 0]
            assert_same_paths(got, want)
            # over the cylinder once, straight back: the length of one wrap, not two
            once = small_model(model, femur_muscle(model, points[:2], (PathWrap("under"),)), wraps)
            straight = np.hypot(2 * x, 0.0)
            assert want.lengths_m[0, 0] == pytest.approx(once.lengths(**{})["probe_r"] + straight, abs=1e-12)


def test_compiled_passes_stop_only_after_every_later_pass_is_solved(model):
    """The rectus femoris's three surfaces with the middle one moved out of the way: the passes must not
    stop before each later pass the first did not solve has been solved once."""
    data = model.data
    moved = {"vastus_intermedius_r": replace(data.wraps["vastus_intermedius_r"], translation_m=(0.5, 0.5, 0.5))}
    probe = small_model(model, {"rectus_femoris_r": data.muscles["rectus_femoris_r"]}, moved)
    assert not all(probe._paths._solved_first)
    got, want = both_ways(probe, dict(knee_flexion_r=np.linspace(-10, 120, 27)), moment_arms=False)
    assert want.wrapped.any()
    assert_same_paths(got, want)


def test_compiled_segment_through_the_axis_of_a_cylinder(model):
    """A segment through the axis of an unconstrained cylinder, a second cylinder beside it: both paths go
    the same way round (wrapping.TIE_RAD), in every pose."""
    wraps = {**femur_cylinder(model, "axis", length_m=0.1),
             **femur_cylinder(model, "beside", translation_m=(0.029, -0.1908, 0.0), radius_m=0.004, length_m=0.1)}
    probe = small_model(model, femur_muscle(model, [(-0.05, -0.2, 0.0), (0.05, -0.2, 0.0)],
                                            (PathWrap("axis"), PathWrap("beside"))), wraps)
    poses = {c: np.append(v, 0.0) for c, v in random_poses(probe, 40, seed=5).items()}
    got, want = both_ways(probe, poses, moment_arms=False)
    assert want.wrapped.all()
    assert_same_paths(got, want)


@pytest.fixture
def numpy_by_default():
    """The process's default back to numpy after the test, whatever it set."""
    yield
    anatviz.use_numba(False)


def test_use_numba_is_a_switch_and_a_context_manager(numpy_by_default):
    anatviz.use_numba(False)
    assert not frame_solver.numba_enabled()
    with anatviz.use_numba():
        assert frame_solver.numba_enabled()
        with anatviz.use_numba(False):
            assert not frame_solver.numba_enabled()
        assert frame_solver.numba_enabled()
    assert not frame_solver.numba_enabled()  # a block changes no default
    anatviz.use_numba()
    assert frame_solver.numba_enabled()
    with pytest.raises(ValueError), anatviz.use_numba(False):
        assert not frame_solver.numba_enabled()
        raise ValueError
    assert frame_solver.numba_enabled()  # after an exception in the block as well


def test_use_numba_made_earlier_and_entered_later(numpy_by_default):
    off = anatviz.use_numba(False)
    anatviz.use_numba()  # a later default wins over the one the earlier call set
    with off:
        assert not frame_solver.numba_enabled()
    assert frame_solver.numba_enabled()


def test_a_block_and_the_background_do_not_undo_each_other(numpy_by_default):
    """The default set from another thread (use_numba_in_background, finishing) while a block holds: the
    block keeps its setting, and the default is the thread's after it."""
    anatviz.use_numba(False)
    with anatviz.use_numba(False):
        import threading

        thread = threading.Thread(target=anatviz.use_numba)
        thread.start()
        thread.join()
        assert not frame_solver.numba_enabled()
    assert frame_solver.numba_enabled()


@pytest.mark.parametrize("why", ["not installed", "not importable", "cannot compile", "compiler off"])
def test_use_numba_without_a_compiler_is_a_one_line_error(monkeypatch, why):
    import sys

    import numba

    monkeypatch.setitem(frame_solver._state, "compiled", False)
    if why == "not installed":
        monkeypatch.setattr(frame_solver, "available", lambda: False)
        message = r"^use_numba: numba is not installed; install it with pip install 'anatviz\[fast\]'$"
    elif why == "not importable":  # what numba says when the installed numpy is too new for it
        monkeypatch.setattr(frame_solver, "available", lambda: True)
        monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
        message = r"^use_numba: numba is installed but cannot be imported: import of numba halted[^\n]*$"
    elif why == "cannot compile":
        def fail(*args):
            raise numba.core.errors.TypingError("Failed in nopython mode pipeline\nmore\nand more")
        monkeypatch.setattr(frame_solver.FrameSolver, "solve", fail)
        message = r"^use_numba: numba could not compile the path: Failed in nopython mode pipeline$"
    else:
        monkeypatch.setattr(numba.config, "DISABLE_JIT", True)
        message = (r"^use_numba: numba's compiler is turned off \(NUMBA_DISABLE_JIT is set\), and uncompiled "
                   r"the path is 50 times slower than numpy$")
    with anatviz.use_numba(False):
        with pytest.raises(RuntimeError, match=message):
            anatviz.use_numba()
        assert not frame_solver.numba_enabled()
    assert not frame_solver._state["compiled"]


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
    assert frame_compiled.jit(abs) is abs
    assert calls == [{"cache": True, "nogil": True}, {"nogil": True}]


def test_use_numba_in_background_turns_it_on_when_ready(monkeypatch, numpy_by_default):
    monkeypatch.delenv(frame_solver.AUTO_ENV, raising=False)
    anatviz.use_numba(False)
    thread = frame_solver.use_numba_in_background()
    assert thread is not None
    thread.join(timeout=600)
    assert frame_solver.numba_enabled()
    assert frame_solver.use_numba_in_background() is None  # on already


@pytest.mark.parametrize("why", ["ANATVIZ_NUMBA=0", "not installed"])
def test_use_numba_in_background_can_be_kept_off(monkeypatch, why):
    if why == "not installed":
        monkeypatch.delenv(frame_solver.AUTO_ENV, raising=False)
        monkeypatch.setattr(frame_solver, "available", lambda: False)
    else:
        monkeypatch.setenv(frame_solver.AUTO_ENV, "0")
    anatviz.use_numba(False)
    assert frame_solver.use_numba_in_background() is None
    assert not frame_solver.numba_enabled()


def test_use_numba_in_background_failing_is_one_line_and_numpy_goes_on(monkeypatch, capsys, numpy_by_default):
    monkeypatch.delenv(frame_solver.AUTO_ENV, raising=False)
    monkeypatch.setattr(frame_solver.sys, "executable", "/no/such/python")
    anatviz.use_numba(False)
    frame_solver.use_numba_in_background().join(timeout=60)
    assert not frame_solver.numba_enabled()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("anatviz: the compiled path is off (") and "numpy goes on" in err
