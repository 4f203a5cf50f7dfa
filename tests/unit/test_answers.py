"""Partners' free-text questions find the right programme topic, or honestly none."""

from __future__ import annotations

from typing import Any

import pytest

from bot.programme.model import (
    SHIPPED_PROGRAMME,
    Programme,
    parse_programme,
    programme_data,
)
from bot.questions import answering
from bot.questions.answering import (
    MAX_QUESTION_CHARS,
    MAX_QUESTION_WORDS,
    MAX_WORD_CHARS,
    Answerer,
    LearnedTopic,
    learned_id,
)
from tests.unit.conftest import topic_of

# Agenda topics of the shipped programme, by index into programme.agenda_sorted.
DOORS = "agenda:0"
WELCOME = "agenda:1"
WHAT_NEXT = "agenda:3"
GET_TOGETHER = "agenda:4"

# (question, expected topic): written the way partners type, not copied from the YAML.
ANSWERABLE: list[tuple[str, str]] = [
    # event_date
    ("wann gehts los?", "event_date"),
    ("Um welche Uhrzeit fängt das an?", "event_date"),
    ("An welchem Datum ist die Klimakonferenz?", "event_date"),
    ("what time does it kick off", "event_date"),
    ("When does it finish?", "event_date"),
    ("Is it on a Tuesday?", "event_date"),
    ("WANN BEGINNT DIE VERANSTALTUNG", "event_date"),
    ("date of the event pls", "event_date"),
    ("Bis wann geht das ungefähr?", "event_date"),
    # venue
    ("whats the address", "venue"),
    ("wo muss ich hin", "venue"),
    ("Wo genau ist die Alte Handelsborse?", "venue"),
    ("Adresse vom Veranstaltungsort?", "venue"),
    ("where is it held?", "venue"),
    ("In welchem Gebäude ist das?", "venue"),
    ("location?", "venue"),
    # directions
    ("wie komme ich da hin", "directions"),
    ("Welche Tram nehme ich vom Hauptbahnhof?", "directions"),
    ("how do I get there from the main station", "directions"),
    ("Anreise mit Bus und Bahn?", "directions"),
    ("Wie weit ist es vom Hbf zu Fuß?", "directions"),
    ("public transport to the venue?", "directions"),
    # accessibility
    ("Komme ich mit dem Rollstuhl rein?", "accessibility"),
    ("is the building wheelchair accessible", "accessibility"),
    ("Gibt es einen Fahrstuhl?", "accessibility"),
    ("Barrierefreiheit?", "accessibility"),
    ("Ist der Saal stufenlos erreichbar?", "accessibility"),
    # keynote (the shown keynote, not the agenda line of the same talk)
    ("Wer hält den Hauptvortrag?", "keynote"),
    ("worüber redet levermann", "keynote"),
    ("Who is Anders Levermann?", "keynote"),
    ("wann ist die keynot", "keynote"),
    ("what's the keynote about", "keynote"),
    ("Spricht jemand vom PIK?", "keynote"),
    ("Levermnn Vortrag Uhrzeit", "keynote"),
    ("Worum geht es im Festvortrag?", "keynote"),
    ("talk by the potsdam institute – when?", "keynote"),
    # programme
    ("Wie sieht der Ablauf aus?", "programme"),
    ("Kann ich das Programm irgendwo sehen?", "programme"),
    ("AGENDA?", "programme"),
    ("Gibt es einen Zeitplan", "programme"),
    ("schedule for tonight pls", "programme"),
    # parking
    ("Gibt es Parkmöglichkeiten in der Nähe?", "parking"),
    ("Wo stelle ich mein Auto ab?", "parking"),
    ("where can i leave my car", "parking"),
    ("Is there a car park nearby?", "parking"),
    ("parkhaus in der naehe?", "parking"),
    # catering
    ("Gibt's was zu essen?", "catering"),
    ("Is there vegan food?", "catering"),
    ("Gibt es vegetarische Optionen?", "catering"),
    ("Wird ein Abendessen serviert?", "catering"),
    ("is there something to drink", "catering"),
    # dress_code
    ("Muss ich einen Anzug tragen?", "dress_code"),
    ("Is a tie required?", "dress_code"),
    ("dresscode??", "dress_code"),
    ("Krawattenpflicht?", "dress_code"),
    # cost
    ("Was kostet der Eintritt?", "cost"),
    ("Do I need to pay for a ticket?", "cost"),
    ("is it free of charge", "cost"),
    ("Muss ich was bezahlen?", "cost"),
    # invitation
    ("Darf ich eine Kollegin mitbringen?", "invitation"),
    ("Can I bring my colleague along?", "invitation"),
    ("who's invited to this", "invitation"),
    ("Kann meine Begleitung mitkommen?", "invitation"),
    # eu_mission
    ("Warum gibt es diese Feier?", "eu_mission"),
    ("What is the mission label about?", "eu_mission"),
    ("Was hat es mit dem EU-Label auf sich?", "eu_mission"),
    ("What award did Leipzig win in Vilnius?", "eu_mission"),
    ("was ist die eu mision", "eu_mission"),
    # klimastadtvertrag
    ("Klimastadtvertrag – was ist das?", "klimastadtvertrag"),
    ("tell me about the climate contract", "klimastadtvertrag"),
    ("Was bedeutet EKSP?", "klimastadtvertrag"),
    ("Wie viele Partner hat der Klimastadtvertag?", "klimastadtvertrag"),
    # language
    ("Ist die Konferenz auf Englisch?", "language"),
    ("do you offer interpretation into english", "language"),
    ("Welche Sprache wird gesprochen?", "language"),
    ("Will the talks be in German?", "language"),
    ("Gibt es einen Dolmetscher?", "language"),
    # cloakroom
    ("Kann ich meine Jacke irgendwo lassen?", "cloakroom"),
    ("Is there a coat check?", "cloakroom"),
    ("Wohin mit meinem Koffer?", "cloakroom"),
    ("garderobe vorhanden?", "cloakroom"),
    # photos
    ("Werden Fotos gemacht?", "photos"),
    ("Will there be a photographer?", "photos"),
    ("Ist die Presse da?", "photos"),
    ("Wird gefilmt?", "photos"),
    # agenda: doors open
    ("Ab wann ist Einlass?", DOORS),
    ("When do the doors open?", DOORS),
    # agenda: welcome by the Lord Mayor
    ("Wer hält das Grußwort?", WELCOME),
    ("When does the mayor speak?", WELCOME),
    ("Spricht der Oberbürgermeister auch?", WELCOME),
    ("Is Burkhard Jung coming?", WELCOME),
    ("wann ist die begruessung", WELCOME),
    ("Grusswort vom OB wann?", WELCOME),
    # agenda: what comes next
    ("Welche Förderangebote gibt es für Partner?", WHAT_NEXT),
    ("What support offers will the city present?", WHAT_NEXT),
    ("Are there funding opportunities?", WHAT_NEXT),
    ("Welche Aktivitaeten sind geplant?", WHAT_NEXT),
    # agenda: get-together
    ("Gibt es danach noch Networking?", GET_TOGETHER),
    ("is there a get together afterwards", GET_TOGETHER),
    ("Wann ist der Ausklang?", GET_TOGETHER),
    ("Bis wann kann man sich austauschen?", GET_TOGETHER),
]

# Questions the programme cannot answer: they must be relayed, not answered wrongly.
UNANSWERABLE: list[str] = [
    "Wann ist das Fußballspiel?",
    "Where is the nearest pharmacy?",
    "What's the weather tomorrow?",
    "Wie spät ist es?",
    "Can you book me a hotel?",
    "Wie ist das WLAN-Passwort?",
    "What's the wifi password?",
    "Wer gewinnt dieses Jahr die Bundesliga?",
    "Should I buy Bitcoin now?",
    "Wann fährt der nächste ICE nach Berlin?",
    "Wo ist die Buchmesse?",
    "When is the climate conference in Dresden?",
    "Wie komme ich zum Flughafen?",
    "Hallo, wie geht es dir?",
    "Erzähl mir einen Witz",
    "asdfghjkl qwertzuiop",
    "Was ist der Sinn des Lebens?",
    "Kannst du mir ein Taxi rufen?",
    "Is there a sauna?",
    "Gibt es Kinderbetreuung?",
    "Where can I buy a SIM card?",
    "Who won the election in France?",
    "How do I reset my password?",
    "Wann öffnet der Zoo Leipzig?",
    "Haben Sie Tickets für das Konzert im Gewandhaus?",
    "What time is it in New York?",
    "ok",
    "Wer?",
]

EMPTY_INPUTS: list[str] = ["", "   \n\t ", "👍🎉🌍", "?!?...", "—– ‹›", "🇩🇪 🙂 ❤️"]


def _programme_data() -> dict[str, Any]:
    """The shipped programme as plain data, to build variants of it."""
    return programme_data(SHIPPED_PROGRAMME)


@pytest.mark.parametrize(("question", "topic"), ANSWERABLE, ids=[q for q, _ in ANSWERABLE])
def test_question_finds_its_topic(answerer: Answerer, question: str, topic: str) -> None:
    match = answerer.match(question)
    assert match is not None, f"no confident answer for {question!r}: {answerer.rank(question)}"
    assert match.topic == topic
    assert 0 < match.score <= 100


@pytest.mark.parametrize("question", UNANSWERABLE, ids=UNANSWERABLE)
def test_question_outside_the_programme_is_not_answered(answerer: Answerer, question: str) -> None:
    assert answerer.match(question) is None


@pytest.mark.parametrize("text", EMPTY_INPUTS, ids=repr)
def test_input_without_words_is_not_answered(answerer: Answerer, text: str) -> None:
    assert answerer.match(text) is None


def test_question_set_covers_every_faq_topic(programme: Programme) -> None:
    asked = {topic for _, topic in ANSWERABLE}
    assert {entry.topic for entry in programme.faq} <= asked
    assert len(ANSWERABLE) >= 70 and len(UNANSWERABLE) >= 20


def test_agenda_topics_point_into_the_sorted_agenda(programme: Programme) -> None:
    agenda = programme.agenda_sorted
    assert agenda[int(DOORS.removeprefix("agenda:"))].title.de == "Einlass und Empfang"
    assert agenda[int(WELCOME.removeprefix("agenda:"))].speaker == "Burkhard Jung"
    assert agenda[int(WHAT_NEXT.removeprefix("agenda:"))].title.en.startswith("What comes next")
    assert "Get-together" in agenda[int(GET_TOGETHER.removeprefix("agenda:"))].title.de


def test_keynote_agenda_line_does_not_steal_keynote_questions(answerer: Answerer) -> None:
    # The agenda line's own title and speaker lead to the shown keynote, not to "agenda:2".
    for question in ["Perspektiven einer klimaneutralen Stadtentwicklung", "keynote", "Levermann"]:
        assert topic_of(answerer, question) == "keynote"


def test_when_questions_go_to_what_is_asked_about(answerer: Answerer) -> None:
    assert topic_of(answerer, "Wann geht es los?") == "event_date"
    assert topic_of(answerer, "Wann beginnt der Einlass?") == DOORS
    assert topic_of(answerer, "Wann beginnt die Keynote?") == "keynote"
    assert topic_of(answerer, "when is the get-together") == GET_TOGETHER


def test_spelling_variants_give_the_same_topic(answerer: Answerer) -> None:
    spellings = ["Alte Handelsbörse", "alte handelsboerse", "ALTE HANDELSBORSE", "alte handelsbrse"]
    assert [topic_of(answerer, f"Wo ist die {name}?") for name in spellings] == ["venue"] * 4


def test_two_topics_equally_likely_give_no_answer(words_only: Answerer) -> None:
    # Both the keynote and the Lord Mayor's welcome are talks (the examples make it the keynote).
    assert words_only.match("Wer spricht?") is None
    data = _programme_data()
    for topic in ("wifi", "internet"):
        data["faq"].append(
            {
                "topic": topic,
                "questions": {"de": ["Gibt es WLAN?"], "en": ["Is there wifi?"]},
                "keywords": ["wlan", "wifi"],
                "answer": "…",
            }
        )
    assert Answerer(parse_programme(data)).match("WLAN?") is None


def test_new_faq_topic_in_the_programme_file_becomes_answerable(answerer: Answerer) -> None:
    question = "Wie lautet das WLAN-Passwort?"
    assert answerer.match(question) is None
    data = _programme_data()
    data["faq"].append(
        {
            "topic": "wifi",
            "questions": {"de": ["Gibt es WLAN?"], "en": ["Is there wifi?"]},
            "keywords": ["wlan", "wifi", "internet", "passwort", "password"],
            "answer": {"de": "Netz: Klima, Passwort: leipzig2025", "en": "Network: Klima"},
        }
    )
    extended = Answerer(parse_programme(data))
    assert topic_of(extended, question) == "wifi"
    assert topic_of(extended, "whats the wifi password") == "wifi"


def test_keynote_speaker_comes_from_the_programme() -> None:
    data = _programme_data()
    data["keynote"]["speaker"] = "Dr. Jane Goodall"
    for item in data["agenda"]:
        if item.get("speaker") == "Prof. Dr. Anders Levermann":
            item["speaker"] = "Dr. Jane Goodall"
    answerer = Answerer(parse_programme(data))
    assert topic_of(answerer, "Who is Jane Goodall?") == "keynote"
    assert topic_of(answerer, "goodal talk") == "keynote"


def test_keynote_agenda_line_is_matchable_without_a_keynote_faq_entry() -> None:
    data = _programme_data()
    data["faq"] = [entry for entry in data["faq"] if entry.get("show") != "keynote"]
    data["examples"] = [e for e in data["examples"] if e["topic"] != "keynote"]
    programme = parse_programme(data)
    topic = topic_of(Answerer(programme), "Wann spricht Levermann?")
    assert topic is not None and topic.startswith("agenda:")
    assert programme.agenda_sorted[int(topic.removeprefix("agenda:"))].speaker == (
        "Prof. Dr. Anders Levermann"
    )


def test_agenda_index_follows_start_time_not_file_order() -> None:
    data = _programme_data()
    data["agenda"] = list(reversed(data["agenda"]))
    programme = parse_programme(data)
    topic = topic_of(Answerer(programme), "Wer hält das Grußwort?")
    assert topic is not None
    assert programme.agenda_sorted[int(topic.removeprefix("agenda:"))].speaker == "Burkhard Jung"


def test_venue_name_comes_from_the_programme(programme: Programme) -> None:
    venue = programme.event.venue.model_copy(
        update={"name": "Kongresshalle am Zoo", "address": "Pfaffendorfer Straße 31, 04105 Leipzig"}
    )
    # The examples name the old venue: a moved event needs new ones, and until then the words
    # decide alone.
    moved = programme.model_copy(
        update={"event": programme.event.model_copy(update={"venue": venue}), "examples": []}
    )
    answerer = Answerer(moved)
    assert topic_of(answerer, "Wo ist die Kongresshalle?") == "venue"
    assert topic_of(answerer, "pfaffendorfer strasse?") == "venue"


HOSTILE_TEXTS: dict[str, str] = {
    "emoji-rtl-html": (
        "🌍🎉 مرحبا بكم <b>Hallo</b> <script>alert(1)</script> שלום \u202e keynote \u200b " * 200
    )[:4096],
    "one-huge-word": "x" * 4096,
    "repeated-compound": "Parkmöglichkeiten" * 241,
    "many-words": " ".join(f"wort{i}abc Levermnn Handelsborse" for i in range(400))[:4096],
    "all-different-words": " ".join(f"w{i}x" for i in range(1000))[:4096],
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_long_hostile_text_costs_no_more_than_a_long_question(
    programme: Programme, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The work is bounded by counts, not by this machine's speed (bench/answer_speed.py
    times it): a few dozen words looked up, none longer than a real word."""
    assert len(text) >= 4000
    answerer = Answerer(programme)  # its own, for the counting
    looked_up: list[str] = []
    lookup = answerer._lookup

    def counted(word: str) -> dict[str, float]:
        looked_up.append(word)
        return lookup(word)

    monkeypatch.setattr(answerer, "_lookup", counted)
    found = answerer.match(text)
    assert len(looked_up) <= MAX_QUESTION_WORDS
    assert all(len(word) <= MAX_WORD_CHARS for word in looked_up)
    assert found == answerer.match(text[:MAX_QUESTION_CHARS])


def test_learned_wording_answers_other_wordings_and_nothing_else(programme: Programme) -> None:
    cake = LearnedTopic.of(7, ["Gibt es vegane Kuchen am Nachmittag?"])
    answerer = Answerer(programme, learned=[cake])
    assert topic_of(answerer, "Bekomme ich nachmittags veganen Kuchen?") == "learned:7"
    assert learned_id("learned:7") == 7 and learned_id("venue") is None
    assert topic_of(answerer, "Wo findet die Konferenz statt?") == topic_of(
        Answerer(programme), "Wo findet die Konferenz statt?"
    )


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Is there a tie requirement?", "dress_code"),
        ("Where is the cloakroom located inside?", "cloakroom"),
    ],
)
def test_one_unknown_word_beside_a_strong_keyword_does_not_sink_it(
    answerer: Answerer, question: str, topic: str
) -> None:
    """ "requirement" and "inside" are unknown to the programme, but the keyword says it all."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Is there wifi at the venue?",  # the keyword only says where
        "Wie wird das Wetter am 10. Juni?",  # the date only says when
        "Was kostet ein Hotelzimmer in Leipzig?",  # an unknown noun is what it is about
        "Can I rent a bike at the station?",  # two unknown words
    ],
)
def test_strong_keyword_does_not_excuse_what_the_question_is_really_about(
    answerer: Answerer, question: str
) -> None:
    assert answerer.match(question) is None, answerer.rank(question)


def test_learned_entries_about_other_things_leave_programme_answers_alone(
    programme: Programme, answerer: Answerer
) -> None:
    things = "wlan kinderbetreuung hund steckdose gebetsraum rechnung raucherbereich flyer"
    learned = [
        LearnedTopic.of(i, [f"Gibt es {thing} {extra}?"])
        for i, thing in enumerate(things.split())
        for extra in ("vor ort", "für partner", "am eingang", "im saal", "beim empfang")
    ]
    taught = Answerer(programme, learned=learned)
    questions = [question for question, _ in ANSWERABLE] + ["where is my ticket"]
    assert [topic_of(taught, q) for q in questions] == [topic_of(answerer, q) for q in questions]


def test_the_discount_is_what_keeps_the_keyword_ahead(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting the unknown word in full, the question would be relayed."""
    question = "Is there a tie requirement?"
    assert topic_of(answerer, question) == "dress_code"
    monkeypatch.setattr(answering, "UNKNOWN_BESIDE_STRONG", 1.0)
    assert topic_of(answerer, question) is None


def test_unknown_circumstance_beside_a_strong_keyword_does_not_sink_it(
    words_only: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "in der Pause" only says when: the coffee is what the question is about."""
    question = "Gibt es Kaffee in der Pause?"
    assert topic_of(words_only, question) == "catering", words_only.rank(question)
    monkeypatch.setattr(answering, "UNKNOWN_IN_PHRASE_BESIDE_STRONG", 1.0)
    assert topic_of(words_only, question) is None


@pytest.mark.parametrize(
    "question",
    [
        "Is the zoo open on Sunday?",  # the subject is unknown, not only the circumstance
        "Wer ist der Bürgermeister von Dresden?",  # "von Dresden" says which mayor
        "Wie hoch sind die Kita-Gebühren?",  # an unknown first part: another thing's fees
        "Wo bekomme ich einen Personalausweis?",  # only the first part is known ("personal")
    ],
)
def test_unknown_phrase_or_part_that_names_another_thing_is_relayed(
    answerer: Answerer, question: str
) -> None:
    assert answerer.match(question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("saved", "asked"),
    [
        # an aspect of the known thing after the hyphen
        ("Gibt es WLAN vor Ort?", "Wie lautet das WLAN-Passwort?"),
        # the saved word inside a phrase, beside an unknown verb
        ("Gibt es WLAN vor Ort?", "Kann ich mich irgendwo ins WLAN einloggen?"),
        # a compound written apart
        ("Gibt es eine Kinderbetreuung?", "Kann ich meine Kinder betreuen lassen?"),
        ("Gibt es einen Fahrradständer?", "Wo ist der Fahrrad Ständer?"),
    ],
)
def test_learned_entry_answers_other_wordings_of_its_thing(
    programme: Programme, saved: str, asked: str
) -> None:
    answerer = Answerer(programme, learned=[LearnedTopic.of(3, [saved])])
    assert topic_of(answerer, asked) == "learned:3", answerer.rank(asked)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Kann jeder teilnehmen?", "invitation"),
        ("Can anyone attend?", "invitation"),
        ("Darf jeder mitmachen und teilnehmen?", "invitation"),
    ],
)
def test_who_may_take_part_is_the_invitation_not_the_registration(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Who holds the welcome address?", WELCOME),  # "welcome address" is one keyword
        ("What is the address?", "venue"),  # its word alone still means the venue
        ("Is a plus one allowed?", "invitation"),
        ("Dürfen wir zu viert erscheinen?", "invitation"),  # "zu viert", stop word and all
        ("Can I bring a plus-one?", "invitation"),  # written with a hyphen as in the keyword
        ("What is 2 plus 2?", None),  # "plus-one" is a phrase: "plus" alone is not the topic
    ],
)
def test_keyword_of_several_words_matches_only_as_that_phrase(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "Wann darf man reinkommen?",
        "Ab wann lassen die uns rein?",
        "What time are we admitted?",
    ],
)
def test_getting_in_is_the_doors_not_the_event_start(answerer: Answerer, question: str) -> None:
    assert topic_of(answerer, question) == DOORS, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Warum ist die Straßenbahn so langsam?", None),  # a state of the world
        ("Why is the main station always so crowded?", None),
        ("Why is there no parking at the venue?", "parking"),  # every word known
        ("Warum gibt es keine Übersetzung?", "language"),
    ],
)
def test_why_question_needs_more_than_a_keyword_beside_an_unknown_word(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


def test_learned_entry_of_several_things_needs_two_of_them(programme: Programme) -> None:
    """One word of "charging stations for e-bikes" is another question."""
    answerer = Answerer(
        programme, learned=[LearnedTopic.of(5, ["Are there charging stations for e-bikes?"])]
    )
    assert topic_of(answerer, "Can I charge my e-bike there?") == "learned:5"
    assert topic_of(answerer, "Can I rent a bike at the station?") is None


@pytest.mark.parametrize(
    ("saved", "asked"),
    [
        # getting something says nothing about what
        ("Gibt es eine Pressemappe?", "Wo bekomme ich die Pressemappe?"),
        ("Gibt es Infomaterial zum Mitnehmen?", "Erhalte ich Infomaterial?"),
        # a particle verb is about its verb
        ("Gibt es Steckdosen zum Laden vom Handy?", "Kann man dort das Handy aufladen?"),
    ],
)
def test_learned_entry_is_found_past_generic_verbs_and_particles(
    programme: Programme, saved: str, asked: str
) -> None:
    # Another entry asked with the same verb must not tie with it.
    certificate = LearnedTopic.of(4, ["Bekomme ich eine Teilnahmebescheinigung?"])
    answerer = Answerer(programme, learned=[LearnedTopic.of(3, [saved]), certificate])
    assert topic_of(answerer, asked) == "learned:3", answerer.rank(asked)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wie bekomme ich das Ticket?", "bot.ticket"),  # getting the ticket is the bot's
        ("Was kostet das Ticket?", "cost"),  # its price is the programme's
    ],
)
def test_ticket_questions_go_by_what_is_asked(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Darf meine Begleitperson auch kommen?", "invitation"),
        ("Is the event public?", "invitation"),
        ("Welcher Raum?", "venue"),
        ("Ist das Essen glutenfrei?", "catering"),
        ("Darf ich in Turnschuhen kommen?", "dress_code"),
        ("Where can I leave my backpack?", "cloakroom"),
        ("Gibt es Zuschüsse für Partner?", WHAT_NEXT),
        ("Kann man sich beim Ausklang vernetzen?", GET_TOGETHER),
        # colloquial and everyday words for each topic's thing
        ("When does the event wrap up?", "event_date"),
        ("Welche Straßenbahnlinie fahre ich?", "directions"),
        ("Komme ich mit dem Rolli rein?", "accessibility"),
        ("I use crutches, are there many steps?", "accessibility"),
        ("Können Sie mir das Programm schicken?", "programme"),  # "schicken" is not "schick"
        ("Kann ich mein E-Auto dort laden?", "parking"),
        ("Ich bin Veganerin, gibt es was für mich?", "catering"),
        ("Is a hoodie ok?", "dress_code"),
        ("How dressed up should I be?", "dress_code"),
        ("Darf mein Mann mitkommen?", "invitation"),
        ("Can my husband come along?", "invitation"),
        ("Is it only for big companies?", "invitation"),
        ("Warum wird gefeiert?", "eu_mission"),
        ("Are there lockers?", "cloakroom"),
        ("Are pictures posted online?", "photos"),
        ("Gibt es künftig Förderungen für Partner?", WHAT_NEXT),
        ("Gibt es danach noch ein gemütliches Beisammensein?", GET_TOGETHER),
        # the thing named the way business partners and non-native speakers put it
        ("What hour does it start?", "event_date"),
        ("Ist das eine Abendveranstaltung oder tagsüber?", "event_date"),
        ("What's the street address?", "venue"),
        ("What is the title of the keynote?", "keynote"),
        ("What is planned for the evening?", "programme"),
        ("Was ist für den Abend geplant?", "programme"),
        ("Wird Geschäftskleidung erwartet?", "dress_code"),
        ("Fallen Gebühren für die Teilnahme an?", "cost"),
        ("Can my colleague join me?", "invitation"),
        ("My German is basic, will I understand the talks?", "language"),
        ("Where can I store my suitcase?", "cloakroom"),
        ("Ich bin etwas früher da, kann man dann schon rein?", DOORS),
        ("Will the city present funding programmes?", WHAT_NEXT),
        ("Kann man nach dem offiziellen Teil noch netzwerken?", GET_TOGETHER),
        ("Can we talk to other partners after the speeches?", GET_TOGETHER),
        # who and what takes part, what was won, where a car or bag is left: the everyday words
        ("Welche Organisationen sind beim Klimastadtvertrag dabei?", "klimastadtvertrag"),
        ("Which organisations take part in the climate city contract?", "klimastadtvertrag"),
        ("Is there a place for my car near the venue?", "parking"),
        ("Wo lasse ich mein Auto, wenn ich mit dem Wagen komme?", "parking"),
        ("Darf ich meinen Doktoranden mitbringen?", "invitation"),
        ("Can I bring my PhD student?", "invitation"),
        ("Für wen ist die Veranstaltung gedacht?", "invitation"),
        ("Who is the event intended for?", "invitation"),
        ("Was ist an dem Abend geplant?", "programme"),
        ("Is there time for informal exchange with other partners?", GET_TOGETHER),
        ("Was hat Leipzig gewonnen?", "eu_mission"),
        ("What did Leipzig win?", "eu_mission"),
        ("Can I leave it somewhere? It is a big suitcase.", "cloakroom"),
        # colloquial food, clothes, stage and way words of partners on the day
        ("Gibt es da was zu futtern?", "catering"),
        ("Can I grab a bite to eat there?", "catering"),
        ("Eher locker oder fein machen?", "dress_code"),
        ("When is Levermann on stage?", "keynote"),
        ("Wann steht Levermann auf der Bühne?", "keynote"),
        ("Sagt der OB ein paar Worte?", WELCOME),
        ("Will the mayor say a few words?", WELCOME),
        ("I'm lost, which way to the venue?", "directions"),
        ("Ich habe mich verirrt – wie finde ich hin?", "directions"),
        ("Kommt das Fernsehen?", "photos"),
        ("Kommen Medien?", "photos"),
        ("Ist alles komplett auf Deutsch?", "language"),
        # how many may come, who takes part, who depends on a wheelchair
        ("How many of our staff can come at most?", "invitation"),
        ("Wie viele Einrichtungen machen beim Klimastadtvertrag mit?", "klimastadtvertrag"),
        ("Mein Chef ist auf den Rollstuhl angewiesen – kommt er in den Saal?", "accessibility"),
        ("Bis wie spät geht der Abend?", "event_date"),
        ("What is the appropriate attire?", "dress_code"),
        ("In welcher Reihenfolge läuft der Abend?", "programme"),
        ("Kommt man im Rollstuhl ohne fremde Hilfe hinein?", "accessibility"),
        # letting people in, how late it goes on, parking near the venue named in full,
        # posting photos, orgs in the contract, the town halls beside the venue
        ("When do you let guests in?", DOORS),
        ("Ist um halb fünf schon offen?", DOORS),
        ("Ab wann werden die Gäste in den Saal gelassen?", DOORS),
        ("How late does it go on?", "event_date"),
        ("Is there parking near the Old Stock Exchange?", "parking"),
        ("Posten Sie Fotos der Gäste?", "photos"),
        ("Are you going to post photos of the guests on LinkedIn?", "photos"),
        ("How many orgs are in the Klimastadtvertrag?", "klimastadtvertrag"),
        ("Is it in the New Town Hall?", "venue"),
        ("Ist das im Alten Rathaus?", "venue"),
        ("Is there a part about the next steps after the label?", WHAT_NEXT),
        # following talks in another language, staying longer, arriving too early, support on
        # offer, vegetarian food, what to expect, whether to dress smart
        ("Our colleague only speaks English, can she follow the presentations?", "language"),
        ("Can I stay a bit longer afterwards and talk with the others?", GET_TOGETHER),
        ("I'll be too early, do I have to wait outside?", DOORS),
        ("Which support does the city offer to finance our projects?", WHAT_NEXT),
        ("Gibt es beim Get-together auch was Vegetarisches?", "catering"),
        ("Was erwartet mich an dem Abend?", "programme"),
        ("Is it smart, or can I turn up in a t-shirt?", "dress_code"),
        # being invoiced, a rundown, being fed, what the city was recognised for, a live
        # broadcast, time afterwards, a recent operation, impaired sight
        ("Will partners be invoiced for attending?", "cost"),
        ("Wird uns die Teilnahme in Rechnung gestellt?", "cost"),
        ("Is there a rundown of the evening?", "programme"),
        ("Will you be feeding us?", "catering"),
        ("What was the city recognised for?", "eu_mission"),
        ("Is the keynote streamed or broadcast?", "photos"),
        ("Bleibt im Anschluss noch Zeit zum Plaudern?", GET_TOGETHER),
        ("Ich bin frisch operiert, gibt es viele Treppen?", "accessibility"),
        ("My colleague is visually impaired, what should we know?", "accessibility"),
        # getting into the building, still closed, a headliner, the address for the navigation
        # system, media coming, whether only partners or everyone may come
        ("When can we get into the building?", DOORS),
        ("Ist um halb fünf noch geschlossen?", DOORS),
        ("Who is the headliner this year?", "keynote"),
        ("Welche Adresse soll ich ins Navi eingeben?", "venue"),
        ("Sind Medienvertreter dabei?", "photos"),
        ("Is it only for the partners or can everyone come?", "invitation"),
        ("Darf jeder kommen oder nur die Partner?", "invitation"),
        # admission beginning, a video message instead of the mayor, a rough timetable, coming
        # from a building site, a gluten intolerance taken into account, limited mobility
        ("When does admission begin?", DOORS),
        ("Does the mayor come in person or send a video message?", WELCOME),
        ("Is there a rough timetable?", "programme"),
        ("Kann man direkt von der Baustelle kommen?", "dress_code"),
        ("Wird auf eine Glutenunverträglichkeit Rücksicht genommen?", "catering"),
        ("Is the hall suitable for guests with limited mobility?", "accessibility"),
        # a hearing loop, a car park within walking distance, reserved parking spaces, the
        # programme's individual items, the city's plans for the coming years, a dress rule
        ("Gibt es eine Höranlage für Schwerhörige?", "accessibility"),
        ("Is there a car park within walking distance?", "parking"),
        ("Sollte ich besser auf ein Parkhaus ausweichen?", "parking"),
        ("Werden Stellplätze reserviert?", "parking"),
        ("What are the individual items of the programme?", "programme"),
        ("Stellt die Stadt ihre geplanten Aktivitäten für die kommenden Jahre vor?", WHAT_NEXT),
        ("Gibt es eine Kleidervorschrift?", "dress_code"),
        ("Is there a particular dress code?", "dress_code"),
    ],
)
def test_shipped_programme_knows_everyday_words_for_its_entries(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


def test_learned_entry_with_a_short_wording_needs_one_word(programme: Programme) -> None:
    """Its wordings together name three things, but one wording names only two."""
    dog = LearnedTopic.of(6, ["Can I bring my dog?", "Darf mein Hund mit?"])
    answerer = Answerer(programme, learned=[dog])
    assert topic_of(answerer, "Is my dog allowed?") == "learned:6", answerer.rank(
        "Is my dog allowed?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Do you have a job opening?",  # "job" is a noun though English writes it in lower case
        "Wann kommt der nächste Bus nach Dresden?",  # transport to another place
        "Which tram goes to Plagwitz?",
        "Is there a welcome package?",
        "Any good bars near the main station?",  # a noun after a quantifier and an adjective
    ],
)
def test_lower_case_noun_or_other_destination_is_relayed(answerer: Answerer, question: str) -> None:
    assert answerer.match(question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wie komme ich mit der Bahn nach Leipzig zur Handelsbörse?", "directions"),
        ("How do I get to the venue by tram?", "directions"),
        ("Wo ist die Garderobe?", "cloakroom"),
        ("Is the conference in English?", "language"),
        ("Wird auf Englisch gesprochen?", "language"),
    ],
)
def test_the_venue_and_the_event_language_keep_their_questions(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Ich sitze im Rollstuhl, kann ich teilnehmen?", "accessibility"),
        ("I'm vegetarian, can I attend?", "catering"),
    ],
)
def test_a_specific_subject_outweighs_taking_part(
    answerer: Answerer, question: str, topic: str
) -> None:
    """Taking part is what every question about the event is for; the subject decides."""
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    ["Hagelt es am 10. Juni?", "Snowing on 10 June?"],
)
def test_an_unknown_first_word_beside_the_date_is_relayed(
    answerer: Answerer, question: str
) -> None:
    """The date only says when; the unknown verb opening the question says what."""
    assert answerer.match(question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what time does it finish? need to tell my wife when im back home", "event_date"),
        ("werden fotos gemacht? will eigentlich nicht im netz landen", "photos"),
        ("Ich komme mit dem Auto aus Halle. Wo kann ich parken?", "parking"),
        ("my colleague has celiac disease – anything gluten free?", "catering"),  # a dash too
        # The polite "Sie" points at nobody in the context.
        (
            "Ich bin Doktorandin im Bereich Stadtklimatologie. Könnten Sie mir sagen, wer den "
            "Hauptvortrag hält?",
            "keynote",
        ),
        # The question decides even when the context alone would seem to (a train to Dresden).
        (
            "Ich muss abends noch einen Zug nach Dresden erreichen. Wann ist die Konferenz "
            "ungefähr zu Ende?",
            "event_date",
        ),
        # A question of common words and question words alone still decides.
        (
            "Bis wann geht die Veranstaltung ungefähr? Ich muss meinen Zug zurück nach Dresden "
            "planen.",
            "event_date",
        ),
        # typed without a question mark: the clause opening with a question word
        (
            "wann ist das ende ungefähr, muss danach noch meinen zug nach dresden kriegen",
            "event_date",
        ),
        ("what time does it finish tmrw, need to catch a train", "event_date"),  # chat shorthand
        # ... but a question word and filler alone are no question of their own
        ("left my umbrella in the hall last night, who do i ask", None),
        # unknown words of the context say why one asks
        (
            "I always forget appointments if they are not in my Outlook. Is it possible to get "
            "the event as a calendar entry?",
            "bot.calendar",
        ),
        # a reason or condition opening the question sentence is context too
        (
            "Because I am on holidays until end of May, I want to know until when I can "
            "register myself for the conference at the latest?",
            "bot.register",
        ),
        # an indirect question typed without a question mark
        (
            "Da ich aus dem Umland komme und mit dem Dienstwagen fahren muss, wollte ich "
            "fragen, ob es in der Nähe der Alten Handelsbörse eine Parkmöglichkeit gibt.",
            "parking",
        ),
        ("hab nen strafzettel am naschmarkt bekommen, wer zahlt das", None),
        # a question that names nothing, not even the event, is about its context
        (
            "Uns interessieren die Unterstützungsangebote der Stadt – wann kommen die dran?",
            WHAT_NEXT,
        ),
        ("Wann genau ist die Konferenz? Ich muss das mit meinem Urlaub abstimmen.", "event_date"),
        # asked by way of what one wants to know
        (
            "Our team at the Leipziger Stadtwerke would like to know where exactly the "
            "conference will be held.",
            "venue",
        ),
        # a question that goes on after a dash is one question
        ("What time is the Lord Mayor's welcome address – before or after Levermann?", WELCOME),
        # a colon ends a lead-in ("deshalb frage ich vorsichtshalber:")
        (
            "Für unsere Pressemeldung wüssten wir gern Bescheid: Wird Oberbürgermeister "
            "Burkhard Jung persönlich ein Grußwort halten?",
            WELCOME,
        ),
        (
            "Guten Tag, da ich aus Chemnitz anreise, wüsste ich gern, um wie viel Uhr die "
            "Veranstaltung am 10. Juni ungefähr zu Ende sein wird.",
            "event_date",
        ),
        # "there" and "es" that point nowhere leave the context aside
        ("I will bring my laptop. Is there a cloakroom?", "cloakroom"),
        ("Mein Auto ist ein Elektroauto. Gibt es einen Dresscode?", "dress_code"),
        # the whole message wins when it is clearer than the question alone
        ("Ich sitze im Rollstuhl. Ist der Saal für mich erreichbar?", "accessibility"),
        # The question points back at its context, which names the real subject.
        ("Ich habe einen Hund. Darf ich ihn mitbringen?", None),
        ("Ich suche noch ein Hotel. Wo ist das?", None),
    ],
)
def test_a_sentence_of_context_beside_the_question_does_not_sink_it(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "Sehr geehrte Damen und Herren, bis wann geht die Veranstaltung? "
            "Mit freundlichen Grüßen",
            "event_date",
        ),
        ("Hi there, is there parking? Kind regards", "parking"),
        ("wann genau ist die konferrenz, dienstag oder?", "event_date"),  # a misspelt stop word
        ("Findet die Konferenz abends statt?", "event_date"),
        ("Is it in the evening?", "event_date"),
        ("Findet die Klimakonferenz tagsüber oder erst abends statt?", "event_date"),
        ("Ist das am Dienstag oder Mittwoch?", "event_date"),  # another weekday is a date too
        ("parkplatz vor ort?", "parking"),  # "vor Ort" says where, not "the venue"
        ("wo genau findet dsa statt?", "venue"),  # two letters of "das" swapped
        ("Können Sie mir bitte die genaue Anschrift schicken?", "venue"),  # common words
        ("Who is the guest speaker this year?", "keynote"),  # "this year" is this event
        ("Wer hält dieses Jahr den Festvortrag?", "keynote"),
        ("At what time is ending the event?", "event_date"),  # "ending" is "end", no typo
        # where one heard of it and how short the answer may be
        ("Was ist eigentlich dieser Klimastadtvertrag, von dem alle reden?", "klimastadtvertrag"),
        ("What's this EU label everyone keeps talking about?", "eu_mission"),
        ("Can you explain the Klimastadtvertrag in a few words?", "klimastadtvertrag"),
        ("Quick one: what time does it finish?", "event_date"),
        ("wann is das ding nochmal genau? hab die mail von meiner chefin nich mehr", "event_date"),
        (
            "Mein Kollege ist seit letzter Woche auf Krücken – gibt es dort viele Treppen?",
            "accessibility",
        ),
        ("Ich möchte nicht auf Fotos erscheinen.", "photos"),  # common verbs
        ("bleibt danach noch zeit zum netzwerken?", GET_TOGETHER),
        ("gibts was zu essen oder solln wir vorher noch was essen gehen", "catering"),
        ("Kann ich meinen Rucksack irgendwo abgeben, während ich im Saal bin?", "cloakroom"),
        ("Liebe Damen und Herren, gibt es beim Essen was Veganes?", "catering"),
        ("Wann kommt der Teil mit den Unterstützungsangeboten?", WHAT_NEXT),
        ("when does the leipzig climate conference end roughly", "event_date"),
        ("Is there a way to reach the organisers if something goes wrong?", "bot.contact"),
        # formal German: the Konjunktiv, an infinitive with "zu", "this occasion"
        ("Wäre es möglich, mir den genauen Ablauf des Abends mitzuteilen?", "programme"),
        ("Darf ich fragen, welche Kleidung für diesen Anlass angemessen ist?", "dress_code"),
        ("Could you kindly tell me the exact address, so that I can pass it on?", "venue"),
        # polite ways into the question
        (
            "Wären Sie so freundlich, mir mitzuteilen, wie ich vom Hauptbahnhof am besten zur "
            "Alten Handelsbörse gelange?",
            "directions",
        ),
        ("Would you be able to advise me of the exact address of the venue?", "venue"),
        (
            "Ich möchte Sie bitten, sämtliche über mich gespeicherten Daten zu löschen. Wie "
            "könnte ich das veranlassen?",
            "bot.delete",
        ),
    ],
)
def test_greetings_typos_of_filler_and_the_time_of_day_are_understood(
    answerer: Answerer, question: str, topic: str
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    "question",
    [
        "kann ich meinen hund mitbringen? 🐶 ist ganz lieb",  # a noun in an all lower-case text
        "wie wird das wetter am 10. juni?",
        "who is the mayor of dresden",  # "of" names which one
    ],
)
def test_nouns_written_in_lower_case_still_say_what_is_asked(
    answerer: Answerer, question: str
) -> None:
    assert answerer.match(question) is None, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wie komme ich zur Alten Handelsbörse?", "directions"),  # the way, not the address
        ("How do I get to the venue?", "directions"),
        ("Wo ist die Handelsbörse?", "venue"),
        ("Alte Handelsbörse", "venue"),
        ("How do I get my ticket?", "bot.ticket"),  # "get" a thing is no way anywhere
        ("Wie komme ich nach Halle?", None),  # another town, though "Halle" is like "hall"
        ("Wie weit ist es vom Hauptbahnhof?", "directions"),
        ("Wie erreiche ich jemanden vom Orga-Team?", "bot.contact"),  # one reaches people too
        ("Ist der Ort barrierefrei?", "accessibility"),  # the place is where, not a rival topic
        ("I will come by car from Halle – where can I leave it?", "parking"),
        ("How far is Vilnius from Leipzig by train?", None),  # how far says less than the way
    ],
)
def test_asking_the_way_is_the_directions_even_when_it_names_the_venue(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


def test_every_example_wording_of_the_programme_gets_its_topic(programme: Programme) -> None:
    """Asked as the organisers wrote them, their examples are answered, however few words they
    share with the topic's other terms ("Für wen ist die Veranstaltung?")."""
    answerer = Answerer(programme)
    missed = [
        (question, entry.topic, answerer.rank(question)[:2])
        for entry in programme.faq
        for question in (*entry.questions.de, *entry.questions.en)
        if topic_of(answerer, question) != entry.topic
    ]
    assert not missed


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Our HR team asks whether there is a dress code.", "dress_code"),
        ("Unsere Geschäftsführung fragt, was die Teilnahme kostet.", "cost"),
        ("Ist die Teilnahme für uns als kleinen Verein kostenlos?", "cost"),  # a role
        ("Können wir als Verein teilnehmen?", "invitation"),  # who may come is still asked
        ("Wann kommt Levermann dran?", "keynote"),
        ("Wer ist Levermann?", "keynote"),
        # A name says who; what is asked about them is not the programme's business.
        ("Ist Levermann verheiratet?", None),
        # A name of several words is one thing: naming it is not twice the evidence.
        ("Ist Anders Levermann verheiratet?", None),
        ("Wann wurde die Alte Handelsbörse gebaut?", None),
        ("Wo ist die Alte Handelsbörse?", "venue"),
    ],
)
def test_who_asks_is_context_and_a_name_is_no_subject_of_its_own(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Kann ich einen Vortrag halten?", None),
        ("Could we present our project at the conference?", None),
        ("Können wir einen Stand aufbauen?", None),
        ("Könnte Herr Levermann auch bei uns im Unternehmen einen Vortrag halten?", None),
        ("Wir fragen uns, ob wir einen Vortrag über unser Projekt halten können.", None),
        ("Können wir als Unternehmen das Get-together sponsern?", None),  # sponsoring
        ("Kann mein Chef kurz auf der Bühne was zu unserem Projekt sagen?", None),  # the stage
        # asking whether someone else gives a talk is no offer of one's own
        ("Könnten Sie mir sagen, ob Oberbürgermeister Jung ein Grußwort halten wird?", WELCOME),
        ("Wer ist dieser Herr Levermann?", "keynote"),  # "Herr" is no word of its own
        ("Wer hält den Vortrag?", "keynote"),
        ("Can I present my ticket on my phone?", "bot.ticket"),
    ],
)
def test_offering_a_contribution_of_ones_own_goes_to_the_organisers(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


def test_a_learned_entry_still_answers_a_request_to_contribute(programme: Programme) -> None:
    """Organisers may have answered "Dürfen wir einen Stand aufbauen?" before: then it is theirs."""
    learned = [LearnedTopic.of(7, ["Dürfen Partner einen Stand aufbauen?"])]
    answerer = Answerer(programme, learned=learned)
    assert topic_of(answerer, "Können wir einen Stand aufbauen?") == "learned:7"
    assert topic_of(Answerer(programme), "Können wir einen Stand aufbauen?") is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Meine Kollegin sitzt im Rollstuhl. Kommt sie da gut rein?", "accessibility"),
        ("My colleague is vegan – is there anything for her?", "catering"),
        ("meine kollegin sitzt im rolli, kommt sie da gut rein?", "accessibility"),
        ("Ein Kollege hat eine Nussallergie – ist das beim Essen berücksichtigt?", "catering"),
        # An unknown opener stays the subject: the dog is what is asked about.
        ("Mein Hund ist ganz ruhig. Darf er mitkommen?", None),
        ("Mein Hund ist ganz ruhig, darf er mitkommen?", None),
    ],
)
def test_a_colleague_opening_the_context_is_whom_it_is_for(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Wo kann ich in der Nähe der Alten Handelsbörse parken?", "parking"),
        ("Gibt es in der Alten Handelsbörse eine Garderobe?", "cloakroom"),
        ("Is there a cloakroom at the Old Stock Exchange?", "cloakroom"),
        ("Is there food at the Old Stock Exchange?", "catering"),
        ("Gibt es WLAN in der Alten Handelsbörse?", None),  # nothing else known is asked
        ("In welchem Gebäude ist das?", "venue"),  # the place itself is asked
        ("Findet die Konferenz in der Alten Handelsbörse statt?", "venue"),  # inflected name
        ("Ist das in der Alten Handelsbörse?", "venue"),
        ("Wie komme ich zur Alten Handelsbörse?", "directions"),
    ],
)
def test_the_venue_named_as_the_place_of_something_else_leaves_the_question_to_it(
    answerer: Answerer, question: str, topic: str | None
) -> None:
    assert topic_of(answerer, question) == topic, answerer.rank(question)


@pytest.mark.parametrize(
    ("word", "verb"),
    [("anzumelden", "anmelden"), ("mitzuteilen", "mitteilen"), ("anzug", "anzug")],
)
def test_an_infinitive_with_zu_is_its_verb(word: str, verb: str) -> None:
    assert answering._without_zu(word) == verb


def test_a_particle_verbs_participle_is_no_compound(answerer: Answerer) -> None:
    """ "angemessen" holds "essen" only by its letters: no question about the food."""
    assert answerer._compound_parts("angemessen") == {}
    assert answerer._compound_parts("abendessen")  # a compound is still split
