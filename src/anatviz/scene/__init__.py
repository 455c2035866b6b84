"""What is shown: scene files, motions, views and the activity rule. Pure data and numpy, no rendering."""

from .activation_track import ActivationTrack, MuscleState
from .frames import Frames, compute_frames
from .load import load_scene, resolve_scene_path, shipped_scenes
from .overrides import still_time_s, with_overrides
from .schema import CameraSpec, Highlight, Keyframe, MotionSpec, PelvisDropSpec, Scene, Style
from .views import KEY_VIEWS, VIEWS

__all__ = [
           "KEY_VIEWS",
           "VIEWS",
           "ActivationTrack",
           "CameraSpec",
           "Frames",
           "Highlight",
           "Keyframe",
           "MotionSpec",
           "MuscleState",
           "PelvisDropSpec",
           "Scene",
           "Style",
           "compute_frames",
           "load_scene",
           "resolve_scene_path",
           "shipped_scenes",
           "still_time_s",
           "with_overrides",
]
