"""Shared CLI helpers: errors as one line with the right exit code, atomic output files and folders."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import duckdb
import pytest

from rasid.commands._common import as_rasid_error, atomic_path, output_dir
from rasid.errors import PathError, RasidError, ResourceError, StoreError, from_os_error


@pytest.mark.parametrize(
    ("exc", "cls", "code", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/data/x.csv"), ResourceError, 1,
         "/data/x.csv: no space left on device"),
        (PermissionError(errno.EACCES, "Permission denied", "/root/x"), ResourceError, 1, "permission denied"),
        (OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300), PathError, 2, "file name too long"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "."), PathError, 2, ".: is a directory"),
        (duckdb.IOException("IO Error: Could not write file \"s.duckdb.wal\": No space left on device"),
         ResourceError, 1, "no space left on device"),
        (duckdb.IOException("IO Error: Could not set lock on file \"s.duckdb\": Conflicting lock is held"),
         StoreError, 1, "locked by another process"),
        (MemoryError(), ResourceError, 1, "out of memory"),
        (ZeroDivisionError("division by zero"), RasidError, 1, "internal error (ZeroDivisionError"),
    ],
)
def test_errors_become_one_line_with_an_exit_code(exc, cls, code, words) -> None:
    err = as_rasid_error(exc)
    assert isinstance(err, cls) and err.exit_code == code and words in str(err) and "\n" not in str(err)


def test_broken_symlink_is_named(tmp_path: Path) -> None:
    link = tmp_path / "gone.csv"
    link.symlink_to(tmp_path / "target.csv")
    try:
        os.stat(link)
    except OSError as exc:
        assert "broken symbolic link" in str(from_os_error(exc, link))


def test_atomic_path_writes_devices_in_place() -> None:
    with atomic_path(Path("/dev/null")) as p:
        p.write_text("discarded")


def test_atomic_path_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    out.write_text("previous")
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("bug while writing")
    assert out.read_text() == "previous" and os.listdir(tmp_path) == ["e.csv"]


def test_output_dir_moves_nested_files_and_maps_paths(tmp_path: Path) -> None:
    with output_dir(tmp_path / "brief") as staged:
        (staged.path / "img").mkdir()
        (staged.path / "img" / "a.png").write_bytes(b"png")
        p = staged.path / "b.md"
        p.write_text("md")
    assert staged.final(p) == tmp_path / "brief" / "b.md" and (tmp_path / "brief" / "img" / "a.png").exists()
    assert sorted(os.listdir(tmp_path / "brief")) == ["b.md", "img"]
