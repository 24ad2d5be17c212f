"""parse_xml: safe (no DTD, no entities, no network) and tolerant (cam-packaging.md §9)."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from lxml import etree

from scorm_player.packaging.namespaces import ADLCP_12, ADLCP_2004, IMSSS
from scorm_player.packaging.report import Code, ImportReport, Severity
from scorm_player.packaging.xml import parse_xml
from tests.packaging.manifests import codes, only

SIMPLE = '<?xml version="1.0" encoding="{enc}"?>\n<manifest identifier="m">é</manifest>\n'


def _parse(data: bytes) -> tuple[etree._Element | None, ImportReport]:
    report = ImportReport()
    return parse_xml(data, file="course/imsmanifest.xml", report=report), report


def test_a_plain_document_parses_without_findings() -> None:
    root, report = _parse(SIMPLE.format(enc="UTF-8").encode())
    assert root is not None and root.tag == "manifest"
    assert report.findings == []


def test_a_utf8_bom_is_honoured_silently() -> None:
    root, report = _parse(codecs.BOM_UTF8 + SIMPLE.format(enc="UTF-8").encode())
    assert root is not None and root.text == "é"
    assert report.findings == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_is_read(codec: str) -> None:
    root, report = _parse(SIMPLE.format(enc="UTF-16").encode(codec))
    assert root is not None and root.text == "é"
    assert report.ok


def test_latin1_bytes_declared_utf8_are_read_as_latin1_with_a_warning() -> None:
    root, report = _parse(SIMPLE.format(enc="UTF-8").encode("latin-1"))
    assert root is not None and root.text == "é"
    assert codes(report) == [Code.MANIFEST_ENCODING]
    assert "ISO-8859-1" in report.findings[0].message


def test_utf8_bytes_declared_utf16_are_read_as_utf8_with_a_warning() -> None:
    root, report = _parse(SIMPLE.format(enc="UTF-16").encode("utf-8"))
    assert root is not None and root.text == "é"
    assert codes(report) == [Code.MANIFEST_ENCODING]


def test_an_undeclared_adlcp_prefix_is_mapped_to_the_manifests_edition() -> None:
    data = (
        b'<manifest xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2">\n'
        b'<resource adlcp:scormtype="sco"/>\n<adlcp:masteryscore>80</adlcp:masteryscore>\n'
        b"</manifest>"
    )
    root, report = _parse(data)
    assert root is not None
    assert root[0].get(f"{{{ADLCP_12}}}scormtype") == "sco"
    assert root[1].tag == f"{{{ADLCP_12}}}masteryscore"
    warning = only(report, Code.UNDECLARED_PREFIX)
    assert warning.severity is Severity.WARNING and warning.line == 2
    assert report.ok


def test_undeclared_prefixes_in_a_2004_manifest_map_to_2004_namespaces() -> None:
    data = (
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1">'
        b"<adlcp:completionThreshold>0.5</adlcp:completionThreshold>"
        b"<imsss:sequencing/></manifest>"
    )
    root, report = _parse(data)
    assert root is not None
    assert [c.tag for c in root] == [
        f"{{{ADLCP_2004}}}completionThreshold",
        f"{{{IMSSS}}}sequencing",
    ]
    assert codes(report) == [Code.UNDECLARED_PREFIX]


def test_an_unknown_undeclared_prefix_is_recovered_and_its_nodes_ignored() -> None:
    root, report = _parse(b"<manifest><vendor:extra/></manifest>")
    assert root is not None
    assert codes(report) == [Code.MANIFEST_RECOVERED]


def test_an_unclosed_item_is_rejected_with_line_and_column() -> None:
    data = b"<manifest>\n<organization>\n<item>\n</organization>\n</manifest>\n"
    root, report = _parse(data)
    assert root is None
    error = only(report, Code.MANIFEST_MALFORMED)
    assert (error.line, error.column) == (4, 16)  # lxml points just past the bad tag
    assert error.file == "course/imsmanifest.xml"
    assert error.message == (
        "imsmanifest.xml could not be read: Opening and ending tag mismatch: item line 3 and "
        "organization (line 4)."
    )


def test_an_undeclared_prefix_does_not_let_a_malformed_document_through() -> None:
    data = b"<manifest><item><adlcp:masteryscore>1</adlcp:masteryscore></manifest>"
    root, report = _parse(data)
    assert root is None
    assert codes(report) == [Code.MANIFEST_MALFORMED]
    assert "Opening and ending tag mismatch" in report.findings[0].message


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n", b"just text"])
def test_something_that_is_not_xml_is_malformed(data: bytes) -> None:
    root, report = _parse(data)
    assert root is None
    assert codes(report) == [Code.MANIFEST_MALFORMED]


def test_an_undefined_entity_is_malformed() -> None:
    root, report = _parse(b"<manifest>&secret;</manifest>")
    assert root is None
    assert codes(report) == [Code.MANIFEST_MALFORMED]


DOCTYPES = {
    "internal subset with an entity": b'<!DOCTYPE manifest [<!ENTITY x "y">]>',
    "external DTD": b'<!DOCTYPE manifest SYSTEM "http://example.com/imscp.dtd">',
    "bare doctype": b"<!DOCTYPE manifest>",
    "lower-case keyword": b"<!doctype manifest>",
}


@pytest.mark.parametrize("doctype", DOCTYPES.values(), ids=DOCTYPES.keys())
def test_any_doctype_is_refused(doctype: bytes) -> None:
    data = b'<?xml version="1.0"?>\n<!-- a comment -->\n' + doctype + b"\n<manifest/>"
    root, report = _parse(data)
    assert root is None
    error = only(report, Code.MANIFEST_FORBIDDEN_DTD)
    assert error.line == 3


def test_a_doctype_in_utf16_is_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE m [<!ENTITY x "y">]><m>&x;</m>'
    root, report = _parse(data.encode("utf-16"))
    assert root is None
    assert codes(report) == [Code.MANIFEST_FORBIDDEN_DTD]


def test_an_external_entity_reads_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE manifest [<!ENTITY s SYSTEM "file://{secret}">]>\n'
        "<manifest><title>&s;</title></manifest>"
    ).encode()
    root, report = _parse(data)
    assert root is None
    assert codes(report) == [Code.MANIFEST_FORBIDDEN_DTD]
    assert "TOP-SECRET" not in repr(report.to_dict())


def test_billion_laughs_is_refused_fast() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)
    ]
    data = f"<!DOCTYPE m [{''.join(entities)}]><m>&lol9;</m>".encode()
    started = time.perf_counter()
    root, report = _parse(data)
    assert time.perf_counter() - started < 1.0
    assert root is None
    assert codes(report) == [Code.MANIFEST_FORBIDDEN_DTD]


def test_doctype_text_inside_a_comment_is_not_a_doctype() -> None:
    root, report = _parse(b"<!-- <!DOCTYPE x> -->\n<manifest/>")
    assert root is not None
    assert report.findings == []
