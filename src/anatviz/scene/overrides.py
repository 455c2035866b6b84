"""Command-line style changes to a scene: size, background, view, shown groups, pose."""

from __future__ import annotations

from dataclasses import replace

from ..geometry.pose import PoseError
from ..hipmodel import HipModel
from .schema import MotionSpec, Scene


def expand(model: HipModel, names: list[str], *, allow_bones: bool = True) -> tuple[list[str], list[str]]:
    """Split names into (muscles, bones), expanding groups; ValueError naming the allowed values."""
    muscles, bones = [], []
    for name in names:
        if name in model.groups:
            muscles += [m for m in model.groups[name] if m not in muscles]
        elif name in model.data.muscles:
            muscles.append(name)
        elif allow_bones and name in model.bones:
            bones.append(name)
        else:
            raise ValueError(f"unknown {name!r}; expected a group ({', '.join(model.groups)}), a muscle or a "
                             f"bone ({', '.join(model.bones)})")
    return muscles, bones


def with_overrides(model: HipModel, scene: Scene, *, size: tuple[int, int] | None = None,
                   transparent: bool = False, view: str | None = None, show: list[str] | None = None,
                   hide: list[str] | None = None, pose_deg: dict[str, float] | None = None) -> Scene:
    """A copy of ``scene`` changed as the command line asks.

    ``show`` shows exactly the named groups and muscles (and bones, if any are named); ``hide`` then
    removes groups, muscles or bones. ``pose_deg`` holds coordinates at fixed values, also through the
    scene's motion.
    """
    changes: dict = {}
    if size is not None:
        changes["size"] = size
    if transparent:
        changes["transparent"] = True
    if view is not None:
        changes["camera"] = replace(scene.camera, view=view, position_m=None, focal_point_m=None, up=None)
    muscles, bones = list(scene.muscles), list(scene.bones)
    if show:
        shown_muscles, shown_bones = expand(model, show)
        muscles = shown_muscles
        bones = shown_bones or bones
    if hide:
        hidden_muscles, hidden_bones = expand(model, hide)
        muscles = [m for m in muscles if m not in hidden_muscles]
        bones = [b for b in bones if b not in hidden_bones]
    changes["muscles"], changes["bones"] = tuple(muscles), tuple(bones)
    if show:
        from .load import asked_for

        requested = asked_for(model, show)
        changes["faded"] = tuple(m for m in muscles if model.card(m).context and m not in requested)
    else:
        changes["faded"] = tuple(m for m in scene.faded if m in muscles)
    changes["labels"] = tuple(m for m in scene.labels if m in muscles)
    if pose_deg:
        for name, value in pose_deg.items():
            if name not in model.coordinates:
                raise PoseError(f"unknown coordinate {name!r}; expected one of {', '.join(model.coordinates)}")
            lo, hi = model.coordinates[name]
            if not lo <= value <= hi:
                raise PoseError(f"{name} = {value:g} deg is outside its range [{lo:g}, {hi:g}] deg")
        solved = {"pelvis_list", "hip_adduction_r"} & set(pose_deg) if scene.pelvis_drop is not None else set()
        if solved:
            raise PoseError(f"{scene.name}: {', '.join(sorted(solved))} cannot be set: [pelvis_drop] solves them "
                            "(change the stance muscles' strength instead)")
        changes["pose_deg"] = {**scene.pose_deg, **pose_deg}
        if scene.motion is not None:
            keyframes = tuple(replace(k, values_deg={c: v for c, v in k.values_deg.items() if c not in pose_deg})
                              for k in scene.motion.keyframes)
            changes["motion"] = MotionSpec(keyframes, scene.motion.fps, scene.motion.easing, scene.motion.loop,
                                           scene.motion.still_time_s)
    return replace(scene, **changes)


def still_time_s(scene: Scene) -> float | None:
    """When a still of an animated scene is taken: the scene's ``still_time_s``, else mid-motion."""
    if scene.motion is None:
        return None
    return scene.motion.still_time_s if scene.motion.still_time_s is not None else scene.motion.duration_s / 2
