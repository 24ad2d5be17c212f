"""Version and edition detection, in the decision order of cam-packaging.md §2."""

from __future__ import annotations

import pytest
from lxml import etree

from scorm_player.packaging.model import Edition, ScormVersion
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.version import DetectedVersion, canonical_schemaversion, detect_version
from tests.packaging.manifests import NS_12, NS_2004, codes

V12 = (ScormVersion.SCORM_12, None)
V2004_2ND = (ScormVersion.SCORM_2004, Edition.SECOND)
V2004_3RD = (ScormVersion.SCORM_2004, Edition.THIRD)
V2004_4TH = (ScormVersion.SCORM_2004, Edition.FOURTH)


def _detect(body: str, *, schemaversion: str | None, namespaces: str = NS_2004):
    metadata = (
        f"<metadata><schemaversion>{schemaversion}</schemaversion></metadata>"
        if schemaversion is not None
        else ""
    )
    root = etree.fromstring(f"<manifest {namespaces}>{metadata}{body}</manifest>".encode())
    report = ImportReport()
    return detect_version(root, file="imsmanifest.xml", report=report), report


# §2 schemaversion table.
@pytest.mark.parametrize(
    ("schemaversion", "expected"),
    [
        ("1.2", V12),
        ("1.3", V2004_2ND),
        ("CAM 1.3", V2004_2ND),
        ("2004 3rd Edition", V2004_3RD),
        ("2004 4th Edition", V2004_4TH),
    ],
)
def test_schemaversion_table(schemaversion: str, expected: tuple) -> None:
    detected, report = _detect("", schemaversion=schemaversion)
    assert (detected.version, detected.edition) == expected
    assert detected.schemaversion_raw == schemaversion
    assert report.findings == []


def test_schemaversion_is_trimmed_silently() -> None:
    detected, report = _detect("", schemaversion="\n   CAM 1.3 \n")
    assert (detected.version, detected.edition) == V2004_2ND
    assert report.findings == []


# §9: odd spellings are normalised with a warning.
@pytest.mark.parametrize(
    ("schemaversion", "expected"),
    [
        ("2004 3rd edition", V2004_3RD),
        ("2004  4TH   Edition", V2004_4TH),
        ("SCORM 1.2", V12),
        ("scorm 2004 3rd Edition", V2004_3RD),
        ("cam 1.3", V2004_2ND),
        ("2004 4th ed.", V2004_4TH),
    ],
)
def test_odd_spellings_are_normalised_with_a_warning(schemaversion: str, expected: tuple) -> None:
    detected, report = _detect("", schemaversion=schemaversion)
    assert (detected.version, detected.edition) == expected
    assert detected.schemaversion_raw == schemaversion
    assert codes(report) == [Code.VERSION_NORMALISED]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("SCORM 1.2", ("1.2", True)), ("1.2", ("1.2", False)), ("1.1", None), ("2004", None)],
)
def test_canonical_schemaversion(raw: str, expected: tuple | None) -> None:
    assert canonical_schemaversion(raw) == expected


def test_schemaversion_wins_over_namespaces() -> None:
    detected, report = _detect("<imsss:sequencing/>", schemaversion="1.2")
    assert (detected.version, detected.edition) == V12
    assert report.findings == []


FOURTH_EDITION_ONLY = {
    "completionThreshold attributes": '<item><adlcp:completionThreshold minProgressMeasure="0.5"/>'
    "</item>",
    "adlcp:data and adlcp:map": '<item><adlcp:data><adlcp:map targetID="x"/></adlcp:data></item>',
    "sharedDataGlobalToSystem": '<organizations><organization identifier="o" '
    'adlcp:sharedDataGlobalToSystem="false"/></organizations>',
    "adlseq:objectives": "<item><imsss:sequencing><adlseq:objectives/></imsss:sequencing></item>",
}


@pytest.mark.parametrize("body", FOURTH_EDITION_ONLY.values(), ids=FOURTH_EDITION_ONLY.keys())
@pytest.mark.parametrize("schemaversion", [None, "1.1", "SCORM 2004"])
def test_without_a_decisive_schemaversion_4th_edition_constructs_mean_4th(
    body: str, schemaversion: str | None
) -> None:
    detected, report = _detect(body, schemaversion=schemaversion)
    assert (detected.version, detected.edition) == V2004_4TH
    assert codes(report) == [Code.VERSION_GUESSED]


@pytest.mark.parametrize(
    "body",
    [
        "<imsss:sequencing/>",
        '<resource adlcp:scormType="sco"/>',
        "<item><adlnav:presentation/></item>",
        "<item><adlcp:completionThreshold>0.5</adlcp:completionThreshold></item>",
    ],
)
def test_without_a_decisive_schemaversion_2004_namespaces_mean_3rd(body: str) -> None:
    detected, report = _detect(body, schemaversion=None)
    assert (detected.version, detected.edition) == V2004_3RD
    assert codes(report) == [Code.VERSION_GUESSED]
    assert "SCORM 2004 3rd Edition" in report.findings[0].message


def test_without_a_decisive_schemaversion_12_namespaces_mean_12() -> None:
    detected, report = _detect(
        '<resource adlcp:scormtype="sco"/>', schemaversion=None, namespaces=NS_12
    )
    assert (detected.version, detected.edition) == V12
    assert codes(report) == [Code.VERSION_GUESSED]
    assert "SCORM 1.2 namespaces" in report.findings[0].message


def test_a_declared_but_unused_2004_namespace_is_not_evidence() -> None:
    namespaces = NS_12 + ' xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
    detected, _ = _detect("<resources/>", schemaversion=None, namespaces=namespaces)
    assert (detected.version, detected.edition) == V12


def test_no_evidence_at_all_defaults_to_12_with_a_warning() -> None:
    root = etree.fromstring(
        b"<manifest><metadata><schemaversion>1.1</schemaversion></metadata></manifest>"
    )
    report = ImportReport()
    detected = detect_version(root, file="imsmanifest.xml", report=report)
    assert detected == DetectedVersion(ScormVersion.SCORM_12, None, "1.1")
    warning = report.findings[0]
    assert warning.code is Code.VERSION_GUESSED and warning.line == 1
    assert "schemaversion '1.1' is not one SCORM defines" in warning.message
