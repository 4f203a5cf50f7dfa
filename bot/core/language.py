"""Which language to speak with a user, and the callback data of /language's buttons."""

from __future__ import annotations

from bot.programme.model import Language


def resolve_language(chosen: str | None, telegram_code: str | None, default: Language) -> Language:
    """The user's explicit choice, else their Telegram app language (de…/en…), else the default."""
    if chosen in ("de", "en"):
        return chosen  # type: ignore[return-value]
    code = (telegram_code or "").lower()
    if code.startswith("de"):
        return "de"
    if code.startswith("en"):
        return "en"
    return default


LANGUAGE_PREFIX = "lang:"
LANGUAGE_PATTERN = f"^{LANGUAGE_PREFIX}"


def language_choice(code: Language) -> str:
    return f"{LANGUAGE_PREFIX}{code}"


def parse_language_choice(data: str | None) -> Language | None:
    """The language a /language button picks; None for an unknown one."""
    code = (data or "").removeprefix(LANGUAGE_PREFIX)
    if code == "de":
        return "de"
    if code == "en":
        return "en"
    return None
