"""Muscle paths and lengths for many frames at once.

Every muscle's points are stacked into one array, posed with one product per bone, and the wrap
surfaces are solved for every candidate segment of every muscle in one vectorised call. A muscle's
polyline has the same number of points in every pose (needed to update drawn tubes in place):

- a muscle without a wrap surface: its path points; an inactive conditional via point sits on the
  fixed point before it, so it adds no length;
- a muscle with a wrap surface: the origin, then ``WRAP_SAMPLES`` points along each segment, following
  the cylinder where that segment wraps (see :meth:`CylinderWrap.sample` for where the points go). As in OpenSim, the wrap is tried on every segment and kept on
  the one that lengthens the path least.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import AnatomyData
from .kinematics import Skeleton
from .transforms import apply, invert_rigid, rigid, xyz_body_rotation
from .wrapping import wrap_cylinder

WRAP_SAMPLES = 32
"""Points per segment of a muscle that has a wrap surface."""


@dataclass(frozen=True)
class PathState:
    """Paths of all muscles over ``n`` frames.

    Attributes
    ----------
    lengths_m : (n, m) float
        Musculotendon lengths, muscles in :attr:`MusclePaths.muscles` order.
    polylines : list of (n, k_i, 3) float, or None
        World-frame points of each muscle (None when only lengths were asked for).
    wrapped : (n, m) bool
        Whether the muscle's path goes over its wrap surface.
    """

    lengths_m: NDArray[np.float64]
    polylines: list[NDArray[np.float64]] | None
    wrapped: NDArray[np.bool_]


class MusclePaths:
    """All muscle paths of a model, compiled for evaluation over frames.

    Parameters
    ----------
    data : AnatomyData
    skeleton : Skeleton
        Compiled from the same data; gives bone and coordinate order.
    """

    def __init__(self, data: AnatomyData, skeleton: Skeleton) -> None:
        self.muscles = list(data.muscles)
        bone_index = {b: i for i, b in enumerate(skeleton.bones)}
        coord_index = {c: i for i, c in enumerate(skeleton.coordinates)}

        body, local, cond, lo, hi, prev, first = [], [], [], [], [], [], []
        seg_start, seg_end, seg_muscle = [], [], []
        for m, name in enumerate(self.muscles):
            first.append(len(body))
            for i, point in enumerate(data.muscles[name].path):
                index = len(body)
                body.append(bone_index[point.bone])
                local.append(point.position_m)
                condition = point.active_when
                cond.append(-1 if condition is None else coord_index[condition.coordinate])
                lo.append(np.radians(condition.range_deg[0]) if condition else 0.0)
                hi.append(np.radians(condition.range_deg[1]) if condition else 0.0)
                prev.append(index - 1 if condition else index)
                if i > 0:
                    seg_start.append(index - 1)
                    seg_end.append(index)
                    seg_muscle.append(m)
        self._body = np.array(body)
        self._by_bone = {b: np.flatnonzero(self._body == b) for b in np.unique(self._body)}
        self._local = np.array(local, dtype=float)
        self._cond = np.array(cond)
        self._cond_lo, self._cond_hi = np.array(lo), np.array(hi)
        self._prev = np.array(prev)
        self._conditional = np.flatnonzero(self._cond >= 0)
        self._seg_start, self._seg_end = np.array(seg_start), np.array(seg_end)
        self._seg_muscle = np.array(seg_muscle)
        self._muscle_first_segment = np.searchsorted(self._seg_muscle, np.arange(len(self.muscles)))
        self._compile_wraps(data, bone_index)
        self._compile_polylines(first)

    def _compile_wraps(self, data: AnatomyData, bone_index: dict[str, int]) -> None:
        wrap_names = [n for n in data.wraps if any(m.wrap == n for m in data.muscles.values())]
        self._wrap_body = np.array([bone_index[data.wraps[n].bone] for n in wrap_names], dtype=int)
        self._wrap_local = np.array([
            rigid(xyz_body_rotation(data.wraps[n].xyz_body_rotation_rad), data.wraps[n].translation_m)
            for n in wrap_names]).reshape(-1, 4, 4)
        cand_segment, cand_wrap = [], []
        for segment, m in enumerate(self._seg_muscle):
            muscle = data.muscles[self.muscles[m]]
            wrap, within = muscle.wrap, muscle.wrap_range
            index = segment - self._muscle_first_segment_of(m)  # segment k joins points k+1 and k+2
            if within is not None and not (within[0] - 1 <= index < within[1] - 1):
                continue
            if wrap is not None:
                cand_segment.append(segment)
                cand_wrap.append(wrap_names.index(wrap))
        self._cand_segment = np.array(cand_segment, dtype=int)
        self._cand_wrap = np.array(cand_wrap, dtype=int)
        self._cand_muscle = self._seg_muscle[self._cand_segment] if cand_segment else np.zeros(0, int)
        wraps = [data.wraps[wrap_names[w]] for w in cand_wrap]
        self._cand_radius = np.array([w.radius_m for w in wraps])
        self._cand_length = np.array([w.length_m for w in wraps])
        self._cand_qaxis = np.array([0 if w.quadrant.endswith("x") else 1 for w in wraps], dtype=int)
        self._cand_qsign = np.array([0.0 if w.quadrant == "all" else (-1.0 if w.quadrant[0] == "-" else 1.0)
                                     for w in wraps])
        self.has_wrap = np.array([data.muscles[n].wrap is not None for n in self.muscles])

    def _muscle_first_segment_of(self, m: int) -> int:
        return int(np.searchsorted(self._seg_muscle, m))

    def _compile_polylines(self, first_point: list[int]) -> None:
        """Index arrays so that all polylines are one gather plus one wrap override."""
        start, end, u, cand, slices = [], [], [], [], []
        cand_of_segment = {s: j for j, s in enumerate(self._cand_segment)}
        for m in range(len(self.muscles)):
            begin = len(u)
            segments = np.flatnonzero(self._seg_muscle == m)
            start.append(first_point[m])
            end.append(first_point[m])
            u.append(0.0)
            cand.append(-1)
            samples = WRAP_SAMPLES if self.has_wrap[m] else 1
            for s in segments:
                for i in range(1, samples + 1):
                    start.append(self._seg_start[s])
                    end.append(self._seg_end[s])
                    u.append(i / samples)
                    cand.append(cand_of_segment.get(s, -1))
            slices.append(slice(begin, len(u)))
        self._poly_start, self._poly_end = np.array(start), np.array(end)
        self._poly_u = np.array(u)
        self._poly_cand = np.array(cand)
        # each candidate segment owns WRAP_SAMPLES consecutive polyline points, candidates in order
        self._cand_poly = np.flatnonzero(self._poly_cand >= 0).reshape(-1, WRAP_SAMPLES)
        self._poly_slices = slices

    def evaluate(self, q_rad: NDArray[np.float64], bone_transforms: NDArray[np.float64], *,
                 polylines: bool = True) -> PathState:
        """Lengths (and polylines) of every muscle.

        Parameters
        ----------
        q_rad : (n, c) float
            Coordinates in radians (decide which conditional via points are active).
        bone_transforms : (b, n, 4, 4) float
            World transforms of the bones, from :meth:`Skeleton.transforms`.
        polylines : bool
            Also build the world-frame polylines.

        Returns
        -------
        PathState
        """
        n = q_rad.shape[0]
        points = np.empty((n, len(self._body), 3))
        for bone in np.unique(self._body):
            at = self._by_bone[bone]
            T = bone_transforms[bone]
            points[:, at] = self._local[at] @ T[:, :3, :3].swapaxes(1, 2) + T[:, None, :3, 3]
        if self._conditional.size:
            c = self._conditional
            value = q_rad[:, self._cond[c]]
            inactive = (value < self._cond_lo[c]) | (value > self._cond_hi[c])
            points[:, c] = np.where(inactive[..., None], points[:, self._prev[c]], points[:, c])

        seg_vec = points[:, self._seg_end] - points[:, self._seg_start]
        seg_len = np.linalg.norm(seg_vec, axis=-1)  # (n, s)
        wrapped_muscle = np.zeros((n, len(self.muscles)), dtype=bool)
        chosen = np.zeros((n, self._cand_segment.size), dtype=bool)
        wrap = None
        if self._cand_segment.size:
            cyl_to_world = (bone_transforms[self._wrap_body] @ self._wrap_local[:, None])[self._cand_wrap]
            cyl_to_world = cyl_to_world.swapaxes(0, 1)  # (n, j, 4, 4)
            to_cyl = invert_rigid(cyl_to_world)
            p = apply(to_cyl, points[:, self._seg_start[self._cand_segment]])
            s = apply(to_cyl, points[:, self._seg_end[self._cand_segment]])
            wrap = wrap_cylinder(p, s, self._cand_radius, self._cand_length, self._cand_qaxis,
                                 self._cand_qsign)
            chosen = _least_lengthening(wrap.wrapped, wrap.length_m - wrap.straight_length_m,
                                        self._cand_muscle, len(self.muscles))
            seg_len[:, self._cand_segment] = np.where(chosen, wrap.length_m, seg_len[:, self._cand_segment])
            np.logical_or.at(wrapped_muscle.T, self._cand_muscle, chosen.T)
        lengths = np.add.reduceat(seg_len, self._muscle_first_segment, axis=1)

        lines = None
        if polylines:
            a, b = points[:, self._poly_start], points[:, self._poly_end]
            flat = a + self._poly_u[:, None] * (b - a)
            if wrap is not None:
                on_cyl = wrap.sample(WRAP_SAMPLES, chosen)  # (n, j, k, 3)
                rotation, origin = cyl_to_world[..., :3, :3], cyl_to_world[..., None, :3, 3]
                flat[:, self._cand_poly] = on_cyl @ rotation.swapaxes(-1, -2) + origin
            lines = [flat[:, sl] for sl in self._poly_slices]
        return PathState(lengths, lines, wrapped_muscle)


def _least_lengthening(wrapped: NDArray[np.bool_], lengthening: NDArray[np.float64],
                       muscle: NDArray[np.intp], n_muscles: int) -> NDArray[np.bool_]:
    """Per frame and muscle, keep only the wrapped candidate segment that lengthens the path least.

    Parameters
    ----------
    wrapped, lengthening : (n, j)
    muscle : (j,) int
        Muscle of each candidate segment.

    Returns
    -------
    (n, j) bool
    """
    score = np.where(wrapped, lengthening, np.inf)
    best = np.full((score.shape[0], n_muscles), np.inf)
    np.minimum.at(best.T, muscle, score.T)
    return wrapped & (score == best[:, muscle])
