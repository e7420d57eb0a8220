"""Hostile input files: special files (FIFOs, devices, sockets, folders), files over the size
limits, NUL bytes anywhere, symbolic link loops and dangling links, broken config files, and
CR-only or CRLF line ends. Each bad input is one line on stderr and exit 2, never a traceback,
never a hang (the special-file cases run as subprocesses with a timeout: a hang fails them)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import QUIET, checked_findings
from mtreview import inputfile
from mtreview.errors import MtreviewError
from mtreview.textpatterns import crlf_line_ends

TEXT = "But, the government refused to comment.\n"
QUIET_TEXT = ("--no-grammar", "--no-scores")


def one_line_error(result, *needles, code: int = 2) -> str:
    """The one error line of a run that failed as it should: exit ``code``, one line on
    stderr naming each of ``needles``, no traceback anywhere."""
    assert result.code == code, result.output
    assert "Traceback" not in result.output, result.output
    assert result.err.startswith("mtreview: error: ") and result.err.count("\n") == 1, result.err
    for needle in needles:
        assert str(needle) in result.err, (needle, result.err)
    return result.err


@pytest.fixture
def article(write):
    return write("article.txt", TEXT)


@pytest.fixture
def fifo(tmp_path):
    """A named pipe no one ever writes to: opening it for reading would block for ever."""
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


# -- special files: refused before they are opened, never a hang ---------------------------------
@pytest.mark.parametrize("option", ["--reference", "--vocabulary", "--glossary", "--source", "--config"])
def test_a_fifo_given_to_an_option_is_refused_unopened(cli_process, article, fifo, option):
    result = cli_process("check", article, option, fifo, *QUIET_TEXT)
    one_line_error(result, f"{option} {fifo}: not a regular file (a named pipe)")


@pytest.mark.parametrize("option", ["--reference", "--vocabulary"])
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_given_to_an_option_is_refused(cli_process, article, option, device):
    result = cli_process("check", article, option, device, *QUIET_TEXT)
    one_line_error(result, f"{option} {device}: not a regular file (a character device); give a file")


def test_a_fifo_as_an_article_is_refused(cli_process, fifo):
    one_line_error(cli_process("check", fifo, *QUIET_TEXT), f"{fifo}: not a regular file (a named pipe)")


@pytest.mark.parametrize("which", ["hypothesis", "reference"])
@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_score_refuses_special_inputs(cli_process, article, fifo, which, special):
    bad = fifo if special == "fifo" else Path(special)
    args = (bad, "-r", article) if which == "hypothesis" else (article, "-r", bad)
    kind = "a named pipe" if special == "fifo" else "a character device"
    one_line_error(cli_process("score", *args), f"{bad}: not a regular file ({kind})")


def test_fix_decisions_refuses_a_fifo(cli_process, fifo):
    one_line_error(cli_process("fix", "--decisions", fifo), f"{fifo}: not a regular file (a named pipe)")


def test_a_socket_is_refused(cli_process, article, tmp_path):
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        one_line_error(cli_process("check", article, "--reference", path, *QUIET_TEXT), "(a socket)")


def test_a_folder_where_a_file_is_expected(cli, article, tmp_path):
    one_line_error(cli("check", article, "--vocabulary", tmp_path, *QUIET_TEXT),
                   f"--vocabulary {tmp_path}: not a regular file (a folder); give a file")


def test_a_discovered_config_that_is_a_fifo_is_said_not_awaited(cli_process, article, tmp_path):
    os.mkfifo(tmp_path / ".mtreview.toml")
    one_line_error(cli_process("check", article, *QUIET_TEXT), ".mtreview.toml: not a regular file (a named pipe)")


def test_a_fifo_among_the_packs_of_a_rule_folder_is_skipped(cli_process, article, tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    os.mkfifo(folder / "broken.yaml")
    result = cli_process("rules", "list", "--rules", folder)
    assert result.code == 0 and "Traceback" not in result.output, result.output


def test_a_pipe_handed_as_standard_input_still_works(article):
    """``--reference /dev/stdin`` read a pipe before; it still does, from the open descriptor."""
    proc = subprocess.run([sys.executable, "-m", "mtreview", "score", str(article), "-r", "/dev/stdin", "-f", "json"],
                          input=TEXT.encode(), capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert b'"bleu"' in proc.stdout.lower() or b"BLEU" in proc.stdout


def test_reading_a_pipe_of_this_process_is_bounded(tmp_path):
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"x" * 2000)
        os.close(write_end)
        write_end = -1
        small = inputfile.Kind("a test input", 1000, "make it smaller")
        with pytest.raises(MtreviewError, match=r"more than 1,000 bytes, over the 1,000 bytes limit"):
            inputfile.read_bytes(f"/dev/fd/{read_end}", "--reference", small)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


# -- size limits -----------------------------------------------------------------------------------
def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk (it is never read: its size is
    refused first)."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def test_an_article_over_the_limit_names_size_limit_and_what_to_do(cli, tmp_path):
    big = _sparse(tmp_path / "big.txt", inputfile.DOCUMENT.limit + inputfile.MB)
    one_line_error(cli("check", big, *QUIET_TEXT), f"{big}: 5 MiB, over the 4 MiB limit for a document", "split it")


@pytest.mark.parametrize(("option", "kind"), [("--vocabulary", inputfile.WORD_LIST), ("--glossary", inputfile.WORD_LIST),
                                              ("--reference", inputfile.DOCUMENT)])
def test_an_option_file_over_its_limit(cli, article, tmp_path, option, kind):
    big = _sparse(tmp_path / "big.csv", kind.limit + 1)
    one_line_error(cli("check", article, option, big, *QUIET_TEXT), f"{option} {big}:", f"limit for {kind.what}")


def test_a_config_over_its_limit(cli, article, tmp_path):
    _sparse(tmp_path / ".mtreview.toml", inputfile.CONFIG.limit + 1)
    one_line_error(cli("check", article, *QUIET_TEXT), ".mtreview.toml: 1.0 MiB, over the 1 MiB limit for a config file")


def test_a_rule_pack_over_its_limit(cli, tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    _sparse(folder / "huge.yaml", inputfile.RULE_PACK.limit + 1)
    one_line_error(cli("rules", "list", "--rules", folder), "huge.yaml: 4.0 MiB, over the 4 MiB limit for a rule pack")


def test_a_file_that_says_it_is_empty_is_still_read_with_a_bound():
    """/proc files report size 0; what is read of them is bounded all the same."""
    small = inputfile.Kind("a test input", 10, "make it smaller")
    with pytest.raises(MtreviewError, match=r"/proc/self/maps: more than 10 bytes, over the 10 bytes limit"):
        inputfile.read_bytes("/proc/self/maps", kind=small)


# -- NUL bytes anywhere ----------------------------------------------------------------------------
@pytest.mark.parametrize("offset", [5, 20_000, 200_000])
def test_a_nul_byte_anywhere_is_a_binary_file(cli, write, offset):
    data = (TEXT.encode() * (offset // len(TEXT) + 2))
    path = write("nul.txt", data[:offset] + b"\0" + data[offset:])
    one_line_error(cli("check", path, *QUIET_TEXT), f"{path}: binary file (NUL byte at offset {offset})")


@pytest.mark.parametrize("option", ["--reference", "--vocabulary"])
def test_a_late_nul_byte_in_an_option_file(cli, article, write, option):
    path = write("late-nul.txt", TEXT.encode() * 1000 + b"\0")
    one_line_error(cli("check", article, option, path, *QUIET_TEXT), f"{option} {path}: binary file (NUL byte at offset")


# -- symbolic links --------------------------------------------------------------------------------
def test_a_symlink_loop_named_directly(cli, tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    one_line_error(cli("check", loop, *QUIET_TEXT), f"{loop}: a symbolic link loop")


def test_a_dangling_symlink_named_directly(cli, tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    one_line_error(cli("check", link, *QUIET_TEXT), f"{link}: a dangling symbolic link (to {tmp_path / 'nowhere.txt'}")


@pytest.mark.parametrize("option", ["--reference", "--config", "--source", "--glossary"])
def test_a_symlink_loop_given_to_an_option(cli, article, tmp_path, option):
    loop = tmp_path / "loop.txt"
    loop.symlink_to("loop.txt")
    one_line_error(cli("check", article, option, loop, *QUIET_TEXT), f"{option} {loop}: a symbolic link loop")


def test_a_symlink_to_a_file_is_read_as_the_file(cli, article, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    result = cli("check", link, *QUIET, "--select", "calque.but-comma", "--source-lang", "es")
    assert result.code == 0 and len(result.json()["files"][0]["findings"]) == 1, result.output


# -- config files ----------------------------------------------------------------------------------
def _findings(result) -> list[dict]:
    assert result.code in (0, 1) and "Traceback" not in result.output, result.output
    return [f for file in result.json()["files"] for f in file["findings"]]


@pytest.mark.parametrize("name", [".mtreview.toml", "pyproject.toml"])
def test_a_config_with_a_byte_order_mark_is_read(cli, write, tmp_path, name):
    head = "[tool.mtreview]\n" if name == "pyproject.toml" else ""
    write(name, b"\xef\xbb\xbf" + f'{head}ignore = ["calque.but-comma"]\n'.encode())
    path = write("a.txt", TEXT)
    assert _findings(cli("check", path, *QUIET, "--source-lang", "es")) == []
    assert _findings(cli("check", path, *QUIET, "--source-lang", "es", "--config", tmp_path / name)) == []


@pytest.mark.parametrize(("content", "key", "kind"), [
    ('tool = "x"  # mtreview\n', "'tool'", "a string"),
    ('[tool]\nmtreview = "x"\n', "'tool.mtreview'", "a string"),
    ("tool.mtreview = 3\n", "'tool.mtreview'", "an integer"),
    ("tool.mtreview = [1]\n", "'tool.mtreview'", "an array"),
])
@pytest.mark.parametrize("how", ["found", "--config"])
def test_a_pyproject_whose_tool_is_not_a_table(cli, write, tmp_path, content, key, kind, how):
    pyproject = write("pyproject.toml", content)
    path = write("a.txt", TEXT)
    extra = ("--config", pyproject) if how == "--config" else ()
    one_line_error(cli("check", path, *QUIET_TEXT, *extra), f"{pyproject}: key {key} is {kind}, not a table")


def test_a_config_whose_include_leaves_out_every_file_is_an_error(cli, write, tmp_path):
    config = write(".mtreview.toml", 'include = ["docs/*"]\n')
    path = write("a.txt", TEXT)
    one_line_error(cli("check", path, *QUIET_TEXT), "nothing to check", str(path), f"{config}: include = ['docs/*']")
    one_line_error(cli("fix", path), "nothing to check")


def test_a_config_whose_exclude_leaves_out_every_file_is_an_error(cli, write, tmp_path):
    write(".mtreview.toml", 'exclude = ["*.txt"]\n')
    write("b.txt", TEXT)
    one_line_error(cli("check", tmp_path, *QUIET_TEXT), "nothing to check", "exclude = ['*.txt']")


def test_a_file_named_but_left_out_by_the_config_gets_a_note(cli, write):
    write(".mtreview.toml", 'include = ["docs/*"]\n')
    left = write("a.txt", TEXT)
    kept = write("docs/b.txt", TEXT)
    result = cli("check", left, kept, *QUIET)
    assert result.code in (0, 1) and [f["path"] for f in result.json()["files"]] == [str(kept)]
    assert f"not checked: {left} (named, but left out by the config's include/exclude)" in result.json()["summary"]["notes"]


def test_changed_only_may_find_nothing_left_to_check(cli, write):
    """The hook passes the staged files: a commit of only excluded files is not blocked."""
    write(".mtreview.toml", 'include = ["docs/*"]\n')
    path = write("a.txt", TEXT)
    result = cli("check", path, *QUIET_TEXT, "--changed-only")
    assert result.code == 0 and "Traceback" not in result.output, result.output


# -- line ends: CR-only and CRLF files give the LF file's findings ----------------------------------
def _offsets_in(text: str, newline: str):
    """Maps an offset in ``text`` (LF line ends) to the same place with ``newline`` instead."""
    return lambda offset: offset + text.count("\n", 0, offset) * (len(newline) - 1)


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_the_seed_with_other_line_ends_gives_the_same_findings(cli, write, seed_text, newline):
    lf = write("lf.txt", seed_text)
    other = write("other.txt", seed_text.replace("\n", newline))
    to = _offsets_in(seed_text, newline)
    expected = sorted((f["rule"], to(f["start"]), to(f["end"]), f["line"], f["column"], tuple(f["suggestions"]))
                      for f in checked_findings(cli, lf))
    got = sorted((f["rule"], f["start"], f["end"], f["line"], f["column"], tuple(f["suggestions"]))
                 for f in checked_findings(cli, other))  # each finding's text, line and column checked too
    assert got == expected
    rules = {e[0] for e in expected}
    assert {"calque.but-comma", "calque.es.precisely", "calque.credit-line"} <= rules


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_line_anchored_rules_on_every_line_end(cli, write, newline):
    text = newline.join(["It failed.", "But, the talks resumed on Monday.", "Precisely, the plan changed.",
                         "With Reuters, EFE and AFP", "", "More text."]) + newline
    findings = checked_findings(cli, write("t.txt", text), "--source-lang", "es")
    assert {"calque.but-comma", "calque.es.precisely", "calque.credit-line"} <= {f["rule"] for f in findings}


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_fixing_keeps_the_line_ends(cli, write, seed_text, newline):
    lf = write("lf.txt", seed_text)
    other = write("other.txt", seed_text.replace("\n", newline))
    assert cli("fix", "--write", lf, "--source-lang", "es").code == 0
    assert cli("fix", "--write", other, "--source-lang", "es").code == 0
    fixed = lf.read_bytes().decode("utf-8")
    assert fixed != seed_text
    assert other.read_bytes().decode("utf-8") == fixed.replace("\n", newline)


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"(?m)^a[ \t]*$", 0, r"(?m)^a[ \t]*(?:$|(?=\r))"),
    (r"a$", 0, r"a$"),  # not multiline: the end of the text
    (r"a$", re.MULTILINE, r"a(?:$|(?=\r))"),
    (r"(?m:^a$)|b$", 0, r"(?m:^a(?:$|(?=\r)))|b$"),
    (r"(?m)(?-m:a$)|b$", 0, r"(?m)(?-m:a$)|b(?:$|(?=\r))"),
    (r"(?m)[$]\$(?#$)$", 0, r"(?m)[$]\$(?#$)(?:$|(?=\r))"),
    (r"(?mx)a$", 0, r"(?mx)a$"),  # verbose: left alone
])
def test_a_multiline_end_also_stops_before_a_crlf(pattern, flags, expected):
    assert crlf_line_ends(pattern, flags) == expected
    assert re.compile(expected, flags)


def test_a_line_end_pattern_matches_before_crlf():
    assert re.search(r"(?m)^With AFP[ \t]*$", "With AFP \r\nNext.") is None  # Python's $: before \n only
    assert re.search(crlf_line_ends(r"(?m)^With AFP[ \t]*$"), "With AFP \r\nNext.") is not None
