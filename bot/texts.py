"""Every text the bot sends, from one catalogue per language (`bot/locales/<lang>.yaml`).

Templates are Telegram HTML. Parameters are escaped unless they are `Html`, so text that came
from a user or an organiser can never break or inject markup.
"""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from bot.programme import LANGUAGES, Language

LOCALES = Path(__file__).parent / "locales"


class Html(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def escape(text: str) -> Html:
    return Html(html.escape(text, quote=False))


class Texts:
    def __init__(self, catalogues: dict[Language, dict[str, str]]) -> None:
        self._catalogues = catalogues

    @classmethod
    def load(cls, folder: Path = LOCALES) -> Texts:
        catalogues: dict[Language, dict[str, str]] = {}
        for language in LANGUAGES:
            with (folder / f"{language}.yaml").open(encoding="utf-8") as file:
                catalogues[language] = {str(k): str(v) for k, v in yaml.safe_load(file).items()}
        return cls(catalogues)

    def keys(self, language: Language) -> set[str]:
        return set(self._catalogues[language])

    def template(self, language: Language, key: str) -> str:
        return self._catalogues[language][key]

    def get(self, language: Language, key: str, /, **params: object) -> Html:
        safe = {
            name: value if isinstance(value, Html) else escape(str(value))
            for name, value in params.items()
        }
        return Html(self._catalogues[language][key].format(**safe))
