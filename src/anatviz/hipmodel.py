"""The hip model: anatomy data + kinematics + muscle paths + mechanics, behind one small API.

Pure numpy (and trimesh for the bone meshes): nothing here imports a renderer. The frames may be solved
by a compiled path instead, one after the other (:func:`anatviz.use_numba`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .geometry.kinematics import Skeleton
from .geometry.mechanics import crossed_coordinates, moment_arms
from .geometry.frame_solver import FrameSolver, numba_enabled
from .geometry.paths import MusclePaths
from .geometry.pose import pose_array
from .geometry.transforms import apply
from .model import AnatomyData, Card, Muscle, load_anatomy
from .resources import mesh_path


@dataclass(frozen=True)
class Motion:
    """Everything computed for ``n`` frames in one call (see :meth:`HipModel.compute`).

    Attributes
    ----------
    muscles : list of str
    bones : list of str
    coordinates : list of str
    q_deg : (n, c) float
        The frames, in degrees.
    bone_transforms : (b, n, 4, 4) float
        World transforms of the bones.
    lengths_m : (n, m) float
        Musculotendon lengths.
    moment_arms_m : (n, m, c) float or None
        Moment arm of each muscle about each coordinate; NaN where the muscle does not cross it.
    paths : list of (n, k_i, 3) float, or None
        World-frame polylines, one per muscle.
    wrapped : (n, m) bool
        Whether each muscle's path goes over its wrap surface.
    """

    muscles: list[str]
    bones: list[str]
    coordinates: list[str]
    q_deg: NDArray[np.float64]
    bone_transforms: NDArray[np.float64]
    lengths_m: NDArray[np.float64]
    moment_arms_m: NDArray[np.float64] | None
    paths: list[NDArray[np.float64]] | None
    wrapped: NDArray[np.bool_]


class HipModel:
    """A posable model of the pelvis, both legs and the hip muscles.

    Use :func:`load_model` to make one. Every pose method takes coordinate values in degrees as
    keyword arguments (``hip_flexion_r=30``); coordinates not named are 0, and an unknown name or a
    value out of range raises :class:`~anatviz.geometry.pose.PoseError`.
    """

    def __init__(self, data: AnatomyData) -> None:
        self.data = data
        self.skeleton = Skeleton(data)
        self._paths = MusclePaths(data, self.skeleton)
        self._ranges_deg = self.coordinates  # built once for pose_array (the property builds a new dict per call)
        self.crossed = crossed_coordinates(data)
        self._crossed_columns = np.array(sorted({self.skeleton.coordinates.index(c)
                                                 for cs in self.crossed.values() for c in cs}), dtype=int)
        self._crossed_mask = np.array([[c in self.crossed[m] for c in self.skeleton.coordinates]
                                       for m in self.muscles])

    # -- what the model holds -------------------------------------------------------------------
    @property
    def muscles(self) -> list[str]:
        """Muscle (path element) names, right side first."""
        return list(self.data.muscles)

    @property
    def groups(self) -> dict[str, list[str]]:
        """``{group: [muscle names]}``: groups, each per side, and one group per card."""
        return {g: list(m) for g, m in self.data.groups.items()}

    @property
    def coordinates(self) -> dict[str, tuple[float, float]]:
        """``{coordinate: (min_deg, max_deg)}``."""
        return {name: c.range_deg for name, c in self.data.coordinates.items()}

    @property
    def bones(self) -> list[str]:
        """Bone names, parents before children."""
        return list(self.skeleton.bones)

    def muscle(self, name: str) -> Muscle:
        """The data record of one muscle (KeyError naming the known muscles if unknown)."""
        try:
            return self.data.muscles[name]
        except KeyError:
            raise KeyError(f"unknown muscle {name!r}; expected one of {', '.join(self.muscles)}") from None

    def card(self, muscle_or_card: str) -> Card:
        """The card of a muscle (``gluteus_maximus_superior_r``) or a card by name (``gluteus_maximus``)."""
        if muscle_or_card in self.data.cards:
            return self.data.cards[muscle_or_card]
        return self.data.cards[self.muscle(muscle_or_card).card]

    # -- computing ------------------------------------------------------------------------------
    def compute(self, frames: Mapping[str, ArrayLike] | None = None, *, paths: bool = True,
                moment_arms: bool = True, **pose_deg: ArrayLike) -> Motion:
        """Pose the model for one or many frames and compute everything in one vectorised call (or, after
        :func:`anatviz.use_numba`, frame by frame in compiled code: the same results, faster).

        Parameters
        ----------
        frames : mapping of str to float or (n,) float, optional
            Coordinate values in degrees (may also be given as keywords).
        paths : bool
            Build the world-frame polylines.
        moment_arms : bool
            Compute moment arms about every coordinate any muscle crosses.

        Returns
        -------
        Motion
        """
        q = pose_array(self._ranges_deg, {**(frames or {}), **pose_deg})
        compiled = numba_enabled()  # read once: another thread may turn it over meanwhile
        if compiled:  # frame by frame (anatviz.use_numba)
            transforms, state = self._frame_solver.solve(q, paths)
        else:
            transforms = self.skeleton.transforms(q)
            state = self._paths.evaluate(q, transforms, polylines=paths)
        arms = None
        if moment_arms:
            arms = np.full((q.shape[0], len(self.muscles), q.shape[1]), np.nan)
            arms[:, :, self._crossed_columns] = _moment_arms(self, q, self._crossed_columns, compiled)
            arms[:, ~self._crossed_mask] = np.nan
        return Motion(self.muscles, self.bones, list(self._ranges_deg), np.degrees(q), transforms,
                      state.lengths_m, arms, state.polylines, state.wrapped)

    def muscle_paths(self, **pose_deg: float) -> dict[str, NDArray[np.float64]]:
        """World-frame polylines at one pose: ``{muscle: (k, 3) float}``, metres."""
        motion = self.compute(paths=True, moment_arms=False, **pose_deg)
        _one_frame(motion)
        return {m: line[0] for m, line in zip(self.muscles, motion.paths or [])}

    def lengths(self, **pose_deg: float) -> dict[str, float]:
        """Musculotendon lengths at one pose: ``{muscle: metres}``."""
        motion = self.compute(paths=False, moment_arms=False, **pose_deg)
        _one_frame(motion)
        return dict(zip(self.muscles, motion.lengths_m[0].tolist()))

    def moment_arms(self, **pose_deg: float) -> dict[str, dict[str, float]]:
        """Moment arms at one pose: ``{muscle: {coordinate: metres}}`` for each coordinate it crosses."""
        motion = self.compute(paths=False, moment_arms=True, **pose_deg)
        _one_frame(motion)
        arms = motion.moment_arms_m[0]  # type: ignore[index]
        columns = {c: i for i, c in enumerate(motion.coordinates)}
        return {m: {c: float(arms[i, columns[c]]) for c in self.crossed[m]} for i, m in enumerate(self.muscles)}

    def bone_transforms(self, **pose_deg: float) -> dict[str, NDArray[np.float64]]:
        """World transform of every bone at one pose: ``{bone: (4, 4) float}``."""
        q = pose_array(self._ranges_deg, pose_deg)
        if q.shape[0] != 1:
            raise ValueError("expected one pose (numbers, not arrays); use compute() for motions")
        return dict(zip(self.bones, self.skeleton.transforms(q)[:, 0]))

    def landmarks(self, **pose_deg: float) -> dict[str, NDArray[np.float64]]:
        """World positions of the landmarks at one pose: ``{landmark: (3,) float}``."""
        transforms = self.bone_transforms(**pose_deg)
        return {name: apply(transforms[lm.bone], lm.position_m) for name, lm in self.data.landmarks.items()}

    def bone_meshes(self, **pose_deg: float):
        """Posed bone meshes in the world frame: ``{bone: trimesh.Trimesh}`` (new copies)."""
        transforms = self.bone_transforms(**pose_deg)
        return {b: mesh.copy().apply_transform(transforms[b]) for b, mesh in self.local_meshes.items()}

    @cached_property
    def _frame_solver(self) -> FrameSolver:
        """This model's tables for the compiled path (made on first use)."""
        return FrameSolver(self.skeleton, self._paths)

    @cached_property
    def local_meshes(self):
        """Bone meshes in their own frames, loaded once: ``{bone: trimesh.Trimesh}``."""
        import trimesh

        return {b: trimesh.load(mesh_path(self.data.bones[b].mesh), force="mesh", process=False)
                for b in self.bones}


def _moment_arms(model: HipModel, q: NDArray[np.float64], columns: NDArray[np.intp], compiled: bool
                 ) -> NDArray[np.float64]:
    def lengths_of(shifted: NDArray[np.float64]) -> NDArray[np.float64]:
        if compiled:
            return model._frame_solver.solve(shifted, False)[1].lengths_m
        transforms = model.skeleton.transforms(shifted)
        return model._paths.evaluate(shifted, transforms, polylines=False).lengths_m

    return moment_arms(lengths_of, q, columns)


def _one_frame(motion: Motion) -> None:
    if motion.q_deg.shape[0] != 1:
        raise ValueError("expected one pose (numbers, not arrays); use compute() for motions")


def load_model(path: str | Path | None = None) -> HipModel:
    """Load the bundled hip model, or another anatomy data file.

    Parameters
    ----------
    path : str or Path, optional
        A TOML anatomy file (see ``anatviz/model/data/hip_model.toml``).

    Returns
    -------
    HipModel

    Raises
    ------
    anatviz.model.AnatomyDataError
        One line naming the file, the key and what was expected.
    """
    return HipModel(load_anatomy(path))
