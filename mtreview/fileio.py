"""Writing files safely: the file a path names (symlinks followed to it), atomically, with its
mode, owner and hard links kept; anything but a regular file, or a read-only one, refused; and
standard output with a one-line error when it cannot be written.

How a file is written (``write_atomic``):

- A new file, or a file with one link: the text goes to an unnamed temporary file in the same
  folder (Linux ``O_TMPFILE``), which is fsynced, given the original's mode and owner, linked
  in as ``.NAME.mtreview-PID-XXXX.tmp`` and renamed over the file. A killed write leaves
  nothing (the unnamed file vanishes with the process); where ``O_TMPFILE`` is missing the
  temporary file is named from the start, and a later write of the same file removes one
  whose process has ended.
- A file with several hard links (or one whose owner cannot be given to a new file, when not
  running as root): renaming would split the links (or change the owner), so the file is
  rewritten in place. The new text is first written and fsynced to
  ``.NAME.mtreview-PID-XXXX.new`` beside it, then copied into the file (write, truncate,
  fsync), then the copy is removed. A write killed during the copy leaves that file holding
  the complete new text; the next write of the file refuses until it is copied over the file
  or deleted.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from mtreview.errors import MtreviewError

TEMP_MARK = ".mtreview-"  # in every temporary file's name: .NAME.mtreview-PID-XXXX.tmp / .new
_NAME_KEPT = 200  # characters of the file's name in a temporary file's name (NAME_MAX is 255)

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


def write_atomic(path: Path, text: str | bytes, original: Path | None = None) -> None:
    """Write UTF-8 text (or bytes as they are) to the file ``path`` names; keep the original's
    BOM (``original``: the file the text was read from), mode, owner and hard links. A symlink
    stays a symlink: its target gets the text. Refused with a one-line error: a target that is
    not a regular file, a read-only file or folder, a leftover of an interrupted write."""
    path = Path(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if original is not None:
        try:
            with open(original, "rb") as fh:
                if fh.read(3) == b"\xef\xbb\xbf":
                    data = b"\xef\xbb\xbf" + data
        except OSError:
            pass
    target, st = _target(path)
    try:
        _prepare_folder(path, target.parent)
        _clear_leftovers(path, target)
        if st is None:
            _replace(target, data, None)
        elif st.st_nlink > 1 or not _replace(target, data, st):
            _in_place(target, data, st)
    except OSError as exc:
        raise MtreviewError(f"{_shown(path, target)}: cannot write: {exc.strerror or exc}") from None


def refuse_interrupted(path: Path) -> None:
    """Refuse (one line) a file an interrupted in-place write may have left incomplete: its
    ``.NAME.mtreview-PID-XXXX.new`` copy is still there, its process gone (the temporary files
    of killed writes of it are removed)."""
    target = Path(os.path.realpath(path))
    _clear_leftovers(path, target)


def _shown(path: Path, target: Path) -> str:
    """``path`` as the user named it, with the file it leads to when that is another."""
    return str(path) if os.path.abspath(path) == str(target) else f"{path} (→ {target})"


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file ``path`` names (symlinks followed) and its status (None: it does not exist
    yet); anything but a writable regular file is refused."""
    try:
        st: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # new (a folder of its path not one: said when creating it)
        st = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MtreviewError(f"{path}: a loop of symbolic links; point it at a file") from None
        raise MtreviewError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if st is not None:
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise MtreviewError(f"{path}: {kind}, not a regular file; write to a regular file instead")
    target = Path(os.path.realpath(path))
    if st is not None and (not st.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise MtreviewError(f"{_shown(path, target)} is read-only (mode {st.st_mode & 0o7777:04o}): "
                            "chmod u+w it or write elsewhere")
    return target, st


def _prepare_folder(path: Path, folder: Path) -> None:
    """Create the file's folder when missing; refuse a read-only one (checked by its mode bits
    too: root would write anyway)."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise MtreviewError(f"{path}: {existing} is not a folder; write elsewhere")
    mode = existing.stat().st_mode
    if not mode & 0o222 or not os.access(existing, os.W_OK | os.X_OK):
        raise MtreviewError(f"{path}: its folder {existing} is read-only (mode {mode & 0o7777:04o}): "
                            "chmod u+w it or write elsewhere")
    folder.mkdir(parents=True, exist_ok=True)


def _temp_prefix(target: Path) -> str:
    return f".{target.name[:_NAME_KEPT]}{TEMP_MARK}"


def _clear_leftovers(path: Path, target: Path) -> None:
    """Remove the temporary files of earlier writes of ``target`` whose process has ended; a
    leftover in-place copy (the new text of an interrupted in-place write) of it, or of another
    name of the same file in its folder (a hard link), is refused."""
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(".") and TEMP_MARK in n]
    except OSError:
        return
    mine = target.name[:_NAME_KEPT]
    for name in names:
        original, _, rest = name[1:].rpartition(TEMP_MARK)
        pid, _, tail = rest.partition("-")
        if not pid.isdigit() or tail.count(".") != 1 or not tail.endswith((".tmp", ".new")) or _alive(int(pid)):
            continue
        leftover = target.parent / name
        if original == mine and tail.endswith(".tmp"):
            leftover.unlink(missing_ok=True)
        elif tail.endswith(".new") and (original == mine or _same_file(target.parent / original, target)):
            raise MtreviewError(f"{_shown(path, target)}: an interrupted write left {leftover} (the complete new text "
                                f"of {original}); copy it over the file or delete it, then run again")


def _same_file(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _temp_name(target: Path, suffix: str) -> Path:
    return target.parent / f"{_temp_prefix(target)}{os.getpid()}-{os.urandom(4).hex()}{suffix}"


def _new_mode(st: os.stat_result | None) -> int:
    """The original's mode, or what open() gives a new file."""
    if st is not None:
        return st.st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _replace(target: Path, data: bytes, st: os.stat_result | None) -> bool:
    """Write a temporary file with the data, the original's owner and mode, and rename it over
    ``target``; False (nothing written) when the owner cannot be kept."""
    folder = target.parent
    fd, named = _open_temp(target)
    try:
        try:
            _write_all(fd, data)
            if st is not None and (st.st_uid, st.st_gid) != (os.fstat(fd).st_uid, os.fstat(fd).st_gid):
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except PermissionError:
                    return False  # not root: rewrite in place, which keeps the owner
            os.fchmod(fd, _new_mode(st))  # after fchown, which may clear set-user-ID bits
            os.fsync(fd)
            if named is None:
                named = _temp_name(target, ".tmp")
                _link_unnamed(fd, named)
        finally:
            os.close(fd)
        os.replace(named, target)
        named = None
    finally:
        if named is not None:
            Path(named).unlink(missing_ok=True)
    _sync_folder(folder)
    return True


def _open_temp(target: Path) -> tuple[int, Path | None]:
    """A file descriptor open for writing in ``target``'s folder: unnamed where the system can
    (``O_TMPFILE``; the name None), else a new named temporary file (and its name)."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if tmpfile and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(target.parent, tmpfile | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    while True:
        named = _temp_name(target, ".tmp")
        try:
            return os.open(named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), named
        except FileExistsError:
            continue


def _link_unnamed(fd: int, name: Path) -> None:
    """Give the unnamed file open on ``fd`` the name ``name`` (linkat with AT_SYMLINK_FOLLOW of
    /proc/self/fd/FD: a directory descriptor makes Python call linkat, not link, which would
    link the /proc entry itself)."""
    procfd = os.open("/proc/self/fd", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(str(fd), name, src_dir_fd=procfd, follow_symlinks=True)
    finally:
        os.close(procfd)


def _in_place(target: Path, data: bytes, st: os.stat_result) -> None:
    """Rewrite ``target`` itself (its inode: hard links, owner and mode stay), after a copy of
    the new text is safely beside it; the copy is removed once the file is complete."""
    copy = _temp_name(target, ".new")
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _sync_folder(target.parent)
        fd = os.open(target, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
            copy.unlink(missing_ok=True)
            raise MtreviewError(f"{target}: replaced by another file while mtreview wrote it; run again")
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    except OSError as exc:
        raise MtreviewError(f"{target}: cannot write: {exc.strerror or exc}; the file may be incomplete: "
                            f"{copy} holds the complete new text, copy it over the file") from None
    finally:
        os.close(fd)
    copy.unlink()
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_stdout(data: str | bytes) -> None:
    """Write to standard output and flush (bytes: as they are). A closed standard output, a full
    disk or any other failure is a one-line error (the unwritten rest is discarded, so the
    interpreter's last flush does not fail again); a reader that went away (a broken pipe) is
    raised as it is."""
    stream = sys.stdout
    if stream is None:
        raise MtreviewError("standard output is closed; redirect it to a file, or pass --output FILE where there is one")
    try:
        if isinstance(data, bytes):
            if hasattr(stream, "buffer"):
                stream.flush()
                stream.buffer.write(data)
                stream.buffer.flush()
                return
            data = data.decode("utf-8", "surrogatepass")
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        _discard(stream)
        raise
    except (OSError, ValueError) as exc:  # ValueError: the stream was closed
        _discard(stream)
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MtreviewError(f"standard output: cannot write: {reason}; redirect it elsewhere") from None


def _discard(stream) -> None:
    """Point the stream's file descriptor at the null device: what is left in its buffer goes
    nowhere, and the interpreter's flush at exit succeeds."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)
