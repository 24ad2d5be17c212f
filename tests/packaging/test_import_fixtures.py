"""The fixture packages end to end: zip → inspect_package / import_package → model or refusal."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from scorm_player.packaging import (
    Code,
    PackageRejected,
    Severity,
    import_package,
    inspect_package,
)
from scorm_player.packaging.launch import file_path

MakeZip = Callable[..., Path]


@pytest.mark.parametrize(
    ("name", "label", "launches"),
    [
        ("scorm12-single-sco", "SCORM 1.2", ["index.html"]),
        (
            "scorm12-multi-sco",
            "SCORM 1.2",
            [
                "intro/index.html",
                "overview/index.html",  # a 1.2 parent item with a resource (cam §3.2)
                "lesson/index.html",
                "quiz/index.html",
                "glossary/index.html",
            ],
        ),
        (
            "scorm2004-3rd-sequencing",
            "SCORM 2004 3rd Edition",
            [
                "course/content/lessons/lesson.html?page=1",
                "course/content/lessons/lesson.html#chapter3",
                "course/content/quiz/index.html?lang=en&mode=test#start",
            ],
        ),
        ("scorm2004-4th-full", "SCORM 2004 4th Edition", ["a/index.html", "b/index.html"]),
        ("scorm2004-submanifest", "SCORM 2004 3rd Edition", ["welcome.html", "unit/page1.html"]),
    ],
)
def test_good_packages_import_and_their_launch_files_exist(
    package_zip: MakeZip, tmp_path: Path, name: str, label: str, launches: list[str]
) -> None:
    destination = tmp_path / "out"
    result = import_package(package_zip(name), destination)
    package = result.package
    assert package.version_label == label
    urls = [i.launch_url for i in package.organization.walk() if i.launch_url]
    assert urls == launches
    for url in urls:
        assert (destination / unquote(file_path(url))).is_file()
    assert result.report.errors == []


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("scorm12-single-sco", []),
        ("scorm12-multi-sco", []),
        ("scorm2004-3rd-sequencing", []),
        ("scorm2004-4th-full", []),
        ("scorm2004-submanifest", [Code.SUBMANIFEST_NESTED_TOO_DEEP]),
    ],
)
def test_good_packages_warn_only_where_the_fixture_means_to(
    package_zip: MakeZip, name: str, codes: list[Code]
) -> None:
    report = inspect_package(package_zip(name)).report
    assert [f.code for f in report.findings] == codes


def test_a_sloppy_package_in_a_top_folder_imports_with_warnings(
    package_zip: MakeZip, tmp_path: Path
) -> None:
    destination = tmp_path / "out"
    result = import_package(package_zip("scorm12-sloppy", prefix="course/"), destination)
    package = result.package
    assert package.root == "course/"
    assert package.version_label == "SCORM 1.2"
    assert package.schemaversion_raw is None
    assert {f.code for f in result.report.findings} == {
        Code.MANIFEST_NOT_AT_ROOT,
        Code.VERSION_GUESSED,
        Code.SCORMTYPE_SPELLING,
        Code.SCORMTYPE_MISSING,
        Code.HREF_NORMALISED,
        Code.ITEM_TITLE_MISSING,
        Code.HREF_CASE_MISMATCH,
    }
    assert all(f.severity is Severity.WARNING for f in result.report.findings)
    items = {i.identifier: i for i in package.organization.walk()}
    assert {k: (i.launch_url, i.scorm_type) for k, i in items.items()} == {
        "intro": ("pages/intro.html", "sco"),
        "my_page": ("my%20page.html", "sco"),
        "summary": ("pages/summary.html", "asset"),
        "end": ("pages/end.html", "asset"),
    }
    assert items["summary"].title == "summary"
    assert items["end"].is_visible is False
    for item in items.values():
        assert (destination / unquote(file_path(item.launch_url))).is_file()


def _refusal(package_zip: MakeZip, name: str):
    with pytest.raises(PackageRejected) as caught:
        inspect_package(package_zip(name))
    return caught.value.report.errors


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("bad-xxe", Code.MANIFEST_FORBIDDEN_DTD),
        ("bad-billion-laughs", Code.MANIFEST_FORBIDDEN_DTD),
        ("bad-malformed", Code.MANIFEST_MALFORMED),
        ("bad-missing-launch-file", Code.LAUNCH_FILE_MISSING),
        ("bad-identifierref", Code.ITEM_BAD_IDENTIFIERREF),
        ("bad-duplicate-ids", Code.DUPLICATE_IDENTIFIER),
        ("bad-no-launchable", Code.NO_LAUNCHABLE_CONTENT),
        ("bad-idref-missing", Code.SEQUENCING_IDREF_MISSING),
        ("bad-sequencing-value", Code.SEQUENCING_BAD_VALUE),
        ("bad-resource-no-href", Code.RESOURCE_NO_HREF),
        ("bad-root-element", Code.MANIFEST_BAD_ROOT),
        ("bad-aicc", Code.AICC_UNSUPPORTED),
        ("bad-no-manifest", Code.MANIFEST_MISSING),
    ],
)
def test_broken_and_hostile_packages_are_refused_with_one_clear_error(
    package_zip: MakeZip, name: str, code: Code
) -> None:
    assert [error.code for error in _refusal(package_zip, name)] == [code]


def test_a_refused_package_leaves_nothing_behind(package_zip: MakeZip, tmp_path: Path) -> None:
    destination = tmp_path / "out"
    with pytest.raises(PackageRejected):
        import_package(package_zip("bad-missing-launch-file"), destination)
    assert not destination.exists()


def test_malformed_xml_is_reported_with_line_and_column(package_zip: MakeZip) -> None:
    (error,) = _refusal(package_zip, "bad-malformed")
    assert (error.file, error.line, error.column) == ("imsmanifest.xml", 10, 20)
    assert error.message == (
        "imsmanifest.xml could not be read: Opening and ending tag mismatch: item line 8 and "
        "organization (line 10)."
    )


@pytest.mark.parametrize("name", ["bad-xxe", "bad-billion-laughs"])
def test_entity_attacks_fail_fast_and_read_nothing(package_zip: MakeZip, name: str) -> None:
    started = time.perf_counter()
    (error,) = _refusal(package_zip, name)
    assert time.perf_counter() - started < 2.0
    assert error.line == 2
    assert "root:" not in str(error) and "lollol" not in str(error)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "bad-identifierref",
            "Item 'item2' refers to resource 'res_nowhere', which is not declared in the "
            "manifest.",
        ),
        (
            "bad-missing-launch-file",
            "Item 'Lesson' launches 'index.html', which is not in the package.",
        ),
        ("bad-no-launchable", "The package contains no launchable content."),
        (
            "bad-idref-missing",
            "Item 'item1' uses sequencing set 'no_such_set', which is not defined.",
        ),
        (
            "bad-sequencing-value",
            "Item 'item1': unsupported sequencing value 'jumpToEnd' for ruleAction/@action.",
        ),
    ],
)
def test_refusals_use_the_specs_messages(package_zip: MakeZip, name: str, text: str) -> None:
    (error,) = _refusal(package_zip, name)
    assert error.message == text
    assert error.file == "imsmanifest.xml" and error.line is not None
