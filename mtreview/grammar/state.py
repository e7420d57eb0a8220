"""Where the managed LanguageTool server is recorded, and whether it is still running: all
``mtreview check`` needs to find it (cheap to import; mtreview.grammar.server does the rest)."""

from __future__ import annotations

import json
import os
from pathlib import Path

URL_VARIABLE = "MTREVIEW_LANGUAGETOOL_URL"
STATE_NAME = "server.json"
MAIN_CLASS = "org.languagetool.server.HTTPServer"


def root() -> Path:
    """``<cache>/languagetool``: mtreview's cache folder, also when caching is off."""
    from mtreview.diskcache import cache_root

    return cache_root() / "languagetool"


def state_path() -> Path:
    return root() / STATE_NAME


def _is_languagetool(pid: int) -> bool:
    """A live (not zombie) process that is LanguageTool's HTTP server."""
    if pid <= 0:
        return False
    proc = Path("/proc") / str(pid)
    if proc.is_dir():
        try:
            stat = (proc / "stat").read_text()
            if stat[stat.rindex(")") + 2:].startswith(("Z", "X")):
                return False
            return MAIN_CLASS.encode() in (proc / "cmdline").read_bytes()
        except (OSError, ValueError):
            return False
    try:  # no /proc: a live pid is the best we know
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_state() -> dict | None:
    try:
        state = json.loads(state_path().read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("pid"), int) and isinstance(state.get("url"), str):
            return state
    except (OSError, ValueError):
        pass
    return None


def server_url() -> str | None:
    """``MTREVIEW_LANGUAGETOOL_URL``, else the URL of the server ``start`` recorded, if its
    process is still alive (no request is made: this is cheap)."""
    override = os.environ.get(URL_VARIABLE)
    if override:
        return override
    state = _read_state()
    if state is not None and _is_languagetool(state["pid"]):
        return state["url"]
    return None
