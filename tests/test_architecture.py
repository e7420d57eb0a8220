"""The shape of the code base: modules import only from their own layer or the layers below
(the order in README.md, "Module map"), the config is read without the review, and findings
cannot be changed once settled."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys

import pytest

from helpers import REPO
from mtreview.model import Draft, Finding, FixSafety, Severity

# The layers, lowest first: each module may import modules of its own layer and the ones
# below, never one above. A module is placed by its longest listed prefix (a package's
# ``__init__`` is listed by the package's name when it belongs elsewhere than its modules).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("mtreview", "mtreview.errors", "mtreview.model", "mtreview.diskcache", "mtreview.textpatterns",
                    "mtreview.fileio", "mtreview.inputfile")),
    ("text and options", ("mtreview.document", "mtreview.rule", "mtreview.fixes", "mtreview.options",
                          "mtreview.suppress", "mtreview.changes", "mtreview.langdetect", "mtreview.decisions",
                          "mtreview.worddiff")),
    ("matching", ("mtreview.matching",)),
    ("reading and scoring", ("mtreview.loaders", "mtreview.inputs", "mtreview.config", "mtreview.scoring",
                             "mtreview.bilingual")),
    ("checks", ("mtreview.checks",)),
    ("rule sets", ("mtreview.ruleset",)),
    ("checking", ("mtreview.engine", "mtreview.parallel", "mtreview.settle", "mtreview.grammar.client",
                  "mtreview.grammar.state", "mtreview.grammar.server", "mtreview.grammar.transport",
                  "mtreview.grammar.matches")),
    ("runs", ("mtreview.checker", "mtreview.result", "mtreview.review", "mtreview.examples", "mtreview.fixing",
              "mtreview.baseline")),
    ("output", ("mtreview.report",)),
    ("archives", ("mtreview.batch",)),
    ("interface", ("mtreview.cli", "mtreview.usage", "mtreview.__main__", "mtreview.hook", "mtreview.init", "mtreview.grammar",
                   "mtreview.grammar.commands", "mtreview.fixarticle")),
]


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted((REPO / "mtreview").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _layer(module: str) -> int:
    best, layer = -1, None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, layer = len(prefix), index
    assert layer is not None, f"{module} is in no layer: place it in LAYERS (and in README.md's module map)"
    return layer


def _imports(tree: ast.Module, known) -> set[str]:
    """The mtreview modules a module imports, wherever the import statement is."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("mtreview"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("mtreview"))
    return out


def test_every_module_imports_only_its_own_layer_and_below():
    modules = _modules()
    upward = []
    for name, tree in modules.items():
        for imported in _imports(tree, modules):
            if _layer(imported) > _layer(name):
                upward.append(f"{name} ({LAYERS[_layer(name)][0]}) imports {imported} ({LAYERS[_layer(imported)][0]})")
    assert not upward, "\n".join(upward)


def test_the_layers_are_the_readme_module_map():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for layer, _ in LAYERS:
        assert f"**{layer}**" in readme, f"README.md's module map does not name the layer {layer!r}"


def test_reading_the_config_does_not_import_the_review():
    code = ("import sys, mtreview.config; "
            "print(sorted(m for m in sys.modules if m in ('mtreview.review', 'mtreview.checker', 'mtreview.engine')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_only_the_lifecycle_makes_findings():
    """Checks produce hits, other sources drafts; mtreview/settle.py alone makes them findings."""
    makers = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Finding":
                makers.append(f"{name}:{node.lineno}")
    assert makers and all(m.startswith("mtreview.settle:") for m in makers), makers


@pytest.mark.parametrize("cls", [Draft, Finding])
def test_findings_cannot_be_changed(cls):
    f = cls("x.y", 0, 1, "m", Severity.WARNING, "fluency/grammar", FixSafety.NONE)
    for field in dataclasses.fields(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(f, field.name, getattr(f, field.name))
    with pytest.raises(TypeError):
        f.extra["also_languagetool"] = ["lt.X"]  # type: ignore[index]
