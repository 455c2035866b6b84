"""The Trendelenburg strength slider: how long the pelvis drop takes to solve, and a strength change to
re-pose the scene, in a view (off-screen, no anti-aliasing, the window's size). Run by hand:

    python benchmarks/bench_trendelenburg.py

Figures, best and median of ``REPEATS`` runs each (a shared machine is noisy):

- ``solve``: :func:`anatviz.activation.trendelenburg.pelvis_drop` for one strength (first time: the
  answers are kept per strength, see ``scene_with_drop``); strong abductors hold a level pelvis and cost
  one frame of the activation model, weak ones up to about 20;
- ``set_strength at rest``: ``HipView.set_strength`` with the drop already solved once (the slider back
  on a value it had): the scene's 156 frames posed anew, the frame on screen's activations and the
  drawing, without rendering;
- ``set_strength while dragging``: the same between ``set_detail(True)`` and ``set_detail(False)``: the
  colours only, the drop waits for the slider to rest.

Then all again with the compiled path on (``anatviz.use_numba()``, numba installed), as ``anatviz show``
and ``anatviz serve`` run once it is ready.
"""

from __future__ import annotations

import os
import time

import numpy as np

os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import anatviz  # noqa: E402
import anatviz.geometry.frame_solver  # noqa: E402
from anatviz.activation import trendelenburg as T  # noqa: E402
from anatviz.render import HipView  # noqa: E402
from anatviz.scene import load_scene  # noqa: E402

STRENGTHS = (1.0, 0.3, 0.2, 0.1, 0.05, 0.0)
REPEATS = 5


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def line(label: str, times_s: list[float]) -> str:
    ms = np.array(times_s) * 1000.0
    return f"{label:<34} best {ms.min():6.0f} ms   median {np.median(ms):6.0f} ms"


def main() -> None:
    print("numpy:")
    measure()
    if not anatviz.geometry.frame_solver.available():
        print("\nnumba is not installed (pip install 'anatviz[fast]'): no figures for the compiled path")
        return
    anatviz.use_numba()  # what anatviz show and serve turn on in the background
    T._solved.cache_clear()
    print("\ncompiled (anatviz.use_numba()):")
    measure()


def measure() -> None:
    model = anatviz.load_model()
    scene = load_scene("trendelenburg", model)
    stance, muscles = T.scene_stance_deg(scene), scene.pelvis_drop.muscles
    print(f"solve (pelvis_drop), {REPEATS} runs each")
    for strength in STRENGTHS:
        weak = {m: strength for m in muscles}
        drop = T.pelvis_drop(model, stance, weak).drop_deg
        times = [timed(lambda: T.pelvis_drop(model, stance, weak)) for _ in range(REPEATS)]
        print(line(f"  strength {strength:4.2f} (drop {drop:4.1f} deg)", times))
    view = HipView(model, scene, anti_aliasing=None)
    print(f"view of {len(view.frames)} frames at {view.size[0]}x{view.size[1]}, on the still (frame 96)")
    view.set_frame(96)
    for strength in STRENGTHS:  # every answer solved once
        view.set_strength({m: strength for m in muscles})
    at_rest, dragging = [], []
    for _ in range(REPEATS):
        for strength in (0.0, 0.05):  # two drops: the scene is re-posed every time
            at_rest.append(timed(lambda: view.set_strength({m: strength for m in muscles})))
        view.set_detail(True)
        for strength in (0.2, 0.1):
            dragging.append(timed(lambda: view.set_strength({m: strength for m in muscles})))
        view.set_detail(False)
    print(line("set_strength at rest (solved)", at_rest))
    print(line("set_strength while dragging", dragging))
    T._solved.cache_clear()
    first = [timed(lambda: view.set_strength({m: s for m in muscles})) for s in (0.0, 0.1, 0.2, 1.0)]
    print("set_strength at rest, first time:  " + ", ".join(f"{t * 1000:.0f} ms" for t in first)
          + "  (strength 0, 0.1, 0.2, 1)")
    view.close()


if __name__ == "__main__":
    main()
