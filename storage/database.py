"""Engine, sessions and migrations: one transaction per user action."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from storage.repositories import Repositories
from storage.users import Visit
from storage.visits import PendingVisits

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_WAIT = 30.0  # seconds a transaction waits for its turn before it fails


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers proceed while one writer commits; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The driver's own lazy BEGIN is switched off so `_begin_immediate` decides instead.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock at the start of every transaction.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer got in between; an immediate one waits its turn instead. That is what
    makes "two partners, one last seat" safe on SQLite.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _begin_deferred(connection: Connection) -> None:
    """A reading transaction: a snapshot of the last commit (WAL), without the write lock."""
    connection.exec_driver_sql("BEGIN")


def alembic_config() -> Config:
    from alembic.config import Config  # imported here: only start-up needs Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade_to_head(connection: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


class Database:
    """The bot's database, SQLite file or PostgreSQL, behind repositories."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.backend = parsed.get_backend_name()
        options: dict[str, object] = {"pool_pre_ping": True}
        if self.backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            # Writers wait for each other instead of failing with "database is locked".
            options = {"connect_args": {"timeout": SQLITE_WAIT}}
        # Parameters are what partners wrote (names, questions); an error's message or a log
        # line must never carry them.
        options["hide_parameters"] = True
        self.engine: AsyncEngine = create_async_engine(parsed, **options)
        if self.backend == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            event.listen(self.engine.sync_engine, "begin", _begin_immediate)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._readers = self._sessions
        self._read_engine = self.engine
        if self.backend == "sqlite":
            # Reads (the dashboard's figures, asked every few seconds) need neither the write
            # lock nor a turn behind the partners' writes: WAL gives them the last commit.
            readers = create_async_engine(parsed, **options)
            event.listen(readers.sync_engine, "connect", _sqlite_pragmas)
            event.listen(readers.sync_engine, "begin", _begin_deferred)
            self._readers = async_sessionmaker(readers, expire_on_commit=False)
            self._read_engine = readers
        self.visits = PendingVisits(self._write_visits)
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    async def migrate(self) -> None:
        """Bring the schema to the newest migration; run at every start."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade_to_head)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Repositories]:
        """Repositories sharing one session that commits on success and rolls back on error.

        The visits noted before it are written first (in a batch of their own), so it finds
        every user who has written to the bot.
        """
        await self.visits.write()
        async with self._begin() as repositories:
            yield repositories

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Repositories]:
        """Repositories for reads only, beside the writers instead of after them (on SQLite).

        Nothing may be written through them: on SQLite a write here would wait in SQLite's
        busy handler instead of taking its turn.
        """
        await self.visits.write()
        async with self._readers() as session, session.begin():
            yield Repositories(session)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A transaction on a bare connection, for a write too frequent to afford a session."""
        await self.visits.write()
        async with self._turn(), self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _begin(self) -> AsyncIterator[Repositories]:
        async with self._turn(), self._sessions() as session, session.begin():
            yield Repositories(session)

    async def _write_visits(self, visits: Sequence[Visit]) -> None:
        async with self._begin() as repositories:
            await repositories.users.record_visits(visits)

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """On SQLite, wait for the transaction before in this process, in order.

        SQLite has one writer at a time, and every transaction here takes the write lock at
        its start (`_begin_immediate`). Waiting in SQLite's busy handler costs sleeps of 1, 2,
        5, 10, 15 ms and more between tries, far longer than a transaction holds the lock; with
        a transaction before every question of a conversation, those sleeps made the median step
        up to twice as long with twenty partners registering at once (bench/rsvp_load.py).
        """
        if self.backend != "sqlite":
            yield
            return
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:  # `partnerbot run` migrates in
            self._turns = (loop, asyncio.Lock())  # its own short event loop first
        lock = self._turns[1]
        try:
            async with asyncio.timeout(SQLITE_WAIT):
                await lock.acquire()
        except TimeoutError:
            raise TimeoutError(f"no turn for a transaction within {SQLITE_WAIT:.0f} s") from None
        try:
            yield
        finally:
            lock.release()

    async def close(self) -> None:
        """Write the visits still pending, then close the connections."""
        try:
            await self.visits.close()
        finally:
            await self.engine.dispose()
            if self._read_engine is not self.engine:
                await self._read_engine.dispose()
