"""Shared by the benchmarks: the bot process, the emulator listener, seeding, figures.

Partnerbot runs as a subprocess (``python -m bot run``) against the Bot API emulator in the
benchmark's process, with a temporary SQLite file that is seeded directly (thousands of partners
in a second instead of thousands of conversations) and a copy of the shipped programme moved to
the moment the benchmark needs. The scripts import this module as ``common`` (they are run as
``python bench/<name>.py``, so their own directory is on ``sys.path``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert

from bot.checkin.tickets import new_ticket_token
from bot.emulator import AnsweredCallback, EventKind, SentMessage, TelegramEmulator, User
from bot.programme.model import Programme, load_programme
from storage.database import Database
from storage.models import EventRecord, Registration
from storage.models import User as UserRow

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PROGRAMME = ROOT / "bot" / "programme" / "klimakonferenz.yaml"
TOKEN = "123456:" + "D" * 35
STARTUP_TIMEOUT = 30.0
STEP_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
SEED_CHUNK = 1000

# Settings the bot reads; removed from the inherited environment so nothing leaks in.
BOT_SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "DATABASE_URL",
    "PROGRAMME_FILE",
    "DEFAULT_LANGUAGE",
    "ADMIN_IDS",
    "ORGANISER_CHAT_ID",
    "BROADCAST_RATE",
    "ACCESS",
    "RETENTION_DAYS",
    "FLOOD_MAX_UPDATES",
    "FLOOD_WINDOW",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "DASHBOARD_URL",
    "DASHBOARD_LISTEN",
    "DASHBOARD_PORT",
    "DASHBOARD_AUTH_MAX_AGE",
    "DASHBOARD_TRUSTED_PROXIES",
)

T = TypeVar("T")

_ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})")


# ------------------------------------------------------------------------------ the bot process


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def bot_env(base_url: str, database: Path, programme: Path, **extra: str) -> dict[str, str]:
    """The bot's environment: the inherited one without its settings, plus ours."""
    env = {k: v for k, v in os.environ.items() if k not in BOT_SETTINGS}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=base_url,
        DATABASE_URL=sqlite_url(database),
        PROGRAMME_FILE=str(programme),
        DEFAULT_LANGUAGE="de",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class BotProcess:
    """A running ``python -m bot run`` with its stderr in a file."""

    process: asyncio.subprocess.Process
    stderr_path: Path
    spawned_at: float  # perf_counter

    @property
    def pid(self) -> int:
        return self.process.pid


async def spawn_bot(workdir: Path, env: dict[str, str], name: str = "bot") -> BotProcess:
    stderr_path = workdir / f"{name}.stderr.log"
    with stderr_path.open("wb") as stderr:  # the child keeps its own descriptor
        spawned = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=workdir,  # no stray .env from the checkout
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    return BotProcess(process, stderr_path, spawned)


async def stop_bot(bot: BotProcess) -> int | None:
    return await stop_process(bot.process)


async def stop_process(process: asyncio.subprocess.Process) -> int | None:
    """SIGTERM (PTB shuts down gracefully), then SIGKILL if it does not exit in time."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await process.wait()
        except TimeoutError:
            print(f"  pid {process.pid} ignored SIGTERM for {STOP_TIMEOUT:.0f} s; killing it")
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    return process.returncode


async def await_startup(
    process: asyncio.subprocess.Process, reply: asyncio.Future[T]
) -> str | None:
    """Wait for the first answer; the reason if the bot exits or stays silent instead."""
    exited = asyncio.ensure_future(process.wait())
    try:
        done, _ = await asyncio.wait(
            {reply, exited}, timeout=STARTUP_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        exited.cancel()
    if reply in done:
        return None
    if exited in done:
        return f"exited with code {process.returncode} before answering /start"
    return f"no answer to /start within {STARTUP_TIMEOUT:.0f} s"


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ReplyWatcher:
    """An emulator listener: resolves a future per chat when the bot's next message there is
    recorded, and notes when every message of the bot arrived (wall clock)."""

    def __init__(self) -> None:
        self._pending: dict[int, asyncio.Future[float]] = {}
        self.all_sent: list[float] = []

    def __call__(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        if kind != "sent" or not isinstance(item, SentMessage):
            return
        self.all_sent.append(time.time())
        future = self._pending.pop(item.chat_id, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._pending[chat_id] = future
        return future

    def forget(self, chat_id: int) -> None:
        self._pending.pop(chat_id, None)


# ------------------------------------------------------------------------------ chatting partners

CHATTERS = 10
QUESTION_INTERVAL = 2.0
REPLY_TIMEOUT = 15.0
# Questions with a one-message answer (a second message would trip the 1/s per-chat limit).
QUESTIONS = (
    "Wann beginnt die Keynote?",
    "Gibt es vegetarische Optionen?",
    "Muss ich einen Anzug tragen?",
    "Ab wann ist Einlass?",
    "Ist der Saal stufenlos erreichbar?",
    "Gibt es Parkmöglichkeiten in der Nähe?",
    "Wer hält den Hauptvortrag?",
)


@dataclass
class Question:
    asked_at: float  # wall clock
    latency: float | None  # None: no reply within REPLY_TIMEOUT


async def chat(
    emulator: TelegramEmulator,
    watcher: ReplyWatcher,
    user: User,
    index: int,
    start_at: float,
    stop: asyncio.Event,
    asked: list[Question],
    among: int = CHATTERS,
) -> None:
    """Ask a question every QUESTION_INTERVAL seconds (wall clock), staggered by ``index``
    so that ``among`` partners asking together spread over the interval."""
    tick = start_at + index * QUESTION_INTERVAL / among
    number = index
    while not stop.is_set():
        await asyncio.sleep(max(0.0, tick - time.time()))
        if stop.is_set():
            return
        reply = watcher.expect(user.id)
        sent_wall, sent = time.time(), time.perf_counter()
        emulator.send_text(user, QUESTIONS[number % len(QUESTIONS)])
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                asked.append(Question(sent_wall, await reply - sent))
        except TimeoutError:
            watcher.forget(user.id)
            asked.append(Question(sent_wall, None))
        number += 1
        tick += QUESTION_INTERVAL
        while tick < time.time():  # a slow reply: skip the ticks it covered
            tick += QUESTION_INTERVAL


async def await_first(
    bot: BotProcess, emulator: TelegramEmulator, chat: User, since: int, what: str
) -> SentMessage:
    """The bot's first message to ``chat`` after start-up; raises if it exits or stays silent."""
    waiting = asyncio.ensure_future(emulator.wait_for(chat, since=since, timeout=STARTUP_TIMEOUT))
    exited = asyncio.ensure_future(bot.process.wait())
    try:
        await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        exited.cancel()
    if not waiting.done():
        waiting.cancel()
        raise RuntimeError(f"the bot exited with {bot.process.returncode} before {what}")
    return waiting.result()


def log_problems(path: Path) -> list[str]:
    """Error lines of the bot's log (tracebacks, ERROR records)."""
    with contextlib.suppress(OSError):
        return [
            line
            for line in path.read_text(errors="replace").splitlines()
            if "Traceback" in line or " ERROR " in line
        ]
    return []


def log_lines(path: Path, *needles: str) -> list[str]:
    with contextlib.suppress(OSError):
        text = path.read_text(errors="replace").splitlines()
        return [line for line in text if any(needle in line for needle in needles)]
    return []


def tail(path: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        text = path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(f"    | {line}" for line in text)
    return "    | (no output)"


def clean_exit(code: int | None) -> bool:
    return code in (0, -signal.SIGTERM)


# ------------------------------------------------------------------------------ memory


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak resident set so far) of a process, from /proc, in KiB."""
    found: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def mib(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


# ------------------------------------------------------------------------------ the programme


def moved_programme(
    source: Path,
    target: Path,
    *,
    starts_at: datetime,
    reminders: Sequence[str] | None = None,
    keynote_reminders: Sequence[str] | None = None,
    capacity: int | None = None,
) -> Programme:
    """Copy the programme with every moment shifted by the same amount, so that the event
    starts at ``starts_at``; optionally with other reminder offsets and capacity."""
    original = load_programme(source)
    shift = starts_at - original.event.starts_at

    def moved(match: re.Match[str]) -> str:
        moment = datetime.fromisoformat(match.group().replace("Z", "+00:00"))
        return (moment + shift).isoformat()

    text = _ISO_MOMENT.sub(moved, source.read_text(encoding="utf-8"))
    if reminders is not None:
        text = _replace_key(text, "reminders", reminders)
    if keynote_reminders is not None:
        text = _replace_key(text, "keynote_reminders", keynote_reminders)
    if capacity is not None:
        text, count = re.subn(r"(?m)^(\s+capacity:\s*)\d+", rf"\g<1>{capacity}", text)
        if count != 1:
            raise ValueError("the programme has no single event.capacity line")
    target.write_text(text, encoding="utf-8")
    return load_programme(target)


def _replace_key(text: str, key: str, offsets: Sequence[str]) -> str:
    value = "[" + ", ".join(offsets) + "]"
    text, count = re.subn(rf"(?m)^{key}:.*$", f"{key}: {value}", text)
    if count == 0:
        text += f"\n{key}: {value}\n"
    return text


# ------------------------------------------------------------------------------ seeding


async def seed(
    database_url: str,
    user_ids: Sequence[int],
    *,
    languages: Sequence[str] = ("de", "en"),
    event_key: str | None = None,
    capacity: int = 0,
) -> None:
    """Migrate, then insert partners (reachable, reminders on), and with ``event_key`` a
    confirmed registration of one person each and the event row counting their seats."""
    database = Database(database_url)
    try:
        await database.migrate()
        now = datetime.now(UTC)
        long_ago = now - timedelta(days=2)
        async with database.engine.begin() as connection:
            for chunk in _chunks(list(enumerate(user_ids)), SEED_CHUNK):
                await connection.execute(
                    insert(UserRow.__table__),
                    [
                        {
                            "id": user_id,
                            "first_name": f"Partner {index}",
                            "language": None,
                            "telegram_language": languages[index % len(languages)],
                            "first_seen": long_ago,
                            "last_seen": long_ago,
                            "reachable": True,
                            "reminders_enabled": True,
                        }
                        for index, user_id in chunk
                    ],
                )
            if event_key is None:
                return
            await connection.execute(
                insert(EventRecord.__table__).values(
                    key=event_key, capacity=max(capacity, len(user_ids)), confirmed_persons=0
                )
            )
            for chunk in _chunks(list(enumerate(user_ids)), SEED_CHUNK):
                await connection.execute(
                    insert(Registration.__table__),
                    [
                        {
                            "event_key": event_key,
                            "user_id": user_id,
                            "status": "confirmed",
                            "name": f"Partner {index}",
                            "organisation": None,
                            "persons": 1,
                            "language": languages[index % len(languages)],
                            "calendar_uid": uuid.uuid4().hex,
                            "calendar_sequence": 0,
                            "consent_at": long_ago,
                            "registered_at": long_ago,
                            "changed_at": long_ago,
                        }
                        for index, user_id in chunk
                    ],
                )
            await connection.execute(
                EventRecord.__table__.update()
                .where(EventRecord.__table__.c.key == event_key)
                .values(confirmed_persons=len(user_ids))
            )
    finally:
        await database.close()


FIRST_NAMES = ("Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas")
SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
)  # fmt: skip


def people(count: int) -> list[tuple[str, str]]:
    """(name, organisation) per partner; every name unique, surnames shared as in life."""
    organisations = [f"Partnerorganisation {number:02d}" for number in range(1, 51)]
    return [
        (
            f"{FIRST_NAMES[index % 10]} {SURNAMES[index // 10 % len(SURNAMES)]}-{index}",
            organisations[index % len(organisations)],
        )
        for index in range(count)
    ]


def typo(name: str) -> str:
    """The surname as an organiser types it in a hurry: one letter dropped, umlaut as ae."""
    surname = name.split()[1].split("-")[0]
    surname = surname.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
    cut = len(surname) // 2
    return f"{name.split()[0]} {surname[:cut] + surname[cut + 1 :]}"


def give_tickets(path: Path, user_ids: Sequence[int]) -> dict[int, str]:
    """Names, organisations and ticket tokens for the seeded registrations."""
    tokens = {user_id: new_ticket_token() for user_id in user_ids}
    named = people(len(user_ids))
    connection = sqlite3.connect(path)
    try:
        connection.executemany(
            "UPDATE registrations SET name = ?, organisation = ?, ticket_token = ? "
            "WHERE user_id = ?",
            [
                (name, organisation, tokens[user_id], user_id)
                for user_id, (name, organisation) in zip(user_ids, named, strict=True)
            ],
        )
        connection.commit()
    finally:
        connection.close()
    return tokens


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def outbox_states(path: Path, where: str, params: Sequence[object] = ()) -> dict[int, str]:
    """user id -> outbox state of the rows matching ``where``, read from the SQLite file."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(f"SELECT user_id, state FROM outbox WHERE {where}", params)
        return {user_id: state for user_id, state in rows}
    finally:
        connection.close()


def scalar(path: Path, query: str, params: Sequence[object] = ()) -> object:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute(query, params).fetchone()
        return None if row is None else row[0]
    finally:
        connection.close()


# ------------------------------------------------------------------------------ observing


@dataclass
class Deliveries:
    """Messages matching ``match`` to the chats ``chats``, counted per chat, with arrival
    times (perf_counter and wall clock). Taken in the emulator's listener, so the benchmark's
    own scheduling delays do not count."""

    match: Callable[[SentMessage], bool]
    chats: frozenset[int]
    per_chat: Counter[int] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    wall_times: list[float] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        if kind != "sent" or not isinstance(item, SentMessage):
            return
        if item.chat_id not in self.chats or not self.match(item):
            return
        self.times.append(time.perf_counter())
        self.wall_times.append(time.time())
        self.per_chat[item.chat_id] += 1
        self.changed.set()

    @property
    def reached(self) -> int:
        """How many of the chats got at least one message."""
        return len(self.per_chat)

    @property
    def lost(self) -> int:
        return len(self.chats) - len(self.per_chat)

    @property
    def duplicates(self) -> int:
        return sum(1 for count in self.per_chat.values() if count > 1)

    async def wait_until_reached(
        self, count: int, within: float, give_up: Callable[[], bool] = lambda: False
    ) -> bool:
        """Wait until ``count`` chats got a message; False on timeout or as soon as
        ``give_up()`` says so (the bot exited)."""
        deadline = time.perf_counter() + within
        while self.reached < count:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or give_up():
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(remaining, 1.0)):
                    await self.changed.wait()
        return True


def percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def write_report(path: Path, report: dict[str, object]) -> None:
    """Write a benchmark's figures as JSON (bench/results/ is git-ignored) and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {path}")
