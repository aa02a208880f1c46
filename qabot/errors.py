"""Errors whose message is written for the person at the keyboard; the CLI prints them as one line."""


class QabotError(Exception):
    """A problem the user can fix; its message says how."""

    exit_code = 2


class CorpusError(QabotError):
    """The corpus folders are missing, empty or hold nothing readable."""


class IndexFolderError(QabotError):
    """The index folder is missing, damaged or built by another embedder or format."""


class QuestionError(QabotError):
    """The question itself cannot be answered as given (empty, too long)."""


class ConfigError(QabotError):
    """A setting or flag has a value that is not allowed."""
