"""The batched wrap solver: the passes over surfaces that share a segment settle."""

from __future__ import annotations

import itertools

import numpy as np

from anatviz.geometry import paths


def _grid_frames() -> dict[str, np.ndarray]:
    values = np.array(list(itertools.product(np.arange(-30.0, 121.0, 15.0), (-30.0, 0.0, 30.0),
                                             (-40.0, 0.0, 40.0), (0.0, 60.0, 120.0))))
    names = ("hip_flexion_r", "hip_adduction_r", "hip_rotation_r", "knee_flexion_r")
    return {name: values[:, i] for i, name in enumerate(names)}


def test_shared_segment_wraps_settle(model, monkeypatch):
    """Where several surfaces share a segment (the medial hamstrings under the ischium and over the
    condyles, the rectus femoris over three surfaces, the ischial adductor), the passes stop when the
    stages solved last move no tangent point 1e-10 m: within MAX_PASSES everywhere on the grid, and the
    lengths then agree to 1e-11 m with passes run until nothing moves 1e-13 m (a rule that stops one
    stage too early, before the rectus femoris' hip capsule and patella wraps agree, is 3e-8 m out)."""
    frames = _grid_frames()
    counted = []
    moved = paths.Chains.moved

    def counting(self, at, frames_, before):
        step = moved(self, at, frames_, before)
        counted.append(int((step > paths.SETTLED_M).sum()))
        return step

    monkeypatch.setattr(paths.Chains, "moved", counting)
    lengths = model.compute(frames, paths=False, moment_arms=False).lengths_m
    stages = len(model._paths._later_passes)  # one call of moved per stage solved
    assert 1 < len(counted) < paths.MAX_PASSES * stages and counted[-1] == 0  # settled before the cap
    monkeypatch.setattr(paths, "SETTLED_M", 1e-13)
    monkeypatch.setattr(paths, "MAX_PASSES", 500)
    settled = model.compute(frames, paths=False, moment_arms=False).lengths_m
    np.testing.assert_allclose(lengths, settled, rtol=0.0, atol=1e-11)


def test_a_single_surface_segment_needs_no_second_pass(model, monkeypatch):
    """Muscles whose segments each carry one surface are solved in one call: no later pass runs."""
    from dataclasses import replace

    import anatviz

    keep = {m: model.data.muscles[m] for m in ("gluteus_maximus_superior_r", "gluteus_medius_middle_r",
                                               "piriformis_r", "biceps_femoris_long_head_r")}
    one = anatviz.HipModel(replace(model.data, muscles=keep, groups={}))
    calls = []
    solve = paths.MusclePaths._solve
    monkeypatch.setattr(paths.MusclePaths, "_solve", lambda self, *a: calls.append(1) or solve(self, *a))
    one.compute(_grid_frames(), paths=False, moment_arms=False)
    assert len(calls) == 1


def test_the_passes_stop_after_the_first_group_that_does_not_move(model, monkeypatch):
    """The semitendinosus and semimembranosus share their ischium segments with their condyle wraps.
    With the knee bent 40 deg the condyle wraps stay off, so one later solve (of the condyle wraps)
    shows that nothing moves: two solves in all (the first pass solved the ischium wraps against the
    segments' ends, which is where the condyle wraps leave them), and the same lengths as when the
    passes run on until no tangent point moves 1e-13 m. With the knee nearly straight the condyle wraps
    come on and the passes go on until they settle."""
    from dataclasses import replace

    import anatviz

    keep = {m: model.data.muscles[m] for m in ("semitendinosus_r", "semimembranosus_r")}
    two = anatviz.HipModel(replace(model.data, muscles=keep, groups={}))
    calls = []
    solve = paths.MusclePaths._solve
    monkeypatch.setattr(paths.MusclePaths, "_solve", lambda self, *a: calls.append(1) or solve(self, *a))
    bent = two.compute(hip_flexion_r=50.0, knee_flexion_r=40.0, paths=False, moment_arms=False)
    assert len(calls) == 2
    calls.clear()
    straight = two.compute(hip_flexion_r=30.0, knee_flexion_r=5.0, paths=False, moment_arms=False)
    assert len(calls) > 3 and straight.wrapped.all()
    monkeypatch.setattr(paths, "SETTLED_M", 1e-13)
    for pose, lengths in (((50.0, 40.0), bent.lengths_m), ((30.0, 5.0), straight.lengths_m)):
        settled = two.compute(hip_flexion_r=pose[0], knee_flexion_r=pose[1], paths=False, moment_arms=False)
        np.testing.assert_allclose(lengths, settled.lengths_m, rtol=0.0, atol=1e-12)
