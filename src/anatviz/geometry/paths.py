"""Muscle paths and lengths for many frames at once.

Every muscle's points are stacked into one array, posed with one product per bone, and the wrap
surfaces are solved for every candidate segment of every muscle at once (see below). A muscle's
polyline has the same number of points in every pose (needed to update drawn tubes in place):

- a muscle without a wrap surface: its path points; an inactive conditional via point sits on the
  fixed point before it, so it adds no length;
- a muscle with wrap surfaces: the origin, then ``WRAP_SAMPLES`` points along each segment, evenly
  spaced by length along the segment's path over its surfaces (so the points move continuously as a
  wrap comes on and off).

Wrapping follows OpenSim's ``GeometryPath``: each wrap surface is tried on every segment in its range
(`wrap_range`, or all) and kept on the one it lengthens least. A muscle's surfaces are applied in the
data's order, each to the path the others left: on a segment that several surfaces share, a surface's
path runs from the previous wrapped surface's last tangent point (or the segment's start) to the next
wrapped surface's first tangent point (or the segment's end).

The solve is batched into few calls of one kernel (a sphere is solved as a circle in its plane,
:func:`.sphere_wrap.sphere_plane`, in the same call as the cylinders). The first call solves, for all
muscles and frames at once, every slot on a segment that has one surface (its neighbours are the
segment's ends, so it is final) and the first surface of every segment that several share. Then only the
slots on shared segments are solved again, one stage after the other (Gauss-Seidel: each stage against
the others' latest tangent points), each in the frames where the slots have not settled: each surface's
tangents then run to its neighbours' tangent points, not to the segment's ends. A frame has settled when
the stages solved last (all but one, or the only one) moved no tangent point by more than ``SETTLED_M``
and no wrap came on or off: every stage was then solved against its neighbours' present tangent points.
At most ``MAX_PASSES`` passes over the stages.

A frame whose shared-segment surfaces stay off therefore takes two calls when its muscles have two
surfaces on a segment (the first, and one of the second stage, which finds nothing to move); one where
they wrap takes a few more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import AnatomyData
from .chains import Chains, SlotGroup, least_lengthening, to_local
from .kinematics import Skeleton
from .transforms import apply, rigid, xyz_body_rotation
from .sphere_wrap import sphere_plane
from .wrapping import wrap_cylinder

WRAP_SAMPLES = 32
"""Points per segment of a muscle that has a wrap surface."""

SETTLED_M = 1e-10
"""The passes over surfaces that share a segment stop when no tangent point moves more than this."""

MAX_PASSES = 60
"""At most this many passes over the stages (they settle in about 16: tests/test_paths.py)."""


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
        Whether the muscle's path goes over any of its wrap surfaces.
    """

    lengths_m: NDArray[np.float64]
    polylines: list[NDArray[np.float64]] | None
    wrapped: NDArray[np.bool_]


@dataclass(frozen=True)
class Slots:
    """Where each wrap surface of each muscle may act: one slot per (surface use, segment in range).

    Wrapped segments (every segment of a muscle with a surface) are numbered ``w``; each has a chain
    of up to ``K`` slots in the order the surfaces are applied (``table[w, k]``, -1 where empty).
    """

    table: NDArray[np.intp]        # (W, K) slot at chain position k of wrapped segment w, or -1
    segment: NDArray[np.intp]      # (J,) wrapped segment of each slot
    position: NDArray[np.intp]     # (J,) chain position of each slot
    use: NDArray[np.intp]          # (J,) surface use (muscle, surface) of each slot
    surface: NDArray[np.intp]      # (J,) index into the compiled surfaces
    stage: NDArray[np.intp]        # (J,) order of the use among its muscle's surfaces
    repeated: NDArray[np.bool_]    # (J,) the slot's use shares a segment with another use
    use_muscle: NDArray[np.intp]   # (U,) muscle of each use


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
        self._by_bone = [(b, np.flatnonzero(self._body == b)) for b in np.unique(self._body)]
        self._local = np.array(local, dtype=float)
        self._cond = np.array(cond)
        self._cond_lo, self._cond_hi = np.array(lo), np.array(hi)
        self._prev = np.array(prev)
        self._conditional = np.flatnonzero(self._cond >= 0)
        self._seg_start, self._seg_end = np.array(seg_start), np.array(seg_end)
        self._seg_muscle = np.array(seg_muscle)
        self._muscle_first_segment = np.searchsorted(self._seg_muscle, np.arange(len(self.muscles)))
        self.has_wrap = np.array([bool(data.muscles[n].path_wraps) for n in self.muscles])
        self._compile_surfaces(data, bone_index)
        self._compile_slots(data)
        self._compile_polylines(first)

    # -- compiling ------------------------------------------------------------------------------
    def _compile_surfaces(self, data: AnatomyData, bone_index: dict[str, int]) -> None:
        used = {w.surface for m in data.muscles.values() for w in m.path_wraps}
        self._surface_names = [n for n in data.wraps if n in used]
        surfaces = [data.wraps[n] for n in self._surface_names]
        self._surface_body = np.array([bone_index[w.bone] for w in surfaces], dtype=int)
        self._surface_local = np.array([rigid(xyz_body_rotation(w.xyz_body_rotation_rad), w.translation_m)
                                        for w in surfaces]).reshape(-1, 4, 4)
        self._surface_sphere = np.array([w.shape == "sphere" for w in surfaces], dtype=bool)
        self._surface_radius = np.array([w.radius_m for w in surfaces], dtype=float)
        self._surface_length = np.array([w.length_m or np.inf for w in surfaces], dtype=float)
        self._surface_qaxis = np.array([0 if w.quadrant.endswith("x") else 1 for w in surfaces], dtype=int)
        self._surface_qsign = np.array([
            0.0 if w.quadrant == "all" else (-1.0 if w.quadrant[0] == "-" else 1.0) for w in surfaces])

    def _compile_slots(self, data: AnatomyData) -> None:
        surface_index = {n: i for i, n in enumerate(self._surface_names)}
        wrapped_segments = [s for s, m in enumerate(self._seg_muscle) if self.has_wrap[m]]
        self._wseg = np.array(wrapped_segments, dtype=int)
        self._wseg_ends = np.stack([self._seg_start[self._wseg], self._seg_end[self._wseg]])  # (2, W) points
        self._wrap_muscles = np.flatnonzero(self.has_wrap)  # their wrapped segments are consecutive
        self._wrap_muscle_first = np.searchsorted(self._seg_muscle[self._wseg], self._wrap_muscles)
        chains: list[list[int]] = [[] for _ in wrapped_segments]
        segment, position, use, surface, stage = [], [], [], [], []
        for w, s in enumerate(wrapped_segments):
            m = int(self._seg_muscle[s])
            index = s - int(self._muscle_first_segment[m])  # segment k joins points k+1 and k+2
            for order, path_wrap in enumerate(data.muscles[self.muscles[m]].path_wraps):
                within = path_wrap.range
                if within is not None and not (within[0] - 1 <= index < within[1] - 1):
                    continue
                chains[w].append(len(segment))
                segment.append(w)
                position.append(len(chains[w]) - 1)
                use.append((m, order))
                surface.append(surface_index[path_wrap.surface])
                stage.append(order)
        uses = sorted(set(use))
        use_id = np.array([uses.index(u) for u in use], dtype=int)
        shared = {u for chain in chains if len(chain) > 1 for u in use_id[chain]}
        width = max((len(c) for c in chains), default=0)
        table = np.full((len(chains), max(width, 1)), -1, dtype=int)
        for w, chain in enumerate(chains):
            table[w, :len(chain)] = chain
        slots = Slots(table, np.array(segment, dtype=int), np.array(position, dtype=int), use_id,
                      np.array(surface, dtype=int), np.array(stage, dtype=int),
                      np.isin(use_id, list(shared)), np.array([u[0] for u in uses], dtype=int))
        self._slots = slots
        # what the kernel needs per slot, and the order of the passes
        k = slots.surface
        self._slot_sphere = self._surface_sphere[k]
        self._slot_radius, self._slot_length = self._surface_radius[k], self._surface_length[k]
        self._slot_qaxis, self._slot_qsign = self._surface_qaxis[k], self._surface_qsign[k]
        # first every slot whose segment has one surface, and the first stage of the others; then each stage
        # of the others in turn, the first last
        first_stage = slots.stage == (slots.stage[slots.repeated].min() if slots.repeated.any() else 0)
        self._first_pass = self._group(np.flatnonzero(~slots.repeated | first_stage))
        stages = np.unique(slots.stage[slots.repeated])
        self._later_passes = [self._group(np.flatnonzero(slots.repeated & (slots.stage == stage)))
                              for stage in np.roll(stages, -1)]
        # the later group that the first pass has solved already
        self._solved_first = [bool(np.isin(g.at, self._first_pass.at).all()) for g in self._later_passes]

    def _group(self, at: NDArray[np.intp]) -> SlotGroup:
        """The slots ``at``, gathered for :meth:`_solve`."""
        return SlotGroup(self._slots, at, self._slot_radius, self._slot_length, self._slot_qaxis,
                         self._slot_qsign, self._slot_sphere)

    def _compile_polylines(self, first_point: list[int]) -> None:
        """Index arrays so that all polylines are one gather of straight points plus the samples of the
        wrapped segments."""
        start, end, u, slices, wrapped_at = [], [], [], [], []
        for m in range(len(self.muscles)):
            begin = len(u)
            segments = np.flatnonzero(self._seg_muscle == m)
            start.append(first_point[m])
            end.append(first_point[m])
            u.append(0.0)
            samples = WRAP_SAMPLES if self.has_wrap[m] else 1
            for s in segments:
                if self.has_wrap[m]:
                    wrapped_at.append(range(len(u), len(u) + samples))
                for i in range(1, samples + 1):
                    start.append(self._seg_start[s])
                    end.append(self._seg_end[s])
                    u.append(i / samples)
            slices.append(slice(begin, len(u)))
        # each wrapped segment owns WRAP_SAMPLES consecutive polyline points, in wrapped-segment order
        self._wseg_poly = np.array([list(r) for r in wrapped_at], dtype=int).reshape(-1, WRAP_SAMPLES)
        # the other points lie on straight segments
        self._poly_straight = np.setdiff1d(np.arange(len(u)), self._wseg_poly)
        self._poly_start, self._poly_end = (np.array(x)[self._poly_straight] for x in (start, end))
        self._poly_u = np.array(u)[self._poly_straight]
        self._poly_count = len(u)
        self._poly_slices = slices

    # -- evaluating -----------------------------------------------------------------------------
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
        for bone, at in self._by_bone:
            T = bone_transforms[bone]
            points[:, at] = self._local[at] @ T[:, :3, :3].swapaxes(1, 2) + T[:, None, :3, 3]
        if self._conditional.size:
            c = self._conditional
            value = q_rad[:, self._cond[c]]
            inactive = (value < self._cond_lo[c]) | (value > self._cond_hi[c])
            points[:, c] = np.where(inactive[..., None], points[:, self._prev[c]], points[:, c])

        step = points[:, self._seg_end] - points[:, self._seg_start]
        seg_len = np.sqrt((step * step).sum(axis=-1))  # (n, s)
        wrapped_muscle = np.zeros((n, len(self.muscles)), dtype=bool)
        chains = None
        if self._wseg.size:
            chains = self._wrap(points, bone_transforms, arcs=polylines)
            seg_len[:, self._wseg] = chains.lengths()
            wrapped_muscle[:, self._wrap_muscles] = np.logical_or.reduceat(chains.engaged.any(axis=2),
                                                                           self._wrap_muscle_first, axis=1)
        lengths = np.add.reduceat(seg_len, self._muscle_first_segment, axis=1)

        lines = None
        if polylines:
            flat = np.empty((n, self._poly_count, 3))
            a, b = points[:, self._poly_start], points[:, self._poly_end]
            flat[:, self._poly_straight] = a + self._poly_u[:, None] * (b - a)
            if chains is not None:
                flat[:, self._wseg_poly] = chains.sample(WRAP_SAMPLES)
            lines = [flat[:, sl] for sl in self._poly_slices]
        return PathState(lengths, lines, wrapped_muscle)

    def _wrap(self, points: NDArray[np.float64], bone_transforms: NDArray[np.float64], *, arcs: bool
              ) -> Chains:
        """Solve every wrap slot over all frames: the passes described in the module docstring (``arcs``:
        keep the arcs, to draw the paths)."""
        n = points.shape[0]
        to_world = (bone_transforms[self._surface_body] @ self._surface_local[:, None]).swapaxes(0, 1)
        chains = Chains(np.moveaxis(points[:, self._wseg_ends], 1, 0), self._slots, to_world, arcs=arcs)
        if self._first_pass.at.size:
            self._solve(chains, self._first_pass, None)
        # each later group's last step per frame: NaN before its first solve (0 if the first pass solved it)
        later = self._later_passes
        last = [np.full(n, 0.0 if done else np.nan) for done in self._solved_first]
        frames = np.arange(n)
        for i in range(MAX_PASSES * len(later)):
            g = i % len(later)
            before = chains.snapshot(later[g], frames)
            self._solve(chains, later[g], frames)
            last[g][frames] = chains.moved(later[g], frames, before)
            # settled: the groups solved since the next one was solved did not move, so that every group
            # was solved against the others' present tangent points
            settled = ~np.isnan(last[(g + 1) % len(later)][frames])
            for back in range(max(len(later) - 1, 1)):
                settled &= last[g - back][frames] <= SETTLED_M
            frames = frames[~settled]
            if not frames.size:
                break
        chains.settle()
        return chains

    def _solve(self, chains: Chains, group: SlotGroup, frames: NDArray[np.intp] | None) -> None:
        """Wrap the slots of ``group`` between their current neighbours in ``frames`` (None: all) and
        keep, per use, the least lengthening."""
        at = group.at
        ends = chains.neighbours(group, frames)  # (2, f, j, 3) world
        rows = slice(None) if frames is None else frames[:, None]
        to_world = chains.to_world[rows, group.surface]  # (f, j, 4, 4)
        p, s = to_local(to_world, ends)
        shape = p.shape[:2]
        radius, length, qaxis, qsign = group.parameters(shape[0])
        rotation = origin = None
        k = np.flatnonzero(self._slot_sphere[at])
        if k.size:  # spheres: the cylinder problem in each segment's plane
            p, s = p.copy(), s.copy()
            radius, length, qaxis, qsign = radius.copy(), length.copy(), qaxis.copy(), qsign.copy()
            p[:, k], s[:, k], radius[:, k], plane_rotation, plane_origin, sided = sphere_plane(
                p[:, k], s[:, k], radius[:, k], qaxis[:, k], qsign[:, k])
            length[:, k], qaxis[:, k], qsign[:, k] = np.inf, 0, np.where(sided, 1.0, 0.0)
            rotation = np.broadcast_to(np.eye(3), shape + (3, 3)).copy()
            origin = np.zeros(shape + (3,))
            rotation[:, k], origin[:, k] = plane_rotation, plane_origin
        result = wrap_cylinder(p, s, radius, length, qaxis, qsign)
        first, last = result.tangent_points()
        if rotation is not None:
            first = np.einsum("...ij,...j->...i", rotation, first) + origin
            last = np.einsum("...ij,...j->...i", rotation, last) + origin
            arc_rotation = to_world[..., :3, :3] @ rotation
            arc_origin = apply(to_world, origin)
        else:
            arc_rotation, arc_origin = to_world[..., :3, :3], to_world[..., :3, 3]
        wrapped = result.wrapped & (result.straight_length_m > 1e-9)  # a piece of no length never wraps
        keep = wrapped
        if group.shared_use:
            keep = least_lengthening(wrapped, result.length_m - result.straight_length_m, group.use,
                                     len(self._slots.use_muscle))
        chains.update(group, frames, keep, apply(to_world, np.stack([first, last])), result.arc_length_m,
                      arc_rotation, arc_origin, result.arc)
