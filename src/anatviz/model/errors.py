"""The one error type for bad anatomy or scene data."""

from __future__ import annotations

from pathlib import Path


class AnatomyDataError(ValueError):
    """Bad input data: names the file, the key and what was expected, in one line.

    Parameters
    ----------
    file : str or Path
        The data file that holds the bad value.
    key : str
        Dotted key of the bad value, e.g. ``muscles.gluteus_maximus_superior_r.path[2].bone``.
    message : str
        What was found and what was expected.
    """

    def __init__(self, file: str | Path, key: str, message: str) -> None:
        self.file = str(file)
        self.key = key
        self.message = message
        super().__init__(f"{Path(self.file).name}: {key}: {message}")
