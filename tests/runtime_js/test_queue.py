"""The commit queue and page glue of ``static/js/scorm-api.js`` (docs/runtime-protocol.md 3).

``queue_harness.js`` plays every scenario once in node against a fake tracking server, fake
localStorage, a fake ``sendBeacon`` and a virtual clock, and prints what it observed; each
test asserts one scenario.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scorm_player.datamodel import export_json

HARNESS = Path(__file__).with_name("queue_harness.js")


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    definitions = tmp_path_factory.mktemp("queue") / "definitions.json"
    definitions.write_text(json.dumps({v: export_json(v) for v in ("1.2", "2004")}), encoding="utf-8")
    done = subprocess.run(
        ["node", str(HARNESS), str(definitions)], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(done.stdout)


@pytest.fixture
def scenario(request: pytest.FixtureRequest, scenarios: dict[str, Any]) -> dict[str, Any]:
    name = request.node.name.removeprefix("test_")
    result = scenarios[name]
    assert "crash" not in result, result.get("crash")
    return result


def test_seq_order(scenario: dict[str, Any]) -> None:
    assert scenario["sent"] == [1, 2, 3] and scenario["applied"] == [1, 2, 3]
    assert scenario["statuses"][-1] == "saved"
    assert scenario["stored"] == [] and scenario["pending"] == 0


def test_idempotent_resend(scenario: dict[str, Any]) -> None:
    # The server applied seq 1 but its answer was lost: the batch stayed, was sent again and
    # acknowledged without being applied twice.
    assert scenario["afterLoss"] == {"pending": [1], "stored": [1]}
    assert scenario["sent"] == [1, 1] and scenario["applied"] == [1]
    assert scenario["pending"] == 0


def test_backoff(scenario: dict[str, Any]) -> None:
    assert scenario["delays"] == [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]
    assert scenario["retrying"] and scenario["recovered"] == "saved"
    assert scenario["again"] == [0, 1000, 3000]  # success reset the delay to 1 s
    assert scenario["applied"] == [1] and scenario["pending"] == [2]


def test_restore_after_reload(scenario: dict[str, Any]) -> None:
    assert scenario["left"] == [1, 2] and scenario["restored"] == [1, 2]
    assert scenario["sent"] == [1, 2, 3]  # the unsent batches first, then the new one
    assert scenario["applied"] == [
        [1, [["cmi.location", "a"]]], [2, [["cmi.suspend_data", "s"]]], [3, [["cmi.location", "b"]]],
    ]
    assert scenario["stored"] == [] and scenario["otherAttemptRestores"] == 0


def test_restore_skips_acknowledged(scenario: dict[str, Any]) -> None:
    assert scenario == {"restored": [4], "next": 5, "applied": [4, 5]}


def test_split_final(scenario: dict[str, Any]) -> None:
    assert scenario["parts"] == [[1, 3], [2, 3], [3, 3]]
    assert scenario["seqs"] == [1, 1, 1] and scenario["finals"] == [True, True, True]
    assert scenario["keepalive"] == [True, True, True]
    assert scenario["maxBytes"] < scenario["limit"] <= 60 * 1024
    assert scenario["applied"] == [[1, 150, True]] and scenario["sameSplit"]


def test_lost_part(scenario: dict[str, Any]) -> None:
    # The server lost part 1; its 202 {ack: null} on the last part makes the page resend all.
    assert scenario["afterLoss"] == {"parts": [[1, 2], [2, 2]], "pending": 1}
    assert scenario["parts"] == [[1, 2], [2, 2], [1, 2], [2, 2]]
    assert scenario["applied"] == [[1, 100]] and scenario["pending"] == 0


def test_closed(scenario: dict[str, Any]) -> None:
    assert scenario == {"statuses": ["saving", "closed"], "stopped": True, "requests": 1}


def test_huge_single_change(scenario: dict[str, Any]) -> None:
    # While leaving only what fits a beacon goes; the 64,000-character value waits in
    # storage and later travels alone in a plain (not keepalive) fetch.
    assert scenario["beaconed"] == [[1, [1, 1]]]
    assert scenario["storedWhileLeaving"] == [1, 2]
    assert scenario["sent"] == [[1, [1, 1], False], [2, [1, 2], False], [2, [2, 2], True]]
    assert scenario["applied"] == [[1, 1, False], [2, 2, True]]


def test_superseded(scenario: dict[str, Any]) -> None:
    assert scenario["statuses"][-1] == "superseded" and scenario["stopped"]
    assert scenario["requestsAfter"] == scenario["requestsBefore"]
    assert scenario["later"] is None
    assert scenario["storageKept"] == "the newer window's"  # a stopped page writes nothing


def test_renew_on_401(scenario: dict[str, Any]) -> None:
    assert scenario["calls"] == [
        ["/runtime/commit", "expired-token"], ["/runtime/renew", "expired-token"],
        ["/runtime/commit", "token-2"],
    ]
    assert scenario["applied"] == [1] and scenario["token"] == "token-2"


def test_gap(scenario: dict[str, Any]) -> None:
    assert scenario["sent"] == [8, 6, 7]
    assert scenario["applied"] == [[6, [["cmi.location", "x"]]], [7, [["cmi.location", "y"]]]]
    assert scenario["lastSeq"] == 7


def test_invalid_422(scenario: dict[str, Any]) -> None:
    assert scenario["statuses"][-1] == "rejected"  # the drop stays said, never "saved"
    assert scenario["sent"] == [1, 2, 2]
    assert scenario["applied"] == [[1, [["cmi.location", "a"]]], [2, [["cmi.location", "c"]]]]


def test_page_installs_api_before_the_sco_loads(scenario: dict[str, Any]) -> None:
    v12, v2004 = scenario["1.2"], scenario["2004"]
    assert v12["api"] == sorted(
        f"LMS{m}" for m in ("Initialize", "Finish", "GetValue", "SetValue", "Commit", "GetLastError",
                             "GetErrorString", "GetDiagnostic")
    )
    assert v2004["api"] == sorted(
        ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError", "GetErrorString",
         "GetDiagnostic", "version"]
    )
    assert v2004["version"] == "1.0"
    for page in (v12, v2004):
        assert page["src"] == "/content/1/v1/index.html" and page["apiWhenLoaded"]
        assert page["live"] == "polite" and page["player"] == ["flush", "queue", "runtime"]


def test_page_commits(scenario: dict[str, Any]) -> None:
    assert scenario["seen"] == ["Saving…", "All changes saved", "Not saved — retrying", "All changes saved"]
    assert scenario["applied"] == [
        [1, [["cmi.location", "p1"]], False],
        [2, [["cmi.location", "p2"]], False],  # sent by the commit interval
        [3, [["cmi.location", "p3"]], False],  # sent again after the failure
        [4, [["cmi.score.raw", "10"]], False],
        [5, [], True],  # Terminate
    ]
    assert scenario["final"] == [True]


def test_page_shows_why_saving_stopped(scenario: dict[str, Any]) -> None:
    superseded, invalid = scenario["superseded"], scenario["invalid"]
    message = "This course was opened in another window; this window no longer saves."
    assert superseded["status"] == superseded["alert"] == message
    assert (superseded["role"], superseded["hidden"]) == ("alert", False)
    assert (superseded["commitAfter"], superseded["error"]) == ("false", "391")
    assert invalid["alert"] == "A change could not be saved and was dropped (cmi.location: type mismatch)."
    assert invalid["status"] == invalid["alert"]
    assert (invalid["commitAfter"], invalid["error"]) == ("true", "0")


def test_page_renews_token_at_half_ttl(scenario: dict[str, Any]) -> None:
    assert (scenario["before"], scenario["after"]) == (0, 1)
    assert scenario["commitToken"] == "token-2" and scenario["renewalsLater"] == 2


def test_page_beacons_on_pagehide(scenario: dict[str, Any]) -> None:
    assert scenario["beacons"] == [[1, "text/plain;charset=UTF-8", [["cmi.location", "p9"]], False]]
    # The final batch did not fit the beacon budget: it waits in storage for the next load.
    assert scenario["stored"] == [1, 2] and scenario["mark"] == 1


def test_page_reload_resends_first_and_resumes(scenario: dict[str, Any]) -> None:
    assert scenario["location"] == "unsent"  # the SCO sees its unacknowledged write
    assert scenario["sent"] == [[1, [["cmi.location", "unsent"]]], [2, [["cmi.location", "next"]]]]
    assert scenario["stored"] == []


def test_every_scenario_is_asserted(scenarios: dict[str, Any]) -> None:
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert set(scenarios) <= tested
