"""Fixtures shared by every test layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.zipping import fixture_zip


@pytest.fixture
def package_zip(tmp_path: Path):
    """Call with a fixture folder name; returns the path of a fresh zip of it."""

    def make(name: str, *, prefix: str = "") -> Path:
        return fixture_zip(name, tmp_path, prefix=prefix)

    return make
