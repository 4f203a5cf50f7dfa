"""A reminder due for thousands of partners: on time, each once, at pace, replies still quick.

From the issue: "2,000 confirmed partners and a reminder due now, emulator limiting to 30
messages per second: all delivered once, the first within 1 s of the due time, overall rate at
least 90% of the limit, and partners chatting meanwhile still answered within 1 s."

Partnerbot runs as a subprocess (``python -m bot run``) against the Bot API emulator in this
process, which enforces 30 messages/s overall and 1/s per chat. The programme is a copy of the
shipped one, moved so that the event starts ``--lead`` + 100 seconds from now, with one reminder
``1m40s`` before it (so it falls due ``--lead`` seconds after the benchmark starts) and no keynote
reminders. ``--partners`` confirmed registrations are written straight into a fresh SQLite file.

Meanwhile ten other partners (not registered, so no reminder of their own) each ask a programme
question every two seconds, from shortly before the due time until the last reminder went out;
their latency runs from the question to the bot's first reply to it. Run from the repository
root::

    .venv/bin/python bench/reminder_load.py [--partners 2000] [--rate 25] [--quick]

Prints a table and PASS/FAIL per target, writes ``bench/results/reminder_load.json``. It measures
and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import common
import telegram

from bot.emulator import (
    RateLimit,
    SentMessage,
    TelegramEmulator,
)
from bot.reminders.schedule import ReminderKind, reminder_schedule

RESULTS = common.RESULTS / "reminder_load.json"
FIRST_PARTNER = 300_000_001
FIRST_CHATTER = 400_000_001
OFFSET = "1m40s"
OFFSET_SECONDS = 100
LIMIT = 30
DEFAULT_RATE = 30.0  # bot/core/config.py
TARGET_SHARE = 0.90
MAX_FIRST_DELAY = 1.0
MAX_REPLY = 1.0
CHAT_EARLY = 4.0  # chatting starts this long before the due time
SETTLE_SECONDS = 1.5


def is_reminder(message: SentMessage) -> bool:
    """Reminders carry the "programme" shortcut button."""
    return any(button.callback_data == "go:programme" for row in message.buttons for button in row)


@dataclass
class Result:
    """What the run observed; times in seconds."""

    partners: int
    rate_setting: float
    reminder_key: str = ""
    due_at: str = ""
    queued_after_due_s: float | None = None  # from the bot's log line
    delivered: int = 0
    messages: int = 0
    lost: int = 0
    duplicates: int = 0
    first_after_due_s: float | None = None
    last_after_due_s: float | None = None
    rate: float | None = None  # messages / (due -> last)
    steady_rate: float | None = None  # (messages - 1) / (first -> last)
    share_of_setting: float | None = None
    share_of_limit: float | None = None
    all_messages_rate: float | None = None  # reminders and replies, due -> last reminder
    all_share_of_limit: float | None = None
    rejected_429: dict[str, int] = field(default_factory=dict)
    questions_during: int = 0
    replies_median_ms: float | None = None
    replies_p95_ms: float | None = None
    replies_max_ms: float | None = None
    replies_over_1s: int = 0
    replies_missing: int = 0
    questions_before: int = 0
    before_median_ms: float | None = None
    before_max_ms: float | None = None
    rows: dict[str, int] = field(default_factory=dict)
    startup_s: float | None = None
    exit_code: int | None = None
    log_problems: list[str] = field(default_factory=list)
    error: str | None = None


async def run_reminder(partners: int, rate: float | None, lead: float, workdir: Path) -> Result:
    result = Result(partners=partners, rate_setting=rate or DEFAULT_RATE)
    starts_at = (datetime.now(UTC) + timedelta(seconds=lead + OFFSET_SECONDS)).replace(
        microsecond=0
    )
    programme_path = workdir / "programme.yaml"
    programme = common.moved_programme(
        common.PROGRAMME,
        programme_path,
        starts_at=starts_at,
        reminders=[OFFSET],
        keynote_reminders=[],
        capacity=partners + 100,
    )
    reminder = next(r for r in reminder_schedule(programme) if r.kind is ReminderKind.EVENT)
    result.reminder_key = reminder.key
    result.due_at = reminder.due_at.isoformat()
    due = reminder.due_at.timestamp()
    database = workdir / "partnerbot.sqlite3"
    partner_ids = list(range(FIRST_PARTNER, FIRST_PARTNER + partners))
    await common.seed(
        common.sqlite_url(database),
        partner_ids,
        event_key=programme.event_key,
        capacity=partners + 100,
    )
    print(f"  {partners:,} confirmed partners seeded; reminder due in {due - time.time():.1f} s")
    reminders = common.Deliveries(is_reminder, frozenset(partner_ids))
    watcher = common.ReplyWatcher()
    asked: list[common.Question] = []
    limit = RateLimit(global_per_second=LIMIT, per_chat_per_second=1)
    async with TelegramEmulator(rate_limit=limit, auto_create_chats=True) as emulator:
        emulator.add_listener(reminders)
        emulator.add_listener(watcher)
        for number, user_id in enumerate(partner_ids):
            emulator.user(id=user_id, first_name=f"Partner {number}", language_code="de")
        chatters = [
            emulator.user(id=FIRST_CHATTER + n, first_name=f"Gast {n}", language_code="de")
            for n in range(common.CHATTERS)
        ]
        extra = {} if rate is None else {"BROADCAST_RATE": f"{rate:g}"}
        env = common.bot_env(emulator.base_url, database, programme_path, **extra)
        bot = await common.spawn_bot(workdir, env)
        stop = asyncio.Event()
        talkers: list[asyncio.Task[None]] = []
        first_call = 0
        try:
            mark = emulator.mark()
            emulator.send_text(chatters[0], "/start")
            await common.await_first(bot, emulator, chatters[0], mark, "answering /start")
            result.startup_s = time.perf_counter() - bot.spawned_at
            for person in chatters[1:]:  # warm-up: every chatter known to the bot
                await emulator.ask(person, "/start", timeout=common.REPLY_TIMEOUT)
            if time.time() > due - 1:
                raise RuntimeError("the bot took too long to start; use a longer --lead")
            first_call = len(emulator.calls)
            talkers = [
                asyncio.create_task(
                    common.chat(emulator, watcher, person, n, due - CHAT_EARLY, stop, asked)
                )
                for n, person in enumerate(chatters)
            ]
            expected = partners / result.rate_setting
            within = due - time.time() + expected * 2.5 + 30
            if not await reminders.wait_until_reached(
                partners, within, give_up=lambda: bot.process.returncode is not None
            ):
                result.error = f"only {reminders.reached}/{partners} reminded"
            await asyncio.sleep(SETTLE_SECONDS)
        except (RuntimeError, TimeoutError, AssertionError) as error:
            result.error = f"{type(error).__name__}: {error}"
        finally:
            stop.set()
            for task in talkers:
                task.cancel()
            for task in talkers:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            result.exit_code = await common.stop_bot(bot)
        result.rejected_429 = _classify_429(emulator, first_call, frozenset(partner_ids))
    result.log_problems = common.log_problems(bot.stderr_path)
    if result.error or result.log_problems or not common.clean_exit(result.exit_code):
        print(f"  bot exited with {result.exit_code}; its stderr ends with:")
        print(common.tail(bot.stderr_path))
    result.queued_after_due_s = _queued_after_due(bot.stderr_path, reminder.key, due)
    _figures(result, reminders, due, asked)
    if reminders.wall_times:
        last = reminders.wall_times[-1]
        sent = sum(1 for at in watcher.all_sent if due <= at <= last)
        result.all_messages_rate = sent / (last - due)
        result.all_share_of_limit = result.all_messages_rate / LIMIT
    states = common.outbox_states(database, "reminder_key = ?", (reminder.key,))
    rows: dict[str, int] = {}
    for state in states.values():
        rows[state] = rows.get(state, 0) + 1
    result.rows = dict(sorted(rows.items()))
    return result


def _classify_429(
    emulator: TelegramEmulator, since: int, partners: frozenset[int]
) -> dict[str, int]:
    counts = {"reminders": 0, "replies": 0}
    for call in emulator.calls[since:]:
        if call.status == 429:
            chat_id = int(call.params.get("chat_id") or 0)
            counts["reminders" if chat_id in partners else "replies"] += 1
    return counts


def _queued_after_due(path: Path, key: str, due: float) -> float | None:
    """When the bot logged "Reminder <key> queued for N partners", relative to the due time."""
    for line in common.log_lines(path, f"Reminder {key} queued"):
        stamp = line[:23]  # logging's default asctime: local time, milliseconds after a comma
        with contextlib.suppress(ValueError):
            logged = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f").timestamp()
            return logged - due
    return None


def _figures(
    result: Result, reminders: common.Deliveries, due: float, asked: list[common.Question]
):
    result.delivered = reminders.reached
    result.messages = len(reminders.times)
    result.lost = reminders.lost
    result.duplicates = reminders.duplicates
    walls = reminders.wall_times
    last = walls[-1] if walls else None
    if walls:
        result.first_after_due_s = walls[0] - due
        result.last_after_due_s = walls[-1] - due
        result.rate = len(walls) / (walls[-1] - due)
        if len(walls) > 1:
            result.steady_rate = (len(walls) - 1) / (walls[-1] - walls[0])
        result.share_of_setting = result.rate / result.rate_setting
        result.share_of_limit = result.rate / LIMIT
    during = [q for q in asked if last is not None and due <= q.asked_at <= last]
    before = [q for q in asked if q.asked_at < due and q.latency is not None]
    result.questions_during = len(during)
    result.replies_missing = sum(q.latency is None for q in during)
    ms = sorted(q.latency * 1000 for q in during if q.latency is not None)
    if ms:
        result.replies_median_ms = statistics.median(ms)
        result.replies_p95_ms = common.percentile(ms, 95)
        result.replies_max_ms = ms[-1]
        result.replies_over_1s = sum(value >= MAX_REPLY * 1000 for value in ms)
    result.questions_before = len(before)
    if before:
        early = sorted(q.latency * 1000 for q in before if q.latency is not None)
        result.before_median_ms = statistics.median(early)
        result.before_max_ms = early[-1]


# ------------------------------------------------------------------------------ the report


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def checks(result: Result) -> list[Check]:
    found = [
        Check(
            "every partner reminded exactly once",
            result.error is None and result.lost == 0 and result.duplicates == 0,
            f"{result.delivered}/{result.partners} reminded, {result.lost} lost, "
            f"{result.duplicates} duplicates; outbox rows {result.rows}"
            + (f"; {result.error}" if result.error else ""),
        ),
        Check(
            f"first reminder within {MAX_FIRST_DELAY:g} s of the due time",
            result.first_after_due_s is not None and result.first_after_due_s <= MAX_FIRST_DELAY,
            f"{common.fmt(result.first_after_due_s, '{:.2f}')} s after due (queued "
            f"{common.fmt(result.queued_after_due_s, '{:.2f}')} s after due, by the bot's log)",
        ),
        Check(
            # The limit is the bot's: replies to chatting partners share it with the reminders.
            f"overall rate, reminders and replies, >= {TARGET_SHARE:.0%} of {LIMIT}/s",
            result.all_share_of_limit is not None and result.all_share_of_limit >= TARGET_SHARE,
            f"reminders {common.fmt(result.rate, '{:.2f}')}/s = "
            f"{common.fmt(result.share_of_limit, '{:.1%}')} of {LIMIT}/s, "
            f"{common.fmt(result.share_of_setting, '{:.1%}')} of BROADCAST_RATE "
            f"{result.rate_setting:g}; with the replies "
            f"{common.fmt(result.all_messages_rate, '{:.2f}')}/s = "
            f"{common.fmt(result.all_share_of_limit, '{:.1%}')} of {LIMIT}/s",
        ),
        Check(
            f"chatting partners answered within {MAX_REPLY:g} s meanwhile",
            result.questions_during > 0
            and result.replies_missing == 0
            and result.replies_over_1s == 0,
            f"{result.questions_during} questions while reminders went out: median "
            f"{common.fmt(result.replies_median_ms, '{:.0f}')} ms, p95 "
            f"{common.fmt(result.replies_p95_ms, '{:.0f}')} ms, max "
            f"{common.fmt(result.replies_max_ms, '{:.0f}')} ms, {result.replies_over_1s} over "
            f"{MAX_REPLY:g} s, {result.replies_missing} unanswered",
        ),
        Check(
            "no 429 from the emulator",
            not any(result.rejected_429.values()),
            f"429s {result.rejected_429}",
        ),
    ]
    return found


def print_table(result: Result) -> None:
    rows = [
        ("confirmed partners", f"{result.partners:,}"),
        ("BROADCAST_RATE", f"{result.rate_setting:g}/s"),
        ("reminder", f"{result.reminder_key}, due {result.due_at}"),
        ("bot start-up to first answer", common.fmt(result.startup_s, "{:.2f} s")),
        ("queued after due (bot's log)", common.fmt(result.queued_after_due_s, "{:.2f} s")),
        ("first reminder after due", common.fmt(result.first_after_due_s, "{:.2f} s")),
        ("last reminder after due", common.fmt(result.last_after_due_s, "{:.1f} s")),
        ("reminded / messages", f"{result.delivered:,} / {result.messages:,}"),
        ("lost / duplicates", f"{result.lost} / {result.duplicates}"),
        ("messages/s (due -> last)", common.fmt(result.rate, "{:.2f}")),
        ("messages/s (first -> last)", common.fmt(result.steady_rate, "{:.2f}")),
        ("share of BROADCAST_RATE", common.fmt(result.share_of_setting, "{:.1%}")),
        (f"share of the {LIMIT}/s limit", common.fmt(result.share_of_limit, "{:.1%}")),
        ("all messages/s incl. replies", common.fmt(result.all_messages_rate, "{:.2f}")),
        (f"  share of the {LIMIT}/s limit", common.fmt(result.all_share_of_limit, "{:.1%}")),
        (
            "429s to reminders / replies",
            f"{result.rejected_429.get('reminders', 0)} / {result.rejected_429.get('replies', 0)}",
        ),
        (
            "replies before due: n, median, max",
            f"{result.questions_before}, {common.fmt(result.before_median_ms, '{:.0f} ms')}, "
            f"{common.fmt(result.before_max_ms, '{:.0f} ms')}",
        ),
        ("questions while sending", f"{result.questions_during}"),
        ("  reply median", common.fmt(result.replies_median_ms, "{:.0f} ms")),
        ("  reply p95", common.fmt(result.replies_p95_ms, "{:.0f} ms")),
        ("  reply max", common.fmt(result.replies_max_ms, "{:.0f} ms")),
        (
            f"  over {MAX_REPLY:g} s / unanswered",
            f"{result.replies_over_1s} / {result.replies_missing}",
        ),
        ("outbox rows", ", ".join(f"{k} {v:,}" for k, v in result.rows.items()) or "-"),
        ("bot exit code", f"{result.exit_code}"),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, help="confirmed partners (default 2000, quick 300)")
    parser.add_argument(
        "--rate",
        type=float,
        help=f"BROADCAST_RATE for the bot (default: its own, {DEFAULT_RATE:g})",
    )
    parser.add_argument(
        "--lead",
        type=float,
        default=20.0,
        help="seconds from now until the reminder is due (default 20)",
    )
    parser.add_argument("--quick", action="store_true", help="300 partners (~45 s)")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})"
    )
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    partners = args.partners or (300 if args.quick else 2000)
    print(
        f"reminder for {partners:,} confirmed partners, due in {args.lead:g} s, "
        f"{common.CHATTERS} partners asking every {common.QUESTION_INTERVAL:g} s; emulator "
        f"limit {LIMIT}/s overall, 1/s per chat; Python {platform.python_version()}, "
        f"PTB {telegram.__version__}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="partnerbot-reminder-") as tmp:
        result = await run_reminder(partners, args.rate, args.lead, Path(tmp))
    print_table(result)
    found = checks(result)
    print()
    for check in found:
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    report: dict[str, Any] = {
        "benchmark": "reminder_load",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {
            "partners": partners,
            "rate": result.rate_setting,
            "lead_s": args.lead,
            "offset": OFFSET,
            "chatters": common.CHATTERS,
            "question_interval_s": common.QUESTION_INTERVAL,
            "emulator_limit_per_s": LIMIT,
            "per_chat_per_s": 1,
            "python": platform.python_version(),
            "python_telegram_bot": telegram.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "result": asdict(result),
        "checks": [asdict(check) for check in found],
        "all_passed": all(check.ok for check in found),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    root = common.ROOT
    shown = args.output.relative_to(root) if args.output.is_relative_to(root) else args.output
    print(f"\nwrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
