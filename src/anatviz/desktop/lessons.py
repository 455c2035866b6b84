"""Stepping through a lesson: which step is shown, in one view that loads each step's scene (its
plotter and bone actors are re-used), and each step's frames, computed the first time the step is
shown and kept, so that going back costs only the view's rebuild. Toolkit-free: the window and the
browser app both use it."""

from __future__ import annotations

from ..lesson import Lesson, LessonStep
from ..render import HipView
from ..scene.frames import Frames, compute_frames

NEXT_KEYS = ("Right", "Down", "Next", "n")  # VTK's names; presenter clickers send PageDown ('Next')
PREVIOUS_KEYS = ("Left", "Up", "Prior", "p")  # ... and PageUp ('Prior')


class LessonSteps:
    """A lesson's steps, shown one at a time in one view.

    Parameters
    ----------
    lesson : Lesson
    view : HipView
        The view, showing step 1's scene (it was built from it); each step change loads the step's
        scene into it (:meth:`HipView.load_scene`).
    """

    def __init__(self, lesson: Lesson, view: HipView) -> None:
        if not lesson.steps:
            raise ValueError(f"{lesson.path}: steps: expected at least one step")
        self.lesson = lesson
        self.view = view
        self.index = 0
        # each step's frames (a few MB at most: paths and activations), kept for the next visit
        self.frames: dict[int, Frames] = {0: view.frames}

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.index]

    def _frames(self, index: int) -> Frames:
        if index not in self.frames:
            self.frames[index] = compute_frames(self.view.model, self.lesson.steps[index].scene)
        return self.frames[index]

    def prefetch(self) -> bool:
        """Compute the next step's frames now, if not done yet (call while the lecturer talks over this
        step); True when they were computed."""
        following = self.index + 1
        if following >= len(self.lesson.steps) or following in self.frames:
            return False
        self._frames(following)
        return True

    def go(self, index: int) -> bool:
        """Show step ``index`` (0-based, clipped to the lesson) in the view; True when the step changed."""
        index = max(0, min(int(index), len(self.lesson.steps) - 1))
        if index == self.index:
            return False
        self.index = index
        self.view.load_scene(self.step.scene, frames=self._frames(index))
        return True

    def next(self) -> bool:
        return self.go(self.index + 1)

    def previous(self) -> bool:
        return self.go(self.index - 1)

    def heading(self) -> str:
        """``3/12  Title`` of the step shown now."""
        return f"{self.index + 1}/{len(self.lesson.steps)}   {self.step.title}"

    def close(self) -> None:
        """Forget the kept frames (the view is its owner's to close)."""
        self.frames = {}
