"""Every text the bot sends, from one catalogue per language (`bot/locales/<lang>/*.yaml`).

Each area of the bot keeps its texts in a file of its own; a key may exist in only one file.

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
            catalogue: dict[str, str] = {}
            for path in sorted((folder / language).glob("*.yaml")):
                entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
                if twice := catalogue.keys() & {str(key) for key in entries}:
                    raise ValueError(f"{path}: texts defined in another file too: {sorted(twice)}")
                catalogue.update({str(key): str(value) for key, value in entries.items()})
            catalogues[language] = catalogue
        return cls(catalogues)

    def keys(self, language: Language) -> set[str]:
        return set(self._catalogues[language])

    def template(self, language: Language, key: str) -> str:
        return self._catalogues[language][key]

    def plain(self, language: Language, key: str, /, **params: object) -> str:
        """For button labels, which Telegram shows as written: nothing is escaped."""
        return self._catalogues[language][key].format(**params)

    def get(self, language: Language, key: str, /, **params: object) -> Html:
        safe = {
            name: value if isinstance(value, Html) else escape(str(value))
            for name, value in params.items()
        }
        return Html(self._catalogues[language][key].format(**safe))
