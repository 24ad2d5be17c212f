#!/usr/bin/env python
"""Run ADL's SCORM 2004 4th Edition CTS LMS tests against scorm-player in headless Chromium.

For each test: assemble the package (``assemble.py``, with the JavaScript stand-in for the
applet), import it, open a launch link, and let the stand-in run each delivered activity's
commands against ``API_1484_11``. After each activity the runner does what the test's user
instruction (``CUI``) tells the tester: press the player's Continue / Previous / Exit All /
Suspend All (``[data-nav=...]``), choose an activity from its table of contents
(``[data-nav=choice][data-item-id=...]``), answer UI questions, relaunch. The harness
(``harness.py``) checks that activities arrive in the order the script lists them.

Standalone (uses the installed ``scorm-player``: ``serve``, ``import --json``,
``launch-link``)::

    python tests/conformance/run_cts.py --cts-dir ../shared/cts [--only ID ...] [--report FILE]

The last line printed is ``CTS: N of M tests passed``. ``test_cts.py`` runs the same
:func:`run_all` with the services in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

if __package__ in (None, ""):  # run as a script: make `tests.conformance` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conformance.assemble import assemble  # noqa: E402
from tests.conformance.cts_data import (  # noqa: E402
    ERRATA,
    Organization,
    Script,
    Visit,
    organization,
    read_properties,
    script_for,
    test_ids,
)
from tests.conformance.harness import Harness, Run  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
FIRST_DELIVERY_S = 15.0  # page load, API install, SCO load
NEXT_DELIVERY_S = 5.0  # with no sign of the player moving
MOST_DELIVERY_S = 45.0  # while it moves
PAGE_DONE_S = 30.0  # DMI runs thousands of API calls in one page
SETTLE_S = 0.3
END_S = 4.0
#: Packages that form one test: DDMa and DDMb share the DDM script, which starts in DDMa.
SCENARIOS = {"DDMa": ("DDMa", "DDMb"), "DDMb": ("DDMa", "DDMb")}

#: Tests that read the global objectives earlier tests of the suite wrote. The original
#: suite ran every test, in order, as the same learner, so these start from what their
#: predecessors left (SX-11c expects the raw, min and max scores SX-11a wrote to gObj-SX11).
#: Each test here is played after its predecessors, as one learner; its verdict is its own.
PREDECESSORS: dict[str, tuple[str, ...]] = {
    "CO-07b": ("CO-07a",),
    "OB-03b": ("OB-03a",),
    "OB-03c": ("OB-03a", "OB-03b"),
    "OB-08b": ("OB-08a",),
    "OB-09b": ("OB-09a",),
    "SX-11b": ("SX-11a",),
    "SX-11c": ("SX-11a", "SX-11b"),
}
NAV_CONTROLS = ("continue", "previous", "exit", "suspend-all", "exit-all")


# --- results -------------------------------------------------------------------------------


@dataclass
class Result:
    """One test's outcome, as written to the report."""

    test_id: str
    passed: bool
    failure: str | None
    delivered: list[str]
    expected: list[str]
    seconds: float
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.passed:
            return f"PASS {self.test_id} ({len(self.delivered)} deliveries, {self.seconds:.1f}s)"
        ui = [n for n in self.notes if " UI: " in n]
        if ui and "UI answers" in (self.failure or ""):
            return f"FAIL {self.test_id}: {self.failure} ({ui[-1]})"
        return f"FAIL {self.test_id}: {self.failure}"


# --- how packages get into the player ------------------------------------------------------


class Backend(Protocol):
    base_url: str

    async def import_zip(self, path: Path) -> str: ...

    async def launch_link(self, course_id: str, learner_id: str, learner_name: str) -> str: ...

    async def close(self) -> None: ...


class ImportFailed(Exception):
    """The player refused a CTS package."""


class CliBackend:
    """The installed ``scorm-player``: ``serve`` on a free port with a temp data dir."""

    def __init__(self, executable: str, data_dir: Path) -> None:
        self.executable = executable
        self.env = {**os.environ, "SCORM_PLAYER_DATA_DIR": str(data_dir)}
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = (data_dir / "serve.log").open("wb")
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> "CliBackend":
        await self._run("db", "upgrade")
        self.process = subprocess.Popen(
            [self.executable, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # no other thread runs yet (the harness starts later)
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"scorm-player serve exited with {self.process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                await asyncio.sleep(0.2)
        raise RuntimeError("scorm-player serve did not start within 30 s")

    async def _run(self, *args: str) -> str:
        process = await asyncio.create_subprocess_exec(
            self.executable, *args, env=self.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0 and args[0] != "import":
            raise RuntimeError(f"scorm-player {args[0]} failed: {err.decode(errors='replace')}")
        return out.decode()

    async def import_zip(self, path: Path) -> str:
        answer = json.loads(await self._run("import", str(path), "--json"))
        if not answer.get("ok"):
            raise ImportFailed(_import_errors(answer.get("errors") or []))
        return str(answer["course_id"])

    async def launch_link(self, course_id: str, learner_id: str, learner_name: str) -> str:
        out = await self._run(
            "launch-link", course_id, "--learner-id", learner_id,
            "--learner-name", learner_name, "--base-url", self.base_url,
        )
        return out.strip().splitlines()[-1]

    async def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def _die_with_parent() -> None:
    """In the server's process: ask Linux to stop it when the runner dies, however the
    runner dies (a stopped runner used to leave ``scorm-player serve`` running)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: main()'s SIGTERM handler still closes it
        pass


class ServicesBackend:
    """The app and its services in this process (pytest): a threaded WSGI server."""

    def __init__(self, data_dir: Path) -> None:
        from werkzeug.serving import make_server

        from scorm_player.web import create_app
        from scorm_player.web.common import EXTENSION

        self.app = create_app({"SCORM_PLAYER_DATA_DIR": str(data_dir), "SECRET_KEY": "cts"})
        self.services = self.app.extensions[EXTENSION]
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self._lock = threading.Lock()

    async def import_zip(self, path: Path) -> str:
        from scorm_player.packaging import PackageRejected

        def run() -> str:
            with self._lock:
                try:
                    return str(self.services.courses.import_zip(path).course.id)
                except PackageRejected as rejected:
                    errors = rejected.report.to_dict()["errors"]
                    raise ImportFailed(_import_errors(errors)) from None

        return await asyncio.to_thread(run)

    async def launch_link(self, course_id: str, learner_id: str, learner_name: str) -> str:
        token = self.services.launches.make_link_token(course_id, learner_id, learner_name)
        return f"{self.base_url}/launch/{token}"

    async def close(self) -> None:
        self.server.shutdown()
        self.services.close()


def _import_errors(errors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e.get('code')}: {e.get('message')}" for e in errors) or "rejected"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the player page -----------------------------------------------------------------------

_FACTS_JS = """() => {
  const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden";
  const enabled = (el) => visible(el) && !el.disabled &&
    el.getAttribute("aria-disabled") !== "true";
  const nav = {};
  for (const name of %s) {
    const el = document.querySelector(`[data-nav="${name}"]`);
    nav[name] = {present: !!el, visible: visible(el), enabled: enabled(el)};
  }
  const toc = [...document.querySelectorAll('[data-nav="choice"]')].map((el) => ({
    id: el.dataset.itemId, visible: visible(el), enabled: enabled(el) && el.dataset.enabled !== "false",
    current: el.getAttribute("aria-current") === "location" || el.getAttribute("aria-current") === "true"}));
  let state = null;
  try {
    if (window.scormPlayer && typeof window.scormPlayer.state === "function") {
      state = window.scormPlayer.state();
    }
  } catch (error) { state = null; }
  const frame = document.getElementById("sco-frame");
  const src = frame ? (frame.getAttribute("src") || "") : "";
  return {nav, toc, state, frame: !!frame, src};
}""" % json.dumps(list(NAV_CONTROLS))


class Player:
    """The player page as the tester sees it: its navigation controls and TOC."""

    def __init__(self, page: Any, run: Run, links: dict[str, str], orgs: dict[str, Organization]):
        self.page = page
        self.run = run
        self.links = links
        self.orgs = orgs
        self.package = next(iter(links))
        self.notes: list[str] = []
        self.link_choice = False  # may "launch X" reopen the launch link on X (no TOC)?

    async def facts(self) -> dict[str, Any]:
        try:
            return await self.page.evaluate(_FACTS_JS)
        except Exception as error:  # navigating: the page is between documents
            return {"nav": {}, "toc": [], "state": None, "frame": False, "src": "", "error": str(error)}

    @staticmethod
    def active(facts: dict[str, Any]) -> bool:
        """Whether content is delivered (the sequencing session has not ended)."""
        if facts.get("error"):
            return True  # between two documents: not known to have ended
        state = facts.get("state")
        if isinstance(state, dict) and "current" in state:
            return state.get("current") not in (None, "")
        src = facts.get("src") or ""
        return bool(facts.get("frame")) and src not in ("", "about:blank")

    async def wait_delivery(self, index: int, timeout: float) -> bool:
        """Wait for delivery ``index``. While the player visibly moves (another item becomes
        current, the frame loads another page) the wait is extended, up to
        :data:`MOST_DELIVERY_S`: a slow machine is not a stalled player."""
        run = self.run
        started = time.monotonic()
        deadline = started + timeout
        mark = None
        while True:
            if len(run.deliveries) > index or run.failure is not None:
                return len(run.deliveries) > index
            now = time.monotonic()
            if now >= deadline:
                return False
            facts = await self.facts()
            state = facts.get("state") if isinstance(facts.get("state"), dict) else {}
            seen = (state.get("current"), facts.get("src"), facts.get("error") is not None, self.page.url)
            last = run.deliveries[-1] if run.deliveries else None
            on_screen = self.orgs[self.package].acts.get(last.act) if last else None
            moved_on = bool(state.get("current")) and state.get("current") != on_screen
            if (mark is not None and seen != mark) or moved_on:
                deadline = min(max(deadline, now + timeout), started + MOST_DELIVERY_S)
            mark = seen
            await asyncio.sleep(0.2)

    async def describe(self) -> str:
        """What the player shows, for a failure message."""
        facts = await self.facts()
        state = facts.get("state") if isinstance(facts.get("state"), dict) else {}
        try:
            shown = await self.page.evaluate(
                """() => [...document.querySelectorAll('#player-message, #stage-notice, main h1')]
                   .filter((el) => !el.hidden).map((el) => el.textContent.trim().replace(/\\s+/g, ' '))
                   .filter(Boolean).join(' | ')"""
            )
        except Exception:
            shown = ""
        where = f"current {state.get('current')!r}" if state else ("content shown" if self.active(facts) else "no content")
        page = re.sub(r"/launch/[^/?]+", "/launch/…", self.page.url)
        return f"the player ({page}) shows {where}" + (f": {shown[:200]}" if shown else "")

    async def open(self, package: str | None = None, item: str | None = None) -> None:
        self.package = package or self.package
        url = self.links[self.package]
        if item:  # the learner starts the course on a chosen activity (a choice request)
            url += ("&" if "?" in url else "?") + f"nav=choice&item={item}"
        for tries_left in (4, 3, 2, 1, 0):
            try:
                await self.page.goto(url, wait_until="domcontentloaded")
                return
            except Exception as error:
                # The player may still be on its way out (Exit waits for the server to record
                # the end of the session, then goes to the exit page): let it arrive, retry.
                raced = ("interrupted by another navigation", "net::ERR_ABORTED")
                if tries_left == 0 or not any(text in str(error) for text in raced):
                    raise
                await self.page.wait_for_load_state("domcontentloaded")
                await asyncio.sleep(0.5)  # the player may navigate once more (exit page)

    async def nav(self, name: str) -> str | None:
        """Press a navigation control; a problem (no such control, disabled) or None."""
        facts = await self.facts()
        control = facts["nav"].get(name) or {}
        if not control.get("present"):
            return f"the player has no [data-nav={name}] control"
        if not control.get("enabled"):
            return f"the player's {name} control is not enabled"
        await self.page.click(f'[data-nav="{name}"]')
        return None

    def item_for(self, title: str) -> str | None:
        org = self.orgs[self.package]
        root = re.search(r'root of "([^"]+)"', title)
        if root or title == "root":
            return org.identifier
        return org.item_for(re.sub(r"<[^>]+>", "", title))

    async def choose(self, title: str) -> str | None:
        item = self.item_for(title)
        if item is None:
            return f"no item titled {title!r} in {self.package}"
        facts = await self.facts()
        if not facts["toc"]:
            if not self.link_choice:
                return "the player has no table of contents ([data-nav=choice])"
            # A run-time test, and no table of contents: reopen the launch link on the item.
            self.notes.append(f"chose {item} through the launch link (no TOC)")
            await self.open(item=item)
            return None
        entry = next((e for e in facts["toc"] if e["id"] == item), None)
        if entry is None or not entry["visible"]:
            return f"the TOC has no visible entry for {item} ({title})"
        if not entry["enabled"]:
            return f"the TOC entry for {item} ({title}) is not selectable"
        # A tester clicks the entry's own row: the middle of a cluster's entry is one of the
        # entries inside it (CM-04b chose Activity 10 and clicked Activity 12).
        entry_selector = f'[data-nav="choice"][data-item-id="{item}"]'
        row = self.page.locator(f"{entry_selector} > .toc__row")
        await (row if await row.count() else self.page.locator(entry_selector)).first.click()
        return None

    async def leave(self) -> None:
        """Exit the course if it is still running (the tester's "exit the package/course")."""
        for _ in range(LEAVE_TRIES):
            facts = await self.facts()
            if not self.active(facts):
                return
            if not (facts["nav"].get("exit-all") or {}).get("enabled"):
                break
            # the player navigates by itself once the server recorded the exit: wait_ended
            # watches for that, the click need not. A click that lands while the player is
            # loading its next page (a loaded machine) times out: look again and retry.
            try:
                await self.page.click(
                    '[data-nav="exit-all"]', no_wait_after=True, timeout=LEAVE_CLICK_MS
                )
            except Exception as error:  # playwright's TimeoutError, or a detached element
                self.notes.append(f"Exit All click missed ({type(error).__name__}), again")
                continue
            if await self.wait_ended():
                self.notes.append(f"left {self.package} by Exit All")
                return
        self.notes.append(f"left {self.package} without Exit All (course still running)")

    async def wait_ended(self, timeout: float = END_S) -> bool:
        """Wait until no content is delivered, twice in a row (a page between two SCOs
        shows none for a moment) with no delivery in between."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            count = len(self.run.deliveries)
            if not self.active(await self.facts()):
                await asyncio.sleep(0.3)
                if not self.active(await self.facts()) and len(self.run.deliveries) == count:
                    return True
            await asyncio.sleep(0.1)
        return False

    async def answer_ui(self, uiq: str) -> None:
        """Answer the page's UI questions from what the player shows, then submit."""
        facts = await self.facts()
        frame = self.page.frame_locator("#sco-frame")
        said = []
        for i, question in enumerate(uiq.split("~")):
            key, _, var = question.partition("@")
            yes = self._truth(key, var, facts)
            said.append(f"{question}={'Y' if yes else 'N'}")
            await frame.locator(f"#{'t' if yes else 'f'}Radio{i}").check()
        self.notes.append(f"{self.run.deliveries[-1].label} UI: " + ", ".join(said))
        await frame.locator("#submit").click()

    def _truth(self, key: str, var: str, facts: dict[str, Any]) -> bool:
        nav = facts.get("nav") or {}
        toc = facts.get("toc") or []
        if key in ("continue.enabled", "previous.enabled"):
            return bool((nav.get(key.split(".")[0]) or {}).get("enabled"))
        if key in ("continue.disabled", "previous.disabled"):
            return not (nav.get(key.split(".")[0]) or {}).get("enabled")
        if key == "toc.enabled":
            # A TOC whose one selectable entry is the activity on screen offers no choice.
            return any(e["visible"] and e["enabled"] and not e["current"] for e in toc)
        if key in ("toc.enabled.selectable", "toc.visible"):
            item = self.item_for(var)
            entry = next((e for e in toc if e["id"] == item), None)
            if entry is None or not entry["visible"]:
                return False
            return key == "toc.visible" or bool(entry["enabled"])
        if key == "ui.visible":
            return bool((nav.get(var.lower().replace(" ", "-")) or {}).get("visible"))
        return key == "click.button"


# --- one test ------------------------------------------------------------------------------


async def _wait(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        await asyncio.sleep(interval)
    return bool(predicate())


def _steps(visit: Visit, instructions: dict[str, str]) -> list[tuple[str, str | None]]:
    """What the tester does for a visit's user instruction (``CUI``)."""
    key, *args = visit.cui.split("~")
    text = instructions.get(key, key)
    for arg in args:
        text = text.replace("%s", arg, 1)
    bold = re.findall(r"<b>(.*?)</b>", text)
    if key == "Continue":
        return [("nav", "continue")]
    if key == "Previous":
        return [("nav", "previous")]
    if key == "Choice":
        return [("choose", args[0])]
    if key == "ChoiceExit":
        return [("choose", args[0]), ("ended", None)]
    if key == "RootSX4b":
        return [("choose", "root")]
    if key == "TRIGExitAll":
        return [("nav", "exit-all"), ("ended", None)]
    if key == "ContinueExitCM8":
        return [("nav", "continue"), ("ended", None), ("relaunch", None)]
    if key == "SuspendCM09ca":
        return [("nav", "suspend-all"), ("relaunch", None)]
    if key in ("AutoTest", "HasEnded", "OKEnd"):
        return [("ended", None)]
    if key == "Exit":
        return [("exit", None)]
    if key in ("APIt1", "APIt2") or key.startswith("DMIt") or key == "launch":
        return [("choose", args[0] if args else bold[0])]
    if key in ("LaunchDDMb", "exitlaunch"):
        return [("leave", None), ("relaunch", args[0] if args else "DDMb")]
    if key in ("RelaunchCM10", "DMBxAct"):
        # "relaunch and choose X": start the package again on X (as for start=X).
        return [("leave", None), ("relaunch-choose", bold[-1])]
    if key.lower().startswith("relaunch") or key in ("ExitCM09ba", "DMBx", "autoendrelaunch"):
        named = re.fullmatch(r"ReLaunch(DDM[ab])", key)  # the package is in the key's name
        package = args[0] if args else named[1] if named else None
        return [("leave", None), ("relaunch", package)]
    return [("unknown", visit.cui)]


async def _perform(player: Player, run: Run, visit: Visit, instructions: dict[str, str]) -> None:
    steps = _steps(visit, instructions)
    if any(c.startswith("SET->a~n~r!") for c in visit.commands):
        # The SCO asked for navigation itself: let the player act on it before the tester.
        count = len(run.deliveries)
        await _wait(lambda: len(run.deliveries) > count, 1.0)
        ends = any(
            c.startswith(f"SET->a~n~r!{r}->") for c in visit.commands for r in SESSION_ENDING
        )
        if len(run.deliveries) == count and (ends or any(s in RELAUNCH for s, _ in steps)):
            # ...and when it ended the course (by itself, or by a post condition the tester
            # then relaunches after), let the server record that first: on a loaded machine
            # a relaunch could otherwise overtake a suspendAll (DMB) or an exitAll (RU-14a)
            await player.wait_ended()
    for step, arg in steps:
        problem: str | None = None
        if step == "nav":
            problem = await player.nav(str(arg))
        elif step == "choose":
            problem = await player.choose(str(arg))
        elif step == "ended":
            if not await player.wait_ended():
                problem = "the sequencing session did not end"
        elif step == "exit":
            await player.leave()
        elif step == "leave":
            await player.leave()
        elif step == "relaunch-choose":
            item = player.item_for(str(arg))
            if item is None:
                problem = f"no item titled {arg!r}"
            else:
                await player.open(item=item)
        elif step == "relaunch":
            package = arg if arg in player.links else None
            await player.open(package)
        else:
            problem = f"no runner action for the instruction {arg!r}"
        if problem:
            run.fail(f"{visit.label} ({visit.cui}): {problem}")
            return


@dataclass
class Prepared:
    """A test ready to play: its run, and each package's launch link and organization."""

    run: Run
    links: dict[str, str]
    orgs: dict[str, Organization]
    seconds: float
    learner: str


async def prepare(
    backend: Backend, harness: Harness, cts_dir: Path, packages: tuple[str, ...], work_dir: Path,
    learner: str | None = None,
) -> Prepared:
    """Assemble and import the test's packages (one, or DDMa+DDMb) and make launch links
    (for ``learner``, else a learner of the run's own)."""
    started = time.monotonic()
    run_id = uuid.uuid4().hex
    script = Script.load(cts_dir, script_for(packages[0]))
    run = harness.open_run(run_id, packages[0], script)
    # The harness registered learner 1 for the API test and learner 2 for the others; each
    # run gets its own learner so no global objective or shared data leaks between tests
    # (but the tests of a PREDECESSORS chain share one).
    learner = learner or ("cts-1-" if script.tc == "API" else "cts-2-") + run_id[:12]
    learner_name = "Learner, One" if script.tc == "API" else "Learner, Two"
    links: dict[str, str] = {}
    orgs: dict[str, Organization] = {}
    for package in packages:
        zip_path = assemble(cts_dir, package, work_dir / run_id, run_id=run_id, harness_url=harness.url)
        try:
            course_id = await backend.import_zip(zip_path)
        except ImportFailed as error:
            run.fail(f"import of {package} refused: {error}")
            break
        links[package] = await backend.launch_link(course_id, learner, learner_name)
        orgs[package] = organization(cts_dir, package)
    return Prepared(run, links, orgs, time.monotonic() - started, learner)


#: Exit All when the tester leaves a course: tries, and how long one click may wait.
LEAVE_TRIES = 3
LEAVE_CLICK_MS = 8000

#: SCO navigation requests (commands.properties abbreviations) that end the course session:
#: suspendAll, exitAll, abandonAll.
SESSION_ENDING = ("N.sa", "N.ea", "N.aa")

#: Tester steps that open the course again.
RELAUNCH = ("relaunch", "relaunch-choose")

#: Tests of the run-time alone (not of sequencing): without a TOC in the player, "launch
#: activity X" may reopen the launch link on X.
RUN_TIME_ONLY = ("purposeAPI", "purposeDMI", "purposeDMB")


async def play(browser: Any, prepared: Prepared, instructions: dict[str, str]) -> list[str]:
    """Play a prepared test in a fresh browser context; return the runner's notes."""
    run = prepared.run
    if run.failure:
        return []
    script = run.script
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(15000)  # a control that cannot be clicked in 15 s will not be
    page.on("dialog", lambda dialog: _dismiss(run, dialog))
    player = Player(page, run, prepared.links, prepared.orgs)
    player.link_choice = script.properties.get("purpose") in RUN_TIME_ONLY
    start = script.properties.get("start", ".")
    start_item = player.item_for(start) if start not in (".", "", player.package) else None
    try:
        # "start=Activity N": the tester starts the package by choosing N from the TOC.
        await player.open(item=start_item)
        for i, visit in enumerate(script.visits):
            timeout = FIRST_DELIVERY_S if i == 0 else NEXT_DELIVERY_S
            arrived = await player.wait_delivery(i, timeout)
            if run.failure:
                break
            if not arrived:
                previous = script.visits[i - 1] if i else None
                after = f" after {previous.label}" + (f" ({previous.cui})" if previous.cui else "") if previous else ""
                run.fail(f"{visit.label} was never launched{after}; {await player.describe()}")
                break
            delivery = run.deliveries[i]
            if visit.uiq:
                await _wait(lambda: delivery.uiq > 0 or delivery.done or run.failure is not None, PAGE_DONE_S)
                if delivery.uiq and not delivery.done:
                    await player.answer_ui(visit.uiq)
            if not await _wait(lambda: delivery.done or run.failure is not None, PAGE_DONE_S):
                run.fail(f"{visit.label}: the page did not finish its commands")
            if run.failure:
                break
            if visit.cui:
                await asyncio.sleep(SETTLE_S)
                await _perform(player, run, visit, instructions)
                if run.failure:
                    break
        if run.failure is None:
            await asyncio.sleep(SETTLE_S)  # an extra delivery would fail the run (harness)
    except Exception as error:  # a browser or page error is a failed test, not a crash
        run.fail(f"runner error: {type(error).__name__}: {error}")
    finally:
        await context.close()
    return player.notes


def errata_notes(tc: str) -> list[str]:
    """What the report says of the corrections made to a script's own data errors."""
    return [
        f"erratum: {tc}.properties lines {e.first}-{e.last} read as {e.right}.. "
        f"(the suite says {e.wrong}..): {e.evidence}"
        for e in ERRATA.get(tc, ())
    ]


def _dismiss(run: Run, dialog: Any) -> None:
    run.note(f"dialog {dialog.type}: {dialog.message}")
    asyncio.ensure_future(dialog.dismiss())


# --- all tests -----------------------------------------------------------------------------


async def run_all(
    cts_dir: Path,
    backend: Backend,
    only: list[str] | None = None,
    *,
    workers: int = 5,
    on_result: Any = None,
) -> dict[str, Result]:
    """Run the selected tests (all 189 by default), ``workers`` at a time."""
    from playwright.async_api import async_playwright

    selected = only or test_ids(cts_dir)
    harness = Harness().start()
    results: dict[str, Result] = {}
    prep_gate = asyncio.Semaphore(2)  # imports run ahead of the browser, two at a time
    play_gate = asyncio.Semaphore(workers)
    instructions = read_properties(cts_dir / "instructions.properties")
    work_dir = Path(tempfile.mkdtemp(prefix="cts-"))
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def one(chain: list[tuple[tuple[str, ...], list[str]]]) -> None:
                """Play a chain's scenarios in order as one learner; record the verdicts of
                the selected tests (a predecessor played only for its successor: a note)."""
                learner, before = None, []
                for packages, ids in chain:
                    try:
                        async with prep_gate:
                            prepared = await prepare(
                                backend, harness, cts_dir, packages, work_dir, learner
                            )
                        learner = prepared.learner
                        async with play_gate:
                            started = time.monotonic()
                            notes = before + await play(browser, prepared, instructions)
                            seconds = time.monotonic() - started
                        run = prepared.run
                        failure, delivered, expected = run.failure, run.delivered(), run.order
                        notes += run.more_mismatches() + errata_notes(run.script.tc)
                    except Exception as error:
                        failure, delivered, expected, seconds = f"runner error: {error!r}", [], [], 0.0
                        notes = list(before)
                    before = before + [
                        f"played {packages[0]} first, as the same learner: {failure or 'passed'}"
                    ]
                    for test_id in ids:
                        result = Result(test_id, failure is None, failure, delivered, expected, seconds, notes)
                        results[test_id] = result
                        if on_result:
                            on_result(result)

            await asyncio.gather(*(one(chain) for chain in chains(selected)))
            await browser.close()
    finally:
        harness.stop()
        shutil.rmtree(work_dir, ignore_errors=True)
    return {test_id: results[test_id] for test_id in selected}


def chains(selected: list[str]) -> list[list[tuple[tuple[str, ...], list[str]]]]:
    """The selected tests as chains to play, each in order as one learner: a scenario
    (one test, or DDMa+DDMb) after its ``PREDECESSORS``, each played once. The ids paired
    with a scenario are the selected tests it decides (none for a predecessor played only
    for a later test's sake)."""
    scenarios: dict[tuple[str, ...], list[str]] = {}
    for test_id in selected:
        scenarios.setdefault(SCENARIOS.get(test_id, (test_id,)), []).append(test_id)
    for packages in list(scenarios):
        for predecessor in PREDECESSORS.get(packages[0], ()):
            scenarios.setdefault((predecessor,), [])
    covered = {p for packages in scenarios for p in PREDECESSORS.get(packages[0], ())}
    return [
        [
            ((first,), scenarios[(first,)])
            for first in PREDECESSORS.get(packages[0], ())
        ]
        + [(packages, ids)]
        for packages, ids in scenarios.items()
        if packages[0] not in covered
    ]


def summary_line(results: dict[str, Result]) -> str:
    passed = sum(1 for r in results.values() if r.passed)
    return f"CTS: {passed} of {len(results)} tests passed"


def write_report(path: Path, results: dict[str, Result]) -> None:
    passed = [r.test_id for r in results.values() if r.passed]
    report = {
        "summary": summary_line(results),
        "passed": passed,
        "tests": {test_id: asdict(r) for test_id, r in results.items()},
    }
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--cts-dir", type=Path, required=True, help="the CTS data (../shared/cts)")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these tests")
    parser.add_argument("--report", type=Path, help="write a JSON report here")
    parser.add_argument("--workers", type=int, default=5, help="tests played at once (default 5)")
    parser.add_argument(
        "--scorm-player", default=shutil.which("scorm-player")
        or str(Path(sys.executable).with_name("scorm-player")),
        help="the scorm-player command (default: on PATH, else next to this Python)",
    )
    args = parser.parse_args(argv)
    cts_dir = args.cts_dir.resolve()
    known = set(test_ids(cts_dir))
    unknown = [t for t in args.only or [] if t not in known]
    if unknown:
        parser.error(f"unknown test ids: {', '.join(unknown)}")

    async def go() -> dict[str, Result]:
        data_dir = Path(tempfile.mkdtemp(prefix="cts-data-"))
        backend = await CliBackend(args.scorm_player, data_dir).start()
        try:
            return await run_all(
                cts_dir, backend, args.only, workers=args.workers,
                on_result=lambda r: print(r.line(), flush=True),
            )
        finally:
            await backend.close()
            shutil.rmtree(data_dir, ignore_errors=True)

    # A runner stopped with SIGTERM unwinds like Ctrl-C, so ``go`` stops the server and
    # removes its data directory.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    results = asyncio.run(go())
    if args.report:
        write_report(args.report, results)
    print(summary_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
