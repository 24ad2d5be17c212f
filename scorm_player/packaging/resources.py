"""Read ``resources/resource`` into ``model.Resource`` (cam-packaging.md §3.3, §4 step 1).

Tolerance here is about spelling: ``scormtype`` (1.2) or ``scormType`` (2004) in either
adlcp namespace, or in none, with values in any case; a missing one means ``asset``, as in
Moodle. Backslashes and leading ``./`` or ``/`` in hrefs are repaired. Each of these is
summarised in one warning per manifest rather than one per resource, so a package from a tool
that gets it wrong everywhere yields a readable report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from scorm_player.packaging.launch import normalise_slashes, resolve_base, resolve_href
from scorm_player.packaging.model import Resource, ScormVersion
from scorm_player.packaging.namespaces import ADLCP_12, ADLCP_2004, children, xml_base
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.values import Tally

SCORM_TYPES = ("sco", "asset")
#: §3.3: the spelling and namespace each version specifies.
_EXPECTED = {
    ScormVersion.SCORM_12: ("scormtype", ADLCP_12),
    ScormVersion.SCORM_2004: ("scormType", ADLCP_2004),
}
def read_resources(
    manifest: etree._Element,
    *,
    cp: str | None,
    bases: Iterable[str | None],
    version: ScormVersion,
    report: ImportReport,
    file: str,
) -> dict[str, Resource]:
    """The resources of one ``manifest`` element (not its sub-manifests), by identifier.

    :param bases: the ``xml:base`` values of this manifest and the manifests around it,
        outermost first (§4 step 1).
    """
    found: dict[str, Resource] = {}
    tallies = _Tallies()
    outer = list(bases)
    for resources in children(manifest, cp, "resources"):
        chain = [*outer, xml_base(resources)]
        for element in children(resources, cp, "resource"):
            resource = _resource(element, chain, cp, version, tallies, report, file)
            if resource is None:
                continue
            if resource.identifier in found:
                first = found[resource.identifier]
                report.warning(
                    Code.DUPLICATE_IDENTIFIER,
                    f"Resource identifier '{resource.identifier}' is used twice (lines "
                    f"{first.line} and {resource.line}); the first resource was kept.",
                    file=file,
                    line=resource.line,
                    hint="Give every resource its own identifier.",
                )
                continue
            found[resource.identifier] = resource
    tallies.report(report, file, version)
    return found


@dataclass
class _Tallies:
    spelling: Tally = field(default_factory=lambda: Tally(Code.SCORMTYPE_SPELLING))
    missing: Tally = field(default_factory=lambda: Tally(Code.SCORMTYPE_MISSING))
    hrefs: Tally = field(default_factory=lambda: Tally(Code.HREF_NORMALISED))

    def report(self, report: ImportReport, file: str, version: ScormVersion) -> None:
        name, namespace = _EXPECTED[version]
        self.spelling.report(
            report, file,
            "{count} resource(s) write the SCO/asset type in a way SCORM does not specify "
            "for this version ({examples}); it was read anyway.",
            f"Use adlcp:{name}=\"sco\" or \"asset\" with xmlns:adlcp=\"{namespace}\".",
        )
        self.missing.report(
            report, file,
            "{count} resource(s) do not say whether they are a SCO or an asset ({examples}); "
            "they were taken as assets, and still get the SCORM API.",
            f"Add adlcp:{name}=\"sco\" to resources that talk to the LMS.",
        )
        self.hrefs.report(
            report, file,
            "{count} path(s) were repaired: backslashes turned into '/', leading './' or '/' "
            "removed ({examples}).",
            "Write paths relative to the manifest's folder, with forward slashes.",
        )


def _resource(
    element: etree._Element,
    chain: list[str | None],
    cp: str | None,
    version: ScormVersion,
    tallies: _Tallies,
    report: ImportReport,
    file: str,
) -> Resource | None:
    line = element.sourceline
    identifier = (element.get("identifier") or "").strip()
    if not identifier:
        report.warning(
            Code.BAD_VALUE,
            "A resource has no identifier, so no item can launch it; it was ignored.",
            file=file,
            line=line,
        )
        return None
    own_base = xml_base(element)
    for raw in (own_base, *chain):
        if raw and "\\" in raw:
            tallies.hrefs.add(f"xml:base '{raw}'", line)
    base = resolve_base(*chain, own_base)
    href = _path(element.get("href"), tallies, line)
    resource = Resource(
        identifier=identifier,
        type=(element.get("type") or "webcontent").strip(),
        scorm_type=_scorm_type(element, identifier, version, tallies, report, file),
        href=href,
        base=base,
        line=line,
    )
    files = (_path(f.get("href"), tallies, f.sourceline) for f in children(element, cp, "file"))
    resource.files = list(dict.fromkeys(resolve_href(base, f) for f in files if f is not None))
    refs = ((d.get("identifierref") or "").strip() for d in children(element, cp, "dependency"))
    resource.dependencies = list(dict.fromkeys(ref for ref in refs if ref))
    return resource


def _path(raw: str | None, tallies: _Tallies, line: int | None) -> str | None:
    """An href with its slashes repaired (§9); None when absent or empty."""
    if raw is None or not raw.strip():
        return None
    path = normalise_slashes(raw)
    if "\\" in raw or (path.startswith(("./", "/")) and not path.startswith("//")):
        tallies.hrefs.add(f"'{raw.strip()}'", line)
    return path


def _scorm_type(
    element: etree._Element,
    identifier: str,
    version: ScormVersion,
    tallies: _Tallies,
    report: ImportReport,
    file: str,
) -> str:
    """§3.3: any spelling, any namespace, any case; missing means ``asset``."""
    line = element.sourceline
    for key, raw in element.attrib.items():
        q = etree.QName(key)
        if q.localname.lower() != "scormtype":
            continue
        value = raw.strip().lower()
        if value not in SCORM_TYPES:
            report.warning(
                Code.BAD_VALUE,
                f"Resource '{identifier}': scormType '{raw}' is neither 'sco' nor 'asset'; "
                "it was taken as an asset.",
                file=file,
                line=line,
            )
            return "asset"
        if (q.localname, q.namespace) != _EXPECTED[version] or raw != value:
            tallies.spelling.add(f"'{identifier}'", line)
        return value
    tallies.missing.add(f"'{identifier}'", line)
    return "asset"
