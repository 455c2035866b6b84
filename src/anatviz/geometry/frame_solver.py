"""Frame by frame, compiled: an optional numba path for what numpy does slowly on tiny arrays.

numpy's vectorised paths (:mod:`.paths`) pay per call, not per frame: over a 120-frame motion they take
0.055 ms a frame for the 14 right-side hip muscles, but one pose is a few dozen calls on arrays of a
few dozen wrap slots, 0.8 ms, where OpenSim takes 0.2 to 0.4 ms. :mod:`.frame_compiled` takes the same
steps for one frame with numba, segment by segment: 0.03 ms for one pose
(``benchmarks/bench_model.py``).

It is off until :func:`use_numba` turns it on (numba is the ``fast`` extra). The first call compiles it,
about 30 s once per installation (numba caches the machine code on disk), and about 0.3 s to load in
a new process. Then :meth:`anatviz.HipModel.compute` solves every frame with it, one after the other,
moment arms included. ``tests/test_frame_solver.py`` holds both paths to the same results (lengths
and path points to 1e-9 m) over random poses, and the kernels to 1e-12 over random segments.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from .kinematics import Skeleton
from .paths import MusclePaths, PathState
from .transforms import AXIS_INDEX

_state = {"enabled": False}


class KinematicTables(NamedTuple):
    """:class:`.kinematics.Skeleton`'s joints as flat arrays (b bones, r axis rotations)."""

    rotation_coordinate: NDArray[np.int64]  # (r,) coordinate of each rotation
    rotation_sign: NDArray[np.float64]      # (r,)
    rotation_axis: NDArray[np.int64]        # (r,) 0, 1, 2 for x, y, z
    parent: NDArray[np.int64]               # (b,) -1 for ground
    rotation_first: NDArray[np.int64]       # (b,) each joint's rotations are first .. first + count - 1
    rotation_count: NDArray[np.int64]       # (b,)
    location: NDArray[np.float64]           # (b, 3) joint location in the parent, metres
    spline_coordinate: NDArray[np.int64]    # (b,) the coordinate of the translation spline, or -1
    knots: NDArray[np.float64]              # (b, 2, k) x and y spline knots in degrees (padded)
    knot_count: NDArray[np.int64]           # (b, 2)
    coefficients: NDArray[np.float64]       # (b, 2, 4, k - 1) x and y pieces, highest power first
    spline_z: NDArray[np.float64]           # (b,) metres


class PathTables(NamedTuple):
    """:class:`.paths.MusclePaths`' compiled arrays, flat (see its attributes of the same names)."""

    body: NDArray[np.int64]
    local: NDArray[np.float64]
    cond: NDArray[np.int64]
    cond_lo: NDArray[np.float64]
    cond_hi: NDArray[np.float64]
    prev: NDArray[np.int64]
    seg_start: NDArray[np.int64]
    seg_end: NDArray[np.int64]
    seg_muscle: NDArray[np.int64]
    n_muscles: int
    wseg: NDArray[np.int64]
    wseg_start: NDArray[np.int64]
    wseg_end: NDArray[np.int64]
    surface_body: NDArray[np.int64]
    surface_local: NDArray[np.float64]
    table: NDArray[np.int64]
    slot_segment: NDArray[np.int64]
    slot_position: NDArray[np.int64]
    slot_use: NDArray[np.int64]
    slot_surface: NDArray[np.int64]
    slot_radius: NDArray[np.float64]
    slot_length: NDArray[np.float64]
    slot_qaxis: NDArray[np.int64]
    slot_qsign: NDArray[np.float64]
    slot_sphere: NDArray[np.bool_]
    n_uses: int
    group_slots: NDArray[np.int64]    # the first pass's slots, then each later pass's
    group_offsets: NDArray[np.int64]  # (passes + 1,)
    group_shared: NDArray[np.bool_]   # (passes,)
    solved_first: NDArray[np.bool_]   # (passes - 1,)
    poly_straight: NDArray[np.int64]
    poly_start: NDArray[np.int64]
    poly_end: NDArray[np.int64]
    poly_u: NDArray[np.float64]
    wseg_poly: NDArray[np.int64]
    poly_count: int


def available() -> bool:
    """Whether numba can be imported (the ``fast`` extra)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def use_numba(enabled: bool = True) -> float:
    """Turn the compiled path on (compiling it, or loading it from numba's cache) or off.

    Returns
    -------
    float
        Seconds it took to make it ready (0 when turning it off).

    Raises
    ------
    RuntimeError
        numba is not installed (one line, saying how to install it).
    """
    if not enabled:
        _state["enabled"] = False
        return 0.0
    if not available():
        raise RuntimeError("use_numba: numba is not installed; install it with pip install 'anatviz[fast]'")
    start = time.perf_counter()
    from ..hipmodel import load_model

    model = load_model()
    FrameSolver(model.skeleton, model._paths).solve(np.zeros((1, len(model.skeleton.coordinates))), True)
    _state["enabled"] = True
    return time.perf_counter() - start


def numba_enabled() -> bool:
    """Whether :meth:`anatviz.HipModel.compute` solves its frames with the compiled path."""
    return _state["enabled"]


class FrameSolver:
    """One model's tables for :func:`.frame_compiled.solve_frame`.

    Parameters
    ----------
    skeleton : Skeleton
    paths : MusclePaths
        Of the same model.
    """

    def __init__(self, skeleton: Skeleton, paths: MusclePaths) -> None:
        from . import frame_compiled  # imports numba

        self._solve_frames = frame_compiled.solve_frames
        self.kinematics = _kinematic_tables(skeleton)
        self.paths = _path_tables(paths)
        self._slices = paths._poly_slices

    def solve(self, q_rad: NDArray[np.float64], polylines: bool) -> tuple[NDArray, PathState]:
        """Bone transforms (b, n, 4, 4) and paths at the poses ``q_rad`` (n, c), frame by frame: what
        :meth:`.kinematics.Skeleton.transforms` and :meth:`.paths.MusclePaths.evaluate` return."""
        world, lengths, wrapped, flat = self._solve_frames(np.ascontiguousarray(q_rad, dtype=float),
                                                           self.kinematics, self.paths, polylines)
        lines = [flat[:, sl] for sl in self._slices] if polylines else None
        return world.swapaxes(0, 1), PathState(lengths, lines, wrapped)


def _ints(values) -> NDArray[np.int64]:
    return np.ascontiguousarray(values, dtype=np.int64)


def _floats(values) -> NDArray[np.float64]:
    return np.ascontiguousarray(values, dtype=np.float64)


def _kinematic_tables(skeleton: Skeleton) -> KinematicTables:
    joints = skeleton._joints
    rotations = [r for joint in joints for r in joint.rotations]
    counts = [len(joint.rotations) for joint in joints]
    splines = [j.spline_x is not None for j in joints]
    width = max([len(s._knots) for j in joints if j.spline_x is not None for s in (j.spline_x, j.spline_y)],
                default=2)
    knots = np.zeros((len(joints), 2, width))
    knot_count = np.zeros((len(joints), 2), dtype=np.int64)
    coefficients = np.zeros((len(joints), 2, 4, width - 1))
    for i, joint in enumerate(joints):
        for d, spline in enumerate((joint.spline_x, joint.spline_y) if splines[i] else ()):
            n = len(spline._knots)
            knots[i, d, :n], knot_count[i, d] = spline._knots, n
            coefficients[i, d, :, :n - 1] = spline._coefficients
    return KinematicTables(
        _ints([c for _, c, _ in rotations]), _floats([s for _, _, s in rotations]),
        _ints([AXIS_INDEX[a] for a, _, _ in rotations]), _ints([j.parent for j in joints]),
        _ints(np.cumsum([0] + counts[:-1])), _ints(counts), _floats([j.location for j in joints]).reshape(-1, 3),
        _ints([j.spline_coordinate if splines[i] else -1 for i, j in enumerate(joints)]), knots, knot_count,
        coefficients, _floats([j.spline_z for j in joints]))


def _path_tables(paths: MusclePaths) -> PathTables:
    slots = paths._slots
    groups = [paths._first_pass] + paths._later_passes
    return PathTables(
        _ints(paths._body), _floats(paths._local).reshape(-1, 3), _ints(paths._cond), _floats(paths._cond_lo),
        _floats(paths._cond_hi), _ints(paths._prev), _ints(paths._seg_start), _ints(paths._seg_end),
        _ints(paths._seg_muscle), len(paths.muscles), _ints(paths._wseg),
        _ints(paths._wseg_ends[0]), _ints(paths._wseg_ends[1]), _ints(paths._surface_body),
        _floats(paths._surface_local).reshape(-1, 4, 4), _ints(slots.table), _ints(slots.segment),
        _ints(slots.position), _ints(slots.use), _ints(slots.surface), _floats(paths._slot_radius),
        _floats(paths._slot_length), _ints(paths._slot_qaxis), _floats(paths._slot_qsign),
        np.ascontiguousarray(paths._slot_sphere, dtype=np.bool_), len(slots.use_muscle),
        _ints(np.concatenate([g.at for g in groups])), _ints(np.cumsum([0] + [g.at.size for g in groups])),
        np.array([g.shared_use for g in groups], dtype=np.bool_), np.array(paths._solved_first, dtype=np.bool_),
        _ints(paths._poly_straight), _ints(paths._poly_start), _ints(paths._poly_end), _floats(paths._poly_u),
        _ints(paths._wseg_poly).reshape(-1, paths._wseg_poly.shape[-1] if paths._wseg_poly.size else 1),
        paths._poly_count)
