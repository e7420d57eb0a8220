"""Read one YAML rule pack safely, with the line of every mapping and no duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from mtreview.errors import MtreviewError

if TYPE_CHECKING:  # the C loader has the same API; mypy needs a class it can name as the base
    _Loader = yaml.SafeLoader
else:
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Loader):
    """A safe loader that remembers the line of each mapping and refuses duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.lines: dict[int, int] = {}


def _construct_mapping(loader: _LineLoader, node):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a plain value, not a {type(key).__name__}", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    loader.lines[id(mapping)] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> tuple[object, dict[int, int]]:
    from mtreview.inputfile import RULE_PACK
    from mtreview.inputs import read_text

    text = read_text(path, "rule pack", RULE_PACK)  # special files, size limit, UTF-8: one-line errors
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise MtreviewError(f"{where}: malformed YAML: {problem}; fix the pack file") from None
    finally:
        loader.dispose()
    return data, loader.lines
