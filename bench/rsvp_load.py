"""Many partners registering at once: every registration recorded once, no seat oversold.

From the issue: "500 partners registering concurrently through the emulator: every registration
recorded exactly once, seats never oversold, and the median time per conversation step printed."

The Bot API emulator runs in this process; Partnerbot runs as a subprocess (``python -m bot
run``) against it, with a fresh SQLite file and a copy of the shipped programme whose dates are
moved into the future (the shipped event is over, so the bot would refuse every registration).

Every simulated partner (German and English app language, alternating) goes through the whole
RSVP conversation in its own task, all at the same time: /anmelden or /rsvp, attending, name
(button or typed), organisation (typed or "no organisation"), 1-3 persons (button or typed),
dietary (sometimes "other" and a note), accessibility (button or typed), consent, confirm, and,
once the seats are gone, the waitlist. A step is one message or button press; its time runs from
the send or click until the emulator records the bot's next message to that chat.

After the bot has stopped (SIGTERM), the SQLite file is read directly and the messages each
partner received are counted. Run from the repository root::

    .venv/bin/python bench/rsvp_load.py [--partners 500]

Prints the figures and PASS/FAIL per check, and writes them to ``bench/results/rsvp_load.json``.
It measures and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import common
import telegram

from bot.core.texts import Texts
from bot.emulator import AnsweredCallback, EventKind, SentMessage, TelegramEmulator, User
from bot.programme.model import Language, Programme, load_programme

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "rsvp_load.json"
PROGRAMME = ROOT / "bot" / "programme" / "klimakonferenz.yaml"
STEP_TIMEOUT = 60.0
SETTLE_SECONDS = 1.0  # after the last step: time for late or duplicate messages to show up
EVENT_IN_DAYS = 30  # the copied programme's event starts this many days from today

ORGANISATIONS = ("Stadtwerke Leipzig", "Müller & Söhne GmbH", "BUND <Leipzig>", "Uni Leipzig")
DIETARY = ("none", "vegetarian", "vegan", "other")
NOTES: dict[Language, str] = {"de": "glutenfrei", "en": "gluten-free"}
NEEDS: dict[Language, str] = {"de": "Rollstuhl, bitte stufenlos", "en": "wheelchair access"}
# The kinds of step in conversation order; "all" is every step together.
STEPS = (
    "start",
    "attending",
    "name",
    "organisation",
    "persons",
    "dietary",
    "dietary note",
    "accessibility",
    "consent",
    "confirm",
    "waitlist",
    "all",
)


# ------------------------------------------------------------------------------ the partners


@dataclass(frozen=True)
class Plan:
    """What one partner answers; a deterministic mix over the partner's index."""

    index: int
    language: Language
    persons: int
    typed_name: str | None
    organisation: str | None
    typed_persons: bool
    dietary: str
    accessibility: str | None

    @classmethod
    def of(cls, index: int) -> Plan:
        language: Language = "de" if index % 2 == 0 else "en"
        return cls(
            index=index,
            language=language,
            persons=1 + index % 3,
            typed_name=f"Renée O'Connor-{index}" if index % 5 == 0 else None,
            organisation=ORGANISATIONS[index % 4] if index % 3 != 2 else None,
            typed_persons=index % 4 == 1,
            dietary=DIETARY[index % 4],
            accessibility=NEEDS[language] if index % 7 == 0 else None,
        )

    @property
    def dietary_note(self) -> str | None:
        return NOTES[self.language] if self.dietary == "other" else None


def full_name(user: User) -> str:
    """The name as Telegram (and PTB's ``User.full_name``) puts it together."""
    return f"{user.first_name} {user.last_name}" if user.last_name else user.first_name


@dataclass
class PartnerResult:
    """How one partner's conversation went."""

    user_id: int
    plan: Plan
    outcome: str | None = None  # "confirmed" or "waitlisted" as the bot said it
    offered_full: bool = False
    error: str | None = None
    steps: list[tuple[str, float]] = field(default_factory=list)


class StepFailed(Exception):
    """A step got no reply, or not the one the conversation expects."""


class Replies:
    """Resolves a future per chat when the emulator records the bot's next message there.

    Taking the time in the emulator's listener (not when the waiting task wakes up) keeps this
    process's own scheduling delays out of the step times.
    """

    def __init__(self) -> None:
        self._pending: dict[int, asyncio.Future[tuple[float, SentMessage]]] = {}

    def __call__(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        if kind != "sent" or not isinstance(item, SentMessage):
            return
        future = self._pending.pop(item.chat_id, None)
        if future is not None and not future.done():
            future.set_result((time.perf_counter(), item))

    def expect(self, chat_id: int) -> asyncio.Future[tuple[float, SentMessage]]:
        future: asyncio.Future[tuple[float, SentMessage]] = (
            asyncio.get_running_loop().create_future()
        )
        self._pending[chat_id] = future
        return future

    def forget(self, chat_id: int) -> None:
        self._pending.pop(chat_id, None)


def _plain_head(template: str) -> str:
    """The fixed start of a text template as the user reads it (up to the first parameter)."""
    head = template.split("{", 1)[0]
    return html.unescape(re.sub(r"<[^>]*>", "", head)).lstrip()


class Conversation:
    """One partner's side of the RSVP conversation: each step sends, then waits for the reply."""

    def __init__(
        self,
        emulator: TelegramEmulator,
        replies: Replies,
        texts: Texts,
        user: User,
        result: PartnerResult,
    ) -> None:
        self.emulator, self.replies, self.texts = emulator, replies, texts
        self.user, self.result = user, result
        self.language: Language = result.plan.language

    def label(self, key: str, **params: object) -> str:
        """A button's text exactly as the bot builds it."""
        return self.texts.template(self.language, key).format(**params)

    def says(self, message: SentMessage, key: str) -> bool:
        return message.plain_text.startswith(_plain_head(self.texts.template(self.language, key)))

    async def step(
        self, name: str, action: Callable[[], object], *expected: str
    ) -> tuple[SentMessage, str]:
        """Do ``action``; the bot's next message and which of the ``expected`` texts it is."""
        reply = self.replies.expect(self.user.id)
        started = time.perf_counter()
        try:
            action()
        except AssertionError as error:  # the emulator's "no such button"
            self.replies.forget(self.user.id)
            raise StepFailed(f"{name}: {error}") from None
        try:
            async with asyncio.timeout(STEP_TIMEOUT):
                arrived, message = await reply
        except TimeoutError:
            self.replies.forget(self.user.id)
            raise StepFailed(f"{name}: no reply within {STEP_TIMEOUT:.0f} s") from None
        self.result.steps.append((name, arrived - started))
        for key in expected:
            if self.says(message, key):
                return message, key
        raise StepFailed(f"{name}: unexpected reply {message.plain_text[:120]!r}")

    async def send(self, name: str, text: str, *expected: str) -> tuple[SentMessage, str]:
        return await self.step(name, lambda: self.emulator.send_text(self.user, text), *expected)

    async def click(
        self, name: str, message: SentMessage, button: str, *expected: str
    ) -> tuple[SentMessage, str]:
        return await self.step(
            name, lambda: self.emulator.click(self.user, message, button), *expected
        )

    async def register(self) -> None:
        """The whole conversation, from the command to the outcome."""
        plan, user = self.result.plan, self.user
        command = "/anmelden" if self.language == "de" else "/rsvp"
        question, _ = await self.send("start", command, "rsvp.ask_attending")
        question, _ = await self.click(
            "attending", question, self.label("rsvp.yes"), "rsvp.ask_name"
        )
        if plan.typed_name:
            question, _ = await self.send("name", plan.typed_name, "rsvp.ask_organisation")
        else:
            button = self.label("rsvp.use_name", name=full_name(user))
            question, _ = await self.click("name", question, button, "rsvp.ask_organisation")
        if plan.organisation:
            question, _ = await self.send("organisation", plan.organisation, "rsvp.ask_persons")
        else:
            button = self.label("rsvp.no_organisation")
            question, _ = await self.click("organisation", question, button, "rsvp.ask_persons")
        if plan.typed_persons:
            question, _ = await self.send("persons", str(plan.persons), "rsvp.ask_dietary")
        else:
            question, _ = await self.click(
                "persons", question, str(plan.persons), "rsvp.ask_dietary"
            )
        button = self.label(f"rsvp.dietary.{plan.dietary}")
        if plan.dietary_note:
            await self.click("dietary", question, button, "rsvp.ask_dietary_note")
            question, _ = await self.send(
                "dietary note", plan.dietary_note, "rsvp.ask_accessibility"
            )
        else:
            question, _ = await self.click("dietary", question, button, "rsvp.ask_accessibility")
        if plan.accessibility:
            question, _ = await self.send("accessibility", plan.accessibility, "rsvp.ask_consent")
        else:
            button = self.label("rsvp.accessibility.none")
            question, _ = await self.click("accessibility", question, button, "rsvp.ask_consent")
        summary, _ = await self.click(
            "consent", question, self.label("rsvp.consent.yes"), "rsvp.summary"
        )
        outcome, key = await self.click(
            "confirm",
            summary,
            self.label("rsvp.confirm"),
            "rsvp.confirmed",
            "rsvp.full",
            "rsvp.full_none",
        )
        if key in ("rsvp.full", "rsvp.full_none"):
            self.result.offered_full = True
            _, key = await self.click(
                "waitlist",
                outcome,
                self.label("rsvp.join_waitlist"),
                "rsvp.waitlisted",
                "rsvp.confirmed",
            )
        self.result.outcome = key.removeprefix("rsvp.")


async def run_partner(
    emulator: TelegramEmulator, replies: Replies, texts: Texts, user: User, plan: Plan
) -> PartnerResult:
    result = PartnerResult(user_id=user.id, plan=plan)
    try:
        await Conversation(emulator, replies, texts, user, result).register()
    except StepFailed as error:
        result.error = str(error)
    return result


# ------------------------------------------------------------------------------ the bot


def future_programme(source: Path, target: Path, today: date) -> Programme:
    """Copy the programme with every date moved by the same number of days, so that the event
    starts ``EVENT_IN_DAYS`` from ``today`` (the deadline keeps its distance before it)."""
    original = load_programme(source)
    shift = today + timedelta(days=EVENT_IN_DAYS) - original.event.starts_at.date()

    def moved(match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group()) + shift).isoformat()

    text = re.sub(r"\b\d{4}-\d{2}-\d{2}(?=T\d)", moved, source.read_text(encoding="utf-8"))
    target.write_text(text, encoding="utf-8")
    return load_programme(target)


def is_calendar(message: SentMessage) -> bool:
    return message.document is not None and (message.document.filename or "").endswith(".ics")


@dataclass
class Run:
    """Everything one run observed, for the checks and the report."""

    partners: list[PartnerResult] = field(default_factory=list)
    messages: dict[int, list[SentMessage]] = field(default_factory=dict)
    startup_s: float | None = None
    wall_s: float = 0.0
    bot_cpu_s: float | None = None
    exit_code: int | None = None
    log_problems: list[str] = field(default_factory=list)
    api_calls: dict[str, int] = field(default_factory=dict)
    error: str | None = None


async def run_load(count: int, workdir: Path, programme: Path, texts: Texts) -> Run:
    """Start the bot, let ``count`` partners register at once, wait for the calendar files,
    stop the bot."""
    run = Run()
    replies = Replies()
    async with TelegramEmulator(auto_create_chats=True) as emulator:
        emulator.add_listener(replies)
        opener = emulator.user(first_name="Startup", language_code="de")
        plans = [Plan.of(index) for index in range(count)]
        users = [
            emulator.user(first_name=f"Partner {plan.index}", language_code=plan.language)
            for plan in plans
        ]
        # Invites are not what this measures: everyone may register.
        env = common.bot_env(
            emulator.base_url, workdir / "partnerbot.sqlite3", programme, ACCESS="open"
        )
        bot = await common.spawn_bot(workdir, env)
        process, spawned = bot.process, bot.spawned_at
        first = replies.expect(opener.id)
        emulator.send_text(opener, "/start")
        try:
            failure = await common.await_startup(process, first)
            if failure is not None:
                run.error = failure
                return run
            run.startup_s = first.result()[0] - spawned
            print(f"  bot answered /start {run.startup_s:.2f} s after spawning")
            cpu_before = common.process_cpu_seconds(process.pid)
            began = time.perf_counter()
            run.partners = await asyncio.gather(
                *(
                    run_partner(emulator, replies, texts, user, plan)
                    for user, plan in zip(users, plans, strict=True)
                )
            )
            run.wall_s = time.perf_counter() - began
            cpu_after = common.process_cpu_seconds(process.pid)
            if cpu_before is not None and cpu_after is not None:
                run.bot_cpu_s = cpu_after - cpu_before
            await _await_calendars(emulator, users, run.partners)
            await asyncio.sleep(SETTLE_SECONDS)
        finally:
            run.exit_code = await common.stop_bot(bot)
        run.messages = {user.id: emulator.messages_to(user) for user in users}
        run.api_calls = dict(emulator.stats.by_method)
    run.log_problems = common.log_problems(bot.stderr_path)
    if run.log_problems or not common.clean_exit(run.exit_code) or run.error:
        print(f"  bot exited with {run.exit_code}; its stderr ends with:")
        print(common.tail(bot.stderr_path))
    return run


async def _await_calendars(
    emulator: TelegramEmulator, users: Sequence[User], partners: Sequence[PartnerResult]
) -> None:
    """Give each confirmed partner's calendar file (sent after the outcome) time to arrive."""
    waits = [
        emulator.wait_for(user, predicate=is_calendar, timeout=STEP_TIMEOUT)
        for user, partner in zip(users, partners, strict=True)
        if partner.outcome == "confirmed"
    ]
    for outcome in await asyncio.gather(*waits, return_exceptions=True):
        if isinstance(outcome, BaseException) and not isinstance(outcome, TimeoutError):
            raise outcome


# ------------------------------------------------------------------------------ the checks


@dataclass
class Stored:
    """What the SQLite file holds after the run."""

    registrations: list[dict[str, Any]]
    confirmed_persons: int | None  # the events row's seat counter
    capacity: int | None
    highest_seat_count: int | None  # the most confirmed persons the seat history ever shows


def read_database(path: Path, event_key: str) -> Stored:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in connection.execute("SELECT * FROM registrations")]
        event = connection.execute(
            "SELECT capacity, confirmed_persons FROM events WHERE key = ?", (event_key,)
        ).fetchone()
        highest = connection.execute(
            "SELECT max(confirmed_persons) FROM seat_changes WHERE event_key = ?", (event_key,)
        ).fetchone()[0]
    finally:
        connection.close()
    return Stored(
        registrations=rows,
        confirmed_persons=event["confirmed_persons"] if event else None,
        capacity=event["capacity"] if event else None,
        highest_seat_count=highest,
    )


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _listing(items: Sequence[object], limit: int = 5) -> str:
    shown = ", ".join(str(item) for item in items[:limit])
    return shown + (f", … ({len(items)} in all)" if len(items) > limit else "")


def _stored_answers_differ(row: dict[str, Any], partner: PartnerResult, name: str) -> bool:
    plan = partner.plan
    return (
        row["persons"] != plan.persons
        or row["name"] != name
        or row["organisation"] != plan.organisation
        or row["language"] != plan.language
        or row["dietary"] != plan.dietary
        or row["dietary_note"] != plan.dietary_note
        or row["accessibility"] != plan.accessibility
    )


def run_checks(run: Run, db: Stored, programme: Programme, texts: Texts) -> list[Check]:
    """Each property from the issue, checked against the database and the messages sent."""
    capacity = programme.event.capacity
    event_key = programme.event_key
    partners = {p.user_id: p for p in run.partners}
    checks: list[Check] = []

    failed = [p for p in run.partners if p.error]
    reasons = defaultdict(int)
    for partner in failed:
        reasons[re.sub(r"\d+", "N", partner.error or "")[:90]] += 1
    checks.append(
        Check(
            "every partner finished the conversation",
            not failed,
            f"{len(run.partners) - len(failed)}/{len(run.partners)} finished"
            + (f"; failures: {dict(reasons)}" if failed else ""),
        )
    )

    rows = [r for r in db.registrations if r["event_key"] == event_key]
    by_user: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_user[row["user_id"]].append(row)
    doubled = [uid for uid, found in by_user.items() if len(found) > 1]
    missing = [uid for uid in partners if uid not in by_user]
    strangers = [uid for uid in by_user if uid not in partners]
    checks.append(
        Check(
            "exactly one registration row per partner",
            len(rows) == len(partners) and not doubled and not missing and not strangers,
            f"{len(rows)} rows, {len(by_user)} distinct users for {len(partners)} partners; "
            f"doubled {len(doubled)}, missing {len(missing)}, not a partner {len(strangers)}"
            + (f" (missing e.g. {_listing(missing)})" if missing else ""),
        )
    )

    confirmed_rows = [r for r in rows if r["status"] == "confirmed"]
    confirmed_persons = sum(r["persons"] for r in confirmed_rows)
    checks.append(
        Check(
            "seats never oversold",
            confirmed_persons <= capacity and (db.highest_seat_count or 0) <= capacity,
            f"{confirmed_persons} confirmed persons, capacity {capacity}, "
            f"highest seat count in the history {db.highest_seat_count}",
        )
    )
    checks.append(
        Check(
            "seat counter equals the confirmed persons",
            db.confirmed_persons == confirmed_persons,
            f"events.confirmed_persons {db.confirmed_persons}, "
            f"sum over confirmed rows {confirmed_persons}",
        )
    )

    outcome_counts: dict[int, int] = {}
    calendar_counts: dict[int, int] = {}
    for uid, partner in partners.items():
        language = partner.plan.language
        heads = [
            _plain_head(texts.template(language, key))
            for key in ("rsvp.confirmed", "rsvp.waitlisted")
        ]
        messages = run.messages.get(uid, [])
        outcome_counts[uid] = sum(m.plain_text.startswith(tuple(heads)) for m in messages)
        calendar_counts[uid] = sum(is_calendar(m) for m in messages)
    wrong_outcomes = [uid for uid, n in outcome_counts.items() if n != 1]
    checks.append(
        Check(
            "exactly one outcome message per partner",
            not wrong_outcomes,
            f"{len(partners) - len(wrong_outcomes)}/{len(partners)} partners got exactly one"
            + (
                f"; counts {dict(sorted(_count(outcome_counts, wrong_outcomes).items()))}"
                if wrong_outcomes
                else ""
            ),
        )
    )

    statuses = {uid: found[0]["status"] for uid, found in by_user.items() if uid in partners}
    told_otherwise = [
        (uid, p.outcome, statuses.get(uid))
        for uid, p in partners.items()
        if p.outcome is None or statuses.get(uid) != p.outcome
    ]
    checks.append(
        Check(
            "stored status is the outcome the partner was told",
            not told_otherwise,
            f"{len(told_otherwise)} partner(s) differ"
            + (f" (user, told, stored): {_listing(told_otherwise)}" if told_otherwise else ""),
        )
    )

    wrong_calendars = [
        uid
        for uid in partners
        if calendar_counts[uid] != (1 if statuses.get(uid) == "confirmed" else 0)
    ]
    checks.append(
        Check(
            "one .ics per confirmed partner, none for the waitlist",
            not wrong_calendars,
            f"{sum(calendar_counts.values())} calendar files for {len(confirmed_rows)} confirmed; "
            f"{len(wrong_calendars)} partner(s) with a wrong count",
        )
    )

    names = {uid: p.plan.typed_name or f"Partner {p.plan.index}" for uid, p in partners.items()}
    differing = [
        uid
        for uid, found in by_user.items()
        if uid in partners and _stored_answers_differ(found[0], partners[uid], names[uid])
    ]
    checks.append(
        Check(
            "stored answers are the partner's own",
            not differing,
            f"{len(differing)} row(s) differ from what the partner entered"
            + (f", e.g. user {differing[0]}" if differing else ""),
        )
    )

    clean_exit = common.clean_exit(run.exit_code)
    checks.append(
        Check(
            "bot ran without errors",
            clean_exit and not run.log_problems and run.error is None,
            f"exit code {run.exit_code}, {len(run.log_problems)} error line(s) in its log"
            + (f": {run.log_problems[0][:120]!r}" if run.log_problems else "")
            + (f"; {run.error}" if run.error else ""),
        )
    )
    return checks


def _count(counts: dict[int, int], users: Sequence[int]) -> dict[int, int]:
    """How many of ``users`` got each number of messages."""
    histogram: dict[int, int] = defaultdict(int)
    for uid in users:
        histogram[counts[uid]] += 1
    return dict(histogram)


# ------------------------------------------------------------------------------ the report


def _percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def step_figures(partners: Sequence[PartnerResult]) -> dict[str, dict[str, float | int]]:
    """Count, median, p95 and max in ms per kind of step, and over all steps ("all")."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    for partner in partners:
        for name, seconds in partner.steps:
            by_kind[name].append(seconds * 1000)
            by_kind["all"].append(seconds * 1000)
    figures: dict[str, dict[str, float | int]] = {}
    for name, values in sorted(by_kind.items(), key=lambda item: STEPS.index(item[0])):
        ordered = sorted(values)
        figures[name] = {
            "count": len(ordered),
            "median_ms": statistics.median(ordered),
            "p95_ms": _percentile(ordered, 95),
            "max_ms": ordered[-1],
        }
    return figures


def print_report(
    run: Run, db: Stored, steps: dict[str, dict[str, float | int]], checks: Sequence[Check]
) -> dict[str, Any]:
    """Print the figures and checks; return the figures for the JSON file."""
    rows = [r for r in db.registrations if r["status"] in ("confirmed", "waitlisted")]
    confirmed = [r for r in rows if r["status"] == "confirmed"]
    waitlisted = [r for r in rows if r["status"] == "waitlisted"]
    everything = steps.get("all", {})
    total = int(everything.get("count", 0))
    figures: dict[str, Any] = {
        "partners": len(run.partners),
        "confirmed_parties": len(confirmed),
        "confirmed_persons": sum(r["persons"] for r in confirmed),
        "capacity": db.capacity,
        "waitlisted_parties": len(waitlisted),
        "offered_full": sum(p.offered_full for p in run.partners),
        "startup_s": run.startup_s,
        "wall_s": run.wall_s,
        "steps": total,
        "median_step_ms": everything.get("median_ms"),
        "p95_step_ms": everything.get("p95_ms"),
        "max_step_ms": everything.get("max_ms"),
        "steps_per_s": total / run.wall_s if run.wall_s else None,
        "bot_cpu_ms_per_step": run.bot_cpu_s * 1000 / total if run.bot_cpu_s and total else None,
    }
    lines = [
        ("partners", f"{figures['partners']}"),
        (
            "confirmed",
            f"{figures['confirmed_parties']} parties / {figures['confirmed_persons']} persons "
            f"(capacity {db.capacity})",
        ),
        (
            "waitlisted",
            f"{figures['waitlisted_parties']} parties "
            f"({figures['offered_full']} were offered the waitlist)",
        ),
        ("wall time", f"{run.wall_s:.1f} s"),
        ("conversation steps", f"{total}"),
        ("median time per step", _ms(figures["median_step_ms"])),
        ("p95 time per step", _ms(figures["p95_step_ms"])),
        ("max time per step", _ms(figures["max_step_ms"])),
        ("steps per second", _num(figures["steps_per_s"], "{:.0f}")),
        ("bot CPU per step", _num(figures["bot_cpu_ms_per_step"], "{:.2f} ms")),
    ]
    width = max(len(name) for name, _ in lines)
    print()
    for name, value in lines:
        print(f"{name:<{width}}  {value}")
    print("\nper step            count   median      p95      max")
    for name, figure in steps.items():
        print(
            f"  {name:<16} {figure['count']:>6} {_ms(figure['median_ms']):>8} "
            f"{_ms(figure['p95_ms']):>8} {_ms(figure['max_ms']):>8}"
        )
    print()
    for check in checks:
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    return figures


def _ms(value: float | None) -> str:
    return _num(value, "{:.0f} ms")


def _num(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


# ------------------------------------------------------------------------------ main


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--partners", type=int, default=500, help="partners registering at once (default 500)"
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})"
    )
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    texts = Texts.load()
    print(
        f"{args.partners} partners registering at once; Python {platform.python_version()}, "
        f"PTB {telegram.__version__}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="partnerbot-rsvp-") as tmp:
        workdir = Path(tmp)
        programme = future_programme(PROGRAMME, workdir / "programme.yaml", date.today())
        event = programme.event
        print(
            f"  programme copy: event {event.starts_at:%Y-%m-%d}, deadline "
            f"{event.rsvp_deadline:%Y-%m-%d}, {event.capacity} seats, "
            f"at most {event.max_persons_per_rsvp} persons per registration"
        )
        run = await run_load(args.partners, workdir, workdir / "programme.yaml", texts)
        database = workdir / "partnerbot.sqlite3"
        if run.error is not None or not database.exists():
            print(f"the bot did not run: {run.error}")
            return 1
        db = read_database(database, programme.event_key)

    steps = step_figures(run.partners)
    checks = run_checks(run, db, programme, texts)
    figures = print_report(run, db, steps, checks)
    report = {
        "benchmark": "rsvp_load",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {
            "partners": args.partners,
            "capacity": programme.event.capacity,
            "max_persons_per_rsvp": programme.event.max_persons_per_rsvp,
            "python": platform.python_version(),
            "python_telegram_bot": telegram.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "results": figures,
        "steps": steps,
        "checks": [asdict(check) for check in checks],
        "all_passed": all(check.ok for check in checks),
        "failures": [
            {"user_id": p.user_id, "index": p.plan.index, "error": p.error}
            for p in run.partners
            if p.error
        ][:50],
        "api_calls": run.api_calls,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nwrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
