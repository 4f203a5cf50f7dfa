"""The one shared state of the emulator: people, chats, messages, files, the update queue.

Why: the Bot API methods, the HTTP server and the test driver all read and change the same
world - a message the bot sends is what a test waits for and what a user's button press
refers to - so it lives in one object that each part is given, indexed per chat so that
20,000 recipients stay cheap.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
import time
from collections import defaultdict, deque
from collections.abc import Hashable
from typing import Any

from bot.emulator.limits import FloodLimits, refuse_unreachable
from bot.emulator.model import (
    AnsweredCallback,
    ApiCall,
    Chat,
    Clock,
    EventKind,
    JSONDict,
    Listener,
    RateLimit,
    SentMessage,
    Stats,
    UploadedFile,
    User,
    bad_request,
    chat_key,
)

_log = logging.getLogger(__name__)

#: What Telegram delivers when ``allowed_updates`` was never set (or set to ``[]``).
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class EmulatorState:
    """Everything the emulator knows, and the few operations every part of it needs."""

    def __init__(
        self,
        *,
        bot_user: User,
        rate_limit: RateLimit | None,
        latency: float,
        strict_html: bool,
        auto_create_chats: bool,
        clock: Clock | None,
    ) -> None:
        self.bot_user = bot_user
        self.latency = latency
        self.strict_html = strict_html
        self.auto_create_chats = auto_create_chats
        self.clock = clock
        self.flood = FloodLimits(rate_limit)

        # Observations
        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.answered_callbacks: list[AnsweredCallback] = []
        self.updates: list[JSONDict] = []  # every update injected, in order
        self.stats = Stats()
        #: (update_id, HTTP status or None for no answer) of every webhook delivery attempt
        self.webhook_deliveries: list[tuple[int, int | None]] = []

        # People, chats, messages and files
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.by_chat: dict[int, list[SentMessage]] = defaultdict(list)
        self.messages: dict[tuple[int, int], SentMessage] = {}
        self.user_messages: dict[tuple[int, int], JSONDict] = {}
        self.deleted_user_messages: set[tuple[int, int]] = set()
        self.next_message_ids: dict[int, int] = defaultdict(lambda: 1)
        self.user_ids = itertools.count(100_000_001)
        self.file_ids = itertools.count(1)
        self.callback_ids = itertools.count(1)
        self.files: dict[str, UploadedFile] = {}
        self.files_by_path: dict[str, UploadedFile] = {}
        self.pending_callbacks: dict[str, JSONDict] = {}
        self.callback_answers: dict[str, AnsweredCallback] = {}
        self.blocked: set[int] = set()
        self.started: set[int] = set()  # private chats whose user has written to the bot

        # Bot settings
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}

        # Updates: long polling or the webhook
        self.update_queue: deque[JSONDict] = deque()
        self.last_update_id = 0
        self.allowed_updates: frozenset[str] | None = None
        self.updates_arrived = asyncio.Event()
        self.poll_generation = 0
        self.webhook: JSONDict | None = None
        self.webhook_task: asyncio.Task[None] | None = None
        self.closing = False

        # Who is watching: listeners, and per-key sets of events set on every change for a key
        self.listeners: list[Listener] = []
        self.listener_tasks: set[asyncio.Task[object]] = set()
        self.waiters: dict[Hashable, set[asyncio.Event]] = defaultdict(set)

    # ---------------------------------------------------------------- people and chats

    def now(self) -> int:
        if self.clock is not None:
            return int(self.clock.now().timestamp())
        return int(time.time())

    def new_user(
        self,
        id: int | None,
        first_name: str | None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> User:
        """A simulated user with a unique id, and their private chat."""
        if id is None:
            id = next(self.user_ids)
            while id in self.users or id in self.chats:
                id = next(self.user_ids)
        person = User(
            id=id,
            first_name=first_name or f"Tester {id}",
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.users[id] = person
        self.chats[id] = Chat.private(person)
        return person

    def chat_id_of(self, chat: int | str | User | Chat) -> int:
        if isinstance(chat, User | Chat):
            return chat.id
        key = chat_key(chat)
        if isinstance(key, str):
            return self.resolve_chat(key).id
        if key is None:
            raise ValueError(f"not a chat: {chat!r}")
        return key

    def resolve_chat(self, chat_id: Any) -> Chat:
        key = chat_key(chat_id)
        if key is None or key == "":
            raise bad_request("chat_id is empty")
        if isinstance(key, str):
            username = key.removeprefix("@").lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == username:
                    return chat
            raise bad_request("chat not found")
        chat = self.chats.get(key)
        if chat is None and self.auto_create_chats and key > 0:
            chat = Chat.private(self.new_user(key, None))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def target_chat(self, p: JSONDict) -> Chat:
        """The chat a send or edit goes to, if the bot may write there."""
        chat = self.resolve_chat(p.get("chat_id"))
        refuse_unreachable(
            chat,
            blocked=self.blocked,
            started=self.started,
            anyone_reachable=self.auto_create_chats,
        )
        return chat

    def next_message_id(self, chat_id: int) -> int:
        message_id = self.next_message_ids[chat_id]
        self.next_message_ids[chat_id] = message_id + 1
        return message_id

    def bot_user_json(self, *, full: bool = False) -> JSONDict:
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

    def new_file(
        self, kind: str, filename: str | None, content: bytes | None, mime_type: str | None
    ) -> UploadedFile:
        number = next(self.file_ids)
        file = UploadedFile(
            file_id=f"emu-{kind}-{number}",
            file_unique_id=f"emu{number}",
            filename=filename,
            content=content,
            mime_type=mime_type,
        )
        self.files[file.file_id] = file
        return file

    # ---------------------------------------------------------------- updates

    def next_update_id(self) -> int:
        self.last_update_id += 1
        return self.last_update_id

    def enqueue(self, update: JSONDict) -> None:
        self.updates.append(update)
        self.stats.updates_injected += 1
        kind = next((k for k in update if k != "update_id"), "")
        allowed = self.allowed_updates
        if (allowed is None and kind in _NOT_DELIVERED_BY_DEFAULT) or (
            allowed is not None and kind not in allowed
        ):
            self.stats.updates_filtered += 1
            return
        self.update_queue.append(update)
        self.wake_pollers()

    def wake_pollers(self) -> None:
        """Broadcast to every pending getUpdates: swap in a fresh event and set the old one."""
        event, self.updates_arrived = self.updates_arrived, asyncio.Event()
        event.set()

    # ---------------------------------------------------------------- telling who watches

    def notify(self, key: Hashable) -> None:
        waiters = self.waiters.get(key)
        if waiters:
            for event in waiters:
                event.set()

    def emit(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        for listener in list(self.listeners):
            try:
                result = listener(kind, item)
            except Exception:
                _log.exception("Emulator listener %r failed", listener)
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self.listener_tasks.add(task)
                task.add_done_callback(self._listener_done)

    def _listener_done(self, task: asyncio.Task[object]) -> None:
        self.listener_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("Emulator listener failed", exc_info=task.exception())
