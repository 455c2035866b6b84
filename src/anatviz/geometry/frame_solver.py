"""Frame by frame, compiled: an optional numba path for what numpy does slowly on tiny arrays.

numpy's vectorised paths (:mod:`.paths`) pay per call, not per frame: one pose is a few dozen calls on
arrays of a few dozen wrap slots, and takes about 20 times as long as :mod:`.frame_compiled`, which
takes the same steps for one frame with numba, segment by segment (``benchmarks/bench_model.py`` prints
the figures, against OpenSim's).

It is off until :class:`use_numba` turns it on (numba is the ``fast`` extra). The first call compiles it,
about 25 s once per installation (numba caches the machine code on disk), and about 0.6 s to load in
a new process. Then :meth:`anatviz.HipModel.compute` solves every frame with it, one after the other,
moment arms included. ``tests/test_frame_solver.py`` holds both paths to the same results (lengths
and path points to 1e-9 m) over random poses, and the kernels to 1e-12 over random segments.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from . import chains, sphere_wrap, wrapping
from . import paths as _paths_module
from .kinematics import Skeleton
from .paths import MusclePaths, PathState
from .transforms import AXIS_INDEX

if TYPE_CHECKING:
    from .frame_compiled import KinematicTables, PathTables

_state = {"enabled": False, "compiled": False, "changes": 0}  # the default, and how often it was set


def available() -> bool:
    """Whether numba is installed (the ``fast`` extra; :class:`use_numba` says so if it cannot be imported)."""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


class use_numba:  # noqa: N801  (a function to its callers; a class to be a context manager as well)
    """Solve every frame with compiled code from now on (or, with ``enabled=False``, with numpy again).

    Called, it sets the process's default. Used in a ``with`` block, it holds only inside the block and
    only in this thread (or asyncio task), and the default is left as it was: a
    :func:`use_numba_in_background` finishing meanwhile neither undoes the block nor is undone by it.
    The first time it is turned on in a process it compiles the path, or loads it from numba's disk
    cache: about 25 s the first time on a machine (or in every process where numba has nowhere to write
    its cache), under a second after.

    Parameters
    ----------
    enabled : bool
        On or off.

    Raises
    ------
    RuntimeError
        In one line: numba is not installed, cannot be imported (say, it is older than the numpy it finds),
        cannot compile the path, or its compiler is turned off (``NUMBA_DISABLE_JIT``).

    Examples
    --------
    >>> import anatviz
    >>> anatviz.use_numba()  # doctest: +SKIP
    >>> with anatviz.use_numba(False):  # numpy in this block only
    ...     pass
    """

    def __init__(self, enabled: bool = True) -> None:
        self._enabled = bool(enabled)
        if self._enabled:
            _compile()
        self._default_before = _state["enabled"]
        self._token: Token | None = None
        _state["enabled"] = self._enabled
        _state["changes"] += 1
        self._change = _state["changes"]

    def __repr__(self) -> str:
        return f"use_numba({self._enabled})"

    def __enter__(self) -> use_numba:
        if _state["changes"] == self._change:  # a block changes no default (unless set again since)
            _state["enabled"] = self._default_before
        self._token = _override.set(self._enabled)
        return self

    def __exit__(self, *exc: object) -> None:
        _override.reset(self._token)


_override: ContextVar[bool | None] = ContextVar("anatviz_use_numba", default=None)


AUTO_ENV = "ANATVIZ_NUMBA"
"""The environment variable that, set to 0, keeps :func:`use_numba_in_background` from doing anything."""


def use_numba_in_background() -> threading.Thread | None:
    """Turn the compiled path on once it is ready, without holding up the caller.

    ``anatviz show`` and ``anatviz serve`` call this at start. A held pose's activations are then computed
    about 4 times as fast (0.06 s to 0.013 s in the glute bridge). numba compiles in a separate process,
    so that this one's interpreter stays free for the window. It writes its disk cache, which this
    process then loads (about 0.6 s). Where the cache cannot be written, this process compiles as well.

    Returns
    -------
    threading.Thread or None
        The thread doing it (join it to wait), or None when numba is not installed, the path is on
        already, or the environment variable ``ANATVIZ_NUMBA`` is 0. A failure is one line on stderr,
        and numpy goes on.
    """
    if not available() or _state["enabled"] or os.environ.get(AUTO_ENV, "").strip() == "0":
        return None

    def ready() -> None:
        try:
            subprocess.run([sys.executable, "-c", "import anatviz; anatviz.use_numba()"], check=True,
                           capture_output=True, text=True, timeout=900)
            use_numba()
        except subprocess.CalledProcessError as error:
            lines = (error.stderr or "").strip().splitlines() or ["no message"]
            print(f"anatviz: the compiled path is off ({lines[-1]}); numpy goes on", file=sys.stderr)
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"anatviz: the compiled path is off ({error}); numpy goes on", file=sys.stderr)

    thread = threading.Thread(target=ready, name="anatviz-numba", daemon=True)
    thread.start()
    return thread


def numba_enabled() -> bool:
    """Whether :meth:`anatviz.HipModel.compute` solves its frames with the compiled path (here and now)."""
    override = _override.get()
    return _state["enabled"] if override is None else override


def _compile() -> None:
    """Compile the path (or load it from numba's cache) by solving one pose of the bundled model."""
    if _state["compiled"]:
        return
    if not available():
        raise RuntimeError("use_numba: numba is not installed; install it with pip install 'anatviz[fast]'")
    try:
        import numba
    except ImportError as error:  # installed, but not for this numpy or Python
        raise RuntimeError(f"use_numba: numba is installed but cannot be imported: {_first_line(error)}") from None
    if numba.config.DISABLE_JIT:
        raise RuntimeError("use_numba: numba's compiler is turned off (NUMBA_DISABLE_JIT is set), and "
                           "uncompiled the path is 50 times slower than numpy")
    from ..hipmodel import load_model

    model = load_model()
    try:
        FrameSolver(model.skeleton, model._paths).solve(np.zeros((1, len(model.skeleton.coordinates))), True)
    except Exception as error:  # numba's own errors run to many lines
        raise RuntimeError(f"use_numba: numba could not compile the path: {_first_line(error)}") from None
    _state["compiled"] = True


def _first_line(error: BaseException) -> str:
    """The first line of an error's message, without the terminal colours numba puts in it."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
        return np.ascontiguousarray(world.swapaxes(0, 1)), PathState(lengths, lines, wrapped)


def _ints(values) -> NDArray[np.int64]:
    return np.ascontiguousarray(values, dtype=np.int64)


def _floats(values) -> NDArray[np.float64]:
    return np.ascontiguousarray(values, dtype=np.float64)


def _kinematic_tables(skeleton: Skeleton) -> KinematicTables:
    from .frame_compiled import KinematicTables

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
        rotation_coordinate=_ints([c for _, c, _ in rotations]), rotation_sign=_floats([s for _, _, s in rotations]),
        rotation_axis=_ints([AXIS_INDEX[a] for a, _, _ in rotations]), parent=_ints([j.parent for j in joints]),
        rotation_first=_ints(np.cumsum([0] + counts[:-1])), rotation_count=_ints(counts),
        location=_floats([j.location for j in joints]).reshape(-1, 3),
        spline_coordinate=_ints([j.spline_coordinate if splines[i] else -1 for i, j in enumerate(joints)]),
        knots=knots, knot_count=knot_count, coefficients=coefficients,
        spline_z=_floats([j.spline_z for j in joints]))


def _path_tables(paths: MusclePaths) -> PathTables:
    from .frame_compiled import PathTables

    slots = paths._slots
    groups = [paths._first_pass] + paths._later_passes
    wseg_poly = paths._wseg_poly
    return PathTables(
        body=_ints(paths._body), local=_floats(paths._local).reshape(-1, 3), cond=_ints(paths._cond),
        cond_lo=_floats(paths._cond_lo), cond_hi=_floats(paths._cond_hi), prev=_ints(paths._prev),
        seg_start=_ints(paths._seg_start), seg_end=_ints(paths._seg_end), seg_muscle=_ints(paths._seg_muscle),
        n_muscles=len(paths.muscles), wseg=_ints(paths._wseg), wseg_start=_ints(paths._wseg_ends[0]),
        wseg_end=_ints(paths._wseg_ends[1]), surface_body=_ints(paths._surface_body),
        surface_local=_floats(paths._surface_local).reshape(-1, 4, 4), table=_ints(slots.table),
        slot_segment=_ints(slots.segment), slot_position=_ints(slots.position), slot_use=_ints(slots.use),
        slot_surface=_ints(slots.surface), slot_radius=_floats(paths._slot_radius),
        slot_length=_floats(paths._slot_length), slot_qaxis=_ints(paths._slot_qaxis),
        slot_qsign=_floats(paths._slot_qsign), slot_sphere=np.ascontiguousarray(paths._slot_sphere, dtype=np.bool_),
        n_uses=len(slots.use_muscle), group_slots=_ints(np.concatenate([g.at for g in groups])),
        group_offsets=_ints(np.cumsum([0] + [g.at.size for g in groups])),
        group_shared=np.array([g.shared_use for g in groups], dtype=np.bool_),
        solved_first=np.array(paths._solved_first, dtype=np.bool_),
        poly_straight=_ints(paths._poly_straight), poly_start=_ints(paths._poly_start),
        poly_end=_ints(paths._poly_end), poly_u=_floats(paths._poly_u),
        wseg_poly=_ints(wseg_poly).reshape(-1, wseg_poly.shape[-1] if wseg_poly.size else 1),
        poly_count=paths._poly_count,
        settled_m=float(_paths_module.SETTLED_M), max_passes=int(_paths_module.MAX_PASSES),
        tie_rad=float(wrapping.TIE_RAD), lengthening_tie_m=float(chains.LENGTHENING_TIE_M),
        sphere_blends=_floats([sphere_wrap.OPPOSITE_BLEND, sphere_wrap.TILT_BLEND, sphere_wrap.FIN_BLEND,
                               sphere_wrap.FACING_BLEND, sphere_wrap.ALONG_BLEND]))
