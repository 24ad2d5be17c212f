"""Safe, tolerant parsing of ``imsmanifest.xml`` with lxml.

Safety first: a manifest comes from an upload, so the parser never loads a DTD, never expands
entities, never touches the network, and refuses the huge-tree mode. Any ``<!DOCTYPE`` in the
prolog is refused *before* parsing (``MANIFEST_FORBIDDEN_DTD``): that one rule stops external
entities (XXE, reading ``file:///etc/passwd``) and entity expansion bombs ("billion laughs")
without reading a file or allocating anything. SCORM manifests never need a DTD.

Then tolerance (cam-packaging.md §9): lxml honours BOMs and UTF-16 by itself; when the bytes do
not match the declared encoding we retry without the BOM as UTF-8 and then as latin-1
(``MANIFEST_ENCODING``). A prefix used without an ``xmlns:`` declaration (``adlcp:``) is a
namespace error, not a well-formedness error; only then do we re-parse in recover mode and map
the usual prefixes to their namespaces (``UNDECLARED_PREFIX``). A document that is not
well-formed (an unclosed ``<item>``) is rejected with lxml's message and position, never
"recovered" into a different tree.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass

from lxml import etree

from scorm_player.packaging.namespaces import known_prefixes
from scorm_player.packaging.report import Code, ImportReport

_PROLOG_ITEM = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_DOCTYPE = "<!DOCTYPE"


@dataclass
class _Attempt:
    """One parse of the bytes: the tree, or the errors lxml logged."""

    root: etree._Element | None
    errors: list[etree._LogEntry]
    data: bytes
    encoding: str | None = None  # the encoding we forced, None = as lxml detects it

    @property
    def namespace_errors_only(self) -> bool:
        """Undeclared prefixes: libxml2 reports them but the document is well-formed."""
        return bool(self.errors) and all(e.domain_name == "NAMESPACE" for e in self.errors)


def parse_xml(data: bytes, *, file: str, report: ImportReport) -> etree._Element | None:
    """Parse ``data`` safely; return the root element, or None after recording an error.

    :param file: the manifest's path in the zip, used in findings.
    """
    name = posixpath.basename(file) or file
    doctype_line = _doctype_line(data)
    if doctype_line is not None:
        _refuse_dtd(name, file, doctype_line, report)
        return None

    first = _parse(data, encoding=None)
    attempt = first
    if attempt.root is None and not attempt.namespace_errors_only:
        repaired = _retry_encodings(data)
        if repaired is not None:
            attempt = repaired
            report.warning(
                Code.MANIFEST_ENCODING,
                f"{name} is not in the encoding it declares; it was read as "
                f"{repaired.encoding}.",
                file=file,
                hint="Save the manifest as UTF-8 and declare encoding=\"UTF-8\".",
            )
    if attempt.root is None and attempt.namespace_errors_only:
        attempt = _recover_prefixes(attempt, file=file, report=report)
    if attempt.root is None:
        _report_malformed(name, file, first, attempt, report)
        return None
    if attempt.root.getroottree().docinfo.doctype:  # belt and braces: the prescan missed it
        _refuse_dtd(name, file, 1, report)
        return None
    return attempt.root


def _parser(*, encoding: str | None = None, recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
        encoding=encoding,
    )


def _parse(data: bytes, *, encoding: str | None, recover: bool = False) -> _Attempt:
    parser = _parser(encoding=encoding, recover=recover)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    ok = root is not None and (recover or not errors)
    return _Attempt(root if ok else None, errors, data, encoding)


def _retry_encodings(data: bytes) -> _Attempt | None:
    """§9: strip the BOM and retry as UTF-8, then latin-1 (UTF-16 first if it looks like it)."""
    body = data
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if body.startswith(bom):
            body = body[len(bom) :]
            break
    encodings = ["UTF-8", "ISO-8859-1"]
    if b"\x00" in body[:4]:
        encodings.insert(0, "UTF-16LE" if body[:1] != b"\x00" else "UTF-16BE")
    for encoding in encodings:
        attempt = _parse(body, encoding=encoding)
        if attempt.root is not None or attempt.namespace_errors_only:
            return attempt
    return None


def _recover_prefixes(attempt: _Attempt, *, file: str, report: ImportReport) -> _Attempt:
    """Re-parse in recover mode and give undeclared ``prefix:name`` nodes their namespace."""
    recovered = _parse(attempt.data, encoding=attempt.encoding, recover=True)
    if recovered.root is None:
        return recovered
    root = recovered.root
    mapping = known_prefixes(etree.QName(root).namespace)
    mapped: dict[str, int] = {}
    unknown: set[str] = set()
    for element in root.iter():
        _rename(element, mapping, mapped, unknown)
    first_line = min((e.line for e in attempt.errors), default=None)
    if mapped:
        listed = ", ".join(f"{p} = {mapping[p]}" for p in sorted(mapped))
        report.warning(
            Code.UNDECLARED_PREFIX,
            f"The manifest uses namespace prefixes it never declares; they were read as the "
            f"usual SCORM namespaces: {listed}.",
            file=file,
            line=first_line,
            hint="Declare each prefix on the <manifest> element, e.g. xmlns:adlcp=\"...\".",
        )
    if unknown:
        report.warning(
            Code.MANIFEST_RECOVERED,
            "The manifest uses undeclared namespace prefixes that are not SCORM's ("
            + ", ".join(sorted(unknown))
            + "); elements and attributes using them were ignored.",
            file=file,
            line=first_line,
        )
    return _Attempt(root, [], attempt.data, attempt.encoding)


def _rename(
    element: etree._Element, mapping: dict[str, str], mapped: dict[str, int], unknown: set[str]
) -> None:
    """Turn ``adlcp:x`` (no namespace, recover mode) into ``{adlcp uri}x``."""
    tag = element.tag
    if isinstance(tag, str) and not tag.startswith("{") and ":" in tag:
        prefix, local = tag.split(":", 1)
        if prefix in mapping:
            element.tag = f"{{{mapping[prefix]}}}{local}"
            mapped[prefix] = mapped.get(prefix, 0) + 1
        else:
            unknown.add(prefix)
    for key in list(element.attrib):
        if key.startswith("{") or ":" not in key:
            continue
        prefix, local = key.split(":", 1)
        if prefix in mapping:
            element.attrib[f"{{{mapping[prefix]}}}{local}"] = element.attrib.pop(key)
            mapped[prefix] = mapped.get(prefix, 0) + 1
        elif prefix != "xmlns":
            unknown.add(prefix)


def _report_malformed(
    name: str, file: str, first: _Attempt, last: _Attempt, report: ImportReport
) -> None:
    """§9 reject: "imsmanifest.xml could not be read: <lxml message> (line N)"."""
    errors = first.errors or last.errors
    structural = [e for e in errors if e.domain_name != "NAMESPACE"]
    error = (structural or errors or [None])[0]
    message = error.message.strip() if error else "the document is empty or not XML"
    line = error.line if error else None
    column = error.column if error else None
    where = f" (line {line})" if line else ""
    report.error(
        Code.MANIFEST_MALFORMED,
        f"{name} could not be read: {message}{where}.",
        file=file,
        line=line,
        column=column,
        hint="Open the manifest in an XML editor and fix the error at that position.",
    )


def _refuse_dtd(name: str, file: str, line: int, report: ImportReport) -> None:
    report.error(
        Code.MANIFEST_FORBIDDEN_DTD,
        f"{name} declares a DTD (<!DOCTYPE ...>). DTDs and entity declarations are refused, "
        "because they can read files on the server or exhaust its memory.",
        file=file,
        line=line,
        hint="Remove the <!DOCTYPE ...> declaration; SCORM manifests do not use one.",
    )


def _doctype_line(data: bytes) -> int | None:
    """The line of a ``<!DOCTYPE`` in the prolog (before the root element), or None.

    Scans only XML declaration, processing instructions, comments and blanks, so a DOCTYPE
    is found before lxml sees the document, in any of the encodings lxml would detect.
    """
    text = _prolog_view(data)
    pos = 1 if text.startswith("\ufeff") else 0
    while match := _PROLOG_ITEM.match(text, pos):
        pos = match.end()
    rest = text[pos:]
    stripped = rest.lstrip()
    if stripped[: len(_DOCTYPE)].upper() != _DOCTYPE:
        return None
    offset = pos + len(rest) - len(stripped)
    return text.count("\n", 0, offset) + 1


def _prolog_view(data: bytes) -> str:
    """The bytes as text, good enough to find ASCII markup in the prolog."""
    head = data[:4]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if head[:2] == b"<\x00" or head[:2] == b"\x00<":
        return data.decode("utf-16-le" if head[:1] == b"<" else "utf-16-be", errors="replace")
    return data.decode("latin-1")

