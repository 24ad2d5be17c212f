"""The upload page in a real browser: file input, drag and drop, the report shown in place."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.live_server import DESIGNER, PASSWORD, LiveServer, serving
from tests.zipping import fixture_zip

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a real HTTP server, SQLite in a temporary folder, one designer account."""
    folder = tmp_path_factory.mktemp("live")
    with serving(LiveServer, folder, secret_key="live", designer=True) as live:
        yield live.app_url  # uploads are a designer's page: the app origin


@pytest.fixture
def page(chromium: Any, live_url: str) -> Iterator[Any]:
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_url}/courses/upload")
    page.get_by_label("User name").fill(DESIGNER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Upload a package").wait_for()
    page.wait_for_load_state("load")  # upload.js listens from here on (a drop before is lost)
    yield page
    context.close()
    assert errors == []


def test_upload_through_the_file_input(page: Any, tmp_path: Path) -> None:
    page.get_by_label("choose a file").set_input_files(fixture_zip("scorm12-multi-sco", tmp_path))
    page.get_by_role("button", name="Import package").click()

    page.wait_for_url("**/courses/*imported=1*")
    assert page.get_by_role("status").filter(has_text="Imported version 1").is_visible()
    assert page.get_by_role("heading", name="Import report").is_visible()


def test_a_rejected_package_shows_its_report_in_place(page: Any, tmp_path: Path) -> None:
    url = page.url
    page.get_by_label("choose a file").set_input_files(
        fixture_zip("bad-missing-launch-file", tmp_path)
    )
    page.get_by_role("button", name="Import package").click()

    report = page.locator("#import-report")
    expect(report).to_contain_text("launch_file_missing")
    expect(report).to_contain_text("imsmanifest.xml:")
    expect(page.locator("[data-status]")).to_contain_text("not imported")
    expect(page.get_by_role("button", name="Import package")).to_be_enabled()
    assert page.url == url


def test_drag_and_drop(page: Any, tmp_path: Path) -> None:
    data = base64.b64encode(fixture_zip("scorm12-single-sco", tmp_path).read_bytes()).decode()
    transfer = page.evaluate_handle(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "dropped.zip", {type: "application/zip"}));
            return transfer;
        }""",
        data,
    )

    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})

    expect(page.locator("[data-filename]")).to_contain_text("dropped.zip")
    page.get_by_role("button", name="Import package").click()
    page.wait_for_url("**/courses/*imported=1*")
    assert "dropped.zip" in page.get_by_role("status").first.inner_text()


def test_a_file_over_the_limit_is_stopped_before_upload(page: Any, tmp_path: Path) -> None:
    page.evaluate("document.querySelector('form[data-upload]').dataset.maxBytes = '10'")
    page.get_by_label("choose a file").set_input_files(fixture_zip("scorm12-single-sco", tmp_path))
    page.get_by_role("button", name="Import package").click()

    assert "uploads are limited" in page.locator("[data-status]").inner_text()
