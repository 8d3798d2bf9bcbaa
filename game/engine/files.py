"""Writing the player's files so that no crash, full disk or odd path loses or clobbers anything.

- `atomic_write`: a temporary file in the same folder, synced, then renamed over the target, so a
  reader sees the old file or the new one, never half of either. It writes regular files only: a
  FIFO, a device or a folder at the target is refused, not renamed over.
- Temporary files carry the writer's process id; `sweep_temporaries` removes those left by a
  process that was killed mid-write.
- `set_aside` moves a damaged file into a `quarantine/` folder beside it: nothing is deleted.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 3600.0
"""A temporary file this old is stale even if a process with its writer's id is running."""


def check_regular(path: Path) -> None:
    """Raise OSError unless `path` is absent or a regular file (a link to one is fine)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file (refusing to replace it)", str(path))


def _temporary(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def write_temporary(path: Path, data: bytes) -> str:
    """Write `data` to a synced temporary file beside `path` and return its name; OSError on failure
    (the temporary file is then gone)."""
    check_regular(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def copy_temporary(path: Path, source: Path) -> str:
    """A temporary twin of `source` beside `path`: a hard link when the file system allows (no space
    needed), else a copy. OSError on failure."""
    fd, tmp = _temporary(path)
    os.close(fd)
    try:
        os.unlink(tmp)
        try:
            os.link(source, tmp)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
            return write_temporary(path, source.read_bytes())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def sync_folder(folder: Path) -> None:
    """Make renames in `folder` durable; silently skipped where folders cannot be opened."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - some platforms cannot open folders
        return
    try:
        os.fsync(dir_fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(dir_fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once (see the module docstring). Raises OSError."""
    tmp = write_temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is someone else's
        return True
    return True


def sweep_temporaries(folder: Path) -> int:
    """Remove temporary files left in `folder` by writers that died; returns how many went."""
    removed = 0
    try:
        entries = list(folder.glob(".*.tmp"))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        parts = entry.name[:-4].rsplit(".", 2)
        pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
        try:
            stale = now - entry.stat().st_mtime > STALE_SECONDS
            if pid == os.getpid() and not stale:
                continue
            if stale or pid is None or not _alive(pid):
                entry.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def set_aside(path: Path, folder: Path) -> str | None:
    """Move a bad file into `folder` under a new, unused name; None if it cannot be moved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}{path.suffix}"
        n = 1
        while target.exists():
            target = target.with_name(f"{target.stem}-{n}{target.suffix}")
            n += 1
        os.replace(path, target)
    except OSError:
        return None
    return str(target)


__all__ = ["atomic_write", "check_regular", "copy_temporary", "set_aside", "sweep_temporaries", "sync_folder", "write_temporary"]
