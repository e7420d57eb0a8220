"""The one exception type the CLI turns into a one-line error and exit code 2."""


class MtreviewError(Exception):
    """Bad input or usage: the message says what, where, and what to do."""

    exit_code = 2
