"""Telegram's HTML subset, read as Telegram reads it: text plus entities, or why it is refused.

Organisers write formatted text on the dashboard (announcements, answers, FAQ entries) where the
chat would hand the bot a message with entities. This parser is the dashboard's side of that:
it accepts only what Telegram's HTML parse mode accepts (the formatting tags, `<a href>` to web
and tg: addresses, the five character references), and turns it into the same text and
entities a message would carry, with offsets in UTF-16 code units as Telegram counts them.
The page renders its preview from those entities, so the preview is what partners will see.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

TAG_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_TAG = re.compile(r"<(/?)([a-z-]+)((?:\s+[a-z-]+\s*=\s*\"[^\"<>]*\")*)\s*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"([a-z-]+)\s*=\s*\"([^\"<>]*)\"", re.IGNORECASE)
_REFERENCE = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_LINK = re.compile(r"(?:https?://|tg://)\S+", re.IGNORECASE)


class HtmlProblem(ValueError):
    """Text Telegram would refuse; `reason` is a short English description for the log."""


@dataclass(frozen=True)
class ParsedHtml:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_telegram_html(source: str) -> ParsedHtml:
    """The text and entities of `source`; HtmlProblem when Telegram would refuse it."""
    text: list[str] = []
    length = 0  # UTF-16 units of the text so far
    open_tags: list[tuple[str, int, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "<":
            match = _TAG.match(source, position)
            if match is None:
                raise HtmlProblem(f"unexpected '<' at {position}")
            closing, name, attributes = match[1], match[2].lower(), match[3]
            if name == "span":  # <span class="tg-spoiler"> is the other spoiler tag
                name = "tg-spoiler" if closing or 'class="tg-spoiler"' in attributes else "span"
            if name not in TAG_ENTITIES:
                raise HtmlProblem(f"unsupported tag <{name}>")
            if closing:
                if not open_tags or open_tags[-1][0] != name:
                    raise HtmlProblem(f"unmatched </{name}>")
                _, start, extra = open_tags.pop()
                if length > start:
                    entity = {"type": TAG_ENTITIES[name], "offset": start, "length": length - start}
                    entities.append({**entity, **extra})
            else:
                open_tags.append((name, length, _extra(name, attributes)))
            position = match.end()
        elif char == "&":
            match = _REFERENCE.match(source, position)
            if match is None:
                raise HtmlProblem(f"unescaped '&' at {position}")
            decoded = html.unescape(match[0])
            text.append(decoded)
            length += utf16_len(decoded)
            position = match.end()
        elif char == ">":
            raise HtmlProblem(f"unescaped '>' at {position}")
        else:
            found = (source.find(c, position) for c in "<&>")
            end = min((i for i in found if i >= 0), default=len(source))
            chunk = source[position:end]
            text.append(chunk)
            length += utf16_len(chunk)
            position = end
    if open_tags:
        raise HtmlProblem(f"<{open_tags[-1][0]}> is not closed")
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return ParsedHtml("".join(text), entities)


def _extra(name: str, attributes: str) -> dict[str, Any]:
    values = {key.lower(): value for key, value in _ATTRIBUTE.findall(attributes)}
    if name != "a":
        return {}
    href = html.unescape(values.get("href", ""))
    if not _LINK.fullmatch(href):
        raise HtmlProblem("a link needs an http(s):// or tg:// address")
    return {"url": href}


def plain_text(source: str) -> str:
    """The text of valid Telegram HTML without its formatting (for messages shown as text)."""
    return parse_telegram_html(source).text
