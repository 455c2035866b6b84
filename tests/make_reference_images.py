"""Regenerate the reference images of tests/test_render.py (run by hand after an intended visual change).

    python tests/make_reference_images.py
"""

from __future__ import annotations

from pathlib import Path

import anatviz
from anatviz.render import render_still
from anatviz.scene import load_scene, with_overrides

NAMES = ("overview", "hip_extension")
SIZE = (240, 135)


def main() -> None:
    model = anatviz.load_model()
    folder = Path(__file__).parent / "reference"
    folder.mkdir(exist_ok=True)
    for name in NAMES:
        print(render_still(model, with_overrides(model, load_scene(name, model), size=SIZE), folder / f"{name}.png"))


if __name__ == "__main__":
    main()
