"""Reply latency and throughput of Partnerbot, side by side with a minimal PTB echo bot.

Both bots run as subprocesses (so they do not share a Python process or GIL with the load
generator) against the local Bot API emulator that runs in this process. For each bot:

1. Startup: the time from spawning the process until its reply to ``/start`` arrives (the
   ``/start`` is sent right after spawning and waits in the emulator until the bot polls).
2. Warm-up: every user asks one question; not counted.
3. Load: ``--users`` simulated users (German and English app language) each ask ``--rounds``
   programme questions in a closed loop: send, wait for the first reply to that chat, send the
   next. Latency is send -> first reply; throughput is answered questions / wall time.

Run from the repository root::

    .venv/bin/python bench/question_latency.py [--users 50] [--rounds 20] [--repeat 3]

Each bot runs ``--repeat`` times, alternating which goes first (the machine is shared and
noisy); the table shows the median of each figure. ``--py-spy FILE`` samples Partnerbot's
first load phase with py-spy (``.venv/bin/pip install py-spy``; not a project dependency).

Prints a table and the ratios against the targets (throughput >= 70% of the echo bot's, p95
within 2x of it, startup to first answer under 2 s) and writes the same figures to
``bench/results/question_latency.json``. It measures and reports; it asserts nothing.
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

# Targets from the issue: Partnerbot against the echo bot under the same load.
MIN_THROUGHPUT_SHARE = 0.70
MAX_P95_FACTOR = 2.0
MAX_STARTUP_SECONDS = 2.0

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
    spec: BotSpec, users: int, rounds: int, workdir: Path, profile: Path | None = None
) -> BotResult:
    """Start one bot against a fresh emulator, measure startup and load, stop it."""
    result = BotResult(label=spec.label)
    watcher = common.ReplyWatcher()
    stderr_path = workdir / f"{spec.key}.stderr.log"
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
                    result.error = failure
                    print(f"  {spec.label} failed to start: {failure}; its stderr ends with:")
                    print(common.tail(stderr_path, 30))
                    return result
                result.started = True
                result.startup_s = first_reply.result() - started_at
                print(f"  {spec.label}: first answer {result.startup_s:.2f} s after spawning")
                await _load(emulator, watcher, people, rounds, process.pid, result, profile)
            finally:
                await common.stop_process(process)
                stderr.flush()
                if result.started:  # a failed start has shown the log already
                    _report_stderr(spec, process, stderr_path)
    return result


def _report_stderr(spec: BotSpec, process: asyncio.subprocess.Process, path: Path) -> None:
    """Show the bot's log tail if it logged errors or did not exit cleanly."""
    text = path.read_text(errors="replace") if path.exists() else ""
    bad_exit = process.returncode not in (0, -signal.SIGTERM)
    if bad_exit or "Traceback" in text or " ERROR " in text:
        print(f"  {spec.label} exited with {process.returncode}; its stderr ends with:")
        print(common.tail(path, 30))


async def _load(
    emulator: TelegramEmulator,
    watcher: common.ReplyWatcher,
    people: Sequence[User],
    rounds: int,
    pid: int,
    result: BotResult,
    profile: Path | None = None,
) -> None:
    """Warm-up round, then the measured closed loop of all users at once (optionally
    sampled by py-spy into ``profile``)."""
    warm = await asyncio.gather(
        *(ask(emulator, watcher, u, _question(u, 0, i)) for i, u in enumerate(people))
    )
    if any(w is None for w in warm):
        print(f"  warning: {warm.count(None)} warm-up question(s) got no reply")

    latencies: list[float] = []

    async def partner(index: int, user: User) -> None:
        for number in range(1, rounds + 1):
            seconds = await ask(emulator, watcher, user, _question(user, number, index))
            if seconds is None:
                result.timeouts += 1
            else:
                latencies.append(seconds)

    spy = await _start_py_spy(pid, profile) if profile is not None else None
    messages_before = len(watcher.all_sent)
    bot_cpu_before = common.process_cpu_seconds(pid)
    bench_cpu_before = time.process_time()
    began = time.perf_counter()
    await asyncio.gather(*(partner(i, u) for i, u in enumerate(people)))
    result.wall_s = time.perf_counter() - began
    bench_cpu = time.process_time() - bench_cpu_before
    bot_cpu_after = common.process_cpu_seconds(pid)
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
    result.p95_ms = _percentile(ms, 95)
    result.max_ms = ms[-1]
    result.bench_cpu_ms_per_reply = bench_cpu * 1000 / len(latencies)
    if bot_cpu_before is not None and bot_cpu_after is not None:
        result.bot_cpu_ms_per_reply = (bot_cpu_after - bot_cpu_before) * 1000 / len(latencies)


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


def _percentile(ordered: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


# ------------------------------------------------------------------------------------ report


def _fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def summarise(partner: BotResult, echo: BotResult) -> dict[str, Any]:
    """The ratios against the targets, each with whether it is met."""
    throughput = _ratio(partner.replies_per_s, echo.replies_per_s)
    p95 = _ratio(partner.p95_ms, echo.p95_ms)
    return {
        "throughput_share_of_echo": {
            "value": throughput,
            "target": f">= {MIN_THROUGHPUT_SHARE:.0%}",
            "met": None if throughput is None else throughput >= MIN_THROUGHPUT_SHARE,
        },
        "p95_factor_of_echo": {
            "value": p95,
            "target": f"<= {MAX_P95_FACTOR:g}x",
            "met": None if p95 is None else p95 <= MAX_P95_FACTOR,
        },
        "partnerbot_startup_s": {
            "value": partner.startup_s,
            "target": f"< {MAX_STARTUP_SECONDS:g} s",
            "met": None if partner.startup_s is None else partner.startup_s < MAX_STARTUP_SECONDS,
        },
    }


def print_report(
    partner: BotResult, echo: BotResult, targets: dict[str, Any], *, median_of: int = 1
) -> None:
    rows: list[tuple[str, Callable[[BotResult], str]]] = [
        ("startup to first answer", lambda r: _fmt(r.startup_s, "{:.2f} s")),
        ("median reply latency", lambda r: _fmt(r.median_ms, "{:.1f} ms")),
        ("p95 reply latency", lambda r: _fmt(r.p95_ms, "{:.1f} ms")),
        ("max reply latency", lambda r: _fmt(r.max_ms, "{:.1f} ms")),
        ("replies per second", lambda r: _fmt(r.replies_per_s, "{:.1f}")),
        ("answered / timed out", lambda r: f"{r.questions} / {r.timeouts}"),
        ("bot CPU per reply", lambda r: _fmt(r.bot_cpu_ms_per_reply, "{:.2f} ms")),
        ("emulator+load CPU per reply", lambda r: _fmt(r.bench_cpu_ms_per_reply, "{:.2f} ms")),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    if median_of > 1:
        print(f"median of {median_of} runs per bot (answered / timed out: totals)")
    print(f"{'':<{width}}  {partner.label:>12}  {echo.label:>12}")
    for name, cell in rows:
        print(f"{name:<{width}}  {cell(partner):>12}  {cell(echo):>12}")
    print()
    throughput = targets["throughput_share_of_echo"]
    p95 = targets["p95_factor_of_echo"]
    startup = targets["partnerbot_startup_s"]
    print(
        f"throughput: Partnerbot = {_fmt(throughput['value'], '{:.0%}')} of echo "
        f"(target {throughput['target']}): {_verdict(throughput['met'])}"
    )
    print(
        f"p95:        Partnerbot = {_fmt(p95['value'], '{:.2f}x')} echo "
        f"(target {p95['target']}): {_verdict(p95['met'])}"
    )
    print(
        f"startup:    Partnerbot = {_fmt(startup['value'], '{:.2f} s')} "
        f"(target {startup['target']}): {_verdict(startup['met'])}"
    )


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument(
        "--rounds", type=int, default=20, help="measured questions per user (default 20)"
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
        help="profile Partnerbot's load phase with py-spy (.svg, .json or collapsed stacks)",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})"
    )
    return parser.parse_args(argv)


def bot_specs(workdir: Path) -> tuple[BotSpec, BotSpec]:
    """Partnerbot (with a fresh SQLite file in ``workdir``) and the echo bot."""
    partnerbot = BotSpec(
        key="partnerbot",
        label="Partnerbot",
        argv=(sys.executable, "-m", "bot", "run"),
        extra_env={
            "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'partnerbot.sqlite3'}",
            "PROGRAMME_FILE": str(ROOT / "bot" / "programmes" / "klimakonferenz.yaml"),
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
    print(
        f"{args.users} users x {args.rounds} rounds (+1 warm-up), {args.repeat} run(s) each, "
        f"Python {platform.python_version()}, PTB {telegram.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    runs: dict[str, list[BotResult]] = {"partnerbot": [], "echo": []}
    with tempfile.TemporaryDirectory(prefix="partnerbot-bench-") as tmp:
        for number in range(args.repeat):
            workdir = Path(tmp) / f"run{number + 1}"
            workdir.mkdir()
            specs = bot_specs(workdir)
            # Alternate the order so drift on a shared machine hits both bots alike.
            for spec in specs if number % 2 == 0 else reversed(specs):
                print(f"run {number + 1}/{args.repeat}, {spec.label}:")
                profile = args.py_spy if spec.key == "partnerbot" and number == 0 else None
                result = await run_bot(spec, args.users, args.rounds, workdir, profile)
                runs[spec.key].append(result)

    partner, echo = aggregate(runs["partnerbot"]), aggregate(runs["echo"])
    targets = summarise(partner, echo)
    if args.repeat > 1:
        print("\nper run (replies/s, p95 ms):")
        for key, label in (("partnerbot", partner.label), ("echo", echo.label)):
            cells = [
                f"{_fmt(run.replies_per_s, '{:.0f}')}/s {_fmt(run.p95_ms, '{:.0f}')} ms"
                for run in runs[key]
            ]
            print(f"  {label:<12} " + ", ".join(cells))
    print_report(partner, echo, targets, median_of=args.repeat)

    report = {
        "benchmark": "question_latency",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {
            "users": args.users,
            "rounds": args.rounds,
            "repeat": args.repeat,
            "python": platform.python_version(),
            "python_telegram_bot": telegram.__version__,
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "results": {"partnerbot": asdict(partner), "echo": asdict(echo)},
        "targets": targets,
        "runs": {key: [asdict(run) for run in results] for key, results in runs.items()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nwrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
