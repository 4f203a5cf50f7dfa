"""The dashboard's questions inbox and FAQ entries through the API: an answer written there
reaches the partner as a reply in the group would, the group sees it, a second organiser is
shown the first answer, and learned entries answer the next partner."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.partners.invites import OrganisationRow
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.dashboard_steps import API, PAGE, assert_refused, client_for, opened_by
from tests.harness import RunningBot, StartBot

OLGA, OSCAR = 4343, 4344


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(
        admin_ids=frozenset({OLGA, OSCAR}), organiser_chat_id=ORGANISERS_CHAT.id,
        dashboard_url=PAGE,
    )  # fmt: skip


@pytest.fixture
async def client(bot: RunningBot) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bot) as client:
        yield client


@pytest.fixture
async def olga(
    client: httpx.AsyncClient, bot: RunningBot, emulator: TelegramEmulator
) -> dict[str, str]:
    return await opened_by(client, bot, emulator, OLGA, "Olga")


@pytest.fixture
async def oscar(
    client: httpx.AsyncClient, bot: RunningBot, emulator: TelegramEmulator
) -> dict[str, str]:
    return await opened_by(client, bot, emulator, OSCAR, "Oscar")


async def relayed(
    bot: RunningBot, emulator: TelegramEmulator, partner: User, text: str
) -> SentMessage:
    mark = emulator.mark()
    emulator.send_text(partner, text)
    return await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=mark)


async def question_id(client: httpx.AsyncClient, headers: dict[str, str], text: str) -> int:
    questions = (await client.get(f"{API}/questions", headers=headers)).json()["questions"]
    return next(q["id"] for q in questions if q["question"] == text)  # type: ignore[no-any-return]


async def test_an_answer_from_the_dashboard_reaches_the_partner_and_the_group_sees_it(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    invite = await bot.services.partners.invite(OrganisationRow("Stadtwerke Leipzig"), OLGA)
    anna = emulator.user(first_name="Anna", language_code="de")
    await emulator.ask(anna, f"/start {invite.code}")
    question = await relayed(bot, emulator, anna, "Gibt es eine Kinderbetreuung?")
    [listed] = (await client.get(f"{API}/questions", headers=olga)).json()["questions"]
    assert (listed["partner"], listed["organisation"], listed["language"]) == (
        "Anna", "Stadtwerke Leipzig", "de",
    )  # fmt: skip
    assert (listed["state"], listed["asked"]) == ("open", "Montag, 2. Juni, 11:00 Uhr")

    mark = emulator.mark()
    answered = await client.post(
        f"{API}/questions/{listed['id']}/answer",
        json={"answer": "<b>Leider nein</b>, aber Kinder sind willkommen &amp; gern gesehen."},
        headers=olga,
    )
    assert answered.json() == {
        "delivery": "delivered", "message": "✅ Antwort an Anna weitergeleitet.", "savable": True,
    }  # fmt: skip
    to_anna = await emulator.wait_for(anna, since=mark)
    assert to_anna.plain_text == (
        "💬 Antwort des Orga-Teams auf Ihre Frage „Gibt es eine Kinderbetreuung?“:\n\n"
        "Leider nein, aber Kinder sind willkommen & gern gesehen."
    )
    assert "<b>Leider nein</b>" in (to_anna.text or "")
    in_group = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert in_group.reply_to_message_id == question.message_id
    assert in_group.plain_text.startswith("💬 Olga hat in der Übersicht geantwortet:")
    assert "✅ Antwort an Anna weitergeleitet." in in_group.plain_text
    assert in_group.button_texts == ["💾 Als FAQ speichern"]
    [after] = (await client.get(f"{API}/questions", headers=olga)).json()["questions"]
    assert (after["state"], after["answered_by"]) == ("answered", "Olga")
    assert after["answer"]["text"] == "Leider nein, aber Kinder sind willkommen & gern gesehen."
    assert after["answer"]["entities"] == [{"type": "bold", "offset": 0, "length": 11}]


async def test_a_second_organiser_sees_the_first_answer_and_sends_only_as_an_addition(
    bot: RunningBot,
    client: httpx.AsyncClient,
    olga: dict[str, str],
    oscar: dict[str, str],
    emulator: TelegramEmulator,
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    drone = "Darf ich eine Drohne fliegen lassen?"
    await relayed(bot, emulator, anna, drone)
    url = f"{API}/questions/{await question_id(client, olga, drone)}/answer"
    mark = emulator.mark()
    # Both organisers press "send" at the same moment: one answer goes out.
    first, second = await asyncio.gather(
        client.post(url, json={"answer": "Ja, im Hof."}, headers=olga),
        client.post(url, json={"answer": "Nein, leider nicht."}, headers=oscar),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    winner, conflict = (first, second) if first.status_code == 200 else (second, first)
    assert conflict.json()["error"] == "Die Frage von Anna wurde gerade beantwortet:"
    earlier = conflict.json()["earlier"]
    assert earlier["by"] in ("Olga", "Oscar") and earlier["at"] == "Montag, 2. Juni, 11:00 Uhr"
    await bot.settled()
    [to_anna] = emulator.messages_to(anna, since=mark)
    assert earlier["answer"]["text"] in to_anna.plain_text  # the one she got is the one shown

    loser = oscar if winner is first else olga
    mark = emulator.mark()
    added = await client.post(url, json={"answer": "Auch Fahrradständer.", "addition": True},
                              headers=loser)  # fmt: skip
    assert added.json()["message"] == "✅ Ergänzung an Anna weitergeleitet."
    addition = await emulator.wait_for(anna, since=mark)
    assert addition.plain_text == (
        f"💬 Ergänzung des Orga-Teams zu Ihrer Frage „{drone}“:\n\nAuch Fahrradständer."
    )
    in_group = await emulator.wait_for(ORGANISERS_CHAT.id, since=mark)
    assert "in der Übersicht ergänzt" in in_group.plain_text
    [listed] = (await client.get(f"{API}/questions", headers=olga)).json()["questions"]
    assert listed["answer"]["text"] == earlier["answer"]["text"]  # the first answer stays


async def test_a_blocked_partner_leaves_the_answer_undelivered_and_bad_input_is_refused(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    ben = emulator.user(first_name="Ben", language_code="en")
    await relayed(bot, emulator, ben, "Who won the chess tournament last week?")
    relay_id = await question_id(client, olga, "Who won the chess tournament last week?")
    url = f"{API}/questions/{relay_id}/answer"
    for bad in ("<b>Nobody", "1 < 2", "", "<script>x</script>", '<a href="javascript:x">x</a>'):
        refused = await client.post(url, json={"answer": bad}, headers=olga)
        assert refused.status_code == 400, bad
    assert "Telegram würde diese Formatierung nicht annehmen" in refused.json()["error"]
    emulator.block(ben)
    blocked = await client.post(url, json={"answer": "Nobody."}, headers=olga)
    assert blocked.json()["delivery"] == "unreachable"
    assert blocked.json()["message"].startswith("⚠️ Ben hat den Bot blockiert")
    [listed] = (await client.get(f"{API}/questions", headers=olga)).json()["questions"]
    assert listed["state"] == "undelivered" and listed["answered_by"] == "Olga"
    missing = await client.post(f"{API}/questions/9999/answer", json={"answer": "x"}, headers=olga)
    assert missing.status_code == 404


async def test_save_as_faq_from_the_dashboard_answers_the_next_partner_in_both_languages(
    bot: RunningBot,
    client: httpx.AsyncClient,
    olga: dict[str, str],
    oscar: dict[str, str],
    emulator: TelegramEmulator,
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    await relayed(bot, emulator, anna, "Gibt es eine Kinderbetreuung?")
    relay_id = await question_id(client, olga, "Gibt es eine Kinderbetreuung?")
    not_yet = await client.get(f"{API}/questions/{relay_id}/faq", headers=olga)
    assert not_yet.status_code == 409  # no answer to save yet
    await client.post(
        f"{API}/questions/{relay_id}/answer", json={"answer": "Leider nein."}, headers=olga
    )
    draft = (await client.get(f"{API}/questions/{relay_id}/faq", headers=olga)).json()
    assert (draft["wording"], draft["language"], draft["other_language"]) == (
        "Gibt es eine Kinderbetreuung?", "de", "en",
    )  # fmt: skip
    assert draft["answer"]["text"] == "Leider nein." and draft["similar"] is None
    # Olga and Oscar save it at the same moment: one entry.
    url, body = f"{API}/questions/{relay_id}/faq", {"wording": "Gibt es eine Kinderbetreuung?"}
    saved = await asyncio.gather(
        client.post(url, json=body, headers=olga), client.post(url, json=body, headers=oscar)
    )
    assert sorted(response.status_code for response in saved) == [200, 409]
    assert {"id": 1} in [response.json() for response in saved]
    bernd = emulator.user(first_name="Bernd", language_code="de")
    reply = await emulator.ask(bernd, "Wird es eine Kinderbetreuung geben?")
    assert "Leider nein." in reply.plain_text

    # In English the entry has no answer: relayed, and the draft offers the close entry.
    john = emulator.user(first_name="John", language_code="en")
    await relayed(bot, emulator, john, "Kinderbetreuung?")
    john_id = await question_id(client, olga, "Kinderbetreuung?")
    await client.post(
        f"{API}/questions/{john_id}/answer", json={"answer": "Sadly not."}, headers=olga
    )
    draft = (await client.get(f"{API}/questions/{john_id}/faq", headers=olga)).json()
    assert draft["similar"] == {"topic": "learned:1", "title": "Gibt es eine Kinderbetreuung?"}
    added = await client.post(
        f"{API}/questions/{john_id}/faq",
        json={"wording": draft["wording"], "to": "learned:1"},
        headers=olga,
    )
    assert added.json() == {"added_to": "Gibt es eine Kinderbetreuung?"}
    [entry] = (await client.get(f"{API}/faq", headers=olga)).json()["entries"]
    assert [w["text"] for w in entry["wordings"]] == [
        "Gibt es eine Kinderbetreuung?", "Kinderbetreuung?",
    ]  # fmt: skip

    # A new entry with the other language's answer from the same form.
    await relayed(bot, emulator, anna, "Darf ich eine Drohne fliegen lassen?")
    drone_id = await question_id(client, olga, "Darf ich eine Drohne fliegen lassen?")
    await client.post(f"{API}/questions/{drone_id}/answer", json={"answer": "Nein."}, headers=olga)
    saved = await client.post(
        f"{API}/questions/{drone_id}/faq",
        json={
            "wording": "Darf ich eine Drohne fliegen lassen?",
            "other_answer": "<i>No</i> drones.",
        },
        headers=olga,
    )
    assert saved.json() == {"id": 2}
    reply = await emulator.ask(john, "Darf ich eine Drohne fliegen lassen?")
    assert "<i>No</i> drones." in (reply.text or "")


async def test_faq_entries_are_listed_edited_in_both_languages_and_deleted(
    bot: RunningBot, client: httpx.AsyncClient, olga: dict[str, str], emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    await relayed(bot, emulator, anna, "Darf ich meinen Hund mitbringen?")
    relay_id = await question_id(client, olga, "Darf ich meinen Hund mitbringen?")
    await client.post(f"{API}/questions/{relay_id}/answer", json={"answer": "Nein."}, headers=olga)
    await client.post(
        f"{API}/questions/{relay_id}/faq", json={"wording": "Darf ich meinen Hund mitbringen?"},
        headers=olga,
    )  # fmt: skip
    bernd = emulator.user(first_name="Bernd", language_code="de")
    await emulator.ask(bernd, "Darf ich meinen Hund mitbringen?")

    [entry] = (await client.get(f"{API}/faq", headers=olga)).json()["entries"]
    assert (entry["used"], entry["unhelpful"], entry["current"]) == (1, 0, True)
    assert entry["answers"] == {"de": "Nein.", "en": None}
    url = f"{API}/faq/{entry['id']}"
    edited = await client.post(
        url, json={"answers": {"de": "Nein, <b>keine</b> Hunde.", "en": "No dogs."}}, headers=olga
    )
    assert edited.json() == {"saved": ["de", "en"]}
    assert (
        await client.post(url, json={"answers": {"fr": "Non"}}, headers=olga)
    ).status_code == 400
    assert (
        await client.post(url, json={"answers": {"de": "<b>"}}, headers=olga)
    ).status_code == 400
    added = await client.post(
        f"{url}/wordings", json={"text": "Are dogs allowed?", "language": "en"}, headers=olga
    )
    assert added.status_code == 200
    john = emulator.user(first_name="John", language_code="en")
    assert "No dogs." in (await emulator.ask(john, "Are dogs allowed?")).plain_text

    [entry] = (await client.get(f"{API}/faq", headers=olga)).json()["entries"]
    english = next(w for w in entry["wordings"] if w["language"] == "en")
    removed = await client.post(f"{url}/wordings/{english['id']}/delete", headers=olga)
    assert removed.json() == {"removed": True}
    [entry] = (await client.get(f"{API}/faq", headers=olga)).json()["entries"]
    assert [w["text"] for w in entry["wordings"]] == ["Darf ich meinen Hund mitbringen?"]

    assert (await client.post(f"{url}/delete", headers=olga)).json() == {"deleted": True}
    assert (await client.post(f"{url}/delete", headers=olga)).status_code == 404
    mark = emulator.mark()
    reply = await emulator.ask(bernd, "Darf ich meinen Hund mitbringen?")
    assert "Orga-Team weitergeleitet" in reply.plain_text  # relayed again, no entry answers
    await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=mark)


INBOX_ACTIONS = [
    ("GET", "questions"), ("POST", "questions/1/answer"), ("GET", "questions/1/faq"),
    ("POST", "questions/1/faq"), ("GET", "faq"), ("POST", "faq/1"), ("POST", "faq/1/wordings"),
    ("POST", "faq/1/wordings/1/delete"), ("POST", "faq/1/delete"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), INBOX_ACTIONS)
async def test_every_inbox_action_refuses_forged_expired_and_removed_organisers(
    bot: RunningBot, client: httpx.AsyncClient, method: str, path: str, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(first_name="Anna", language_code="de")
    await relayed(bot, emulator, anna, "Gibt es eine Kinderbetreuung?")
    mark = emulator.mark()
    body = {"answer": "Ja.", "wording": "x", "answers": {"de": "Ja."}, "text": "x"}
    await assert_refused(client, bot, method, path, body, organiser=OLGA)
    await bot.settled()
    assert emulator.messages_to(anna, since=mark) == []
