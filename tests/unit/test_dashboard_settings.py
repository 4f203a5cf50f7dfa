"""The dashboard is configured or refused at start, with one line for the operator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.config import DashboardSettings
from tests.unit.test_cli import run_bot

TOKEN = "123456:" + "A" * 35


def dashboard(**env: str) -> DashboardSettings:
    return DashboardSettings(_env_file=None, **env)  # type: ignore[call-arg]


def test_without_a_url_the_dashboard_is_off() -> None:
    settings = dashboard()
    assert not settings.enabled
    assert settings.auth_max_age == timedelta(hours=1)
    assert (settings.listen, settings.port) == ("127.0.0.1", 8081)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/dashboard", "/dashboard/"),
        ("https://bot.example.org", "/"),
        ("http://127.0.0.1:8081/", "/"),
        ("http://localhost:8081/d/", "/d/"),
    ],
)
def test_https_or_this_machine_is_taken_and_served_under_its_path(url: str, path: str) -> None:
    settings = dashboard(DASHBOARD_URL=url, DASHBOARD_TRUSTED_PROXIES="127.0.0.1, ::1")
    assert settings.enabled and settings.path == path
    assert settings.trusted_proxies == {"127.0.0.1", "::1"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DASHBOARD_URL": "http://bot.example.org/dashboard/"},
            "DASHBOARD_URL: expected an https://",
        ),
        ({"DASHBOARD_URL": "bot.example.org"}, "DASHBOARD_URL"),
        ({"DASHBOARD_AUTH_MAX_AGE": "an hour"}, "DASHBOARD_AUTH_MAX_AGE"),
    ],
)
def test_dashboard_mistakes_stop_the_start_with_one_line(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = run_bot(tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, **env)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
