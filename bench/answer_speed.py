"""What answering a question and drawing the /stats chart cost in CPU, in this process.

The answerer runs for every question a partner types, and a partner may paste Telegram's
longest message (4096 characters) of emoji, right-to-left script and markup. The chart is drawn
on every /stats. Both are plain function calls, so they are timed in-process, each figure the
median of ``--repeat`` runs (this machine is shared and its speed varies)::

    .venv/bin/python bench/answer_speed.py [--repeat 20]

Targets: a typical question well under a millisecond on average, the worst 4096-character
message under 20 ms, the chart with 120 points under a second. Prints a table and writes
``bench/results/answer_speed.json``. It measures and reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import common

from bot.programme.model import load_programme
from bot.questions.answering import Answerer, normalise
from bot.registration.charts import confirmations_chart

RESULTS = common.RESULTS / "answer_speed.json"
TELEGRAM_MAX = 4096
MAX_TYPICAL_MS = 1.0
MAX_LONG_MS = 20.0
MAX_CHART_MS = 1000.0
# Questions as partners type them, answerable or not, in both languages.
TYPICAL = (
    "Wann beginnt die Keynote?",
    "Wo kann ich mein Fahrrad abstellen?",
    "Gibt es vegetarisches Essen?",
    "Wie komme ich mit der Straßenbahn hin?",
    "Ist der Saal barrierefrei?",
    "Wer spricht am Abend?",
    "Kann ich meine Kollegin mitbringen?",
    "where is the venue",
    "When does the networking start?",
    "Is there a cloakroom?",
    "Wie ist das WLAN-Passwort?",
    "hallo",
)


def _filled(piece: str) -> str:
    return (piece * (TELEGRAM_MAX // len(piece) + 1))[:TELEGRAM_MAX]


def long_messages() -> dict[str, str]:
    """Telegram's longest messages, each built to make matching work hard in its own way."""
    return {
        "emoji, RTL, markup": _filled(
            "🌍 مرحبا <b>Saal</b> <script>x()</script> שלום \u202e keynote "
        ),
        "one huge word": "w" * TELEGRAM_MAX,
        "one compound, repeated": _filled("Fahrradstellplätze"),
        "near-miss words": _filled("Levermnn Handelsborse Kenyote Straßenban "),
    }


def median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(repeat: int) -> dict[str, float]:
    answerer = Answerer(load_programme(common.PROGRAMME))
    # Partners' questions are new each time: nothing of them is in the answerer's caches.
    figures = {
        "typical question, mean (ms)": median_ms(
            lambda: [(normalise.cache_clear(), answerer.match(q)) for q in TYPICAL], repeat
        )
        / len(TYPICAL)
    }
    for name, text in long_messages().items():
        figures[f"4096 chars, {name} (ms)"] = median_ms(
            lambda text=text: (normalise.cache_clear(), answerer.match(text)), repeat
        )
    start = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
    points = [(start + timedelta(hours=7 * i), 3 * i) for i in range(120)]
    figures["chart, 120 points (ms)"] = median_ms(
        lambda: confirmations_chart(points, 250, "de", "Zusagen", now=start + timedelta(days=40)),
        max(3, repeat // 4),
    )
    return figures


def target_of(name: str) -> float:
    if name.startswith("typical"):
        return MAX_TYPICAL_MS
    return MAX_CHART_MS if name.startswith("chart") else MAX_LONG_MS


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per figure (20)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    print(f"answer speed: median of {args.repeat} runs; Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    figures = measure(args.repeat)
    for name, value in figures.items():
        target = target_of(name)
        verdict = "ok" if value < target else "TOO SLOW"
        print(f"{name:<40} {value:9.3f}   target < {target:g}   {verdict}")
    report = {
        "benchmark": "answer_speed",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": {"repeat": args.repeat, "cpus": os.cpu_count()},
        "result": figures,
    }
    common.write_report(args.output, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
