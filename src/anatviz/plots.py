"""Publication plots with matplotlib: moment arms and lengths against hip angle, activations per exercise.

Each function returns a ``matplotlib.figure.Figure`` built without pyplot (no global state, no display
needed); :func:`save_figure` writes it atomically. Colours are the Okabe-Ito palette, which stays
distinct for the common forms of colour blindness (Okabe M, Ito K 2008, Color Universal Design); past
eight lines the line style changes too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .atomic import replacing
from .hipmodel import HipModel

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
LINE_STYLES = ("-", "--", ":", "-.")
FORMATS = ("png", "svg", "pdf")

GROUPS = {
    "Gluteus maximus": "gluteus_maximus",
    "Gluteus medius": "gluteus_medius",
    "Gluteus minimus": "gluteus_minimus",
    "Hamstrings (at the hip)": None,  # long head, semitendinosus, semimembranosus
    "Adductor magnus": "adductor_magnus",
    "Hip flexors": "hip_flexors",
}
"""Muscle groups of the activation bar chart, in order; the vasti (not drawn) are added as a bar."""


def _figure(width_in: float = 7.0, height_in: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def _style(i: int) -> dict:
    return {"color": OKABE_ITO[i % len(OKABE_ITO)], "linestyle": LINE_STYLES[(i // len(OKABE_ITO)) % len(LINE_STYLES)]}


def _coordinate_label(coordinate: str) -> str:
    """``hip_flexion_r`` -> ``right hip flexion``."""
    family, side = coordinate.rsplit("_", 1)
    return f"{ {'r': 'right', 'l': 'left'}[side]} {family.replace('_', ' ')}"


def _legend_outside(ax, handles=None) -> None:
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))


def _label(model: HipModel, muscle: str) -> str:
    side = {"r": "right", "l": "left"}[model.muscle(muscle).side]
    return f"{model.muscle(muscle).display_name} ({side})"


def moment_arm_figure(model: HipModel, muscles: list[str], coordinate: str, hip_flexion_deg: NDArray[np.float64],
                      *, knee_flexion_deg: float = 0.0, side: str = "r"):
    """Moment arm of each muscle about ``coordinate`` against hip flexion.

    Parameters
    ----------
    model : HipModel
    muscles : list of str
    coordinate : str
        E.g. ``hip_flexion_r``.
    hip_flexion_deg : (n,) float
        The sweep of ``hip_flexion_<side>``.
    knee_flexion_deg : float
        Held on that side.
    side : {'r', 'l'}
    """
    motion = model.compute({f"hip_flexion_{side}": hip_flexion_deg, f"knee_flexion_{side}": knee_flexion_deg},
                           paths=False)
    column = motion.coordinates.index(coordinate)
    fig, ax = _figure()
    for i, muscle in enumerate(muscles):
        arm_cm = 100.0 * motion.moment_arms_m[:, motion.muscles.index(muscle), column]
        ax.plot(hip_flexion_deg, arm_cm, label=_label(model, muscle), linewidth=2, **_style(i))
    ax.axhline(0.0, color="0.6", linewidth=0.8)
    positive = {"hip_flexion": "flexion", "hip_adduction": "adduction", "hip_rotation": "internal rotation",
                "knee_flexion": "knee flexion"}[coordinate.rsplit("_", 1)[0]]
    ax.set_xlabel(f"{_coordinate_label(f'hip_flexion_{side}').capitalize()} (deg)")
    ax.set_ylabel(f"Moment arm (cm)\npositive drives {positive}")
    ax.set_title(f"Moment arms about {_coordinate_label(coordinate)}, knee flexed {knee_flexion_deg:g} deg")
    ax.grid(True, color="0.9")
    _legend_outside(ax)
    return fig


def length_figure(model: HipModel, muscles: list[str], hip_flexion_deg: NDArray[np.float64],
                  knee_flexion_deg: list[float], *, side: str = "r"):
    """Musculotendon length of each muscle against hip flexion: one colour per muscle, one line style
    per knee angle."""
    from matplotlib.lines import Line2D

    fig, ax = _figure(7.6, 4.2)
    for k, knee in enumerate(knee_flexion_deg):
        motion = model.compute({f"hip_flexion_{side}": hip_flexion_deg, f"knee_flexion_{side}": knee},
                               paths=False, moment_arms=False)
        for i, muscle in enumerate(muscles):
            length_cm = 100.0 * motion.lengths_m[:, motion.muscles.index(muscle)]
            ax.plot(hip_flexion_deg, length_cm, color=OKABE_ITO[i % len(OKABE_ITO)],
                    linestyle=LINE_STYLES[k % len(LINE_STYLES)], linewidth=2)
    handles = [Line2D([], [], color=OKABE_ITO[i % len(OKABE_ITO)], linewidth=2, label=_label(model, muscle))
               for i, muscle in enumerate(muscles)]
    handles += [Line2D([], [], color="0.3", linestyle=LINE_STYLES[k % len(LINE_STYLES)], linewidth=2,
                       label=f"knee flexed {knee:g} deg") for k, knee in enumerate(knee_flexion_deg)]
    ax.set_xlabel(f"{_coordinate_label(f'hip_flexion_{side}').capitalize()} (deg)")
    ax.set_ylabel("Musculotendon length (cm)")
    ax.set_title("Length against hip angle at " + " and ".join(f"{k:g}" for k in knee_flexion_deg)
                 + " deg of knee flexion")
    ax.grid(True, color="0.9")
    _legend_outside(ax, handles)
    return fig


def group_activations(model: HipModel, result) -> dict[str, tuple[float, float]]:
    """Mean and peak force-weighted activation of each plotted group (both sides) in one result."""
    from .activation import ratio_muscles

    out = {}
    for label, group in GROUPS.items():
        muscles = ratio_muscles(model)[1] if group is None else list(model.groups[group])
        curve = result.weighted_activation(muscles)
        out[label] = (float(curve.mean()), float(curve.max()))
    vasti = result.vasti_activation.mean(axis=1)
    out["Vasti (not drawn)"] = (float(vasti.mean()), float(vasti.max()))
    return out


def activation_figure(model: HipModel, results: dict[str, object]):
    """Grouped bars: mean activation of each muscle group in each exercise, peak as a tick.

    Parameters
    ----------
    model : HipModel
    results : dict of str to ActivationResult
        Exercise name -> its result, in plotting order.
    """
    table = {name: group_activations(model, r) for name, r in results.items()}
    groups = list(next(iter(table.values())))
    fig, ax = _figure(7.0 + 0.5 * len(results), 4.6)
    width = 0.8 / len(results)
    x = np.arange(len(groups))
    for i, (name, values) in enumerate(table.items()):
        means = [100 * values[g][0] for g in groups]
        peaks = [100 * values[g][1] for g in groups]
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        hatch = (None, "//", "..", "xx")[(i // len(OKABE_ITO)) % 4]
        ratio = results[name].mean_ratio()
        label = name.replace("_", " ") + (f" (Gmax/ham {ratio:.2f})" if np.isfinite(ratio) else "")
        ax.bar(x + (i - (len(results) - 1) / 2) * width, means, width, color=colour, hatch=hatch,
               edgecolor="white", linewidth=0.5, label=label)
        ax.scatter(x + (i - (len(results) - 1) / 2) * width, peaks, marker="_", s=60, color="black", zorder=3)
    ax.set_xticks(x, groups, rotation=20, ha="right")
    ax.set_ylabel("Activation (% of maximum)\nbars: mean over the motion, ticks: peak")
    ax.set_ylim(0, 105)
    ax.set_title("Estimated muscle activation per exercise (static optimisation)")
    ax.grid(True, axis="y", color="0.9")
    ax.set_axisbelow(True)
    _legend_outside(ax)
    return fig


def save_figure(fig, path: str | Path) -> Path:
    """Write a figure to ``path`` (PNG at 200 dpi, SVG or PDF) through a temporary file renamed into place.

    Raises
    ------
    ValueError
        Naming the allowed extensions, for any other.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"expected a file ending in {', '.join('.' + f for f in FORMATS)}, found {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temporary:
        fig.savefig(temporary, format=fmt, dpi=200, facecolor="white")
    return path
