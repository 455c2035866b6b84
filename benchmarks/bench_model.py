"""Speed of posing the hip model and computing paths, lengths and moment arms (run by hand).

    python benchmarks/bench_model.py

Reference: OpenSim 4.6 takes 0.2 to 0.4 ms per frame for one side's 14 hip muscles (paths and lengths,
no moment arms) on this kind of machine (2 cores, no GPU). The first table times that same set (the 14
right-side gluteal, hamstring and piriformis paths with their wrap surfaces); the second the whole model
(every path on both sides, with the context muscles), as issue 2 asks: posing, every path with its
wrapping, lengths and moment arms, for one pose and for a 120-frame motion in one call.

"lengths only" already computes every path point and every wrap's tangent points and arc length (what
OpenSim computes for a path); "paths" adds the display polylines (32 samples per segment of a wrapping
muscle, which need the arcs themselves).
The last column is OpenSim's time per frame over ours: above 1, we are that many times faster.
With numba installed (the ``fast`` extra), the last two tables time the same again with
:func:`anatviz.use_numba` on: every frame solved by compiled code, one after the other (numpy pays per
call, and one pose is many calls on tiny arrays).
Each row is the best (and median) of as many calls as fit in a second, at least 30.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from dataclasses import replace

import numpy as np

import anatviz
import anatviz.geometry.frame_solver

OPENSIM_MS_PER_FRAME = (0.2, 0.4)


def best_ms(fn, budget_s: float = 1.0, least: int = 30) -> tuple[float, float]:
    """Best and median time of ``fn`` in ms, over as many calls as fit in ``budget_s`` (at least
    ``least``): a one-pose call takes under a millisecond, so its best of 30 is at the mercy of
    whatever else the machine is doing."""
    start = time.perf_counter()
    fn()  # warm up
    repeats = max(least, int(budget_s / max(time.perf_counter() - start, 1e-6)))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), statistics.median(times)


def compare(ms_per_frame: float) -> str:
    """OpenSim's 0.2-0.4 ms per frame over ours, in words."""
    low, high = (t / ms_per_frame for t in OPENSIM_MS_PER_FRAME)
    if low >= 1.0:
        return f"{low:.1f}x to {high:.1f}x faster"
    if high <= 1.0:
        return f"{1 / high:.1f}x to {1 / low:.1f}x slower"
    return f"{low:.2f}x to {high:.2f}x (about as fast)"


def opensim_comparable(model: anatviz.HipModel) -> anatviz.HipModel:
    """The same model restricted to the 14 right-side muscles of the OpenSim figure."""
    keep = [m for m in model.muscles if m.endswith("_r") and not model.card(m).context]
    assert len(keep) == 14
    data = replace(model.data, muscles={m: model.data.muscles[m] for m in keep}, groups={})
    return anatviz.HipModel(data)


def table(model: anatviz.HipModel, title: str) -> None:
    n = 120
    t = np.linspace(0.0, 1.0, n)
    motion = {side_coord: value for side in "rl" for side_coord, value in (
        (f"hip_flexion_{side}", 90.0 - 110.0 * t), (f"knee_flexion_{side}", 60.0 * (1 - t)),
        (f"hip_adduction_{side}", -10.0 * np.sin(np.pi * t)), (f"hip_rotation_{side}", 10.0 * t))}
    motion = {k: v for k, v in motion.items() if k in model.coordinates}
    one = {k: float(v[40]) for k, v in motion.items()}

    rows = [
        ("one pose: lengths only", lambda: model.compute(one, paths=False, moment_arms=False), 1),
        ("one pose: paths + lengths", lambda: model.compute(one, moment_arms=False), 1),
        ("one pose: paths + lengths + moment arms", lambda: model.compute(one), 1),
        (f"{n} frames: lengths only", lambda: model.compute(motion, paths=False, moment_arms=False), n),
        (f"{n} frames: paths + lengths", lambda: model.compute(motion, moment_arms=False), n),
        (f"{n} frames: paths + lengths + moment arms", lambda: model.compute(motion), n),
    ]
    print(f"\n{title}")
    print(f"{'case':45s} {'best ms':>9s} {'median ms':>10s} {'ms/frame':>9s}  {'vs OpenSim 0.2-0.4 ms/frame'}")
    for label, fn, frames in rows:
        best, median = best_ms(fn)
        per_frame = best / frames
        faster = compare(per_frame) if "moment" not in label else "(OpenSim figure has no moment arms)"
        print(f"{label:45s} {best:9.3f} {median:10.3f} {per_frame:9.4f}  {faster}")

    tracemalloc.start()
    model.compute(motion)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak memory of one {n}-frame call with moment arms: {peak / 2**20:.1f} MiB")


def main() -> None:
    start = time.perf_counter()
    model = anatviz.load_model()
    print(f"anatviz {anatviz.__version__}: load_model() {(time.perf_counter() - start) * 1e3:.0f} ms")
    table(opensim_comparable(model), "14 right-side hip muscles (the OpenSim figure's set):")
    table(model, f"the whole model, {len(model.muscles)} muscles on both sides:")
    if not anatviz.geometry.frame_solver.available():
        print("\nnumba is not installed (pip install 'anatviz[fast]'): no figures for the compiled path")
        return
    start = time.perf_counter()
    anatviz.use_numba()
    seconds = time.perf_counter() - start
    print(f"\nanatviz.use_numba(): the compiled path ready in {seconds:.2f} s (compiled, or loaded from numba's "
          "cache)")
    table(opensim_comparable(model), "14 right-side hip muscles, compiled (frame by frame):")
    table(model, f"the whole model, {len(model.muscles)} muscles, compiled (frame by frame):")


if __name__ == "__main__":
    main()
