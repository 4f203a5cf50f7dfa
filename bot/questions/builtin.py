"""Topics about using the bot itself, answered without any entry in the programme file.

Each topic has an id (`bot.register`), the command its answer names and its button starts, and
the words and example wordings the answerer matches. The answer texts live in the catalogues
(`builtin.<name>` in bot/locales/*/questions.yaml); a programme FAQ entry with the same id
replaces the text but keeps the button.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.texts import Html, Texts
from bot.core.timefmt import format_datetime
from bot.programme.model import Language, Programme
from bot.questions import callbacks
from bot.registration import callbacks as registration_callbacks

PREFIX = "bot."
REGISTER = f"{PREFIX}register"


@dataclass(frozen=True)
class BuiltinTopic:
    """A question about the bot, the command that answers it, and how partners ask it."""

    topic: str
    command: str  # English name; the button starts it, the catalogue text names it
    keywords: tuple[str, ...]
    examples: tuple[str, ...]  # German and English wordings, for matching only
    timed: bool = False  # a "when" question may be about it, as about an agenda item
    # Words that only together say it is this topic (over normalised text): "change" and
    # "language" alone belong to other topics, "change the language" to this one.
    phrase: str | None = None
    # Keywords that name the topic's thing rather than an action on something ("Ticket",
    # "Kalender"): like a programme keyword, one decides beside a filler word ("Wo finde ich mein
    # Ticket?"). A verb does not: its object says what is meant ("cancel my hotel booking").
    things: tuple[str, ...] = ()

    @property
    def text_key(self) -> str:
        return f"builtin.{self.topic.removeprefix(PREFIX)}"


# Questions about one's own registration, ticket or data say "my"; any may name the bot.
_MINE = "my mein meine meinen meinem meiner bot bots"


def _topic(
    topic: str,
    command: str,
    keywords: str,
    *examples: str,
    timed: bool = False,
    phrase: str | None = None,
    things: str = "",
) -> BuiltinTopic:
    return BuiltinTopic(
        PREFIX + topic,
        command,
        (*keywords.split(), *things.split()),
        examples,
        timed,
        phrase,
        tuple(things.split()),
    )


_SWITCH = r"(?:aendern|aendere|umstellen|umstelle|wechseln|wechsle|einstellen|change|switch|set)"
_GAP = r"(?: \w+){0,3} "
_LANGUAGES = r"(?:deutsch|englisch|german|english)"
_TALK = (
    r"(?:talk|speak|write|answer|reply|sprich|sprichst|spricht|sprechen|schreib|schreibst"
    r"|schreiben|antworte|antwortest|antworten|rede|redest|reden|kann|kannst|can|could"
    r"|verstehst|verstehen|understand)"
)
# Particles between the addressee and the language: "Kannst du auch Englisch?"
_PARTICLES = r"(?:auch|also|too|noch|denn|eigentlich|ueberhaupt|even)"
_PEOPLE = r"(?:mensch|menschen|person|human|jemandem|someone|somebody|team|orga\w*|organi[sz]\w*)"


BUILTIN_TOPICS: tuple[BuiltinTopic, ...] = (
    _topic(
        "register",
        "rsvp",
        "anmelden anmeldung anmelde registrieren registrierung rsvp zusage zusagen teilnehmen "
        "register registration signup sign enrol enroll anmeldeschluss anmeldefrist frist deadline "
        "spaetestens latest",
        "Wie melde ich mich an?",
        "Ich möchte mich registrieren",
        "How do I register?",
        "How can I sign up?",
        "Bis wann kann ich mich anmelden?",
        "What is the registration deadline?",
        timed=True,
        # Putting oneself on the list is signing up ("Wie trage ich mich ein?", "put me down");
        # putting the date in one's calendar is the calendar topic.
        phrase=r"\b(?:(?:mich|dich|uns|sich|euch) (?:(?!kalender|termin|datum)\w+ ){0,3}"
        r"(?:eintragen|eintrage|eintraegt|eintraegst|eintragt|einzutragen|eingetragen)"
        r"|(?:put|add|sign) (?:me|us|my name|our names)"
        r" (?:down|on (?:the |your )?(?:\w+ )?list))\b",
    ),
    _topic(
        "change",
        "myrsvp",
        "aendern aenderung korrigieren aendere bearbeiten anpassen change modify update edit "
        f"correct adjust amend hinzufuegen nachmelden add myrsvp {_MINE}",
        "Wie kann ich meine Anmeldung ändern?",
        "Ich möchte die Anzahl der Personen ändern",
        "How can I change my registration?",
        "How do I change the number of people?",
    ),
    _topic(
        "cancel",
        "cancelrsvp",
        "absagen absage abmelden abmeldung stornieren storniere stornierung zurueckziehen cancel "
        "cancellation cancelled canceled "
        f"withdraw unregister {_MINE}",
        "Wie sage ich ab?",
        "Ich kann doch nicht kommen",
        "How do I cancel my registration?",
        "I can't come after all",
        # "kommen" and "come" say nothing alone; not coming is what cancelling is.
        phrase=r"\b(?:nicht (?:\w+ )?(?:kommen|teilnehmen|dabei sein)|(?:cant|cannot|can not|wont"
        r"|will not|unable to|not able to) (?:\w+ )?(?:come|make it|attend|join))\b",
    ),
    _topic(
        "ticket",
        "ticket",
        f"qr code tuer door entrance admission badge {_MINE} vorzeigen ausdrucken drucken print "
        "printed",
        "Wo ist mein Ticket?",
        "Wie bekomme ich mein Ticket?",
        "Was muss ich am Eingang zeigen?",
        "Brauche ich ein Ticket für den Einlass?",
        "Where is my ticket?",
        "What do I show at the door?",
        things="ticket tickets eintrittskarte",
    ),
    _topic(
        "calendar",
        "calendar",
        f"termin eintragen datei appointment invite file export {_MINE}",
        "Wie bekomme ich den Termin in meinen Kalender?",
        "Can I add the event to my calendar?",
        things="kalender kalendereintrag ics outlook calendar ical",
    ),
    _topic(
        "reminders",
        "reminders",
        "erinnern ausschalten abschalten einschalten abbestellen stoppen nachrichten remind mute "
        f"unsubscribe stop sending messages {_MINE}",
        "Wie schalte ich die Erinnerungen aus?",
        "How do I turn off reminders?",
        things="erinnerung erinnerungen benachrichtigung benachrichtigungen reminder reminders "
        "notification notifications",
    ),
    _topic(
        "language",
        "language",
        "umstellen einstellen wechseln sprachwahl spracheinstellung switch setting settings",
        "Wie stelle ich die Sprache um?",
        "How do I change the language?",
        # Switching the language, or the bot (you, me) in a language: "Kann der Bot Englisch?",
        # "Can you talk to me in German?". The event's language has no "you" or "me".
        phrase=rf"\b(?:{_SWITCH}{_GAP}(?:sprache|language)(?:{_GAP}{_LANGUAGES})?"
        rf"|(?:sprache|language){_GAP}{_SWITCH}"
        rf"|(?:{_TALK} (?:\w+ )?)?(?:bot|bots|you|du|dich|me|mir)(?: (?:in|auf|to|mit|with|me|mir"
        rf"|{_PARTICLES}|{_TALK}))* {_LANGUAGES}(?: {_TALK})?)\b",
    ),
    _topic(
        "data",
        "mydata",
        f"daten gespeichert speichern speicherst auskunft stored store data personal {_MINE}",
        "Welche Daten speichert der Bot?",
        "What data do you store about me?",
        things="datenschutz dsgvo gdpr privacy",
    ),
    _topic(
        "delete",
        "deletemydata",
        f"loeschen loesche geloescht delete erase remove forget {_MINE}",
        "Wie lösche ich meine Daten?",
        "How can I delete my data?",
    ),
    _topic(
        "contact",
        "help",
        "kontakt kontaktieren erreichen ansprechpartner ansprechpartnerin orga organisationsteam "
        "organisatoren organisers organizers mensch contact reach human email telefon "
        "telefonnummer phone hotline",
        "Wie erreiche ich das Orga-Team?",
        "How can I contact the organisers?",
        # Talking to a person, not to the bot: "mit einem Menschen sprechen", "talk to a human".
        phrase=rf"\b(?:(?:sprechen|reden|talk|speak)\w* (?:mit|to|with) (?:\w+ )?{_PEOPLE}"
        rf"|mit (?:\w+ )?{_PEOPLE} (?:\w+ ){{0,2}}(?:sprechen|reden|telefonieren))\b",
    ),
    _topic(
        "host",
        "programme",
        "veranstalter veranstalterin veranstaltet organisiert ausrichter gastgeber organiser "
        "organizer organises organizes organised organized organising organizing ausgerichtet "
        "host hosts hosted hosting dahinter behind",
        "Wer veranstaltet die Konferenz?",
        "Who organises the conference?",
        phrase=r"\b(?:steckt|stecken) (?:\w+ ){0,3}(?:dahinter|hinter)\b",
    ),
)

# Commands whose button already exists elsewhere: /cancelrsvp's asks for confirmation like the
# one under /myrsvp (and answers the tap itself).
_EXISTING_BUTTONS = {"cancelrsvp": registration_callbacks.CANCEL}

BY_TOPIC: dict[str, BuiltinTopic] = {topic.topic: topic for topic in BUILTIN_TOPICS}


def builtin_text(
    topic: BuiltinTopic, texts: Texts, programme: Programme, language: Language, needs_invite: bool
) -> Html:
    """The catalogue answer, filled with what the programme says (host, deadline); the answer
    about registering also asks for the invite link when the partner still needs one."""
    event = programme.event
    text = texts.get(
        language,
        topic.text_key,
        host=event.host.get(language),
        event=event.title.get(language),
        deadline=format_datetime(event.rsvp_deadline, language),
    )
    if topic.topic == REGISTER and needs_invite:
        text = Html(f"{text}\n\n{texts.get(language, 'builtin.register_invite')}")
    return text


def command_button(topic: BuiltinTopic, texts: Texts, language: Language) -> InlineKeyboardMarkup:
    """One button that starts the command the answer names, labelled as in the command menu."""
    label = texts.plain(language, f"command.{topic.command}")
    data = _EXISTING_BUTTONS.get(topic.command) or callbacks.start_command(topic.command)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
