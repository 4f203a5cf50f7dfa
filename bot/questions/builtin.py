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
# Writing back, as asked of the bot ("Bitte auf Deutsch antworten").
_REPLY = r"(?:antworten|antworte|antwortest|schreiben|schreib|reply|answer|write|respond)"
# Particles between the addressee and the language: "Kannst du auch Englisch?"
_PARTICLES = r"(?:auch|also|too|noch|denn|eigentlich|ueberhaupt|even)"
# Up to three words that do not say "late": not coming at all, not coming on time.
_NOT_LATE = r"(?: (?!rechtzeitig|puenktlich|spaeter|late|later|on time)\w+){0,3}"
# Taking part, as a verb: what signing up is for.
_TAKE_PART = (
    r"(?:teilnehmen|mitmachen|anmelden|registrieren|zusagen|dabei sein|attend|join|participate"
    r"|take part|register|sign up|enrol|enroll|rsvp)"
)
# One more, beside those already registered.
_MORE = (
    r"(?:weitere[nrms]?|zusaetzliche[nrms]?|noch|another|one more|an additional|additional|extra"
    r"|a further)"
)
# Up to three words that do not say "one more": signing oneself up, not adding someone.
_NOT_MORE = rf"(?: (?!{_MORE}\b)\w+){{0,3}}"
# Taking part oneself, not signing up one more person ("register one more colleague").
_SIGN_UP = rf"{_TAKE_PART}(?!(?: \w+){{0,2}} {_MORE}\b)"
_PERSONS = (
    r"(?:person|personen|jemanden|leute|kollegin|kollegen|kollege|kolleginnen|gast|gaeste"
    r"|begleitung|begleitperson|teilnehmer\w*|person|persons|people|someone|somebody"
    r"|colleagues?|guests?|attendees?|participants?)"
)
_ADD = (
    r"(?:anmelden|nachmelden|registrieren|hinzufuegen|eintragen|dazu|mitanmelden|register|add"
    r"|sign up|include)"
)
_PEOPLE = r"(?:mensch|menschen|person|human|jemandem|someone|somebody|team|orga\w*|organi[sz]\w*)"
# One's own registration, as the thing a change or a cancellation is about.
_MY = r"(?:my|our|mein|meine|meinen|meiner|unsere|unseren|unserer)"
_REGISTRATION = (
    r"(?:anmeldung|registrierung|zusage|teilnahme|rsvp|registration|sign ?up|attendance"
    r"|participation)"
)
# Addressing the bot or the organisers, informally or formally ("Können Sie ...", "habt ihr").
_YOU = r"(?:bot|bots|you|du|dich|dir|sie|ihr|euch|ihnen)"


BUILTIN_TOPICS: tuple[BuiltinTopic, ...] = (
    _topic(
        "register",
        "rsvp",
        "anmelden anmeldung anmelde registrieren registrierung rsvp zusage zusagen "
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
        # putting the date in one's calendar is the calendar topic. Taking part is signing up
        # when asked how or wished for ("Wie kann ich teilnehmen?", "I'd like to attend"); who
        # may take part, and how many, is the programme's invitation ("Wer darf teilnehmen?").
        phrase=r"\b(?:(?:mich|dich|uns|sich|euch) (?:(?!kalender|termin|datum)\w+ ){0,3}"
        r"(?:eintragen|eintrage|eintraegt|eintraegst|eintragt|einzutragen|eingetragen)"
        r"|(?:put|add|sign) (?:me|us|my name|our names)"
        r" (?:down|on (?:the |your )?(?:\w+ )?list)"
        rf"|(?:wie|how)(?! viele| many| much){_NOT_MORE} {_SIGN_UP}"
        rf"|(?:ich|wir) (?:moechte|moechten|will|wollen|wuerde|wuerden){_NOT_MORE} {_SIGN_UP}"
        rf"|(?:id|wed|(?:i|we) (?:would|want|wish))(?: like)? to {_SIGN_UP}"
        # Confirming that one comes is signing up: "Teilnahme bestätigen", "confirm my attendance".
        r"|(?:bestaetigen|bestaetige|confirm)(?: \w+){0,2} (?:teilnahme|attendance|participation)"
        r"|(?:teilnahme|anwesenheit) (?:\w+ ){0,2}(?:bestaetigen|bestaetige|zusagen)"
        r"|(?:wie|how) (?:funktioniert|klappt|geht|laeuft|does|do|works?) (?:die |das |the )?"
        r"(?:anmeldung|anmelden|registrierung|registration|rsvp|sign ?up)(?: work)?(?= *$))\b",
    ),
    _topic(
        "change",
        "myrsvp",
        "aendern aenderung korrigieren korrigiere berichtigen bearbeiten anpassen aendere angaben "
        "change modify update edit correct fix adjust amend hinzufuegen nachmelden nachmeldung "
        f"mitanmelden add myrsvp {_MINE}",
        "Wie kann ich meine Anmeldung ändern?",
        "Ich möchte die Anzahl der Personen ändern",
        "How can I change my registration?",
        "How do I change the number of people?",
        "Kann ich eine Kollegin zu meiner Anmeldung hinzufügen?",
        "Can I add a colleague to my registration?",
        # One more person on one's registration: "eine weitere Person anmelden", "add another
        # colleague".
        phrase=rf"\b(?:{_MORE}(?: \w+){{0,2}} {_PERSONS}(?: \w+){{0,4}} {_ADD}"
        rf"|{_ADD}(?: \w+){{0,2}} {_MORE}(?: \w+){{0,2}} {_PERSONS}"
        # Someone onto one's own registration: "zu meiner Anmeldung dazunehmen", "add a colleague
        # to my RSVP", "meine Begleitung nachmelden".
        rf"|(?:zu|to|on|onto|in) {_MY} {_REGISTRATION}|dazunehmen|dazu nehmen"
        # Lookaheads: the words stay, as the topic's own keywords they count too.
        r"|(?=nachmelden|nachmelde|mitanmelden)"
        # Changing one's own registration or details, and a mistake in them: "meine Zusage
        # ändern", "edit my RSVP", "I registered with the wrong name".
        rf"|(?={_MY} (?:\w+ )?(?:{_REGISTRATION}|angaben|daten|details|name|namen|e ?mail\w*)"
        r"(?: \w+){0,2} (?:aendern|aendere|korrigieren|korrigiere|berichtigen|anpassen|bearbeiten))"
        r"|(?=(?:change|correct|fix|update|edit|amend|modify|adjust) (?:\w+ )?"
        rf"{_MY} (?:{_REGISTRATION}|details|name|e ?mail\w*))"
        # Not "the wrong address": that is a way gone wrong, not a registration.
        r"|(?:wrong|falsche[nrms]?) (?:\w+ )?(?:name|namen|e ?mail\w*|spelling|schreibweise"
        r"|angaben|details|anzahl)|vertippt|verschrieben|typo)\b",
    ),
    _topic(
        "cancel",
        "cancelrsvp",
        "absagen absage abmelden abmeldung stornieren storniere stornierung zurueckziehen "
        "zuruecknehmen verhindert cancel cancellation cancelled canceled "
        f"withdraw unregister {_MINE}",
        "Wie sage ich ab?",
        "Ich kann doch nicht kommen",
        "How do I cancel my registration?",
        "I can't come after all",
        # The usual reasons given for not coming, so they do not count against it.
        "Ich bin krank und kann leider nicht kommen",
        "Ich bin auf Dienstreise oder im Urlaub und muss absagen",
        "I'm sick or on a business trip or on holiday or vacation and can't make it",
        # "kommen" and "come" say nothing alone; not coming is what cancelling is, however it is
        # said ("I won't be able to make it", "Ich schaffe es nicht"), but not coming late.
        phrase=rf"\b(?:nicht{_NOT_LATE} (?:kommen|teilnehmen|dabei sein|dabei|erscheinen)"
        rf"|(?:schaffe|schaff|schaffen|schafft|packe|packen)(?: (?:es|das|ich|wir|leider|doch))*"
        rf" nicht\b(?!{_NOT_LATE} (?:rechtzeitig|puenktlich))|nicht{_NOT_LATE} (?:schaffen|packen)"
        rf"|(?:cant|cannot|can not|couldnt|could not|wont|will not|unable to|not able to"
        rf"|not going to|not gonna){_NOT_LATE} (?:come|make it|attend|join|be there|participate"
        rf"|take part)\b(?! (?:on time|in time))|drop out|count (?:me|us) out"
        rf"|(?:ich|wir) (?:kann|koennen)(?: \w+){{0,4}} nicht(?= *$)"
        # Taking one's registration back: "Zusage zurücknehmen", "withdraw my RSVP"; a hotel
        # booking is no registration with the bot.
        rf"|(?={_REGISTRATION}(?: \w+){{0,2}} (?:zuruecknehmen|zurueckziehen|zurueckgeben"
        r"|widerrufen|stornieren|absagen|rueckgaengig|loeschen))"
        r"|(?=(?:withdraw|revoke|retract|take back|cancel|delete|undo) (?:\w+ )?"
        r"(?:rsvp|registration|attendance|participation|sign ?up))"
        # Oneself prevented, not a speaker ("Ist der Redner verhindert?").
        r"|(?:ich bin|wir sind|^bin|^sind) (?:\w+ ){0,4}verhindert)\b"
        # "..., was nun?" after not coming asks what to do about it.
        r"(?: (?:was|what) (?:nun|now|jetzt|tun))?",
    ),
    _topic(
        "ticket",
        "ticket",
        f"qr code tuer door entrance admission badge {_MINE} vorzeigen ausdrucken drucken print "
        "printed einlasskarte",
        "Wo ist mein Ticket?",
        "Wie bekomme ich mein Ticket?",
        "Was muss ich am Eingang zeigen?",
        "Brauche ich ein Ticket für den Einlass?",
        "Where is my ticket?",
        "What do I show at the door?",
        things="ticket tickets eintrittskarte eintrittskarten qrcode",
        # What gets one in is the ticket: "what do I show at the entrance", "Muss ich am Eingang
        # etwas vorzeigen?", and showing it on the phone.
        # Asked as "what": showing one's poster at the entrance is another matter.
        phrase=r"\b(?:(?:was|what|anything|something|etwas)(?: \w+){0,4}"
        r" (?:show|zeigen|vorzeigen|vorweisen|vorlegen|present)(?: \w+){0,3}"
        r" (?:at|am|an|bei|beim) (?:the |der |dem )?"
        r"(?:door|entrance|eingang|einlass|tuer|check ?in)"
        r"|(?:was|what|anything|something|etwas)(?: \w+){0,3} (?:at|am|an|bei|beim)"
        r" (?:the |der |dem )?(?:door|entrance|eingang|einlass|tuer)"
        r"(?: \w+){0,3} (?:show|zeigen|vorzeigen|vorweisen|vorlegen|present)"
        r"|(?:ticket|tickets|qr|qr code|eintrittskarte)(?: \w+){0,3} (?:on|auf) (?:my |the |meinem"
        r" |dem )?(?:phone|mobile|handy|smartphone)"
        r"|(?:lost|verloren|verlegt|again|nochmal|noch mal|erneut|wieder) (?:\w+ ){0,2}"
        r"(?:ticket|tickets|qr|qr code|eintrittskarte)"
        r"|(?:ticket|tickets|qr|qr code|eintrittskarte) (?:\w+ ){0,2}(?:lost|verloren|verlegt"
        r"|again|nochmal|noch mal|erneut|wieder))\b",
    ),
    _topic(
        "calendar",
        "calendar",
        f"termin eintragen datei appointment invite file export {_MINE}",
        "Wie bekomme ich den Termin in meinen Kalender?",
        "Can I add the event to my calendar?",
        things="kalender kalendereintrag kalendereinladung ics outlook calendar ical",
        # Putting the event into a calendar: "in den Google-Kalender übernehmen", "into Outlook".
        phrase=r"\b(?:(?:in|into|to|zu|zum|ins|im|for|fuer) (?:(?:den|die|das|meinen|meine|mein|my"
        r"|the|your|our|unseren|unserem) )?(?:\w+ )?(?:kalender|calendar|outlook|ical)\w*"
        # Sending the event as a calendar entry: "Kalendereinladung schicken", "send an invite".
        r"|(?=(?:schick|send|zuschick|mail)\w* (?:\w+ ){0,3}(?:kalender\w*|calendar|ics|ical))"
        r"|(?=(?:kalender\w*|calendar|ics|ical) (?:\w+ ){0,2}(?:schicken|senden|zuschicken|send)))",
    ),
    _topic(
        "reminders",
        "reminders",
        "erinnern ausschalten abschalten einschalten abbestellen stoppen "
        f"nachrichten remind reminded mute unsubscribe stop sending messages {_MINE}",
        "Wie schalte ich die Erinnerungen aus?",
        "How do I turn off reminders?",
        things="erinnerung erinnerungen benachrichtigung benachrichtigungen reminder reminders "
        "notification notifications",
        # No more messages from the bot: "keine Erinnerungen mehr", "stop messaging me".
        phrase=r"\b(?:(?=(?:keine|no|stop|stopp|mute|pause)(?: \w+){0,2} (?:erinnerung\w*"
        r"|nachricht\w*|benachrichtigung\w*|reminders?|notifications?|messages?|pings?|spam))"
        r"|(?:stop|quit) (?:messaging|texting|pinging|spamming|sending|writing)(?: \w+){0,2}"
        r" (?:me|us)"
        r"|(?:nicht|nie) mehr (?:\w+ ){0,2}(?:schreiben|anschreiben|erinnern|benachrichtigen))\b",
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
        rf"|(?:{_TALK} (?:\w+ )?)?(?:{_YOU}|me|mir)(?: (?:in|auf|to|mit|with|me|mir|bitte|please"
        rf"|{_PARTICLES}|{_TALK}))* {_LANGUAGES}(?: (?:mit|with|to) (?:mir|me|uns|us))?"
        rf"(?: {_TALK})?"
        # The wrong language picked: "aus Versehen Englisch gewählt", "I chose German by mistake".
        rf"|(?:(?:aus versehen|versehentlich|falsch) )?{_LANGUAGES}(?: \w+)?"
        r" (?:gewaehlt|ausgewaehlt|eingestellt|angeklickt|erwischt)"
        rf"|(?:(?:accidentally|mistakenly|wrongly) )?(?:chose|chosen|selected|picked|clicked|set)"
        rf" {_LANGUAGES}(?: (?:by mistake|accidentally))?"
        # Switching to a language, and asking for it: "auf Deutsch umstellen", "switch to
        # German", "in English please", "speak English pls", "Bitte auf Deutsch antworten".
        rf"|(?:auf|to|into|zu|in|nach) {_LANGUAGES}(?: \w+)? {_SWITCH}"
        rf"|{_SWITCH}(?: \w+)? (?:auf|to|into|zu|in|nach) {_LANGUAGES}"
        # Not any word of talking after it: "in English? Can I ask questions?" asks about the
        # talks.
        rf"|(?:auf|in) {_LANGUAGES} (?:bitte|please|pls|plz|{_REPLY})"
        rf"|(?:bitte|please|pls|plz) (?:\w+ )?(?:auf|in) {_LANGUAGES}(?: {_REPLY})?"
        r"|^(?:\w+ )?(?:speak|talk|write|reply|answer|antworte|schreib|sprich)"
        rf" (?:in )?{_LANGUAGES})\b",
    ),
    _topic(
        "data",
        "mydata",
        "daten gespeichert speichern speicherst speichert auskunft stored store data personal "
        f"{_MINE}",
        "Welche Daten speichert der Bot?",
        "What data do you store about me?",
        things="datenschutz dsgvo gdpr privacy",
        # What the bot keeps about the partner: "was wisst ihr über mich", "what do you have on
        # me". About someone else ("über Levermann") it is no question about one's data.
        phrase=r"\b(?:(?:was|welche\w*|what|which)(?: \w+){0,3} (?:speicher\w*|store\w*|wisst"
        r"|weisst|wissen|know|habt|haben|have|hast|sammel\w*|collect\w*|keep|behaltet|kennt)"
        r"(?: \w+){0,2}"
        r" (?:ueber|von|about|on|of) (?:mich|mir|me|us|uns)(?= *$)"
        r"|(?:umgang mit|handle|handhabt|macht ihr mit|do you do with|happens to) (?:\w+ )?"
        r"(?:meinen |my |our |unseren )?(?:daten|data))\b",
    ),
    _topic(
        "delete",
        "deletemydata",
        "loeschen loesche loescht geloescht entfernen entferne delete erase remove forget wipe "
        f"{_MINE}",
        "Wie lösche ich meine Daten?",
        "How can I delete my data?",
        # Removing one's data or oneself from the bot; a photo is not the bot's data.
        phrase=r"\b(?:(?:loesch\w*|entfern\w*|delete|erase|remove|wipe|forget)(?: \w+){0,3}"
        r" (?:daten|data|informationen|information|account|konto|profil|profile|everything|alles)"
        r"|(?:daten|data|alles|everything|account|konto|profil) (?:\w+ ){0,3}(?:loeschen|loesche"
        r"|entfernen|entferne|deleted|erased|removed|wiped)"
        r"|forget (?:me|us|about me|about us|my)|vergiss mich|vergesst mich)\b",
    ),
    _topic(
        "contact",
        "help",
        "kontakt kontaktieren erreichen ansprechpartner ansprechpartnerin orga organisationsteam "
        "organisatoren organisers organizers mensch contact reach human email telefon "
        "telefonnummer phone hotline anrufen anruf ansprechperson kontaktperson kontaktdaten "
        "durchwahl",
        "Wie erreiche ich das Orga-Team?",
        "How can I contact the organisers?",
        # Talking to a person, not to the bot: "mit einem Menschen sprechen", "talk to a human".
        phrase=rf"\b(?:(?:sprechen|reden|talk|speak|chat|write|schreiben)\w* (?:mit|to|with)"
        rf" (?:\w+ ){{0,2}}{_PEOPLE}"
        rf"|mit (?:\w+ ){{0,2}}{_PEOPLE} (?:\w+ ){{0,2}}(?:sprechen|reden|telefonieren|schreiben"
        r"|chatten)"
        r"|(?:real|actual|echte[nmrs]?|richtige[nmrs]?) (?:person|human|mensch\w*))\b",
    ),
    _topic(
        "host",
        "programme",
        "veranstalter veranstalterin veranstaltet organisiert ausrichter gastgeber organiser "
        "organizer organises organizes organised organized organising organizing ausgerichtet "
        "host hosts hosted hosting dahinter behind",
        "Wer veranstaltet die Konferenz?",
        "Who organises the conference?",
        phrase=r"\b(?:(?:steckt|stecken) (?:\w+ ){0,3}(?:dahinter|hinter)"
        # Who runs the event itself, not the catering or the building.
        r"|who (?:is |s )?(?:runs|running|puts on|putting on|behind) (?:this|it|the)"
        r"(?: (?:event|conference|evening|thing|whole thing|bot|invitation))?(?= *$)"
        r"|wer (?:richtet|organisiert|macht|veranstaltet) (?:das|die|den|es)(?: (?:ganze|hier"
        r"|eigentlich|denn|konferenz|veranstaltung|tagung|abend|event))*(?: aus)?(?= *$))",
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
