"""Launch URLs: the ``xml:base`` chain, ``resource/@href`` and ``item/@parameters``.

cam-packaging.md §4. Every URL we build stays relative to the package root (the folder that
holds the manifest); the web layer prefixes its content route when it serves a launch. We never
percent-decode here: the manifest's spelling goes into the URL as written, and only the file
check (``checks.py``) decodes it to find the zip member.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def normalise_slashes(path: str) -> str:
    """§9: ``content\\index.html`` means ``content/index.html``."""
    return path.strip().replace("\\", "/")


def strip_leading(path: str) -> str:
    """§9: a leading ``./`` or ``/`` still means "from the package root"."""
    while path.startswith(("./", "/")):
        path = path[2:] if path.startswith("./") else path[1:]
    return path


def has_scheme(url: str) -> bool:
    """True for ``http:``, ``mailto:`` ...; a Windows drive letter (``C:/``) is not a scheme."""
    return len(urlsplit(url).scheme) > 1


def is_web_url(url: str) -> bool:
    """An absolute ``http(s)://`` URL: external content we cannot host (§3.3)."""
    return urlsplit(url).scheme.lower() in ("http", "https")


def resolve_base(*bases: str | None) -> str:
    """Resolve an ``xml:base`` chain given outermost first (manifest, ..., resource).

    Each non-empty base is made to end with ``/`` before joining, because authors write
    ``xml:base="content"`` and mean a folder (Moodle's concatenation would give
    ``contenta.html``). Returns ``""`` or a folder ending in ``/``, relative to the package
    root, or an absolute URL when some base is one.
    """
    resolved = ""
    for base in bases:
        if base is None or not base.strip():
            continue
        folder = normalise_slashes(base)
        if not folder.endswith("/"):
            folder += "/"
        resolved = urljoin(resolved, folder)
    return resolved if has_scheme(resolved) else strip_leading(resolved)


def resolve_href(base: str, href: str) -> str:
    """``href`` resolved against a resolved base (RFC 3986, ``urllib.parse.urljoin``).

    An absolute ``href`` ignores the bases. A path starting with ``/`` is taken from the
    package root, which is the root of every reference here.
    """
    reference = normalise_slashes(href)
    if has_scheme(reference):
        return reference
    joined = urljoin(base, reference)
    return joined if has_scheme(joined) else strip_leading(joined)


def join_parameters(url: str, parameters: str | None) -> str:
    """Append ``item/@parameters`` to a launch URL (§4, step 3).

    Strip one leading ``?`` or ``&``; a fragment (``#x``) is appended only when the URL has
    none; a query is joined with ``&`` or ``?`` and always goes *before* an existing fragment,
    so the fragment stays last (``a.html#x`` + ``&q=1`` → ``a.html?q=1#x``). Parameters that
    carry both (``q=1#x``) are split the same way.
    """
    if not parameters:
        return url
    extra = parameters[1:] if parameters[0] in "?&" else parameters
    if not extra:
        return url
    head, hash_mark, fragment = url.partition("#")
    query, extra_hash, extra_fragment = extra.partition("#")
    if query:
        if "?" not in head:
            head += "?"
        elif not head.endswith(("?", "&")):
            head += "&"
        head += query
    if hash_mark:
        return f"{head}#{fragment}"
    if extra_hash:
        return f"{head}#{extra_fragment}"
    return head


def file_path(url: str) -> str:
    """The path part of a relative launch URL: query and fragment split off (§9)."""
    end = len(url)
    for mark in ("?", "#"):
        index = url.find(mark)
        if index != -1:
            end = min(end, index)
    return url[:end]
