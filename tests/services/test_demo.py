"""The demo course imports once: a re-run reuses it."""

from __future__ import annotations

import pytest

from scorm_player import resources
from scorm_player.services import Services
from scorm_player.services.demo import install_demo, zip_folder_deterministically

needs_demo = pytest.mark.skipif(
    not (resources.demo_course_dir() / "imsmanifest.xml").is_file(),
    reason="the demo course is not in this checkout",
)


@needs_demo
def test_the_demo_zip_is_the_same_every_time() -> None:
    folder = resources.demo_course_dir()
    assert zip_folder_deterministically(folder) == zip_folder_deterministically(folder)


@needs_demo
def test_installing_the_demo_twice_keeps_one_course(services: Services) -> None:
    first = install_demo(services.courses)
    second = install_demo(services.courses)

    assert not first.reused and second.reused
    assert second.version.id == first.version.id
    assert len(services.courses.list()) == 1
    assert first.version.sco_count >= 1
