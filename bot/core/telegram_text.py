"""Telegram's message limits applied to HTML text."""

from __future__ import annotations

import html

from bot.core.texts import Html

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def _cut_point(line: str, limit: int) -> int:
    """The last whitespace before `limit` outside tags and entities, else any point outside them."""
    space = safe = 0
    in_tag = in_entity = False
    for index, char in enumerate(line[:limit]):
        if not in_tag and not in_entity:
            safe = index
            if char.isspace():
                space = index
        if char == "<":
            in_tag = True
        elif char == ">":
            in_tag = False
        elif char == "&":
            in_entity = True
        elif char == ";":
            in_entity = False
    return space or safe or limit


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[Html]:
    """Split at paragraph, then line, then word boundaries so each part fits one message.

    The bot's own templates never keep a tag open across a line break, so parts stay valid HTML.
    """
    if len(text) <= limit:
        return [Html(text)]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = _cut_point(line, limit)
            pieces, line = line[:cut], line[cut:].lstrip()
            if current:
                parts.append(current)
                current = ""
            parts.append(pieces)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return [Html(part.strip("\n")) for part in parts if part.strip()]


def shorten_escaped(text: str, limit: int) -> Html:
    """Escape user text and shorten it with an ellipsis so the escaped form fits `limit`."""
    escaped = html.escape(text, quote=False)
    if len(escaped) <= limit:
        return Html(escaped)
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose escaped form fits
        middle = (low + high + 1) // 2
        if len(html.escape(text[:middle], quote=False)) + 1 <= limit:
            low = middle
        else:
            high = middle - 1
    return Html(html.escape(text[:low], quote=False) + "…")
