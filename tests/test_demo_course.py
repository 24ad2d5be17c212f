"""The demo course (``scorm_player/demo/course``): a valid package whose SCOs really work.

Static checks read the folder: the manifest, its file inventory, the JavaScript syntax and the
references between files. The importer check runs the real import pipeline on a zip of the
folder. The browser checks play the SCOs in headless Chromium against a small recording LMS
(``window.API_1484_11`` on the parent page, as a player provides it) and check what they report.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree, html

from scorm_player.packaging import inspect_package
from scorm_player.resources import demo_course_dir
from tests.zipping import zip_folder

COURSE = demo_course_dir()
MANIFEST = COURSE / "imsmanifest.xml"

NS = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
SCORM_TYPE = f"{{{NS['adlcp']}}}scormType"
QUIZ_OBJECTIVE = "urn:scorm-player:demo:data-privacy-quiz"

# SCORM 2004 value formats (cmi-2004.md section 1), strict enough to catch a wrong writer.
DURATION = re.compile(
    r"P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?"
)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+(?:Z|[+-]\d\d(?::\d\d)?)?)?")
REAL = re.compile(r"-?\d+(?:\.\d{1,7})?")
URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,30}:\S+")
SHORT_ID = r"[A-Za-z0-9_-]+"
PATTERNS = {  # learner_response and correct_responses formats used by the quiz (RTE 4.2.9.1)
    "true-false": re.compile(r"true|false"),
    "choice": re.compile(rf"{SHORT_ID}(?:\[,\]{SHORT_ID})*"),
    "fill-in": re.compile(r"[^\[\]{}]+"),
    "matching": re.compile(rf"{SHORT_ID}\[\.\]{SHORT_ID}(?:\[,\]{SHORT_ID}\[\.\]{SHORT_ID})*"),
    "sequencing": re.compile(rf"{SHORT_ID}(?:\[,\]{SHORT_ID})*"),
    "numeric": re.compile(r"-?\d+(?:\.\d+)?(?:\[:\]-?\d+(?:\.\d+)?)?"),
}


def _manifest() -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(MANIFEST), parser).getroot()


def _resources() -> dict[str, etree._Element]:
    return {r.get("identifier"): r for r in _manifest().iterfind("cp:resources/cp:resource", NS)}


def _resource_files(resource_id: str, seen: set[str] | None = None) -> set[str]:
    """The files of a resource and, transitively, of the resources it depends on."""
    seen = seen if seen is not None else set()
    if resource_id in seen:
        return set()
    seen.add(resource_id)
    resource = _resources()[resource_id]
    files = {f.get("href") for f in resource.iterfind("cp:file", NS)}
    for dependency in resource.iterfind("cp:dependency", NS):
        files |= _resource_files(dependency.get("identifierref"), seen)
    return files


def _node(*args: str) -> str:
    """Run node in the course folder; returns its output, fails on a non-zero exit."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, *args], capture_output=True, text=True, timeout=60, cwd=COURSE)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- The manifest ------------------------------------------------------------------------


def test_manifest_is_well_formed_scorm_2004_4th_edition() -> None:
    root = _manifest()
    assert root.tag == f"{{{NS['cp']}}}manifest"
    assert set(NS.values()) <= set(root.nsmap.values())
    assert root.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "2004 4th Edition"
    assert not list(COURSE.rglob("*.xsd")), "the course needs no schema files"


def test_organization_has_four_items_with_flow_and_choice() -> None:
    root = _manifest()
    organizations = root.find("cp:organizations", NS)
    org = organizations.find(f"cp:organization[@identifier='{organizations.get('default')}']", NS)
    assert org is not None, "organizations/@default names no organization"
    items = org.findall("cp:item", NS)
    assert [i.findtext("cp:title", namespaces=NS) for i in items] == [
        "Welcome", "Lesson: Personal data at work", "Quiz", "Summary"
    ]
    control = org.find("imsss:sequencing/imsss:controlMode", NS)
    assert (control.get("flow"), control.get("choice")) == ("true", "true")
    assert root.find(".//adlnav:presentation", NS) is None, "the player shows its own controls"


def test_quiz_declares_its_passing_score() -> None:
    quiz = _manifest().find(".//cp:item[@identifier='ITEM-QUIZ']", NS)
    objective = quiz.find("imsss:sequencing/imsss:objectives/imsss:primaryObjective", NS)
    assert objective.get("satisfiedByMeasure") == "true"
    assert objective.get("objectiveID") == QUIZ_OBJECTIVE
    assert float(objective.findtext("imsss:minNormalizedMeasure", namespaces=NS)) == 0.8


def test_identifiers_are_unique() -> None:
    root = _manifest()
    items = [i.get("identifier") for i in root.iterfind(".//cp:item", NS)]
    assert len(items) == len(set(items)) == 4
    everything = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(everything) == len(set(everything))


def test_every_referenced_file_exists_and_every_file_is_listed() -> None:
    resources = _resources()
    listed = set()
    for resource in resources.values():
        if resource.get("href"):
            assert (COURSE / resource.get("href")).is_file(), resource.get("href")
        for file in resource.iterfind("cp:file", NS):
            assert (COURSE / file.get("href")).is_file(), file.get("href")
            listed.add(file.get("href"))
    on_disk = {p.relative_to(COURSE).as_posix() for p in COURSE.rglob("*") if p.is_file()}
    assert on_disk - listed == {"imsmanifest.xml"}


def test_scos_depend_on_the_shared_asset_and_items_launch_scos() -> None:
    resources = _resources()
    shared = [r for r in resources.values() if not r.get("href")]
    assert len(shared) == 1 and shared[0].get(SCORM_TYPE) == "asset"
    for item in _manifest().iterfind(".//cp:item", NS):
        resource = resources[item.get("identifierref")]
        assert resource.get(SCORM_TYPE) == "sco"
        refs = [d.get("identifierref") for d in resource.iterfind("cp:dependency", NS)]
        assert refs == [shared[0].get("identifier")]


def test_pages_load_only_files_of_their_own_resource() -> None:
    """Every script, style sheet and link a SCO page uses is in its resource's inventory, and
    nothing is fetched from the network (no CDN, no web fonts)."""
    for resource_id, resource in _resources().items():
        if not resource.get("href"):
            continue
        page = COURSE / resource.get("href")
        files = _resource_files(resource_id)
        tree = html.parse(str(page))
        for element, attribute, link, _ in tree.getroot().iterlinks():
            assert not re.match(r"(?:https?:)?//", link), f"{page.name}: remote {link}"
            if link.startswith(("data:", "#")):
                continue
            target = (page.parent / link).resolve().relative_to(COURSE.resolve()).as_posix()
            assert target in files, f"{resource.get('href')} uses {link}, not in {resource_id}"
    css = (COURSE / "shared/course.css").read_text()
    assert "@import" not in css
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert all(u.strip("'\"").startswith("data:") for u in urls)


# --- The JavaScript ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "script", sorted(p.relative_to(COURSE).as_posix() for p in COURSE.rglob("*.js"))
)
def test_javascript_parses(script: str) -> None:
    _node("--check", script)


# Loads scorm.js in node with a stand-in `window` and prints what the checks below compare.
_SCORM_JS_PROBE = r"""
global.window = {};
require('./shared/scorm.js');
const S = window.Scorm;
const api2004 = { Initialize() { return 'true'; } };
const api12 = { LMSInitialize() { return 'true'; } };
function chain(depth, top) {          // a window `depth` parents below `top`
  let win = top;
  for (let i = 0; i < depth; i++) win = { parent: win, top };
  return win;
}
const topWith = (props) => { const w = Object.assign({}, props); w.parent = w.top = w; return w; };
const crossOrigin = { get API_1484_11() { throw new Error('SecurityError'); },
                      get parent() { throw new Error('SecurityError'); } };
const opener = topWith({ API_1484_11: api2004 });
const found = (win) => { const f = S.discover(win); return f ? f.version : null; };
console.log(JSON.stringify({
  durations: [0, 999, 5250, 65250, 3600000, 3725500].map(S.isoDuration),
  timespans: [0, 65250, 3725500].map(S.timespan12),
  timestamp: S.timestamp(new Date(Date.UTC(2026, 10, 25, 9, 21, 6, 500))),
  self: found(topWith({ API_1484_11: api2004 })),
  sevenUp: found(chain(7, topWith({ API_1484_11: api2004 }))),
  eightUp: found(chain(8, topWith({ API_1484_11: api2004 }))),
  only12: found(chain(2, topWith({ API: api12 }))),
  prefers2004: found(chain(1, topWith({ API: api12, API_1484_11: api2004 }))),
  viaOpener: found(Object.assign(chain(1, topWith({})), { opener })),
  viaTopOpener: found(chain(2, topWith({ opener }))),
  notAnApi: found(topWith({ API_1484_11: {} })),
  crossOrigin: found({ parent: crossOrigin }),
  none: found(topWith({})),
}));
"""


def test_scorm_js_time_formats_and_api_discovery() -> None:
    probe = json.loads(_node("-e", _SCORM_JS_PROBE))
    assert probe["durations"] == ["PT0S", "PT1S", "PT5.25S", "PT1M5.25S", "PT1H", "PT1H2M5.5S"]
    assert all(DURATION.fullmatch(d) for d in probe["durations"])
    assert probe["timespans"] == ["0000:00:00.00", "0000:01:05.25", "0001:02:05.50"]
    assert probe["timestamp"] == "2026-11-25T09:21:06.500Z"
    assert TIMESTAMP.fullmatch(probe["timestamp"])
    assert probe["self"] == probe["sevenUp"] == probe["prefers2004"] == "2004"
    assert probe["eightUp"] is None, "the walk gives up after 7 parents"
    assert probe["only12"] == "1.2"
    assert probe["viaOpener"] == probe["viaTopOpener"] == "2004"
    assert probe["notAnApi"] is probe["crossOrigin"] is probe["none"] is None


def test_quiz_identifiers_and_objective_match_the_manifest() -> None:
    quiz = json.loads(
        _node(
            "-e",
            "global.window = {}; require('./quiz/questions.js');"
            "console.log(JSON.stringify(window.QUIZ))",
        )
    )
    assert quiz["objectiveId"] == QUIZ_OBJECTIVE
    questions = quiz["questions"]
    assert {q["type"] for q in questions} == set(PATTERNS)
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids)) and all(URN.fullmatch(i) for i in ids)
    for q in questions:
        for key in ("options", "sources", "targets", "items"):
            assert all(re.fullmatch(SHORT_ID, o["id"]) for o in q.get(key, []))


# --- The importer ------------------------------------------------------------------------


def test_importer_accepts_the_demo_course(tmp_path: Path) -> None:

    result = inspect_package(zip_folder(COURSE, tmp_path / "demo.zip"))
    assert result.report.errors == []
    assert result.report.warnings == []
    package = result.package
    assert package.version_label == "SCORM 2004 4th Edition"
    items = package.organization.launchable_items()
    assert [i.identifier for i in items] == [
        "ITEM-WELCOME", "ITEM-LESSON", "ITEM-QUIZ", "ITEM-SUMMARY"
    ]
    assert package.sco_count >= 3
    objective = items[2].sequencing.primary_objective
    assert objective.satisfied_by_measure and objective.min_normalized_measure == 0.8


# --- In a browser ------------------------------------------------------------------------

# A recording LMS for the parent page: the store is seeded from the URL fragment (JSON), and
# `_count` grows when a new collection record gets its first sub-element.
_PLAYER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>test player</title>
<style>html, body, iframe { margin: 0; border: 0; width: 100%; height: 100%; display: block; }</style>
<script>
var lms = window.lms = { store: JSON.parse(decodeURIComponent(location.hash.slice(1)) || "{}"),
                         calls: [], state: "new", error: "0" };
function call(name, args, result, error) {
  lms.error = error || "0"; lms.calls.push([name].concat(args, [result, lms.error])); return result;
}
window.API_1484_11 = {
  Initialize: function (p) { if (lms.state !== "new") return call("Initialize", [p], "false", "103");
                             lms.state = "running"; return call("Initialize", [p], "true"); },
  Terminate: function (p) { if (lms.state !== "running") return call("Terminate", [p], "false", "113");
                            lms.state = "done"; return call("Terminate", [p], "true"); },
  Commit: function (p) { return call("Commit", [p], lms.state === "running" ? "true" : "false"); },
  GetValue: function (el) {
    if (!(el in lms.store)) return call("GetValue", [el], "", "403");
    return call("GetValue", [el], lms.store[el]);
  },
  SetValue: function (el, v) {
    if (lms.state !== "running" || typeof v !== "string") return call("SetValue", [el, v], "false", "132");
    var m = /^(cmi\\.(?:objectives|interactions)|cmi\\.interactions\\.\\d+\\.(?:objectives|correct_responses))\\.(\\d+)\\./.exec(el);
    if (m) { var count = +(lms.store[m[1] + "._count"] || 0);
             if (+m[2] > count) return call("SetValue", [el, v], "false", "351");
             if (+m[2] === count) lms.store[m[1] + "._count"] = String(count + 1); }
    lms.store[el] = v; return call("SetValue", [el, v], "true");
  },
  GetLastError: function () { return lms.error; },
  GetErrorString: function (code) { return "error " + code; },
  GetDiagnostic: function (code) { return ""; }
};
</script></head>
<body><iframe id="sco" title="SCO"></iframe>
<script>document.getElementById("sco").src = "course/" + new URLSearchParams(location.search).get("sco");</script>
</body></html>
"""

NEW_ATTEMPT = {
    "cmi.entry": "ab-initio",
    "cmi.learner_name": "Doe, Jane",
    "cmi.completion_status": "unknown",
    "cmi.success_status": "unknown",
    "cmi.interactions._count": "0",
    "cmi.objectives._count": "0",
    "adl.nav.request_valid.continue": "true",
}


@pytest.fixture(scope="module")
def course_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The course and the test player, served over HTTP on 127.0.0.1 (one origin)."""
    root = tmp_path_factory.mktemp("demo-player")
    (root / "player.html").write_text(_PLAYER)
    (root / "course").symlink_to(COURSE, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class Launch:
    """One SCO launched in the test player; ``close()`` unloads it like a player would."""

    def __init__(
        self, browser: object, base: str, sco: str, store: dict[str, str], width: int = 1280
    ) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{base}player.html?sco={sco}#{quote(json.dumps(store))}")
        self.sco = self.page.frame_locator("#sco")
        self.sco.locator("h1:visible").first.wait_for()

    def close(self) -> tuple[dict[str, str], list[list[str]]]:
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        self.page.wait_for_function("window.lms.state === 'done'")
        store, calls = self.page.evaluate("[window.lms.store, window.lms.calls]")
        self.context.close()
        assert self.errors == []
        return store, calls


def _failed(calls: list[list[str]]) -> list[list[str]]:
    """SetValue/Commit/Terminate calls the LMS refused (GetValue 403s are expected)."""
    return [c for c in calls if c[0] != "GetValue" and c[-2] == "false"]


@pytest.mark.browser
def test_lesson_bookmarks_and_resumes(chromium: object, course_server: str) -> None:
    first = Launch(chromium, course_server, "lesson/index.html", NEW_ATTEMPT)
    first.sco.get_by_role("button", name="Next").click()
    first.sco.get_by_role("button", name="Next").click()
    store, calls = first.close()
    assert _failed(calls) == []
    assert store["cmi.location"] == "3"
    assert json.loads(store["cmi.suspend_data"]) == {"v": 1, "visited": [1, 2, 3]}
    assert store["cmi.progress_measure"] == "0.75"
    assert store["cmi.completion_status"] == "incomplete"
    assert store["cmi.exit"] == "suspend"
    assert DURATION.fullmatch(store["cmi.session_time"])
    assert [c[0] for c in calls[-2:]] == ["SetValue", "Terminate"]

    resumed = dict(store, **{"cmi.entry": "resume"})
    second = Launch(chromium, course_server, "lesson/index.html", resumed, width=375)
    assert second.sco.locator("#page-label").text_content() == "Page 3 of 4"
    assert second.sco.get_by_text("You left off on page 3").is_visible()
    second.sco.get_by_role("button", name="Next").click()
    assert second.sco.get_by_role("button", name="Continue to the quiz").is_visible()
    store, calls = second.close()
    assert _failed(calls) == []
    assert (store["cmi.location"], store["cmi.progress_measure"]) == ("4", "1")
    assert (store["cmi.completion_status"], store["cmi.exit"]) == ("completed", "normal")


def _answer_quiz(sco: object, *, right: bool) -> None:
    """Answer all six questions, all right or all but the last wrong, and submit."""
    sco.get_by_label("A colleague's work email address").check()
    if right:
        sco.get_by_label("The IP address of a customer's home router").check()
    sco.get_by_role("button", name="Next").click()
    sco.get_by_label("False" if right else "True").check()
    sco.get_by_role("button", name="Next").click()
    sco.get_by_label("Your answer").fill("Minimisation" if right else "Maximisation")
    sco.get_by_role("button", name="Next").click()
    answers = ("special", "personal", "not_personal") if right else ("personal",) * 3
    for select, value in zip(sco.locator("select").all(), answers, strict=True):
        select.select_option(value)
    sco.get_by_role("button", name="Next").click()
    if right:  # from report, notify, contain, assess
        sco.get_by_role("button", name="Move “Contain it” up").click()
        sco.get_by_role("button", name="Move “Contain it” up").click()
        sco.get_by_role("button", name=re.compile("Move “Notify.*” down")).click()
    sco.get_by_role("button", name="Next").click()
    sco.get_by_label("Number of hours").fill("72")
    sco.get_by_role("button", name="Submit answers").click()


def _interactions(store: dict[str, str]) -> list[dict[str, str]]:
    records = []
    for n in range(int(store["cmi.interactions._count"])):
        prefix = f"cmi.interactions.{n}."
        records.append({k[len(prefix):]: v for k, v in store.items() if k.startswith(prefix)})
    return records


@pytest.mark.browser
def test_quiz_reports_interactions_score_and_objective(
    chromium: object, course_server: str
) -> None:
    seeded = {
        **NEW_ATTEMPT,
        "cmi.scaled_passing_score": "0.8",  # from the manifest's minNormalizedMeasure
        "cmi.objectives._count": "1",  # the LMS pre-loads the primary objective
        "cmi.objectives.0.id": QUIZ_OBJECTIVE,
    }
    quiz = Launch(chromium, course_server, "quiz/index.html", seeded)
    assert quiz.sco.locator("#passing-score").text_content() == "80%"
    quiz.sco.get_by_role("button", name="Start the quiz").click()
    _answer_quiz(quiz.sco, right=True)
    assert quiz.sco.get_by_role("heading", name="You passed").is_visible()
    quiz.sco.get_by_role("button", name="Try again").click()
    _answer_quiz(quiz.sco, right=False)
    assert quiz.sco.get_by_role("heading", name="Not quite there yet").is_visible()
    store, calls = quiz.close()
    assert _failed(calls) == []

    records = _interactions(store)
    assert len(records) == 12, "one record per question per attempt"
    for record in records:
        assert URN.fullmatch(record["id"])
        assert record["objectives.0.id"] == QUIZ_OBJECTIVE
        assert TIMESTAMP.fullmatch(record["timestamp"])
        assert DURATION.fullmatch(record["latency"])
        assert record["result"] in ("correct", "incorrect")
        pattern = PATTERNS[record["type"]]
        assert pattern.fullmatch(record["learner_response"]), record
        assert pattern.fullmatch(record["correct_responses.0.pattern"]), record
        assert 0 < len(record["description"]) <= 250
    assert [r["result"] for r in records[:6]] == ["correct"] * 6
    assert [r["result"] for r in records[6:]] == ["incorrect"] * 5 + ["correct"]
    assert records[4]["learner_response"] == "contain[,]report[,]assess[,]notify"
    assert records[10]["learner_response"] == "report[,]notify[,]contain[,]assess"

    # The second attempt is the one that counts: 1 of 6.
    assert {k: store[f"cmi.score.{k}"] for k in ("raw", "min", "max", "scaled")} == {
        "raw": "1", "min": "0", "max": "6", "scaled": "0.1667"
    }
    assert REAL.fullmatch(store["cmi.score.scaled"])
    assert store["cmi.success_status"] == "failed"
    assert store["cmi.completion_status"] == "completed"
    assert store["cmi.exit"] == "normal"
    assert store["cmi.objectives._count"] == "1", "the pre-loaded objective is reused"
    assert store["cmi.objectives.0.success_status"] == "failed"
    assert store["cmi.objectives.0.score.scaled"] == "0.1667"
    assert DURATION.fullmatch(store["cmi.session_time"])


@pytest.mark.browser
def test_welcome_and_summary_complete_on_launch(chromium: object, course_server: str) -> None:
    for sco in ("welcome/index.html", "summary/index.html"):
        launch = Launch(chromium, course_server, sco, NEW_ATTEMPT)
        store, calls = launch.close()
        assert _failed(calls) == []
        assert (store["cmi.completion_status"], store["cmi.exit"]) == ("completed", "normal")
        assert DURATION.fullmatch(store["cmi.session_time"])


@pytest.mark.browser
def test_course_works_without_an_lms(chromium: object, course_server: str) -> None:
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{course_server}course/lesson/index.html")
    assert page.get_by_role("status").filter(has_text="No LMS connection").is_visible()
    page.get_by_role("button", name="Next").click()
    assert page.locator("#page-label").text_content() == "Page 2 of 4"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    context.close()
    assert errors == []
