"""Markdown as the workbook reads and writes it: GitHub-style heading anchors, HTML conversion, links."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_NOT_SLUG = re.compile(r"[^\w\- ]")


def slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _NOT_SLUG.sub("", heading.strip().lower()).replace(" ", "-")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")


def _heading_text(tokens: Sequence[Token], position: int) -> str:
    inline = tokens[position + 1]
    parts = [child.content for child in inline.children or () if child.type in ("text", "code_inline")]
    return "".join(parts)


def to_html(markdown: str) -> str:
    """The HTML of ``markdown``, every heading carrying the same anchor a code host would give it."""
    parser = _parser()
    tokens = parser.parse(markdown)
    seen: dict[str, int] = {}
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = slug(_heading_text(tokens, position))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            token.attrSet("id", anchor if count == 0 else f"{anchor}-{count}")
    html: str = parser.renderer.render(tokens, parser.options, {})
    return html


@dataclass(frozen=True, slots=True)
class Link:
    """A link or image in a Markdown file: its target and the line it is on."""

    target: str
    line: int
    image: bool


def links(markdown: str) -> tuple[Link, ...]:
    """Every link and image target in ``markdown``."""
    found: list[Link] = []

    def walk(tokens: Sequence[Token], line: int) -> None:
        for token in tokens:
            where = token.map[0] + 1 if token.map else line
            if token.type == "link_open":
                found.append(Link(str(token.attrGet("href") or ""), where, False))
            elif token.type == "image":
                found.append(Link(str(token.attrGet("src") or ""), where, True))
            if token.children:
                walk(token.children, where)

    walk(_parser().parse(markdown), 1)
    return tuple(found)


def anchors(markdown: str) -> frozenset[str]:
    """The heading anchors of ``markdown``, as ``to_html`` and a code host make them."""
    tokens = _parser().parse(markdown)
    found: set[str] = set()
    seen: dict[str, int] = {}
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            anchor = slug(_heading_text(tokens, position))
            count = seen.get(anchor, 0)
            seen[anchor] = count + 1
            found.add(anchor if count == 0 else f"{anchor}-{count}")
    return frozenset(found)
