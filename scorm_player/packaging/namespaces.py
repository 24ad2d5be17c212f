"""The XML namespaces of SCORM manifests, and matching elements by namespace + local name.

Prefixes are arbitrary, so the importer matches on namespace URI and local name, never on the
prefix text (cam-packaging.md §2). The one exception is a prefix a manifest uses without
declaring it; ``xml.parse_xml`` maps those by the usual prefix name (``KNOWN_PREFIXES``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

# cam-packaging.md §2, the namespace table.
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
LOM = "http://ltsc.ieee.org/xsd/LOM"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XML = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Either edition's ADL CP extensions: ``scormtype`` and the per-item elements are read from
#: both, because packages mix them up (cam-packaging.md §9).
ADLCP_ANY = (ADLCP_12, ADLCP_2004)
#: Namespaces whose presence makes a manifest SCORM 2004 (cam-packaging.md §2, step 2).
SCORM_2004_ONLY = (ADLCP_2004, IMSSS, ADLSEQ, ADLNAV)
#: Namespaces that mark SCORM 1.2 (cam-packaging.md §2, step 3).
SCORM_12_ONLY = (ADLCP_12, IMSCP_12)

#: The usual prefix of each namespace, for prefixes used without an ``xmlns:`` declaration.
#: ``adlcp`` is resolved by the manifest's CP namespace (1.2 or 2004), see ``known_prefixes``.
KNOWN_PREFIXES: dict[str, str] = {
    "imsss": IMSSS,
    "adlseq": ADLSEQ,
    "adlnav": ADLNAV,
    "lom": LOM,
    "imsmd": IMSMD,
    "xsi": XSI,
}


def known_prefixes(cp_namespace: str | None) -> dict[str, str]:
    """Prefix → URI for undeclared prefixes; ``adlcp`` follows the manifest's CP edition."""
    adlcp = ADLCP_12 if cp_namespace == IMSCP_12 else ADLCP_2004
    return {**KNOWN_PREFIXES, "adlcp": adlcp}


def qname(element: etree._Element) -> tuple[str | None, str]:
    """``(namespace, local name)`` of an element."""
    q = etree.QName(element)
    return q.namespace, q.localname


def is_element(node: object) -> bool:
    """True for elements; comments and processing instructions have a non-string tag."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def children(
    element: etree._Element, namespaces: str | None | Iterable[str | None], local: str
) -> Iterator[etree._Element]:
    """Child elements named ``local`` in any of ``namespaces``, in document order."""
    spaces = _as_set(namespaces)
    for child in element:
        if is_element(child):
            ns, name = qname(child)
            if name == local and ns in spaces:
                yield child


def child(
    element: etree._Element, namespaces: str | None | Iterable[str | None], local: str
) -> etree._Element | None:
    """The first child element named ``local`` in any of ``namespaces``, or None."""
    return next(children(element, namespaces, local), None)


def child_text(
    element: etree._Element, namespaces: str | None | Iterable[str | None], local: str
) -> str | None:
    """The trimmed text of the first such child; None when it is absent."""
    found = child(element, namespaces, local)
    return None if found is None else (found.text or "").strip()


def attribute(
    element: etree._Element,
    namespaces: str | None | Iterable[str | None],
    local: str,
    *,
    any_case: bool = False,
) -> str | None:
    """An attribute by namespace and local name (``None`` namespace = unqualified)."""
    spaces = _as_set(namespaces)
    wanted = local.lower() if any_case else local
    for key, value in element.attrib.items():
        q = etree.QName(key)
        name = q.localname.lower() if any_case else q.localname
        if name == wanted and q.namespace in spaces:
            return value
    return None


def xml_base(element: etree._Element) -> str | None:
    """The element's own ``xml:base`` attribute (not inherited)."""
    return element.get(f"{{{XML}}}base")


def _as_set(namespaces: str | None | Iterable[str | None]) -> set[str | None]:
    if namespaces is None or isinstance(namespaces, str):
        return {namespaces}
    return set(namespaces)
