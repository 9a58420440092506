"""The one exception tree of rasid.

Every error a user can provoke derives from :class:`RasidError`; its message is one line
that names the file (and line, where there is one) and the problem, so the CLI can print
it as is. Catch ``RasidError`` to handle them all.

    RasidError
    ├── InputError            bad input file or value (the user's data)
    │   ├── UnknownFormatError    header matches no known reader
    │   ├── EncodingError         bytes that cannot be decoded
    │   ├── MissingColumnError    a required column is absent
    │   └── BadRowsError          rows that fail validation (line numbers listed)
    ├── StoreError            the event store cannot be opened, locked or written
    ├── QueryError            a filter or parameter that makes no sense
    ├── GeoError              gazetteer / admin-unit data problems
    ├── ModelError            an analysis or forecast cannot be fitted
    ├── ReportError           a brief cannot be rendered
    └── FetchError            a data API cannot be reached or answers wrongly (the store is left unchanged)
        └── AuthError             a token or credentials are missing or rejected
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "RasidError",
    "InputError",
    "UnknownFormatError",
    "EncodingError",
    "MissingColumnError",
    "BadRowsError",
    "StoreError",
    "QueryError",
    "GeoError",
    "ModelError",
    "ReportError",
    "FetchError",
    "AuthError",
]


class RasidError(Exception):
    """Base of all rasid errors: a one-line message naming file, line and problem."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}".replace("\n", " "))


class InputError(RasidError):
    """Bad input file or value supplied by the user."""


class UnknownFormatError(InputError):
    """The file's header matches none of the known readers."""


class EncodingError(InputError):
    """The file's bytes cannot be decoded as text."""


class MissingColumnError(InputError):
    """A column the reader needs is absent."""


class BadRowsError(InputError):
    """Some rows fail validation; ``problems`` lists (line, reason) of the first ones."""

    def __init__(self, message: str, *, path: str | Path | None = None,
                 problems: list[tuple[int, str]] | None = None) -> None:
        self.problems = problems or []
        first = self.problems[0][0] if self.problems else None
        super().__init__(message, path=path, line=first)


class StoreError(RasidError):
    """The event store cannot be opened, locked or written."""


class QueryError(RasidError):
    """A filter or parameter that makes no sense (unknown unit, bad window...)."""


class GeoError(RasidError):
    """Gazetteer or admin-unit data cannot be loaded or used."""


class ModelError(RasidError):
    """An analysis, explanation or forecast model cannot be fitted."""


class ReportError(RasidError):
    """A brief cannot be rendered."""


class FetchError(RasidError):
    """A data API cannot be reached, gives up after retries or answers something that is not data.

    ``status`` is the HTTP status when there was one. Fetching never writes a partial result to the store.
    """

    def __init__(self, message: str, *, path: str | Path | None = None, status: int | None = None) -> None:
        self.status = status
        super().__init__(message, path=path)


class AuthError(FetchError):
    """A token or credentials are missing or rejected; the message names the variable to set."""
