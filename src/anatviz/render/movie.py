"""Movies: every frame computed up front, rendered at a fixed rate, the view's pose restored after.

GIF through Pillow (already needed by pyvista): one palette for the whole movie, so colours do not
flicker; frame delays are whole hundredths of a second, so GIFs take 10, 20, 25 or 50 frames per second.
Identical consecutive frames (a pause in the motion) are stored once with a longer delay, which plays
back the same.
MP4 (H.264, yuv420p, playable everywhere) through imageio-ffmpeg, whose wheel carries ffmpeg.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from ..scene.frames import compute_frames
from ..atomic import replacing
from .output import OutputError

if TYPE_CHECKING:
    from .view import HipView

MOVIE_FORMATS = (".gif", ".mp4")
GIF_RATES = (10, 20, 25, 50)


def check_movie(path: Path, fps: float, size: tuple[int, int]) -> str:
    """The movie format of ``path``, or OutputError saying what is allowed."""
    ext = path.suffix.lower()
    if ext not in MOVIE_FORMATS:
        raise OutputError(f"{path}: unknown movie extension {ext or '(none)'!r}; expected one of {', '.join(MOVIE_FORMATS)}")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: no such folder {path.parent}")
    if ext == ".gif" and fps not in GIF_RATES:
        raise OutputError(f"{path}: a GIF's frame delays are whole hundredths of a second; expected --fps "
                          f"{', '.join(map(str, GIF_RATES))} (or write an .mp4), found {fps:g}")
    if ext == ".mp4":
        if size[0] % 2 or size[1] % 2:
            raise OutputError(f"{path}: H.264 needs an even width and height, found {size[0]}x{size[1]}")
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise OutputError(f"{path}: MP4 needs imageio-ffmpeg; install it with: pip install 'anatviz[video]'") from None
    return ext


class Progress:
    """A one-line progress bar on a terminal's standard error (silent when it is not a terminal)."""

    def __init__(self, total: int, label: str, *, enabled: bool = True) -> None:
        self.total, self.label = total, label
        self.enabled = enabled and sys.stderr.isatty()

    def update(self, done: int) -> None:
        if self.enabled:
            filled = int(30 * done / max(self.total, 1))
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total} frames")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def default_fps(ext: str, scene_fps: float) -> float:
    """The scene's rate, or for a GIF the nearest rate a GIF can hold."""
    if ext == ".gif" and scene_fps not in GIF_RATES:
        return float(min(GIF_RATES, key=lambda r: abs(r - scene_fps)))
    return scene_fps


def record(view: "HipView", path: str | Path, *, fps: float | None = None, frames: int | None = None,
           progress: bool = True) -> Path:
    """Write the view's scene motion as a GIF or MP4, then restore the view's frames and pose.

    Parameters
    ----------
    view : HipView
        A view of a scene with a motion.
    path : str or Path
        ``.gif`` or ``.mp4``.
    fps : float, optional
        Frame rate (the scene's by default; for a GIF the nearest of 10, 20, 25, 50).
    frames : int, optional
        Number of frames over the whole motion (default: duration x fps).
    """
    path = Path(path)
    scene = view.scene
    if scene.motion is None:
        raise OutputError(f"{path}: scene {scene.name!r} has no [motion] to animate; use 'anatviz render' for a still")
    ext = path.suffix.lower()
    rate = fps if fps is not None else default_fps(ext, scene.motion.fps)
    check_movie(path, rate, view.size)
    movie = compute_frames(view.model, scene, fps=rate, frames=frames, strength=view.strength)
    saved = (view.frames, view.frame_index)
    view.frames = movie
    bar = Progress(len(movie), path.name, enabled=progress)
    try:
        with replacing(path) as tmp:
            images = _render_all(view, bar) if ext == ".gif" else None
            if ext == ".gif":
                _write_gif(images, tmp, rate, loop=scene.motion.loop)
            else:
                _write_mp4(view, tmp, rate, bar)
    finally:
        bar.close()
        view.frames = saved[0]
        view.set_frame(saved[1])
    return path


def _render_all(view: "HipView", bar: Progress) -> list[np.ndarray]:
    images = []
    for i in range(len(view.frames)):
        view.set_frame(i)
        images.append(view.image(transparent=False))
        bar.update(i + 1)
    return images


def _write_gif(images: list[np.ndarray], path: Path, fps: float, *, loop: bool) -> None:
    sample = np.concatenate([im[::4, ::4] for im in images[:: max(1, len(images) // 8)]], axis=0)
    palette = Image.fromarray(sample).quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames = [Image.fromarray(im).quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    looping = {"loop": 0} if loop else {}  # Pillow: loop=0 repeats forever; no key plays once
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=int(round(1000 / fps)),
                   optimize=False, disposal=1, **looping)


def _write_mp4(view: "HipView", path: Path, fps: float, bar: Progress) -> None:
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(str(path), view.size, fps=fps, codec="libx264", pix_fmt_in="rgb24",
                                         pix_fmt_out="yuv420p", quality=8, macro_block_size=1,
                                         output_params=["-movflags", "+faststart"])
    writer.send(None)
    try:
        for i in range(len(view.frames)):
            view.set_frame(i)
            writer.send(np.ascontiguousarray(view.image(transparent=False)[..., :3]).tobytes())
            bar.update(i + 1)
    finally:
        writer.close()
