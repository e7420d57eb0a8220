"""``mtreview init``: a commented starter config and, on request, the pre-commit entry."""

from __future__ import annotations

from pathlib import Path

from mtreview.errors import MtreviewError
from mtreview.hook import HOOK_ENTRY

# The pre-commit framework's file types of the files mtreview reads (mtreview.loaders), the
# same in .pre-commit-hooks.yaml (a test holds them equal).
HOOK_TYPES = "[markdown, plain-text, html]"

PRE_COMMIT_CONFIG = f"""\
# pre-commit (https://pre-commit.com): `pip install pre-commit && pre-commit install`
repos:
  - repo: local
    hooks:
      - id: mtreview
        name: mtreview (machine-translation review)
        entry: {HOOK_ENTRY}
        language: system  # the mtreview installed in this environment
        types_or: {HOOK_TYPES}
        require_serial: true
"""


def write_starter(folder: Path, pre_commit: bool, force: bool) -> list[Path]:
    """Write ``.mtreview.toml`` (and ``.pre-commit-config.yaml``) in ``folder``; the files
    written. An existing file is left alone unless ``force``: a one-line error says so."""
    from mtreview.config import starter
    from mtreview.fileio import write_atomic

    if not folder.is_dir():
        raise MtreviewError(f"{folder}: no such folder; run `mtreview init` in the project's root")
    targets = [(folder / ".mtreview.toml", starter())]
    if pre_commit:
        path = folder / ".pre-commit-config.yaml"
        if path.is_file() and not force:
            if "mtreview" in path.read_text(encoding="utf-8", errors="replace"):
                raise MtreviewError(f"{path}: already has an mtreview hook; nothing to do")
            raise MtreviewError(f"{path}: exists; add this under `repos:` yourself, or pass --force to replace it:"
                                f" - repo: local, hooks: [{{id: mtreview, entry: {HOOK_ENTRY}, language: system}}]")
        targets.append((path, PRE_COMMIT_CONFIG))
    existing = [p for p, _ in targets[:1] if p.exists()]
    if existing and not force:
        raise MtreviewError(f"{existing[0]}: exists; edit it, or pass --force to replace it with the starter")
    for path, text in targets:
        write_atomic(path, text)
    return [p for p, _ in targets]
