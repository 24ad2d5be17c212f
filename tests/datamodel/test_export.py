"""export_json: serialisable, deterministic, complete, and its regexes mean the same in
Python and in JavaScript (checked with node when it is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scorm_player.datamodel import MODELS, export_json
from scorm_player.datamodel.errors import DataModelError
from scorm_player.datamodel.types import check_value
from tests.datamodel.test_responses import SAMPLES as RESPONSE_SAMPLES
from tests.datamodel.test_types import SAMPLES as TYPE_SAMPLES

VERSIONS = ["1.2", "2004"]
REGEX_KEYS = {"regex", "index_regex", "lang_prefix", "short_identifier", "real"}
EDGE_SAMPLES = [
    "", " ", "abc\n", "\nabc", "1\n", "\u0661", "\uff11", "\u00a0", "\u2028", "\u3000", "\ufeff",
    "\x1c", "\x7f", "\U0001f600", "a\U0001f600b", "\u00e9", "0", "-0", "1", "1.0", "-1.5",
    "100", "101", "65537", "PT1M", "true", "{lang=en}x", "{lang=en}", "urn:x:y", "a b",
    "2026-11-25T09:21:06.5Z", "00:10:30", "a[,]b", "a[.]b", "1[:]2", "x" * 300,
]


def _regexes(node: Any, path: str = "") -> list[tuple[str, str]]:
    """Every exported regex, with where it sits."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if isinstance(value, str) and (key in REGEX_KEYS or path.endswith("feedback")):
                found.append((here, value))
            elif isinstance(value, dict) and key == "regex":
                found.extend((f"{here}.{k}", v) for k, v in value.items())
            else:
                found.extend(_regexes(value, here))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_regexes(value, f"{path}[{index}]"))
    return found


def _samples() -> list[str]:
    values = {v for good, bad in TYPE_SAMPLES.values() for v in good + bad if len(v) < 5000}
    values |= {v for sides in RESPONSE_SAMPLES.values() for g, b in sides.values() for v in g + b
               if len(v) < 5000}
    return sorted(values | set(EDGE_SAMPLES))


def _python_verdict(regex: str, value: str) -> bool:
    if regex.endswith("$"):
        return re.fullmatch(regex, value) is not None
    return re.match(regex, value) is not None


@pytest.mark.parametrize("version", VERSIONS)
def test_export_round_trips_through_json(version: str) -> None:
    exported = export_json(version)  # type: ignore[arg-type]
    assert json.loads(json.dumps(exported)) == exported


@pytest.mark.parametrize("version", VERSIONS)
def test_export_is_deterministic(version: str) -> None:
    assert json.dumps(export_json(version)) == json.dumps(export_json(version))  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_export_has_every_element_collection_and_group(version: str) -> None:
    exported = export_json(version)  # type: ignore[arg-type]
    model = MODELS[version]  # type: ignore[index]
    assert list(exported["elements"]) == list(model.elements)
    assert list(exported["collections"]) == list(model.collections)
    assert list(exported["groups"]) == list(model.groups)
    assert set(exported) >= {"types", "responses", "errors", "policies", "check_order", "keywords"}


def test_export_element_example_2004() -> None:
    element = export_json("2004")["elements"]["cmi.objectives.n.id"]
    assert element["access"] == "RW" and element["spm"] == 4000
    assert element["unique"] and element["write_once"]
    assert export_json("2004")["elements"]["cmi.completion_status"]["evaluation"]["threshold"] == (
        "cmi.completion_threshold"
    )


def test_export_errors_and_policies() -> None:
    exported = export_json("1.2")
    assert exported["errors"]["codes"]["403"]["text"] == "Element is read only"
    assert exported["errors"]["conditions"]["VALUE_OUT_OF_RANGE"] == 405
    assert exported["policies"]["lenient"]["max_length"] == {"cmi.suspend_data": 64000}
    assert exported["policies"]["strict"]["max_length"] == {}
    assert export_json("2004")["policies"]["strict"]["over_spm"] == "truncate"


def test_export_rules_tied_to_the_version() -> None:
    # What CMIRuntime decides from the version rather than from the element table.
    v12, v2004 = export_json("1.2"), export_json("2004")
    assert v12["version_keyword"] == {"element": "cmi", "value": "3.4"}
    assert v2004["version_keyword"] == {"element": "cmi", "value": "1.0"}
    assert v12["shared_data"] is None
    assert v2004["shared_data"] == {
        "collection": "adl.data", "id": "id", "store": "store", "empty_is_unset": True,
    }
    assert (v12["format_change_erases"], v2004["format_change_erases"]) == (False, True)
    assert v12["text_types"] == [] and v2004["text_types"] == ["characterstring", "localized_string_type"]
    assert v12["decoded_uri_elements"] == [] and v2004["decoded_uri_elements"] == ["cmi.objectives.n.id"]
    shared = v2004["shared_data"]
    record = f"{shared['collection']}.n."
    assert {record + shared["id"], record + shared["store"]} <= set(v2004["elements"])


@pytest.mark.parametrize("version", VERSIONS)
def test_every_exported_regex_compiles_in_python(version: str) -> None:
    regexes = _regexes(export_json(version))  # type: ignore[arg-type]
    assert len(regexes) > 10
    for where, regex in regexes:
        assert re.compile(regex), where


def _element_verdict(version: str, pattern: str, value: str) -> str:
    """The Python verdict for an element (what the JavaScript ``check`` below must say)."""
    try:
        return "ok" if check_value(MODELS[version].rule(pattern), value) is None else "SPM"  # type: ignore[index]
    except DataModelError as error:
        return error.condition


JS_CHECK = r"""
const fs = require('fs');
const job = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
const codePoints = (s) => [...s].length;  // export_json: lengths count code points
function textLength(el, v) {
  if (el.measure === 'text') {
    const m = new RegExp(job.langPrefix).exec(v);
    if (m) return codePoints(v) - codePoints(m[0]);
  }
  return codePoints(v);
}
function check(el, v) {
  if (el.vocabulary && el.vocabulary.includes(v)) return 'ok';
  if (!el.regex || !new RegExp(el.regex).test(v)) return 'TYPE_MISMATCH';
  if (el.range && v !== '') {
    const x = parseFloat(v), [lo, hi] = el.range;
    if ((lo !== null && x < lo) || (hi !== null && x > hi)) return 'VALUE_OUT_OF_RANGE';
  }
  const n = textLength(el, v);
  if (el.max_length !== null && n > el.max_length) return 'TYPE_MISMATCH';
  if (el.spm !== null && n > el.spm) return 'SPM';
  return 'ok';
}
const regexVerdicts = job.regexes.map((r) => { const re = new RegExp(r); return job.samples.map((s) => re.test(s)); });
const elementVerdicts = job.elements.map((el) => job.samples.map((s) => check(el, s)));
process.stdout.write(JSON.stringify({ regexVerdicts, elementVerdicts }));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("version", VERSIONS)
def test_javascript_gives_the_same_verdicts_as_python(version: str, tmp_path: Path) -> None:
    exported = export_json(version)  # type: ignore[arg-type]
    regexes = [regex for _, regex in _regexes(exported)]
    samples = _samples()
    patterns = [p for p, e in exported["elements"].items() if e["format_by"] is None]
    elements = [exported["elements"][p] for p in patterns]
    job = tmp_path / "job.json"
    job.write_text(json.dumps({
        "regexes": regexes, "samples": samples, "elements": elements,
        "langPrefix": export_json("2004")["responses"]["regex"]["lang_prefix"],
    }), encoding="utf-8")
    completed = subprocess.run(
        ["node", "-e", JS_CHECK, str(job)], capture_output=True, text=True, check=True, timeout=120
    )
    verdicts = json.loads(completed.stdout)
    assert len(verdicts["regexVerdicts"]) == len(regexes) and len(samples) > 250
    for regex, row in zip(regexes, verdicts["regexVerdicts"], strict=True):
        expected = [_python_verdict(regex, s) for s in samples]
        mismatches = [s for s, a, b in zip(samples, row, expected, strict=True) if a != b]
        assert not mismatches, (regex[:80], mismatches[:5])
    for pattern, row in zip(patterns, verdicts["elementVerdicts"], strict=True):
        expected = [_element_verdict(version, pattern, s) for s in samples]
        mismatches = [(s[:30], a, b) for s, a, b in zip(samples, row, expected, strict=True) if a != b]
        assert not mismatches, (pattern, mismatches[:5])
