"""Read ``imsss:sequencing`` into ``model.SequencingDefinition`` (sequencing-2004.md §3).

``sequencing_parts.PartReader`` reads each child element; this module resolves ``IDRef``.
A ``sequencingCollection`` entry (cam-packaging.md §5.4, sequencing-2004.md §3.10) is read
once, on first use, into a partial definition (the fields each child element kind sets).
An item's ``IDRef`` takes that partial as its base, and each child element kind the item
declares itself replaces the collection's. That is the override granularity our spec notes
recall; they mark it unconfirmed. An ``IDRef`` naming no entry is ``SEQUENCING_IDREF_MISSING``.
"""

from __future__ import annotations

import copy

from lxml import etree

from scorm_player.packaging.model import MapInfo, Objective, SequencingDefinition
from scorm_player.packaging.namespaces import IMSSS, children
from scorm_player.packaging.report import Code, ImportReport
from scorm_player.packaging.sequencing_parts import (
    ADLSEQ_OBJECTIVES,
    IMSSS_MAP_DEFAULTS,
    AdlseqObjectives,
    Partial,
    PartReader,
)
from scorm_player.packaging.values import ValueReader


def collection_entries(
    manifest: etree._Element, *, report: ImportReport, file: str
) -> dict[str, etree._Element]:
    """``manifest/imsss:sequencingCollection/imsss:sequencing`` by ``@ID`` (first one wins)."""
    entries: dict[str, etree._Element] = {}
    for collection in children(manifest, IMSSS, "sequencingCollection"):
        for entry in children(collection, IMSSS, "sequencing"):
            entry_id = (entry.get("ID") or "").strip()
            if entry_id in entries:
                report.warning(
                    Code.DUPLICATE_IDENTIFIER,
                    f"Sequencing set '{entry_id}' is defined twice; the first one is used.",
                    file=file,
                    line=entry.sourceline,
                )
            elif entry_id:
                entries[entry_id] = entry
    return entries


class SequencingReader:
    """Reads the ``imsss:sequencing`` elements of one manifest."""

    def __init__(
        self, collection: dict[str, etree._Element], *, report: ImportReport, file: str
    ) -> None:
        self._collection = collection
        self._cache: dict[str, Partial] = {}
        self._report = report
        self._file = file
        self._values = ValueReader(report, file)
        self._parts = PartReader(report=report, file=file)

    def read(self, element: etree._Element | None, *, owner: str) -> SequencingDefinition | None:
        """The effective definition of ``element`` after ``IDRef`` resolution.

        :param owner: who it belongs to, for messages: ``"Item 'sco1'"``.
        """
        if element is None:
            return None
        partial: Partial = {}
        id_ref = (element.get("IDRef") or "").strip() or None
        if id_ref is not None:
            base = self._collection_partial(id_ref)
            if base is None:
                self._report.error(
                    Code.SEQUENCING_IDREF_MISSING,
                    f"{owner} uses sequencing set '{id_ref}', which is not defined.",
                    file=self._file,
                    line=element.sourceline,
                    hint=f'Add <imsss:sequencing ID="{id_ref}"> to the manifest\'s '
                    "<imsss:sequencingCollection>, or correct the IDRef.",
                )
            else:
                partial.update(base)
        partial.update(self._parts.read_parts(element, owner))
        definition = self._apply(partial, owner)
        definition.id_ref = id_ref
        return definition

    def _collection_partial(self, entry_id: str) -> Partial | None:
        if entry_id not in self._cache:
            entry = self._collection.get(entry_id)
            if entry is None:
                return None
            self._cache[entry_id] = self._parts.read_parts(entry, f"Sequencing set '{entry_id}'")
        return self._cache[entry_id]

    def _apply(self, partial: Partial, owner: str) -> SequencingDefinition:
        """A fresh definition holding every part (copied: collection parts are shared)."""
        definition = SequencingDefinition()
        adopted: AdlseqObjectives = []
        for fields in partial.values():
            for name, value in fields.items():
                if name == ADLSEQ_OBJECTIVES:
                    adopted = value
                else:
                    setattr(definition, name, copy.deepcopy(value))
        for objective_id, maps, line in adopted:
            self._merge_adlseq(definition, objective_id, maps, owner=owner, line=line)
        return definition

    def _merge_adlseq(
        self,
        definition: SequencingDefinition,
        objective_id: str,
        maps: list[tuple[str, dict[str, bool]]],
        *,
        owner: str,
        line: int | None,
    ) -> None:
        """Put each ``adlseq:mapInfo`` on the ``MapInfo`` of the same objective and target.

        A map that only ``adlseq`` declares reads and writes nothing through imsss; a map
        that only ``imsss`` declares reads and writes nothing through adlseq.
        """
        objective = next(
            (o for o in definition.objectives if o.objective_id == objective_id), None
        )
        if objective is None:
            self._values.warn(
                f"{owner}: adlseq:objective '{objective_id}' matches no imsss objective; it "
                "was kept as an extra local objective.",
                line=line,
            )
            objective = Objective(objective_id=objective_id or None)
            definition.objectives.append(objective)
        for target, flags in maps:
            existing = next(
                (m for m in objective.map_info if m.target_objective_id == target), None
            )
            if existing is None:
                existing = MapInfo(target, **dict.fromkeys(IMSSS_MAP_DEFAULTS, False))
                objective.map_info.append(existing)
            for name, value in flags.items():
                setattr(existing, name, value)

