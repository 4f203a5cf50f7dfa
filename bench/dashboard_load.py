"""The organisers' dashboard under load, and what it costs the partners chatting meanwhile.

From the issue: "2,000 registrations, 4 organisers refreshing the overview every 2 s and
searching the table, while 50 partners ask questions: dashboard API p95 < 100 ms, partners'
reply p95 within 10 % of the same run without the dashboard."

Partnerbot runs as a subprocess (``python -m bot run``) against the Bot API emulator in this
process, with ``--partners`` confirmed registrations (realistic names, 50 organisations, tickets,
one seat change each for the overview's chart) written straight into a fresh SQLite file. The
dashboard is served by the bot's process, as in production. Each run first lets ``--chatters``
partners ask one question each (their first contact, not counted), then for ``--seconds`` each
of them asks a programme question every 2 s. In a run *with* the dashboard, ``--organisers``
organisers meanwhile sign in with launch data signed as Telegram signs it, then each, every 2 s,
loads the overview figures as the open page does, searches the registrations for a name typed
with a typo, and opens a page of a status tab in another order. They run in a process of their
own, so that the emulator's work does not delay their measurements. Runs without and with the
dashboard alternate (without, with, with, without, ...), because the machine's speed drifts; the
partners' ratio is the median over the pairs of neighbouring runs. Run from the repository root::

    .venv/bin/python bench/dashboard_load.py [--repeat 3] [--seconds 30]

Prints a table and the verdict per target, writes ``bench/results/dashboard_load.json``. It
measures and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import platform
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import common
import telegram

from bot.dashboard.signin import sign_launch_data
from bot.emulator import TelegramEmulator, User

RESULTS = common.RESULTS / "dashboard_load.json"
FIRST_PARTNER = 700_000_001
FIRST_CHATTER = 710_000_001
FIRST_ORGANISER = 720_000_001
REFRESH = 2.0  # seconds between an organiser's rounds, as the overview page refreshes
REQUEST_TIMEOUT = 10.0
ORGANISERS_START = 3.0  # seconds for the organisers' process to start and sign in
MAX_API_P95_MS = 100.0
MAX_REPLY_P95_FACTOR = 1.10


@dataclass
class Run:
    """One run's figures; latencies in milliseconds."""

    dashboard: bool
    questions: int = 0
    reply_timeouts: int = 0
    reply_median_ms: float | None = None
    reply_p95_ms: float | None = None
    api: dict[str, list[float]] = field(default_factory=dict)
    api_errors: list[str] = field(default_factory=list)
    api_p95_ms: float | None = None
    api_median_ms: float | None = None
    api_requests: int = 0
    bot_cpu_s: float | None = None
    exit_code: int | None = None
    log_problems: list[str] = field(default_factory=list)
    error: str | None = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Calls:
    """The organisers' requests: milliseconds per kind of call, and what failed."""

    api: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Organiser:
    """An organiser with the dashboard open: signs in, then calls the API as the pages do."""

    def __init__(self, http: aiohttp.ClientSession, base: str, user_id: int, calls: Calls) -> None:
        self.http, self.base, self.user_id, self.calls = http, base, user_id, calls
        self.headers: dict[str, str] = {}

    async def _call(self, name: str, method: str, path: str, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            async with self.http.request(
                method, self.base + path, headers=self.headers, **kwargs
            ) as response:
                body = await response.json()
                if response.status != 200:
                    self.calls.errors.append(f"{name}: HTTP {response.status}")
                    return None
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            self.calls.errors.append(f"{name}: {type(error).__name__}")
            return None
        self.calls.api.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return body

    async def sign_in(self) -> None:
        init_data = sign_launch_data(
            common.TOKEN,
            user_id=self.user_id,
            first_name=f"Orga {self.user_id - FIRST_ORGANISER + 1}",
            language_code="de",
            auth_date=datetime.now(UTC),
        )
        body = await self._call("sign-in", "POST", "api/signin", json={"init_data": init_data})
        if body is None:
            raise RuntimeError(f"organiser {self.user_id} could not sign in: {self.calls.errors}")
        self.headers = {"Authorization": f"Bearer {body['token']}"}

    async def work(
        self, names: Sequence[str], start_at: float, until: float, offset: float
    ) -> None:
        """Every REFRESH seconds: the overview, a search, a page of a status tab."""
        pick = random.Random(self.user_id)
        tick = start_at + offset
        while tick < until:
            await asyncio.sleep(max(0.0, tick - time.time()))
            await self._call("overview", "GET", "api/overview")
            query = common.typo(pick.choice(names))
            await self._call(
                "search",
                "GET",
                "api/registrations",
                params={"q": query, "status": "confirmed", "sort": "name", "page": "1"},
            )
            order = pick.choice(("name", "organisation", "registered"))
            page = str(pick.randrange(1, 41))
            await self._call(
                "list",
                "GET",
                "api/registrations",
                params={"status": "confirmed", "sort": order, "page": page},
            )
            tick += REFRESH
            while tick < time.time():  # a slow round: skip the ticks it covered
                tick += REFRESH


def organisers_at_work(
    base: str, organiser_ids: Sequence[int], names: Sequence[str], start_at: float, until: float
) -> Calls:
    """The organisers, run in a process of their own: the emulator's work in this one must not
    delay their clocks, so that what they measure is the bot's answer time."""
    return asyncio.run(_organisers(base, organiser_ids, names, start_at, until))


async def _organisers(
    base: str, organiser_ids: Sequence[int], names: Sequence[str], start_at: float, until: float
) -> Calls:
    calls = Calls()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        organisers = [Organiser(http, base, user_id, calls) for user_id in organiser_ids]
        await asyncio.gather(*(organiser.sign_in() for organiser in organisers))
        await asyncio.gather(
            *(
                organiser.work(names, start_at, until, n * REFRESH / len(organisers))
                for n, organiser in enumerate(organisers)
            )
        )
    return calls


def _seat_history(path: Path, event_key: str, count: int) -> None:
    """One seat change per registration over the four weeks before now, as the chart of a
    real event has them (the seeding writes the registrations without)."""
    now = datetime.now(UTC)
    connection = sqlite3.connect(path)
    try:
        connection.executemany(
            "INSERT INTO seat_changes (event_key, at, confirmed_persons) VALUES (?, ?, ?)",
            [
                (
                    event_key,
                    (now - timedelta(days=28) * (1 - n / count)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                    n + 1,
                )
                for n in range(count)
            ],
        )
        connection.commit()
    finally:
        connection.close()


async def run_once(dashboard: bool, args: argparse.Namespace, workdir: Path) -> Run:
    run = Run(dashboard=dashboard)
    programme_path = workdir / "programme.yaml"
    programme = common.moved_programme(
        common.PROGRAMME,
        programme_path,
        starts_at=(datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0),
        reminders=[],
        keynote_reminders=[],
        capacity=args.partners + 100,
    )
    database = workdir / "partnerbot.sqlite3"
    partner_ids = list(range(FIRST_PARTNER, FIRST_PARTNER + args.partners))
    await common.seed(
        common.sqlite_url(database),
        partner_ids,
        event_key=programme.event_key,
        capacity=args.partners,
    )
    common.give_tickets(database, partner_ids)
    _seat_history(database, programme.event_key, args.partners)
    names = [name for name, _ in common.people(args.partners)]
    organiser_ids = [FIRST_ORGANISER + n for n in range(args.organisers)]
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    watcher = common.ReplyWatcher()
    async with TelegramEmulator(auto_create_chats=True) as emulator:
        emulator.add_listener(watcher)
        chatters = [
            emulator.user(id=FIRST_CHATTER + n, first_name=f"Fragende {n}", language_code="de")
            for n in range(args.chatters)
        ]
        extra = {"ADMIN_IDS": ",".join(map(str, organiser_ids))}
        if dashboard:
            extra |= {"DASHBOARD_URL": base, "DASHBOARD_PORT": str(port)}
        env = common.bot_env(emulator.base_url, database, programme_path, **extra)
        bot = await common.spawn_bot(workdir, env)
        try:
            mark = emulator.mark()
            emulator.send_text(chatters[0], "/start")
            await common.await_first(bot, emulator, chatters[0], mark, "answering /start")
            await asyncio.gather(*(_first_contact(emulator, watcher, user) for user in chatters))
            await _load(run, args, emulator, watcher, chatters, organiser_ids, names, base, bot)
        except (RuntimeError, TimeoutError, AssertionError) as error:
            run.error = f"{type(error).__name__}: {error}"
        finally:
            run.exit_code = await common.stop_bot(bot)
    run.log_problems = common.log_problems(bot.stderr_path)
    return run


async def _first_contact(
    emulator: TelegramEmulator, watcher: common.ReplyWatcher, user: User
) -> None:
    """A partner's first question: the bot learns who they are (not counted)."""
    reply = watcher.expect(user.id)
    emulator.send_text(user, common.QUESTIONS[0])
    async with asyncio.timeout(common.REPLY_TIMEOUT):
        await reply


async def _load(
    run: Run,
    args: argparse.Namespace,
    emulator: TelegramEmulator,
    watcher: common.ReplyWatcher,
    chatters: Sequence[User],
    organiser_ids: Sequence[int],
    names: Sequence[str],
    base: str,
    bot: common.BotProcess,
) -> None:
    asked: list[common.Question] = []
    stop = asyncio.Event()
    start_at = time.time() + ORGANISERS_START
    until = start_at + args.seconds
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        organisers = (
            asyncio.get_running_loop().run_in_executor(
                pool, organisers_at_work, base, organiser_ids, names, start_at, until
            )
            if run.dashboard
            else None
        )
        await asyncio.sleep(max(0.0, start_at - time.time()))
        cpu_before = common.process_cpu_seconds(bot.pid)
        partners = [
            asyncio.create_task(
                common.chat(emulator, watcher, user, n, start_at, stop, asked, among=len(chatters))
            )
            for n, user in enumerate(chatters)
        ]
        await asyncio.sleep(max(0.0, until - time.time()))
        stop.set()
        await asyncio.gather(*partners)
        cpu_after = common.process_cpu_seconds(bot.pid)
        if organisers is not None:
            calls = await organisers
            run.api, run.api_errors = calls.api, calls.errors
    if cpu_before is not None and cpu_after is not None:
        run.bot_cpu_s = cpu_after - cpu_before
    answered = sorted(q.latency * 1000 for q in asked if q.latency is not None)
    run.questions = len(answered)
    run.reply_timeouts = sum(1 for q in asked if q.latency is None)
    if answered:
        run.reply_median_ms = statistics.median(answered)
        run.reply_p95_ms = common.percentile(answered, 95)
    calls_ms = sorted(ms for name, values in run.api.items() if name != "sign-in" for ms in values)
    run.api_requests = len(calls_ms)
    if calls_ms:
        run.api_median_ms = statistics.median(calls_ms)
        run.api_p95_ms = common.percentile(calls_ms, 95)


# ------------------------------------------------------------------------------------ report


def _median(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def _pairs(runs: Sequence[Run]) -> list[tuple[Run, Run]]:
    """(without, with) for each pair of neighbouring runs."""
    return [(runs[i], runs[i + 1]) if not runs[i].dashboard else (runs[i + 1], runs[i])
            for i in range(0, len(runs) - 1, 2)]  # fmt: skip


def summarise(runs: Sequence[Run]) -> dict[str, Any]:
    """The targets: the dashboard API's p95 (median over the runs with it) and the partners'
    reply p95 with the dashboard over the one without, per pair of neighbouring runs."""
    with_dashboard = [run for run in runs if run.dashboard]
    api_p95 = _median([run.api_p95_ms for run in with_dashboard])
    factors = [
        with_.reply_p95_ms / without.reply_p95_ms
        for without, with_ in _pairs(runs)
        if with_.reply_p95_ms is not None and without.reply_p95_ms
    ]
    factor = statistics.median(factors) if factors else None
    per_endpoint: dict[str, dict[str, float | int]] = {}
    for name in sorted({name for run in with_dashboard for name in run.api}):
        values = sorted(ms for run in with_dashboard for ms in run.api.get(name, []))
        if values:
            per_endpoint[name] = {
                "requests": len(values),
                "median_ms": statistics.median(values),
                "p95_ms": common.percentile(values, 95),
                "max_ms": values[-1],
            }
    return {
        "api_p95_ms": {
            "value": api_p95,
            "target": f"< {MAX_API_P95_MS:g} ms",
            "met": None if api_p95 is None else api_p95 < MAX_API_P95_MS,
        },
        "reply_p95_factor": {
            "value": factor,
            "per_pair": factors,
            "target": f"<= {MAX_REPLY_P95_FACTOR:g}x",
            "met": None if factor is None else factor <= MAX_REPLY_P95_FACTOR,
        },
        "api_per_endpoint": per_endpoint,
    }


def _verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "MISSED")


def print_report(runs: Sequence[Run], summary: dict[str, Any]) -> None:
    fmt = common.fmt
    print(
        f"\n{'run':>3}  {'dashboard':<9}  {'answered/lost':>13}  {'reply median/p95':>18}  "
        f"{'API calls':>9}  {'API median/p95':>16}  {'bot CPU':>7}"
    )
    for number, run in enumerate(runs, 1):
        reply = f"{fmt(run.reply_median_ms, '{:.1f}')}/{fmt(run.reply_p95_ms, '{:.1f}')} ms"
        api = f"{fmt(run.api_median_ms, '{:.1f}')}/{fmt(run.api_p95_ms, '{:.1f}')} ms"
        calls = str(run.api_requests) if run.dashboard else "-"
        print(
            f"{number:>3}  {'with' if run.dashboard else 'without':<9}  "
            f"{f'{run.questions}/{run.reply_timeouts}':>13}  {reply:>18}  {calls:>9}  "
            f"{api if run.dashboard else '-':>16}  {fmt(run.bot_cpu_s, '{:.1f} s'):>7}"
        )
        for problem in [run.error, *run.api_errors[:3], *run.log_problems[:3]]:
            if problem:
                print(f"     problem: {problem}")
    print("\nper endpoint, all runs with the dashboard:")
    for name, figures in summary["api_per_endpoint"].items():
        print(
            f"  {name:<9} {figures['requests']:>6} requests, median {figures['median_ms']:.1f} "
            f"ms, p95 {figures['p95_ms']:.1f} ms, max {figures['max_ms']:.1f} ms"
        )
    api, reply = summary["api_p95_ms"], summary["reply_p95_factor"]
    pairs = ", ".join(fmt(value, "{:.2f}x") for value in reply["per_pair"])
    print(
        f"\ndashboard API p95 {fmt(api['value'], '{:.1f} ms')} (median over the runs; target "
        f"{api['target']}): {_verdict(api['met'])}"
    )
    print(
        f"partners' reply p95 with the dashboard = {fmt(reply['value'], '{:.2f}x')} without "
        f"(target {reply['target']}): {_verdict(reply['met'])}   [pairs: {pairs}]"
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=2000, help="registrations (2000)")
    parser.add_argument("--organisers", type=int, default=4, help="dashboards open (4)")
    parser.add_argument("--chatters", type=int, default=50, help="partners asking (50)")
    parser.add_argument("--seconds", type=float, default=30.0, help="load per run (30)")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs without and with (3)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    print(
        f"dashboard: {args.partners:,} registrations, {args.organisers} organisers every "
        f"{REFRESH:g} s, {args.chatters} partners asking every {common.QUESTION_INTERVAL:g} s, "
        f"{args.seconds:g} s per run, {args.repeat} pair(s) of runs; Python "
        f"{platform.python_version()}, PTB {telegram.__version__}, {os.cpu_count()} CPUs"
    )
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="partnerbot-dashboard-") as tmp:
        for number in range(args.repeat * 2):
            # without, with, with, without, ...: drift hits both alike
            dashboard = number % 4 in (1, 2)
            print(f"run {number + 1}/{args.repeat * 2}, {'with' if dashboard else 'without'}")
            workdir = Path(tempfile.mkdtemp(prefix=f"run{number + 1}-", dir=tmp))
            runs.append(await run_once(dashboard, args, workdir))
    summary = summarise(runs)
    print_report(runs, summary)
    common.write_report(
        args.output,
        {
            "benchmark": "dashboard_load",
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "config": vars(args) | {"output": str(args.output), "cpus": os.cpu_count()},
            "summary": summary,
            "runs": [asdict(run) for run in runs],
        },
    )
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(asyncio.run(main()))
