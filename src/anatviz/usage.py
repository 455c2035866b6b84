"""The command line's one error for bad arguments (exit code 2)."""


class UsageError(Exception):
    """A bad command-line argument: printed as one line naming the argument and the allowed values."""
