"""ADL's SCORM 2004 4th Edition CTS (LMS tests) against the player, in headless Chromium.

All 189 tests run once per session (``run_cts.run_all`` with the services in-process). Every
test listed in ``expected_passes.txt`` must pass: a listed test that fails is a regression
and fails the build (the list only grows). The others are reported, not failed; the summary
line ``CTS: N of 189 tests passed`` ends the pytest output. Skipped when the CTS data
(``../shared/cts`` next to the repository, or ``$CTS_DIR``) is absent.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance import run_cts
from tests.conformance.conftest import SUMMARY

REPO = Path(__file__).resolve().parents[2]
CTS_DIR = Path(os.environ.get("CTS_DIR") or REPO.parent / "shared" / "cts")
EXPECTED = Path(__file__).with_name("expected_passes.txt")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CTS_DIR / "testcases").is_dir(), reason=f"no CTS data in {CTS_DIR}"),
]


def expected_passes() -> list[str]:
    """The ids in ``expected_passes.txt`` (``#`` starts a comment)."""
    ids = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        test_id = line.split("#", 1)[0].strip()
        if test_id:
            ids.append(test_id)
    return ids


def _run_in_thread(data_dir: Path) -> dict[str, run_cts.Result]:
    """The whole suite on its own event loop (pytest-playwright may hold this thread's)."""
    outcome: dict[str, object] = {}

    def target() -> None:
        async def go() -> dict[str, run_cts.Result]:
            backend = run_cts.ServicesBackend(data_dir)
            try:
                return await run_cts.run_all(CTS_DIR, backend)
            finally:
                await backend.close()

        try:
            outcome["results"] = asyncio.run(go())
        except BaseException as error:  # re-raised in the test thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="cts")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["results"]  # type: ignore[return-value]


@pytest.fixture(scope="module")
def cts_results(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[dict[str, run_cts.Result]]:
    if not Path(run_cts.CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: `make test` installs it (make browser)")
        pytest.skip("chromium is not installed (make browser)")
    results = _run_in_thread(tmp_path_factory.mktemp("cts-data"))
    pytestconfig.stash[SUMMARY] = run_cts.summary_line(results)
    yield results


@pytest.mark.parametrize("test_id", expected_passes())
def test_expected_pass(test_id: str, cts_results: dict[str, run_cts.Result]) -> None:
    result = cts_results[test_id]
    assert result.passed, f"CTS {test_id} regressed: {result.failure}"


def test_cts_summary(cts_results: dict[str, run_cts.Result], capsys: pytest.CaptureFixture[str]) -> None:
    """Report the tests not (yet) expected to pass; never fails."""
    expected = set(expected_passes())
    newly = sorted(t for t, r in cts_results.items() if r.passed and t not in expected)
    with capsys.disabled():
        print()
        for result in cts_results.values():
            if not result.passed and result.test_id not in expected:
                print(f"  {result.line()}")
        if newly:
            print(f"  passing, not yet in expected_passes.txt: {' '.join(newly)}")
        print(run_cts.summary_line(cts_results))
