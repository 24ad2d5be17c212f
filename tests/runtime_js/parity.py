"""Play the same API call sequence through Python's ``CMIRuntime`` and the JavaScript
``ScormRuntime`` (``static/js/scorm-runtime.js``, via ``harness.js``) and compare everything.

A case is a JSON-ready dict: ``version``, ``state``, ``options`` (``policy``, ``data_maps``,
``nav_validity`` as ``{"request|target": value}``, ``commit_fails``) and ``calls``
(``["set_value", name, value]``, ``["get_last_error"]`` ...). Both sides answer
``{"results": [[returned, last error], ...], "values", "counts", "changes", "relaxations"}``.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from scorm_player.datamodel import CMIRuntime, DataMap, export_json

HARNESS = Path(__file__).with_name("harness.js")
DIAGNOSTIC_LIMIT = 255

Case = dict[str, Any]
Call = list[Any]


def case(version: str, calls: Iterable[Call], *, state: dict[str, str] | None = None,
         started: bool = True, **options: Any) -> Case:
    """A case; ``started`` puts ``Initialize("")`` first."""
    prefix: list[Call] = [["initialize", ""]] if started else []
    return {"version": version, "state": state or {}, "options": options,
            "calls": prefix + [list(call) for call in calls]}


def get(name: str) -> Call:
    return ["get_value", name]


def put(name: str, value: str) -> Call:
    return ["set_value", name, value]


# --- the JavaScript side -------------------------------------------------------------------


class NodeLines:
    """One node process answering JSON jobs line by line (node starts once per test module):
    ``node SCRIPT ARGS...``, one job a line on stdin, one answer a line on stdout."""

    def __init__(self, script: Path, *args: str) -> None:
        self._process = subprocess.Popen(
            ["node", str(script), *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        assert line, "the node harness stopped"
        answer = json.loads(line)
        assert "crash" not in answer, answer["crash"]
        return answer

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=10)


class JsHarness(NodeLines):
    """``harness.js``: cases played through ``ScormRuntime``."""

    def __init__(self, workdir: Path) -> None:
        definitions = workdir / "definitions.json"
        definitions.write_text(
            json.dumps({version: export_json(version) for version in ("1.2", "2004")}),
            encoding="utf-8",
        )
        super().__init__(HARNESS, str(definitions))


# --- the Python side -----------------------------------------------------------------------


def _nav_validity(table: dict[str, str] | None):
    if table is None:
        return None
    return lambda request, target: table.get(request if target is None else f"{request}|{target}")


def python_runtime(job: Case) -> CMIRuntime:
    options = job.get("options", {})
    return CMIRuntime(
        job["version"], job.get("state") or {},
        policy=options.get("policy"),
        data_maps=[DataMap(**m) for m in options.get("data_maps") or []],
        nav_validity=_nav_validity(options.get("nav_validity")),
        on_commit=(lambda changes: False) if options.get("commit_fails") else None,
    )


def run_python(job: Case) -> dict[str, Any]:
    runtime = python_runtime(job)
    results = []
    for method, *args in job["calls"]:
        if method == "apply_changes":
            errors = runtime.apply_changes([tuple(pair) for pair in args[0]])
            returned: Any = [[e.element, e.value, e.code, e.condition] for e in errors]
        else:
            returned = getattr(runtime, method)(*args)
        results.append([returned, runtime.get_last_error()])
    return {
        "results": results,
        "values": runtime.values,
        "counts": dict(runtime._store.counts),  # noqa: SLF001 - compared with the JS counts
        "changes": runtime.take_changes(),
        "relaxations": [
            [r.element, r.length, r.limit, r.action, r.policy] for r in runtime.relaxations
        ],
    }


# --- comparing -----------------------------------------------------------------------------


def _comparable(call: Call, result: list[Any]) -> list[Any]:
    """Both sides' result in one shape: change lists as dicts, diagnostics of the last error
    (free text, Python repr in it) reduced to their contract: 1 to 255 characters."""
    returned, code = result
    if call[0] == "take_changes":
        returned = dict(returned)
    if call[0] == "get_diagnostic" and call[1] in ("", code):
        assert 0 < len(returned) <= DIAGNOSTIC_LIMIT, returned
        returned = "<diagnostic of the last error>"
    return [returned, code]


def all_changes(job: Case, answer: dict[str, Any]) -> list[list[str]]:
    """Every [path, value] the JS runtime reported, in order (mid-run takes first)."""
    taken = [r[0] for call, r in zip(job["calls"], answer["results"]) if call[0] == "take_changes"]
    return [pair for changes in taken for pair in changes] + answer["changes"]


def assert_parity(js: JsHarness, job: Case) -> dict[str, Any]:
    """Run ``job`` on both runtimes; assert identical answers and states; return the JS one.

    Also replays the JS change list through ``CMIRuntime.apply_changes`` from the launch
    state, as the server does, and checks it reaches the same values.
    """
    mine, theirs = js.run(job), run_python(job)
    for number, call in enumerate(job["calls"]):
        got = _comparable(call, mine["results"][number])
        want = _comparable(call, theirs["results"][number])
        assert got == want, f"call {number} {_short(call)}: JS {_short(got)} != Python {_short(want)}"
    assert list(mine["values"].items()) == list(theirs["values"].items())
    assert mine["counts"] == theirs["counts"]
    assert dict(mine["changes"]) == theirs["changes"]
    assert mine["relaxations"] == theirs["relaxations"]
    assert mine["load_errors"] == []
    if not any(call[0] == "apply_changes" for call in job["calls"]):
        _assert_replay(job, all_changes(job, mine), theirs["values"])
    return mine


def _assert_replay(job: Case, changes: list[list[str]], values: dict[str, str]) -> None:
    server = python_runtime({**job, "options": {**job.get("options", {}), "commit_fails": False}})
    assert server.apply_changes([tuple(pair) for pair in changes]) == []
    assert server.values == values


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 160 else f"{text[:150]}...({len(text)} chars)"


def results(answer: dict[str, Any]) -> list[list[Any]]:
    return answer["results"]


def steps_to_calls(steps: Sequence[Any]) -> list[Call]:
    """tests/datamodel/steps.py ``Step`` objects as calls."""
    return [[step.call, *step.args] for step in steps]
