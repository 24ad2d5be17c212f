"""A manifest and its sub-manifests as nested scopes (cam-packaging.md §3, §7).

Each ``<manifest>`` element has its own ``xml:base``, organizations and resources. Resource
identifiers are looked up in the item's own scope first, then outwards; the package's flat
``resources`` dict gets every resource, under its own identifier, or qualified by its
sub-manifest's identifier when that is taken (``sub1/res1``), so a resource never replaces
another's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from scorm_player.packaging.model import Resource, ScormVersion
from scorm_player.packaging.namespaces import child, children, xml_base
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.resources import read_resources


@dataclass
class Scope:
    """One ``<manifest>`` element: the root (depth 0) or a sub-manifest."""

    identifier: str
    element: etree._Element
    bases: tuple[str | None, ...]  # xml:base of this manifest and its parents, outermost first
    depth: int = 0
    parent: Scope | None = None
    resources: dict[str, str] = field(default_factory=dict)  # own id -> package.resources key
    submanifests: dict[str, Scope] = field(default_factory=dict)

    def lineage(self) -> Iterator[Scope]:
        """This scope, then each enclosing manifest up to the root."""
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def all_scopes(self) -> Iterator[Scope]:
        yield self
        for sub in self.submanifests.values():
            yield from sub.all_scopes()

    def find_resource(self, ref: str) -> str | None:
        """The package key of resource ``ref``: own scope, then outwards, then anywhere."""
        for scope in self.lineage():
            if ref in scope.resources:
                return scope.resources[ref]
        root = list(self.lineage())[-1]
        for scope in root.all_scopes():
            if ref in scope.resources:
                return scope.resources[ref]
        return None


def read_scope(
    element: etree._Element,
    *,
    cp: str | None,
    version: ScormVersion,
    registry: dict[str, Resource],
    report: ImportReport,
    file: str,
    parent: Scope | None = None,
) -> Scope:
    """Read a manifest element and, recursively, its sub-manifests into ``registry``."""
    bases = (*(parent.bases if parent else ()), xml_base(element))
    scope = Scope(
        identifier=(element.get("identifier") or "").strip(),
        element=element,
        bases=bases,
        depth=parent.depth + 1 if parent else 0,
        parent=parent,
    )
    own = read_resources(element, cp=cp, bases=bases, version=version, report=report, file=file)
    for resource_id, resource in own.items():
        key = resource_id
        if key in registry:
            key = f"{scope.identifier}/{resource_id}"
            report.warning(
                Code.DUPLICATE_IDENTIFIER,
                f"Resource identifier '{resource_id}' of sub-manifest '{scope.identifier}' is "
                f"also used elsewhere in the manifest; it is stored as '{key}'.",
                file=file,
                line=resource.line,
            )
            resource.identifier = key
        registry[key] = resource
        scope.resources[resource_id] = key
    for sub in children(element, cp, "manifest"):
        sub_scope = read_scope(
            sub, cp=cp, version=version, registry=registry, report=report, file=file,
            parent=scope,
        )
        if sub_scope.identifier and sub_scope.identifier not in scope.submanifests:
            scope.submanifests[sub_scope.identifier] = sub_scope
    return scope


def default_organization(
    scope: Scope, *, cp: str | None, report: ImportReport, file: str
) -> tuple[etree._Element | None, list[etree._Element]]:
    """The organization to deliver and all organizations of a scope (§3.1).

    ``organizations/@default`` missing or dangling: the first one, with a warning.
    """
    organizations = child(scope.element, cp, "organizations")
    if organizations is None:
        return None, []
    found = list(children(organizations, cp, "organization"))
    if not found:
        return None, []
    wanted = (organizations.get("default") or "").strip()
    for organization in found:
        if (organization.get("identifier") or "").strip() == wanted and wanted:
            return organization, found
    first_id = (found[0].get("identifier") or "").strip()
    said = f"names '{wanted}', which is not an organization" if wanted else "is missing"
    report.warning(
        Code.ORGANIZATION_DEFAULT_MISSING,
        f"The default organization {said}; the first organization ('{first_id}') is "
        "delivered.",
        file=file,
        line=organizations.sourceline,
        hint=f'Set <organizations default="{first_id}">.',
    )
    return found[0], found
