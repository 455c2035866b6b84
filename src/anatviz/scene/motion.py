"""Keyframed motions: coordinate values over time at a fixed frame rate, with easing."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .schema import MotionSpec


def ease(u: NDArray[np.float64], easing: str) -> NDArray[np.float64]:
    """Map linear progress ``u`` in [0, 1] to eased progress (``'ease_in_out'`` is smoothstep:
    zero velocity at both keyframes, so a motion never jerks at a keyframe)."""
    if easing == "linear":
        return u
    return u * u * (3.0 - 2.0 * u)


def frame_count(spec: MotionSpec, fps: float | None = None) -> int:
    """Frames in the motion at ``fps`` (the scene's rate by default); a looping motion leaves out its
    last frame, which would repeat the first."""
    rate = fps or spec.fps
    n = int(round(spec.duration_s * rate))
    return max(n if spec.loop else n + 1, 1)


def frame_times(spec: MotionSpec, fps: float | None = None, frames: int | None = None) -> NDArray[np.float64]:
    """Times (s) of the frames, evenly spaced at a fixed frame rate.

    Parameters
    ----------
    spec : MotionSpec
    fps : float, optional
        Frame rate; the scene's by default.
    frames : int, optional
        Number of frames spread over the whole motion instead (overrides ``fps``).

    Returns
    -------
    (n,) float
    """
    if frames is not None:
        return np.linspace(0.0, spec.duration_s, frames, endpoint=not spec.loop or frames == 1)
    rate = fps or spec.fps
    return np.arange(frame_count(spec, rate)) / rate


def sample_motion(spec: MotionSpec, times_s: NDArray[np.float64], base_deg: dict[str, float],
                  ) -> dict[str, NDArray[np.float64]]:
    """Coordinate values at the given times.

    Parameters
    ----------
    spec : MotionSpec
    times_s : (n,) float
    base_deg : dict
        Values before the first keyframe names a coordinate (the scene's pose; 0 otherwise).

    Returns
    -------
    dict of str to (n,) float
        Degrees, for every coordinate that the pose or any keyframe names.
    """
    names = list(dict.fromkeys([*base_deg, *(k for kf in spec.keyframes for k in kf.values_deg)]))
    key_times = np.array([kf.time_s for kf in spec.keyframes])
    values = {}
    for name in names:
        current = base_deg.get(name, 0.0)
        track = []
        for kf in spec.keyframes:
            current = kf.values_deg.get(name, current)
            track.append(current)
        track = np.array(track)
        t = np.clip(times_s, key_times[0], key_times[-1])
        i = np.clip(np.searchsorted(key_times, t, side="right") - 1, 0, len(key_times) - 2) \
            if len(key_times) > 1 else np.zeros(len(t), int)
        if len(key_times) == 1:
            values[name] = np.full(len(t), track[0])
            continue
        span = key_times[i + 1] - key_times[i]
        u = ease(np.clip((t - key_times[i]) / span, 0.0, 1.0), spec.easing)
        values[name] = track[i] + u * (track[i + 1] - track[i])
    return values


def directions(values_deg: dict[str, NDArray[np.float64]]) -> dict[str, NDArray[np.float64]]:
    """Sign of each coordinate's velocity per frame (+1, -1); where it is still, the last direction it
    moved in (0 before it first moves).

    Returns
    -------
    dict of str to (n,) float
    """
    out = {}
    for name, v in values_deg.items():
        velocity = np.gradient(v) if len(v) > 1 else np.zeros_like(v)
        sign = np.sign(np.where(np.abs(velocity) < 1e-9, 0.0, velocity))
        last = 0.0
        for k in range(len(sign)):  # carry the last direction through pauses
            if sign[k] == 0.0:
                sign[k] = last
            else:
                last = sign[k]
        out[name] = sign
    return out
