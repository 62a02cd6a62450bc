"""Markdown as the workbook reads and writes it: GitHub-style heading anchors, HTML conversion, links.

Raw HTML in Markdown is never passed through: it comes out as text. The only HTML a page keeps is what
the renderer wrote itself (figures, step tables), held apart in a ``RawHtml`` until the page is HTML.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_NOT_SLUG = re.compile(r"[^\w\- ]")
# Characters that can start Markdown markup inside a line (emphasis, code, links, raw HTML, entities,
# table cells, headings, strikethrough on a code host); a backslash makes each a plain character.
_MARKUP = re.compile(r"([\\`*_\[\]<>&|#~])")
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def plain(text: str) -> str:
    """``text`` (a title, a summary) as Markdown that reads as exactly that text, on one line."""
    return _MARKUP.sub(r"\\\1", _LINE_BREAK.sub(" ", text))


class RawHtml:
    """HTML the renderer wrote itself, kept out of the Markdown as placeholders until it is HTML.

    A placeholder carries a nonce drawn per render, so no text of a page can name one.
    """

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self._pieces: list[str] = []
        self._held = re.compile(rf"rawhtml{self._nonce}n(\d+)e")

    def hold(self, html: str) -> str:
        """A placeholder that ``to_html`` turns back into ``html``."""
        self._pieces.append(html)
        return f"rawhtml{self._nonce}n{len(self._pieces) - 1}e"

    def restore(self, tokens: list[Token]) -> list[Token]:
        """``tokens`` with each placeholder as the HTML it holds: a block where it is a paragraph alone."""
        out: list[Token] = []
        position = 0
        while position < len(tokens):
            token = tokens[position]
            alone = (
                self._held.fullmatch(tokens[position + 1].content)
                if token.type == "paragraph_open" and position + 2 < len(tokens)
                else None
            )
            if alone is not None:
                block = Token("html_block", "", 0, map=token.map, block=True)
                block.content = self._pieces[int(alone[1])] + "\n"
                out.append(block)
                position += 3  # the paragraph's open, inline and close tokens
                continue
            if token.type == "inline" and token.children:
                token.children = [piece for child in token.children for piece in self._inline(child)]
            out.append(token)
            position += 1
        return out

    def _inline(self, token: Token) -> list[Token]:
        if token.type != "text" or not self._held.search(token.content):
            return [token]
        found: list[Token] = []
        for number, part in enumerate(self._held.split(token.content)):
            if number % 2:
                found.append(Token("html_inline", "", 0, content=self._pieces[int(part)]))
            elif part:
                found.append(Token("text", "", 0, content=part))
        return found


def slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return _NOT_SLUG.sub("", heading.strip().lower()).replace(" ", "-")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def _heading_text(tokens: Sequence[Token], position: int) -> str:
    inline = tokens[position + 1]
    parts = [child.content for child in inline.children or () if child.type in ("text", "code_inline")]
    return "".join(parts)


def to_html(markdown: str, raw: RawHtml | None = None) -> str:
    """The HTML of ``markdown``, raw HTML escaped, every heading with the anchor a code host gives it.

    The placeholders of ``raw`` become the HTML they hold.
    """
    parser = _parser()
    tokens = parser.parse(markdown)
    if raw is not None:
        tokens = raw.restore(tokens)
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
