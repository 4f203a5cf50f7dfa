"""Telegram's HTML parse mode and the checks it makes on a message's text and buttons.

Why: the most common way a bot breaks in production is a message Telegram refuses - user
text with an unescaped ``<`` or ``&``, a text over 4096 characters, callback data over 64
bytes. The parser follows tdlib's rules so such a message fails in the tests the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.emulator.limits import MAX_CALLBACK_DATA_BYTES
from bot.emulator.model import JSONDict, bad_request

_BUTTON_URL_RE = re.compile(r"(?:https?|tg)://\S+", re.IGNORECASE)
# Telegram opens Mini Apps over HTTPS only; the emulator also takes http:// on this machine, so a
# dashboard can be tried locally (the bot's own DASHBOARD_URL rule is the same).
_WEB_APP_URL_RE = re.compile(
    r"(?:https://[^/\s]+|http://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?)(?:/\S*)?",
    re.IGNORECASE,
)


class HtmlParseError(ValueError):
    """Text that Telegram's HTML parse mode would reject (the reason, as Telegram words it)."""


_TAG_ENTITY_TYPES = MappingProxyType(
    {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "span": "spoiler",
        "tg-spoiler": "spoiler",
        "a": "text_link",
        "code": "code",
        "pre": "pre",
        "blockquote": "blockquote",
        "tg-emoji": "custom_emoji",
    }
)
_NAMED_ENTITIES = MappingProxyType({"lt": "<", "gt": ">", "amp": "&", "quot": '"'})
_SPECIAL_RE = re.compile(r"[<>&]")
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,8})|([A-Za-z][A-Za-z0-9]*));")
_TAG_NAME_RE = re.compile(r"[^\s>/]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s>]+")
TRIM = " \t\r\n\f\v"


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units, like Telegram does."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_ENTITIES.get(name)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_attribute(value: str) -> str:
    return _ENTITY_RE.sub(lambda m: _decode_entity(m) or m.group(), value)


@dataclass
class _OpenTag:
    name: str
    offset: int  # UTF-16 offset in the plain text
    attributes: dict[str, str]
    byte_offset: int
    language: str | None = None


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into (plain text, entities) or raise ``HtmlParseError``.

    Follows tdlib's rules: only Telegram's tags, properly nested and closed, ``<`` must
    start a tag. With ``strict`` (the default) the parser is stricter than Telegram in
    one useful way: a bare ``&`` or ``>`` outside a tag is rejected too (Telegram shows
    them literally), because it nearly always means user text was not escaped. The plain
    text is trimmed like Telegram trims messages.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSONDict] = []
    n = len(text)
    i = 0

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    while i < n:
        match = _SPECIAL_RE.search(text, i)
        end = match.start() if match else n
        if end > i:
            chunk = text[i:end]
            out.append(chunk)
            pos16 += utf16_len(chunk)
            i = end
        if match is None:
            break
        char = match.group()
        if char == "&":
            entity = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(entity) if entity else None
            if entity is not None and decoded is not None:
                out.append(decoded)
                pos16 += utf16_len(decoded)
                i = entity.end()
                continue
            if strict:
                shown = entity.group() if entity else "&"
                raise HtmlParseError(
                    f'Unescaped or unsupported "{shown}" at byte offset {byte_offset(i)} '
                    '(escape user text: "&" must be written as "&amp;")'
                )
            out.append("&")
            pos16 += 1
            i += 1
        elif char == ">":
            if strict:
                raise HtmlParseError(
                    f'Unescaped ">" at byte offset {byte_offset(i)} (write "&gt;")'
                )
            out.append(">")
            pos16 += 1
            i += 1
        elif text.startswith("</", i):
            close = text.find(">", i)
            if close == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_offset(i)}")
            name = text[i + 2 : close].strip().lower()
            if not stack:
                raise HtmlParseError(f'Unexpected end tag "{name}" at byte offset {byte_offset(i)}')
            open_tag = stack.pop()
            if name and name != open_tag.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {byte_offset(i)}, "
                    f'expected "</{open_tag.name}>", found "</{name}>"'
                )
            _close_tag(open_tag, pos16, stack, entities)
            i = close + 1
        else:
            i = _open_tag(text, i, pos16, stack, byte_offset)

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return _trim("".join(out), entities)


def _open_tag(
    text: str,
    start: int,
    pos16: int,
    stack: list[_OpenTag],
    byte_offset: Callable[[int], int],
) -> int:
    """Parse the start tag at ``text[start] == "<"``; push it and return the index after it."""
    name_match = _TAG_NAME_RE.match(text, start + 1)
    assert name_match is not None  # the pattern matches the empty string
    name = name_match.group().lower()
    if name not in _TAG_ENTITY_TYPES:
        raise HtmlParseError(
            f'Unsupported start tag "{name}" at byte offset {byte_offset(start)}'
            + (' (write "&lt;" for a literal "<")' if not name else "")
        )
    attributes: dict[str, str] = {}
    j = name_match.end()
    n = len(text)
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(start)}")
        if text[j] == ">":
            j += 1
            break
        attr = _ATTR_NAME_RE.match(text, j)
        if attr is None:
            raise HtmlParseError(
                f'Unexpected "{text[j]}" in start tag "{name}" at byte offset {byte_offset(j)}'
            )
        attr_name = attr.group().lower()
        j = attr.end()
        while j < n and text[j].isspace():
            j += 1
        value = ""
        if j < n and text[j] == "=":
            j += 1
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] in "\"'":
                quote_end = text.find(text[j], j + 1)
                if quote_end == -1:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(start)}")
                value = text[j + 1 : quote_end]
                j = quote_end + 1
            else:
                unquoted = _UNQUOTED_VALUE_RE.match(text, j)
                if unquoted is None:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(start)}")
                value = unquoted.group()
                j = unquoted.end()
        attributes[attr_name] = _unescape_attribute(value)

    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(start)}'
        )
    if name == "tg-emoji" and not attributes.get("emoji-id"):
        raise HtmlParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {byte_offset(start)}'
        )
    stack.append(_OpenTag(name, pos16, attributes, byte_offset(start)))
    return j


def _close_tag(tag: _OpenTag, pos16: int, stack: list[_OpenTag], entities: list[JSONDict]) -> None:
    length = pos16 - tag.offset
    parent = stack[-1] if stack else None
    if tag.name == "code" and parent is not None and parent.name == "pre":
        # <pre><code class="language-x"> is how Telegram spells a pre block with a language.
        css = tag.attributes.get("class", "")
        if css.startswith("language-"):
            parent.language = css.removeprefix("language-")
        return
    if length <= 0:
        return  # Telegram drops empty entities
    entity: JSONDict = {"type": _TAG_ENTITY_TYPES[tag.name], "offset": tag.offset, "length": length}
    if tag.name == "a":
        href = tag.attributes.get("href")
        if not href:
            return
        entity["url"] = href
    elif tag.name == "pre" and tag.language:
        entity["language"] = tag.language
    elif tag.name == "blockquote" and "expandable" in tag.attributes:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attributes["emoji-id"]
    entities.append(entity)


def _trim(plain: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace like Telegram and shift/clip the entities to match."""
    stripped = plain.strip(TRIM)
    if stripped == plain:
        entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return plain, entities
    lead = utf16_len(plain[: len(plain) - len(plain.lstrip(TRIM))])
    end = lead + utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            result.append({**entity, "offset": start - lead, "length": stop - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result


# --------------------------------------------------------------------------------------


def format_text(
    text: str,
    parse_mode: Any,
    entities: Any,
    *,
    strict: bool,
    limit: int,
    too_long: str,
) -> tuple[str, list[JSONDict]]:
    """The plain text and entities of a text or caption, or the 400 Telegram answers."""
    mode = str(parse_mode).lower() if parse_mode else ""
    if mode == "html":
        try:
            plain, parsed = parse_html(text, strict=strict)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is passed through unparsed: plain_text keeps the markup characters.
        plain = text.strip(TRIM)
        parsed = list(entities) if isinstance(entities, list) and not mode else []
    else:
        raise bad_request("unsupported parse_mode")
    if len(plain) > limit:
        raise bad_request(too_long)
    return plain, parsed


def check_web_app(web_app: Any) -> None:
    """A Mini App's address, as Telegram accepts it in a button or the menu button."""
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str) or not _WEB_APP_URL_RE.fullmatch(url):
        raise bad_request("BUTTON_URL_INVALID")


def check_markup(markup: Any, chat_type: str | None = None) -> JSONDict | None:
    """A reply markup as Telegram accepts it: button texts, callback data size, URLs; Mini App
    buttons only in private chats."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("inline keyboard button text must be non-empty")
            data = button.get("callback_data")
            if data is not None:
                size = len(str(data).encode("utf-8"))
                if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not _BUTTON_URL_RE.fullmatch(str(url)):
                raise bad_request(f"inline keyboard button URL '{url}' is invalid")
            if "web_app" in button:
                check_web_app(button["web_app"])
                if chat_type not in (None, "private"):
                    raise bad_request("BUTTON_TYPE_INVALID")
    return markup
