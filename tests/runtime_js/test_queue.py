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
    # 150 changes of 1,000 random characters: whole changes in parts (none is cut), each
    # part's body under the limit even though deflate gains little on them.
    count = len(scenario["parts"])
    assert count > 1 and scenario["parts"] == [[i, count] for i in range(1, count + 1)]
    assert scenario["seqs"] == [1] * count and scenario["finals"] == [True] * count
    assert scenario["keepalive"] == [True] * count
    assert scenario["maxBytes"] < scenario["limit"] <= 60 * 1024
    assert scenario["continued"] == 0
    assert scenario["applied"] == [[1, 150, True]] and scenario["exact"] and scenario["sameSplit"]


def test_lost_part(scenario: dict[str, Any]) -> None:
    # The server lost part 1; its 202 on the last part names it and the page sends just it.
    told = scenario["missing"]
    assert told["afterLoss"] == {"parts": [[1, 3], [2, 3], [3, 3], [1, 3]], "pending": 0}
    assert told["applied"] == [[1, 1]]
    # A 202 that names nothing (an older server): the next try sends every part again.
    untold = scenario["noMissing"]
    assert untold["afterLoss"] == {"parts": [[1, 3], [2, 3], [3, 3]], "pending": 1}
    assert untold["parts"] == [[1, 3], [2, 3], [3, 3]] * 2
    assert untold["applied"] == [[1, 1]] and untold["pending"] == 0


def test_final_64000_compresses(scenario: dict[str, Any]) -> None:
    # Realistic 64,000-character suspend_data in a final batch while the page goes away: one
    # deflated beacon (no type: a beacon may only set a CORS-safe one), well under the limit.
    assert scenario["valueLength"] == 64000 and scenario["textBytes"] > scenario["limit"]
    [(part, compressed, kind, size)] = scenario["beacons"]
    assert (part, compressed, kind) == ([1, 1], True, "")
    assert size < scenario["limit"] / 4
    assert scenario["applied"] == [[1, 2, True]] and scenario["exact"]
    assert scenario["stored"] == [1]  # a beacon gets no answer: kept until one comes


def test_compressed_when_large(scenario: dict[str, Any]) -> None:
    # Over 16 KiB a normal commit is deflated too (when that is smaller); under, plain JSON.
    assert scenario["requests"] == [
        [1, False, "application/json", False],
        [2, True, "application/octet-stream", False],
        [3, True, "application/octet-stream", False],
    ]
    assert scenario["sizes"][1] < 20000 / 4 and scenario["sizes"][2] < 20000
    assert scenario["applied"] == [[1, 10000], [2, 20000], [3, 20000]]


def test_split_by_value(scenario: dict[str, Any]) -> None:
    # 200,000 random characters: one value cut across parts, each body under the limit, each
    # chunk after the first marked "+", no surrogate pair cut, the value assembled exactly.
    count = len(scenario["parts"])
    assert count > 3 and scenario["parts"] == [[i, count] for i in range(1, count + 1)]
    assert max(scenario["bytes"]) < scenario["limit"]
    assert scenario["markers"] == [None] + ["+"] * (count - 1)
    assert scenario["loneSurrogates"] == 0
    assert scenario["applied"] == [[1, ["cmi.location", "cmi.suspend_data", "cmi.exit"], True]]
    assert scenario["exact"]


def test_parts_beyond_budget_wait_for_next_load(scenario: dict[str, Any]) -> None:
    # Leaving, only the parts that fit the in-flight budget go; the cut and what went are
    # stored, and the next load (with a renewed token) sends the other parts, only those.
    count = scenario["saved"]["cuts"]
    beaconed = [index for index, n in scenario["beaconed"] if n == count]
    assert beaconed[0] == 1 and len(beaconed) == len(scenario["beaconed"]) < count
    assert scenario["beaconBytes"] <= scenario["inflightLimit"]
    assert scenario["saved"] == {"seqs": [1], "cuts": count, "beaconed": beaconed}
    assert scenario["serverBefore"] == {"parts": beaconed, "applied": 0}
    assert scenario["sentNext"] == [[i, count] for i in range(1, count + 1) if i not in beaconed]
    assert scenario["applied"] == [[1, ["cmi.suspend_data", "cmi.exit"], True]]
    assert scenario["exact"] and scenario["stored"] == []


def test_lost_beacon_is_resent_on_next_load(scenario: dict[str, Any]) -> None:
    # Parts 1 and 4 were beaconed, part 1 never arrived: the next load sends 2 and 3, the
    # server's 202 names 1 as missing, and it goes too.
    assert scenario["beaconed"] == [[1, 4], [4, 4]]
    assert scenario["sentNext"] == [[2, 4], [3, 4], [1, 4]]
    assert scenario["exact"] and scenario["stored"] == []


def test_closed(scenario: dict[str, Any]) -> None:
    assert scenario == {"statuses": ["saving", "closed"], "stopped": True, "requests": 1}


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
