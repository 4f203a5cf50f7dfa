"""The /stats chart is a small PNG, drawn without pyplot, even with no data at all."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from matplotlib.image import imread

from bot.programme.model import Language
from bot.registration.charts import confirmations_chart

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
START = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
WIDTH, HEIGHT = 960, 540


def assert_png(data: bytes) -> None:
    assert data.startswith(PNG_MAGIC)
    assert len(data) < 200_000
    image = imread(io.BytesIO(data), format="png")
    assert image.shape[:2] == (HEIGHT, WIDTH)


@pytest.mark.parametrize("language", ["de", "en"])
def test_many_points(language: Language) -> None:
    """How long drawing takes is measured in bench/answer_speed.py, not here."""
    points = [(START + timedelta(hours=7 * i), 3 * i) for i in range(120)]
    data = confirmations_chart(points, 250, language, "Zusagen", now=START + timedelta(days=40))
    assert_png(data)


def test_no_points() -> None:
    assert_png(confirmations_chart([], 250, "de", "Zusagen"))
    assert_png(confirmations_chart([], 250, "en", "Confirmations", now=START))


def test_single_point() -> None:
    assert_png(confirmations_chart([(START, 4)], 250, "de", "Zusagen"))
    assert_png(confirmations_chart([(START, 4)], 250, "en", "Zusagen", now=START))
    later = START + timedelta(days=2)
    assert_png(confirmations_chart([(START, 4)], 250, "en", "Zusagen", now=later))


def test_over_capacity_and_emoji_title_without_warnings() -> None:
    points = [(START, 10), (START + timedelta(minutes=5), 400)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = confirmations_chart(points, 250, "de", "Zusagen – Klimakonferenz 🌍 👩‍👩‍👧")
    assert_png(data)


def test_pyplot_is_never_imported() -> None:
    code = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from bot.registration.charts import confirmations_chart\n"
        "confirmations_chart([(datetime(2025, 5, 1, tzinfo=UTC), 1)], 10, 'de', 'x')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
