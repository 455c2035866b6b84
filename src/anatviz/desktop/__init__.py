"""The interactive window (``anatviz show``), a thin shell over :class:`~anatviz.render.HipView`.

- :mod:`.controls`: :class:`WindowControls`, every control as a method (toolkit-free; the browser app
  reuses it), and the muscle card at a pose;
- :mod:`.lessons`: stepping through a lesson, every step loaded into one view;
- :mod:`.charts`: the selected muscle's plots (from :mod:`anatviz.plots`);
- :mod:`.panel`: the side panel's layout, drawn by :mod:`anatviz.render.cardpanel`;
- :mod:`.window`: the window's layout, mouse, keys and timer, and :func:`run_window`.
"""

from __future__ import annotations

from .controls import (
    GROUP_KEYS,
    POSE_COORDINATES,
    POSE_STEP_DEG,
    SPEEDS,
    WindowControls,
    card_lines,
    one_render,
    pose_card,
    toggle_groups,
)
from .lessons import LessonSteps
from .panel import KEYS_HELP, Panel
from .window import attach, run_window, screen_size, step_lesson, window_layout

__all__ = ["GROUP_KEYS", "KEYS_HELP", "POSE_COORDINATES", "POSE_STEP_DEG", "SPEEDS", "LessonSteps", "Panel",
           "WindowControls", "attach", "card_lines", "one_render", "pose_card", "run_window", "screen_size",
           "step_lesson", "toggle_groups", "window_layout"]
