"""Read and validate scene files (TOML); every error is one line naming the file, key and allowed values."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..geometry.lever import HipLevers
from ..hipmodel import HipModel
from ..model import AnatomyDataError, read_toml
from ..model.reader import Table
from ..resources import scenes_dir
from .schema import (
    EASINGS,
    HIGHLIGHT_MODES,
    MAX_SIZE,
    MUSCLE_STYLES,
    READOUT_MAX_ROWS,
    CameraSpec,
    Highlight,
    Keyframe,
    MotionSpec,
    PelvisDropSpec,
    Scene,
    Style,
)
from .motion import sample_motion
from .views import VIEWS

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
NAMED_COLOURS = ("white", "black")


def shipped_scenes() -> list[str]:
    """Names of the scenes in the shipped ``scenes/`` folder."""
    return sorted(p.stem for p in scenes_dir().glob("*.toml"))


def resolve_scene_path(scene: str | Path) -> Path:
    """A scene file path, or the name of a shipped scene -> its path."""
    path = Path(scene)
    if path.suffix == ".toml" or path.exists():
        return path
    candidate = scenes_dir() / f"{scene}.toml"
    if candidate.is_file():
        return candidate
    raise AnatomyDataError(path, "<scene>", f"no such scene file or shipped scene; expected a .toml path or "
                           f"one of {', '.join(shipped_scenes())}")


def _names(t: Table, key: str, allowed: dict[str, tuple[str, ...]], what: str) -> tuple[str, ...]:
    """Expand a list of names (each a key of ``allowed``) to the union of their members, in order."""
    out: list[str] = []
    for name in t.strs(key, []):
        if name not in allowed:
            raise t.error(f"unknown {what} {name!r}; expected one of {', '.join(allowed)}", key)
        out += [m for m in allowed[name] if m not in out]
    return tuple(out)


def _groups_and_muscles(model: HipModel) -> dict[str, tuple[str, ...]]:
    """Every group and every muscle, each with its muscles (a muscle: itself)."""
    return {**model.groups, **{m: (m,) for m in model.muscles}}


def asked_for(model: HipModel, names: list[str]) -> set[str]:
    """Context muscles a list of names asks for: named directly, or through a group of context
    muscles only (``hip_flexors``, ``context``, ``iliacus``...); ``gluteals`` asks for none."""
    out: set[str] = set()
    for name in names:
        members = model.groups.get(name, [name] if name in model.data.muscles else [])
        if all(model.card(m).context for m in members):
            out.update(members)
    return out


def _coordinate_values(t: Table, model: HipModel, names: list[str]) -> dict[str, float]:
    values = {}
    for name in names:
        if name not in model.coordinates:
            raise t.error(f"unknown coordinate; expected one of {', '.join(model.coordinates)}", name)
        lo, hi = model.coordinates[name]
        values[name] = t.float(name, low=lo, high=hi)
    return values


def _read_motion(t: Table, model: HipModel) -> MotionSpec:
    t.only("keyframes", "fps", "easing", "loop", "still_time_s")
    keyframes = []
    for kf in t.list_of_tables("keyframes"):
        time_s = kf.float("time_s", low=0.0, high=600.0)
        names = [k for k in kf.data if k != "time_s"]
        keyframes.append(Keyframe(time_s, _coordinate_values(kf, model, names)))
    if len(keyframes) < 2 or keyframes[0].time_s != 0.0:
        raise t.error("expected at least two keyframes, the first at time_s = 0", "keyframes")
    for i in range(1, len(keyframes)):
        if keyframes[i].time_s <= keyframes[i - 1].time_s:
            raise t.error(f"expected strictly increasing time_s, found {keyframes[i].time_s} after "
                          f"{keyframes[i - 1].time_s}", f"keyframes[{i}].time_s")
    easing = t.str("easing", "ease_in_out")
    if easing not in EASINGS:
        raise t.error(f"expected one of {', '.join(EASINGS)}, found {easing!r}", "easing")
    duration = keyframes[-1].time_s
    still = t.float("still_time_s", low=0.0, high=duration) if t.has("still_time_s") else None
    return MotionSpec(tuple(keyframes), t.float("fps", 30.0, low=1.0, high=120.0), easing, t.bool("loop", True),
                      still)


def _read_style(t: Table, model: HipModel) -> Style:
    t.only("muscles", "fans", "tube_scale", "bone_opacity", "muscle_opacity", "xray", "opacity")
    muscles = t.str("muscles", "tubes")
    if muscles not in MUSCLE_STYLES:
        raise t.error(f"expected one of {', '.join(MUSCLE_STYLES)}, found {muscles!r}", "muscles")
    opacity = {}
    if t.has("opacity"):
        o = t.table("opacity")
        known = _groups_and_muscles(model)
        for name in o.data:
            if name not in known:
                raise o.error(f"unknown group or muscle; expected one of {', '.join(known)}", name)
            opacity[name] = o.float(name, low=0.0, high=1.0)
    return Style(muscles, t.bool("fans", True), t.float("tube_scale", 1.0, low=0.1, high=5.0),
                 t.float("bone_opacity", 1.0, low=0.0, high=1.0), t.float("muscle_opacity", 1.0, low=0.0, high=1.0),
                 t.bool("xray", False), opacity)


def _read_highlight(t: Table, model: HipModel) -> Highlight:
    t.only("mode", "muscles", "task")
    mode = t.str("mode", "none")
    if mode not in HIGHLIGHT_MODES:
        raise t.error(f"expected one of {', '.join(HIGHLIGHT_MODES)}, found {mode!r}", "mode")
    muscles = _names(t, "muscles", _groups_and_muscles(model), "group or muscle")
    if mode == "muscles" and not muscles:
        raise t.error("expected at least one muscle or group when mode = 'muscles'", "muscles")
    task = {}
    if t.has("task"):
        task_table = t.table("task")
        for name in task_table.data:
            if name not in model.coordinates:
                raise task_table.error(f"unknown coordinate; expected one of {', '.join(model.coordinates)}", name)
            value = task_table.float(name)
            if value not in (1.0, -1.0):
                raise task_table.error(f"expected 1 or -1 (the direction of the task), found {value}", name)
            task[name] = value
    return Highlight(mode, muscles, task)


def _read_camera(t: Table, model: HipModel) -> CameraSpec:
    t.only("view", "position_m", "focal_point_m", "up", "zoom", "focus", "fit")
    explicit = [t.has(k) for k in ("position_m", "focal_point_m", "up")]
    if any(explicit) and not all(explicit):
        raise t.error("expected position_m, focal_point_m and up together (or a named view)")
    view = None if all(explicit) else t.str("view", "oblique")
    if view is not None and view not in VIEWS:
        raise t.error(f"expected one of {', '.join(VIEWS)}, found {view!r}", "view")
    focus = t.str("focus") if t.has("focus") else None
    if focus is not None and focus not in model.data.landmarks:
        raise t.error(f"unknown landmark {focus!r}; expected one of {', '.join(model.data.landmarks)}", "focus")
    fit = _names(t, "fit", {b: (b,) for b in model.bones}, "bone")
    vec = (lambda k: t.floats(k, 3) if t.has(k) else None)  # noqa: E731
    return CameraSpec(view, vec("position_m"), vec("focal_point_m"), vec("up"),
                      t.float("zoom", 1.0, low=0.05, high=20.0), focus, fit)


def _read_strength(t: Table, model: HipModel) -> dict[str, float]:
    """``[strength]``: muscle or group -> a factor on its force capacity (0 = paralysed, 1 = normal)."""
    known = [*model.groups, *model.muscles, "vasti", "vasti_r", "vasti_l"]  # the lumped knee extensors too
    out = {}
    for name in t.data:
        if name not in known:
            raise t.error(f"unknown group or muscle; expected one of {', '.join(known)}", name)
        out[name] = t.float(name, low=0.0, high=1.0)
    return out


def _read_overlays(t: Table, model: HipModel, mode: str) -> dict:
    """``[output]`` ratio, readout and levers: what the activation model and the geometry add on screen."""
    named = _groups_and_muscles(model)
    activation = mode == "activation"
    ratio = t.bool("ratio", activation)
    for key, wanted in (("ratio", ratio), ("readout", t.has("readout"))):
        if wanted and not activation:
            raise t.error("expected highlight.mode = 'activation' (with a [load]) to show it", key)
    readout = tuple(t.strs("readout", []))
    levers = tuple(t.strs("levers", []))
    for key, names in (("readout", readout), ("levers", levers)):
        for name in names:
            if name not in named:
                raise t.error(f"unknown group or muscle {name!r}; expected one of {', '.join(named)}", key)
    if len(readout) > READOUT_MAX_ROWS:
        raise t.error(f"expected at most {READOUT_MAX_ROWS} muscles or groups, found {len(readout)}", "readout")
    crossing = HipLevers(model.data, model.bones)
    for name in levers:
        if not any(crossing.crosses_hip(m) for m in named[name]):
            raise t.error(f"{name!r} does not cross a hip; expected muscles or groups that do (gluteals, "
                          "hamstrings, ...)", "levers")
    return {"ratio": ratio, "readout": readout, "levers": levers}


def _read_pelvis_drop(t: Table, model: HipModel, motion: MotionSpec | None, pose_deg: dict[str, float],
                      ) -> PelvisDropSpec:
    """``[pelvis_drop]``: the keyframes at which the pelvis drops, and the muscles whose strength the drop
    is solved from (the solve itself is :func:`anatviz.activation.trendelenburg.scene_with_drop`)."""
    from ..activation.trendelenburg import MAX_DROP_DEG

    t.only("muscles", "at_time_s", "label")
    muscles = t.strs("muscles")
    if not _names(t, "muscles", _groups_and_muscles(model), "group or muscle"):  # checked; kept as named
        raise t.error("expected at least one muscle or group (the stance abductors)", "muscles")
    if motion is None:
        raise t.error("expected a [motion] whose keyframes the pelvis drops at", "at_time_s")
    times = t.floats("at_time_s")
    key_times = [kf.time_s for kf in motion.keyframes]
    for time_s in times:
        if time_s not in key_times:
            raise t.error(f"expected times of [motion] keyframes ({', '.join(f'{k:g}' for k in key_times)}), "
                          f"found {time_s:g}", "at_time_s")
    level = sample_motion(motion, np.array(times), pose_deg)
    if any(np.ptp(v) > 1e-9 for v in level.values()):
        raise t.error("expected keyframes with one stance pose (the drop is solved once), found different poses",
                      "at_time_s")
    for name, sign in (("pelvis_list", -1.0), ("hip_adduction_r", 1.0)):
        lo, hi = model.coordinates[name]
        value = float(level.get(name, np.zeros(1))[0])
        if not lo <= value + sign * MAX_DROP_DEG <= hi:
            raise t.error(f"{name} is {value:g} deg at the stance: a drop of up to {MAX_DROP_DEG:g} deg would "
                          f"leave its range [{lo:g}, {hi:g}] deg", "at_time_s")
    return PelvisDropSpec(muscles, times, t.str("label", "Stance abductors"))


def colour(t: Table, key: str, default: str) -> str:
    value = t.str(key, default)
    if value != "transparent" and not HEX_COLOUR.match(value) and value not in NAMED_COLOURS:
        raise t.error(f"expected 'transparent', '#rrggbb' or one of {', '.join(NAMED_COLOURS)}, found {value!r}", key)
    return value


def load_scene(scene: str | Path, model: HipModel) -> Scene:
    """Read a scene file (or a shipped scene by name) and check it against the model.

    Raises
    ------
    AnatomyDataError
        One line naming the file, the key and the allowed values.
    """
    path = resolve_scene_path(scene)
    top = Table(read_toml(path), "", path)
    top.only("scene", "show", "style", "pose", "motion", "highlight", "camera", "output", "load",
             "strength", "pelvis_drop")
    head = top.table("scene")
    head.only("title", "description")
    show = top.table("show") if top.has("show") else Table({}, "show", path)
    show.only("bones", "groups", "muscles", "hide")
    bone_sets = {b: (b,) for b in model.bones}
    bones = _names(show, "bones", bone_sets, "bone") or tuple(model.bones)
    named = _groups_and_muscles(model)
    muscles = _names(show, "groups", model.groups, "group") + _names(show, "muscles", named, "muscle")
    if not show.has("groups") and not show.has("muscles"):
        muscles = tuple(model.muscles)
    hidden = set(_names(show, "hide", {**named, **bone_sets}, "group, muscle or bone"))
    muscles = tuple(dict.fromkeys(m for m in muscles if m not in hidden))
    faded = tuple(m for m in muscles if m not in asked_for(model, show.strs("groups", []) + show.strs("muscles", []))
                  and model.card(m).context)
    bones = tuple(b for b in bones if b not in hidden)

    pose_table = top.table("pose") if top.has("pose") else Table({}, "pose", path)
    pose = _coordinate_values(pose_table, model, list(pose_table.data))
    motion = _read_motion(top.table("motion"), model) if top.has("motion") else None

    load = None
    if top.has("load"):
        from ..activation import (
            read_load,  # the load model lives with the activation model
        )

        load = read_load(top.table("load"), model)
    strength = _read_strength(top.table("strength"), model) if top.has("strength") else {}
    pelvis_drop = None
    if top.has("pelvis_drop"):
        pelvis_drop = _read_pelvis_drop(top.table("pelvis_drop"), model, motion, pose)
    if pelvis_drop is not None and (load is None or load.supports != ("foot_r",)):
        raise top.error("expected a [load] with supports = ['foot_r'] (the drop is solved for single-leg stance "
                        "on the right foot)", "pelvis_drop")
    highlight = _read_highlight(top.table("highlight"), model) if top.has("highlight") else Highlight()
    if highlight.mode == "activation" and load is None:
        raise top.error("expected a [load] (what the muscles hold) with mode = 'activation'", "highlight.mode")
    if highlight.mode == "active" and motion is None and not highlight.task_direction:
        raise top.error("expected a [motion] or highlight.task (the direction of the task) with mode = 'active'",
                        "highlight.mode")

    out = top.table("output") if top.has("output") else Table({}, "output", path)
    out.only("size", "background", "labels", "legend", "colorbar", "ratio", "readout", "levers")
    size = tuple(int(v) for v in out.floats("size", 2)) if out.has("size") else (1280, 720)
    if not (16 <= size[0] <= MAX_SIZE[0] and 16 <= size[1] <= MAX_SIZE[1]):
        raise out.error(f"expected [width, height] within 16..{MAX_SIZE[0]} x 16..{MAX_SIZE[1]}, found {list(size)}",
                        "size")
    background = colour(out, "background", "#1f2430")
    labels_value = out.data.get("labels", False)
    if isinstance(labels_value, bool):
        labels = muscles if labels_value else ()
    else:
        labels = tuple(m for m in _names(out, "labels", named, "group or muscle") if m in muscles)
    scene = Scene(
        name=path.stem, path=path, title=head.str("title"), description=head.str("description", ""),
        bones=bones, muscles=muscles, pose_deg=pose, motion=motion,
        style=_read_style(top.table("style"), model) if top.has("style") else Style(),
        highlight=highlight,
        camera=_read_camera(top.table("camera"), model) if top.has("camera") else CameraSpec(),
        size=size, background="#ffffff" if background == "transparent" else background,
        transparent=background == "transparent", labels=labels,
        legend=out.bool("legend", True), colorbar=out.bool("colorbar", True), faded=faded, load=load,
        strength=strength, pelvis_drop=pelvis_drop, **_read_overlays(out, model, highlight.mode))
    if pelvis_drop is None:
        return scene
    from ..activation.trendelenburg import scene_with_drop  # solved for the scene's [strength]

    return scene_with_drop(model, scene)
