"""One node process per test module plays the JavaScript side (skipped without node)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime_js.parity import JsHarness


@pytest.fixture(scope="module")
def js(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JsHarness]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    harness = JsHarness(Path(tmp_path_factory.mktemp("runtime_js")))
    yield harness
    harness.close()
