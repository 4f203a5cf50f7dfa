"""What the emulator and the tests talk about: people, chats, the bot's messages, errors.

Why: tests assert on these objects (a ``SentMessage`` with its buttons and edits, an
``AnsweredCallback``), and every part of the emulator shares them, so they live apart from
the code that fills them in.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, Protocol

JSONDict = dict[str, Any]
#: One Bot API method: the request's parameters in, the ``result`` out (or an awaitable of it).
ApiMethod = Callable[[JSONDict], Any]
#: The Bot API methods by name, as each group of them registers itself.
MethodTable = dict[str, ApiMethod]


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


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class WaitTimeout(AssertionError, TimeoutError):
    """The bot did not do what a test waited for; an AssertionError so pytest shows it well."""


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
        return without_none(
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
        return without_none(
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
    web_app_url: str | None = None  # a button that opens a Mini App


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
class FilePart:
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
        return [[button_from_json(b) for b in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [b.text for row in self.buttons for b in row]

    def button(self, text: str) -> Button:
        """The button with exactly this text, else the one containing it (case-insensitive last)."""
        return find_button(self.buttons, text, self)


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


# --------------------------------------------------------------------------------------
# Helpers shared by the method groups
# --------------------------------------------------------------------------------------


def without_none(data: JSONDict) -> JSONDict:
    return {k: v for k, v in data.items() if v is not None}


def button_from_json(data: Any) -> Button:
    if isinstance(data, str):  # reply keyboards may use bare strings
        return Button(text=data)
    web_app = data.get("web_app")
    return Button(
        text=str(data.get("text", "")),
        callback_data=data.get("callback_data"),
        url=data.get("url"),
        web_app_url=web_app.get("url") if isinstance(web_app, dict) else None,
    )


def find_button(rows: list[list[Button]], text: str, owner: object) -> Button:
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


def chat_key(value: Any) -> int | str | None:
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


def as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise bad_request(f"invalid {name} specified")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(
            f"{name} is empty" if value in (None, "") else f"invalid {name} specified"
        ) from None
