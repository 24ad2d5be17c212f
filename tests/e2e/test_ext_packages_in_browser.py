"""Real third-party packages (the shared ``ext-packages`` folder) played in the player.

Every SCO of every package that imports is launched by a fresh learner; a recorder wrapped
around the API object before the SCO loads (``api_recorder.js``) keeps every call the SCO
makes and GetLastError after it. Where the SCO has a "Next" button (the Rustici golf
samples) the test clicks through a few pages, then the learner leaves. No call may return
an error the package did not provoke itself (each provoked case is listed below with why),
and the server must hold the attempt the launch opened, with the last bookmark and suspend
data the SCO set. ``moodle-golf12-runtimebasic`` is played to its end, as its README says:
status, location, score and time are recorded.

Skipped when the folder (``shared/ext-packages`` beside the checkout) is absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from playwright.sync_api import Page, expect

from scorm_player.packaging import PackageRejected
from scorm_player.packaging.importer import inspect_package
from scorm_player.services.registrations import PREVIEW_PREFIX
from scorm_player.storage.records import Attempt
from scorm_player.storage.tracking import TrackingRepository
from tests.e2e.conftest import LiveServer, eventually
from tests.e2e.pages import ApiRecorder, PlayerPage, Recorded

pytestmark = pytest.mark.browser

EXT = Path(__file__).resolve().parents[2].parent / "shared" / "ext-packages"
if not EXT.is_dir():
    pytest.skip(f"{EXT} is not here (shared material beside the checkout)", allow_module_level=True)

PAGES_CLICKED = 2  # "Next" clicks on a SCO that has the button
#: Packages whose sequencing lets no learner choose an item (forced order, remediation).
CHOICE_FORBIDDEN = {"golf2004-3rd-forcedseq.zip", "golf2004-3rd-remediation.zip"}
ENTRY = {"1.2": "cmi.core.entry", "2004": "cmi.entry"}
# Bookmark and suspend data: the server must hold them as the SCO last set them.
KEPT = {
    "1.2": {"cmi.core.lesson_location": "location", "cmi.suspend_data": "suspend_data"},
    "2004": {"cmi.location": "location", "cmi.suspend_data": "suspend_data"},
}


@dataclass(frozen=True)
class Launchable:
    package: str
    item: str
    kind: str  # "sco" or "asset"


def _launchables() -> list[Launchable]:
    """Every SCO of every package that imports; a package without SCOs, its first asset."""
    found = []
    for path in sorted(EXT.glob("*.zip")):
        try:
            package = inspect_package(path).package
        except PackageRejected:
            continue  # the import tests cover rejected packages
        organization = next(
            (o for o in package.organizations if o.identifier == package.default_organization),
            package.organizations[0],
        )
        items = organization.launchable_items()
        scos = [i for i in items if i.scorm_type == "sco"] or items[:1]
        found += [Launchable(path.name, i.identifier, i.scorm_type or "asset") for i in scos]
    return found


LAUNCHABLES = _launchables()


def provoked(call: Recorded, version: str) -> bool:
    """Whether the SCO's own call explains the error it got (else the adapter is wrong)."""
    method, args, error = call.method, call.args, call.error
    if error in (None, "0"):
        return True
    if version == "2004" and method == "GetValue" and error == "403":
        # RTE 4.1.7 / vector 2.21: reading an element nothing has set yet (the golf SCOs
        # read cmi.location on their first launch to look for a bookmark).
        return True
    undefined = args[0].startswith("cmi.evaluation.")
    if version == "1.2" and method == "LMSGetValue" and error == "201" and undefined:
        # The SCORM debugger (moodle-complexscorm) probes cmi.evaluation.comments, an AICC
        # element SCORM 1.2 does not define: an invalid cmi name, 201 (cmi-1.2.md, rte-api.md).
        return True
    return False


def _leave(page: Page) -> None:
    """The learner goes elsewhere: the SCO's unload handler runs, the page beacons."""
    page.goto("about:blank")


@pytest.mark.parametrize("launchable", LAUNCHABLES, ids=lambda x: f"{x.package[:-4]}:{x.item}")
def test_each_sco_plays_with_no_error_it_did_not_provoke(
    server: LiveServer, page: Page, learner: str, launchable: Launchable
) -> None:
    course = server.course(EXT / launchable.package)
    recorder = ApiRecorder.install(page)
    # Sequencing forbids choosing these items: a designer's preview opens any item.
    preview = launchable.package in CHOICE_FORBIDDEN
    link = (server.preview_link(course, learner, item=launchable.item) if preview
            else server.link(course, learner, item=launchable.item))
    player = PlayerPage.open(page, link)
    blob = player.runtime()
    version = blob["version"]

    page.wait_for_load_state("load")
    recorder.settle()
    next_page = page.frame_locator("#sco-frame").get_by_role("button", name="Next ->")
    for _ in range(PAGES_CLICKED):
        if not (next_page.count() and next_page.is_enabled()):
            break
        next_page.click()  # the golf SCOs set their bookmark in the click handler
    calls = recorder.settle()
    _leave(page)

    assert [c for c in calls if not provoked(c, version)] == []
    if launchable.kind == "asset":
        assert calls == []  # an asset never talks to the LMS
    assert blob["state"][ENTRY[version]] == "ab-initio"
    if preview:
        learner = PREVIEW_PREFIX + learner
    attempt = _stored_attempt(server, course, learner, launchable.item)
    expected = ("no-credit", "browse") if preview else ("credit", "normal")
    assert (attempt.number, attempt.columns.credit, attempt.columns.mode) == (1, *expected)
    for element, field in KEPT[version].items():
        sets = [c.args[1] for c in calls if c.method.endswith("SetValue") and c.args[0] == element]
        if sets:  # the last one arrives with the unload's beacon
            eventually(
                lambda: getattr(_stored_attempt(server, course, learner, launchable.item).columns,
                                field) == sets[-1]
            )


def _stored_attempt(server: LiveServer, course: str, learner: str, item: str) -> Attempt:
    """The attempt the launch opened, as the server stored it (a preview's too)."""
    registration = server.services.registrations.register(
        course, learner, "", preview=learner.startswith(PREVIEW_PREFIX)
    )
    rows = TrackingRepository(sessionmaker(bind=server.services.engine)).results(registration.id)
    attempts = [attempt for attempt, _ in rows if attempt.item_identifier == item]
    assert attempts
    return attempts[-1]


def test_golf_runtime_basic_records_status_location_score_and_time(
    server: LiveServer, page: Page, learner: str
) -> None:
    course = server.course(EXT / "moodle-golf12-runtimebasic.zip")
    recorder = ApiRecorder.install(page)
    player = PlayerPage.open(page, server.link(course, learner))
    sco = page.frame_locator("#sco-frame")

    while sco.get_by_role("button", name="Next ->").is_enabled():  # 16 pages, the test last
        sco.get_by_role("button", name="Next ->").click()
    sco.frame_locator("#contentFrame").get_by_role("button", name="Submit Answers").click()
    page.wait_for_timeout(1000)  # a learner spends at least a second: session_time is whole seconds
    sco.get_by_role("button", name="Exit").click()

    player.expect_saved()
    calls = recorder.calls()
    assert [c for c in calls if not provoked(c, "1.2")] == []
    assert calls[-1] == ("LMSFinish", ("",), "true", "0")
    [score] = [c.args[1] for c in calls if c.args[:1] == ("cmi.core.score.raw",)]
    stored = server.sco(course, learner, "item_1")
    assert (stored["completion_status"], stored["success_status"]) == ("completed", "failed")
    assert (stored["location"], stored["score"]["raw"]) == ("15", float(score))
    assert stored["total_seconds"] >= 1
    expect(player.message).to_be_hidden()
