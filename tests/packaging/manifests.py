"""Build small manifests in tests, and parse them the way the importer does."""

from __future__ import annotations

from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.manifest import parse_manifest
from scorm_player.packaging.model import Package
from scorm_player.packaging.report import Code, ImportReport

NS_12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 3rd Edition", "4th": "2004 4th Edition"}


def manifest(
    items: str,
    resources: str = "",
    *,
    version: str = "1.2",
    extra: str = "",
    organization: str = 'identifier="org"',
    title: str = "<title>Course</title>",
    metadata: str | None = None,
) -> bytes:
    """A whole manifest around ``items`` (inside the organization) and ``resources``."""
    namespaces = NS_12 if version == "1.2" else NS_2004
    if metadata is None:
        metadata = (
            f"<metadata><schema>ADL SCORM</schema>"
            f"<schemaversion>{SCHEMAVERSION[version]}</schemaversion></metadata>"
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.manifest" {namespaces}>
  {metadata}
  <organizations default="org">
    <organization {organization}>
      {title}
      {items}
    </organization>
  </organizations>
  <resources>
    {resources}
  </resources>
  {extra}
</manifest>
""".encode()


SCORMTYPE_12 = "adlcp:scormtype"
SCORMTYPE_2004 = "adlcp:scormType"


def resource(
    identifier: str = "r1",
    href: str | None = "index.html",
    *,
    scorm_type: str | None = "sco",
    attribute: str = SCORMTYPE_12,
    extra: str = "",
) -> str:
    """A ``<resource>``: a 1.2-spelled SCO unless told otherwise; ``scorm_type=None`` omits it."""
    typed = f' {attribute}="{scorm_type}"' if scorm_type is not None else ""
    href_attr = f' href="{href}"' if href is not None else ""
    return f'<resource identifier="{identifier}" type="webcontent"{typed}{href_attr}{extra}/>'


def item(identifier: str = "i1", ref: str | None = "r1", body: str = "", **attributes: str) -> str:
    ref_attr = f' identifierref="{ref}"' if ref is not None else ""
    rendered = "".join(f' {k}="{v}"' for k, v in attributes.items())
    return (
        f'<item identifier="{identifier}"{ref_attr}{rendered}>'
        f"<title>Item {identifier}</title>{body}</item>"
    )


def parse(data: bytes, **limits: int) -> tuple[Package | None, ImportReport]:
    report = ImportReport()
    package = parse_manifest(
        data, file="imsmanifest.xml", report=report, limits=ImportLimits(**limits)
    )
    return package, report


def codes(report: ImportReport) -> list[Code]:
    return [finding.code for finding in report.findings]


def only(report: ImportReport, code: Code):
    """The one finding with ``code`` (fails when there are none or several)."""
    found = [f for f in report.findings if f.code is code]
    assert len(found) == 1, f"expected one {code}, got {report.findings}"
    return found[0]
