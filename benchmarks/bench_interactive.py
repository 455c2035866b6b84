"""Interactive speed: slider change to updated picture, in the window and in the browser; server start-up
time and memory. Run by hand (needs the web and test extras, and Debian's chromium):

    python benchmarks/bench_interactive.py

The window is measured off-screen (the same plotter, panel and render calls as on screen; run under
Xvfb, ``DISPLAY=:99``, for the window's FXAA, which EGL replaces by slower SSAA); the browser through `anatviz serve` and headless Chromium, from the click on the slider to
the new picture arriving in the page (its websocket frame; drawing it takes a few ms more). Goal:
under 100 ms.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import anatviz  # noqa: E402
from anatviz import desktop  # noqa: E402
from anatviz.render import HipView  # noqa: E402
from anatviz.scene import load_scene  # noqa: E402

SCENE = "hip_extension"
STEPS = 30
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def summary(times_s: list[float]) -> str:
    ms = np.array(times_s) * 1000
    return f"median {np.median(ms):5.0f} ms, 90th percentile {np.percentile(ms, 90):5.0f} ms ({len(ms)} changes)"


def bench_window(model) -> None:
    scene = load_scene(SCENE, model)
    size, panel_width, scale = desktop.window_layout(scene, present=False)
    for anti_aliasing in (None, "fxaa"):
        view = HipView(model, scene, size=size, anti_aliasing=anti_aliasing)
        controls = desktop.WindowControls(view)
        panel = desktop.attach(controls, panel_width_px=panel_width, scale=scale)
        view.plotter.render()
        times = []
        for value in np.linspace(-20, 110, STEPS):
            start = time.perf_counter()
            with desktop.one_render(view.plotter):  # what a slider drag does
                controls.set_coordinate("hip_flexion_r", float(value))
                panel.refresh()
            view.plotter.render_window.Render()  # (pyvista's render() waits for show() off-screen)
            view.plotter.render_window.WaitForCompletion()
            times.append(time.perf_counter() - start)
        label = anti_aliasing or "no anti-aliasing"
        print(f"window {size[0] + panel_width}x{size[1]} ({label}): slider to picture {summary(times)}")
        view.close()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_browser() -> None:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")  # a file, not a pipe nobody reads
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "anatviz", "serve", SCENE, "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT,
                              env={**{k: v for k, v in os.environ.items() if k != "DISPLAY"}, "PYTHONUNBUFFERED": "1"})
    try:
        while "serving" not in open(log.name).read():
            if server.poll() is not None or time.perf_counter() - started > 60:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        listening = time.perf_counter() - started
        print(f"server: listening after {listening:.1f} s, {rss_mb(server.pid):.0f} MB resident")
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium",
                                                           args=CHROMIUM_ARGS, viewport={"width": 1600, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            # pictures reach the page as binary websocket frames: note when each one arrives
            pictures: list[float] = []

            def on_socket(socket) -> None:
                socket.on("framereceived", lambda payload: pictures.append(time.perf_counter())
                          if isinstance(payload, bytes) and len(payload) > 20_000 else None)

            page.on("websocket", on_socket)
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#picture img")
            print(f"server: first picture in the page {time.perf_counter() - t0:.1f} s after loading it "
                  f"({time.perf_counter() - started:.1f} s after start)")
            page.wait_for_timeout(2000)
            page.locator("#slider-hip_flexion_r .v-slider-thumb").focus()  # the slider's thumb takes the arrow keys
            times = []
            for k in range(STEPS):
                seen = len(pictures)
                start = time.perf_counter()
                page.keyboard.press("ArrowLeft" if k % 10 < 5 else "ArrowRight")  # one degree
                while len(pictures) == seen and time.perf_counter() - start < 10:
                    page.wait_for_timeout(2)
                times.append(pictures[seen] - start)
                page.wait_for_timeout(300)  # let any second picture (the still after the change) pass
            print(f"browser 1600x900 page, picture {page.locator('#picture').bounding_box()['width']:.0f} px wide: "
                  f"slider to picture {summary(times)}")
            others = [context.new_page() for _ in range(2)]
            for other in others:
                other.goto(f"http://127.0.0.1:{port}/")
                other.wait_for_selector("#picture img")
            time.sleep(2)
            print(f"server: {rss_mb(server.pid):.0f} MB resident with 3 browsers connected")
            context.close()
    finally:
        server.send_signal(signal.SIGINT)
        stopped = time.perf_counter()
        code = server.wait(timeout=30)
        print(f"server: stopped {time.perf_counter() - stopped:.1f} s after Ctrl-C, exit code {code}")


def main() -> None:
    model = anatviz.load_model()
    print(f"{os.cpu_count()} cores; scene {SCENE!r}")
    bench_window(model)
    bench_browser()


if __name__ == "__main__":
    main()
