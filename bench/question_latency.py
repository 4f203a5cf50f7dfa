"""Reply latency and throughput of Partnerbot, side by side with a minimal PTB echo bot.

Both bots run as subprocesses (so they do not share a Python process or GIL with the load
generator) against the local Bot API emulator that runs in this process. For each bot:

1. Startup: the time from spawning the process until its reply to ``/start`` arrives (the
   ``/start`` is sent right after spawning and waits in the emulator until the bot polls).
2. New users: ``--users`` simulated users (German and English app language) the bot has never
   seen each ask ``--new-rounds`` programme questions (default 4) in a closed loop: send, wait for
   the first reply to that chat, send the next. Their first contact is counted, as when partners
   arrive in a wave after the invitation mail.
3. Returning users: the same users, now known to the bot, ask one question each (a warm-up, not
   counted), then ``--rounds`` questions each in the same closed loop.

Latency is send -> first reply; throughput is answered questions / wall time.

Run from the repository root::

    .venv/bin/python bench/question_latency.py [--users 50] [--new-rounds 4] [--rounds 20]
                                               [--repeat 3] [--modes new,returning]

The bots run ``--repeat`` times each in turns (Partnerbot, echo bot, echo bot, Partnerbot, ...):
the machine is shared and its speed drifts, so every figure is the median over the runs, and
each ratio is also shown per pair of neighbouring runs. ``--py-spy FILE`` samples Partnerbot's
phases in the first run with py-spy (``.venv/bin/pip install py-spy``; not a project
dependency), one file per phase (``FILE`` with ``-new`` or ``-returning`` before the suffix).

Prints a table per phase and the ratios against the targets (new users: throughput >= 80 % of
the echo bot's and p95 within 1.5x of it; returning users: >= 90 % and 1.3x; startup to first
answer under 2 s) and writes the same figures to ``bench/results/question_latency.json``. It
measures and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import common
import telegram

from bot.emulator import TelegramEmulator, User

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "question_latency.json"
TOKEN = "123456:" + "B" * 35
REPLY_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

MAX_STARTUP_SECONDS = 2.0


@dataclass(frozen=True)
class Phase:
    """One kind of load, with its targets: Partnerbot against the echo bot under the same load."""

    key: str
    label: str
    warm_up: bool  # one uncounted question per user first
    min_throughput_share: float
    max_p95_factor: float


NEW_USERS = Phase("new", "new users", False, 0.80, 1.5)
RETURNING_USERS = Phase("returning", "returning users", True, 0.90, 1.3)
PHASES = {phase.key: phase for phase in (NEW_USERS, RETURNING_USERS)}

# Realistic programme questions (each one the matcher answers; see tests/unit/test_answers.py).
QUESTIONS: dict[str, tuple[str, ...]] = {
    "de": (
        "Wann beginnt die Keynote?",
        "Wo findet die Konferenz statt?",
        "Gibt es Parkmöglichkeiten in der Nähe?",
        "Wie komme ich vom Hauptbahnhof zur Alten Handelsbörse?",
        "Wer hält den Hauptvortrag?",
        "Wie sieht der Ablauf aus?",
        "Gibt es vegetarische Optionen?",
        "Muss ich einen Anzug tragen?",
        "Ab wann ist Einlass?",
        "Ist der Saal stufenlos erreichbar?",
    ),
    "en": (
        "When does the keynote start?",
        "whats the address",
        "Is there a car park nearby?",
        "how do I get there from the main station",
        "what's the keynote about",
        "schedule for tonight pls",
        "Is there vegan food?",
        "Is a tie required?",
        "When do the doors open?",
        "is the building wheelchair accessible",
    ),
}

# Settings the bots read; removed from the inherited environment so nothing leaks in.
_BOT_SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "DATABASE_URL",
    "PROGRAMME_FILE",
    "DEFAULT_LANGUAGE",
    "ADMIN_IDS",
    "ORGANISER_CHAT_ID",
    "FLOOD_MAX_UPDATES",
    "FLOOD_WINDOW",
    "WEBHOOK_URL",
)


@dataclass(frozen=True)
class BotSpec:
    """How to start one of the bots under test."""

    key: str
    label: str
    argv: tuple[str, ...]
    extra_env: dict[str, str] = field(default_factory=dict)


@dataclass
class BotResult:
    """The figures of one bot; latencies in milliseconds."""

    label: str
    started: bool = False
    startup_s: float | None = None
    questions: int = 0
    timeouts: int = 0
    messages_sent: int = 0
    wall_s: float = 0.0
    replies_per_s: float | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    bot_cpu_ms_per_reply: float | None = None
    bench_cpu_ms_per_reply: float | None = None
    error: str | None = None


async def ask(
    emulator: TelegramEmulator, watcher: common.ReplyWatcher, user: User, text: str
) -> float | None:
    """Send ``text`` as ``user``; the seconds until the first reply, None on timeout."""
    reply = watcher.expect(user.id)
    sent_at = time.perf_counter()
    emulator.send_text(user, text)
    try:
        async with asyncio.timeout(REPLY_TIMEOUT):
            return await reply - sent_at
    except TimeoutError:
        watcher.forget(user.id)
        return None


def _bot_env(base_url: str, spec: BotSpec) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _BOT_SETTINGS}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=base_url, PYTHONUNBUFFERED="1")
    env.update(spec.extra_env)
    return env


def _make_users(emulator: TelegramEmulator, count: int) -> list[User]:
    languages = itertools.cycle(("de", "en"))
    return [
        emulator.user(first_name=f"Partner {n}", language_code=next(languages))
        for n in range(1, count + 1)
    ]


def _question(user: User, number: int, index: int) -> str:
    """User ``index`` asks question ``number``: own language, staggered so users differ."""
    questions = QUESTIONS[user.language_code or "de"]
    return questions[(index + number) % len(questions)]


async def run_bot(
    spec: BotSpec,
    users: int,
    rounds: dict[Phase, int],
    workdir: Path,
    profile: Path | None = None,
) -> dict[str, BotResult]:
    """Start one bot against a fresh emulator, measure startup and each phase, stop it."""
    results = {phase.key: BotResult(label=spec.label) for phase in rounds}
    watcher = common.ReplyWatcher()
    stderr_path = workdir / f"{spec.key}.stderr.log"
    started = False
    async with TelegramEmulator() as emulator:
        emulator.add_listener(watcher)
        opener = emulator.user(first_name="Startup", language_code="de")
        people = _make_users(emulator, users)
        with stderr_path.open("wb") as stderr:
            started_at = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                *spec.argv,
                cwd=workdir,  # no stray .env from the checkout
                env=_bot_env(emulator.base_url, spec),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr,
            )
            first_reply = watcher.expect(opener.id)
            emulator.send_text(opener, "/start")
            try:
                failure = await common.await_startup(process, first_reply)
                if failure is not None:
                    for result in results.values():
                        result.error = failure
                    print(f"  {spec.label} failed to start: {failure}; its stderr ends with:")
                    print(common.tail(stderr_path, 30))
                    return results
                started = True
                startup_s = first_reply.result() - started_at
                print(f"  {spec.label}: first answer {startup_s:.2f} s after spawning")
                for phase, count in rounds.items():
                    result = results[phase.key]
                    result.started, result.startup_s = True, startup_s
                    spy = None if profile is None else _phase_file(profile, phase)
                    load = Load(emulator, watcher, people, count, process.pid)
                    await load.run(phase, result, spy)
            finally:
                await common.stop_process(process)
                stderr.flush()
                if started:  # a failed start has shown the log already
                    _report_stderr(spec, process, stderr_path)
    return results


def _phase_file(profile: Path, phase: Phase) -> Path:
    return profile.with_name(f"{profile.stem}-{phase.key}{profile.suffix}")


def _report_stderr(spec: BotSpec, process: asyncio.subprocess.Process, path: Path) -> None:
    """Show the bot's log tail if it logged errors or did not exit cleanly."""
    text = path.read_text(errors="replace") if path.exists() else ""
    bad_exit = process.returncode not in (0, -signal.SIGTERM)
    if bad_exit or "Traceback" in text or " ERROR " in text:
        print(f"  {spec.label} exited with {process.returncode}; its stderr ends with:")
        print(common.tail(path, 30))


@dataclass
class Load:
    """All users asking at once, each in a closed loop, against one running bot."""

    emulator: TelegramEmulator
    watcher: common.ReplyWatcher
    people: Sequence[User]
    rounds: int
    pid: int

    async def run(self, phase: Phase, result: BotResult, profile: Path | None = None) -> None:
        """Optionally a warm-up round, then the measured rounds (optionally sampled by py-spy
        into ``profile``)."""
        emulator, watcher, people = self.emulator, self.watcher, self.people
        if phase.warm_up:
            warm = await asyncio.gather(
                *(ask(emulator, watcher, u, _question(u, 0, i)) for i, u in enumerate(people))
            )
            if any(w is None for w in warm):
                print(f"  warning: {warm.count(None)} warm-up question(s) got no reply")

        latencies: list[float] = []

        async def partner(index: int, user: User) -> None:
            for number in range(1, self.rounds + 1):
                seconds = await ask(emulator, watcher, user, _question(user, number, index))
                if seconds is None:
                    result.timeouts += 1
                else:
                    latencies.append(seconds)

        spy = await _start_py_spy(self.pid, profile) if profile is not None else None
        messages_before = len(watcher.all_sent)
        bot_cpu_before = common.process_cpu_seconds(self.pid)
        bench_cpu_before = time.process_time()
        began = time.perf_counter()
        await asyncio.gather(*(partner(i, u) for i, u in enumerate(people)))
        result.wall_s = time.perf_counter() - began
        bench_cpu = time.process_time() - bench_cpu_before
        bot_cpu_after = common.process_cpu_seconds(self.pid)
        if spy is not None:
            await _stop_py_spy(spy, profile)

        result.questions = len(latencies)
        result.messages_sent = len(watcher.all_sent) - messages_before
        if not latencies:
            result.error = "no question was answered"
            return
        ms = sorted(s * 1000 for s in latencies)
        result.replies_per_s = len(latencies) / result.wall_s
        result.median_ms = statistics.median(ms)
        result.p95_ms = common.percentile(ms, 95)
        result.max_ms = ms[-1]
        result.bench_cpu_ms_per_reply = bench_cpu * 1000 / len(latencies)
        if bot_cpu_before is not None and bot_cpu_after is not None:
            cpu_ms = (bot_cpu_after - bot_cpu_before) * 1000
            result.bot_cpu_ms_per_reply = cpu_ms / len(latencies)


async def _start_py_spy(pid: int, output: Path) -> asyncio.subprocess.Process | None:
    """Sample the bot with py-spy (``.venv/bin/pip install py-spy``); format by extension:
    ``.svg`` flame graph, ``.json`` speedscope, anything else collapsed stacks."""
    executable = Path(sys.executable).with_name("py-spy")
    if not executable.exists():
        print(f"  {executable} not found: pip install py-spy into the venv to profile")
        return None
    formats = {".svg": "flamegraph", ".json": "speedscope"}
    output.parent.mkdir(parents=True, exist_ok=True)
    spy = await asyncio.create_subprocess_exec(
        str(executable),
        "record",
        "--pid",
        str(pid),
        "--rate",
        "250",
        "--format",
        formats.get(output.suffix, "raw"),
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await asyncio.sleep(0.5)  # let it attach before the load starts
    return spy


async def _stop_py_spy(spy: asyncio.subprocess.Process, output: Path | None) -> None:
    """SIGINT makes py-spy write its output and exit."""
    with contextlib.suppress(ProcessLookupError):
        spy.send_signal(signal.SIGINT)
    try:
        async with asyncio.timeout(STOP_TIMEOUT):
            await spy.wait()
    except TimeoutError:
        spy.kill()
        await spy.wait()
    print(f"  py-spy profile of the load phase: {output}")


# ------------------------------------------------------------------------------------ report


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def _paired_ratios(
    partner_runs: Sequence[BotResult], echo_runs: Sequence[BotResult], figure: str
) -> list[float]:
    """Partnerbot's figure over the echo bot's, run by run: each pair ran back to back, so a
    drift of the machine's speed between pairs cancels out."""
    ratios = (
        _ratio(getattr(partner, figure), getattr(echo, figure))
        for partner, echo in zip(partner_runs, echo_runs, strict=True)
    )
    return [ratio for ratio in ratios if ratio is not None]


def summarise(
    phase: Phase, partner_runs: Sequence[BotResult], echo_runs: Sequence[BotResult]
) -> dict[str, Any]:
    """The ratios against the targets (median over the pairs of runs), each with whether it is
    met, and the ratio of each pair."""
    throughputs = _paired_ratios(partner_runs, echo_runs, "replies_per_s")
    p95s = _paired_ratios(partner_runs, echo_runs, "p95_ms")
    throughput = statistics.median(throughputs) if throughputs else None
    p95 = statistics.median(p95s) if p95s else None
    startup = aggregate(partner_runs).startup_s
    return {
        "throughput_share_of_echo": {
            "value": throughput,
            "per_pair": throughputs,
            "target": f">= {phase.min_throughput_share:.0%}",
            "met": None if throughput is None else throughput >= phase.min_throughput_share,
        },
        "p95_factor_of_echo": {
            "value": p95,
            "per_pair": p95s,
            "target": f"<= {phase.max_p95_factor:g}x",
            "met": None if p95 is None else p95 <= phase.max_p95_factor,
        },
        "partnerbot_startup_s": {
            "value": startup,
            "target": f"< {MAX_STARTUP_SECONDS:g} s",
            "met": None if startup is None else startup < MAX_STARTUP_SECONDS,
        },
    }


def print_report(
    phase: Phase,
    partner: BotResult,
    echo: BotResult,
    targets: dict[str, Any],
    *,
    median_of: int = 1,
) -> None:
    fmt = common.fmt
    rows: list[tuple[str, Callable[[BotResult], str]]] = [
        ("median reply latency", lambda r: fmt(r.median_ms, "{:.1f} ms")),
        ("p95 reply latency", lambda r: fmt(r.p95_ms, "{:.1f} ms")),
        ("max reply latency", lambda r: fmt(r.max_ms, "{:.1f} ms")),
        ("replies per second", lambda r: fmt(r.replies_per_s, "{:.1f}")),
        ("answered / timed out", lambda r: f"{r.questions} / {r.timeouts}"),
        ("bot CPU per reply", lambda r: fmt(r.bot_cpu_ms_per_reply, "{:.2f} ms")),
        ("emulator+load CPU per reply", lambda r: fmt(r.bench_cpu_ms_per_reply, "{:.2f} ms")),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    median = f", median of {median_of} runs per bot" if median_of > 1 else ""
    print(f"{phase.label}{median} (answered / timed out: totals)")
    print(f"{'':<{width}}  {partner.label:>12}  {echo.label:>12}")
    for name, cell in rows:
        print(f"{name:<{width}}  {cell(partner):>12}  {cell(echo):>12}")
    throughput, p95 = targets["throughput_share_of_echo"], targets["p95_factor_of_echo"]
    pairs = ", ".join(fmt(value, "{:.0%}") for value in throughput["per_pair"])
    print(
        f"throughput: Partnerbot = {fmt(throughput['value'], '{:.0%}')} of echo "
        f"(target {throughput['target']}): {_verdict(throughput['met'])}   [pairs: {pairs}]"
    )
    pairs = ", ".join(fmt(value, "{:.2f}x") for value in p95["per_pair"])
    print(
        f"p95:        Partnerbot = {fmt(p95['value'], '{:.2f}x')} echo "
        f"(target {p95['target']}): {_verdict(p95['met'])}   [pairs: {pairs}]"
    )


def print_startup(partner: BotResult, echo: BotResult, targets: dict[str, Any]) -> None:
    startup = targets["partnerbot_startup_s"]
    print(
        f"\nstartup to first answer: Partnerbot {common.fmt(partner.startup_s, '{:.2f} s')}, "
        f"echo bot {common.fmt(echo.startup_s, '{:.2f} s')} "
        f"(target {startup['target']}): {_verdict(startup['met'])}"
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument(
        "--new-rounds",
        type=int,
        default=4,
        help="questions per new user, the first contact included (default 4)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=20,
        help="measured questions per returning user (default 20)",
    )
    parser.add_argument(
        "--modes",
        default="new,returning",
        help="phases to run, in this order: new, returning or both (default new,returning)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per bot, alternating the order; figures are medians (default 3)",
    )
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="FILE",
        help="profile Partnerbot's phases with py-spy (.svg, .json or collapsed stacks)",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})"
    )
    args = parser.parse_args(argv)
    unknown = [key for key in args.modes.split(",") if key not in PHASES]
    if unknown or not args.modes:
        parser.error(f"--modes takes new and/or returning, not {args.modes!r}")
    return args


def bot_specs(workdir: Path) -> tuple[BotSpec, BotSpec]:
    """Partnerbot (with a fresh SQLite file in ``workdir``) and the echo bot."""
    partnerbot = BotSpec(
        key="partnerbot",
        label="Partnerbot",
        argv=(sys.executable, "-m", "bot", "run"),
        extra_env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'partnerbot.sqlite3'}",
            "PROGRAMME_FILE": str(ROOT / "bot" / "programme" / "klimakonferenz.yaml"),
            "DEFAULT_LANGUAGE": "de",
            # Each simulated user asks ~9 questions a second, far faster than a person types
            # and over the flood limit of 20 in 10 s; the benchmark measures throughput, so
            # flood control (the same for every user) is lifted out of its way.
            "FLOOD_MAX_UPDATES": "1000000",
        },
    )
    echo = BotSpec(
        key="echo", label="echo bot", argv=(sys.executable, str(ROOT / "bench" / "echo_bot.py"))
    )
    return partnerbot, echo


def aggregate(runs: Sequence[BotResult]) -> BotResult:
    """One result from repeated runs: the median of each figure, the sum of the counts."""
    combined = BotResult(label=runs[0].label)
    started = [run for run in runs if run.started]
    combined.started = bool(started)
    combined.error = "; ".join(sorted({run.error for run in runs if run.error})) or None
    for name in ("questions", "timeouts", "messages_sent"):
        setattr(combined, name, sum(getattr(run, name) for run in runs))
    for name in (
        "startup_s",
        "wall_s",
        "replies_per_s",
        "median_ms",
        "p95_ms",
        "max_ms",
        "bot_cpu_ms_per_reply",
        "bench_cpu_ms_per_reply",
    ):
        values = [getattr(run, name) for run in started if getattr(run, name) is not None]
        setattr(combined, name, statistics.median(values) if values else None)
    return combined


async def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    phases = [PHASES[key] for key in args.modes.split(",")]
    rounds = {phase: args.new_rounds if phase is NEW_USERS else args.rounds for phase in phases}
    plan = ", then ".join(
        f"{phase.label} x {count} rounds" + (" (+1 warm-up)" if phase.warm_up else "")
        for phase, count in rounds.items()
    )
    print(
        f"{args.users} users: {plan}; {args.repeat} run(s) per bot, "
        f"Python {platform.python_version()}, PTB {telegram.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    runs: dict[str, dict[str, list[BotResult]]] = {
        phase.key: {"partnerbot": [], "echo": []} for phase in phases
    }
    with tempfile.TemporaryDirectory(prefix="partnerbot-bench-") as tmp:
        for number in range(args.repeat):
            workdir = Path(tmp) / f"run{number + 1}"
            workdir.mkdir()
            specs = bot_specs(workdir)
            # Alternate the order so drift on a shared machine hits both bots alike.
            for spec in specs if number % 2 == 0 else reversed(specs):
                print(f"run {number + 1}/{args.repeat}, {spec.label}:")
                profile = args.py_spy if spec.key == "partnerbot" and number == 0 else None
                results = await run_bot(spec, args.users, rounds, workdir, profile)
                for key, result in results.items():
                    runs[key][spec.key].append(result)

    report: dict[str, Any] = {
        "benchmark": "question_latency",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {
            "users": args.users,
            "rounds": {phase.key: count for phase, count in rounds.items()},
            "repeat": args.repeat,
            "python": platform.python_version(),
            "python_telegram_bot": telegram.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "phases": {},
    }
    fmt = common.fmt
    for phase in phases:
        phase_runs = runs[phase.key]
        partner, echo = aggregate(phase_runs["partnerbot"]), aggregate(phase_runs["echo"])
        targets = summarise(phase, phase_runs["partnerbot"], phase_runs["echo"])
        if args.repeat > 1:
            print(f"\n{phase.label}, per run (replies/s, p95 ms):")
            for key, label in (("partnerbot", partner.label), ("echo", echo.label)):
                cells = [
                    f"{fmt(run.replies_per_s, '{:.0f}')}/s {fmt(run.p95_ms, '{:.0f}')} ms"
                    for run in phase_runs[key]
                ]
                print(f"  {label:<12} " + ", ".join(cells))
        print_report(phase, partner, echo, targets, median_of=args.repeat)
        report["phases"][phase.key] = {
            "results": {"partnerbot": asdict(partner), "echo": asdict(echo)},
            "targets": targets,
            "runs": {key: [asdict(run) for run in results] for key, results in phase_runs.items()},
        }
    first = runs[phases[0].key]
    partner, echo = aggregate(first["partnerbot"]), aggregate(first["echo"])
    print_startup(partner, echo, summarise(phases[0], first["partnerbot"], first["echo"]))

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nwrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
