"""linkscope's exceptions: one tree, each error naming the file, URL or parameter at fault.

    LinkscopeError                 anything linkscope reports in one line
     +-- UsageError                a bad argument or parameter (names the parameter)
     +-- SourceError               a bad source: a file or URL that cannot be read as expected
     |    +-- ArchiveError         a corrupt or truncated WARC/ARC file (names file and offset)
     |    +-- FetchError           a URL that could not be fetched
     +-- StoreError                the index is missing, locked or damaged (names the directory)
     +-- SampleWebError            the sample web cannot be built or served
     +-- ConvergenceError          an iterative metric did not converge in its iteration budget

The CLI turns these into one line and a non-zero exit (a traceback only with --debug);
the API turns them into its one JSON error shape. Anything else is a bug and crashes.
"""

from __future__ import annotations


class LinkscopeError(Exception):
    """Base of every error linkscope reports to its user in one line."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class UsageError(LinkscopeError):
    """A bad argument or parameter; `where` names the parameter."""

    exit_code = 2


class SourceError(LinkscopeError):
    """A file or URL that cannot be read as expected; `where` names it."""


class ArchiveError(SourceError):
    """A corrupt or truncated WARC/ARC file; `where` names the file and the record offset."""


class FetchError(SourceError):
    """A URL that could not be fetched."""


class StoreError(LinkscopeError):
    """The index directory is missing, locked or damaged."""


class SampleWebError(LinkscopeError):
    """The sample web cannot be built or served."""


class ConvergenceError(LinkscopeError):
    """An iterative computation (PageRank) stopped at its iteration budget short of its tolerance.

    `iterations` is the budget spent and `residual` the last L1 residual reached.
    """

    def __init__(self, message: str, *, iterations: int, residual: float, where: str | None = None,
                 hint: str | None = None):
        self.iterations = iterations
        self.residual = residual
        super().__init__(message, where=where, hint=hint)
