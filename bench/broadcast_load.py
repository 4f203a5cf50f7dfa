"""Announcements to thousands of partners: paced to Telegram's limits, none lost, none doubled.

From the issues: "2,000 recipients, emulator enforcing 30 messages per second overall and 1 per
second per chat: achieved rate at least 90% of the limit (report the ratio), 0 lost,
0 duplicates without a crash; memory stays flat (report peak RSS) as recipients grow from 2,000
to 20,000 in the outbox." And later: "at most one 429 per 1,000 messages, 0 lost, 0 duplicates;
interactive replies during the run still p95 < 100 ms. The same with the emulator's limit set to
20 per second: the sender settles near 20 without a stream of 429s."

Partnerbot runs as a subprocess (``python -m bot run``, its default settings) against the Bot API
emulator in this process, which enforces ``--limit`` messages/s overall (default 30, Telegram's)
and 1/s per chat. The partners are written straight into a fresh SQLite file; an organiser (in
``ADMIN_IDS``) then goes through the real /rundschreiben flow: text, "Eine Fassung für alle",
audience "Alle Partner (N)", "📣 Jetzt senden". Time runs from the tap on "Jetzt senden" to the
last recipient's message. As soon as it is under way ten other people (not among the
recipients) start the bot and ask a programme question every two seconds until the last
recipient has it; their latency runs from the question to the bot's reply. The limit is the
bot's, not the announcement's: the rate target counts the replies too. Two runs:

1. ``--recipients`` partners (default 2,000), to the end;
2. ten times as many partners (default 20,000) for ``--window`` seconds only (a full run would
   take 13 minutes): the bot's peak RSS there is compared with run 1's at the same moment, what
   was sent so far is checked for losses and duplicates, and the rest must still be pending.
   ``--memory-recipients 0`` leaves it out.

The sending organiser is left out of the audience (they saw the preview); should "Alle Partner
(N)" count them, they are expected among the recipients too. The tapped question turns into the
organiser's progress report. Peak RSS is the kernel's VmHWM of the bot process.
Run from the repository root::

    .venv/bin/python bench/broadcast_load.py [--limit 30] [--recipients 2000] [--quick]
    .venv/bin/python bench/broadcast_load.py --limit 20 --memory-recipients 0

Prints a table and PASS/FAIL per target, writes ``bench/results/broadcast_load.json`` (with
another limit ``broadcast_load_<limit>.json``). It measures and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import common
import telegram

from bot.core.send_budget import MESSAGE_METHODS
from bot.emulator import RateLimit, SentMessage, TelegramEmulator, User

RESULTS = common.RESULTS / "broadcast_load.json"
ORGANISER_ID = 5151
FIRST_PARTNER = 200_000_001
FIRST_CHATTER = 210_000_001
LIMIT = 30  # Telegram's overall messages per second; the emulator's unless --limit says
TARGET_SHARE = 0.90
MAX_429_PER_1000 = 1.0
MAX_REPLY_P95 = 0.100  # seconds
MEMORY_FACTOR = 10
SETTLE_SECONDS = 1.5  # after the last recipient: time for late duplicates to show up
TEXT = (
    "Liebe Partnerinnen und Partner, der Einlass zur Klimakonferenz beginnt um 16:30 Uhr. "
    "Bitte bringen Sie Ihr Telefon mit diesem Chat mit."
)


@dataclass
class Run:
    """What one run observed; times in seconds, memory in MiB."""

    label: str
    partners: int
    limit: int  # the emulator's overall messages per second
    window_s: float | None = None  # None: sent to the end
    recipients: int = 0  # the partners (and the organiser, if "Alle Partner" counts them)
    audience_button: str | None = None
    delivered: int = 0
    messages: int = 0
    lost: int | None = None
    duplicates: int = 0
    first_after_s: float | None = None
    last_after_s: float | None = None
    rate: float | None = None  # messages / (send -> last)
    steady_rate: float | None = None  # (messages - 1) / (first -> last)
    share_of_limit: float | None = None
    all_messages: int = 0  # everything the bot sent from the tap to the last recipient
    all_rate: float | None = None  # all_messages / (send -> last)
    all_share_of_limit: float | None = None
    longest_gap_s: float | None = None  # between two consecutive recipient messages
    gaps_over_250ms: int = 0
    rejected_429: dict[str, int] = field(default_factory=dict)
    rejected_per_1000: float | None = None  # all 429s per 1,000 messages sent
    questions: int = 0  # asked from the tap to the last recipient's message
    replies_missing: int = 0
    replies_median_ms: float | None = None
    replies_p95_ms: float | None = None
    replies_max_ms: float | None = None
    early_calls: list[str] = field(default_factory=list)  # the first API calls after the tap
    refused_calls: list[str] = field(default_factory=list)  # the first 429s after the tap
    pace_log: list[str] = field(default_factory=list)  # what the bot logged about 429s
    peak_rss_before_send_mib: float | None = None
    rss_before_send_mib: float | None = None
    peak_rss_at_point_mib: float | None = None
    rss_at_point_mib: float | None = None
    peak_rss_end_mib: float | None = None
    report_text: str | None = None
    broadcast_status: str | None = None
    rows: dict[str, int] = field(default_factory=dict)
    reached_after_stop: int = 0  # with what was in flight when the window closed
    received_not_recorded: int = 0  # got it, but the row is not "sent": would go out again
    recorded_not_received: int = 0  # row "sent", message never arrived: lost
    exit_code: int | None = None
    log_problems: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Started:
    audience_button: str
    audience_count: int
    clicked_at: float  # perf_counter of the tap on "Jetzt senden"
    clicked_wall: float  # the same moment, wall clock
    first_call: int  # index into emulator.calls at that moment
    report: SentMessage  # the organiser's progress message


def _has_button(text: str) -> Callable[[SentMessage], bool]:
    return lambda message: any(text in label for label in message.button_texts)


async def start_broadcast(
    emulator: TelegramEmulator,
    bot: common.BotProcess,
    organiser: User,
    listen: Callable[[int], None],
) -> Started:
    """The organiser's /rundschreiben flow up to "Jetzt senden". ``listen(count)`` is called
    with the audience's count just before that tap (the preview has the same text and must
    not count)."""
    mark = emulator.mark()
    emulator.send_text(organiser, "/rundschreiben")
    prompt = await common.await_first(bot, emulator, organiser, mark, "answering /rundschreiben")
    if "Neues Rundschreiben" not in prompt.plain_text:
        raise RuntimeError(f"unexpected answer to /rundschreiben: {prompt.plain_text[:100]!r}")
    mark = emulator.mark()
    emulator.send_text(organiser, TEXT)
    versions = await emulator.wait_for(
        organiser,
        since=mark,
        timeout=common.STEP_TIMEOUT,
        predicate=_has_button("Eine Fassung für alle"),
    )
    mark = emulator.mark()
    emulator.click(organiser, versions, "Eine Fassung für alle")
    audience = await emulator.wait_for(
        organiser, since=mark, timeout=common.STEP_TIMEOUT, predicate=_has_button("Alle Partner")
    )
    button = next(label for label in audience.button_texts if label.startswith("Alle Partner"))
    found = re.search(r"\((\d+)\)", button)
    count = int(found.group(1)) if found else -1
    mark = emulator.mark()
    emulator.click(organiser, audience, button)
    confirm = await emulator.wait_for(
        organiser, since=mark, timeout=common.STEP_TIMEOUT, predicate=_has_button("Jetzt senden")
    )
    listen(count)
    first_call = len(emulator.calls)
    clicked_at, clicked_wall = time.perf_counter(), time.time()
    emulator.click(organiser, confirm, "Jetzt senden")
    # The question becomes the progress report, edited until the broadcast is done.
    if not await edited_until(emulator, confirm, _is_report, common.STEP_TIMEOUT):
        raise RuntimeError(f"no progress report; the question says {confirm.plain_text!r}")
    return Started(button, count, clicked_at, clicked_wall, first_call, confirm)


def _is_report(text: str) -> bool:
    return text.startswith(("📣", "✅"))


async def edited_until(
    emulator: TelegramEmulator, message: SentMessage, done: Callable[[str], bool], within: float
) -> bool:
    """Wait until an edit makes ``done(message.plain_text)`` true; False after ``within`` s."""
    deadline = time.perf_counter() + within
    while not done(message.plain_text):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return False
        try:
            await emulator.wait_for_edit(message, timeout=remaining)
        except TimeoutError:
            return False
    return True


async def _memory_at(pid: int, moment: float) -> dict[str, int]:
    await asyncio.sleep(max(0.0, moment - time.perf_counter()))
    return common.memory_kb(pid)


async def run_broadcast(
    key: str,
    label: str,
    partners: int,
    limit: int,
    workdir: Path,
    *,
    memory_point: float,
    window: float | None = None,
) -> Run:
    """Seed ``partners``, start the bot, broadcast to all while others chat; to the end, or
    for ``window`` s."""
    run = Run(label=label, partners=partners, limit=limit, window_s=window)
    database = workdir / f"{key}.sqlite3"
    programme = workdir / "programme.yaml"
    common.moved_programme(
        common.PROGRAMME, programme, starts_at=datetime.now(UTC) + timedelta(days=30)
    )
    partner_ids = list(range(FIRST_PARTNER, FIRST_PARTNER + partners))
    seeded = time.perf_counter()
    await common.seed(common.sqlite_url(database), partner_ids)
    print(f"  {label}: {partners:,} partners seeded in {time.perf_counter() - seeded:.1f} s")
    deliveries = common.Deliveries(lambda m: m.plain_text == TEXT, frozenset())
    watcher = common.ReplyWatcher()
    asked: list[common.Question] = []
    stop = asyncio.Event()
    talkers: list[asyncio.Task[None]] = []
    rate_limit = RateLimit(global_per_second=limit, per_chat_per_second=1)
    async with TelegramEmulator(rate_limit=rate_limit, auto_create_chats=True) as emulator:
        emulator.add_listener(watcher)
        organiser = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
        for number, user_id in enumerate(partner_ids):
            emulator.user(id=user_id, first_name=f"Partner {number}", language_code="de")
        chatters = [
            emulator.user(id=FIRST_CHATTER + n, first_name=f"Gast {n}", language_code="de")
            for n in range(common.CHATTERS)
        ]
        env = common.bot_env(emulator.base_url, database, programme, ADMIN_IDS=str(ORGANISER_ID))
        bot = await common.spawn_bot(workdir, env, key)
        memory: asyncio.Task[dict[str, int]] | None = None
        try:

            async def chatting() -> None:
                """The others start the bot, then ask a question every two seconds each, the
                first a second after the greeting (one message a second per chat)."""
                for person in chatters:
                    await emulator.ask(person, "/start", timeout=common.REPLY_TIMEOUT)
                start_at = time.time() + 1.0
                await asyncio.gather(
                    *(
                        common.chat(emulator, watcher, person, n, start_at, stop, asked)
                        for n, person in enumerate(chatters)
                    )
                )

            def listen(count: int) -> None:
                """Recipients are the partners, and the organiser if the count includes them."""
                nonlocal deliveries
                chats = {*partner_ids, ORGANISER_ID} if count == partners + 1 else {*partner_ids}
                deliveries = common.Deliveries(lambda m: m.plain_text == TEXT, frozenset(chats))
                emulator.add_listener(deliveries)

            started = await start_broadcast(emulator, bot, organiser, listen)
            # Under way (the report is there), so the others are not among the recipients.
            talkers.append(asyncio.create_task(chatting()))
            recipients = deliveries.chats
            run.recipients = len(recipients)
            run.audience_button = started.audience_button
            before = common.memory_kb(bot.pid)
            run.peak_rss_before_send_mib = common.mib(before.get("VmHWM"))
            run.rss_before_send_mib = common.mib(before.get("VmRSS"))
            memory = asyncio.create_task(_memory_at(bot.pid, started.clicked_at + memory_point))
            if window is None:
                expected = len(recipients) / (limit * 0.8)
                done = await deliveries.wait_until_reached(
                    len(recipients),
                    within=expected * 1.5 + 30,
                    give_up=lambda: bot.process.returncode is not None,
                )
                if not done:
                    run.error = f"only {deliveries.reached}/{len(recipients)} reached"
                stop.set()
                finished = edited_until(
                    emulator, started.report, lambda text: "verschickt" in text.split("\n")[0], 30
                )
                if not await finished:
                    run.error = run.error or "the organiser's report never said done"
                await asyncio.sleep(SETTLE_SECONDS)
            else:
                await asyncio.sleep(max(0.0, started.clicked_at + window - time.perf_counter()))
                stop.set()
            point = await memory
            run.peak_rss_at_point_mib = common.mib(point.get("VmHWM"))
            run.rss_at_point_mib = common.mib(point.get("VmRSS"))
            run.peak_rss_end_mib = common.mib(common.memory_kb(bot.pid).get("VmHWM"))
            run.report_text = started.report.plain_text
            run.rejected_429 = _classify_429(emulator, started.first_call, {p.id for p in chatters})
            run.rejected_per_1000 = _per_1000(emulator, started.first_call)
            run.early_calls = _early_calls(emulator, started.first_call)
            run.refused_calls = _refused_calls(emulator, started.first_call)
            _figures(run, deliveries, started, window, watcher.all_sent, asked)
        except (RuntimeError, TimeoutError, AssertionError) as error:
            run.error = f"{type(error).__name__}: {error}"
        finally:
            stop.set()
            for task in talkers:
                task.cancel()
            for task in talkers:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await task
            if memory is not None and not memory.done():
                memory.cancel()
            run.exit_code = await common.stop_bot(bot)
    run.log_problems = common.log_problems(bot.stderr_path)
    run.pace_log = common.log_lines(bot.stderr_path, "Telegram asked")[:20]
    if run.error or run.log_problems or not common.clean_exit(run.exit_code):
        print(f"  {label}: bot exited with {run.exit_code}; its stderr ends with:")
        print(common.tail(bot.stderr_path))
    if database.exists():
        _check_database(run, database, deliveries)
    return run


def _classify_429(emulator: TelegramEmulator, since: int, chatters: set[int]) -> dict[str, int]:
    """429s after the tap: to recipients (the announcement), to the chatting people (their
    replies), to the organiser."""
    chatting = {str(chat) for chat in chatters}
    counts = {"to partners": 0, "replies": 0, "to the organiser": 0}
    for call in emulator.calls[since:]:
        if call.status == 429:
            chat = str(call.params.get("chat_id"))
            if chat == str(ORGANISER_ID):
                counts["to the organiser"] += 1
            else:
                counts["replies" if chat in chatting else "to partners"] += 1
    return counts


def _per_1000(emulator: TelegramEmulator, since: int) -> float | None:
    """429s per 1,000 messages the emulator took after the tap."""
    calls = [call for call in emulator.calls[since:] if call.method in MESSAGE_METHODS]
    taken = sum(call.status == 200 for call in calls)
    refused = sum(call.status == 429 for call in calls)
    return None if not taken else 1000 * refused / taken


def _early_calls(emulator: TelegramEmulator, since: int, count: int = 8) -> list[str]:
    """The first API calls after the tap on "Jetzt senden" (where the first seconds go)."""
    calls = [call for call in emulator.calls[since:] if call.method != "getUpdates"][:count]
    if not calls:
        return []
    start = calls[0].time
    return [
        f"+{call.time - start:.3f} s {call.method} to {call.params.get('chat_id')}: {call.status}"
        for call in calls
    ]


def _refused_calls(emulator: TelegramEmulator, since: int, count: int = 20) -> list[str]:
    """The first 429s after the tap on "Jetzt senden": when, what, to whom."""
    calls = emulator.calls[since:]
    if not calls:
        return []
    start = calls[0].time
    return [
        f"+{call.time - start:.3f} s {call.method} to {call.params.get('chat_id')}: "
        f"{str(call.params.get('text', ''))[:30]!r}"
        for call in calls
        if call.status == 429
    ][:count]


def _figures(
    run: Run,
    deliveries: common.Deliveries,
    started: Started,
    window: float | None,
    all_sent: Sequence[float],
    asked: Sequence[common.Question],
) -> None:
    times = deliveries.times
    run.delivered = deliveries.reached
    run.messages = len(times)
    run.duplicates = deliveries.duplicates
    run.lost = deliveries.lost if window is None else None
    if not times:
        return
    run.first_after_s = times[0] - started.clicked_at
    run.last_after_s = times[-1] - started.clicked_at
    span = times[-1] - started.clicked_at if window is None else window
    run.rate = len(times) / span
    run.share_of_limit = run.rate / run.limit
    end = started.clicked_wall + span
    run.all_messages = sum(started.clicked_wall < at <= end for at in all_sent)
    run.all_rate = run.all_messages / span
    run.all_share_of_limit = run.all_rate / run.limit
    if len(times) > 1:
        run.steady_rate = (len(times) - 1) / (times[-1] - times[0])
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        run.longest_gap_s = max(gaps)
        run.gaps_over_250ms = sum(gap > 0.25 for gap in gaps)
    during = [q for q in asked if started.clicked_wall <= q.asked_at <= end]
    run.questions = len(during)
    run.replies_missing = sum(q.latency is None for q in during)
    ms = sorted(q.latency * 1000 for q in during if q.latency is not None)
    if ms:
        run.replies_median_ms = statistics.median(ms)
        run.replies_p95_ms = common.percentile(ms, 95)
        run.replies_max_ms = ms[-1]


def _check_database(run: Run, database: Path, deliveries: common.Deliveries) -> None:
    """Compare the outbox rows with what arrived: a sent row must have arrived and vice versa."""
    where = "broadcast_id = (SELECT max(id) FROM broadcasts)"
    states = common.outbox_states(database, where)
    run.rows = dict(sorted(_count(states.values()).items()))
    status = common.scalar(database, "SELECT status FROM broadcasts ORDER BY id DESC LIMIT 1")
    run.broadcast_status = None if status is None else str(status)
    sent = {user for user, state in states.items() if state == "sent"}
    received = set(deliveries.per_chat)
    run.reached_after_stop = len(received)
    run.duplicates = deliveries.duplicates
    run.received_not_recorded = len(received - sent)
    run.recorded_not_received = len(sent - received)


def _count(values: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# ------------------------------------------------------------------------------ the report


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def checks(full: Run, big: Run | None) -> list[Check]:
    run = full
    found = [
        Check(
            f"{run.label}: every recipient once",
            run.error is None and run.lost == 0 and run.duplicates == 0,
            f"{run.delivered}/{run.recipients} reached, {run.lost} lost, "
            f"{run.duplicates} duplicates" + (f"; {run.error}" if run.error else ""),
        ),
        Check(
            f"{run.label}: outbox agrees",
            run.rows.get("sent") == run.recipients
            and run.broadcast_status == "done"
            and not run.received_not_recorded
            and not run.recorded_not_received,
            f"rows {run.rows}, broadcast {run.broadcast_status}",
        ),
        Check(
            # The limit is the bot's: the replies to chatting people share it.
            f"{run.label}: all messages >= {TARGET_SHARE:.0%} of {run.limit}/s",
            run.all_share_of_limit is not None and run.all_share_of_limit >= TARGET_SHARE,
            f"announcement {common.fmt(run.rate, '{:.2f}')}/s = "
            f"{common.fmt(run.share_of_limit, '{:.1%}')}, with the replies "
            f"{common.fmt(run.all_rate, '{:.2f}')}/s = "
            f"{common.fmt(run.all_share_of_limit, '{:.1%}')} of {run.limit}/s",
        ),
        Check(
            f"{run.label}: at most {MAX_429_PER_1000:g} 429 per 1,000 messages",
            run.rejected_per_1000 is not None and run.rejected_per_1000 <= MAX_429_PER_1000,
            f"{common.fmt(run.rejected_per_1000, '{:.2f}')} per 1,000; 429s {run.rejected_429}",
        ),
        Check(
            f"{run.label}: no reply met a 429",
            run.rejected_429.get("replies", 0) == 0
            and run.rejected_429.get("to the organiser", 0) == 0,
            f"429s {run.rejected_429}",
        ),
        Check(
            f"{run.label}: replies meanwhile p95 < {MAX_REPLY_P95 * 1000:.0f} ms",
            run.questions > 0
            and run.replies_missing == 0
            and run.replies_p95_ms is not None
            and run.replies_p95_ms < MAX_REPLY_P95 * 1000,
            f"{run.questions} questions: median {common.fmt(run.replies_median_ms, '{:.0f}')} "
            f"ms, p95 {common.fmt(run.replies_p95_ms, '{:.0f}')} ms, max "
            f"{common.fmt(run.replies_max_ms, '{:.0f}')} ms, {run.replies_missing} unanswered",
        ),
    ]
    if big is not None:
        pending = big.rows.get("pending", 0)
        sent = big.rows.get("sent", 0)
        found.append(
            Check(
                f"{big.label}: nothing lost or doubled so far, the rest pending",
                big.error is None
                and big.duplicates == 0
                and not big.received_not_recorded
                and not big.recorded_not_received
                and sent == big.reached_after_stop
                and sent + pending == big.recipients,
                f"{big.delivered} reached in {big.window_s:g} s ({big.reached_after_stop} with "
                f"those in flight at the stop), rows {big.rows}, "
                f"{big.duplicates} duplicates, {big.received_not_recorded} arrived but not "
                f"marked sent, {big.recorded_not_received} marked sent but not arrived",
            )
        )
        small_peak, large_peak = full.peak_rss_at_point_mib, big.peak_rss_at_point_mib
        if small_peak and large_peak:
            growth = large_peak - small_peak
            found.append(
                Check(
                    f"memory flat from {full.recipients:,} to {big.recipients:,} queued",
                    growth <= max(10.0, 0.1 * small_peak),
                    f"peak RSS {small_peak:.1f} MiB with {full.recipients:,} vs "
                    f"{large_peak:.1f} MiB with {big.recipients:,} {big.window_s:g} s after "
                    f"the send (+{growth:.1f} MiB, x{large_peak / small_peak:.2f}); since the "
                    f"send +{_since_send(full)} vs +{_since_send(big)} MiB",
                )
            )
    return found


def _since_send(run: Run) -> str:
    if run.peak_rss_at_point_mib is None or run.rss_before_send_mib is None:
        return "-"
    return f"{run.peak_rss_at_point_mib - run.rss_before_send_mib:.1f}"


def print_table(runs: Sequence[Run]) -> None:
    rows: list[tuple[str, Callable[[Run], str]]] = [
        ("recipients", lambda r: f"{r.recipients:,}"),
        ("audience button", lambda r: r.audience_button or "-"),
        ("emulator's limit", lambda r: f"{r.limit}/s"),
        ("measured", lambda r: "to the end" if r.window_s is None else f"{r.window_s:g} s"),
        ("reached / messages", lambda r: f"{r.delivered:,} / {r.messages:,}"),
        ("lost / duplicates", lambda r: f"{common.fmt(r.lost, '{:.0f}')} / {r.duplicates}"),
        ("first message after send", lambda r: common.fmt(r.first_after_s, "{:.2f} s")),
        ("last message after send", lambda r: common.fmt(r.last_after_s, "{:.1f} s")),
        ("messages/s (send -> last)", lambda r: common.fmt(r.rate, "{:.2f}")),
        ("messages/s (first -> last)", lambda r: common.fmt(r.steady_rate, "{:.2f}")),
        ("share of the limit", lambda r: common.fmt(r.share_of_limit, "{:.1%}")),
        ("  same, first -> last", lambda r: _steady_share(r)),
        ("all messages/s incl. replies", lambda r: common.fmt(r.all_rate, "{:.2f}")),
        ("  share of the limit", lambda r: common.fmt(r.all_share_of_limit, "{:.1%}")),
        ("longest pause between messages", lambda r: common.fmt(r.longest_gap_s, "{:.2f} s")),
        ("pauses over 0.25 s", lambda r: f"{r.gaps_over_250ms}"),
        ("429s to partners / replies / organiser", _429_cell),
        ("429s per 1,000 messages", lambda r: common.fmt(r.rejected_per_1000, "{:.2f}")),
        ("questions while sending", lambda r: f"{r.questions} ({r.replies_missing} unanswered)"),
        ("  reply median", lambda r: common.fmt(r.replies_median_ms, "{:.0f} ms")),
        ("  reply p95", lambda r: common.fmt(r.replies_p95_ms, "{:.0f} ms")),
        ("  reply max", lambda r: common.fmt(r.replies_max_ms, "{:.0f} ms")),
        ("bot RSS before send", lambda r: _mib(r.rss_before_send_mib)),
        ("bot peak RSS before send", lambda r: _mib(r.peak_rss_before_send_mib)),
        ("bot peak RSS at the memory point", lambda r: _mib(r.peak_rss_at_point_mib)),
        ("bot RSS at the memory point", lambda r: _mib(r.rss_at_point_mib)),
        ("bot peak RSS at the end", lambda r: _mib(r.peak_rss_end_mib)),
        ("outbox rows", lambda r: ", ".join(f"{k} {v:,}" for k, v in r.rows.items()) or "-"),
        ("broadcast status", lambda r: r.broadcast_status or "-"),
    ]
    width = max(len(name) for name, _ in rows)
    cells = [[cell(run) for run in runs] for _, cell in rows]
    widths = [max(len(run.label), *(len(row[i]) for row in cells)) for i, run in enumerate(runs)]
    print()
    print(
        " " * width + "  " + "  ".join(f"{r.label:>{w}}" for r, w in zip(runs, widths, strict=True))
    )
    for (name, _), row in zip(rows, cells, strict=True):
        print(
            f"{name:<{width}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(row, widths, strict=True))
        )
    for run in runs:
        for call in run.refused_calls:
            print(f"429, {run.label}: {call}")
        for line in run.pace_log:
            print(f"bot, {run.label}: {line}")
        if run.report_text:
            last = " / ".join(line.strip() for line in run.report_text.splitlines())
            print(f"organiser's report, {run.label}: {last}")


def _steady_share(run: Run) -> str:
    return common.fmt(None if run.steady_rate is None else run.steady_rate / run.limit, "{:.1%}")


def _429_cell(run: Run) -> str:
    counts = run.rejected_429
    return " / ".join(str(counts.get(k, 0)) for k in ("to partners", "replies", "to the organiser"))


def _mib(value: float | None) -> str:
    return common.fmt(value, "{:.1f} MiB")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--limit",
        type=int,
        default=LIMIT,
        help=f"messages per second the emulator takes in all (default {LIMIT}, Telegram's)",
    )
    parser.add_argument(
        "--recipients", type=int, help="partners in the full run (default 2000, quick 300)"
    )
    parser.add_argument(
        "--memory-recipients",
        type=int,
        help=f"partners in the memory run (default {MEMORY_FACTOR}x --recipients; 0: no such run)",
    )
    parser.add_argument(
        "--window",
        type=float,
        help="seconds the memory run sends, and the moment RSS is compared (default 25, quick 8)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="300 / 3,000 partners and an 8 s window (~1 min)"
    )
    parser.add_argument(
        "--output", type=Path, help=f"JSON file (default {RESULTS}, with the limit if not {LIMIT})"
    )
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    partners = args.recipients or (300 if args.quick else 2000)
    many = partners * MEMORY_FACTOR if args.memory_recipients is None else args.memory_recipients
    window = args.window or (8.0 if args.quick else 25.0)
    limit = args.limit
    print(
        f"broadcast to {partners:,} partners"
        + (f", then {many:,} for {window:g} s" if many else "")
        + f"; {common.CHATTERS} others asking every {common.QUESTION_INTERVAL:g} s; emulator "
        f"limit {limit}/s overall, 1/s per chat; the bot's default settings; "
        f"Python {platform.python_version()}, PTB {telegram.__version__}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="partnerbot-broadcast-") as tmp:
        workdir = Path(tmp)
        full = await run_broadcast(
            "full", f"{partners:,} @{limit}/s", partners, limit, workdir, memory_point=window
        )
        big = None
        if many:
            big = await run_broadcast(
                "big",
                f"{many:,} @{limit}/s",
                many,
                limit,
                workdir,
                memory_point=window,
                window=window,
            )
    runs = [full] if big is None else [full, big]
    print_table(runs)
    found = checks(full, big)
    print()
    for check in found:
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    report: dict[str, Any] = {
        "benchmark": "broadcast_load",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {
            "recipients": partners,
            "memory_recipients": many,
            "window_s": window,
            "emulator_limit_per_s": limit,
            "per_chat_per_s": 1,
            "chatters": common.CHATTERS,
            "question_interval_s": common.QUESTION_INTERVAL,
            "python": platform.python_version(),
            "python_telegram_bot": telegram.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "runs": [asdict(run) for run in runs],
        "checks": [asdict(check) for check in found],
        "all_passed": all(check.ok for check in found),
    }
    output = args.output or (
        RESULTS if limit == LIMIT else RESULTS.with_name(f"broadcast_load_{limit}.json")
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    shown = output.relative_to(common.ROOT) if output.is_relative_to(common.ROOT) else output
    print(f"\nwrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
