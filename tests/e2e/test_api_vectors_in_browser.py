"""The conformance vectors, played by a probe SCO inside the real player page.

Every vector of conformance-vectors.md a SCO can drive (sections A, B and C) runs in a fresh
launch: a new learner opens the course's launch link, the probe SCO finds the API by the
discovery walk and makes the vector's calls; each call's result and GetLastError must be the
vector's. The call sequences are the ones the data model tests play
(``tests/datamodel/test_runtime_vectors_*.py``, one source of truth for the steps, with the
documented choices for the (?) rows); :func:`test_every_vector_is_played_or_skipped` reads
the markdown's tables so that a vector added there and not here fails. The manifest supplies
what a vector's setup needs (``rt-scorm2004-settings``: thresholds, passing scores, data
maps), the course's policy what the strict vectors need. After each vector the page flushes
its commits: the server, which validates every batch again, must accept all that the adapter
accepted.

The two-launch vectors (1.43-1.47, 2.72, 2.73, C.60-C.65) take two visits of the same
learner (1.47 a designer's, in browse mode). Our own vectors are in
``test_api_data_in_browser.py``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from scorm_player.datamodel.durations import parse_duration, parse_timespan
from tests.datamodel.steps import Vector
from tests.datamodel.test_runtime_vectors_12 import VECTORS_12
from tests.datamodel.test_runtime_vectors_2004 import VECTORS_B, VECTORS_C
from tests.e2e.conftest import API, Launch, Learner, LiveServer
from tests.e2e.pages import SAVED, Answer, Call, PlayerPage

pytestmark = pytest.mark.browser

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "conformance-vectors.md"

# The rt-scorm2004-settings item whose manifest gives each vector's starting state.
STATE_ITEMS = {
    (("cmi.completion_threshold", "0.8"),): "threshold-08",
    (("cmi.scaled_passing_score", "0.7"),): "passing-07",
    (("cmi.completion_threshold", "0.6"), ("cmi.scaled_passing_score", "0.6")): "both-06",
    (("cmi.scaled_passing_score", "-0.5"),): "passing-neg05",
}
# ... and each vector's adl.data maps, by (read, write) of each map.
MAP_ITEMS = {
    ((True, True),): "map-rw",
    ((False, True),): "map-no-read",
    ((True, False),): "map-no-write",
    ((True, True),) * 4: "map-four",
}

# Vectors played elsewhere in this module (two launches), or not playable here, and why.
SESSION_VECTORS = {
    "C.59", "1.43", "1.44", "1.45", "1.46", "1.47", "2.72", "2.73",
    "C.60", "C.61", "C.62", "C.63", "C.64", "C.65",
}
NOT_PLAYABLE: dict[str, str] = {}


@dataclasses.dataclass(frozen=True)
class Target:
    """Where a vector runs: a fixture package, its course policy, an item."""

    package: str
    item: str
    policy: str | None = None


def target(version: str, vector: Vector) -> Target:
    options = dict(vector.options)
    if version == "1.2":
        return Target("probe-scorm12", "sco-two", options.pop("policy", None))
    item = "plain"
    if "state" in options:
        item = STATE_ITEMS[tuple(sorted(options.pop("state").items()))]
    if "data_maps" in options:
        maps = options.pop("data_maps")
        item = MAP_ITEMS[tuple((m.read_shared_data, m.write_shared_data) for m in maps)]
    assert not options, f"{vector.id}: no manifest gives {options}"
    return Target("rt-scorm2004-settings", item)


def calls_for(version: str, vector: Vector) -> list[Call]:
    calls = [] if not vector.started else [[API[version]["initialize"], ""]]
    return calls + [[API[version][step.call], *step.args] for step in vector.steps]


def expected(vector: Vector) -> list[Answer]:
    start = [] if not vector.started else [Answer("true", 0)]
    return start + [Answer(step.returns, step.code) for step in vector.steps]


VECTORS = [
    pytest.param(version, v, id=v.id)
    for version, vectors in (("1.2", VECTORS_12), ("2004", [*VECTORS_B, *VECTORS_C]))
    for v in vectors
    if v.id not in NOT_PLAYABLE and v.id not in SESSION_VECTORS
]


def _short(answers: list[Answer]) -> list[Answer]:
    """Long values (64,000 characters) shown by their length in a failure report."""
    return [Answer(_cut(a.result), a.error) for a in answers]


def _cut(value: str) -> str:
    return value if len(value) < 60 else f"{value[:9]}...({len(value)} characters)"


# region The vectors of conformance-vectors.md


@pytest.fixture(scope="module", name="tab")
def tab_fixture(chromium: Any) -> Iterator[Page]:
    context = chromium.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(name="page")
def page_fixture(tab: Page) -> Iterator[Page]:
    """The module's one tab. Each vector is a new launch in it, as a learner follows links:
    a new document (a new adapter, nothing left in memory) for a new learner (a new
    registration; localStorage is kept per attempt). A tab per vector would double the
    module's time; the test still fails if a script on the page threw."""
    errors: list[str] = []

    def record(error: Any) -> None:
        errors.append(str(error))

    tab.on("pageerror", record)
    yield tab
    tab.remove_listener("pageerror", record)
    assert errors == []


@pytest.mark.parametrize(("version", "vector"), VECTORS)
def test_vector(
    server: LiveServer, launch: Launch, learner: str, version: str, vector: Vector
) -> None:
    where = target(version, vector)
    course = server.course(where.package, policy=where.policy)
    player = launch(course, learner, item=where.item)

    answers = player.sco.run(calls_for(version, vector))

    assert _short(answers) == _short(expected(vector))
    assert player.flush(), "the server refused a batch the adapter accepted"


def test_every_vector_is_played_or_skipped() -> None:
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not here (shared material beside the checkout)")
    ids = re.findall(r"^\| ((?:1|2|C)\.\d\d) \|", SPEC.read_text(), flags=re.MULTILINE)
    played = {p.id for p in VECTORS}
    assert len(ids) == len(set(ids)) > 150
    assert set(ids) == played | SESSION_VECTORS | set(NOT_PLAYABLE)
    assert not played & (SESSION_VECTORS | set(NOT_PLAYABLE))


# endregion
# region Two-launch vectors



def test_vector_c59_request_valid_follows_sequencing(on2004: Learner) -> None:
    # rt-scorm2004-settings declares no sequencing: choice on, flow off (SN defaults)
    answers = on2004.reopen("plain", [
        ["GetValue", "adl.nav.request_valid.continue"],
        ["GetValue", "adl.nav.request_valid.choice.{target=threshold-08}"],
        ["GetValue", "adl.nav.request_valid.choice.{target=nowhere}"],
    ])

    assert answers == [Answer("false", 0), Answer("true", 0), Answer("false", 0)]


def test_vector_1_43_suspend_resumes(on12: Learner) -> None:
    on12.finish("sco-two", [["LMSSetValue", "cmi.core.exit", "suspend"]])

    assert on12.reopen("sco-two", [["LMSGetValue", "cmi.core.entry"]]) == [Answer("resume", 0)]


def test_vector_1_44_no_exit_gives_an_empty_entry(on12: Learner) -> None:
    on12.finish("sco-two", [])

    assert on12.reopen("sco-two", [["LMSGetValue", "cmi.core.entry"]]) == [Answer("", 0)]


def test_vector_1_45_total_time_adds_the_session_time(on12: Learner) -> None:
    on12.finish("sco-two", [["LMSSetValue", "cmi.core.session_time", "00:10:00"]])
    on12.finish("sco-two", [["LMSSetValue", "cmi.core.session_time", "00:05:30"]])

    [total] = on12.reopen("sco-two", [["LMSGetValue", "cmi.core.total_time"]])

    assert total.error == 0
    assert parse_timespan(total.result) == parse_timespan("00:15:30")


def test_vector_1_46_mastery_score_fails_a_low_raw_score(on12: Learner) -> None:
    on12.finish("sco-one", [["LMSSetValue", "cmi.core.score.raw", "75"]])  # mastery score 80

    stored = on12.stored("sco-one")
    assert (stored["success_status"], stored["score"]["raw"]) == ("failed", 75)


def test_vector_1_47_browse_mode_records_browsed(
    server: LiveServer, page: Page, probe12: str
) -> None:
    """Browse mode is a designer's preview, whose registration results leave out: the SCO
    reads the stored status back on its next (resumed) preview."""
    link = server.preview_link(probe12, "designer", item="sco-two")
    first = PlayerPage.open(page, link).sco.run([
        ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.lesson_mode"],
        ["LMSSetValue", "cmi.core.exit", "suspend"], ["LMSFinish", ""],
    ])
    expect(PlayerPage(page).save_status).to_have_text(SAVED)

    again = PlayerPage.open(page, link).sco.run([
        ["LMSInitialize", ""], ["LMSGetValue", "cmi.core.lesson_status"],
    ])

    assert first[1] == Answer("browse", 0)
    assert again[1] == Answer("browsed", 0)


def test_vector_2_72_suspend_resumes(on2004: Learner) -> None:
    on2004.finish("plain", [["SetValue", "cmi.exit", "suspend"]])

    assert on2004.reopen("plain", [["GetValue", "cmi.entry"]]) == [Answer("resume", 0)]


def test_vector_2_73_normal_exit_starts_a_new_attempt(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "cmi.suspend_data", "old"], ["SetValue", "cmi.exit", "normal"],
    ])

    answers = on2004.reopen("plain", [["GetValue", "cmi.entry"], ["GetValue", "cmi.suspend_data"]])

    assert answers == [Answer("ab-initio", 0), Answer("", 403)]
    assert on2004.stored("plain")["attempt_count"] == 2


def test_vector_c60_suspend_keeps_data_and_time(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "cmi.session_time", "PT01M"], ["SetValue", "cmi.suspend_data", "visit=2"],
        ["SetValue", "cmi.exit", "suspend"],
    ])

    entry, total, data = on2004.reopen("plain", [
        ["GetValue", "cmi.entry"], ["GetValue", "cmi.total_time"], ["GetValue", "cmi.suspend_data"],
    ])

    assert (entry, data) == (Answer("resume", 0), Answer("visit=2", 0))
    assert total.error == 0 and parse_duration(total.result) == parse_duration("PT1M")


def test_vector_c61_time_out_starts_a_new_attempt(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "cmi.session_time", "PT5M"], ["SetValue", "cmi.suspend_data", "x"],
        ["SetValue", "cmi.exit", "time-out"],
    ])

    answers = on2004.reopen("plain", [
        ["GetValue", "cmi.entry"], ["GetValue", "cmi.total_time"],
        ["GetValue", "cmi.completion_status"], ["GetValue", "cmi.suspend_data"],
    ])

    assert answers == [
        Answer("ab-initio", 0), Answer("PT0H0M0S", 0), Answer("unknown", 0), Answer("", 403),
    ]


def test_vector_c62_suspend_all_resumes_without_exit(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "adl.nav.request", "suspendAll"],
        ["SetValue", "cmi.session_time", "P0Y029DT0H"],
    ])

    entry, total = on2004.reopen("plain", [
        ["GetValue", "cmi.entry"], ["GetValue", "cmi.total_time"],
    ])

    assert entry == Answer("resume", 0)
    assert total.error == 0 and parse_duration(total.result) == parse_duration("P29D")


def test_vector_c63_suspend_all_wins_over_a_normal_exit(on2004: Learner) -> None:
    on2004.finish("plain", [
        ["SetValue", "cmi.suspend_data", "foobar"], ["SetValue", "cmi.exit", "normal"],
        ["SetValue", "adl.nav.request", "suspendAll"],
    ])

    answers = on2004.reopen("plain", [["GetValue", "cmi.entry"], ["GetValue", "cmi.suspend_data"]])

    assert answers == [Answer("resume", 0), Answer("foobar", 0)]


def test_vectors_c64_c65_the_threshold_decides_completion_across_sessions(
    on2004: Learner,
) -> None:
    completion = [["GetValue", "cmi.completion_status"]]
    on2004.finish("threshold-08", [
        ["SetValue", "cmi.progress_measure", "0.5"],
        ["SetValue", "cmi.completion_status", "not attempted"], ["SetValue", "cmi.exit", "suspend"],
    ])
    assert on2004.reopen("threshold-08", completion) == [Answer("incomplete", 0)]

    on2004.finish("threshold-08", [
        ["SetValue", "cmi.progress_measure", "0.9"],
        ["SetValue", "cmi.completion_status", "incomplete"], ["SetValue", "cmi.exit", "suspend"],
    ])
    assert on2004.reopen("threshold-08", completion) == [Answer("completed", 0)]


# endregion
