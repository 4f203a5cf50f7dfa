"""Partners ask how to use the bot, and get the command that does it, without a programme entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.app import COMMANDS
from bot.core.texts import Texts
from bot.programme.model import (
    SHIPPED_PROGRAMME,
    Programme,
    load_programme,
    parse_programme,
    programme_data,
)
from bot.programme.views import ProgrammeViews
from bot.questions.answering import Answerer, Match
from bot.questions.builtin import BUILTIN_TOPICS, PREFIX
from bot.questions.replies import matched_answer
from tests.unit.conftest import topic_of

NOW = datetime(2025, 6, 1, 10, tzinfo=UTC)

# (question, expected topic), both languages, as partners type them.
ABOUT_THE_BOT: list[tuple[str, str]] = [
    ("Wie melde ich mich an?", "bot.register"),
    ("Ich möchte mich für die Konferenz registrieren", "bot.register"),
    ("How do I register?", "bot.register"),
    ("how can i sign up", "bot.register"),
    ("Bis wann kann ich mich anmelden?", "bot.register"),
    ("Until when can I register?", "bot.register"),
    ("Wann ist Anmeldeschluss?", "bot.register"),
    ("Wie kann ich meine Anmeldung ändern?", "bot.change"),
    ("Wie sage ich ab?", "bot.cancel"),
    ("I want to cancel my registration", "bot.cancel"),
    ("where is my ticket", "bot.ticket"),
    ("Wie bekomme ich das Ticket?", "bot.ticket"),
    ("Was muss ich an der Tür vorzeigen?", "bot.ticket"),
    ("Kann ich den Termin in meinen Kalender eintragen?", "bot.calendar"),
    ("How do I add it to my calendar?", "bot.calendar"),
    ("Wie schalte ich die Erinnerungen aus?", "bot.reminders"),
    ("How do I turn off the reminders?", "bot.reminders"),
    ("Wie stelle ich die Sprache um?", "bot.language"),
    ("Kann ich die Sprache ändern?", "bot.language"),
    ("How do I change the language?", "bot.language"),
    ("Can I switch the bot's language to German?", "bot.language"),
    ("Ich möchte meine Anmeldung stornieren", "bot.cancel"),
    ("Welche Daten speichert ihr über mich?", "bot.data"),
    ("What data do you store?", "bot.data"),
    ("Wie lösche ich meine Daten?", "bot.delete"),
    ("How do I delete my data?", "bot.delete"),
    ("Wie erreiche ich die Organisatoren?", "bot.contact"),
    ("How can I contact the organisers?", "bot.contact"),
    ("Wer veranstaltet die Konferenz?", "bot.host"),
    ("Who organises the conference?", "bot.host"),
    # Programme topics next to them keep their answers.
    ("In welcher Sprache ist die Konferenz?", "language"),
    ("What language is the conference in?", "language"),
    ("Gibt es einen Festvortrag und wer hält ihn?", "keynote"),
    ("In welcher Stadt ist die Konferenz?", "venue"),
    ("Was kostet ein Ticket?", "cost"),
    ("Wann ist Einlass?", "agenda:0"),
    ("Wann fängt es an?", "event_date"),
]

# Sound like the bot's topics but are about something else: they go to the organisers.
RELAYED: list[str] = [
    "Kann ich mich für das Fußballturnier anmelden?",
    "Wie melde ich mich im Hotel an?",
    "How do I sign up for the newsletter?",
    "Can I cancel my hotel booking?",
    "Where can I buy a train ticket to Leipzig?",
    "Is there a concert ticket?",
    "Where can I delete photos of me?",
    "How do I reach the airport?",
    "Wer organisiert die Weihnachtsfeier?",
    "Can you change the world?",
]


@pytest.mark.parametrize(("question", "topic"), ABOUT_THE_BOT, ids=[q for q, _ in ABOUT_THE_BOT])
def test_question_about_the_bot_finds_its_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    match = answerer.match(question)
    assert match is not None, f"no confident answer for {question!r}: {answerer.rank(question)}"
    assert match.topic == topic


@pytest.mark.parametrize("question", RELAYED, ids=RELAYED)
def test_question_that_only_sounds_like_one_about_the_bot_is_relayed(
    answerer: Answerer, question: str
) -> None:
    assert answerer.match(question) is None, answerer.rank(question)


def test_every_builtin_button_starts_a_partner_command_and_fits_telegram() -> None:
    texts = Texts.load()
    views = ProgrammeViews(load_programme(SHIPPED_PROGRAMME), texts)
    commands = {command.english: command for command in COMMANDS}
    for topic in BUILTIN_TOPICS:
        assert topic.command in commands, topic
        for language in ("de", "en"):
            text, markup = matched_answer(
                Match(topic.topic, 100.0), views, language, NOW, needs_invite=False
            )
            assert markup is not None
            (button,) = markup.inline_keyboard[0]
            assert len(str(button.callback_data).encode()) <= 64
            # The answer names the command in the partner's language.
            name = commands[topic.command].german if language == "de" else topic.command
            assert f"/{name}" in text, (topic.topic, language, text)


def test_registration_answer_mentions_the_invite_link_only_when_one_is_needed(
    programme: Programme,
) -> None:
    views = ProgrammeViews(programme, Texts.load())
    register = Match("bot.register", 100.0)
    invited, _ = matched_answer(register, views, "de", NOW, needs_invite=True)
    open_, _ = matched_answer(register, views, "de", NOW, needs_invite=False)
    assert "Einladungslink" in invited
    assert "Einladungslink" not in open_


def test_programme_entry_with_a_builtin_id_replaces_its_text_and_keeps_the_button() -> None:
    data: dict[str, Any] = programme_data(SHIPPED_PROGRAMME)
    data["faq"].append(
        {
            "topic": "bot.register",
            "questions": {"de": ["Wie melde ich mich an?"], "en": ["How do I register?"]},
            "answer": {"de": "Bitte über das Büro anmelden.", "en": "Register via the office."},
        }
    )
    programme = parse_programme(data)
    views = ProgrammeViews(programme, Texts.load())
    match = Answerer(programme).match("Wie melde ich mich an?")
    assert match is not None and match.topic == "bot.register"
    text, markup = matched_answer(match, views, "en", NOW, needs_invite=False)
    assert text == "Register via the office."
    assert markup is not None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Kannst du mir auf Englisch antworten?", "bot.language"),
        ("Can the bot speak German?", "bot.language"),
        ("Ich kann leider nicht kommen", "bot.cancel"),
        ("I can't make it, sorry", "bot.cancel"),
        ("Kann ich mit einer Person vom Team sprechen?", "bot.contact"),
        ("I want to talk to a human", "bot.contact"),
        ("Stop the reminders please", "bot.reminders"),
        ("Bekomme ich vorher eine Erinnerung?", "bot.reminders"),
        ("Wo bekomme ich die Datei für Outlook?", "bot.calendar"),
        ("Wer steckt dahinter?", "bot.host"),
    ],
)
def test_other_wordings_of_the_bot_s_features_find_them(
    answerer: Answerer, question: str, topic: str
) -> None:
    """The words partners use for what the bot does: not coming, talking to a person, the bot
    in another language, stopping reminders."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A thing the bot handles decides beside a question word or a filler word.
        ("Wo finde ich mein Ticket?", "bot.ticket"),
        ("where do i find my ticket", "bot.ticket"),
        ("add to google calendar", "bot.calendar"),
        ("Termin in den Outlook-Kalender übernehmen?", "bot.calendar"),
        # The bot addressed about a language is the bot's language.
        ("Kannst du auch Englisch?", "bot.language"),
        ("Do you also speak German?", "bot.language"),
        # Putting oneself on the list is signing up; the date in the calendar is not.
        ("Wie trage ich mich ein?", "bot.register"),
        ("Can you put me on the list?", "bot.register"),
        ("Wie trage ich den Termin ein?", "bot.calendar"),
        # A time counted from the event does not make a question about the date.
        ("Can you remind me the day before?", "bot.reminders"),
        ("Erinnerst du mich einen Tag vorher?", "bot.reminders"),
    ],
)
def test_the_bot_s_things_and_addressing_the_bot_find_its_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Haben Sie Tickets für das Konzert im Gewandhaus?",
        "Is there a concert ticket?",
        "Do you sell a bus ticket?",
    ],
)
def test_a_ticket_for_something_else_is_relayed(answerer: Answerer, question: str) -> None:
    """A noun beside the bot's thing says which one is meant: not the conference's."""
    assert answerer.match(question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Taking part, asked how or wished for, is signing up; who may take part is not.
        ("Wie kann man mitmachen?", "bot.register"),
        ("How can we take part?", "bot.register"),
        ("Wir möchten gerne teilnehmen", "bot.register"),
        ("We'd like to join", "bot.register"),
        ("Ich möchte drei Personen anmelden", "bot.register"),
        ("Wer darf teilnehmen?", "invitation"),
        ("How many people may come per organisation?", "invitation"),
        # One more person on one's registration is a change of it.
        ("Kann ich eine zusätzliche Kollegin anmelden?", "bot.change"),
        ("Can I register an additional colleague?", "bot.change"),
        # Not coming, however it is said, is cancelling.
        ("Ich schaffe es leider nicht", "bot.cancel"),
        ("Wir werden es leider nicht schaffen", "bot.cancel"),
        ("Ich bin leider verhindert", "bot.cancel"),
        ("Wir können am Dienstag leider nicht", "bot.cancel"),
        ("We won't be able to attend", "bot.cancel"),
        ("I have to drop out", "bot.cancel"),
    ],
)
def test_signing_up_adding_a_person_and_not_coming_find_their_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question", ["Ich schaffe es nicht rechtzeitig", "I can't be there on time"]
)
def test_coming_late_is_no_cancellation(answerer: Answerer, question: str) -> None:
    found = answerer.match(question)
    assert found is None or found.topic != "bot.cancel", answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Confirming one's attendance and asking how signing up works are signing up.
        ("Wie kann ich meine Teilnahme bestätigen?", "bot.register"),
        ("How do I confirm my attendance?", "bot.register"),
        ("Wie funktioniert die Anmeldung?", "bot.register"),
        # Changing one's details, a mistake in them, someone onto one's registration.
        ("Kann ich meine Zusage ändern?", "bot.change"),
        ("how do i edit my rsvp", "bot.change"),
        ("Ich habe mich vertippt, wie korrigiere ich meinen Namen?", "bot.change"),
        ("Möchte meine Angaben korrigieren", "bot.change"),
        ("Kann ich meinen Kollegen nachmelden?", "bot.change"),
        ("can I add a colleague to my registration?", "bot.change"),
        # Taking one's registration back, being prevented, with the reason given.
        ("Kann ich meine Zusage zurücknehmen?", "bot.cancel"),
        ("I have to withdraw my RSVP", "bot.cancel"),
        ("Ich bin an dem Tag verhindert", "bot.cancel"),
        ("Ich kann nicht teilnehmen, was nun?", "bot.cancel"),
        ("I'm sick, can't attend", "bot.cancel"),
        # What gets one in: shown at the door, on the phone, asked for again.
        ("Wie komme ich an meine Eintrittskarte?", "bot.ticket"),
        ("need my QR again", "bot.ticket"),
        ("what do i have to show at the entrance", "bot.ticket"),
        ("Can I show the ticket on my phone?", "bot.ticket"),
        ("Ich habe mein Ticket verloren, was nun?", "bot.ticket"),
        # Into one's calendar, or sent as a calendar entry.
        ("put it in my google calendar", "bot.calendar"),
        ("Wie bekomme ich das in Outlook?", "bot.calendar"),
        ("Können Sie mir eine Kalendereinladung schicken?", "bot.calendar"),
        # No more messages.
        ("stop the notifications", "bot.reminders"),
        ("Ich will keine Benachrichtigungen mehr", "bot.reminders"),
        ("please stop messaging me", "bot.reminders"),
        ("Bitte keine Benachrichtigungen mehr schicken", "bot.reminders"),
        # The bot in a language: asked formally, as a request, or picked by mistake.
        ("speak english pls", "bot.language"),
        ("in english please", "bot.language"),
        ("Können Sie bitte auf Englisch schreiben?", "bot.language"),
        ("switch to german", "bot.language"),
        ("I accidentally chose German", "bot.language"),
        # What the bot knows about the partner, and forgetting it.
        ("was wisst ihr über mich", "bot.data"),
        ("Welche Informationen habt ihr über mich?", "bot.data"),
        ("remove my personal data", "bot.delete"),
        ("Können Sie meine Daten entfernen?", "bot.delete"),
        # A real person, by phone.
        ("I want to talk to a real person", "bot.contact"),
        ("Kann ich mit einem echten Menschen vom Orga-Team schreiben?", "bot.contact"),
        ("Kann ich jemanden anrufen?", "bot.contact"),
        ("Gibt es eine Ansprechperson?", "bot.contact"),
        # Who runs the event.
        ("who runs this conference", "bot.host"),
        ("Wer macht das hier eigentlich?", "bot.host"),
        ("who actually organizes the event?", "bot.host"),
        ("Who is actually organising this conference, the city?", "bot.host"),
        # Still open, forgotten to sign someone up.
        ("Is registration still open?", "bot.register"),
        ("Ich habe vergessen, meine Kollegin anzumelden", "bot.register"),
        # A new number said as "zu dritt statt zu zweit", only oneself registered so far.
        ("Wir sind nun zu viert statt zu dritt, wie passe ich das an?", "bot.change"),
        ("Now there are three of us instead of two, how do I change that?", "bot.change"),
        ("Ich habe mich allein angemeldet, wie füge ich eine Kollegin hinzu?", "bot.change"),
        ("Can I add a colleague?", "bot.change"),
        # Something came up.
        ("Mir ist was dazwischengekommen, wie sage ich ab?", "bot.cancel"),
        # A person one can call, not a bot; the organisers reached directly.
        ("Is there someone I can call? Not a bot", "bot.contact"),
        ("Gibt es eine Person, mit der ich sprechen kann? Keinen Bot bitte", "bot.contact"),
        ("Kann ich die Veranstalter direkt erreichen?", "bot.contact"),
        # What is kept about oneself and about those one signed up.
        ("What do you store about me and the colleagues I registered?", "bot.data"),
        # The bot's language instead of the one it uses.
        ("Can you write to me in English instead of German?", "bot.language"),
        ("Schreib mir bitte auf Englisch statt auf Deutsch", "bot.language"),
        # The ticket asked for again, not found in the chat.
        ("Can you send me my ticket again? I can't find it in the chat", "bot.ticket"),
    ],
)
def test_other_people_s_wordings_find_the_bot_s_topics(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Informal and formal, German and English: how partners ask about what the bot does."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Can I show my poster at the entrance?", None),
        ("change my train booking", None),
        ("Can I cancel my hotel booking?", None),
        ("What do you know about Levermann?", "keynote"),
        ("Who is behind the Alte Handelsbörse?", None),
        ("Wer richtet das Catering aus?", "catering"),
        ("Who runs the cloakroom?", "cloakroom"),
        ("Is the talk in English?", "language"),
        ("Is there a first aid room? Someone feels ill", None),
        ("Darf mein Chef mitkommen?", "invitation"),
        ("Dürfen wir zu dritt kommen?", "invitation"),
        ("Who can talk about the climate city contract?", None),
        ("Ist die Ausstellung noch offen?", None),
        ("Ich finde den Eingang nicht", None),
    ],
)
def test_the_bot_s_wordings_about_other_things_are_not_the_bot_s(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    """Showing a poster, another booking, someone else's data, another building's host: they
    name what they are about, and it is not the bot."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Saying that one comes, its deadline, and whether one must sign up at all.
        ("Bis wann müssen wir Bescheid sagen, ob wir kommen?", "bot.register"),
        ("how can i tell you that i will come?", "bot.register"),
        ("i want say yes for the conference, how?", "bot.register"),
        ("Sag mir, bis wann ich zu- oder absagen kann", "bot.register"),
        ("Is registration required or can I just turn up?", "bot.register"),
        ("Muss ich mich vorher anmelden oder kann ich einfach vorbeikommen?", "bot.register"),
        # The number registered for and the new one, a name written wrong.
        ("We are now 3 instead of 2, how do I change that?", "bot.change"),
        ("Wir hatten uns mit 2 Personen angemeldet, jetzt sind wir 3. Was tun?", "bot.change"),
        ("Can I increase my registration to 3 people?", "bot.change"),
        ("Ich habe meinen Namen falsch geschrieben, wie korrigiere ich das?", "bot.change"),
        ("I made a typo when signing up, how do I correct my name?", "bot.change"),
        ("One of us can't come, how do I change the number?", "bot.change"),
        # Off the list, with the reason given first, or asked whether it matters.
        ("Please take me off the list.", "bot.cancel"),
        ("Bitte streichen Sie mich von der Teilnehmerliste, ich bin krank.", "bot.cancel"),
        ("Tragen Sie mich bitte wieder aus, ich kann nicht.", "bot.cancel"),
        ("Ich habe am Tag einen anderen Termin und muss leider absagen.", "bot.cancel"),
        ("I have another meeting that day and have to cancel.", "bot.cancel"),
        ("Ich habe am Tag einen Termin beim Arzt und muss absagen. Was mache ich?", "bot.cancel"),
        ("Muss ich mich abmelden, falls ich nicht kann?", "bot.cancel"),
        ("Ich bin schon angemeldet, kann aber leider nicht kommen", "bot.cancel"),
        # The phone the calendar is on.
        ("I use an Android phone, how do I get the event into my calendar?", "bot.calendar"),
        # This chat in another language, and a language preferred.
        ("Please switch this chat to German.", "bot.language"),
        ("Wie ändere ich die Sprache des Chats?", "bot.language"),
        ("Ich hätte die Antworten lieber auf Englisch.", "bot.language"),
        ("I would prefer the messages in German.", "bot.language"),
        ("Kannst du mir lieber auf Deutsch schreiben?", "bot.language"),
        # Who sees one's details, how long they are kept, whether they are safe.
        ("Wer sieht meine Angaben aus der Anmeldung?", "bot.data"),
        ("Who can see the information I gave when registering?", "bot.data"),
        ("How long do you keep my data?", "bot.data"),
        ("Wie lange werden meine Daten aufbewahrt?", "bot.data"),
        ("Sind meine Daten bei euch sicher?", "bot.data"),
        # Deleting what is stored: "stored" says which data, not "what do you store".
        ("Löscht bitte alle meine gespeicherten Daten.", "bot.delete"),
        ("Please erase all the personal data you have stored.", "bot.delete"),
        ("Können Sie bitte meine gespeicherten Angaben löschen?", "bot.delete"),
        # In touch with the organisers, when the bot has no answer.
        ("How can I get in touch with the organisers?", "bot.contact"),
        ("Wie erreiche ich die Organisatoren, wenn der Bot nicht weiterweiß?", "bot.contact"),
        # Who it is run by, guessed at.
        ("Wird die Konferenz von einer Agentur ausgerichtet?", "bot.host"),
    ],
)
def test_reasons_and_context_around_a_question_about_the_bot_keep_its_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Partners give the number they registered for, why they cancel, which phone or chat they
    mean: what they ask about the bot still decides."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Please take me off the newsletter list",
        "Tragen Sie mich bitte aus dem Newsletter-Verteiler aus",
        "Who can see the slides after the talk?",
        "Können Sie für mich einen Termin beim Bürgeramt machen?",
        "Kannst du mir die Folien schicken?",
        "Wie melde ich mich für den Newsletter der Stadt an?",
        "Is the catering run by a local company?",
        "Can I change the time to 3 pm?",
        "Is the data from your study safe?",
    ],
)
def test_lists_appointments_and_slides_of_others_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """A newsletter's list, an appointment at the city office, the speaker's slides: the bot's
    words, but not about the bot."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Long, formal messages: the reason or circumstance beside the question.
        (
            "I'm afraid I cannot attend because of a family emergency. Please withdraw my "
            "registration.",
            "bot.cancel",
        ),
        (
            "Ich habe leider eine Tagung im Ausland und muss meine Anmeldung stornieren.",
            "bot.cancel",
        ),
        ("Ein Fehler in meiner Anmeldung: der Name meiner Firma ist falsch.", "bot.change"),
        ("My email address is wrong, how do I change it?", "bot.change"),
        ("Wie erreiche ich jemanden aus dem Organisationsteam?", "bot.contact"),
        ("Kann ich jemanden vom Veranstalter erreichen?", "bot.contact"),
        ("I would rather talk to a person than to a bot.", "bot.contact"),
        ("What becomes of the data I provided?", "bot.data"),
        ("Was passiert mit meinen Angaben?", "bot.data"),
        ("Bitte sorgen Sie dafür, dass meine gespeicherten Daten gelöscht werden.", "bot.delete"),
        (
            "Until what date can I sign up? I am waiting for my department's approval.",
            "bot.register",
        ),
        ("Bitte keine Erinnerungen mehr, ich habe mir das Datum schon notiert.", "bot.reminders"),
    ],
)
def test_formal_messages_with_their_circumstances_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Guests write whole letters: a conference abroad, a manager's approval, wanting to practise
    a language; the question about the bot in them still decides."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "I don't want to appear in photos.",
        "Ich will nicht auf den Fotos erscheinen.",
        "Is the speaker's name on the website wrong?",
    ],
)
def test_not_being_in_the_photos_is_no_cancellation(answerer: Answerer, question: str) -> None:
    """Not appearing in photos is about the photos, not about not coming."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # A wrong name said before the mistake: "registered with the wrong name".
        ("I registered with the wrong name, how do I correct it?", "bot.change"),
        ("I signed up with a wrong email address, how can I fix that?", "bot.change"),
        ("Mein Name ist in der Anmeldung falsch geschrieben", "bot.change"),
        # Someone more than registered: only oneself so far, or one person, now two.
        (
            "I registered only myself but a colleague wants to join too, how do I add her?",
            "bot.change",
        ),
        (
            "I only registered myself, but my boss wants to come as well. How do I add him?",
            "bot.change",
        ),
        ("Ich hab nur 1 Person angemeldet, jetzt will mein Kollege doch mit", "bot.change"),
        ("hab 1 person angemeldet, wir sind jetzt doch zu zweit. wie änder ich das?", "bot.change"),
        ("I registered 1 person but now we are two, how do I change that?", "bot.change"),
        # Taking one's acceptance back, with another event as the reason.
        (
            "Leider bin ich an dem Tag auf einer Tagung in Wien und muss meine Zusage "
            "zurückziehen.",
            "bot.cancel",
        ),
        (
            "I'm at a conference in Vienna that day and have to withdraw my acceptance.",
            "bot.cancel",
        ),
        ("Ich ziehe meine Anmeldung zurück", "bot.cancel"),
        # One's data out of the bot's system.
        ("I want my data removed from your system", "bot.delete"),
        ("Bitte löschen Sie meine Daten aus Ihrem System", "bot.delete"),
        ("remove me from your system", "bot.delete"),
        ("Können Sie mich aus der Datenbank löschen?", "bot.delete"),
        # The message with the ticket lost, and sent again.
        ("lost the ticket message, can you send it again?", "bot.ticket"),
        (
            "Ich habe die Nachricht mit dem Ticket verloren, kannst du sie nochmal schicken?",
            "bot.ticket",
        ),
        ("I deleted the message with my ticket, can you resend it?", "bot.ticket"),
        ("Ich habe den Chat gelöscht, wie bekomme ich mein Ticket?", "bot.ticket"),
        # The bot's language, with one's poor German or English as the reason ...
        ("can you switch to english please, my german is bad", "bot.language"),
        ("My German is not very good, can you write to me in English?", "bot.language"),
        ("Mein Deutsch ist schlecht, kannst du auf Englisch umstellen?", "bot.language"),
        # ... while the same reason before asking about the talks is the event's language.
        ("My German is bad, is the conference in English?", "language"),
        ("Is the conference in English?", "language"),
    ],
)
def test_corrections_additions_withdrawals_and_reasons_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """A wrong name, a colleague after all, an acceptance taken back, data out of the system, a
    lost ticket message, a poor command of German: how partners put these."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "At what time is ending the event?",
        "Please remove me from the mailing list",
        "Could you send me the slides again?",
        "Kann eine Person angemeldet werden, die nicht eingeladen ist?",
    ],
)
def test_an_event_ending_a_mailing_list_and_slides_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """ "Ending" is no "sending" of reminders; a mailing list and slides are not the bot's."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # Which body organises it, not only who.
        ("Which institution is organising this conference?", "bot.host"),
        ("Welche Institution richtet die Konferenz aus?", "bot.host"),
        # The ticket deleted by mistake, and got again.
        ("I deleted the message with my ticket by accident, can I get it again?", "bot.ticket"),
        ("I accidentally deleted my ticket, can I get it again?", "bot.ticket"),
        # Reminders that annoy, switched off ("abstellen" alone is parking).
        ("Die Erinnerungen nerven etwas, kann ich die abstellen?", "bot.reminders"),
        ("Die Benachrichtigungen stören, wie stelle ich die ab?", "bot.reminders"),
        ("The reminders are annoying, can I switch them off?", "bot.reminders"),
        # A real person, when the bot cannot answer ("talk" is also the keynote's).
        (
            "Is there a real person I can talk to? I have a question the bot probably can't"
            " answer.",
            "bot.contact",
        ),
        (
            "Gibt es einen echten Menschen, mit dem ich sprechen kann? Der Bot kann meine Frage"
            " wohl nicht beantworten.",
            "bot.contact",
        ),
        ("I need a human, the bot doesn't know the answer", "bot.contact"),
        # Signing up through the bot.
        ("hi, how do I sign up for the conference through this bot?", "bot.register"),
        ("Geht die Anmeldung auch über diesen Chat?", "bot.register"),
        # A diet changed since signing up, and the registration updated.
        ("im vegetarian now, pls update my rsvp", "bot.change"),
        ("Ich bin jetzt Vegetarier, bitte meine Anmeldung aktualisieren", "bot.change"),
        ("I'm vegan now, please update my registration", "bot.change"),
        # Into one's calendar, with an everyday verb.
        ("kann ich das in meinen kalender packen", "bot.calendar"),
        ("Kann ich mir das in den Kalender schreiben?", "bot.calendar"),
    ],
)
def test_a_host_body_a_deleted_ticket_annoying_reminders_and_a_new_diet_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Which institution runs it, a ticket deleted by mistake, reminders switched off, a real
    person, signing up through the bot, a diet changed since, the calendar: as partners say it."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("How do I sign up for the newsletter through this bot?", None),
        ("Welche Institution organisiert das Fußballturnier?", None),
        # The entry says who is behind it: some fifty Leipzig organisations.
        ("Welche Organisation steckt hinter dem Klimastadtvertrag?", "klimastadtvertrag"),
        ("Wo kann ich mein Fahrrad abstellen?", None),
        ("Die Straßenbahn nervt, kann ich mein Auto abstellen?", None),
        ("I deleted my photos, can I get them again?", None),
        ("Ich bin Veganerin, gibt es veganes Essen?", "catering"),
    ],
)
def test_the_same_words_about_something_else_are_not_the_bot_s(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    """A newsletter, another event's organiser, a bike parked, one's photos, a diet asked about
    the food: these stay with the programme or go to the organisers."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # One's data and a copy of it, also "become" for "bekommen"; how long it is kept.
        ("What data do you store about me and can I get a copy?", "bot.data"),
        (
            "For our internal documentation I need a copy of all data that you have saved about"
            " me. Can I become this as a file?",
            "bot.data",
        ),
        ("Kann ich meine Daten als Datei bekommen?", "bot.data"),
        (
            "Als Datenschutzbeauftragte unserer Organisation muss ich das leider prüfen: Welche"
            " personenbezogenen Daten speichern Sie über mich, und wie lange?",
            "bot.data",
        ),
        # Until when to sign up, with being away as the reason.
        (
            "Because I am on holidays until end of May, I want to know until when I can register"
            " myself for the conference at the latest?",
            "bot.register",
        ),
        (
            "Da ich bis Mitte Mai im Urlaub bin, bis wann muss ich mich spätestens anmelden?",
            "bot.register",
        ),
        # Something forgotten when signing up, changed afterwards; the name on one's booking.
        (
            "Bei meiner Anmeldung habe ich leider vergessen anzugeben, dass ich mich vegetarisch"
            " ernähre. Kann ich das nachträglich noch ändern?",
            "bot.change",
        ),
        ("I forgot to mention my nut allergy when I registered", "bot.change"),
        ("I need to change the name on my booking", "bot.change"),
        # Signing off from the conference, one's place freed, one's spot cancelled.
        (
            "Unfortunately I am sick since Monday and the doctor says I must stay at home. How can"
            " I unsubscribe from the conference, so my place is free for somebody else?",
            "bot.cancel",
        ),
        ("how do i cancel my spot", "bot.cancel"),
        # The bot writes in one language, another wanted.
        (
            "Sorry, my German is very bad and the bot writes to me in German all the time. How"
            " can I switch this chat to English?",
            "bot.language",
        ),
        ("Der Bot schreibt mir immer auf Englisch, ich hätte es gern auf Deutsch", "bot.language"),
        # Who runs the bot, and a link from someone else as why one asks.
        ("Wer betreibt eigentlich diesen Bot?", "bot.host"),
        (
            "Excuse me, I got this link from a colleague and I am not sure who is behind it. Who"
            " is organising this conference and who runs this bot?",
            "bot.host",
        ),
    ],
)
def test_a_copy_of_one_s_data_a_reason_first_and_one_s_booking_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Long messages with the reason first, in the words of partners who are not native
    speakers: a copy of one's data, a deadline, a forgotten diet, a place freed, the bot's
    language, who runs it."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Can I get a copy of the slides?",
        "Kann ich das Programm als PDF bekommen?",
        "Is my seat free?",
        "Can I change the name on my hotel booking?",
        "How do I unsubscribe from the newsletter?",
        "Wer betreibt die Alte Handelsbörse?",
        "I am on holiday until June. Can I sign up for the newsletter?",
    ],
)
def test_a_copy_of_slides_a_seat_a_hotel_booking_and_a_newsletter_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """The same words about something else go to the organisers."""
    assert topic_of(answerer, question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wo trag ich mich denn für den Abend ein?", "bot.register"),
        (
            "Bis wann kann ich mich für die Feier in der Alten Handelsbörse noch anmelden?",
            "bot.register",
        ),
        ("Do you know how I sign up for Levermann's keynote through this chat?", "bot.register"),
        ("I forgot to mention I'm gluten-free when I signed up, can I update that?", "bot.change"),
        (
            "Hi, when I registered I forgot to say that I am vegetarian. Can I still change this in"
            " my registration?",
            "bot.change",
        ),
        ("Accidentally deleted the chat with my ticket, can I get it again?", "bot.ticket"),
        (
            "Guten Tag, ich habe mich letzte Woche angemeldet, finde aber den QR-Code für den"
            " Einlass nicht mehr. Könnten Sie mir diesen noch einmal schicken?",
            "bot.ticket",
        ),
        ("Can I add this to my Outlook calendar somehow?", "bot.calendar"),
        ("What personal info are you keeping about me?", "bot.data"),
        (
            "Which of my data do you store when I register for the Klimakonferenz, and who gets to"
            " see it?",
            "bot.data",
        ),
        (
            "Hello, I get a lot of messages from this bot and my phone is beeping during meetings."
            " Can I switch off the reminders? I will not forget the date, promised.",
            "bot.reminders",
        ),
        (
            "Is there a way to reach the organisers directly in case something goes wrong on the"
            " day?",
            "bot.contact",
        ),
    ],
)
def test_verbs_first_joined_words_and_everyday_names_of_the_event_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """The verb before its object, words the programme joins ("signed up", "gluten-free"), the
    event named as the evening or a celebration, and a reason around the question."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Kann ich mich für das Fußballturnier noch anmelden?",
        "How do I sign up for the newsletter through this chat?",
        "Is there first aid in case something goes wrong?",
        "Can I add my hotel to the map?",
    ],
)
def test_the_same_verbs_about_other_things_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """Other events, newsletters and first aid go to the organisers."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # The chat switched back, or here in the chat; answers from now on.
        ("Wie stelle ich den Chat wieder auf Deutsch um?", "bot.language"),
        ("Können wir hier im Chat auf Englisch umstellen?", "bot.language"),
        ("Can you switch the chat back to German?", "bot.language"),
        ("can u answer me in english from now on pls", "bot.language"),
        ("Please reply in German from now on", "bot.language"),
        (
            "I am Portuguese and understand German not so good. Is it possible that this chat "
            "speaks English with me?",
            "bot.language",
        ),
        # How many come now, and a new number of people in German word order.
        (
            "I registered for 2 people but now 3 of us from the lab are coming. "
            "How do I change that?",
            "bot.change",
        ),
        ("Ich möchte meine Anmeldung auf zwei Personen erhöhen.", "bot.change"),
        # A diet told when signing up, and another one in truth.
        (
            "I said vegetarian when I registered but I'm vegan actually, how do I change it",
            "bot.change",
        ),
        ("Ich habe bei der Anmeldung vegetarisch angegeben, bin aber vegan", "bot.change"),
        # Asked to stop reminding.
        ("kannst du aufhören mich ständig zu erinnern", "bot.reminders"),
        ("Bitte hör auf mich zu erinnern", "bot.reminders"),
        # As an entry for a calendar.
        ("Can I get this as an entry for my Outlook calendar?", "bot.calendar"),
        # Who is behind it, with a guess.
        (
            "Who is actually behind this bot and the conference, the City of Leipzig or the EU?",
            "bot.host",
        ),
        ("Wer steckt hinter der Konferenz, die Stadt oder die EU?", "bot.host"),
        # More words between "which" and what the bot saves.
        (
            "Which personal data does the bot save about our employees, and can I receive a copy?",
            "bot.data",
        ),
    ],
)
def test_the_chat_switched_back_a_new_number_a_diet_told_and_a_guessed_host_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Switching the chat back or from now on, more people coming, a diet told at signing up,
    reminders stopped, a calendar entry, who is behind it: as partners say it."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Kann ich die Besprechung auf 3 Uhr ändern?",
        "Wann hört die Veranstaltung auf?",
        "Welche Sprache spricht man im Chat beim Beisammensein?",
        "Was gibt es Veganes beim Buffet?",
    ],
)
def test_a_time_the_end_a_chat_at_the_event_and_vegan_food_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """A new time, the event's end, chatting at the get-together and the food stay elsewhere."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wo finde ich mein Ticket für den Einlass?", "bot.ticket"),
        ("Wo finde ich das Ticket?", "bot.ticket"),
        (
            "Ich finde mein Ticket leider nicht mehr – könnten Sie es mir erneut zusenden?",
            "bot.ticket",
        ),
        ("I spelled my name wrong in the registration, can I fix it?", "bot.change"),
        ("I want to sign up on behalf of our institute; how do I go about it?", "bot.register"),
        ("Ich möchte mich im Namen unseres Instituts anmelden, wie mache ich das?", "bot.register"),
        ("Welche personenbezogenen Daten haben Sie über mich gespeichert?", "bot.data"),
        (
            "Our data protection officer asks how you handle the personal data of partners.",
            "bot.data",
        ),
        ("Wie gehen Sie mit den personenbezogenen Daten der angemeldeten Partner um?", "bot.data"),
    ],
)
def test_own_ticket_a_misspelt_name_an_institute_and_personal_data_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Where one's ticket is, a name spelt wrong, signing up for one's institute, and the
    formal "personenbezogene Daten": as partners say it."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Könnten Sie mir seine Handynummer geben?",
        "I would like to sign up for the newsletter on behalf of our institute",
        "Wo finde ich den Ticketschalter am Bahnhof?",
    ],
)
def test_a_speaker_s_mobile_number_a_newsletter_and_a_ticket_office_are_not_the_bot_s(
    answerer: Answerer, question: str
) -> None:
    """A private phone number, a newsletter for an institute and a ticket office go on."""
    assert not (topic_of(answerer, question) or "").startswith(PREFIX), answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "Dürfte ich fragen, wie ich mich über diesen Chat verbindlich zur Konferenz anmelden"
            " kann?",
            "bot.register",
        ),
        (
            "Könnten Sie mir erklären, wie ich mich und meine Kollegin anmelden kann?",
            "bot.register",
        ),
        (
            "Could you let me know until when registration for the conference is open?",
            "bot.register",
        ),
        (
            "Wie kann ich in meiner bereits abgeschickten Anmeldung die Personenzahl von zwei auf"
            " drei erhöhen?",
            "bot.change",
        ),
        ("Kann ich die Personenzahl in meiner Anmeldung auf drei erhöhen?", "bot.change"),
        ("I registered with the wrong surname; is there a way to correct it?", "bot.change"),
        (
            "My colleague prefers German. May I ask how the language of this chat can be switched"
            " to German?",
            "bot.language",
        ),
        (
            "Wäre es möglich, die Nachrichten dieses Bots künftig auf Englisch zu erhalten?",
            "bot.language",
        ),
        (
            "May I ask what personal data this bot stores about me and whether I could receive a"
            " copy?",
            "bot.data",
        ),
        (
            "Ich würde gern wissen, welche personenbezogenen Daten Sie im Rahmen meiner Anmeldung"
            " über mich speichern.",
            "bot.data",
        ),
        ("pls stop sending me reminders, i'll remember", "bot.reminders"),
    ],
)
def test_formal_and_polite_wordings_find_the_bot_s_topic(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Signing up through the chat, a number raised in a sent registration, the chat's language
    switched, one's data and a copy, a wrong surname and reminders not needed: asked politely."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)
