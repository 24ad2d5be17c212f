"""Fixtures for the run-time service tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scorm_player.services import Services
from tests.runtime_support import import_course


@pytest.fixture
def course(services: Services, package_zip: Any) -> Callable[[str], str]:
    """Call with a fixture package name; imports it and returns the new course id."""

    def make(name: str) -> str:
        return import_course(services, package_zip, name)

    return make
