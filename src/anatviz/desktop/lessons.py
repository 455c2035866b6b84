"""Stepping through a lesson: which step is shown, and one view per step, built the first time the
step is shown and kept, so that going back and forth is instant. Toolkit-free: the window and the
browser app both use it."""

from __future__ import annotations

from collections.abc import Callable

from ..lesson import Lesson, LessonStep
from ..render import HipView
from ..scene.schema import Scene

NEXT_KEYS = ("Right", "Down", "Next", "n")  # VTK's names; presenter clickers send PageDown ('Next')
PREVIOUS_KEYS = ("Left", "Up", "Prior", "p")  # ... and PageUp ('Prior')


class LessonSteps:
    """A lesson's steps over views of their scenes.

    Parameters
    ----------
    lesson : Lesson
    build_view : callable
        ``build_view(scene) -> HipView``: a view of a step's scene (called once per step, when first shown).
    first_view : HipView, optional
        The view of step 1, if already built (the window's own).
    """

    def __init__(self, lesson: Lesson, build_view: Callable[[Scene], HipView], *,
                 first_view: HipView | None = None) -> None:
        if not lesson.steps:
            raise ValueError(f"{lesson.path}: steps: expected at least one step")
        self.lesson = lesson
        self.build_view = build_view
        self.index = 0
        self.views: dict[int, HipView] = {0: first_view} if first_view is not None else {}

    @property
    def step(self) -> LessonStep:
        return self.lesson.steps[self.index]

    @property
    def view(self) -> HipView:
        """The view of the step shown now (built if needed)."""
        if self.index not in self.views:
            self.views[self.index] = self.build_view(self.step.scene)
        return self.views[self.index]

    def prefetch(self) -> bool:
        """Build the next step's view now, if it is not built yet (call while the lecturer talks over
        this step, so that the next one shows at once); True when a view was built."""
        following = self.index + 1
        if following >= len(self.lesson.steps) or following in self.views:
            return False
        self.views[following] = self.build_view(self.lesson.steps[following].scene)
        return True

    def go(self, index: int) -> bool:
        """Show step ``index`` (0-based, clipped to the lesson); True when the step changed."""
        index = max(0, min(int(index), len(self.lesson.steps) - 1))
        changed = index != self.index
        self.index = index
        return changed

    def next(self) -> bool:
        return self.go(self.index + 1)

    def previous(self) -> bool:
        return self.go(self.index - 1)

    def heading(self) -> str:
        """``3/12  Title`` of the step shown now."""
        return f"{self.index + 1}/{len(self.lesson.steps)}   {self.step.title}"

    def close(self, *, keep: HipView | None = None) -> None:
        """Close every view built here except ``keep``."""
        for view in self.views.values():
            if view is not keep:
                view.close()
        self.views = {}
