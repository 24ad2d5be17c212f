"""Launch URL construction: the xml:base chain and item parameters (cam-packaging.md §4)."""

from __future__ import annotations

import pytest

from scorm_player.packaging.launch import (
    file_path,
    has_scheme,
    is_web_url,
    join_parameters,
    resolve_base,
    resolve_href,
)


# §4 examples table, row by row.
@pytest.mark.parametrize(
    ("href", "parameters", "launch_url"),
    [
        ("sco1/index.html", "?page=2", "sco1/index.html?page=2"),
        ("sco1/index.html?lang=en", "page=2", "sco1/index.html?lang=en&page=2"),
        ("player.html", "#chapter3", "player.html#chapter3"),
        ("player.html#intro", "#chapter3", "player.html#intro"),
        ("a.html#x", "&q=1", "a.html?q=1#x"),
    ],
)
def test_parameters_table(href: str, parameters: str, launch_url: str) -> None:
    assert join_parameters(href, parameters) == launch_url


@pytest.mark.parametrize(
    ("url", "parameters", "launch_url"),
    [
        ("a.html", None, "a.html"),
        ("a.html", "", "a.html"),
        ("a.html", "?", "a.html"),
        ("a.html", "&", "a.html"),
        ("a.html?x=1", "?q=1", "a.html?x=1&q=1"),
        ("a.html?x=1", "&q=1", "a.html?x=1&q=1"),
        ("a.html?", "q=1", "a.html?q=1"),
        ("a.html?x=1#f", "q=1", "a.html?x=1&q=1#f"),
        ("a.html", "q=1#f", "a.html?q=1#f"),
        ("a.html#x", "q=1#f", "a.html?q=1#x"),
        ("a.html", "??q=1", "a.html??q=1"),
    ],
)
def test_parameter_edge_cases(url: str, parameters: str | None, launch_url: str) -> None:
    """Only one leading ? or & is stripped; the URL's own fragment always stays last."""
    assert join_parameters(url, parameters) == launch_url


@pytest.mark.parametrize(
    ("bases", "resolved"),
    [
        ((), ""),
        ((None, "", "  "), ""),
        (("content",), "content/"),
        (("content/",), "content/"),
        (("course/", "content", "lessons"), "course/content/lessons/"),
        (("course", None, "lessons/"), "course/lessons/"),
        (("content\\sub",), "content/sub/"),
        (("./content",), "content/"),
        (("/content",), "content/"),
        (("course/", "../shared"), "shared/"),
        (("course/", "/shared/"), "shared/"),
        (("http://cdn.example.com/x", "y"), "http://cdn.example.com/x/y/"),
    ],
)
def test_xml_base_chain(bases: tuple, resolved: str) -> None:
    """Each non-empty base ends with '/' before joining: 'content' means a folder."""
    assert resolve_base(*bases) == resolved


@pytest.mark.parametrize(
    ("base", "href", "resolved"),
    [
        ("", "index.html", "index.html"),
        ("content/", "a.html", "content/a.html"),
        ("content/", "./a.html", "content/a.html"),
        ("content/", "../a.html", "a.html"),
        ("", "./a.html", "a.html"),
        ("content/", "/a.html", "a.html"),
        ("content/", "pages\\a.html", "content/pages/a.html"),
        ("content/", "my%20file.html", "content/my%20file.html"),
        ("content/", "a.html?x=1#y", "content/a.html?x=1#y"),
        ("content/", "https://example.com/a.html", "https://example.com/a.html"),
        ("http://cdn.example.com/x/", "a.html", "http://cdn.example.com/x/a.html"),
    ],
)
def test_href_against_the_base(base: str, href: str, resolved: str) -> None:
    """RFC 3986 resolution; a leading '/' means the package root; nothing is decoded."""
    assert resolve_href(base, href) == resolved


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("a.html", "a.html"),
        ("a.html?x=1", "a.html"),
        ("a.html#f", "a.html"),
        ("d/a.html#f?x", "d/a.html"),
        ("my%20a.html?x", "my%20a.html"),
    ],
)
def test_file_path_splits_off_query_and_fragment(url: str, path: str) -> None:
    assert file_path(url) == path


@pytest.mark.parametrize(
    ("url", "scheme", "web"),
    [
        ("http://example.com/a", True, True),
        ("HTTPS://example.com/a", True, True),
        ("mailto:someone@example.com", True, False),
        ("C:/course/a.html", False, False),
        ("content/a.html", False, False),
    ],
)
def test_schemes(url: str, scheme: bool, web: bool) -> None:
    """A Windows drive letter is not a scheme."""
    assert (has_scheme(url), is_web_url(url)) == (scheme, web)
