"""Which SCORM version and edition a manifest is (cam-packaging.md §2).

Decision order:

1. ``/manifest/metadata/schemaversion``, trimmed and compared case-insensitively against
   ``SCHEMAVERSIONS``; a spelling that only matches after normalising (``SCORM 1.2``,
   ``2004 3rd edition``) is accepted with ``VERSION_NORMALISED``.
2. Otherwise any element or attribute in a 2004-only namespace makes it SCORM 2004: 4th
   edition if a 4th-edition-only construct is used (§5.3), else 3rd.
3. Otherwise a SCORM 1.2 namespace makes it 1.2.
4. Otherwise 1.2, as Moodle does.

Steps 2 to 4 are guesses and say so with ``VERSION_GUESSED``. The raw text is kept on the
package so support can see what the author's tool declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from scorm_player.packaging.model import Edition, ScormVersion
from scorm_player.packaging.namespaces import (
    ADLCP_ANY,
    ADLSEQ,
    SCORM_12_ONLY,
    SCORM_2004_ONLY,
    child,
    qname,
)
from scorm_player.packaging.report import Code, ImportReport

_V12 = (ScormVersion.SCORM_12, None)

#: §2 schemaversion table: canonical spelling → (version, edition).
SCHEMAVERSIONS: dict[str, tuple[ScormVersion, Edition | None]] = {
    "1.2": _V12,
    "1.3": (ScormVersion.SCORM_2004, Edition.SECOND),
    "CAM 1.3": (ScormVersion.SCORM_2004, Edition.SECOND),
    "2004 3rd Edition": (ScormVersion.SCORM_2004, Edition.THIRD),
    "2004 4th Edition": (ScormVersion.SCORM_2004, Edition.FOURTH),
}
_BY_KEY = {spelling.lower(): spelling for spelling in SCHEMAVERSIONS}

#: §5.3: attributes of ``adlcp:completionThreshold`` that exist only in the 4th edition.
_THRESHOLD_ATTRIBUTES = {"completedByMeasure", "minProgressMeasure", "progressWeight"}


@dataclass(frozen=True)
class DetectedVersion:
    version: ScormVersion
    edition: Edition | None
    schemaversion_raw: str | None


def canonical_schemaversion(raw: str) -> tuple[str, bool] | None:
    """The table spelling ``raw`` stands for, and whether it took more than trimming/case.

    >>> canonical_schemaversion(" SCORM 1.2 ")
    ('1.2', True)
    """
    text = raw.strip()
    if text.lower() in _BY_KEY:
        spelling = _BY_KEY[text.lower()]
        return spelling, text != spelling
    key = re.sub(r"\s+", " ", text).lower()
    key = re.sub(r"^(adl )?scorm ", "", key)
    key = re.sub(r"\bed(ition|\.)?$", "edition", key)
    if key in _BY_KEY:
        return _BY_KEY[key], True
    return None


def detect_version(
    root: etree._Element, *, file: str, report: ImportReport
) -> DetectedVersion:
    """Apply the §2 decision order to a parsed manifest."""
    cp = qname(root)[0]
    metadata = child(root, cp, "metadata")
    element = child(metadata, cp, "schemaversion") if metadata is not None else None
    raw = (element.text or "").strip() if element is not None else None
    anchor = next(e for e in (element, metadata, root) if e is not None)
    where = {"file": file, "line": anchor.sourceline}

    if raw:
        found = canonical_schemaversion(raw)
        if found is not None:
            spelling, odd = found
            version, edition = SCHEMAVERSIONS[spelling]
            if odd:
                report.warning(
                    Code.VERSION_NORMALISED,
                    f"schemaversion '{raw}' is not spelled as SCORM specifies; it was read as "
                    f"'{spelling}'.",
                    hint=f"Write <schemaversion>{spelling}</schemaversion>.",
                    **where,
                )
            return DetectedVersion(version, edition, raw)

    declared = f"schemaversion '{raw}' is not one SCORM defines" if raw else "no schemaversion"
    version, edition, because = _sniff(root)
    label = "SCORM 1.2" if edition is None else f"SCORM 2004 {edition.value} Edition"
    report.warning(
        Code.VERSION_GUESSED,
        f"The manifest does not say which SCORM version it is ({declared}); {because}, "
        f"so it was read as {label}.",
        hint="Set <metadata><schema>ADL SCORM</schema><schemaversion> to '1.2', "
        "'2004 3rd Edition' or '2004 4th Edition'.",
        **where,
    )
    return DetectedVersion(version, edition, raw or None)


def _sniff(root: etree._Element) -> tuple[ScormVersion, Edition | None, str]:
    """§2 steps 2 to 4: namespaces in use, and 4th-edition-only constructs (§5.3)."""
    used: set[str | None] = set()
    fourth = False
    for element in root.iter():
        ns, local = qname(element)
        used.add(ns)
        attributes = {etree.QName(key) for key in element.attrib}
        used.update(a.namespace for a in attributes)
        fourth = fourth or _is_fourth_edition_construct(ns, local, attributes)
    if used & set(SCORM_2004_ONLY):
        if fourth:
            return ScormVersion.SCORM_2004, Edition.FOURTH, (
                "it uses SCORM 2004 namespaces and 4th Edition features"
            )
        return ScormVersion.SCORM_2004, Edition.THIRD, "it uses SCORM 2004 namespaces"
    if used & set(SCORM_12_ONLY):
        return ScormVersion.SCORM_12, None, "it uses SCORM 1.2 namespaces"
    return ScormVersion.SCORM_12, None, "it uses no SCORM namespace"


def _is_fourth_edition_construct(
    ns: str | None, local: str, attributes: set[etree.QName]
) -> bool:
    if ns in ADLCP_ANY and local == "completionThreshold":
        return any(a.localname in _THRESHOLD_ATTRIBUTES for a in attributes)
    if ns in ADLCP_ANY and local in ("data", "map"):
        return True
    if ns == ADLSEQ and local in ("objectives", "objective", "mapInfo"):
        return True
    return local == "organization" and any(
        a.localname == "sharedDataGlobalToSystem" and a.namespace in ADLCP_ANY
        for a in attributes
    )
