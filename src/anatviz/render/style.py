"""Colours, sizes and lighting: how things look, in one place.

Muscle colours come from colour-blind-safe palettes (Okabe & Ito 2008; Tol 2021 'muted'), one hue
family per group: warm for the gluteals, blue-green for the hamstrings, purple for the deep rotators.
"""

from __future__ import annotations

CARD_COLOURS = {
    "gluteus_maximus": "#D55E00",          # vermillion (Okabe-Ito)
    "gluteus_medius": "#E69F00",           # orange (Okabe-Ito)
    "gluteus_minimus": "#F0E442",          # yellow (Okabe-Ito)
    "biceps_femoris_long_head": "#0072B2", # blue (Okabe-Ito)
    "biceps_femoris_short_head": "#56B4E9",# sky blue (Okabe-Ito)
    "semitendinosus": "#009E73",           # bluish green (Okabe-Ito)
    "semimembranosus": "#44AA99",          # teal (Tol muted)
    "piriformis": "#CC79A7",               # reddish purple (Okabe-Ito)
    "iliacus": "#882255",                  # wine (Tol muted): hip flexors
    "psoas": "#AA4499",                    # purple (Tol muted)
    "rectus_femoris": "#332288",           # indigo (Tol muted)
    "adductor_magnus": "#999933",          # olive (Tol muted)
    "tensor_fasciae_latae": "#DDCC77",     # sand (Tol muted)
}
FALLBACK_COLOURS = ("#882255", "#999933", "#332288", "#DDCC77", "#AA4499", "#88CCEE")
BONE_COLOUR = "#EFE6D2"        # ivory
TENDON_COLOUR = "#F4F1EA"      # pale, glossy
DIMMED_COLOUR = "#8C939E"
DIMMED_OPACITY = 0.18
FADED_OPACITY = 0.3             # context muscles (hip flexors, adductor magnus, TFL) not asked for
ACTIVITY_CMAP = "plasma"
ACTIVITY_CMAP_RANGE = (0.22, 1.0)  # skip the near-black start so low drive stays visible
ACTIVATION_SHOWN_FROM = 0.10   # activation drawn in full colour from 10 % ...
CONTEXT_SHOWN_FROM = (0.05, 0.15)  # ... and a faded context muscle from 5 % (faded) to 15 % (full)
TEXT_COLOUR_ON_DARK = "#F5F5F5"
TEXT_COLOUR_ON_LIGHT = "#1A1A1A"

SSAA_MAX_SIDE_PX = 7300          # VTK's SSAA works up to this many pixels on the longer side here
TUBE_SIDES = 14
RESAMPLED_POINTS = 48
FAN_FIBRES_BETWEEN = 2          # interpolated fibres between neighbouring bundles
TENDON_RADIUS_SHARE = 0.35
SHEET_OPACITY = 0.55             # a fan's surface between its fibres, times the muscle's opacity
LINE_WIDTH_PX_AT_720 = 4.0
XRAY_BONE_OPACITY = 0.28


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' or '#rgb' -> (r, g, b) in 0..255."""
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def is_dark(colour: str) -> bool:
    named = {"white": "#ffffff", "black": "#000000"}
    r, g, b = hex_to_rgb(named.get(colour, colour))
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def font_px(window_height: int, at_720: float) -> int:
    """Font sizes scale with the picture so labels stay readable at any size."""
    return max(8, int(round(at_720 * window_height / 720.0)))


def checked_text_scale(scale: float) -> float:
    """``scale`` as a float, or a one-line error unless it is a text scale from 0.25 to 4."""
    scale = float(scale)
    if not 0.25 <= scale <= 4.0:
        raise ValueError(f"text_scale: expected a factor from 0.25 to 4, found {scale!r}")
    return scale


def fit_font(prop, text: str, max_width_px: float, *, smallest_px: int = 8) -> int:
    """Shrink a ``vtkTextProperty``'s font until ``text`` is at most ``max_width_px`` wide (never below
    ``smallest_px``); returns the font size set. Large presentation text must still fit the picture."""
    import vtk

    bbox = [0, 0, 0, 0]
    renderer = vtk.vtkTextRenderer()
    while True:
        renderer.GetBoundingBox(prop, text, bbox, 72)
        if bbox[1] - bbox[0] <= max_width_px or prop.GetFontSize() <= smallest_px:
            return int(prop.GetFontSize())
        prop.SetFontSize(max(smallest_px, int(prop.GetFontSize() * max_width_px / (bbox[1] - bbox[0]))))


def card_colours(cards: list[str]) -> dict[str, str]:
    """A colour for every card; cards of other models get the fallback colours in order."""
    out, spare = {}, iter(FALLBACK_COLOURS * 4)
    for card in cards:
        out[card] = CARD_COLOURS.get(card) or next(spare)
    return out


def activation_look(activation: float, rgb: tuple[int, int, int], opacity: float, *, context: bool,
                    ) -> tuple[tuple[int, int, int], float]:
    """Colour and opacity of a muscle at an activation (0..1), given its scale colour ``rgb`` and its
    opacity when fully shown.

    A muscle blends from the dimmed grey (at 0) to its scale colour (at :data:`ACTIVATION_SHOWN_FROM`),
    growing opaque as it does, so that silent and barely active muscles recede (a lecturer sees at once
    which muscles work) and nothing flickers as a muscle switches on. The colour bar shows the same
    blend, so every colour on screen can be read off it. A context muscle the
    scene did not ask for (hip flexors, adductors, TFL) stays faded until it is active enough to matter:
    it stays dimmed grey up to 5 % and blends to full colour at 15 % (:data:`CONTEXT_SHOWN_FROM`).
    """
    lo, hi = CONTEXT_SHOWN_FROM if context else (0.0, ACTIVATION_SHOWN_FROM)
    w = min(max((float(activation) - lo) / (hi - lo), 0.0), 1.0)
    grey = hex_to_rgb(DIMMED_COLOUR)
    colour = tuple(int(round(g + w * (c - g))) for g, c in zip(grey, rgb))
    floor = min(opacity, DIMMED_OPACITY)
    return colour, float(floor + w * (opacity - floor))  # type: ignore[return-value]
