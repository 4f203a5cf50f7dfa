"""Every text the bot sends, from one catalogue per language (`bot/locales/<lang>/*.yaml`).

Each area of the bot keeps its texts in a file of its own; a key may exist in only one file.

Templates are Telegram HTML. Parameters are escaped unless they are `Html`, so text that came
from a user or an organiser can never break or inject markup.
"""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from bot.programme.model import LANGUAGES, Language

LOCALES = Path(__file__).parent.parent / "locales"


class Html(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


def escape(text: str) -> Html:
    return Html(html.escape(text, quote=False))


def _read_catalogue(path: Path) -> dict[str, str]:
    """One catalogue file; a key or value YAML did not read as text stops the start.

    Unquoted, YAML turns `No` into False and `yes` into True; passed on, a partner would read
    "False" on a button. So the file and key are named and nothing is guessed.
    """
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected key: text lines")
    for key, value in entries.items():
        if not isinstance(key, str):
            raise ValueError(f"{path}: the key {key!r} is not text; put it in quotes")
        if not isinstance(value, str):
            raise ValueError(
                f"{path}: {key}: YAML read the value as {value!r}, not as text; "
                "put it in quotes (unquoted yes, no, on, off, true, false and numbers are not text)"
            )
    return entries


class Texts:
    def __init__(self, catalogues: dict[Language, dict[str, str]]) -> None:
        self._catalogues = catalogues

    @classmethod
    def load(cls, folder: Path = LOCALES) -> Texts:
        catalogues: dict[Language, dict[str, str]] = {}
        for language in LANGUAGES:
            catalogue: dict[str, str] = {}
            for path in sorted((folder / language).glob("*.yaml")):
                entries = _read_catalogue(path)
                if twice := catalogue.keys() & entries.keys():
                    raise ValueError(f"{path}: texts defined in another file too: {sorted(twice)}")
                catalogue.update(entries)
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
