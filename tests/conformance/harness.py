"""The harness side of the CTS: what the Java test application did for its applet.

:class:`Harness` is a small HTTP server on 127.0.0.1 that the stand-in (``cts_driver.js``)
posts to synchronously: ``eval`` (a delivery: the harness counts the visit and says whether
it is the one the script lists next), ``uiq``/``uia``, ``commands``, ``instructions``,
``log``, ``terminate``, ``failed`` and ``completed``. Each test run has a :class:`Run`
(keyed by a run id written into the package by the assembler) that records deliveries and
the first mismatch; the runner waits on it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.conformance.cts_data import Script


@dataclass
class Delivery:
    """One ``evalID`` call: activity ``act`` delivered for the ``visit``-th time."""

    index: int
    act: str
    visit: int
    expected_label: str | None
    done: bool = False  # the page ran its commands or showed its instructions
    uiq: int = 0  # how many UI questions the page shows
    uia: bool = False  # the UI answers were evaluated

    @property
    def label(self) -> str:
        return f"Act{self.act}V{self.visit}"

    @property
    def expected(self) -> bool:
        return self.label == self.expected_label


@dataclass
class Run:
    """The state of one test run, shared by the HTTP thread and the runner."""

    run_id: str
    test_id: str
    script: Script
    deliveries: list[Delivery] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    failure: str | None = None
    log: list[str] = field(default_factory=list)
    completed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def order(self) -> list[str]:
        return [v.label for v in self.script.visits]

    def fail(self, message: str) -> None:
        """Keep the first mismatch (the CTS log's first FAILED line)."""
        with self.lock:
            if self.failure is None:
                self.failure = message
            self.log.append(f"FAILED {message}")

    def note(self, message: str) -> None:
        with self.lock:
            self.log.append(message)

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        kind = message.get("type")
        if kind == "eval":
            return self._eval(str(message.get("tc", "")), str(message.get("act", "")))
        label = message.get("label") or "?"
        current = self.deliveries[-1] if self.deliveries else None
        failure = message.get("failure")
        if failure:
            self.fail(f"{label}: {failure}")
        for more in message.get("more") or []:
            self.note(f"{label}: also {more}")
        if kind in ("commands", "instructions") and current is not None:
            current.done = True
        elif kind == "uiq" and current is not None:
            current.uiq = int(message.get("count") or 0)
        elif kind == "uia" and current is not None:
            current.uia = True
        elif kind == "completed":
            self.completed += 1
        elif kind == "log" and not failure:
            self.note(f"{label}: log {message.get('message')}")
        return {"ok": True}

    def _eval(self, tc: str, act: str) -> dict[str, Any]:
        with self.lock:
            self.counts[act] = self.counts.get(act, 0) + 1
            index = len(self.deliveries)
            order = self.order
            expected = order[index] if index < len(order) else None
            delivery = Delivery(index, act, self.counts[act], expected)
            self.deliveries.append(delivery)
            self.log.append(f"delivered {delivery.label} (tc={tc})")
        if tc != self.script.tc:
            self.fail(f"delivery {index + 1}: test case {tc!r} launched, expected {self.script.tc!r}")
        elif not delivery.expected:
            wanted = expected or "no further delivery"
            self.fail(f"delivery {index + 1}: {delivery.label} launched, expected {wanted}")
        return {
            "label": delivery.label, "act": act, "visit": delivery.visit,
            "expected": delivery.expected and tc == self.script.tc,
        }

    def more_mismatches(self) -> list[str]:
        """Mismatches a page found after its first (for the report; the first fails the run)."""
        with self.lock:
            return [line for line in self.log if ": also command " in line]

    def delivered(self) -> list[str]:
        with self.lock:
            return [d.label for d in self.deliveries]


class Harness:
    """The HTTP endpoint every stand-in reports to; ``url`` goes into the packages."""

    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        harness = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _send(self, status: int, body: dict[str, Any] | None = None) -> None:
                data = json.dumps(body or {}).encode()
                self.send_response(status)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Content-Type")
                self.send_header("Access-Control-Allow-Private-Network", "true")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a beacon sent from an unloading page does not wait for answers

            def do_OPTIONS(self) -> None:  # noqa: N802
                self._send(204)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    message = json.loads(self.rfile.read(length).decode("utf-8"))
                except ValueError:
                    self._send(400, {"error": "not JSON"})
                    return
                run = harness.runs.get(str(message.get("run")))
                if run is None:
                    self._send(404, {"error": "unknown run"})
                    return
                self._send(200, run.handle(message))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Harness":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def open_run(self, run_id: str, test_id: str, script: Script) -> Run:
        run = Run(run_id, test_id, script)
        self.runs[run_id] = run
        return run

