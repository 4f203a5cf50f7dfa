"""The emulator as tests, the console and benchmarks use it: ``TelegramEmulator``.

Why: the bot must be exercised exactly as it runs in production - the real
python-telegram-bot ``Application`` speaking HTTP to a Bot API - without the network,
a real bot token or Telegram's rate limits getting in the way. ``TelegramEmulator`` puts
together the shared state, the method table, fault injection and the HTTP server, and gives
tests a small driver API: simulated users send text and press buttons, tests await replies.

It inherits what people do from ``SimulatedPeople``, a mixin over the same shared state:
the public API is one object with some forty methods, and a mixin keeps them in a file of
their own without writing each signature twice as a delegating stub.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bot.emulator.faults import Faults
from bot.emulator.methods import build_method_table
from bot.emulator.methods.settings import commands_for
from bot.emulator.model import (
    AnsweredCallback,
    ApiCall,
    Chat,
    Clock,
    Edit,
    JSONDict,
    Listener,
    RateLimit,
    SentMessage,
    User,
    WaitTimeout,
)
from bot.emulator.people import SimulatedPeople
from bot.emulator.server import ApiServer
from bot.emulator.state import EmulatorState

if TYPE_CHECKING:
    from types import TracebackType

T = TypeVar("T")


class _InState(Generic[T]):
    """A setting of the emulator kept in its shared state, so that setting it (a test may
    raise ``latency`` mid-test) reaches every part."""

    def __init__(self, *path: str) -> None:
        self._path = path

    def _holder(self, emulator: TelegramEmulator) -> Any:
        holder: Any = emulator._state
        for name in self._path[:-1]:
            holder = getattr(holder, name)
        return holder

    def __get__(self, emulator: TelegramEmulator, owner: type | None = None) -> T:
        return getattr(self._holder(emulator), self._path[-1])  # type: ignore[no-any-return]

    def __set__(self, emulator: TelegramEmulator, value: T) -> None:
        setattr(self._holder(emulator), self._path[-1], value)


class TelegramEmulator(SimulatedPeople):
    """A Bot API server on 127.0.0.1 plus a driver API for simulated users.

    Use ``async with TelegramEmulator() as emu:`` (or ``start()``/``stop()``) inside the
    running event loop. Everything is in memory and indexed per chat, so 20,000
    recipients stay cheap.
    """

    bot_user: _InState[User] = _InState("bot_user")
    rate_limit: _InState[RateLimit | None] = _InState("flood", "rate_limit")
    latency: _InState[float] = _InState("latency")
    strict_html: _InState[bool] = _InState("strict_html")
    auto_create_chats: _InState[bool] = _InState("auto_create_chats")

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
        self._state = state = EmulatorState(
            bot_user=User(
                id=bot_id,
                first_name=bot_first_name,
                username=bot_username,
                language_code=None,
                is_bot=True,
            ),
            rate_limit=rate_limit,
            latency=latency,
            strict_html=strict_html,
            auto_create_chats=auto_create_chats,
            clock=clock,
        )
        # Observations: the state's own lists, which it only ever appends to
        self.sent: list[SentMessage] = state.sent
        self.calls: list[ApiCall] = state.calls
        self.answered_callbacks: list[AnsweredCallback] = state.answered_callbacks
        self.updates: list[JSONDict] = state.updates  # every update injected, in order
        self.stats = state.stats
        #: (update_id, HTTP status or None for no answer) of every webhook delivery attempt
        self.webhook_deliveries: list[tuple[int, int | None]] = state.webhook_deliveries

        self._faults = Faults(state.stats)
        self._server = ApiServer(
            state, build_method_table(state), self._faults, host=host, port=port
        )

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> TelegramEmulator:
        """Bind the port and serve in the running loop."""
        await self._server.start()
        return self

    async def stop(self) -> None:
        """Release pending long polls, finish listener tasks and close the server."""
        await self._server.stop()

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
        return self._server.port

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
        return self._state.new_user(
            id, first_name, last_name=last_name, username=username, language_code=language_code
        )

    def add_chat(self, chat: Chat) -> Chat:
        """Register a group, supergroup or channel so the bot can send to it."""
        self._state.chats[chat.id] = chat
        return chat

    def block(self, chat: int | User | Chat) -> None:
        """From now on every send to this chat fails with 403, as when a user blocks the bot."""
        self._state.blocked.add(self._state.chat_id_of(chat))

    def unblock(self, chat: int | User | Chat) -> None:
        self._state.blocked.discard(self._state.chat_id_of(chat))

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
        self._faults.add(
            method,
            chat_id=None if chat_id is None else self._state.chat_id_of(chat_id),
            error_code=error_code,
            description=description,
            retry_after=retry_after,
            times=times,
        )

    # ---------------------------------------------------------------- observing

    def mark(self) -> int:
        """A cursor for ``wait_for(since=...)``: only messages sent after this point count."""
        return len(self._state.sent)

    def messages_to(
        self, chat: int | User | Chat, *, since: int | None = None
    ) -> list[SentMessage]:
        """The messages sent to the chat, all or those after the cursor ``since``."""
        messages = self._state.by_chat.get(self._state.chat_id_of(chat), [])
        start = 0 if since is None else bisect_left(messages, since, key=lambda m: m.seq)
        return messages[start:]

    def last_to(self, chat: int | User | Chat) -> SentMessage | None:
        messages = self._state.by_chat.get(self._state.chat_id_of(chat))
        return messages[-1] if messages else None

    def calls_of(self, method: str) -> list[ApiCall]:
        method = method.lower()
        return [c for c in self._state.calls if c.method.lower() == method]

    def user_message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A message a user sent (as injected), or None."""
        return self._state.user_messages.get((chat_id, message_id))

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        """Whether the bot deleted this message (its own or a user's)."""
        sent = self._state.messages.get((chat_id, message_id))
        if sent is not None:
            return sent.deleted
        return (chat_id, message_id) in self._state.deleted_user_messages

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self._state.update_queue)

    def commands(self, scope: Any = None, language_code: str | None = None) -> list[JSONDict]:
        """The commands registered with setMyCommands for exactly this scope (a dict or a
        ``telegram.BotCommandScope``; None = default) and language."""
        return commands_for(self._state, scope, language_code)

    def description(self, language_code: str | None = None) -> str | None:
        return self._state.descriptions.get(language_code or "")

    def short_description(self, language_code: str | None = None) -> str | None:
        return self._state.short_descriptions.get(language_code or "")

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        return self._state.menu_buttons.get(chat_id)

    def callback_answer(self, query: str | JSONDict) -> AnsweredCallback | None:
        return self._state.callback_answers.get(query if isinstance(query, str) else query["id"])

    def add_listener(self, callback: Listener) -> None:
        """``callback(kind, item)`` for every sent/edited/deleted message and callback answer.
        A sync callable runs inline; an awaitable result is scheduled as a task."""
        self._state.listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        self._state.listeners.remove(callback)

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
        chat_id = self._state.chat_id_of(chat)
        messages = self._state.by_chat[chat_id]
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
            lambda: self._state.callback_answers.get(query_id),
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
        messages = self._state.by_chat[chat_id]
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
        waiters = self._state.waiters[key]
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
                self._state.waiters.pop(key, None)
