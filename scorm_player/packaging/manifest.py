"""Turn ``imsmanifest.xml`` into a ``model.Package`` (cam-packaging.md §2 to §7, §9).

The steps: parse safely (``xml.py``), detect the version (``version.py``), read the manifest
and its sub-manifests with their resources (``scope.py``, ``resources.py``), then build one
activity tree per organization (``items.py``, ``item_data.py``, ``sequencing_xml.py``).
Elements are matched by namespace URI and local name; the CP namespace is whatever the root
``<manifest>`` uses, so a manifest with a stray or missing default namespace still reads.

Every finding names the manifest's path in the zip and the line of the element concerned.
The zip itself is not consulted here: ``checks.check_files`` looks up the launch files.
"""

from __future__ import annotations

import posixpath

from lxml import etree

from scorm_player.packaging.item_data import read_completion_threshold
from scorm_player.packaging.items import ItemBuilder
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.model import Organization, Package
from scorm_player.packaging.namespaces import (
    ADLCP_ANY,
    ADLSEQ,
    IMSMD,
    IMSSS,
    LOM,
    attribute,
    child,
    child_text,
    children,
    qname,
)
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.scope import Scope, default_organization, read_scope
from scorm_player.packaging.sequencing_xml import SequencingReader, collection_entries
from scorm_player.packaging.values import ValueReader
from scorm_player.packaging.version import detect_version
from scorm_player.packaging.xml import parse_xml


def parse_manifest(
    data: bytes, *, file: str, report: ImportReport, limits: ImportLimits
) -> Package | None:
    """Parse a manifest; None when it cannot be read at all (the report says why).

    A returned package may still come with errors in ``report`` (a dangling identifierref,
    a missing sequencing set ...): the caller rejects it when ``report.ok`` is false.
    """
    name = posixpath.basename(file) or file
    if len(data) > limits.max_manifest_bytes:
        report.error(
            Code.MANIFEST_TOO_LARGE,
            f"{name} is {len(data):,} bytes; the limit is {limits.max_manifest_bytes:,}.",
            file=file,
        )
        return None
    root = parse_xml(data, file=file, report=report)
    if root is None:
        return None
    cp, local = qname(root)
    if local != "manifest":
        report.error(
            Code.MANIFEST_BAD_ROOT,
            f"{name} could not be read: its root element is <{local}>, not <manifest> "
            f"(line {root.sourceline}).",
            file=file,
            line=root.sourceline,
            hint="Upload a SCORM package; its imsmanifest.xml starts with <manifest>.",
        )
        return None
    return _Reader(root, cp, file, report).package()


class _Reader:
    """The state of one manifest being read."""

    def __init__(
        self, root: etree._Element, cp: str | None, file: str, report: ImportReport
    ) -> None:
        self.root, self.cp, self.file, self.report = root, cp, file, report
        self.values = ValueReader(report, file)

    def package(self) -> Package:
        errors_before = len(self.report.errors)
        detected = detect_version(self.root, file=self.file, report=self.report)
        package = Package(
            identifier=(self.root.get("identifier") or "").strip(),
            version=detected.version,
            edition=detected.edition,
            schemaversion_raw=detected.schemaversion_raw,
        )
        scope = read_scope(
            self.root, cp=self.cp, version=package.version, registry=package.resources,
            report=self.report, file=self.file,
        )
        sequencing = SequencingReader(
            collection_entries(self.root, report=self.report, file=self.file),
            report=self.report, file=self.file,
        )
        builder = ItemBuilder(
            self.cp, package.version, package.resources, sequencing, self.report, self.file
        )
        default, elements = default_organization(
            scope, cp=self.cp, report=self.report, file=self.file
        )
        seen: set[str] = set()
        for element in elements:
            organization = self._organization(element, scope, builder, sequencing)
            if organization.identifier in seen:
                self.report.warning(
                    Code.DUPLICATE_IDENTIFIER,
                    f"Organization identifier '{organization.identifier}' is used twice; the "
                    "second organization was ignored.",
                    file=self.file,
                    line=element.sourceline,
                )
                continue
            seen.add(organization.identifier)
            package.organizations.append(organization)
            if element is default:
                package.default_organization = organization.identifier
        if not elements:
            package.organizations.append(self._flat_organization(package, scope, builder))
            package.default_organization = package.organizations[0].identifier
        self._titles(package)
        if len(self.report.errors) == errors_before:
            self._check_launchable(package)
        return package

    def _organization(
        self,
        element: etree._Element,
        scope: Scope,
        builder: ItemBuilder,
        sequencing: SequencingReader,
    ) -> Organization:
        line = element.sourceline
        identifier = (element.get("identifier") or "").strip()
        if not identifier:
            identifier = f"organization-line-{line}"
            self.values.warn(
                f"An organization has no identifier; it was given '{identifier}'.", line=line
            )
        owner = f"Organization '{identifier}'"
        organization = Organization(
            identifier=identifier,
            title=child_text(element, self.cp, "title") or identifier,
            structure=(element.get("structure") or "hierarchical").strip(),
            objectives_global_to_system=self.values.boolean(
                attribute(element, ADLSEQ, "objectivesGlobalToSystem"), True,
                what=f"{owner}, @objectivesGlobalToSystem", line=line,
            ),
            shared_data_global_to_system=self.values.boolean(
                attribute(element, ADLCP_ANY, "sharedDataGlobalToSystem"), True,
                what=f"{owner}, @sharedDataGlobalToSystem", line=line,
            ),
        )
        threshold = _adlcp_child(element, "completionthreshold")
        if threshold is not None:
            organization.completion_threshold = read_completion_threshold(
                threshold, owner, self.values
            )
        organization.items = builder.organization_items(element, scope, identifier)
        organization.sequencing = sequencing.read(child(element, IMSSS, "sequencing"), owner=owner)
        if organization.sequencing is not None:
            organization.sequencing.objectives_global_to_system = (
                organization.objectives_global_to_system
            )
        return organization

    def _flat_organization(
        self, package: Package, scope: Scope, builder: ItemBuilder
    ) -> Organization:
        """§3.1: no organization at all, so one flat item per resource with an href."""
        items = builder.flat_items(scope)
        organizations = child(self.root, self.cp, "organizations")
        self.report.warning(
            Code.ORGANIZATIONS_EMPTY,
            "The manifest has no organization (no course structure); each resource with an "
            f"href became one item ({len(items)} in all).",
            file=self.file,
            line=(organizations if organizations is not None else self.root).sourceline,
            hint="Export the course with its organization (table of contents).",
        )
        identifier = f"{package.identifier or 'package'}-resources"
        return Organization(identifier=identifier, title=package.identifier, items=items)

    def _titles(self, package: Package) -> None:
        """Title: default organization, else LOM title, else the identifier; LOM description."""
        metadata = child(self.root, self.cp, "metadata")
        organization = package.organization
        titled = organization and organization.title != organization.identifier
        own_title = organization.title if organization and titled else None
        package.title = own_title or _lom_text(metadata, "title") or package.identifier
        package.description = _lom_text(metadata, "description")

    def _check_launchable(self, package: Package) -> None:
        organization = package.organization
        if organization is None or not any(i.launch_url for i in organization.walk()):
            where = f" '{organization.identifier}'" if organization else ""
            self.report.error(
                Code.NO_LAUNCHABLE_CONTENT,
                "The package contains no launchable content.",
                file=self.file,
                line=self.root.sourceline,
                hint=f"No item of the default organization{where} refers to a resource with "
                "an href; add identifierref to the items that should open content.",
            )


def _adlcp_child(element: etree._Element, lowercase_name: str) -> etree._Element | None:
    """The first child in either adlcp namespace whose local name matches in any case."""
    for part in element:
        namespace, local = qname(part)
        if namespace in ADLCP_ANY and local.lower() == lowercase_name:
            return part
    return None


def _lom_text(metadata: etree._Element | None, field: str) -> str | None:
    """``lom/general/<field>/string`` (LOM) or ``.../langstring`` (IMS MD 1.2), first one."""
    if metadata is None:
        return None
    for namespace in (LOM, IMSMD):
        lom = child(metadata, namespace, "lom")
        general = child(lom, namespace, "general") if lom is not None else None
        holder = child(general, namespace, field) if general is not None else None
        if holder is None:
            continue
        for local in ("string", "langstring"):
            for text_el in children(holder, namespace, local):
                if text := (text_el.text or "").strip():
                    return text
    return None
