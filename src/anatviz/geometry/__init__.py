"""Kinematics, muscle paths, wrapping and mechanics: pure numpy, vectorised over frames, no rendering."""
