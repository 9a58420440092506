"""The one exception tree of rasid.

Every error a user can provoke derives from :class:`RasidError`; its message is one line
that names the file (and line, where there is one) and the problem, so the CLI can print
it as is. Catch ``RasidError`` to handle them all.

    RasidError
    ├── InputError            bad input file or value (the user's data)
    │   ├── UnknownFormatError    header matches no known reader
    │   ├── EncodingError         bytes that cannot be decoded
    │   ├── MissingColumnError    a required column is absent
    │   ├── BadRowsError          rows that fail validation (line numbers listed)
    │   └── PathError             a path that cannot be what it is used as (folder, FIFO, too long ...)
    ├── ResourceError         the machine refused: no space, permission, read-only, I/O error
    ├── StoreError            the event store cannot be opened, locked or written
    ├── QueryError            a filter or parameter that makes no sense
    ├── GeoError              gazetteer / admin-unit data problems
    ├── ModelError            an analysis or forecast cannot be fitted
    ├── ReportError           a brief cannot be rendered
    └── FetchError            a data API cannot be reached or answers wrongly (the store is left unchanged)
        └── AuthError             a token or credentials are missing or rejected
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

__all__ = [
    "RasidError",
    "InputError",
    "UnknownFormatError",
    "EncodingError",
    "MissingColumnError",
    "BadRowsError",
    "PathError",
    "ResourceError",
    "StoreError",
    "QueryError",
    "GeoError",
    "ModelError",
    "ReportError",
    "FetchError",
    "AuthError",
    "from_os_error",
    "clean_text",
]

# control characters and bidi overrides: shown escaped so a hostile value cannot rewrite the terminal
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """One line, control characters and bidi overrides escaped (for messages that quote data)."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                       else f"\\u{ord(m.group()):04x}", text)


class RasidError(Exception):
    """Base of all rasid errors: a one-line message naming file, line and problem.

    ``exit_code`` is what the CLI exits with: 2 for bad input (the user can fix the command or the
    file), 1 for failures of the machine or the store.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 exit_code: int | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        if exit_code is not None:
            self.exit_code = exit_code
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(clean_text(f"{where}{message}"))


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


class PathError(InputError):
    """A path that cannot serve as what it is used for (missing, a folder, a FIFO, too long ...)."""


class ResourceError(RasidError):
    """The machine refused: no space left, permission denied, read-only file system, I/O error."""

    exit_code = 1


class StoreError(RasidError):
    """The event store cannot be opened, locked or written."""

    exit_code = 1


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


# errno -> (what the user reads, exit code): 2 when the path given is wrong, 1 when the machine refuses
_ERRNO = {
    errno.ENOENT: ("no such file or folder", 2),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", 2),
    errno.EISDIR: ("is a directory", 2),
    errno.ELOOP: ("symbolic link loop", 2),
    errno.ENAMETOOLONG: ("file name too long", 2),
    errno.EEXIST: ("already exists", 2),
    errno.ENXIO: ("no such device (a FIFO without a reader?)", 2),
    errno.EINVAL: ("invalid argument for this kind of file", 2),
    errno.ESPIPE: ("not seekable (a pipe or device, not a regular file)", 2),
    errno.EACCES: ("permission denied", 1),
    errno.EPERM: ("operation not permitted", 1),
    errno.ENOSPC: ("no space left on device", 1),
    errno.EDQUOT: ("disk quota exceeded", 1),
    errno.EROFS: ("read-only file system", 1),
    errno.EIO: ("input/output error", 1),
    errno.EFBIG: ("file too large", 1),
    errno.EMFILE: ("too many open files", 1),
    errno.EBUSY: ("device or resource busy", 1),
    errno.ETXTBSY: ("text file busy", 1),
    errno.EXDEV: ("cannot move across file systems", 1),
}


def from_os_error(exc: OSError, path: str | Path | None = None, *, doing: str | None = None) -> RasidError:
    """A one-line rasid error for an OS error: the path, what failed and the cause in words."""
    target = path if path is not None else (exc.filename if exc.filename not in (None, "") else None)
    why, code = _ERRNO.get(exc.errno or -1, ((exc.strerror or type(exc).__name__).lower(), 1))
    if exc.errno == errno.ENOENT and target is not None and os.path.islink(target):
        why = f"broken symbolic link (to {os.readlink(target)})"
    msg = f"{doing}: {why}" if doing else why
    cls = PathError if code == 2 else ResourceError
    return cls(msg, path=target, exit_code=code)
