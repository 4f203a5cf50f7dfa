"""The door on the conference day: organisers scanning tickets and searching names at once.

Partnerbot runs as a subprocess (``python -m bot run``) against the Bot API emulator in this
process. ``--partners`` confirmed registrations with tickets (realistic names, 50 partner
organisations) are written straight into a fresh SQLite file; the event starts in half an hour.
``--doors`` organisers then work the door at the same time, each at ``--interval`` seconds per
guest (brisk: a real door needs several seconds per person; faster would also trip the flood
control of 20 updates in 10 seconds): scan a ticket (``/start ci_<token>``
as the phone camera sends it), wait for the card, tap "1 einchecken", wait for the confirmation.
Every fifth guest has forgotten the ticket and is found with ``/einlass <surname with a typo>``.

Measures scan -> card, tap -> confirmation and search -> answer latencies and checks the result
in the database: every guest checked in exactly once. Run from the repository root::

    .venv/bin/python bench/checkin_load.py [--partners 1500] [--doors 4] [--guests 60]

Prints a table, writes ``bench/results/checkin_load.json``. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import common
import telegram

from bot.emulator import SentMessage, TelegramEmulator, User

RESULTS = common.RESULTS / "checkin_load.json"
FIRST_PARTNER = 500_000_001
FIRST_ORGANISER = 600_000_001
TIMEOUT = 20.0
SEARCH_EVERY = 5  # every fifth guest has no ticket at hand


@dataclass
class Result:
    partners: int
    doors: int
    guests_per_door: int
    interval_s: float
    scan_ms: list[float] = field(default_factory=list)
    tap_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    checked_in: int = 0
    expected: int = 0
    double: int = 0
    wall_s: float = 0.0
    exit_code: int | None = None
    log_problems: list[str] = field(default_factory=list)
    error: str | None = None


async def _door(
    emulator: TelegramEmulator,
    organiser: User,
    guests: Sequence[tuple[int, str, str]],
    interval: float,
    result: Result,
) -> None:
    for number, (_, token, name) in enumerate(guests):
        started = time.perf_counter()
        mark = emulator.mark()
        if number % SEARCH_EVERY == SEARCH_EVERY - 1:
            emulator.send_text(organiser, f"/einlass {common.typo(name)}")
            answer = await emulator.wait_for(organiser, since=mark, timeout=TIMEOUT)
            result.search_ms.append((time.perf_counter() - started) * 1000)
            card = await _pick(emulator, organiser, answer, name)
        else:
            emulator.send_text(organiser, f"/start ci_{token}")
            card = await emulator.wait_for(organiser, since=mark, timeout=TIMEOUT)
            result.scan_ms.append((time.perf_counter() - started) * 1000)
        tapped = time.perf_counter()
        emulator.click(organiser, card, "1 einchecken")
        confirmation = await emulator.wait_for_edit(card, timeout=TIMEOUT)
        result.tap_ms.append((time.perf_counter() - tapped) * 1000)
        if "eingecheckt" not in confirmation.plain_text:
            raise AssertionError(f"unexpected answer: {confirmation.plain_text!r}")
        await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))


async def _pick(
    emulator: TelegramEmulator, organiser: User, answer: SentMessage, name: str
) -> SentMessage:
    """A search shows the card at once, or offers similar names: the organiser picks theirs."""
    if "Wie viele Personen" in answer.plain_text:
        return answer
    mark = emulator.mark()
    emulator.click(organiser, answer, f"{name} ·")  # the label goes on with the organisation
    return await emulator.wait_for(organiser, since=mark, timeout=TIMEOUT)


async def run(partners: int, doors: int, guests: int, interval: float, workdir: Path) -> Result:
    result = Result(partners, doors, guests, interval, expected=doors * guests)
    programme_path = workdir / "programme.yaml"
    programme = common.moved_programme(
        common.PROGRAMME,
        programme_path,
        starts_at=(datetime.now(UTC) + timedelta(minutes=30)).replace(microsecond=0),
        reminders=[],
        keynote_reminders=[],
        capacity=partners + 100,
    )
    database = workdir / "partnerbot.sqlite3"
    partner_ids = list(range(FIRST_PARTNER, FIRST_PARTNER + partners))
    await common.seed(
        common.sqlite_url(database), partner_ids, event_key=programme.event_key, capacity=partners
    )
    tokens = common.give_tickets(database, partner_ids)
    names = dict(zip(partner_ids, (name for name, _ in common.people(partners)), strict=True))
    chosen = random.Random(7).sample(partner_ids, doors * guests)
    queues = [
        [(user_id, tokens[user_id], names[user_id]) for user_id in chosen[door::doors]]
        for door in range(doors)
    ]
    organiser_ids = [FIRST_ORGANISER + door for door in range(doors)]
    async with TelegramEmulator(auto_create_chats=True) as emulator:
        organisers = [
            emulator.user(id=user_id, first_name=f"Einlass {n + 1}", language_code="de")
            for n, user_id in enumerate(organiser_ids)
        ]
        env = common.bot_env(
            emulator.base_url,
            database,
            programme_path,
            ADMIN_IDS=",".join(map(str, organiser_ids)),
        )
        bot = await common.spawn_bot(workdir, env)
        try:
            mark = emulator.mark()
            emulator.send_text(organisers[0], "/start")
            await common.await_first(bot, emulator, organisers[0], mark, "answering /start")
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    _door(emulator, organiser, queue, interval, result)
                    for organiser, queue in zip(organisers, queues, strict=True)
                )
            )
            result.wall_s = time.perf_counter() - started
        except (RuntimeError, TimeoutError, AssertionError) as error:
            result.error = f"{type(error).__name__}: {error}"
        finally:
            result.exit_code = await common.stop_bot(bot)
    result.log_problems = common.log_problems(bot.stderr_path)
    result.checked_in = int(
        common.scalar(
            database, "SELECT count(*) FROM registrations WHERE checked_in_at IS NOT NULL"
        )
        or 0
    )
    result.double = int(
        common.scalar(database, "SELECT count(*) FROM registrations WHERE checked_in_persons > 1")
        or 0
    )
    return result


def _quantiles(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms"


def print_table(result: Result) -> None:
    print(f"\nscan -> card          {_quantiles(result.scan_ms)} ({len(result.scan_ms)} scans)")
    print(
        f"/einlass -> answer    {_quantiles(result.search_ms)} ({len(result.search_ms)} searches)"
    )
    print(f"tap -> checked in     {_quantiles(result.tap_ms)} ({len(result.tap_ms)} taps)")
    print(f"checked in            {result.checked_in} of {result.expected}, more than once: "
          f"{result.double}")  # fmt: skip
    print(f"wall time             {result.wall_s:.1f} s, bot exit code {result.exit_code}")
    if result.error or result.log_problems:
        print(f"problems              {result.error or ''} {result.log_problems[:3]}")


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1500, help="registrations (1500)")
    parser.add_argument("--doors", type=int, default=4, help="organisers at the door (4)")
    parser.add_argument("--guests", type=int, default=60, help="guests per organiser (60)")
    parser.add_argument(
        "--interval", type=float, default=1.5, help="seconds per guest and organiser (1.5)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    print(
        f"door check-in: {args.partners:,} registrations, {args.doors} organisers × "
        f"{args.guests} guests, one every {args.interval:g} s each; Python "
        f"{platform.python_version()}, PTB {telegram.__version__}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="partnerbot-checkin-") as tmp:
        result = await run(args.partners, args.doors, args.guests, args.interval, Path(tmp))
    print_table(result)
    report = {
        "benchmark": "checkin_load",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": vars(args) | {"output": str(args.output), "cpus": os.cpu_count()},
        "result": asdict(result),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
