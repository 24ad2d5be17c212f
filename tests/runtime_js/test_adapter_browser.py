"""scorm-api.js in Chromium: a SCO in ``#sco-frame`` finds the API by the standard parent
walk, its commits reach the server, the save status and alerts show, batches survive a
reload in localStorage, and ``pagehide`` beacons what the SCO left uncommitted: deflated,
in parts within the browser's 64 KiB in-flight budget, the rest on the next load.

A small WSGI app on a real socket plays the player origin (a beacon sent while the page
unloads bypasses Playwright's routing, so it must reach a real server): it serves a page
shaped like ``templates/player/player.html``, the two scripts from ``static/js`` and a tiny
SCO, and answers ``/runtime/commit`` like a tracking server whose knobs each test sets.
"""

from __future__ import annotations

import html
import json
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from scorm_player.datamodel import export_json
from scorm_player.services import tracking_body

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "static" / "js"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Player</title></head>
<body>
  <p id="save-status"></p>
  <div id="player-message" role="alert" hidden></div>
  <iframe id="sco-frame" title="Lesson" data-launch-url="/content/sco.html"></iframe>
  <script type="application/json" id="scorm-runtime">{blob}</script>
  <script src="/static/js/scorm-runtime.js"></script>
  <script src="/static/js/scorm-api.js"></script>
</body></html>"""
# The SCORM 2004 discovery walk (rte-api.md section 5), then whatever the test asks for.
SCO = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SCO</title></head>
<body><p id="found">looking</p><script>
  function findApi(win) {
    for (let hops = 0; hops < 500; hops++) {
      if (win.API_1484_11) return win.API_1484_11;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  window.api = findApi(window);
  document.getElementById("found").textContent = window.api ? "found" : "missing";
</script></body></html>"""


@dataclass
class FakeServer:
    """Answers the run-time endpoints as the tracking service does (bodies decoded and
    parts assembled by ``services.tracking_body``); records what arrived."""

    superseded: bool = False
    down: bool = False
    mark: int = 0
    commits: list[dict[str, Any]] = field(default_factory=list)  # applied batches
    requests: list[dict[str, Any]] = field(default_factory=list)  # every commit request
    parts: dict[int, dict[int, list[Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def commit(self, raw: bytes) -> tuple[int, dict[str, Any]]:
        body = tracking_body.decode(raw)
        seq, (index, count) = body["seq"], body.get("part", [1, 1])
        with self.lock:
            self.requests.append({
                "seq": seq, "part": [index, count], "bytes": len(raw),
                "deflated": raw.startswith(tracking_body.DEFLATE_MARKER),
            })
            if self.superseded:
                return 409, {"error": "superseded"}
            if seq <= self.mark:  # a repeated seq is acknowledged, not applied again
                return 200, {"ack": seq, "status": {}}
            kept = self.parts.setdefault(seq, {})
            kept[index] = body["changes"]
            missing = [i for i in range(1, count + 1) if i not in kept]
            if missing:
                return 202, {"ack": None, "pending": [len(kept), count], "missing": missing}
            changes = [c for i in range(1, count + 1) for c in tracking_body.read_changes(kept[i])]
            pairs = tracking_body.assemble(changes)
            self.commits.append({**body, "changes": [list(pair) for pair in pairs]})
            self.mark = seq
            del self.parts[seq]
        return 200, {"ack": seq, "status": {}}

    def wait_for(self, done: Any, page: Any, seconds: float = 10) -> None:
        for _ in range(int(seconds * 10)):  # a beacon leaves as the page goes
            with self.lock:
                if done():
                    return
            page.wait_for_timeout(100)


def _blob(acked_seq: int = 0) -> str:
    blob = {
        "version": "2004", "definitions": export_json("2004"), "policy": "lenient", "mode": "normal",
        "attempt": {"id": 7, "number": 1, "acked_seq": acked_seq, "item": "i1", "title": "Lesson"},
        "state": {"cmi.learner_id": "urn:learner:1", "cmi.learner_name": "Doe, Jo"},
        "data_maps": [], "token": "t1", "token_ttl": 1800,
        "endpoints": {"commit": "/runtime/commit", "renew": "/runtime/renew"},
        "commit_interval_ms": 30000, "launch_url": "/content/sco.html",
        "storage_key": "scorm-player:attempt:7",
    }
    return html.escape(json.dumps(blob), quote=False).replace("&amp;", "&")


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


def _app(server: FakeServer):
    @Request.application
    def app(request: Request) -> Response:
        path = request.path
        if path == "/player.html":
            return Response(PAGE.replace("{blob}", _blob(server.mark)), content_type="text/html")
        if path in ("/static/js/scorm-runtime.js", "/static/js/scorm-api.js"):
            return Response((STATIC / path.rsplit("/", 1)[1]).read_text(), content_type="text/javascript")
        if path == "/content/sco.html":
            return Response(SCO, content_type="text/html")
        if path == "/runtime/commit" and server.down:
            return Response("", status=503)
        if path == "/runtime/commit":
            status, answer = server.commit(request.get_data())
            return Response(json.dumps(answer), status=status, content_type="application/json")
        return Response("", status=404)

    return app


@pytest.fixture
def origin(server: FakeServer) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, _app(server), threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def player(chromium: Any, origin: str) -> Iterator[Any]:
    context = chromium.new_context()
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{origin}/player.html")
    yield page
    context.close()
    assert errors == []


def sco(page: Any) -> Any:
    expect(page.frame_locator("#sco-frame").locator("#found")).to_have_text("found")
    return next(frame for frame in page.frames if frame.url.endswith("/content/sco.html"))


def test_the_sco_finds_the_api_and_its_commit_is_saved(player: Any, server: FakeServer) -> None:
    frame = sco(player)
    assert frame.evaluate("api.version") == "1.0"
    assert frame.evaluate("""[api.Initialize(""), api.SetValue("cmi.location", "p2"),
                              api.GetValue("cmi.learner_name"), api.Commit("")]""") == [
        "true", "true", "Doe, Jo", "true"]
    expect(player.get_by_role("status")).to_have_text("All changes saved")
    assert [(c["seq"], c["changes"], c["token"]) for c in server.commits] == [
        (1, [["cmi.location", "p2"]], "t1"),
    ]


def test_a_superseded_window_says_so(player: Any, server: FakeServer) -> None:
    server.superseded = True
    frame = sco(player)
    frame.evaluate("""api.Initialize(""); api.SetValue("cmi.location", "p2"); api.Commit("")""")
    message = "This course was opened in another window; this window no longer saves."
    expect(player.get_by_role("alert")).to_have_text(message)
    expect(player.get_by_role("status")).to_have_text(message)


def test_unsent_batches_survive_a_reload(player: Any, server: FakeServer) -> None:
    server.down = True
    frame = sco(player)
    frame.evaluate("""api.Initialize(""); api.SetValue("cmi.suspend_data", "offline"); api.Commit("")""")
    expect(player.get_by_role("status")).to_have_text("Not saved — retrying")
    stored = json.loads(player.evaluate("localStorage.getItem('scorm-player:attempt:7')"))
    assert [b["changes"] for b in stored["batches"]] == [[["cmi.suspend_data", "offline"]]]
    server.down = False
    player.reload()
    frame = sco(player)
    assert frame.evaluate("""[api.Initialize(""), api.GetValue("cmi.suspend_data")]""") == ["true", "offline"]
    expect(player.get_by_role("status")).to_have_text("All changes saved")
    assert [c["changes"] for c in server.commits] == [[["cmi.suspend_data", "offline"]]]
    assert player.evaluate("localStorage.getItem('scorm-player:attempt:7')") is None


def test_pagehide_beacons_what_the_sco_did_not_commit(player: Any, server: FakeServer) -> None:
    frame = sco(player)
    frame.evaluate("""api.Initialize(""); api.SetValue("cmi.location", "left-here")""")
    player.goto("about:blank")
    server.wait_for(lambda: server.commits, player)
    assert [(c["seq"], c["changes"]) for c in server.commits] == [(1, [["cmi.location", "left-here"]])]


def suspend_data(length: int) -> str:
    """Suspend data as courses write it: JSON records with varying numbers."""
    rng = random.Random(64)
    records = (
        f'{{"id":"slide_{i:04d}","visited":{str(rng.random() < 0.7).lower()},'
        f'"time":{rng.randrange(90000)},"score":{rng.randrange(101)}}},'
        for i in range(length)
    )
    text = '{"v":3,"slides":['
    while len(text) < length:
        text += next(records)
    return text[:length]


def random_text(length: int) -> str:
    """Printable ASCII at random: deflate saves a little (a smaller alphabet), no more."""
    rng = random.Random(120)
    return "x" + "".join(chr(rng.randrange(0x20, 0x7F)) for _ in range(length - 1))


def test_a_64000_character_suspend_data_arrives_deflated_at_pagehide(
    player: Any, server: FakeServer
) -> None:
    value = suspend_data(64000)
    frame = sco(player)
    frame.evaluate("value => { api.Initialize(''); api.SetValue('cmi.suspend_data', value); }", value)
    player.goto("about:blank")  # closed without Commit

    server.wait_for(lambda: server.commits, player)
    assert [r["part"] for r in server.requests] == [[1, 1]] and server.requests[0]["deflated"]
    assert server.requests[0]["bytes"] < 60 * 1024 / 4
    assert server.commits[0]["changes"] == [["cmi.suspend_data", value]]


def test_what_the_in_flight_budget_leaves_goes_on_the_next_load(
    player: Any, server: FakeServer, origin: str
) -> None:
    data, comment = suspend_data(64000), random_text(120000)
    frame = sco(player)
    frame.evaluate(
        """([data, comment]) => {
          api.Initialize("");
          api.SetValue("cmi.suspend_data", data);
          api.SetValue("cmi.comments_from_learner.0.comment", comment);
        }""",
        [data, comment],
    )
    player.goto("about:blank")  # closed without Commit: one batch, too big for one beacon

    server.wait_for(lambda: server.requests, player)
    player.wait_for_timeout(500)
    with server.lock:
        closed = [r["part"] for r in server.requests]
    count = closed[0][1]
    assert count > 1 and len(closed) < count and server.commits == []  # not all of it fit
    assert sum(r["bytes"] for r in server.requests) <= 64 * 1024

    player.goto(f"{origin}/player.html")  # the next load of the same attempt
    server.wait_for(lambda: server.commits, player)

    parts = [r["part"] for r in server.requests]
    assert sorted(parts) == [[i, count] for i in range(1, count + 1)]  # each part once
    [batch] = server.commits
    assert batch["changes"] == [
        ["cmi.suspend_data", data], ["cmi.comments_from_learner.0.comment", comment],
    ]
    expect(player.get_by_role("status")).to_have_text("All changes saved")
    assert player.evaluate("localStorage.getItem('scorm-player:attempt:7')") is None


def test_deflating_64000_characters_takes_well_under_50_ms(player: Any) -> None:
    timings = player.evaluate(
        """value => {
          const body = {token: "t", attempt: 7, seq: 1, changes: [["cmi.suspend_data", value]]};
          const times = [];
          let encoded = null;
          for (let i = 0; i < 7; i++) {
            const started = performance.now();
            encoded = ScormApi.encodeBody(body);
            times.push(performance.now() - started);
          }
          return {first: times[0], median: times.slice().sort((a, b) => a - b)[3],
                  bytes: encoded.bytes, textBytes: encoded.textBytes};
        }""",
        suspend_data(64000),
    )

    assert timings["bytes"] < timings["textBytes"] / 5
    assert timings["median"] < 50 and timings["first"] < 200
