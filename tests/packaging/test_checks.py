"""check_files: launch files must exist; the rest of the inventory only warns (§9)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from scorm_player.packaging.checks import check_files
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.model import Package
from scorm_player.packaging.report import Code, ImportReport, Severity
from tests.packaging.manifests import codes, item, manifest, only, parse, resource


def finder(*names: str) -> Callable[[str], str | None]:
    """Like SafeArchive.find: exact, percent-decoded, then case-insensitive."""
    lowered = {name.lower(): name for name in names}

    def find(path: str) -> str | None:
        for candidate in (path, unquote(path)):
            if candidate in names:
                return candidate
        return lowered.get(unquote(path).lower())

    return find


def _check(
    items: str, resources: str, *names: str, allow_external_urls: bool = True
) -> tuple[Package, ImportReport]:
    package, report = parse(manifest(items, resources))
    assert package is not None and report.ok, report.findings
    report = ImportReport()
    limits = ImportLimits(allow_external_urls=allow_external_urls)
    check_files(package, finder(*names), report, limits=limits, manifest_file="x/imsmanifest.xml")
    return package, report


def test_a_present_launch_file_passes() -> None:
    _, report = _check(item(), resource(), "index.html")
    assert report.findings == []


def test_a_missing_launch_file_is_an_error_at_the_items_line() -> None:
    _, report = _check(item(), resource(href="lessons/start.html?x=1#top"), "other.html")
    error = only(report, Code.LAUNCH_FILE_MISSING)
    assert error.severity is Severity.ERROR
    assert error.message == (
        "Item 'Item i1' launches 'lessons/start.html', which is not in the package."
    )
    assert (error.file, error.line) == ("x/imsmanifest.xml", 7)
    assert error.hint


def test_a_percent_encoded_href_finds_the_file_with_a_space_and_keeps_its_encoding() -> None:
    package, report = _check(item(), resource(href="my%20page.html?a=1"), "my page.html")
    assert report.findings == []
    assert package.organization.items[0].launch_url == "my%20page.html?a=1"


def test_a_different_case_is_repaired_with_a_warning() -> None:
    package, report = _check(item(), resource(href="Pages/Start.HTML?a=1#b"), "pages/start.html")
    assert package.organization.items[0].launch_url == "pages/start.html?a=1#b"
    warning = only(report, Code.HREF_CASE_MISMATCH)
    assert warning.severity is Severity.WARNING and warning.line == 7


def test_a_case_repair_keeps_percent_encoding() -> None:
    package, _ = _check(item(), resource(href="My%20Page.html"), "my page.html")
    assert package.organization.items[0].launch_url == "my%20page.html"


def test_a_case_mismatch_shared_by_several_items_is_reported_once() -> None:
    _, report = _check(item("i1") + item("i2"), resource(href="A.html"), "a.html")
    assert codes(report) == [Code.HREF_CASE_MISMATCH]


def test_an_external_launch_is_a_warning_when_allowed() -> None:
    package, report = _check(item(), resource(href="https://cdn.example.com/c/start.html"))
    assert package.organization.items[0].launch_url == "https://cdn.example.com/c/start.html"
    assert only(report, Code.RESOURCE_EXTERNAL_URL).severity is Severity.WARNING


def test_an_external_launch_is_an_error_when_the_site_forbids_it() -> None:
    _, report = _check(
        item(), resource(href="https://cdn.example.com/c/start.html"), allow_external_urls=False
    )
    error = only(report, Code.RESOURCE_EXTERNAL_URL)
    assert error.severity is Severity.ERROR
    assert error.message == (
        "This package launches external content (cdn.example.com), which is not allowed here."
    )


def test_other_schemes_are_not_files() -> None:
    _, report = _check(item(), resource(href="javascript:alert(1)"))
    assert codes(report) == [Code.LAUNCH_FILE_MISSING]


def test_listed_files_that_are_absent_are_one_summary_warning() -> None:
    files = "".join(f'<file href="f{n}.js"/>' for n in range(7))
    res = resource().replace("/>", f">{files}</resource>")
    _, report = _check(item(), res, "index.html", "f0.js")
    warning = only(report, Code.FILE_LISTED_MISSING)
    assert warning.severity is Severity.WARNING
    assert warning.message.startswith("6 file(s) listed in the manifest are not in the package")
    assert "'f1.js', 'f2.js', 'f3.js', 'f4.js', 'f5.js', ..." in warning.message


def test_a_missing_launch_file_is_not_reported_again_as_a_listed_file() -> None:
    res = resource().replace("/>", '><file href="index.html"/></resource>')
    _, report = _check(item(), res)
    assert codes(report) == [Code.LAUNCH_FILE_MISSING]


def test_dependencies_are_followed_and_cycles_end() -> None:
    res = (
        resource("r1").replace("/>", '><dependency identifierref="lib"/></resource>')
        + resource("lib", None).replace(
            "/>", '><file href="lib.js"/><dependency identifierref="util"/></resource>'
        )
        + resource("util", None).replace(
            "/>", '><file href="util.js"/><dependency identifierref="lib"/>'
            '<dependency identifierref="ghost"/></resource>'
        )
    )
    _, report = _check(item(), res, "index.html", "lib.js")
    assert codes(report) == [Code.DEPENDENCY_MISSING, Code.FILE_LISTED_MISSING]
    assert "'util' depends on resource 'ghost'" in report.findings[0].message
    assert "'util.js'" in report.findings[1].message


def test_only_the_default_organization_is_checked() -> None:
    other = '</organization><organization identifier="org2"><title>O</title>' + item("j", "r2")
    _, report = _check(item() + other, resource() + resource("r2", "gone.html"), "index.html")
    assert report.findings == []
