"""What the dashboard says when a request cannot be done: on every page a sentence in the
organiser's language that says what to do, never a bare "bad request"."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.programme.model import Language
from tests.e2e.dashboard_steps import API, PAGE, client_for, signed_in
from tests.harness import RunningBot, StartBot

OLGA = 4343  # organiser (ADMIN_IDS)
KEY = "k" * 32

RELOAD = {
    "de": "Die Seite hat etwas geschickt, das der Bot nicht lesen konnte. "
    "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
    "en": "The page sent something the bot could not read. Please reload the page and try again.",
}
GONE = {
    "de": "Das gibt es nicht mehr. Bitte laden Sie die Seite neu.",
    "en": "This no longer exists. Please reload the page.",
}

# What the page (or someone fiddling with it) sends, and the text key of the answer.
BAD_REQUESTS: list[tuple[str, str, dict[str, object], str, int]] = [
    ("GET", "registrations?sort=shoe_size", {}, "dashboard.ui.bad_request", 400),
    ("GET", "registrations?page=two", {}, "dashboard.ui.bad_request", 400),
    ("GET", "registrations/99999", {}, "dashboard.ui.gone", 404),
    ("GET", "door/99999", {}, "dashboard.ui.stale", 404),
    ("POST", "door/1/checkin", {"token": 5, "persons": 1}, "dashboard.ui.bad_request", 400),
    ("POST", "door/1/checkin", {"token": "x", "persons": 0}, "dashboard.ui.persons_missing", 400),
    ("POST", "invites/revoke", {"code": "no code"}, "dashboard.ui.gone", 400),
    ("POST", "faq/1", {"answers": {}}, "dashboard.ui.faq_answer_missing", 400),
    ("POST", "faq/1", {"answers": ["de"]}, "dashboard.ui.bad_request", 400),
    ("POST", "faq/1", {"answers": {"de": " "}}, "dashboard.ui.answer_missing", 400),
    ("POST", "questions/1/answer", {"answer": ""}, "dashboard.ui.answer_missing", 400),
    ("GET", "announcements/audiences?organisations=x", {}, "dashboard.ui.bad_request", 400),
    ("POST", "announcements/preview", {"texts": "Hallo"}, "dashboard.ui.bad_request", 400),
    ("POST", "announcements/preview", {"texts": {}}, "dashboard.ui.ann_text_missing", 400),
    (
        "POST",
        "announcements",
        {"key": KEY, "audience": "", "organisations": [], "texts": {"de": "Hallo"}},
        "dashboard.ui.audience_missing",
        400,
    ),
    (
        "POST",
        "announcements",
        {"key": "short", "audience": "all", "organisations": [], "texts": {"de": "Hallo"}},
        "dashboard.ui.bad_request",
        400,
    ),
]


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({OLGA}), dashboard_url=PAGE)


@pytest.fixture
async def client(bot: RunningBot) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bot) as client:
        yield client


@pytest.mark.parametrize("language", ["de", "en"])
async def test_every_refusal_says_what_to_do_in_the_organisers_language(
    bot: RunningBot, client: httpx.AsyncClient, language: Language
) -> None:
    headers = await signed_in(client, bot, OLGA, language_code=language)
    texts = bot.services.texts
    for method, path, body, key, status in BAD_REQUESTS:
        url = f"{API}/{path}"
        response = await client.request(method, url, json=body or None, headers=headers)
        assert response.status_code == status, (path, body, response.text)
        assert response.json()["error"] == texts.plain(language, key), (path, body)
    no_file = await client.post(f"{API}/organisations/import", data={"x": "1"}, headers=headers)
    assert no_file.status_code == 400
    assert no_file.json()["error"] == texts.plain(language, "dashboard.ui.file_missing")
    # The two a reader checks by eye: both languages, no "bad request".
    bad = await client.get(f"{API}/registrations?sort=shoe_size", headers=headers)
    assert bad.json() == {"error": RELOAD[language]}
    gone = await client.get(f"{API}/registrations/99999", headers=headers)
    assert gone.json() == {"error": GONE[language]}
