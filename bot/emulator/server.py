"""A local Telegram Bot API server for tests, the terminal console and benchmarks.

Why: the bot must be exercised exactly as it runs in production - the real
python-telegram-bot ``Application`` speaking HTTP to a Bot API - without the network,
a real bot token or Telegram's rate limits getting in the way. The emulator answers
the Bot API methods the bot uses with Telegram-shaped JSON, enforces the checks that
catch real bugs (HTML that Telegram would reject, message and callback-data limits,
"message is not modified", blocked users, users who never wrote to the bot, flood limits),
and gives tests a small
driver API: simulated users send text and press buttons, and tests await the replies.

Point PTB at it with ``ApplicationBuilder().base_url(emulator.base_url)`` (and
``base_file_url(emulator.base_file_url)`` if the bot downloads files)::

    async with TelegramEmulator() as emulator:
        app = ApplicationBuilder().token(token).base_url(emulator.base_url).build()
        ...  # initialize, start, updater.start_polling(poll_interval=0, timeout=1)
        anna = emulator.user(first_name="Anna")
        reply = await emulator.ask(anna, "/start")
        emulator.click(anna, reply, "Ja")
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import math
import re
import socket
import time
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

from aiohttp import ClientError, ClientSession, ClientTimeout, web

if TYPE_CHECKING:
    from types import TracebackType

_log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
T = TypeVar("T")

#: Telegram's limits. Lengths are counted like tdlib does: in Unicode code points
#: (Python ``len``) of the text *after* entity parsing, so HTML tags do not count.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

#: Parameters that are strings in the Bot API. PTB sends strings raw and everything else
#: JSON-encoded, so only these must *not* go through ``json.loads`` ("123" stays "123").
_STRING_PARAMS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_title",
        "description",
        "document",
        "emoji",
        "explanation",
        "explanation_parse_mode",
        "file_id",
        "first_name",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "inline_message_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "parse_mode",
        "payload",
        "phone_number",
        "photo",
        "provider_token",
        "query",
        "question",
        "question_parse_mode",
        "secret_token",
        "short_description",
        "start_parameter",
        "sticker",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "video_note",
        "voice",
    }
)

_MESSAGE_UPDATE_KEYS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
)
#: What Telegram delivers when ``allowed_updates`` was never set (or set to ``[]``).
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
WEBHOOK_RETRY_SECONDS = 0.2
_BUTTON_URL_RE = re.compile(r"(?:https?|tg)://\S+", re.IGNORECASE)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


class Clock(Protocol):
    """Anything with ``now()`` - e.g. ``bot.core.clock.ManualClock`` - dates the messages."""

    def now(self) -> datetime: ...


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error response; raised inside method implementations."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> JSONDict:
        body: JSONDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class WaitTimeout(AssertionError, TimeoutError):
    """The bot did not do what a test waited for; an AssertionError so pytest shows it well."""


class HtmlParseError(ValueError):
    """Text that Telegram's HTML parse mode would reject (the reason, as Telegram words it)."""


# --------------------------------------------------------------------------------------
# HTML parse mode
# --------------------------------------------------------------------------------------

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
_TRIM = " \t\r\n\f\v"


def _utf16_len(text: str) -> int:
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
            pos16 += _utf16_len(chunk)
            i = end
        if match is None:
            break
        char = match.group()
        if char == "&":
            entity = _ENTITY_RE.match(text, i)
            decoded = _decode_entity(entity) if entity else None
            if entity is not None and decoded is not None:
                out.append(decoded)
                pos16 += _utf16_len(decoded)
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
    stripped = plain.strip(_TRIM)
    if stripped == plain:
        entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return plain, entities
    lead = _utf16_len(plain[: len(plain) - len(plain.lstrip(_TRIM))])
    end = lead + _utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            result.append({**entity, "offset": start - lead, "length": stop - start})
    result.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, result


# --------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------


@dataclass
class User:
    """A simulated person talking to the bot."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "de"
    is_bot: bool = False

    def to_dict(self) -> JSONDict:
        return _without_none(
            {
                "id": self.id,
                "is_bot": self.is_bot,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": self.language_code,
            }
        )


@dataclass
class Chat:
    """A chat; private chats have the user's id, groups/channels negative ids."""

    id: int
    type: Literal["private", "group", "supergroup", "channel"] = "private"
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool | None = None

    @classmethod
    def private(cls, user: User) -> Chat:
        return cls(
            id=user.id,
            type="private",
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
        )

    def to_dict(self) -> JSONDict:
        return _without_none(
            {
                "id": self.id,
                "type": self.type,
                "title": self.title,
                "username": self.username,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "is_forum": self.is_forum,
            }
        )


@dataclass(frozen=True)
class Button:
    """One keyboard button as the user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class UploadedFile:
    """A file the bot sent or a user uploaded; ``content`` is None for unknown file_ids/URLs."""

    file_id: str
    file_unique_id: str
    filename: str | None = None
    content: bytes | None = None
    mime_type: str | None = None
    url: str | None = None

    @property
    def size(self) -> int | None:
        return None if self.content is None else len(self.content)


@dataclass
class _FilePart:
    """A multipart file part as it arrived over HTTP."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class Edit:
    """The state of a bot message after one edit (``SentMessage.edits`` keeps them in order)."""

    method: str
    text: str | None
    plain_text: str
    parse_mode: str | None
    entities: list[JSONDict]
    reply_markup: JSONDict | None
    date: int
    params: JSONDict = field(repr=False, default_factory=dict)


@dataclass
class SentMessage:
    """Everything the bot sent in one message, in the form tests want to assert on.

    ``text`` is the raw text (or caption) as the bot sent it, ``plain_text`` what the user
    reads: tags stripped and entities unescaped. Edits update the fields in place and are
    appended to ``edits``; ``payload`` is the Message JSON the bot received back.
    """

    message_id: int
    chat_id: int
    method: str
    text: str | None
    plain_text: str
    parse_mode: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    document: UploadedFile | None = None
    photo: UploadedFile | None = None
    venue: JSONDict | None = None
    location: JSONDict | None = None
    reply_to_message_id: int | None = None
    date: int = 0
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False
    initial_text: str | None = None
    initial_plain_text: str = ""
    seq: int = 0
    params: JSONDict = field(default_factory=dict, repr=False)
    payload: JSONDict = field(default_factory=dict, repr=False)

    @property
    def is_media(self) -> bool:
        return self.document is not None or self.photo is not None

    @property
    def caption(self) -> str | None:
        return self.text if self.is_media else None

    @property
    def disable_notification(self) -> bool:
        return bool(self.params.get("disable_notification"))

    @property
    def buttons(self) -> list[list[Button]]:
        """Rows of buttons of the inline keyboard (or of a reply keyboard)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[_button_from_json(b) for b in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def button(self, text: str) -> Button:
        """The button with exactly this text, else the one containing it (case-insensitive last)."""
        return _find_button(self.buttons, text, self)


@dataclass
class ApiCall:
    """One HTTP request the bot made; ``status`` is the HTTP status we answered with."""

    method: str
    params: JSONDict
    time: float
    token: str = ""
    status: int = 200


@dataclass
class AnsweredCallback:
    """What the bot answered to a button press (``answerCallbackQuery``)."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    time: float


@dataclass
class RateLimit:
    """Telegram's flood limits for messages; None disables a limit.

    Overall and per group, a sliding window (30 in any second, 20 in any minute). A private
    chat takes a short burst and then one message a second: a bucket of ``per_chat_burst``
    messages, refilled at ``per_chat_per_second``.

    ``reading_time``: seconds a simulated person is taken to spend reading the bot's answer
    before they write or tap again; their chat's bucket refills by that much. Tests drive
    people far faster than anyone reads, so without it a conversation would meet the chat's
    limit that real partners never reach; with it, what meets the limit is the bot's own burst
    in answer to one message, or a person who writes again before any answer came.
    """

    global_per_second: int | None = 30
    per_chat_per_second: float | None = 1
    per_chat_burst: int = 3
    per_group_per_minute: int | None = 20
    reading_time: float = 0.0


@dataclass
class Stats:
    """Counters for benchmarks and assertions."""

    calls: int = 0
    sent: int = 0
    edited: int = 0
    deleted: int = 0
    callback_answers: int = 0
    rejected_400: int = 0
    rejected_403: int = 0
    rejected_429: int = 0
    injected_failures: int = 0
    updates_injected: int = 0
    updates_filtered: int = 0
    by_method: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> JSONDict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["by_method"] = dict(self.by_method)
        return data


EventKind = Literal["sent", "edited", "deleted", "callback_answer"]
Listener = Callable[[EventKind, "SentMessage | AnsweredCallback"], Awaitable[object] | object]


@dataclass
class _Fault:
    method: str  # lower case, "*" for any
    chat_id: int | str | None
    error: ApiError
    remaining: int


class _Window:
    """Timestamps of accepted requests inside a sliding window."""

    __slots__ = ("limit", "seconds", "stamps")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        stamps = self.stamps
        while stamps and stamps[0] <= now - self.seconds:
            stamps.popleft()
        if len(stamps) < self.limit:
            return 0.0
        return stamps[0] + self.seconds - now

    def take(self, now: float) -> None:
        self.stamps.append(now)


class _Bucket:
    """A token bucket: up to ``burst`` requests at once, then ``rate`` a second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, burst: int, rate: float, now: float) -> None:
        self.burst = burst
        self.rate = rate
        self.tokens = float(burst)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self.tokens -= 1

    def refill(self, seconds: float) -> None:
        """Time that passes for this bucket only (a person reading)."""
        self.tokens = min(self.burst, self.tokens + seconds * self.rate)


def _without_none(data: JSONDict) -> JSONDict:
    return {k: v for k, v in data.items() if v is not None}


def _button_from_json(data: Any) -> Button:
    if isinstance(data, str):  # reply keyboards may use bare strings
        return Button(text=data)
    return Button(
        text=str(data.get("text", "")), callback_data=data.get("callback_data"), url=data.get("url")
    )


def _find_button(rows: list[list[Button]], text: str, owner: object) -> Button:
    flat = [b for row in rows for b in row]
    tiers = (
        [b for b in flat if b.text == text],
        [b for b in flat if text in b.text],
        [b for b in flat if text.casefold() in b.text.casefold()],
    )
    for candidates in tiers:
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            if all(c == candidates[0] for c in candidates):
                return candidates[0]
            raise AssertionError(
                f"Button {text!r} is ambiguous, matches {[c.text for c in candidates]} in {owner!r}"
            )
    available = [[b.text for b in row] for row in rows]
    raise AssertionError(f"No button {text!r}; available buttons: {available}")


def _chat_key(value: Any) -> int | str | None:
    """A chat_id parameter as int where possible, so faults/blocks match either spelling."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    return None


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise _bad_request(f"invalid {name} specified")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(
            f"{name} is empty" if value in (None, "") else f"invalid {name} specified"
        ) from None


def _decode_param(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# --------------------------------------------------------------------------------------
# The emulator
# --------------------------------------------------------------------------------------


class TelegramEmulator:
    """A Bot API server on 127.0.0.1 plus a driver API for simulated users.

    Use ``async with TelegramEmulator() as emu:`` (or ``start()``/``stop()``) inside the
    running event loop. Everything is in memory and indexed per chat, so 20,000
    recipients stay cheap.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_id: int = 5_000_000_001,
        bot_username: str = "partnerbot_test_bot",
        bot_first_name: str = "Partnerbot",
        rate_limit: RateLimit | None = None,
        latency: float = 0.0,
        strict_html: bool = True,
        auto_create_chats: bool = False,
        clock: Clock | None = None,
    ) -> None:
        """
        ``rate_limit``: flood limits for send methods (None: unlimited). ``latency``: seconds
        added to every API call except getUpdates. ``strict_html``: also reject bare ``&``/``>``.
        ``auto_create_chats``: sending to an unknown positive chat id creates a private chat
        instead of failing with "chat not found", and every user may be written to before
        they wrote to the bot (handy for benchmarks).
        """
        self.host = host
        self._requested_port = port
        self.bot_user = User(
            id=bot_id,
            first_name=bot_first_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.rate_limit = rate_limit
        self.latency = latency
        self.strict_html = strict_html
        self.auto_create_chats = auto_create_chats
        self._clock = clock

        # Observations
        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.answered_callbacks: list[AnsweredCallback] = []
        self.updates: list[JSONDict] = []  # every update injected, in order
        self.stats = Stats()

        # State
        self._users: dict[int, User] = {}
        self._chats: dict[int, Chat] = {}
        self._by_chat: dict[int, list[SentMessage]] = defaultdict(list)
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._user_messages: dict[tuple[int, int], JSONDict] = {}
        self._deleted_user_messages: set[tuple[int, int]] = set()
        self._next_message_id: dict[int, int] = defaultdict(lambda: 1)
        self._user_ids = itertools.count(100_000_001)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._files: dict[str, UploadedFile] = {}
        self._files_by_path: dict[str, UploadedFile] = {}
        self._pending_callbacks: dict[str, JSONDict] = {}
        self._callback_answers: dict[str, AnsweredCallback] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._webhook: JSONDict | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        #: (update_id, HTTP status or None for no answer) of every webhook delivery attempt
        self.webhook_deliveries: list[tuple[int, int | None]] = []
        self._blocked: set[int] = set()
        self._started: set[int] = set()  # private chats whose user has written to the bot
        self._unread: set[int] = set()  # private chats with an answer their user has not read
        self._faults: list[_Fault] = []
        self._listeners: list[Listener] = []
        self._listener_tasks: set[asyncio.Task[object]] = set()

        # Updates / long polling
        self._update_queue: deque[JSONDict] = deque()
        self._last_update_id = 0
        self._allowed_updates: frozenset[str] | None = None
        self._updates_arrived = asyncio.Event()
        self._poll_generation = 0

        # Waiting for the bot: per-key sets of events, set on every change for that key
        self._waiters: dict[Hashable, set[asyncio.Event]] = defaultdict(set)

        # Rate limiting
        self._global_window: _Window | None = None
        self._chat_windows: dict[int, _Window | _Bucket] = {}
        if rate_limit is not None and rate_limit.global_per_second is not None:
            self._global_window = _Window(rate_limit.global_per_second, 1.0)

        # Server
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {
            name.lower(): (name, impl) for name, impl in self._method_table().items()
        }

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> TelegramEmulator:
        """Bind the port and serve in the running loop."""
        if self._runner is not None:
            return self
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
            self._port = sock.getsockname()[1]
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        return self

    async def stop(self) -> None:
        """Release pending long polls, finish listener tasks and close the server."""
        self._closing = True
        self._wake_pollers()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._listener_tasks:
            _, pending = await asyncio.wait(set(self._listener_tasks), timeout=1.0)
            for task in pending:
                task.cancel()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> TelegramEmulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("TelegramEmulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / ``Bot(base_url=...)``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)`` (file downloads)."""
        return f"http://{self.host}:{self.port}/file/bot"

    # ---------------------------------------------------------------- people and chats

    def user(
        self,
        id: int | None = None,
        first_name: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> User:
        """Create (and register) a simulated user with a unique id and their private chat.

        As on Telegram, the bot can write to them only after they have written to it."""
        if id is None:
            id = next(self._user_ids)
            while id in self._users or id in self._chats:
                id = next(self._user_ids)
        person = User(
            id=id,
            first_name=first_name or f"Tester {id}",
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self._users[id] = person
        self._chats[id] = Chat.private(person)
        return person

    def add_chat(self, chat: Chat) -> Chat:
        """Register a group, supergroup or channel so the bot can send to it."""
        self._chats[chat.id] = chat
        return chat

    def block(self, chat: int | User | Chat) -> None:
        """From now on every send to this chat fails with 403, as when a user blocks the bot."""
        self._blocked.add(self._chat_id_of(chat))

    def unblock(self, chat: int | User | Chat) -> None:
        self._blocked.discard(self._chat_id_of(chat))

    # ---------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        *,
        chat_id: int | User | Chat | str | None = None,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` ("*" = any; optionally only for
        ``chat_id``) fail with ``error_code``. 429 gets ``retry_after`` (default 1)."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                400: "Bad Request: injected failure",
                403: "Forbidden: bot was blocked by the user",
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request",
                429: f"Too Many Requests: retry after {retry_after}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(error_code, f"Error {error_code}")
        chat = None if chat_id is None else self._chat_id_of(chat_id)
        error = ApiError(error_code, description, retry_after=retry_after)
        self._faults.append(_Fault(method.lower(), chat, error, times))

    # ---------------------------------------------------------------- injecting updates

    def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: Chat | None = None,
        reply_to: SentMessage | JSONDict | None = None,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """The user sends ``text``; like Telegram, a leading /command and @mentions get entities."""
        content: JSONDict = {"text": text}
        if entities is None:
            entities = []
            match = _COMMAND_RE.match(text)
            if match:
                entities.append(
                    {"type": "bot_command", "offset": 0, "length": _utf16_len(match.group())}
                )
            entities.extend(
                {
                    "type": "mention",
                    "offset": _utf16_len(text[: mention.start()]),
                    "length": _utf16_len(mention.group()),
                }
                for mention in _MENTION_RE.finditer(text)
            )
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = self._reply_payload(reply_to)
        return self._push_user_message(user, chat, content)

    def send_sticker(self, user: User, emoji: str = "👍", *, chat: Chat | None = None) -> JSONDict:
        file = self._new_file("sticker", None, None, "image/webp")
        sticker = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_user_message(user, chat, {"sticker": sticker})

    def send_photo(
        self,
        user: User,
        content: bytes = b"\x89PNG fake",
        *,
        caption: str | None = None,
        chat: Chat | None = None,
        reply_to: SentMessage | JSONDict | None = None,
    ) -> JSONDict:
        file = self._new_file("photo", "photo.jpg", content, "image/jpeg")
        photo = [
            {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "width": 1280,
                "height": 960,
                "file_size": len(content),
            }
        ]
        content_json: JSONDict = _without_none({"photo": photo, "caption": caption})
        if reply_to is not None:
            content_json["reply_to_message"] = self._reply_payload(reply_to)
        return self._push_user_message(user, chat, content_json)

    def send_voice(
        self,
        user: User,
        duration: int = 3,
        *,
        content: bytes = b"OggS fake",
        chat: Chat | None = None,
    ) -> JSONDict:
        file = self._new_file("voice", "voice.ogg", content, "audio/ogg")
        voice = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self._push_user_message(user, chat, {"voice": voice})

    def send_document(
        self,
        user: User,
        filename: str,
        content: bytes = b"",
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat: Chat | None = None,
    ) -> JSONDict:
        file = self._new_file("document", filename, content, mime_type)
        return self._push_user_message(
            user, chat, _without_none({"document": self._document_json(file), "caption": caption})
        )

    def send_location(
        self, user: User, latitude: float, longitude: float, *, chat: Chat | None = None
    ) -> JSONDict:
        return self._push_user_message(
            user, chat, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def send_contact(
        self,
        user: User,
        phone_number: str,
        *,
        first_name: str | None = None,
        user_id: int | None = None,
        chat: Chat | None = None,
    ) -> JSONDict:
        contact = _without_none(
            {
                "phone_number": phone_number,
                "first_name": first_name or user.first_name,
                "user_id": user_id,
            }
        )
        return self._push_user_message(user, chat, {"contact": contact})

    def edit_text(self, user: User, original: JSONDict, new_text: str) -> JSONDict:
        """The user edits one of their messages; sends an ``edited_message`` update."""
        message = {**original, "text": new_text, "edit_date": self._now(), "from": user.to_dict()}
        message.pop("entities", None)
        match = _COMMAND_RE.match(new_text)
        if match:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(match.group())}
            ]
        key = (message["chat"]["id"], message["message_id"])
        self._user_messages[key] = message
        self._enqueue({"update_id": self._next_update_id(), "edited_message": message})
        return message

    def click(
        self, user: User, message: SentMessage, button: str, *, chat: Chat | None = None
    ) -> JSONDict:
        """The user presses an inline button (by text or substring); returns the callback_query."""
        if message.deleted:
            raise AssertionError(f"Cannot click {button!r}: message was deleted: {message!r}")
        if not (message.reply_markup or {}).get("inline_keyboard"):
            raise AssertionError(
                f"Cannot click {button!r}: message has no inline keyboard "
                f"(text: {message.plain_text!r}, buttons: {message.button_texts})"
            )
        found = message.button(button)
        if found.callback_data is None:
            raise AssertionError(f"Button {found.text!r} has no callback_data (url={found.url!r})")
        query_id = f"{next(self._callback_ids)}{user.id}"
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": dict(message.payload),  # a snapshot, later edits must not change it
            "chat_instance": str(chat.id if chat else message.chat_id),
            "data": found.callback_data,
        }
        self._pending_callbacks[query_id] = query
        self._read_answers(message.chat_id)
        self._enqueue({"update_id": self._next_update_id(), "callback_query": query})
        return query

    def send_update(self, payload: JSONDict) -> JSONDict:
        """Inject a raw update. Missing update_id, message_id, date and chat are filled in."""
        update = dict(payload)
        if "update_id" in update:
            self._last_update_id = max(self._last_update_id, int(update["update_id"]))
        else:
            update["update_id"] = self._next_update_id()
        for key in _MESSAGE_UPDATE_KEYS:
            message = update.get(key)
            if isinstance(message, dict):
                self._complete_user_message(message, edited=key.startswith("edited"))
        query = update.get("callback_query")
        if isinstance(query, dict):
            query.setdefault("id", f"{next(self._callback_ids)}raw")
            query.setdefault("chat_instance", "0")
            self._pending_callbacks[str(query["id"])] = query
            message = query.get("message")
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                chat_id = _as_int(message["chat"].get("id"), "chat_id")
                if chat_id == (query.get("from") or {}).get("id"):  # a button in their own chat
                    self._started.add(chat_id)
                self._read_answers(chat_id)
        self._enqueue(update)
        return update

    # ---------------------------------------------------------------- observing

    def mark(self) -> int:
        """A cursor for ``wait_for(since=...)``: only messages sent after this point count."""
        return len(self.sent)

    def messages_to(
        self, chat: int | User | Chat, *, since: int | None = None
    ) -> list[SentMessage]:
        """The messages sent to the chat, all or those after the cursor ``since``."""
        messages = self._by_chat.get(self._chat_id_of(chat), [])
        start = 0 if since is None else bisect_left(messages, since, key=lambda m: m.seq)
        return messages[start:]

    def last_to(self, chat: int | User | Chat) -> SentMessage | None:
        messages = self._by_chat.get(self._chat_id_of(chat))
        return messages[-1] if messages else None

    def calls_of(self, method: str) -> list[ApiCall]:
        method = method.lower()
        return [c for c in self.calls if c.method.lower() == method]

    def user_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A message a user sent (as injected), or None."""
        return self._user_messages.get((chat_id, message_id))

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        """Whether the bot deleted this message (its own or a user's)."""
        sent = self._messages.get((chat_id, message_id))
        if sent is not None:
            return sent.deleted
        return (chat_id, message_id) in self._deleted_user_messages

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self._update_queue)

    def commands(self, scope: Any = None, language_code: str | None = None) -> list[JSONDict]:
        """The commands registered with setMyCommands for exactly this scope (a dict or a
        ``telegram.BotCommandScope``; None = default) and language."""
        return list(self._commands.get(self._command_key(scope, language_code), []))

    def description(self, language_code: str | None = None) -> str | None:
        return self._descriptions.get(language_code or "")

    def short_description(self, language_code: str | None = None) -> str | None:
        return self._short_descriptions.get(language_code or "")

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        return self._menu_buttons.get(chat_id)

    def callback_answer(self, query: str | JSONDict) -> AnsweredCallback | None:
        return self._callback_answers.get(query if isinstance(query, str) else query["id"])

    def add_listener(self, callback: Listener) -> None:
        """``callback(kind, item)`` for every sent/edited/deleted message and callback answer.
        A sync callable runs inline; an awaitable result is scheduled as a task."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        self._listeners.remove(callback)

    # ---------------------------------------------------------------- waiting

    async def wait_for(
        self,
        chat: int | User | Chat,
        *,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - test-facing API
        since: int | None = None,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> SentMessage:
        """Wait until ``count`` messages (matching ``predicate``) were sent to the chat since
        the cursor ``since`` (from ``mark()``; None = from the start) and return the
        ``count``-th. Raises ``WaitTimeout`` (an AssertionError) listing what was sent."""
        chat_id = self._chat_id_of(chat)
        messages = self._by_chat[chat_id]
        start = 0 if since is None else bisect_left(messages, since, key=lambda m: m.seq)
        state = {"pos": start, "found": 0}

        def check() -> SentMessage | None:
            while state["pos"] < len(messages):
                message = messages[state["pos"]]
                state["pos"] += 1
                if predicate is None or predicate(message):
                    state["found"] += 1
                    if state["found"] >= count:
                        return message
            return None

        def describe() -> str:
            seen = [m.plain_text for m in messages[start:]][-10:]
            return (
                f"Timed out after {timeout}s waiting for {count} message(s) to chat {chat_id}"
                f" (found {state['found']}); sent there since the cursor: {seen}"
            )

        return await self._wait(chat_id, check, timeout, describe)

    async def wait_for_edit(
        self,
        message: SentMessage,
        *,
        count: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - test-facing API
    ) -> Edit:
        """Wait until the message has been edited ``count`` times in total (default: one
        more time than now) and return that edit."""
        target = len(message.edits) + 1 if count is None else count

        def check() -> Edit | None:
            return message.edits[target - 1] if len(message.edits) >= target else None

        def describe() -> str:
            return (
                f"Timed out after {timeout}s waiting for edit #{target} of message "
                f"{message.message_id} in chat {message.chat_id} ({message.plain_text!r})"
            )

        return await self._wait(message.chat_id, check, timeout, describe)

    async def wait_for_answer(
        self,
        query: str | JSONDict,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - test-facing API
    ) -> AnsweredCallback:
        """Wait until the bot answered the callback query returned by ``click``."""
        query_id = query if isinstance(query, str) else query["id"]
        return await self._wait(
            ("callback", query_id),
            lambda: self._callback_answers.get(query_id),
            timeout,
            lambda: f"Timed out after {timeout}s: callback query {query_id} was not answered",
        )

    async def ask(
        self,
        user: User,
        text: str,
        *,
        chat: Chat | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - test-facing API
    ) -> SentMessage:
        """Send ``text`` as ``user`` and return the next message the bot sends to that chat."""
        cursor = self.mark()
        self.send_text(user, text, chat=chat)
        return await self.wait_for(chat.id if chat else user.id, since=cursor, timeout=timeout)

    async def ask_all(
        self,
        user: User,
        text: str,
        *,
        chat: Chat | None = None,
        settle: float = 0.2,
        timeout: float = 5.0,  # noqa: ASYNC109 - test-facing API
    ) -> list[SentMessage]:
        """Send ``text`` and return all replies: waits for the first, then until the bot
        has been quiet in that chat for ``settle`` seconds."""
        chat_id = chat.id if chat else user.id
        cursor = self.mark()
        self.send_text(user, text, chat=chat)
        await self.wait_for(chat_id, since=cursor, timeout=timeout)
        count = 1
        while True:
            try:
                await self.wait_for(chat_id, since=cursor, count=count + 1, timeout=settle)
            except WaitTimeout:
                break
            count += 1
        messages = self._by_chat[chat_id]
        return messages[bisect_left(messages, cursor, key=lambda m: m.seq) :]

    async def _wait(
        self,
        key: Hashable,
        check: Callable[[], T | None],
        seconds: float,
        describe: Callable[[], str],
    ) -> T:
        result = check()
        if result is not None:
            return result
        event = asyncio.Event()
        waiters = self._waiters[key]
        waiters.add(event)
        try:
            async with asyncio.timeout(seconds):
                while True:
                    await event.wait()
                    event.clear()
                    result = check()
                    if result is not None:
                        return result
        except TimeoutError:
            raise WaitTimeout(describe()) from None
        finally:
            waiters.discard(event)
            if not waiters:
                self._waiters.pop(key, None)

    def _notify(self, key: Hashable) -> None:
        waiters = self._waiters.get(key)
        if waiters:
            for event in waiters:
                event.set()

    # ---------------------------------------------------------------- HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        requested = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except Exception as exc:  # malformed body
            _log.debug("Unparseable request body", exc_info=True)
            return self._error_response(_bad_request(f"can't parse request body: {exc}"))
        known = self._methods.get(requested.lower())
        method = known[0] if known else requested
        call = ApiCall(method=method, params=params, time=time.time(), token=token)
        self.calls.append(call)
        self.stats.calls += 1
        self.stats.by_method[method] += 1
        try:
            if known is None:
                _log.warning("Bot API method %r is not implemented by the emulator", requested)
                raise ApiError(404, "Not Found")
            if self.latency and method != "getUpdates":
                await asyncio.sleep(self.latency)
            self._inject_fault(method, params)
            result = known[1](params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            call.status = error.error_code
            return self._error_response(error)
        except (TypeError, ValueError) as exc:  # a parameter of the wrong type
            _log.warning("Rejected %s with bad parameters", method, exc_info=True)
            call.status = 400
            return self._error_response(_bad_request(f"invalid parameters for {method}: {exc}"))
        except Exception as exc:  # an emulator bug: say so instead of a bare 500
            _log.exception("Emulator failed on %s", method)
            call.status = 500
            return self._error_response(ApiError(500, f"Internal Server Error: {exc!r}"))
        return web.json_response({"ok": True, "result": result})

    def _error_response(self, error: ApiError) -> web.Response:
        if error.error_code == 400:
            self.stats.rejected_400 += 1
        elif error.error_code == 403:
            self.stats.rejected_403 += 1
        elif error.error_code == 429:
            self.stats.rejected_429 += 1
        return web.json_response(error.to_json(), status=error.error_code)

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = {k: _decode_param(k, v) for k, v in request.query.items()}
        if not request.can_read_body:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            for key, value in (body or {}).items():
                if isinstance(value, str):
                    params[key] = _decode_param(key, value)
                elif key in _STRING_PARAMS and value is not None and not isinstance(value, str):
                    params[key] = str(value)
                else:
                    params[key] = value
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = _FilePart(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = _decode_param(key, value)
        return params

    async def _handle_file(self, request: web.Request) -> web.Response:
        file = self._files_by_path.get(request.match_info["path"])
        if file is None or file.content is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=file.content, content_type=file.mime_type or "application/octet-stream"
        )

    def _inject_fault(self, method: str, params: JSONDict) -> None:
        if not self._faults:
            return
        lowered = method.lower()
        chat = _chat_key(params.get("chat_id"))
        for fault in self._faults:
            if fault.method not in ("*", lowered):
                continue
            if fault.chat_id is not None and fault.chat_id != chat:
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            self.stats.injected_failures += 1
            raise ApiError(
                fault.error.error_code, fault.error.description, retry_after=fault.error.retry_after
            )

    # ---------------------------------------------------------------- method table

    def _method_table(self) -> dict[str, Callable[[JSONDict], Any]]:
        return {
            "getMe": lambda p: self._bot_user_json(full=True),
            "logOut": lambda p: True,
            "close": lambda p: True,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": lambda p: self._set_text_setting(p, "description", 512),
            "getMyDescription": lambda p: {
                "description": self._descriptions.get(p.get("language_code") or "", "")
            },
            "setMyShortDescription": lambda p: self._set_text_setting(p, "short_description", 120),
            "getMyShortDescription": lambda p: {
                "short_description": self._short_descriptions.get(p.get("language_code") or "", "")
            },
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": lambda p: self._menu_buttons.get(
                _chat_key(p.get("chat_id")) if p.get("chat_id") is not None else None,
                {"type": "commands"},
            ),
            "sendChatAction": self._send_chat_action,
            "sendMessage": self._send_message,
            "sendPhoto": lambda p: self._send_media(p, "sendPhoto", "photo"),
            "sendDocument": lambda p: self._send_media(p, "sendDocument", "document"),
            "sendVenue": self._send_venue,
            "sendLocation": self._send_location,
            "copyMessage": lambda p: self._copy_or_forward(p, "copyMessage"),
            "forwardMessage": lambda p: self._copy_or_forward(p, "forwardMessage"),
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getChat": self._get_chat,
            "getFile": self._get_file,
        }

    # ---------------------------------------------------------------- bot settings

    def _bot_user_json(self, *, full: bool = False) -> JSONDict:
        data = self.bot_user.to_dict()
        if full:
            data.update(
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return data

    def _set_webhook(self, p: JSONDict) -> bool:
        url = str(p.get("url") or "")
        parsed = urlsplit(url)
        # Telegram only calls HTTPS; plain HTTP is allowed to loopback, where the tests run.
        local = parsed.scheme == "http" and parsed.hostname in _LOOPBACK
        if url and not (parsed.scheme == "https" or local):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        if p.get("allowed_updates") is not None:
            allowed = p["allowed_updates"]
            self._allowed_updates = frozenset(allowed) if allowed else None
        if p.get("drop_pending_updates"):
            self._update_queue.clear()
        if not url:
            return self._delete_webhook({})
        self._webhook = {"url": url, "secret_token": secret}
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.get_running_loop().create_task(self._deliver_to_webhook())
        self._wake_pollers()
        return True

    def _delete_webhook(self, p: JSONDict) -> bool:
        self._webhook = None
        if p.get("drop_pending_updates"):
            self._update_queue.clear()
        self._wake_pollers()  # the delivery task notices and ends
        return True

    async def _deliver_to_webhook(self) -> None:
        """POST the queued updates one by one, in order, with the secret token header, as
        Telegram does; an update leaves the queue only when the bot answered 2xx."""
        async with ClientSession(timeout=ClientTimeout(total=30)) as session:
            while self._webhook is not None and not self._closing:
                if not self._update_queue:
                    await self._updates_arrived.wait()
                    continue
                webhook, update = self._webhook, self._update_queue[0]
                headers = {}
                if webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(webhook["secret_token"])
                status: int | None = None
                try:
                    async with session.post(webhook["url"], json=update, headers=headers) as reply:
                        status = reply.status
                except (ClientError, OSError, TimeoutError) as exc:
                    _log.debug("Webhook delivery failed: %r", exc)
                self.webhook_deliveries.append((int(update["update_id"]), status))
                if status is not None and 200 <= status < 300:
                    if self._update_queue and self._update_queue[0] is update:
                        self._update_queue.popleft()
                else:  # Telegram retries later; so do we, a little sooner
                    await asyncio.sleep(WEBHOOK_RETRY_SECONDS)

    def _get_webhook_info(self, p: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": (self._webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._update_queue),
        }
        if self._allowed_updates is not None:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    @staticmethod
    def _command_key(scope: Any, language_code: Any) -> tuple[str, str]:
        if hasattr(scope, "to_dict"):  # a telegram.BotCommandScope
            scope = scope.to_dict()
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _set_my_commands(self, p: JSONDict) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("commands must be an array")
        if len(commands) > 100:
            raise _bad_request("too many commands specified")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("command must be an object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _BOT_COMMAND_NAME_RE.fullmatch(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._command_key(p.get("scope"), p.get("language_code"))
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, p: JSONDict) -> list[JSONDict]:
        return self.commands(p.get("scope"), p.get("language_code"))

    def _delete_my_commands(self, p: JSONDict) -> bool:
        self._commands.pop(self._command_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _set_text_setting(self, p: JSONDict, name: str, limit: int) -> bool:
        value = str(p.get(name) or "")
        if len(value) > limit:
            raise _bad_request(f"{name} is too long")
        store = self._descriptions if name == "description" else self._short_descriptions
        language = str(p.get("language_code") or "")
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    def _set_chat_menu_button(self, p: JSONDict) -> bool:
        chat_id = p.get("chat_id")
        key = None if chat_id is None else self._resolve_chat(chat_id).id
        self._menu_buttons[key] = p.get("menu_button") or {"type": "default"}
        return True

    # ---------------------------------------------------------------- updates

    def _next_update_id(self) -> int:
        self._last_update_id += 1
        return self._last_update_id

    def _enqueue(self, update: JSONDict) -> None:
        self.updates.append(update)
        self.stats.updates_injected += 1
        kind = next((k for k in update if k != "update_id"), "")
        allowed = self._allowed_updates
        if (allowed is None and kind in _NOT_DELIVERED_BY_DEFAULT) or (
            allowed is not None and kind not in allowed
        ):
            self.stats.updates_filtered += 1
            return
        self._update_queue.append(update)
        self._wake_pollers()

    def _wake_pollers(self) -> None:
        """Broadcast to every pending getUpdates: swap in a fresh event and set the old one."""
        event, self._updates_arrived = self._updates_arrived, asyncio.Event()
        event.set()

    async def _get_updates(self, p: JSONDict) -> list[JSONDict]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        if p.get("allowed_updates") is not None:
            allowed = p["allowed_updates"]
            self._allowed_updates = frozenset(allowed) if allowed else None
        queue = self._update_queue
        if offset > 0:
            while queue and queue[0]["update_id"] < offset:
                queue.popleft()
        elif offset < 0:
            while len(queue) > -offset:
                queue.popleft()

        # A new poll supersedes older ones (Telegram answers those with 409; we return []).
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if queue:
                return list(itertools.islice(queue, limit))
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing or generation != self._poll_generation:
                return []
            event = self._updates_arrived
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await event.wait()

    # ---------------------------------------------------------------- chats and checks

    def _chat_id_of(self, chat: int | str | User | Chat) -> int:
        if isinstance(chat, User | Chat):
            return chat.id
        key = _chat_key(chat)
        if isinstance(key, str):
            return self._resolve_chat(key).id
        if key is None:
            raise ValueError(f"not a chat: {chat!r}")
        return key

    def _resolve_chat(self, chat_id: Any) -> Chat:
        key = _chat_key(chat_id)
        if key is None or key == "":
            raise _bad_request("chat_id is empty")
        if isinstance(key, str):
            username = key.removeprefix("@").lower()
            for chat in self._chats.values():
                if chat.username and chat.username.lower() == username:
                    return chat
            raise _bad_request("chat not found")
        chat = self._chats.get(key)
        if chat is None and self.auto_create_chats and key > 0:
            chat = Chat.private(self.user(key))
        if chat is None:
            raise _bad_request("chat not found")
        return chat

    def _check_blocked(self, chat: Chat) -> None:
        if chat.id in self._blocked:
            if chat.type == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")

    def _check_rate_limit(self, chat: Chat) -> None:
        limit = self.rate_limit
        if limit is None:
            return
        now = time.monotonic()
        windows: list[_Window | _Bucket] = []
        if self._global_window is not None:
            windows.append(self._global_window)
        chat_window = self._chat_windows.get(chat.id)
        if chat_window is None:
            if chat.type == "private" and limit.per_chat_per_second is not None:
                chat_window = _Bucket(limit.per_chat_burst, limit.per_chat_per_second, now)
            elif chat.type != "private" and limit.per_group_per_minute is not None:
                chat_window = _Window(limit.per_group_per_minute, 60.0)
            if chat_window is not None:
                self._chat_windows[chat.id] = chat_window
        if chat_window is not None:
            windows.append(chat_window)
        wait = max((w.wait_time(now) for w in windows), default=0.0)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
        for window in windows:
            window.take(now)

    def _read_answers(self, chat_id: int) -> None:
        """The person acts again: if the bot had answered, they took ``reading_time`` first."""
        if chat_id not in self._unread:
            return
        self._unread.discard(chat_id)
        bucket = self._chat_windows.get(chat_id)
        if isinstance(bucket, _Bucket) and self.rate_limit is not None:
            bucket.refill(self.rate_limit.reading_time)

    def _target_chat(self, p: JSONDict) -> Chat:
        chat = self._resolve_chat(p.get("chat_id"))
        self._check_blocked(chat)
        if chat.type == "private" and chat.id not in self._started and not self.auto_create_chats:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _now(self) -> int:
        if self._clock is not None:
            return int(self._clock.now().timestamp())
        return int(time.time())

    # ---------------------------------------------------------------- content checks

    def _format(
        self,
        text: str,
        parse_mode: Any,
        entities: Any,
        *,
        limit: int,
        too_long: str,
    ) -> tuple[str, list[JSONDict]]:
        mode = str(parse_mode).lower() if parse_mode else ""
        if mode == "html":
            try:
                plain, parsed = parse_html(text, strict=self.strict_html)
            except HtmlParseError as exc:
                raise _bad_request(f"can't parse entities: {exc}") from None
        elif mode in ("", "markdown", "markdownv2"):
            # Markdown is passed through unparsed: plain_text keeps the markup characters.
            plain = text.strip(_TRIM)
            parsed = list(entities) if isinstance(entities, list) and not mode else []
        else:
            raise _bad_request("unsupported parse_mode")
        if len(plain) > limit:
            raise _bad_request(too_long)
        return plain, parsed

    @staticmethod
    def _check_markup(markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad_request("inline keyboard button text must be non-empty")
                data = button.get("callback_data")
                if data is not None:
                    size = len(str(data).encode("utf-8"))
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad_request("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not _BUTTON_URL_RE.fullmatch(str(url)):
                    raise _bad_request(f"inline keyboard button URL '{url}' is invalid")
        return markup

    def _reply_to(self, chat: Chat, p: JSONDict) -> tuple[int | None, JSONDict | None]:
        parameters = p.get("reply_parameters")
        if isinstance(parameters, dict):
            message_id = parameters.get("message_id")
            allow_missing = bool(parameters.get("allow_sending_without_reply"))
            if parameters.get("chat_id") is not None:
                chat = self._resolve_chat(parameters["chat_id"])
        else:
            message_id = p.get("reply_to_message_id")
            allow_missing = bool(p.get("allow_sending_without_reply"))
        if message_id is None:
            return None, None
        message_id = _as_int(message_id, "message_id")
        target = self._messages.get((chat.id, message_id))
        payload = target.payload if target is not None and not target.deleted else None
        if payload is None and (chat.id, message_id) not in self._deleted_user_messages:
            payload = self._user_messages.get((chat.id, message_id))
        if payload is None:
            if allow_missing:
                return None, None
            raise _bad_request("message to be replied not found")
        reply = {k: v for k, v in payload.items() if k != "reply_to_message"}
        return message_id, reply

    # ---------------------------------------------------------------- sending

    def _record(
        self,
        method: str,
        chat: Chat,
        p: JSONDict,
        *,
        text: str | None,
        plain_text: str,
        entities: list[JSONDict],
        content: JSONDict,
        reply_markup: JSONDict | None = None,
        reply: tuple[int | None, JSONDict | None] = (None, None),
        **fields: Any,
    ) -> SentMessage:
        self._check_rate_limit(chat)
        message_id = self._next_message_id[chat.id]
        self._next_message_id[chat.id] = message_id + 1
        date = self._now()
        payload: JSONDict = {
            "message_id": message_id,
            "from": self._bot_user_json(),
            "chat": chat.to_dict(),
            "date": date,
            **content,
        }
        if reply[1] is not None:
            payload["reply_to_message"] = reply[1]
        if reply_markup is not None and "inline_keyboard" in reply_markup:
            payload["reply_markup"] = reply_markup
        if p.get("link_preview_options") is not None:
            payload["link_preview_options"] = p["link_preview_options"]
        message = SentMessage(
            message_id=message_id,
            chat_id=chat.id,
            method=method,
            text=text,
            plain_text=plain_text,
            parse_mode=p.get("parse_mode"),
            entities=entities,
            reply_markup=reply_markup,
            reply_to_message_id=reply[0],
            date=date,
            initial_text=text,
            initial_plain_text=plain_text,
            seq=len(self.sent),
            params=p,
            payload=payload,
            **fields,
        )
        self.sent.append(message)
        if chat.type == "private":
            self._unread.add(chat.id)
        self._by_chat[chat.id].append(message)
        self._messages[(chat.id, message_id)] = message
        self.stats.sent += 1
        self._notify(chat.id)
        self._emit("sent", message)
        return message

    def _send_message(self, p: JSONDict) -> JSONDict:
        chat = self._target_chat(p)
        text = p.get("text")
        if text is None or text == "":
            raise _bad_request("message text is empty")
        text = str(text)
        plain, entities = self._format(
            text,
            p.get("parse_mode"),
            p.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
        )
        if not plain:
            raise _bad_request("message text is empty")
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        content: JSONDict = {"text": plain}
        if entities:
            content["entities"] = entities
        message = self._record(
            "sendMessage",
            chat,
            p,
            text=text,
            plain_text=plain,
            entities=entities,
            content=content,
            reply_markup=markup,
            reply=reply,
        )
        return message.payload

    def _caption(self, p: JSONDict) -> tuple[str | None, str, list[JSONDict]]:
        caption = p.get("caption")
        if caption is None or caption == "":
            return None, "", []
        caption = str(caption)
        plain, entities = self._format(
            caption,
            p.get("parse_mode"),
            p.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            too_long="message caption is too long",
        )
        return caption, plain, entities

    def _new_file(
        self, kind: str, filename: str | None, content: bytes | None, mime_type: str | None
    ) -> UploadedFile:
        number = next(self._file_ids)
        file = UploadedFile(
            file_id=f"emu-{kind}-{number}",
            file_unique_id=f"emu{number}",
            filename=filename,
            content=content,
            mime_type=mime_type,
        )
        self._files[file.file_id] = file
        return file

    def _input_file(self, p: JSONDict, name: str) -> UploadedFile:
        value = p.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, _FilePart):
            return self._new_file(name, value.filename, value.content, value.content_type)
        if isinstance(value, str) and value:
            known = self._files.get(value)
            if known is not None:
                return known
            if value.lower().startswith(("http://", "https://")):
                file = self._new_file(name, value.rsplit("/", 1)[-1] or None, None, None)
                file.url = value
                return file
            # An unknown file_id: Telegram would check it; we accept it as opaque.
            file = UploadedFile(file_id=value, file_unique_id=f"ext-{value[:16]}")
            self._files[value] = file
            return file
        raise _bad_request(f"there is no {name} in the request")

    @staticmethod
    def _document_json(file: UploadedFile) -> JSONDict:
        return _without_none(
            {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "file_name": file.filename,
                "mime_type": file.mime_type,
                "file_size": file.size,
            }
        )

    @staticmethod
    def _photo_json(file: UploadedFile) -> list[JSONDict]:
        return [
            _without_none(
                {
                    "file_id": file.file_id,
                    "file_unique_id": file.file_unique_id,
                    "width": 1280,
                    "height": 960,
                    "file_size": file.size,
                }
            )
        ]

    def _send_media(self, p: JSONDict, method: str, kind: Literal["photo", "document"]) -> JSONDict:
        chat = self._target_chat(p)
        caption, plain, entities = self._caption(p)
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        file = self._input_file(p, kind)
        content: JSONDict = {
            kind: self._photo_json(file) if kind == "photo" else self._document_json(file)
        }
        if caption is not None:
            content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
        message = self._record(
            method,
            chat,
            p,
            text=caption,
            plain_text=plain,
            entities=entities,
            content=content,
            reply_markup=markup,
            reply=reply,
            **{kind: file},
        )
        return message.payload

    def _location_of(self, p: JSONDict) -> JSONDict:
        try:
            latitude, longitude = float(p["latitude"]), float(p["longitude"])
        except (KeyError, TypeError, ValueError):
            raise _bad_request("wrong latitude or longitude specified") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _bad_request("wrong latitude or longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    def _send_venue(self, p: JSONDict) -> JSONDict:
        chat = self._target_chat(p)
        location = self._location_of(p)
        title, address = p.get("title"), p.get("address")
        if not title or not address:
            raise _bad_request("venue title and address must be non-empty")
        venue = _without_none(
            {
                "location": location,
                "title": str(title),
                "address": str(address),
                "foursquare_id": p.get("foursquare_id"),
                "foursquare_type": p.get("foursquare_type"),
                "google_place_id": p.get("google_place_id"),
                "google_place_type": p.get("google_place_type"),
            }
        )
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        message = self._record(
            "sendVenue",
            chat,
            p,
            text=None,
            plain_text=f"{title}\n{address}",
            entities=[],
            content={"venue": venue, "location": location},
            reply_markup=markup,
            reply=reply,
            venue=venue,
            location=location,
        )
        return message.payload

    def _send_location(self, p: JSONDict) -> JSONDict:
        chat = self._target_chat(p)
        location = self._location_of(p)
        markup = self._check_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p)
        message = self._record(
            "sendLocation",
            chat,
            p,
            text=None,
            plain_text="",
            entities=[],
            content={"location": location},
            reply_markup=markup,
            reply=reply,
            location=location,
        )
        return message.payload

    def _copy_or_forward(self, p: JSONDict, method: str) -> JSONDict:
        chat = self._target_chat(p)
        source_chat = self._resolve_chat(p.get("from_chat_id"))
        message_id = _as_int(p.get("message_id"), "message_id")
        key = (source_chat.id, message_id)
        source = self._messages.get(key)
        if source is not None and not source.deleted:
            original = source.payload
            fields: JSONDict = {
                "document": source.document,
                "photo": source.photo,
                "venue": source.venue,
                "location": source.location,
            }
            text, plain, entities = source.text, source.plain_text, list(source.entities)
        elif key in self._user_messages and key not in self._deleted_user_messages:
            original = self._user_messages[key]
            fields = {
                "document": self._files.get((original.get("document") or {}).get("file_id", "")),
                "photo": self._files.get(((original.get("photo") or [{}])[-1]).get("file_id", "")),
                "venue": original.get("venue"),
                "location": original.get("location"),
            }
            text = original.get("text", original.get("caption"))
            plain = text or ""
            entities = list(original.get("entities") or original.get("caption_entities") or [])
        else:
            raise _bad_request(
                "message to copy not found"
                if method == "copyMessage"
                else "message to forward not found"
            )
        content = {
            k: v
            for k, v in original.items()
            if k
            not in (
                "message_id",
                "from",
                "chat",
                "date",
                "edit_date",
                "reply_to_message",
                "reply_markup",
            )
        }
        if method == "copyMessage" and "caption" in p and "text" not in original:
            text, plain, entities = self._caption(p)
            content.pop("caption", None)
            content.pop("caption_entities", None)
            if text is not None:
                content["caption"] = plain
                if entities:
                    content["caption_entities"] = entities
        if method == "forwardMessage":
            sender = original.get("from") or self._bot_user_json()
            content["forward_origin"] = {
                "type": "user",
                "sender_user": sender,
                "date": original.get("date", 0),
            }
        markup = self._check_markup(p.get("reply_markup")) if method == "copyMessage" else None
        reply = self._reply_to(chat, p) if method == "copyMessage" else (None, None)
        message = self._record(
            method,
            chat,
            p,
            text=text,
            plain_text=plain,
            entities=entities,
            content=content,
            reply_markup=markup,
            reply=reply,
            **fields,
        )
        if method == "copyMessage":
            return {"message_id": message.message_id}
        return message.payload

    def _send_chat_action(self, p: JSONDict) -> bool:
        self._target_chat(p)
        if not p.get("action"):
            raise _bad_request("action is empty")
        return True

    # ---------------------------------------------------------------- editing

    def _message_to_edit(self, p: JSONDict) -> SentMessage:
        if p.get("inline_message_id"):
            raise _bad_request("inline messages are not supported by the emulator")
        chat = self._target_chat(p)
        message_id = _as_int(p.get("message_id"), "message_id")
        message = self._messages.get((chat.id, message_id))
        if message is None and (chat.id, message_id) in self._user_messages:
            raise _bad_request("message can't be edited")
        if message is None or message.deleted:
            raise _bad_request("message to edit not found")
        return message

    def _apply_edit(
        self,
        message: SentMessage,
        method: str,
        p: JSONDict,
        *,
        text: str | None,
        plain_text: str,
        entities: list[JSONDict],
        reply_markup: JSONDict | None,
        text_key: Literal["text", "caption"] | None,
    ) -> JSONDict:
        old_markup = (message.reply_markup or {}).get("inline_keyboard")
        new_markup = (reply_markup or {}).get("inline_keyboard")
        if (
            plain_text == message.plain_text
            and entities == message.entities
            and old_markup == new_markup
        ):
            raise _bad_request(_NOT_MODIFIED)
        date = self._now()
        message.text = text
        message.plain_text = plain_text
        message.entities = entities
        message.reply_markup = reply_markup
        if method != "editMessageReplyMarkup":
            message.parse_mode = p.get("parse_mode")
        payload = message.payload
        payload["edit_date"] = date
        if text_key is not None:
            entity_key = "entities" if text_key == "text" else "caption_entities"
            payload.pop(entity_key, None)
            if text is None:
                payload.pop(text_key, None)
            else:
                payload[text_key] = plain_text
                if entities:
                    payload[entity_key] = entities
        if new_markup:
            payload["reply_markup"] = reply_markup
        else:
            payload.pop("reply_markup", None)
        message.edits.append(
            Edit(
                method=method,
                text=text,
                plain_text=plain_text,
                parse_mode=message.parse_mode,
                entities=entities,
                reply_markup=reply_markup,
                date=date,
                params=p,
            )
        )
        self.stats.edited += 1
        self._notify(message.chat_id)
        self._emit("edited", message)
        return payload

    def _edit_message_text(self, p: JSONDict) -> JSONDict:
        message = self._message_to_edit(p)
        if message.is_media or message.text is None:
            raise _bad_request("there is no text in the message to edit")
        text = p.get("text")
        if text is None or text == "":
            raise _bad_request("message text is empty")
        text = str(text)
        plain, entities = self._format(
            text,
            p.get("parse_mode"),
            p.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
        )
        if not plain:
            raise _bad_request("message text is empty")
        markup = self._check_markup(p.get("reply_markup"))
        return self._apply_edit(
            message,
            "editMessageText",
            p,
            text=text,
            plain_text=plain,
            entities=entities,
            reply_markup=markup,
            text_key="text",
        )

    def _edit_message_caption(self, p: JSONDict) -> JSONDict:
        message = self._message_to_edit(p)
        if not message.is_media:
            raise _bad_request("there is no caption in the message to edit")
        caption, plain, entities = self._caption(p)
        markup = self._check_markup(p.get("reply_markup"))
        return self._apply_edit(
            message,
            "editMessageCaption",
            p,
            text=caption,
            plain_text=plain,
            entities=entities,
            reply_markup=markup,
            text_key="caption",
        )

    def _edit_message_reply_markup(self, p: JSONDict) -> JSONDict:
        message = self._message_to_edit(p)
        markup = self._check_markup(p.get("reply_markup"))
        return self._apply_edit(
            message,
            "editMessageReplyMarkup",
            p,
            text=message.text,
            plain_text=message.plain_text,
            entities=message.entities,
            reply_markup=markup,
            text_key=None,
        )

    def _delete_message(self, p: JSONDict) -> bool:
        chat = self._resolve_chat(p.get("chat_id"))
        message_id = _as_int(p.get("message_id"), "message_id")
        key = (chat.id, message_id)
        message = self._messages.get(key)
        if message is not None and not message.deleted:
            message.deleted = True
            self.stats.deleted += 1
            self._notify(chat.id)
            self._emit("deleted", message)
            return True
        if key in self._user_messages and key not in self._deleted_user_messages:
            self._deleted_user_messages.add(key)
            self.stats.deleted += 1
            return True
        raise _bad_request("message to delete not found")

    # ---------------------------------------------------------------- callbacks, chats, files

    def _answer_callback_query(self, p: JSONDict) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        if query_id not in self._pending_callbacks:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        del self._pending_callbacks[query_id]
        answer = AnsweredCallback(
            callback_query_id=query_id,
            text=None if text is None else str(text),
            show_alert=bool(p.get("show_alert")),
            url=p.get("url"),
            cache_time=p.get("cache_time"),
            time=time.time(),
        )
        self.answered_callbacks.append(answer)
        self._callback_answers[query_id] = answer
        self.stats.callback_answers += 1
        self._notify(("callback", query_id))
        self._emit("callback_answer", answer)
        return True

    def _get_chat(self, p: JSONDict) -> JSONDict:
        chat = self._resolve_chat(p.get("chat_id"))
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_file(self, p: JSONDict) -> JSONDict:
        file = self._files.get(str(p.get("file_id") or ""))
        if file is None or file.content is None:
            raise _bad_request("invalid file_id")
        path = f"files/{file.file_unique_id}/{file.filename or 'file'}"
        self._files_by_path[path] = file
        return {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": file.size,
            "file_path": path,
        }

    # ---------------------------------------------------------------- internals

    def _emit(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        for listener in list(self._listeners):
            try:
                result = listener(kind, item)
            except Exception:
                _log.exception("Emulator listener %r failed", listener)
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._listener_tasks.add(task)
                task.add_done_callback(self._listener_done)

    def _listener_done(self, task: asyncio.Task[object]) -> None:
        self._listener_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("Emulator listener failed", exc_info=task.exception())

    def _reply_payload(self, reply_to: SentMessage | JSONDict) -> JSONDict:
        payload = reply_to.payload if isinstance(reply_to, SentMessage) else reply_to
        return {k: v for k, v in payload.items() if k != "reply_to_message"}

    def _push_user_message(self, user: User, chat: Chat | None, content: JSONDict) -> JSONDict:
        if user.id not in self._users:
            self._users[user.id] = user
            self._chats.setdefault(user.id, Chat.private(user))
        if chat is None:
            chat = self._chats[user.id]
        else:
            self._chats.setdefault(chat.id, chat)
        if chat.type == "private":
            self._started.add(chat.id)
            self._read_answers(chat.id)
        message_id = self._next_message_id[chat.id]
        self._next_message_id[chat.id] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": self._now(),
            **content,
        }
        self._user_messages[(chat.id, message_id)] = message
        kind = "channel_post" if chat.type == "channel" else "message"
        if kind == "channel_post":
            message.pop("from", None)
            message["sender_chat"] = chat.to_dict()
        self._enqueue({"update_id": self._next_update_id(), kind: message})
        return message

    def _complete_user_message(self, message: JSONDict, *, edited: bool) -> None:
        sender = message.get("from")
        if "chat" not in message:
            if not isinstance(sender, dict) or "id" not in sender:
                raise ValueError("a message update needs 'chat' or 'from'")
            chat = self._chats.get(sender["id"]) or Chat(
                id=sender["id"],
                first_name=sender.get("first_name"),
                last_name=sender.get("last_name"),
                username=sender.get("username"),
            )
            message["chat"] = chat.to_dict()
        chat_json = message["chat"]
        chat_id = int(chat_json["id"])
        if chat_json.get("type", "private") == "private":
            self._started.add(chat_id)
            self._read_answers(chat_id)
        if chat_id not in self._chats:
            self._chats[chat_id] = Chat(
                **{
                    k: chat_json[k]
                    for k in ("id", "type", "title", "username", "first_name", "last_name")
                    if k in chat_json
                }
            )
        if isinstance(sender, dict) and "id" in sender and sender["id"] not in self._users:
            self._users[sender["id"]] = User(
                id=sender["id"],
                first_name=sender.get("first_name", ""),
                last_name=sender.get("last_name"),
                username=sender.get("username"),
                language_code=sender.get("language_code"),
                is_bot=bool(sender.get("is_bot")),
            )
        if "message_id" not in message:
            message["message_id"] = self._next_message_id[chat_id]
        self._next_message_id[chat_id] = max(
            self._next_message_id[chat_id], message["message_id"] + 1
        )
        message.setdefault("date", self._now())
        if edited:
            message.setdefault("edit_date", self._now())
        self._user_messages[(chat_id, message["message_id"])] = message
