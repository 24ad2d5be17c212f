"""Build the item tree of an organization (cam-packaging.md §3.2, §4, §7).

An item's ``identifierref`` names a resource (looked up in its manifest scope first) or, on a
leaf of the root manifest, a sub-manifest whose default organization is grafted in as the
item's children. Sub-manifests nested deeper are not grafted (one level is our policy).

SCORM 1.2 parents sometimes carry an ``identifierref``. For 1.2 we keep ``resource_id`` and
``launch_url`` on such a parent, as Moodle does, so a player may launch it; the model's
``Item.is_launchable`` still counts only leaves. In 2004 an ``identifierref`` on a cluster is
ignored with a warning, and a leaf without one is an empty, disabled leaf (warned).

Item identifiers are activity IDs, choice targets and the keys of the learner's tracking
data, so a duplicate within one organization is an error: renaming one would silently attach
tracking to the wrong activity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from scorm_player.packaging.item_data import read_item_data
from scorm_player.packaging.launch import join_parameters, resolve_href
from scorm_player.packaging.model import Item, Resource, ScormVersion
from scorm_player.packaging.namespaces import IMSSS, child, child_text, children
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.scope import Scope, default_organization
from scorm_player.packaging.sequencing_xml import SequencingReader
from scorm_player.packaging.values import ValueReader


@dataclass
class _Tree:
    """Identifiers seen in one activity tree (an organization and whatever it grafts)."""

    organization: str
    lines: dict[str, int | None] = field(default_factory=dict)


@dataclass
class ItemBuilder:
    """Turns ``item`` elements into ``model.Item`` trees for one manifest."""

    cp: str | None
    version: ScormVersion
    resources: dict[str, Resource]
    sequencing: SequencingReader
    report: ImportReport
    file: str
    values: ValueReader = field(init=False)
    _other_trees: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.values = ValueReader(self.report, self.file)

    def organization_items(
        self, organization: etree._Element, scope: Scope, organization_id: str
    ) -> list[Item]:
        """The items of one organization, in document (flow) order."""
        tree = _Tree(organization_id, {organization_id: organization.sourceline})
        items = [self._item(el, scope, tree) for el in children(organization, self.cp, "item")]
        for identifier in tree.lines:
            self._other_trees.setdefault(identifier, organization_id)
        return items

    def _item(self, element: etree._Element, scope: Scope, tree: _Tree) -> Item:
        line = element.sourceline
        identifier = self._identifier(element, tree)
        title = child_text(element, self.cp, "title") or ""
        if not title:
            self.report.warning(
                Code.ITEM_TITLE_MISSING,
                f"Item '{identifier}' has no title; its identifier is shown instead.",
                file=self.file,
                line=line,
                hint="Give every item a <title>.",
            )
        item = Item(
            identifier=identifier,
            title=title or identifier,
            is_visible=self.values.boolean(
                element.get("isvisible"), True, what=f"Item '{identifier}', @isvisible",
                line=line,
            ),
            parameters=element.get("parameters") or None,
            identifierref=(element.get("identifierref") or "").strip() or None,
            line=line,
        )
        item.children = [self._item(el, scope, tree) for el in children(element, self.cp, "item")]
        read_item_data(element, item, self.values)
        item.sequencing = self.sequencing.read(
            child(element, IMSSS, "sequencing"), owner=f"Item '{identifier}'"
        )
        self._resolve(item, scope, tree)
        return item

    def _identifier(self, element: etree._Element, tree: _Tree) -> str:
        line = element.sourceline
        identifier = (element.get("identifier") or "").strip()
        if not identifier:
            identifier = f"item-line-{line}"
            self.values.warn(
                f"An item has no identifier; it was given '{identifier}'.",
                line=line,
                hint="Give every item a unique identifier, or progress cannot be tracked "
                "across versions of the package.",
            )
        if identifier in tree.lines:
            self.report.error(
                Code.DUPLICATE_IDENTIFIER,
                f"Item identifier '{identifier}' is used twice in organization "
                f"'{tree.organization}' (lines {tree.lines[identifier]} and {line}).",
                file=self.file,
                line=line,
                hint="Item identifiers name activities for tracking and navigation; give "
                "every item its own.",
            )
        elif identifier in self._other_trees:
            self.report.warning(
                Code.DUPLICATE_IDENTIFIER,
                f"Item identifier '{identifier}' is also used in organization "
                f"'{self._other_trees[identifier]}'.",
                file=self.file,
                line=line,
            )
        tree.lines.setdefault(identifier, line)
        return identifier

    def _resolve(self, item: Item, scope: Scope, tree: _Tree) -> None:
        """Connect ``identifierref`` to a resource or graft a sub-manifest (§3.2, §7)."""
        ref = item.identifierref
        where = {"file": self.file, "line": item.line}
        if ref is None:
            if item.is_leaf and self.version is ScormVersion.SCORM_2004:
                self.report.warning(
                    Code.ITEM_LEAF_WITHOUT_RESOURCE,
                    f"Item '{item.identifier}' has no child items and no identifierref, so "
                    "there is nothing to launch; it is shown disabled.",
                    hint="Add identifierref naming the resource it should launch.",
                    **where,
                )
            return
        if not item.is_leaf and self.version is ScormVersion.SCORM_2004:
            self.report.warning(
                Code.ITEM_CLUSTER_WITH_RESOURCE,
                f"Item '{item.identifier}' has child items and also identifierref '{ref}'; "
                "in SCORM 2004 only leaf items launch content, so it was ignored.",
                hint="Move the resource to a child item.",
                **where,
            )
            return
        key = scope.find_resource(ref)
        if key is not None:
            self._launch(item, self.resources[key])
            return
        if ref in scope.submanifests:
            if not item.is_leaf:
                self.report.warning(
                    Code.ITEM_CLUSTER_WITH_RESOURCE,
                    f"Item '{item.identifier}' has child items and also names sub-manifest "
                    f"'{ref}'; only a leaf item can take in a sub-manifest, so it was ignored.",
                    **where,
                )
            elif scope.depth == 0:
                item.children = self._graft(scope.submanifests[ref], tree)
            else:
                self.report.warning(
                    Code.SUBMANIFEST_NESTED_TOO_DEEP,
                    f"Item '{item.identifier}' refers to sub-manifest '{ref}', which is nested "
                    "inside another sub-manifest; only one level is supported, so the item "
                    "is left empty.",
                    **where,
                )
            return
        self.report.error(
            Code.ITEM_BAD_IDENTIFIERREF,
            f"Item '{item.identifier}' refers to resource '{ref}', which is not declared in "
            "the manifest.",
            hint="Add a <resource> with that identifier, or correct the identifierref.",
            **where,
        )

    def _launch(self, item: Item, resource: Resource) -> None:
        """§4: base + href + parameters, relative to the package root."""
        item.resource_id = resource.identifier
        item.scorm_type = resource.scorm_type
        if resource.href is None:
            self.report.error(
                Code.RESOURCE_NO_HREF,
                f"Item '{item.identifier}' launches resource '{resource.identifier}', which "
                "has no href, so there is no page to open.",
                file=self.file,
                line=resource.line,
                hint="Set href on the resource to its start page.",
            )
            return
        url = resolve_href(resource.base, resource.href)
        item.launch_url = join_parameters(url, item.parameters)

    def _graft(self, sub: Scope, tree: _Tree) -> list[Item]:
        """§7: the sub-manifest's default organization's items become the item's children."""
        organization, _ = default_organization(sub, cp=self.cp, report=self.report, file=self.file)
        if organization is None:
            return self.flat_items(sub)
        return [self._item(el, sub, tree) for el in children(organization, self.cp, "item")]

    def flat_items(self, scope: Scope) -> list[Item]:
        """§3.1 resource package: one launchable item per resource with an href."""
        items = []
        for key in scope.resources.values():
            resource = self.resources[key]
            if resource.href is not None:
                item = Item(
                    identifier=resource.identifier,
                    title=resource.identifier,
                    identifierref=resource.identifier,
                    line=resource.line,
                )
                self._launch(item, resource)
                items.append(item)
        return items
