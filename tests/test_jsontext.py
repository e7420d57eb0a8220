"""Indented JSON through orjson: the bytes json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
import random

from mtreview.jsontext import dumps_indented


def stdlib(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "surrogatepass")


def test_strings_of_every_kind_are_written_as_the_standard_library_writes_them():
    rng = random.Random(7)
    chars = [chr(i) for i in range(0x80)] + ["\u2028", "\u2029", "é", "🇫🇷", "\ufeff", "\x85", "\ud800"]
    for _ in range(3000):
        s = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 12)))
        data = {"s": [s, 1, {"k": s}], "empty": {}, "none": [], "n": None, "t": True, "i": -3}
        assert dumps_indented(data) == stdlib(data), repr(s)


def test_floats_and_what_orjson_refuses_are_written_as_the_standard_library_writes_them():
    floats = [0.0, -0.0, 0.1, 45.25, 100.0, 1e-4, 1e-5, 3.5e-5, 1.5e-7, 1e-10, 5e-324, 1e16, 1.2e20, 1.7976931348623157e308]
    for x in floats:
        assert dumps_indented({"x": [x]}) == stdlib({"x": [x]}), x
    for data in ({"big": 2**70}, {1: "non-string key"}, ["\ud800 lone surrogate"], {"tuple": (1, 2)}):
        assert dumps_indented(data) == stdlib(data)
