"""Webhook mode is configured or refused at start, with one line for the operator."""

from __future__ import annotations

import pytest

from bot.core.config import ConfigError, WebhookSettings
from tests.unit.test_cli import run_bot

TOKEN = "123456:" + "A" * 35


def webhook(**env: str) -> WebhookSettings:
    return WebhookSettings(_env_file=None, **env)  # type: ignore[call-arg]


def test_without_a_url_the_bot_polls() -> None:
    settings = webhook()
    assert not settings.enabled
    assert (settings.listen, settings.port) == ("127.0.0.1", 8443)


def test_the_url_path_is_where_the_bot_listens() -> None:
    settings = webhook(WEBHOOK_URL="https://bot.example.org/telegram/hook", WEBHOOK_SECRET="abc")
    assert settings.enabled
    assert settings.path == "telegram/hook"
    assert settings.require_secret() == "abc"


@pytest.mark.parametrize("secret", [None, "", "has space", "umlaut-ä", "x" * 257])
def test_a_missing_or_malformed_secret_is_refused(secret: str | None) -> None:
    env = {"WEBHOOK_URL": "https://bot.example.org/telegram"}
    if secret is not None:
        env["WEBHOOK_SECRET"] = secret
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        webhook(**env).require_secret()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEBHOOK_URL": "https://bot.example.org/tg"}, "WEBHOOK_SECRET is not set"),
        (
            {"WEBHOOK_URL": "https://bot.example.org/tg", "WEBHOOK_SECRET": "no spaces please"},
            "WEBHOOK_SECRET is malformed",
        ),
        ({"WEBHOOK_URL": "http://bot.example.org/tg", "WEBHOOK_SECRET": "a"}, "WEBHOOK_URL"),
        ({"WEBHOOK_PORT": "http"}, "WEBHOOK_PORT"),
    ],
)
def test_webhook_mistakes_stop_the_start_with_one_line(
    tmp_path: object, env: dict[str, str], message: str
) -> None:
    result = run_bot(tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, **env)  # type: ignore[arg-type]
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
