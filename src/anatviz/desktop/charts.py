"""The plots beside the 3D view: a selected muscle's moment arm and length against hip angle (drawn by
:mod:`anatviz.plots`), as PNG bytes for the browser's side panel and as an RGBA array for the window."""

from __future__ import annotations

import io

import numpy as np
from numpy.typing import NDArray

from .. import plots
from ..hipmodel import HipModel

CHART_KINDS = ("moment_arm", "length")
CHART_DPI = 100
SWEEP_STEP_DEG = 2.0


def muscle_figure(model: HipModel, muscle: str, kind: str, pose_deg: dict[str, float]):
    """A matplotlib figure for ``muscle`` on its side: ``moment_arm`` (about hip flexion, against hip
    flexion, at the knee angle of ``pose_deg``) or ``length`` (against hip flexion, knee straight and
    at 90 degrees)."""
    if kind not in CHART_KINDS:
        raise ValueError(f"chart: expected one of {', '.join(CHART_KINDS)}, found {kind!r}")
    side = model.muscle(muscle).side
    lo, hi = model.coordinates[f"hip_flexion_{side}"]
    sweep_deg = np.arange(lo, hi + SWEEP_STEP_DEG / 2, SWEEP_STEP_DEG)
    if kind == "moment_arm":
        knee_deg = float(pose_deg.get(f"knee_flexion_{side}", 0.0))
        return plots.moment_arm_figure(model, [muscle], f"hip_flexion_{side}", sweep_deg,
                                       knee_flexion_deg=round(knee_deg), side=side)
    return plots.length_figure(model, [muscle], sweep_deg, [0.0, 90.0], side=side)


def figure_png(fig, *, dpi: int = CHART_DPI) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_rgba(fig, *, dpi: int = CHART_DPI) -> NDArray[np.uint8]:
    """A figure drawn by Agg: ``(height, width, 4)`` uint8, top row first."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()
