"""python-telegram-bot persistence in our database, so a restart mid-conversation resumes it.

Only conversation states and `user_data` are kept: our real data lives in proper tables, and
`user_data` only holds the answers of a conversation in progress. Everything is stored as JSON,
never pickled, so a row can be read, exported for a user and deleted without Python objects.

How PTB uses a persistence (22.x):

* `Application.initialize()` loads everything once (`get_user_data`, `get_conversations`), so
  the schema must be migrated *before* it runs.
* Writes are batched: PTB calls `update_*` every `update_interval` seconds for the users and
  conversations touched since the last run, and once more in `Application.shutdown()` (not in
  `stop()`), followed by `flush()`. A crash loses at most the last interval.
* A conversation handler sets its new state only after its callback returns, when the question
  of that state has already gone out. So a conversation that must survive a crash at any moment
  writes its step through with `checkpoint` before sending; PTB's batched write of the same
  values afterwards finds nothing changed and costs no query.
* PTB does not reschedule conversation timeouts for states it loads; `conversations_since`
  tells when each stored conversation last moved, so the timeouts can be restored.
* Errors raised by `update_*` never reach the handler that changed the data: PTB passes them to
  the application's error handlers with `update=None`, and the entry is not retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Collection, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select
from telegram.ext import Application, BasePersistence, ConversationHandler, PersistenceInput

from storage.database import Database
from storage.dialects import insert_for
from storage.models import BotState

log = logging.getLogger(__name__)

UserData = dict[str, Any]
# PTB's own aliases live in a private module (telegram.ext._utils.types); these are the same.
ConversationKey = tuple[int | str, ...]
ConversationDict = MutableMapping[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

Row = tuple[str, str]  # (kind, key) of a bot_state row

USER_DATA = "user_data"
CONVERSATION = "conversation:"


def _check_json(value: object, where: str) -> None:
    """Reject what JSON would lose or change, naming the place, instead of pickling it."""
    if value is None or isinstance(value, str | bool | int | float):
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{where} has the key {key!r} ({type(key).__name__}); "
                    "only string keys survive JSON"
                )
            _check_json(item, f"{where}[{key!r}]")
        return
    hint = "; use a list" if isinstance(value, tuple) else ""
    raise TypeError(
        # The value itself stays out of the message: it may be a name, and messages get logged.
        f"{where} is a {type(value).__name__}, which cannot be stored as JSON{hint}"
    )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _state_json(name: str, key: ConversationKey, state: object) -> str:
    """A conversation state as JSON; persistent conversations need int or str states."""
    if not isinstance(state, int | str):
        raise TypeError(
            f"state {state!r} of conversation {name!r} for key {key!r} is a "
            f"{type(state).__name__}; persistent conversations need int or str states"
        )
    # int() / str() turn IntEnum / StrEnum states into plain JSON; they compare equal.
    return _dumps(int(state) if isinstance(state, int) else str(state))


def _conversation_user(key: ConversationKey) -> int | None:
    """The user a conversation key belongs to, assuming PTB's layout (chat, user[, message]).

    A one-element key is a user only if positive: private chat ids equal user ids, groups are
    negative. `forget_user` does not rely on this; it matches the user anywhere in the key.
    """
    candidate = key[1] if len(key) >= 2 else key[0] if key else None
    if isinstance(candidate, int) and not isinstance(candidate, bool):
        return candidate if len(key) >= 2 or candidate > 0 else None
    return None


_FORGET_BATCH = 100  # users per DELETE: four LIKE patterns each keep the statement small


def _key_contains(user_id: int) -> ColumnElement[bool]:
    """The conversation key (a compact JSON list) has the user id as a whole element.

    Keys are lists of ints and quoted strings, so these patterns match the id only as a whole
    element; `[`, `,` and digits are not LIKE wildcards.
    """
    element = str(user_id)
    return or_(
        BotState.key == f"[{element}]",
        BotState.key.like(f"[{element},%"),
        BotState.key.like(f"%,{element},%"),
        BotState.key.like(f"%,{element}]"),
    )


def _forget_in_memory(
    application: Application[Any, Any, Any, Any, Any, Any], users: set[int]
) -> int:
    """Drop what the running Application holds about the users, so nothing continues or returns.

    Returns how many entries (non-empty user_data, conversation states) were dropped.
    """
    dropped = 0
    for user_id in users:
        dropped += bool(application.user_data.get(user_id))
        application.drop_user_data(user_id)
        application.drop_chat_data(user_id)  # a private chat has the user's id
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, ConversationHandler):
                for key in [key for key in handler.timeout_jobs if users.intersection(key)]:
                    handler.timeout_jobs.pop(key).schedule_removal()
    conversations = getattr(application, "_conversation_handler_conversations", None)
    if conversations is None:
        log.warning("PTB keeps conversations elsewhere; in-memory states not cleared")
        return dropped
    for states in conversations.values():
        for key in [key for key in states if users.intersection(key)]:
            states.pop(key)  # tracked by PTB: written as ended on its next run
            dropped += 1
    return dropped


@dataclass
class _RowBatch:
    """Rows of several checkpoints, written in one transaction."""

    rows: dict[Row, tuple[str | None, int]] = field(default_factory=dict)
    written: bool = False
    error: BaseException | None = None


class DatabasePersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """Keeps conversation states and `user_data` in the `bot_state` table.

    The in-memory copies in the Application are authoritative while the bot runs (one bot
    process per database), so the `refresh_*` hooks do not reread the database.
    """

    def __init__(
        self,
        database: Database,
        *,
        update_interval: float = 1.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._database = database
        self._now = now  # the bot's clock: stored times measure the conversation timeouts
        # What each row holds now. PTB offers every active user's data at every interval, mostly
        # unchanged or empty; comparing here spares the database a write per user per second.
        self._stored: dict[tuple[str, str], str] = {}
        # Conversation rows a `checkpoint` holds while its callback runs: the database is ahead
        # of PTB's memory then, so what PTB offers for them is older and must not overwrite it.
        self._held: dict[Row, int] = {}
        self._next_batch = _RowBatch()
        self._writing = asyncio.Lock()

    # ------------------------------------------------------------------ rows

    async def _load(self, kind: str) -> list[tuple[str, str]]:
        async with self._database.transaction() as repositories:
            rows = await repositories.session.execute(
                select(BotState.key, BotState.data).where(BotState.kind == kind)
            )
            loaded = [(key, data) for key, data in rows]
        self._stored.update(((kind, key), data) for key, data in loaded)
        return loaded

    async def _store(self, kind: str, key: str, data: str | None, user_id: int | None) -> None:
        """Write `data` (None: delete the row) unless the row already says exactly that."""
        if self._stored.get((kind, key)) == data:
            return
        if data is None:
            await self._delete(kind, key)
            self._stored.pop((kind, key), None)
        else:
            await self._save(kind, key, data, user_id)
            self._stored[(kind, key)] = data

    async def _save(self, kind: str, key: str, data: str, user_id: int | None) -> None:
        """Insert or replace in one statement, safe against two writers of the same row."""
        now = self._now()
        values = {"data": data, "user_id": user_id, "updated_at": now}
        async with self._database.transaction() as repositories:
            await repositories.session.execute(
                insert_for(repositories.session)(BotState)
                .values(kind=kind, key=key, **values)
                .on_conflict_do_update(index_elements=[BotState.kind, BotState.key], set_=values)
            )

    async def _delete(self, kind: str, key: str) -> None:
        async with self._database.transaction() as repositories:
            await repositories.session.execute(
                delete(BotState).where(BotState.kind == kind, BotState.key == key)
            )

    async def _put_rows(self, rows: dict[Row, str | None], user_id: int) -> None:
        """Write a user's rows (None: delete) in one transaction, with what other conversations
        wait to write, then remember what they hold.

        Group commit: rows that arrive while a write is under way go together in the next one,
        so concurrent conversations share a commit (under load most steps do); a step alone is
        written at once. This runs before every question, so it has to be cheap.
        """
        batch = self._next_batch
        batch.rows.update((row, (data, user_id)) for row, data in rows.items())
        async with self._writing:
            if not batch.written:  # the first of the batch to get here writes everyone's rows
                self._next_batch = _RowBatch()
                batch.written = True
                try:
                    await self._write_rows(batch.rows)
                except BaseException as error:
                    batch.error = error
                    raise
        if batch.error is not None:
            raise batch.error

    async def _write_rows(self, rows: dict[Row, tuple[str | None, int]]) -> None:
        """On the connection, one statement per kind of change: a session and a statement per
        row cost twice the CPU."""
        now = self._now()
        saved = [
            {"kind": kind, "key": key, "data": data, "user_id": user_id, "updated_at": now}
            for (kind, key), (data, user_id) in rows.items()
            if data is not None
        ]
        gone = [
            and_(BotState.kind == kind, BotState.key == key)
            for (kind, key), (data, _) in rows.items()
            if data is None
        ]
        async with self._database.connection() as connection:
            if saved:
                insert = insert_for(connection)(BotState).values(saved)
                await connection.execute(
                    insert.on_conflict_do_update(
                        index_elements=[BotState.kind, BotState.key],
                        set_={
                            "data": insert.excluded.data,
                            "user_id": insert.excluded.user_id,
                            "updated_at": insert.excluded.updated_at,
                        },
                    )
                )
            if gone:
                await connection.execute(delete(BotState).where(or_(*gone)))
        for row, (data, _) in rows.items():
            if data is None:
                self._stored.pop(row, None)
            else:
                self._stored[row] = data

    # ------------------------------------------------------------------ user_data

    async def get_user_data(self) -> dict[int, UserData]:
        return {int(json.loads(key)): json.loads(data) for key, data in await self._load(USER_DATA)}

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        """Store the user's data; empty data is no row (PTB calls this for every active user)."""
        if data:
            _check_json(data, f"user_data[{user_id}]")
        await self._store(USER_DATA, _dumps(user_id), _dumps(data) if data else None, user_id)

    async def drop_user_data(self, user_id: int) -> None:
        await self._delete(USER_DATA, _dumps(user_id))
        self._stored.pop((USER_DATA, _dumps(user_id)), None)

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """Nothing to do: the Application's copy is newer than the database between writes."""

    # ------------------------------------------------------------------ conversations

    async def get_conversations(self, name: str) -> ConversationDict:
        # JSON has no tuples; PTB looks conversations up by tuple keys.
        return {
            tuple(json.loads(key)): json.loads(data)
            for key, data in await self._load(CONVERSATION + name)
        }

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store the step a conversation is at; `None` means it ended, so the row goes."""
        kind, row_key = CONVERSATION + name, _dumps(list(key))
        if (kind, row_key) in self._held:
            return  # the state the callback started from; PTB offers the new one next time
        if new_state is None:
            await self._store(kind, row_key, None, None)
            return
        await self._store(kind, row_key, _state_json(name, key, new_state), _conversation_user(key))

    @asynccontextmanager
    async def checkpoint(
        self,
        name: str,
        key: ConversationKey,
        state: object | None,
        user_id: int,
        user_data: UserData,
    ) -> AsyncIterator[None]:
        """Write a conversation's next state and its user's data now, in one transaction, and
        undo that if the block (sending the state's question) fails.

        Written before the question leaves, so a crash at any moment after the partner sees it
        finds the step and the answers so far in the database. Both rows in one transaction: a
        step without its answers, or answers of another run, would be worse than either. The
        state row is written even when unchanged, since its time is when the conversation last
        moved (see `conversations_since`). The undo keeps the database at the state PTB still
        holds in memory when the callback raises; it restores what the rows held before.
        `state=None` ends the conversation.

        While the block runs PTB's memory still holds the old state, and a batched write in that
        time would put it back; the row is held until the callback returns (the handler's code
        after the block must not await, so PTB records the new state before anything else runs).
        """
        state_row = (CONVERSATION + name, _dumps(list(key)))
        data_row = (USER_DATA, _dumps(user_id))
        if user_data:
            _check_json(user_data, f"user_data[{user_id}]")
        rows = {state_row: None if state is None else _state_json(name, key, state)}
        if self._stored.get(data_row) != (data := _dumps(user_data) if user_data else None):
            rows[data_row] = data
        before = {row: self._stored.get(row) for row in rows}
        self._held[state_row] = self._held.get(state_row, 0) + 1
        try:
            await self._put_rows(rows, user_id)
            try:
                yield
            except BaseException:
                try:
                    await self._put_rows(before, user_id)
                except Exception:
                    log.exception("Could not undo the step of conversation %r for %r", name, key)
                raise
        finally:
            if self._held[state_row] == 1:
                del self._held[state_row]
            else:
                self._held[state_row] -= 1

    async def conversations_since(self, name: str) -> dict[ConversationKey, datetime]:
        """When each stored conversation of `name` last moved: its row's last write."""
        async with self._database.transaction() as repositories:
            rows = await repositories.session.execute(
                select(BotState.key, BotState.updated_at).where(
                    BotState.kind == CONVERSATION + name
                )
            )
            return {tuple(json.loads(key)): updated_at for key, updated_at in rows}

    # ------------------------------------------------------------------ privacy

    async def forget_user(
        self,
        user_id: int,
        *,
        application: Application[Any, Any, Any, Any, Any, Any] | None = None,
    ) -> int:
        """Delete a user's `user_data` and every conversation whose key contains them.

        See `forget_users`, which also says what the returned count means.
        """
        return await self.forget_users([user_id], application=application)

    async def forget_users(
        self,
        user_ids: Collection[int],
        *,
        application: Application[Any, Any, Any, Any, Any, Any] | None = None,
    ) -> int:
        """Delete the users' `user_data` and every conversation whose key contains one of them.

        Pass the running `application` to drop its in-memory copies too (user_data, the private
        chat's chat_data, conversation states and their pending timeouts); otherwise PTB would
        write them back the next time the user does something, or a timeout would later speak
        of a conversation that is gone. Limits: a handler running for the user at this moment
        may recreate state, and clearing the in-memory conversations uses a private attribute
        of PTB's Application (logged if it ever goes away). A message id in a per-message key
        that equals a user id is matched too.

        Returns how many pieces of state were forgotten: entries dropped from memory (their rows
        go with PTB's next write) plus rows deleted here.
        """
        users = set(user_ids)
        if not users:
            return 0
        deleted = 0
        if application is not None:
            deleted = _forget_in_memory(application, users)
            # Waits for a write that may already be under way, so it cannot bring rows back.
            await application.update_persistence()
        ordered = sorted(users)
        for start in range(0, len(ordered), _FORGET_BATCH):
            batch = ordered[start : start + _FORGET_BATCH]
            in_key = or_(*(_key_contains(user_id) for user_id in batch))
            async with self._database.transaction() as repositories:
                result = await repositories.session.execute(
                    delete(BotState).where(
                        or_(
                            BotState.user_id.in_(batch),
                            BotState.kind.startswith(CONVERSATION, autoescape=True) & in_key,
                        )
                    )
                )
                deleted += int(result.rowcount or 0)  # type: ignore[attr-defined]
        # Forget what those rows held, so the next write for a user is not skipped.
        elements = {str(user_id) for user_id in users}
        self._stored = {
            (kind, key): data
            for (kind, key), data in self._stored.items()
            if not (kind == USER_DATA and key in elements)
            and not (kind.startswith(CONVERSATION) and users.intersection(json.loads(key)))
        }
        return deleted

    # ------------------------------------------------------------------ not stored

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Not stored: chat data belongs in proper tables."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored, so nothing to drop."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Not stored, so nothing to refresh."""

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Not stored: bot_data holds the services, which are rebuilt at every start."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Not stored, so nothing to refresh."""

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        """Not stored: the bot does not use arbitrary callback data."""

    async def flush(self) -> None:
        """Nothing buffered: every update_* call commits at once. The Database is closed by
        whoever owns it (post_shutdown), not here, since the handlers share it."""
