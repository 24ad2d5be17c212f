"""Run-time benchmark: the API adapter in Chromium, and the tracking server under load.

(a) GetValue/SetValue calls per second in headless Chromium for our adapter
    (``static/js/scorm-runtime.js`` driven by the exported data model), as a ratio to the npm
    package ``scorm-again`` (its ``Scorm2004API``/``Scorm12API``) doing the same calls in the
    same page and run. ``scorm-again`` is installed from the npm registry into
    ``bench/.node/`` (git-ignored) on first use.
(b) Commits per second and p50/p99 commit latency for N concurrent simulated learners against
    the tracking server on SQLite, as a ratio to a trivial Flask endpoint served the same way
    (the same threaded WSGI server, the same client) in the same run.

Usage: ``python bench/runtime_bench.py [--calls 20000] [--learners 8] [--commits 50]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scorm_player.datamodel import export_json  # noqa: E402

NODE_DIR = ROOT / "bench" / ".node"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# The same mix of calls a quiz SCO makes: bookmarks, score, and an interaction per question.
_CALL_MIX_2004 = """
function mix(api, i) {
  var n = i % 200;
  api.SetValue("cmi.location", "page-" + i);
  api.GetValue("cmi.location");
  api.SetValue("cmi.interactions." + n + ".id", "q" + n);
  api.SetValue("cmi.interactions." + n + ".type", "choice");
  api.SetValue("cmi.interactions." + n + ".learner_response", "a[,]b");
  api.GetValue("cmi.interactions._count");
  api.SetValue("cmi.score.scaled", "0." + (i % 10));
  api.GetValue("cmi.completion_status");
  return 8;
}
"""


def ensure_scorm_again() -> Path:
    bundle = NODE_DIR / "node_modules" / "scorm-again" / "dist" / "scorm2004.min.js"
    if not bundle.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--prefix", str(NODE_DIR), "scorm-again@3"],
            check=True,
        )
    return bundle


def adapter_benchmark(calls: int) -> tuple[float, float]:
    """Calls per second for (ours, scorm-again), measured in one Chromium page."""
    from playwright.sync_api import sync_playwright

    scorm_again = ensure_scorm_again()
    ours = ROOT / "static" / "js" / "scorm-runtime.js"
    definitions = json.dumps(export_json("2004"))
    rounds = max(1, calls // 8)
    script = _CALL_MIX_2004 + f"""
    function time(api) {{
      api.Initialize("");
      var done = 0, start = performance.now();
      for (var i = 0; i < {rounds}; i++) done += mix(api, i);
      return done / ((performance.now() - start) / 1000);
    }}
    function ourApi() {{
      var rt = new ScormRuntime(DEFINITIONS, {{}}, {{policy: "lenient"}});
      return {{
        Initialize: function (a) {{ return rt.initialize(a); }},
        GetValue: function (e) {{ return rt.getValue(e); }},
        SetValue: function (e, v) {{ return rt.setValue(e, v); }},
      }};
    }}
    function theirApi() {{
      return new Scorm2004API({{logLevel: 5, autocommit: false}});
    }}
    var results = {{ours: [], theirs: []}};
    for (var r = 0; r < 5; r++) {{  // interleaved rounds, so both see the same JIT warm-up
      results.ours.push(time(ourApi()));
      results.theirs.push(time(theirApi()));
    }}
    results;
    """
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><title>bench</title>")
        page.add_script_tag(content=f"var DEFINITIONS = {definitions};")
        page.add_script_tag(path=str(ours))
        page.add_script_tag(path=str(scorm_again))
        results = page.evaluate(f"() => {{ {script.replace('results;', 'return results;')} }}")
        browser.close()
    return statistics.median(results["ours"][1:]), statistics.median(results["theirs"][1:])


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


def serve(app: Flask) -> tuple[str, Callable[[], None]]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_port}", server.shutdown


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def load(workers: list[Callable[[int], None]], commits: int) -> tuple[float, list[float]]:
    """Run every worker ``commits`` times concurrently; commits/s and each latency in ms."""
    latencies: list[float] = []
    lock = threading.Lock()

    def run(worker: Callable[[int], None]) -> None:
        for seq in range(1, commits + 1):
            started = time.perf_counter()
            worker(seq)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def server_benchmark(learners: int, commits: int) -> None:
    from scorm_player.web import create_app
    from tests.zipping import fixture_zip

    with tempfile.TemporaryDirectory(prefix="scorm-rt-bench-") as tmp:
        folder = Path(tmp)
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SCORM_PLAYER_DATA_DIR": str(folder / "data"),
                "SCORM_PLAYER_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            }
        )
        services = app.extensions["scorm_player"]
        course_id = services.courses.import_zip(fixture_zip("probe-scorm2004", folder)).course.id
        base, stop = serve(app)

        def learner(n: int) -> Callable[[int], None]:
            token = services.launches.make_link_token(course_id, f"learner-{n}", f"Learner, {n}")
            with urllib.request.urlopen(f"{base}/launch/{token}") as response:
                page = response.read().decode()
            blob = json.loads(page.split('id="scorm-runtime">', 1)[1].split("</script>", 1)[0])
            token, attempt = blob["token"], blob["attempt"]["id"]
            start = blob["attempt"]["acked_seq"]

            def commit(seq: int) -> None:
                post_json(
                    base + blob["endpoints"]["commit"],
                    {
                        "token": token,
                        "attempt": attempt,
                        "seq": start + seq,
                        "changes": [
                            ["cmi.location", f"page-{seq}"],
                            ["cmi.suspend_data", "x" * 2000],
                            ["cmi.progress_measure", "0.5"],
                        ],
                        "final": False,
                    },
                )

            return commit

        workers = [learner(n) for n in range(learners)]
        ours_rate, ours_lat = load(workers, commits)
        stop()

        trivial = Flask("trivial")

        @trivial.post("/commit")
        def _commit() -> dict:
            return {"ack": 1}

        base, stop = serve(trivial)
        baseline = [
            (lambda seq, b=base: post_json(b + "/commit", {"seq": seq})) for _ in range(learners)
        ]
        base_rate, base_lat = load(baseline, commits)
        stop()

    print(f"(b) {learners} concurrent learners x {commits} commits each, SQLite")
    print(f"    trivial Flask endpoint: {base_rate:8.0f} commits/s, "
          f"p50 {percentile(base_lat, .5):6.1f} ms, p99 {percentile(base_lat, .99):6.1f} ms")
    print(f"    tracking server:        {ours_rate:8.0f} commits/s, "
          f"p50 {percentile(ours_lat, .5):6.1f} ms, p99 {percentile(ours_lat, .99):6.1f} ms")
    print(f"    ratio (ours/trivial):   throughput {ours_rate / base_rate:.2f}, "
          f"p50 latency x{percentile(ours_lat, .5) / percentile(base_lat, .5):.1f}, "
          f"p99 latency x{percentile(ours_lat, .99) / percentile(base_lat, .99):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--commits", type=int, default=50)
    args = parser.parse_args()
    os.chdir(ROOT)

    ours, theirs = adapter_benchmark(args.calls)
    print(f"(a) API calls in Chromium ({args.calls} per round, median of 4 rounds)")
    print(f"    scorm-again: {theirs:10.0f} calls/s")
    print(f"    ours:        {ours:10.0f} calls/s")
    print(f"    ratio (ours/scorm-again): {ours / theirs:.2f}")
    server_benchmark(args.learners, args.commits)


if __name__ == "__main__":
    main()
