"""Writing files under hostile conditions (mtreview/fileio.py and its callers: `check --output`,
the default review page, `fix --write`, `fix --docx`, `init`, standard output): symlinks are
followed to the file they name, anything but a regular file and read-only files are refused
with one line (exit 2, nothing written), mode, owner and hard links are kept, a killed write
leaves no temporary file, default report names never collide, review pages are not articles."""

from __future__ import annotations

import os
import select
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from mtreview import fileio
from mtreview.errors import MtreviewError

TEXT = "Talks resume with the in order to settle it.\n"
FIXED = "Talks resume in order to settle it.\n"
ES = ("--source-lang", "es", "--no-grammar")  # no note on stderr about the guessed language, no grammar
FIX = ("--source-lang", "es")


def one_line_error(result, *needles) -> str:
    """The run failed with exit 2 and said why in one line (no traceback); that line."""
    assert result.code == 2, result.output
    assert "Traceback" not in result.output, result.output
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtreview: error: "), result.err
    for needle in needles:
        assert str(needle) in lines[0], lines[0]
    return lines[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def null_device(path: Path) -> Path:
    """A character device like /dev/null (1, 3): what `--output /dev/null` would hit."""
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    return path


# -- symlinks: the file they name gets the text, the link stays ---------------------------------
def test_output_through_a_symlink_writes_its_target(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    real = write("real.json", "old\n")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    result = cli("check", article, *ES, "-f", "json", "-o", link)
    assert result.code == 1 and "Traceback" not in result.output, result.output
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert '"schema": "mtreview/1"' in real.read_text(encoding="utf-8")
    assert listing(tmp_path) == ["a.txt", "link.json", "real.json"]


def test_fix_write_through_a_symlink_fixes_the_real_file(cli, write, tmp_path):
    real = write("real/article.txt", b"\xef\xbb\xbf" + TEXT.encode())
    link = tmp_path / "article.txt"
    link.symlink_to(real)
    result = cli("fix", "--write", link, *FIX)
    assert result.code == 0 and "written" in result.err, result.output
    assert link.is_symlink() and Path(os.readlink(link)) == real
    assert real.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()  # and its BOM kept
    assert listing(real.parent) == ["article.txt"]


def test_output_to_a_dangling_symlink_creates_its_target(cli, write, tmp_path):
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "made.json")
    assert cli("check", write("a.txt", TEXT), *ES, "-f", "json", "-o", link).code == 1
    assert link.is_symlink() and (tmp_path / "made.json").read_text(encoding="utf-8").startswith("{")


def test_a_symlink_loop_is_refused(cli, write, tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to("loop.json")
    one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", loop), "loop.json", "loop of symbolic links")
    assert loop.is_symlink()


# -- not a regular file: refused, left as it is --------------------------------------------------
def test_output_to_a_device_does_not_replace_it(cli, write, tmp_path):
    device = null_device(tmp_path / "null")
    before = os.stat(device)
    one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", device), device, "character device")
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_output_through_a_symlink_to_a_device_is_refused(cli, write, tmp_path):
    device = null_device(tmp_path / "null")
    link = tmp_path / "report.txt"
    link.symlink_to(device)
    one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", link), "character device")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.parametrize("kind, said", [("pipe", "FIFO"), ("terminal", "character device")])
def test_output_to_a_proc_fd_link_of_a_pipe_or_terminal_is_refused(cli, write, kind, said):
    # what /dev/stdout is when the output is piped, or on a terminal
    read_end, write_end = os.pipe() if kind == "pipe" else os.openpty()
    try:
        one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", f"/proc/self/fd/{write_end}"), said)
        os.set_blocking(read_end, False)
        with pytest.raises(BlockingIOError):
            os.read(read_end, 1)  # nothing went into the pipe
    finally:
        os.close(read_end)
        os.close(write_end)


def test_output_to_a_fifo_is_refused_without_blocking(cli, write, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)

    def blocked(*_):
        raise TimeoutError("blocked opening the FIFO")  # a traceback in the result: the test fails, never hangs

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.alarm(120)
    try:
        result = cli("check", write("a.txt", TEXT), *ES, "-o", fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    one_line_error(result, fifo, "FIFO")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_to_a_folder_is_refused(cli, write, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", folder), "a folder")
    assert folder.is_dir() and listing(folder) == []


def test_output_to_a_socket_is_refused(cli, write, tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", path), "socket")
        assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_default_review_page_path_taken_by_a_fifo_is_refused(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    (tmp_path / "reports").mkdir()
    os.mkfifo(tmp_path / "reports" / "a.txt.html")
    one_line_error(cli("check", article, *ES, "-f", "html", cwd=tmp_path), "FIFO")
    assert stat.S_ISFIFO(os.stat(tmp_path / "reports" / "a.txt.html").st_mode)


def test_docx_to_a_device_is_refused(cli, write, tmp_path):
    device = null_device(tmp_path / "null.docx")
    article = write("a.txt", TEXT)
    result = cli("fix", article, *FIX, "--docx", device)
    assert result.err.splitlines()[-1].startswith("mtreview: error: ") and "character device" in result.err
    assert result.code == 2 and "Traceback" not in result.output
    assert stat.S_ISCHR(os.stat(device).st_mode) and article.read_text(encoding="utf-8") == TEXT


# -- read-only: refused, unchanged -------------------------------------------------------------
def test_read_only_output_is_refused(cli, write, tmp_path):
    out = write("report.txt", "keep me\n")
    out.chmod(0o444)
    line = one_line_error(cli("check", write("a.txt", TEXT), *ES, "-o", out), out, "is read-only")
    assert "chmod u+w" in line
    assert out.read_text(encoding="utf-8") == "keep me\n" and stat.S_IMODE(out.stat().st_mode) == 0o444


def test_fix_write_of_a_read_only_file_is_refused(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    article.chmod(0o444)
    result = cli("fix", "--write", article, *FIX)
    assert result.code == 2 and "Traceback" not in result.output
    assert result.err.splitlines()[-1] == f"mtreview: error: {article} is read-only (mode 0444): chmod u+w it or write elsewhere"
    assert article.read_text(encoding="utf-8") == TEXT and stat.S_IMODE(article.stat().st_mode) == 0o444


def test_a_file_in_a_read_only_folder_is_refused(cli, write, tmp_path):
    article = write("locked/a.txt", TEXT)
    folder = article.parent
    folder.chmod(0o555)
    try:
        result = cli("fix", "--write", article, *FIX)
        assert result.code == 2 and "Traceback" not in result.output
        assert "read-only" in result.err.splitlines()[-1] and str(folder) in result.err.splitlines()[-1]
        one_line_error(cli("check", write("b.txt", TEXT), *ES, "-o", folder / "new.json"), "read-only")
        assert article.read_text(encoding="utf-8") == TEXT and listing(folder) == ["a.txt"]
    finally:
        folder.chmod(0o755)


def test_init_force_on_a_read_only_config_is_refused(cli, tmp_path):
    config = tmp_path / ".mtreview.toml"
    config.write_text("# mine\n", encoding="utf-8")
    config.chmod(0o400)
    one_line_error(cli("init", tmp_path, "--force"), ".mtreview.toml", "is read-only")
    assert config.read_text(encoding="utf-8") == "# mine\n"


# -- mode, owner and hard links kept -------------------------------------------------------------
def test_fix_write_keeps_mode_and_owner(cli, write):
    article = write("a.txt", TEXT)
    os.chown(article, 1234, 5678)  # the suite runs as root: give it another owner
    article.chmod(0o640)
    assert cli("fix", "--write", article, *FIX).code == 0
    st = article.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 5678, 0o640)
    assert article.read_text(encoding="utf-8") == FIXED


def test_fix_write_keeps_hard_links(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    other = tmp_path / "other-name.txt"
    os.link(article, other)
    inode = article.stat().st_ino
    assert cli("fix", "--write", article, *FIX).code == 0
    assert article.stat().st_nlink == 2 and article.stat().st_ino == inode
    assert other.read_text(encoding="utf-8") == FIXED
    assert listing(tmp_path) == ["a.txt", "other-name.txt"]  # the in-place copy removed


def test_owner_that_cannot_be_given_is_kept_by_writing_in_place(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("old text that is longer\n", encoding="utf-8")
    os.chown(path, 1234, 5678)
    inode = path.stat().st_ino

    def not_root(*_):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fileio.os, "fchown", not_root)  # as a user who is not root
    fileio.write_atomic(path, "new\n")
    st = path.stat()
    assert (st.st_ino, st.st_uid, st.st_gid) == (inode, 1234, 5678)
    assert path.read_text(encoding="utf-8") == "new\n" and listing(tmp_path) == ["a.txt"]


# -- killed while writing: nothing left behind ---------------------------------------------------
# The child runs `mtreview fix --write` with one os function replaced: when it is called on the
# article's folder, it says so on a pipe and waits (forever); the test then kills it (SIGKILL).
CHILD = r"""
import os, signal, sys
ready, point, named = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "named"
folder = os.path.realpath(os.path.dirname(sys.argv[-1]))
if named:
    del os.O_TMPFILE  # a system without O_TMPFILE: the temporary file has a name from the start
real = getattr(os, point)
def hooked(*args, **kwargs):
    where = os.readlink(f"/proc/self/fd/{args[0]}") if isinstance(args[0], int) else os.fspath(args[-1])
    if where.startswith(folder + os.sep):
        os.write(ready, b"!")
        while True:
            signal.pause()
    return real(*args, **kwargs)
setattr(os, point, hooked)
from mtreview.cli import main
sys.argv = ["mtreview", *sys.argv[4:]]
main()
"""


def kill_during_write(article: Path, point: str, how: str = "unnamed") -> None:
    """Run `fix --write ARTICLE`, stop it at ``point`` (an os function) and SIGKILL it there."""
    read_end, write_end = os.pipe()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(write_end), point, how, "fix", "--write", *FIX, str(article)],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 120)
        got = os.read(read_end, 1) if ready else b""
        if got != b"!":
            proc.kill()
            pytest.fail(f"the child never reached {point}: {proc.communicate(timeout=60)[1].decode()}")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
        proc.stderr.close()
    finally:
        os.close(read_end)


def test_killed_while_writing_leaves_no_temp_file(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    kill_during_write(article, "fsync")  # the new text written to the (unnamed) temporary file
    assert listing(tmp_path) == ["a.txt"] and article.read_text(encoding="utf-8") == TEXT
    assert cli("fix", "--write", article, *FIX).code == 0 and article.read_text(encoding="utf-8") == FIXED


def test_a_named_temp_file_of_a_killed_write_is_removed_by_the_next(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    kill_during_write(article, "fsync", "named")
    left = [n for n in listing(tmp_path) if n != "a.txt"]
    assert len(left) == 1 and left[0].startswith(".a.txt.mtreview-") and left[0].endswith(".tmp")
    assert article.read_text(encoding="utf-8") == TEXT
    result = cli("fix", "--write", article, *FIX)
    assert result.code == 0 and article.read_text(encoding="utf-8") == FIXED
    assert listing(tmp_path) == ["a.txt"]


def test_killed_between_link_and_rename_the_next_write_cleans_up(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    kill_during_write(article, "replace")  # the temporary file has just been given its name
    assert len(listing(tmp_path)) == 2 and article.read_text(encoding="utf-8") == TEXT
    assert cli("fix", "--write", article, *FIX).code == 0
    assert listing(tmp_path) == ["a.txt"] and article.read_text(encoding="utf-8") == FIXED


def test_killed_in_place_write_leaves_the_new_text_and_the_next_write_says_so(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    os.link(article, tmp_path / "b.txt")
    kill_during_write(article, "ftruncate")  # hard-linked: rewritten in place, killed before the truncation
    (copy,) = [tmp_path / n for n in listing(tmp_path) if n.endswith(".new")]
    assert copy.read_text(encoding="utf-8") == FIXED  # the complete new text, to recover from
    damaged = article.read_bytes()
    assert damaged != FIXED.encode()  # written, not yet truncated: why the copy is kept
    line = one_line_error(cli("fix", "--write", article, *FIX), str(copy), "copy it over the file or delete it")
    assert "interrupted write" in line and article.read_bytes() == damaged
    with pytest.raises(MtreviewError, match="interrupted write"):
        fileio.write_atomic(tmp_path / "b.txt", "text")  # the other name of the same file too
    copy.unlink()  # the user decides: here, fix again from the damaged text
    assert cli("fix", "--write", article, *FIX).code == 0 and listing(tmp_path) == ["a.txt", "b.txt"]


# -- default report names ------------------------------------------------------------------------
def test_default_review_pages_are_named_after_the_whole_file_name(cli, write, tmp_path):
    for name in ("x.txt", "x.md", "x.html"):
        assert cli("check", write(name, TEXT), *ES, "-f", "html", cwd=tmp_path).code == 1
    assert listing(tmp_path / "reports") == ["x.html.html", "x.md.html", "x.txt.html"]


def test_same_names_from_two_folders_do_not_overwrite_each_other(cli, write, tmp_path):
    a, b = write("a/x.txt", TEXT), write("b/x.txt", TEXT.replace("Talks", "Talks here"))
    first = cli("check", a, *ES, "-f", "html", cwd=tmp_path)
    second = cli("check", b, *ES, "-f", "html", cwd=tmp_path)
    again = cli("check", a, *ES, "-f", "html", cwd=tmp_path)
    pages = listing(tmp_path / "reports")
    assert len(pages) == 2 and pages[1] == "x.txt.html", pages
    assert pages[0].startswith("x.txt-") and len(pages[0]) == len("x.txt-12345678.html")
    assert "reports/x.txt.html" in first.err and f"reports/{pages[0]}" in second.err and "reports/x.txt.html" in again.err
    assert "Talks here" in (tmp_path / "reports" / pages[0]).read_text(encoding="utf-8")


def test_a_file_mtreview_did_not_write_is_not_taken_as_the_default_page(cli, write, tmp_path):
    mine = write("reports/a.txt.html", "<p>my own page</p>\n")
    one_line_error(cli("check", write("a.txt", TEXT), *ES, "-f", "html", cwd=tmp_path), "reports/a.txt.html", "--output")
    assert mine.read_text(encoding="utf-8") == "<p>my own page</p>\n"


def test_review_page_line_gives_a_file_uri_and_the_counts(cli, write, tmp_path):
    result = cli("check", write("s.txt", TEXT + "the the end\n"), *ES, "-f", "html", cwd=tmp_path)
    page = tmp_path / "reports" / "s.txt.html"
    assert result.code == 1 and result.err == f"Review page: {page.as_uri()} — 2 findings (1 error, 1 warning)\n"


def test_output_dash_is_standard_output(cli, write, tmp_path):
    result = cli("check", write("a.txt", TEXT), *ES, "-f", "html", "-o", "-", cwd=tmp_path)
    assert result.code == 1 and result.out.startswith("<!DOCTYPE html>") and result.err == ""
    assert listing(tmp_path) == ["a.txt"]


# -- review pages are not articles --------------------------------------------------------------
def test_check_of_a_folder_skips_the_review_pages_it_wrote(cli, write, tmp_path):
    write("a.txt", TEXT)
    write("page.html", "<p>They met with the in order to talk.</p>\n")
    assert cli("check", tmp_path / "a.txt", *ES, "-f", "html", cwd=tmp_path).code == 1
    assert cli("check", ".", *ES, "-f", "html", "-o", "reports/all.html", cwd=tmp_path).code == 1
    result = cli("check", ".", *ES, "-f", "json", cwd=tmp_path)
    assert sorted(f["path"] for f in result.json()["files"]) == ["a.txt", "page.html"]
    one_line_error(cli("check", "reports/a.txt.html", *ES, cwd=tmp_path), "a review page mtreview wrote")


# -- standard output that cannot be written ---------------------------------------------------------
def _run(args, **kwargs) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "mtreview", *map(str, args)], stderr=subprocess.PIPE, env=env,
                          timeout=120, **kwargs)
    return proc.returncode, proc.stderr.decode("utf-8")


@pytest.mark.parametrize("args", [("check", *ES), ("check", *ES, "-f", "json"), ("fix", *FIX)], ids=["text", "json", "fix"])
def test_standard_output_closed(write, args):
    article = write("a.txt", TEXT)
    code, err = _run([*args, article], preexec_fn=lambda: os.close(1))
    assert code == 2 and "Traceback" not in err, err
    assert err.splitlines()[-1] == "mtreview: error: standard output is closed; redirect it to a file, " \
                                   "or pass --output FILE where there is one"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [("check", *ES), ("check", *ES, "-f", "json"), ("fix", *FIX)], ids=["text", "json", "fix"])
def test_standard_output_on_a_full_disk(write, args):
    article = write("a.txt", TEXT)
    with open("/dev/full", "wb") as full:
        code, err = _run([*args, article], stdout=full)
    assert code == 2 and "Traceback" not in err and "Exception ignored" not in err, err
    assert err.splitlines()[-1] == "mtreview: error: standard output: cannot write: No space left on device; " \
                                   "redirect it elsewhere"


# -- fix's diff headers ------------------------------------------------------------------------------
def test_diff_headers_of_absolute_paths_have_no_doubled_slash(cli, write, tmp_path):
    article = write("a.txt", TEXT)
    outside = cli("fix", article, *FIX)
    assert outside.out.startswith(f"--- a/{str(article)[1:]}\n+++ b/{str(article)[1:]}\n") and "//" not in outside.out
    inside = cli("fix", article, *FIX, cwd=tmp_path)
    assert inside.out.startswith("--- a/a.txt\n+++ b/a.txt\n")


def test_write_atomic_error_is_one_line_for_a_file_as_folder(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(MtreviewError, match="not a folder"):
        fileio.write_atomic(tmp_path / "file" / "sub" / "out.json", "{}")
    assert listing(tmp_path) == ["file"]
