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
    r"|verstehst|verstehen|understand"
    # The bot's doing, told: "the bot writes to me in German", "der Bot schreibt auf Englisch".
    r"|talks|speaks|writes|answers|replies|schreibt|antwortet|redet)"
)
# Always, as the bot does it: "writes to me in German all the time".
_ALWAYS = r"(?: (?:all the time|always|every time|immer|die ganze zeit|staendig|jedes mal))"
# Not speaking a language well: "my German is bad", "mein Englisch ist nicht so gut", "I don't
# speak German well". (The programme joins some into one word: "my german" is "mygerman".)
_POOR_AT = (
    r"(?:(?:my|mein|meine) ?(?:\w+ )?(?:deutsch|englisch|german|english)(?: (?:is|ist|isnt))?"
    r"(?: \w+){0,2} (?:bad|poor|weak|limited|rusty|good|gut|schlecht|schwach|great|perfect)"
    # (Also joined to what one is: "I am Portuguese and understand German not so good".)
    r"|(?:(?:i am|im|ich bin)(?: \w+){1,2} )?(?:i|ich|and|und)"
    r" (?:dont |do not |cant |cannot |can not )?(?:speak|spreche|understand|verstehe|read|lese)"
    r"(?: (?:kein|nicht|not|only|nur|little|wenig|a|so|gut|well|much|viel|very))*"
    r" (?:wenig|no|basic|little)?(?:deutsch|englisch|german|english)"
    r"(?:(?: (?:not|nicht))?(?: (?:very|so|sehr|too|zu))? (?:well|gut|good|fluently))?)"
)
# Writing back, as asked of the bot ("Bitte auf Deutsch antworten").
_REPLY = r"(?:antworten|antworte|antwortest|schreiben|schreib|reply|answer|write|respond)"
# Particles between the addressee and the language: "Kannst du auch Englisch?"
_PARTICLES = (
    r"(?:auch|also|too|noch|denn|eigentlich|ueberhaupt|even|lieber|rather|besser"
    # ... and how often or only: "Der Bot schreibt mir immer auf Englisch", "only in German".
    r"|immer|always|staendig|nur|only)"
)
# Up to three words that do not say "late": not coming at all, not coming on time.
_NOT_LATE = r"(?: (?!rechtzeitig|puenktlich|spaeter|late|later|on time)\w+){0,3}"
# For whom one signs up, when not only oneself: "on behalf of our institute", "im Namen meiner
# Firma".
_FOR_ORG = (
    r"(?:on behalf of|in the name of|for|im namen|namens|fuer) (?:our|my|unsere[snm]?"
    r"|meine[snm]?) (?:institut\w*|organi[sz]ation\w*|firma|company|verein\w*|unternehmen\w*"
    r"|department|abteilung|einrichtung|institution|university|universitaet|hochschule|lab"
    r"|labor\w*|team)"
)
# Taking part, as a verb: what signing up is for.
_TAKE_PART = (
    r"(?:teilnehmen|mitmachen|anmelden|registrieren|zusagen|dabei sein|attend|join|participate"
    r"|take part|register|sign up|enrol|enroll|rsvp)"
)
# Away for a while, and until when: "on holidays until end of May", "bis Mitte Mai im Urlaub".
_AWAY = (
    r"(?:on|im|in|auf) (?:holiday|holidays|vacation|urlaub|leave|elternzeit|dienstreise"
    r"|business trip|reisen|travel|travelling|traveling)"
)
# (Spaces: "end" may already be taken as a word of time.)
_UNTIL = (
    r"(?:until|till|bis|through)"
    r"(?: +(?:the|zum|zur|end|ende|mitte|middle|anfang|beginning|start|of))* +\w+"
)
# One more, beside those already registered.
_MORE = (
    r"(?:weitere[nrms]?|zusaetzliche[nrms]?|noch|another|one more|an additional|additional|extra"
    r"|a further)"
)
# Up to three words that do not say "one more": signing oneself up, not adding someone.
_NOT_MORE = rf"(?: (?!{_MORE}\b)\w+){{0,3}}"
# Taking part oneself, not signing up one more person ("register one more colleague"); and how:
# through the bot ("sign up for the conference through this bot"), for the event only (signing
# up for a newsletter through the bot is another matter).
_SIGN_UP = (
    rf"{_TAKE_PART}(?!(?: \w+){{0,2}} {_MORE}\b)"
    # ... also a part of it, a name's talk ("Levermann's keynote"); a newsletter is not it.
    r"(?:(?!(?: \w+){0,3} (?:newsletter|verteiler|mailing)\w*)(?: (?:for|to|fuer|zur|zum|the|die"
    r"|der|das|this|diese|it|es|conference|konferenz|klimakonferenz|event|veranstaltung|tagung"
    r"|evening|abend|keynote|festvortrag|vortrag|talk|feier|celebration|party|reception|empfang"
    r"|\w+s)){0,4}"
    r" (?:through|via|using|over|with|ueber|per|mit) (?:this |the |your |dem |den"
    r" |diesen |diesem |euren |eurem |ihren |ihrem )?(?:bot|bots|chat|telegram))?"
)
_PERSONS = (
    r"(?:person|personen|jemanden|leute|kollegin|kollegen|kollege|kolleginnen|gast|gaeste"
    r"|begleitung|begleitperson|teilnehmer\w*|person|persons|people|someone|somebody"
    r"|colleagues?|guests?|attendees?|participants?)"
)
_ADD = (
    r"(?:anmelden|nachmelden|registrieren|hinzufuegen|eintragen|dazu|mitanmelden|register|add"
    r"|sign up|include)"
)
_PEOPLE = (
    r"(?:mensch|menschen|person|human|jemandem|someone|somebody|team|orga\w*|organi[sz]\w*"
    r"|veranstalter\w*)"
)
# One's own registration, as the thing a change or a cancellation is about.
_MY = r"(?:my|our|mein|meine|meinen|meiner|unsere|unseren|unserer)"
_REGISTRATION = (
    r"(?:anmeldung|registrierung|zusage|teilnahme|rsvp|registration|sign ?up|attendance"
    r"|participation)"
)
# One's place free for someone else: "my place is free for somebody else".
_PLACE_FREE = (
    rf"{_MY} (?:place|spot|seat|platz)(?: \w+){{0,2}} (?:free|frei|available|verfuegbar"
    r"|freigeben|weitergeben|abgeben|vergeben|give away|pass on)(?: (?:wird|werden|becomes))?"
)
_ELSE = (
    r"(?:(?:for|to|fuer|an) )?(?:somebody|someone|another|jemand\w*|andere\w*)"
    r"(?: else| person| anderen| anderes)?"
)
# Changing what one told when signing up, and a diet as what changed ("now vegetarian").
_UPDATE = (
    r"(?:change|update|edit|correct|amend|modify|adjust|aender\w*|anpass\w*|aktualisier\w*"
    r"|korrigier\w*|bearbeit\w*|nachtrag\w*)"
)
_DIET = (
    r"(?:vegetari\w*|veggie|vegan\w*|allergi\w*|allergy|diet\w*|ernaehr\w*"
    r"|unvertraeglich\w*|glutenfrei\w*|gluten ?free|laktosefrei\w*|lactose ?free|halal|koscher"
    r"|kosher)"
)
# Forgotten to say: "vergessen anzugeben", "forgot to mention" (forgotten to sign up is
# signing up).
_FORGOT_TO_SAY = (
    r"(?:vergessen|forgot|forgotten)(?: \w+){0,2} (?:anzugeben|zu erwaehnen|mitzuteilen"
    r"|anzukreuzen|zu sagen|to mention|to say|to state|to indicate|to tell|to tick|to add"
    r"|to specify|to note)"
)
# ... told when signing up: "bei der Anmeldung vegetarisch angegeben", "said vegan when I
# registered".
_TOLD = r"(?:angegeben|gewaehlt|ausgewaehlt|angekreuzt|eingetragen|genannt)"
_SIGNED = (
    r"(?:registered|registering|signed ?up|signing up|angemeldet|registriert|anmeldung"
    r"|registrierung|registration|rsvp)"
)
_NOW = r"(?:now|jetzt|nun|inzwischen|mittlerweile|neuerdings|geworden)"
# This chat with the bot, whose language is switched: "switch this chat to German".
_CHAT = r" (?:this|the|den|diesen|dem|diesem|das|dieses|my|mein|meinen) (?:chat|chats|bot)"
_OF_CHAT = r"(?: (?:of|in|des|dieses|im|in diesem) (?:this |the )?(?:chat|chats|bot|bots))"
# ... also as where: "hier im Chat", "here in the chat".
_IN_CHAT = r"(?: (?:hier |here )?(?:im|in (?:diesem|dem|this|the)) (?:chat|chats|bot))"
# Back to a language one had, or from now on: "wieder auf Deutsch", "switch it back to German".
_BACK = r"(?: (?:wieder|zurueck|back|bitte|please|komplett|ganz))*"
_FROM_NOW = (
    r"(?: (?:from now on|going forward|in future|in the future|ab jetzt|ab sofort|von nun an"
    r"|kuenftig|zukuenftig|in zukunft|bitte|please|pls|plz))*"
)
# What the partner told the bot, and its being seen or kept.
_DETAILS = (
    r"(?:angaben|daten|data|informationen|information|info|details|personal data|"
    r"persoenlichen daten|personal information"
    # ... the formal German word: "personenbezogene Daten".
    r"|personenbezogene[nr]? daten)"
)
_SEE = r"(?:sehen|sieht|einsehen|zugriff|lesen|see|sees|access|view|read)"
_KEPT = (
    r"(?:gespeichert|aufbewahrt|aufbewahren|behalten|behaltet|speichert|speichern|speichern"
    r"|stored|kept|keep|store|saved|retain\w*|held|hold)"
)
# A copy of it, or it as a file: "eine Kopie meiner Daten", "Can I get it as a file?".
_COPY = r"(?:copy|kopie|auszug|export|abschrift)"
_AS_FILE = r"(?:as|als) (?:a |an |eine |einer )?(?:file|datei|download|export|pdf|csv|kopie|copy)"
# ... given when signing up: "die ich bei der Anmeldung gemacht habe".
_GAVE = (
    r"(?:(?: +\w+){0,2} +(?:gave|given|provided|entered|shared|angegeben|gemacht|eingegeben"
    r"|hinterlegt))"
)
# (Spaces: a question word taken out, "when", leaves a gap.)
_GIVEN = (
    r"(?:(?: +\w+){0,4} +(?:(?:bei|in|at|during|when|with|for|aus|from|von) )?(?:der |the |my"
    r" |meiner |your )?"
    r"(?:anmeldung|registrierung|registration|registering|sign ?up|signing up|rsvp))"
)
# Whose data it is, when not one's own: "the personal data of registered partners".
_OF_PARTNERS = (
    r"(?: (?:of|der|von|from) (?:the |our |your |all |den |unseren |allen )?(?:registered "
    r"|angemeldeten |registrierten )?(?:partners?|participants?|attendees?|guests?|teilnehme\w*"
    r"|gaeste\w*|partner\w*|members?|mitglieder\w*))"
)
# Where one's data is removed from: "removed from your system", "aus der Datenbank".
_FROM_SYSTEM = (
    r"(?: (?:from|out of|aus|von) (?:your |the |this |eurem |ihrem |dem |der |eurer |ihrer )?"
    r"(?:system|systems|database|datenbank|records|server|servers|bot|bots))"
)
# The ticket, or the message it came in ("ticket message", "die Nachricht mit dem Ticket").
_TICKET = (
    r"(?:(?:(?:message|mail|email|e mail|nachricht|link)s? (?:with|containing|mit)"
    r" (?:the |my |dem |meinem |der )?)?(?:ticket|tickets|qr|qr code|eintrittskarte)"
    r"(?: (?:message|mail|email|e mail|nachricht|link)s?)?)"
)
# ... sent again: "can you send it again?", "kannst du es nochmal schicken?"; or got again,
# which says "again" ("can I get it again?", "bekomme ich es nochmal?"), not the way somewhere.
_AGAIN = r"(?:again|nochmal|noch mal|nochmals|erneut|wieder|back|zurueck)"
_GET = r"(?:get|receive|have|bekommen|bekomme|bekommt|kriegen|kriege|krieg|erhalten|erhalte)"
# Lost or deleted by mistake: "I accidentally deleted my ticket".
_BY_MISTAKE = r"(?:accidentally|mistakenly|by accident|by mistake|aus versehen|versehentlich)"
_IT = r"(?: (?:it|es|sie|ihn|das|me|mir|us|uns))*"
_RESENT = (
    r"(?:(?: \w+){0,4} (?:(?:resend|send|schicken|schickst|schickt|senden|sendest|zuschicken)"
    rf"{_IT}(?: (?:again|nochmal|noch mal|erneut|wieder))?|{_GET}{_IT} {_AGAIN}"
    rf"|{_AGAIN} (?:\w+ )?{_GET}))"
)
# The bot's messages that remind: "Erinnerungen", "notifications", "die Nachrichten".
_REMINDERS = (
    r"(?:erinnerung\w*|benachrichtigung\w*|nachrichten|reminders?|notifications?|messages"
    r"|pings)"
)
_OFF = (
    r"(?:abstell\w*|abschalt\w*|ausschalt\w*|ausmach\w*|abbestell\w*|deaktivier\w*|stopp\w*"
    r"|loswerden)"
)
# Who might be behind the event, guessed: "the City of Leipzig or the EU?", "die Stadt oder ein
# Ministerium?".
_BODY = (
    r"(?:(?:the |a |an |die |der |das |eine |ein )?(?:city|stadt|eu|european union"
    r"|europaeische union|ministry|ministerium|company|firma|agency|agentur|university"
    r"|universitaet)(?: (?:of|von) \w+)?)"
)
_GUESS = rf"(?: {_BODY}(?: (?:or|oder) {_BODY})?(?= *$))?"
# Addressing the bot or the organisers, informally or formally ("Können Sie ...", "habt ihr").
_YOU = r"(?:bot|bots|you|du|dich|dir|sie|ihr|euch|ihnen)"


BUILTIN_TOPICS: tuple[BuiltinTopic, ...] = (
    _topic(
        "register",
        "rsvp",
        "anmelden anmeldung anmelde registrieren registrierung rsvp zusage zusagen "
        "register registration signup sign enrol enroll anmeldeschluss anmeldefrist frist deadline "
        "spaetestens latest bot bots",
        "Wie melde ich mich an?",
        "Ich möchte mich registrieren",
        "How do I register?",
        "How can I sign up?",
        "Bis wann kann ich mich anmelden?",
        "What is the registration deadline?",
        # Why one waits with signing up: approval from one's department, boss or employer.
        "Ich warte noch auf die Freigabe oder Genehmigung meiner Abteilung, meines Chefs",
        "I am still waiting for approval from my department, manager or employer",
        # Someone forgotten: one's boss or a colleague still to be signed up.
        "Ich habe vergessen, mich anzumelden; I forgot to register",
        timed=True,
        # Putting oneself on the list is signing up ("Wie trage ich mich ein?", "put me down");
        # putting the date in one's calendar is the calendar topic. Taking part is signing up
        # when asked how or wished for ("Wie kann ich teilnehmen?", "I'd like to attend"); who
        # may take part, and how many, is the programme's invitation ("Wer darf teilnehmen?").
        # (The separable verb joined keeps its short form: "Wo trag ich mich ein?" has "eintrag".)
        phrase=r"\b(?:(?:mich|dich|uns|sich|euch) (?:(?!kalender|termin|datum)\w+ ){0,4}"
        r"(?:eintragen|eintrage|eintraegt|eintraegst|eintragt|einzutragen|eingetragen|eintrag)"
        # Through the bot, said before the verb: "wie ich mich über diesen Chat anmelde".
        r"|(?:ueber|via|per|mit) (?:diesen |den |dem |diesem |euren |eurem |ihren |ihrem )?"
        # (Words between: "über diesen Chat verbindlich zur Konferenz anmelden".)
        r"(?:bot|chat|telegram) (?:\w+ ){0,3}(?:anmelden|anmelde|registrieren|registriere"
        r"|eintragen)"
        # Oneself for the event, named in everyday words: "mich für die Feier noch anmelden".
        r"|(?:mich|uns) (?:fuer|zur|zum) (?:die |das |den |diese |dieses )?(?:feier|abend"
        r"|konferenz|klimakonferenz|veranstaltung|tagung|festakt|empfang|festvortrag|keynote)"
        r"(?: \w+){0,4} (?:anmelden|registrieren|eintragen)"
        # Oneself and someone else: "wie ich mich und meine Kollegin anmelden kann", "register
        # myself and a colleague".
        rf"|(?:mich|myself|me) (?:und|and) (?:\w+ )?{_PERSONS}(?: \w+){{0,4}}"
        r" (?:anmelden|anmelde|registrieren|eintragen)"
        rf"|(?:register|sign up|enrol|enroll) (?:myself|me) (?:and|und) (?:\w+ )?{_PERSONS}"
        r"|(?:put|add|sign) (?:me|us|my name|our names)"
        r" (?:down|on (?:the |your )?(?:\w+ )?list)"
        # For one's organisation: "sign up on behalf of our institute", "im Namen unseres
        # Instituts anmelden", "unser Institut anmelden"; the wish before it goes along.
        r"|(?:(?:id|wed|(?:i|we) (?:would|want|wish))(?: like)? to |(?:ich|wir) (?:moechte"
        r"|moechten|will|wollen|wuerde|wuerden) (?:mich |uns )?)?"
        # (A newsletter is not the event.)
        rf"{_TAKE_PART}(?!(?: \w+){{0,4}} (?:newsletter|verteiler|mailing)\w*)(?: \w+){{0,4}}"
        rf" {_FOR_ORG}|{_FOR_ORG}(?!.*\b(?:newsletter|verteiler|mailing)\w*)"
        r"(?=.*\b(?:teilnehmen|anmelden|anmelde|registrieren|register|sign up|attend|join"
        r"|participate|take part|zusagen)\b)"
        r"|(?:unser|unsere|our) (?:institut|organi[sz]ation|verein|unternehmen|team|labor)"
        r" (?:\w+ ){0,4}(?:anmelden|registrieren|register|sign up)"
        rf"|(?:wie|how)(?! viele| many| much){_NOT_MORE} {_SIGN_UP}"
        rf"|(?:ich|wir) (?:moechte|moechten|will|wollen|wuerde|wuerden){_NOT_MORE} {_SIGN_UP}"
        rf"|(?:id|wed|(?:i|we) (?:would|want|wish))(?: like)? to {_SIGN_UP}"
        # Confirming that one comes is signing up: "Teilnahme bestätigen", "confirm my attendance".
        r"|(?:bestaetigen|bestaetige|confirm)(?: \w+){0,2} (?:teilnahme|attendance|participation)"
        r"|(?:teilnahme|anwesenheit) (?:\w+ ){0,2}(?:bestaetigen|bestaetige|zusagen)"
        r"|(?:wie|how) (?:funktioniert|klappt|geht|laeuft|does|do|works?) (?:die |das |the )?"
        r"(?:anmeldung|anmelden|registrierung|registration|rsvp|sign ?up)(?: work)?(?= *$)"
        # Telling that one comes: "Bescheid geben, ob ich komme", "say yes", "let you know I'll
        # come"; and its deadline asked as "bis wann zu- oder absagen" (a word of cancelling).
        r"|(?:bescheid|mitteilen|melden)\w*(?: \w+){0,3} (?:ob|dass) (?:ich|wir)(?: \w+)?"
        r" (?:komme|kommen|teilnehme|teilnehmen)"
        r"|(?:tell|let) (?:you|them|know)(?: \w+){0,2} (?:that |if |whether )?(?:i|we)"
        r"(?: will| ll| am| are| would)? (?:come|coming|attend|attending|join)"
        r"|say yes|zu (?:oder|und) (?:absagen|abzusagen)"
        # Away until some time, as why one asks until when to sign up ("Because I am on holidays
        # until end of May, until when can I register?"); the words of signing up stay to count.
        # (Also the German way round: "da ich bis Mitte Mai im Urlaub bin".)
        r"|(?:(?:because|since|as|da|weil) (?:i|we|ich|wir) (?:am |are |m |bin |sind )?)?"
        # (A newsletter is not the event.)
        rf"(?:{_AWAY} +{_UNTIL}|{_UNTIL} +{_AWAY}(?: bin| sind)?)(?=.*\b{_TAKE_PART}\b)"
        r"(?!.*\b(?:newsletter\w*|verteiler\w*|mailing\w*)\b)"
        # Whether one must sign up at all: "register first or just show up", "ohne Anmeldung".
        r"|(?:without|ohne) (?:registering|registration|anmeldung|anmelden|signing up|rsvp)"
        r"|(?:register|registrieren|anmelden|sign up)(?: \w+){0,2} (?:first|beforehand|in advance)"
        r"|(?:vorher|vorab|zuerst|im voraus) (?:\w+ )?(?:anmelden|registrieren)"
        r"|(?:just|simply|einfach) (?:so )?(?:show up|turn up|vorbeikommen|hinkommen|erscheinen)"
        r"(?: (?:on|am) (?:the|dem) (?:day|tag))?"
        # Whether it goes through the bot: "Geht die Anmeldung auch über diesen Chat?".
        r"|(?:anmeldung|registrierung|registration|rsvp|sign ?up) (?:\w+ ){0,2}(?:through|via|using"
        r"|over|ueber|per|mit) (?:this |the |your |diesen |den |dem |diesem |euren |eurem )?"
        r"(?:bot|bots|chat|telegram)"
        # Whether it is still possible: "Ist die Anmeldung noch offen?", "registration still open".
        r"|(?:anmeldung|registrierung|registration|rsvp|sign ?up) (?:\w+ )?(?:noch |still )?"
        r"(?:offen|open|moeglich|possible)"
        # ... for the event, said between: "registration for the conference is open".
        r"|(?:anmeldung|registrierung|registration|rsvp|sign ?up) (?:for|to|fuer|zur|zum)"
        r" (?:the |this |die |der |das |diese )?(?:conference|konferenz|klimakonferenz|event"
        r"|veranstaltung|tagung) (?:is |ist |still |noch )*(?:offen|open|moeglich|possible)"
        # Forgotten to sign someone up, who is then signed up: "vergessen, meinen Chef anzumelden".
        r"|(?:vergessen|forgot|forgotten)(?: \w+){0,3} (?:anzumelden|zu registrieren|einzutragen"
        r"|to register|to sign up|to rsvp))\b",
    ),
    _topic(
        "change",
        "myrsvp",
        "aendern aenderung korrigieren korrigiere berichtigen bearbeiten anpassen aendere angaben "
        # Brought up to date: "bitte meine Anmeldung aktualisieren".
        "aktualisieren aktualisiere aktualisierung nachtragen nachtrage "
        "change modify update edit correct fix adjust amend hinzufuegen nachmelden nachmeldung "
        f"mitanmelden add myrsvp bestehende bestehenden existing {_MINE}",
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
        # Adding a person, also with the verb apart: "add my colleague", "füge sie hinzu".
        rf"|(?:add|include) (?:my |a |an |our )?{_PERSONS}"
        r"|(?:fuege|fuegen|fueg|nehme|nehmen) (?:\w+ ){1,4}(?:hinzu|dazu)"
        r"(?= *$| (?:wie|oder|und)\b)"
        # Lookaheads: the words stay, as the topic's own keywords they count too.
        r"|(?=nachmelden|nachmelde|mitanmelden|nachtragen|nachtrage)"
        # The separable verb apart, its particle ending the clause: "Wie trage ich ihn nach?".
        r"|(?:trage|trag|tragen|melde|meld|melden) (?:\w+ ){1,5}nach"
        r"(?= *$| (?:wie|was|kann|geht|oder|und|bitte|danke)\b)"
        # The number registered for, and the new one: "für 1 Person angemeldet", "registered
        # for 3 persons", "now we are 3", "3 statt 2".
        r"|(?:angemeldet|registriert|registered|signed up|rsvpd)(?: \w+){0,2} (?:fuer|for|mit|with)"
        r" (?:\d+|ein|eine|einen|zwei|drei|vier|one|two|three|four)"
        r"(?: (?:person\w*|people|leute|guests?|gaeste)|(?= (?:but|aber|and|und|now|jetzt)\b))"
        # ... and how many come now: "but now 3 of us from the lab are coming", "aber jetzt
        # kommen wir zu dritt".
        r"(?: (?:but|aber|and|und) (?:now |jetzt |nun )?(?:\d+|two|three|four|five|zwei|drei|vier"
        r"|fuenf)(?: (?:of us|von uns|people|personen|leute))?(?: \w+){0,4} (?:are coming|will come"
        r"|want to come|coming|kommen|kommen wollen|wollen kommen|moechten kommen))?"
        # (Also as "have registered": "hab 1 Person angemeldet", "I registered 2 people"; not
        # "Kann eine Person angemeldet werden, die ...?".)
        r"|(?:fuer|for|mit|(?:hab|habe|haben|hatte|hatten)(?: \w+){0,2}) (?:\d+|ein|eine|zwei"
        r"|drei|vier|one|two|three|four)"
        r" (?:person\w*|people|leute|guests?|gaeste) (?:\w+ )?(?:angemeldet|registriert|registered)"
        r"|(?:registered|signed up|angemeldet|registriert) (?:only |just |nur )?"
        r"(?:\d+|one|two|three|four|ein|eine|zwei|drei|vier) (?:person\w*|people|leute|gaeste)"
        # "wir sind jetzt doch zu zweit", "we are now two".
        r"|(?:wir sind|we are) (?:\w+ ){0,2}zu ?(?:zweit|dritt|viert|fuenft)"
        r"|(?:now we are|we are now|wir sind (?:jetzt|nun)(?: doch)?(?: zu)?)"
        r" (?:\d+|zwei|drei|vier|two|three|four)\b"
        # (A keyword of several words is one word here: "zu dritt" is "zudritt".)
        r"|(?:zu ?)?(?:\d+|eine[nr]?|zwei|drei|vier|one|two|three|four|zweit|dritt|viert|fuenft)"
        r" (?:\w+ ){0,2}(?:statt|anstatt|instead of) (?:zu ?)?"
        r"(?:\d+|eine[nr]?|zwei|drei|vier|one|two|three|four|zweit|dritt|viert|fuenft)\b"
        # Only oneself registered, and someone else coming too: "nur mich angemeldet, aber eine
        # Kollegin will mit", "I registered only myself but a colleague wants to join".
        r"|(?:(?:only|nur|allein|alleine|alone|just) (?:\w+ ){0,2}(?:angemeldet|registriert"
        r"|registered|signed up)|(?:angemeldet|registriert|registered|signed up)"
        r" (?:only |just |nur )?(?:myself|me|mich|allein|alleine))"
        # ... who wants to come too, said after it: "but a colleague wants to join too", "aber
        # meine Kollegin möchte auch mitkommen" (alone, whether one may bring someone is the
        # programme's invitation).
        r"(?:(?: \w+){0,3} (?:kolleg\w*|colleagues?|chef\w*|boss|partner\w*|begleitung|someone"
        r"|somebody|jemand\w*|she|he|sie|er)(?: \w+){0,2} (?:wants?|will|moechte|moechten"
        r"|would like|wuerde gerne?|needs?|muss|soll) (?:to )?(?:\w+ )?(?:join|come|attend"
        r"|mitkommen|kommen|teilnehmen|mit|mitmachen)(?: too| as well| also| auch)?"
        r"|(?=.*\b(?:kolleg\w*|colleagues?|chef\w*|boss|partner\w*|begleitung|someone|somebody"
        r"|jemand\w*|person\w*|she|he|her|him|sie|er|ihn)\b))"
        # Changing one's own registration or details, and a mistake in them: "meine Zusage
        # ändern", "edit my RSVP", "I registered with the wrong name".
        rf"|(?={_MY} (?:\w+ )?(?:{_REGISTRATION}|angaben|daten|details|name|namen|e ?mail\w*)"
        r"(?: \w+){0,2} (?:aendern|aendere|korrigieren|korrigiere|berichtigen|anpassen|bearbeiten"
        r"|aktualisieren))"
        # A mistake in one's name or address corrected, matched: "name" alone is also a
        # speaker's ("how do I correct my name?").
        r"|(?:correct|fix|korrigiere|korrigieren|berichtige|berichtigen) (?:\w+ )?"
        rf"{_MY} (?:name|namen|e ?mail\w*(?: address| adresse)?)"
        r"|(?=(?:change|correct|fix|update|edit|amend|modify|adjust) (?:\w+ )?"
        rf"{_MY} (?:{_REGISTRATION}|details|name|e ?mail\w*))"
        # The name on one's booking, as partners call the registration: "change the name on my
        # booking" (a hotel booking is not the bot's).
        rf"|{_UPDATE} (?:the |den |die )?(?:name|namen)(?: \w+)? (?:on|in|of|for|auf|in|bei|der|im"
        rf"|meiner) (?:{_MY} )?(?:booking|buchung|reservation|reservierung|ticket|{_REGISTRATION})"
        r"(?!.*\b(?:hotel\w*|zimmer|room|restaurant|tisch|table|zug|train|flug|flight|bahn)\b)"
        # Something forgotten when signing up, to be added or changed: "Bei meiner Anmeldung habe
        # ich vergessen anzugeben, dass ...", "I forgot to mention my allergy when registering".
        # (What it was, a diet, goes with it: alone a diet asks about the food.)
        # (Also as the verb: "when I registered I forgot to say that I am vegetarian".)
        rf"|(?:{_REGISTRATION}|registered|registering|signed ?up|signing up|angemeldet"
        rf"|registriert)(?: +\w+){{0,4}} +{_FORGOT_TO_SAY}(?:(?: \w+){{0,4}} {_DIET}(?: \w+)?)?"
        # (Spaces: "when" may be taken as a question word.)
        rf"|{_FORGOT_TO_SAY}(?: +\w+){{0,6}} +(?:(?:bei|in|at|during|when|with|beim) )?"
        rf"(?:der |the |my |meiner |i |we |ich |wir )?(?:{_REGISTRATION}|registering|signing up"
        r"|anmelden"
        r"|registered|signed ?up)"
        # ... and changed afterwards: "Kann ich das nachträglich ändern?", "change it afterwards".
        rf"|(?:nachtraeglich|im nachhinein|afterwards|after the fact|subsequently)"
        rf" (?:\w+ ){{0,2}}{_UPDATE}|{_UPDATE} (?:it |this |that )?(?:afterwards|after the fact"
        r"|subsequently)"
        # Asked how: "wie ändere ich die Anmeldung?", "how do I edit the registration?"; not its
        # deadline.
        # (A lookahead: its words still count as the topic's keywords.)
        r"|(?=(?:aendere|aendern|korrigiere|korrigieren|bearbeite|aktualisiere|aktualisieren|change"
        r"|correct|edit|update|modify|amend) (?:ich |i |we |wir )?(?:die |the |meine |my |unsere"
        r" |our )?"
        rf"{_REGISTRATION}"
        r"(?! ?(?:frist|deadline|schluss)))"
        # A mistake in it: "a mistake in my registration", "ein Fehler in meiner Anmeldung", and
        # a detail that is wrong: "the name of my institute is wrong".
        rf"|(?:mistake|error|fehler|typo) (?:in|im|bei) {_MY} {_REGISTRATION}"
        r"|(?:name|namen|e ?mail\w*|institut\w*|organisation\w*|firma|titel|title|angaben|details)"
        # (Also where: "Mein Name ist in der Anmeldung falsch".)
        r"(?: \w+){0,4} (?:is|ist|are|sind|was|war) (?:\w+ ){0,3}(?:wrong|falsch|incorrect"
        r"|misspelt|misspelled|fehlerhaft)(?: (?:geschrieben|eingegeben|eingetragen|angegeben"
        r"|spelt|spelled|written|entered))?\b"
        # Not "the wrong address": that is a way gone wrong, not a registration.
        # A new number: "change it to 2", "auf drei Personen erhöhen".
        # Of the registration or its number, not of a time ("change the time to 3 pm").
        r"|(?:change|reduce|increase)\w* (?:it|that|this|the number|my registration|my rsvp"
        r"|our registration) (?:to|auf) (?:\d+|one|two|three|four)\b"
        # ... said the German way round, with the people: "meine Anmeldung auf zwei Personen
        # erhöhen", "die Anzahl von 2 auf 3 Personen ändern" (not a time, "auf 3 Uhr").
        # ... and with the number named: "die Personenzahl von zwei auf drei erhöhen", "the
        # number of people from 2 to 3".
        r"|(?:(?:increase|raise|reduce|change|update) (?:the )?)?"
        r"(?:personenzahl|teilnehmerzahl|gaestezahl|personenanzahl|teilnehmeranzahl|anzahl"
        r"(?: der (?:personen|teilnehmer\w*|gaeste|begleitpersonen))?|number of (?:people"
        r"|persons|guests|attendees|participants))(?: \w+){0,3}"
        r" (?:(?:von|from) (?:\d+|eine[rm]?|zwei|drei|vier|one|two|three|four) )?(?:auf|to)"
        r" (?:\d+|eine|zwei|drei|vier|fuenf|one|two|three|four|five)(?: (?:person\w*|people"
        r"|leute|gaeste|guests))?(?: (?:erhoehen|erhoehe|aufstocken|reduzieren|verringern|aendern"
        r"|anpassen|setzen|increase|reduce|change))?\b"
        r"|(?:(?:von|from) (?:\d+|eine[rm]?|zwei|drei|vier|one|two|three|four) )?(?:auf|to)"
        r" (?:\d+|eine|zwei|drei|vier|fuenf|one|two|three|four|five) (?:person\w*|people|leute"
        r"|gaeste|guests|teilnehmer\w*|attendees)(?: \w+)? (?:erhoehen|erhoehe|erhoeht|aufstocken"
        r"|aufstocke|erweitern|erweitere|reduzieren|reduziere|verringern|verringere|aendern"
        r"|aendere|umstellen|increased|reduced|changed|raised)\b"
        # ... and said before it: "I registered with the wrong name", "I made a typo".
        r"|(?:(?:registered|signed up|angemeldet|registriert) (?:with|under|using|mit|unter)"
        r" (?:the |a |an |my |dem |einem |meinem )?|(?:made|make|had) (?:a |an )?)?"
        r"(?:(?:wrong|falsche[nrms]?) (?:\w+ )?(?:name|namen|e ?mail\w*(?: address| adresse)?"
        # (The name's parts: "the wrong surname", "falschen Nachnamen".)
        r"|surname|last name|first name|family name|nachname\w*|vorname\w*|familienname\w*"
        r"|spelling|schreibweise"
        r"|angaben|details|anzahl)|vertippt|verschrieben|typo|misspel\w*"
        r"|falsch (?:geschrieben|eingegeben|eingetragen|angegeben)"
        # ... told as what one did: "I spelled my name wrong", "typed my email incorrectly".
        r"|(?:spelled|spelt|typed|entered|wrote|written|put) (?:my|our|the) (?:\w+ )?(?:name"
        r"|e ?mail\w*|details|institut\w*|organi[sz]ation\w*)(?: \w+)? (?:wrong|wrongly"
        r"|incorrectly))"
        # ... made when signing up, which is past: "a typo in my name when I registered".
        r"(?:(?: +\w+){0,4} +(?:registered|signed up|registering|signing up|angemeldet|registriert"
        r"|anmeldung|registration|rsvp))?"
        # One's registration sent already, with something in it to change: "in meiner bereits
        # abgeschickten Anmeldung ... erhöhen", "my already submitted registration".
        r"|(?:bereits|schon|already) (?:abgeschickt\w*|abgesendet\w*|eingereicht\w*|versendet\w*"
        rf"|submitted|sent) {_REGISTRATION}(?=.*\b(?:{_UPDATE}|erhoeh\w*|increase\w*|add"
        r"|hinzufueg\w*|nachtrag\w*|nachmeld\w*)\b)"
        # Registered already, and now someone to add or something to change.
        r"|(?:schon|bereits|already) (?:\w+ )?(?:angemeldet|registriert|registered|signed up)"
        r"(?=.*\b(?:nachtrag\w*|nachtrage|nachmeld\w*|nachmelde|dazu\w*|add|change|aender\w*"
        r"|korrigier\w*|edit|update|another|weitere\w*|trage|trag|tragen)\b)"
        # A diet changed since signing up, with the registration to update: "I'm vegetarian now,
        # pls update my rsvp", "bin jetzt Vegetarier, bitte meine Anmeldung aktualisieren".
        # Alone, a diet asks about the food.
        # ("Now" with it says it changed.)
        rf"|(?:{_NOW} )?{_DIET}(?: {_NOW})?(?=.*\b(?:{_UPDATE}(?: \w+){{0,3}} {_REGISTRATION}"
        rf"|{_REGISTRATION}(?: \w+){{0,3}} {_UPDATE})\b)"
        rf"|{_UPDATE}(?: \w+){{0,2}} {_REGISTRATION}(?: \w+){{0,6}} {_DIET}(?: {_NOW})?"
        # A diet told when signing up, and another one in truth: "I said vegetarian when I
        # registered but I'm vegan actually", "bei der Anmeldung vegetarisch angegeben, bin aber
        # vegan". (Spaces: "when" may be taken as a question word.)
        rf"|(?:(?:said|put|put down|chose|picked|selected|ticked|stated|indicated|entered)"
        rf" {_DIET}(?: +\w+){{0,3}} +{_SIGNED}|{_SIGNED}(?: +\w+){{0,4}} +{_DIET} {_TOLD}"
        rf"|{_DIET} {_TOLD}(?: +\w+){{0,4}} +{_SIGNED})"
        rf"(?:(?: \w+){{0,2}} (?:but|aber|though|doch)(?: \w+){{0,3}} {_DIET}"
        r"(?: (?:actually|eigentlich|now|jetzt|inzwischen|instead|stattdessen))?)?"
        # One of those registered dropping out: fewer people, not one's own cancellation.
        r"|(?:colleague|kollege|kollegin|person|one|einer|eine|one of us|einer von uns)"
        r"(?: \w+)? (?:dropped out|drops out|cannot come|cant come|can not come|kann nicht"
        r"|faellt aus|fiel aus|ist abgesprungen|abgesprungen|sagt ab|hat abgesagt))\b",
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
        "Ich bin krank geworden, mir ist etwas dazwischengekommen; something came up",
        "Ich bin auf Dienstreise oder im Urlaub und muss absagen",
        "Ich bin auf Montage oder in einer Sitzung und kann nicht",
        # Whether cancelling matters at all: "oder ist das egal?", "does it matter?".
        "Ist es egal, wenn ich nicht komme? Does it matter if I don't show up?",
        "I'm sick or on a business trip or on holiday or vacation and can't make it",
        # Long reasons of guests from elsewhere: another conference, illness, family.
        "Leider bin ich auf einer Tagung, einem Kongress oder Workshop im Ausland",
        "Krankheit, ein Trauerfall oder ein familiärer Notfall",
        "Unfortunately I cannot attend due to illness, a family emergency or another"
        " conference abroad; please withdraw my registration",
        # "kommen" and "come" say nothing alone; not coming is what cancelling is, however it is
        # said ("I won't be able to make it", "Ich schaffe es nicht"), but not coming late.
        # Not being in the photos is no cancellation ("nicht auf Fotos erscheinen").
        phrase=rf"\b(?:nicht(?! (?:\w+ )?(?:auf|in|on|im) (?:\w+ )?(?:fotos?|bilder\w*|photos?"
        r"|videos?|aufnahmen))"
        rf"{_NOT_LATE} (?:kommen|komme|kommt|teilnehmen|teilnehme|dabei sein|dabei"
        r"|erscheinen)"
        # Not being able, in a clause of its own: "wenn ich doch nicht kann".
        r"|(?:(?:wenn|falls|sofern) )?(?:ich|wir) (?:\w+ ){0,3}nicht (?:kann|koennen)\b"
        # Off the list: "take me off the list", "Tragen Sie mich wieder aus", "streichen Sie mich".
        # A newsletter or mailing list is not the bot's list of partners.
        r"|(?!.*\b(?:newsletter\w*|verteiler\w*|mailing\w*)\b)(?:(?:take|remove|strike|cross"
        r"|streich\w*|nehm\w*) (?:\w+ )?(?:me|us|mich|uns|my name|our names|meinen namen)"
        r" (?:off|from|von)(?: \w+){0,2} (?:list|liste|teilnehmerliste|gaesteliste)"
        r"|(?:trag\w*|streich\w*) (?:\w+ )?(?:mich|uns)(?: \w+){0,3} (?:aus|raus)"
        r"(?= *$| \w+ (?:kann|koennen)\b)|(?:mich|uns) (?:\w+ ){0,3}(?:austragen|streichen))"
        # Registered already, and now not coming: the registration is what is given back.
        r"|(?:schon|bereits|already) (?:\w+ )?(?:angemeldet|registriert|registered|signed up)"
        r"(?=.*\b(?:nicht|not|cant|cannot|absagen|abmelden|cancel)\b)"
        # Having to cancel, with a reason given before: "... und muss leider absagen".
        r"|(?:muss|muessen|moechte|werde|will|wollte) (?:\w+ ){0,2}(?:absagen|abmelden|stornieren"
        r"|zurueckziehen|zuruecknehmen)"
        # Another appointment on the day, as the reason for cancelling, is no question about
        # the date: "an dem Tag einen Termin beim Vorstand und muss absagen".
        # Also another event elsewhere: "an dem Tag auf einer Tagung in Wien".
        r"|(?:(?:an dem|am|on that|on the) (?:tag|day) )?(?:\w+ ){0,3}(?:einen|einer|einem|a"
        r"|another|anderen|ein) (?:\w+ )?(?:termin|appointment|meeting|sitzung|tagung|konferenz"
        r"|kongress|conference|congress|workshop|dienstreise|business trip)"
        r"(?: (?:beim|bei|mit|with|at|in|im) (?:dem |der |the |my |meinem |meiner )?\w+)?"
        r"(?: (?:that|on that|an dem|am) (?:day|tag))?"
        r"(?=(?: \w+){0,5} (?:absagen|abmelden|cancel|stornieren|zurueckziehen|zuruecknehmen"
        r"|withdraw)\b)"
        rf"|(?:schaffe|schaff|schaffen|schafft|packe|packen)(?: (?:es|das|ich|wir|leider|doch))*"
        rf" nicht\b(?!{_NOT_LATE} (?:rechtzeitig|puenktlich))|nicht{_NOT_LATE} (?:schaffen|packen)"
        rf"|(?:cant|cannot|can not|couldnt|could not|wont|will not|unable to|not able to"
        rf"|not going to|not gonna){_NOT_LATE} (?:come|make it|attend|join|be there|participate"
        rf"|take part)\b(?! (?:on time|in time))|drop out|count (?:me|us) out"
        rf"|(?:ich|wir) (?:kann|koennen)(?: \w+){{0,4}} nicht(?= *$)"
        # Taking one's registration back: "Zusage zurücknehmen", "withdraw my RSVP"; a hotel
        # booking is no registration with the bot.
        # Matched, not looked ahead at: "Zusage" alone is as much signing up.
        rf"|(?:{_MY} )?{_REGISTRATION}(?: \w+){{0,2}} (?:zuruecknehmen|zurueckziehen|zurueckgeben"
        r"|widerrufen|stornieren|absagen|rueckgaengig|loeschen)"
        # ... and with the verb apart: "Ich ziehe meine Zusage zurück".
        rf"|(?:ziehe|ziehen|zieh|nehme|nehmen|nimm) (?:\w+ ){{0,3}}{_REGISTRATION} (?:\w+ )?zurueck"
        r"|(?=(?:withdraw|revoke|retract|take back|cancel|delete|undo) (?:\w+ )?"
        r"(?:rsvp|registration|attendance|participation|sign ?up|acceptance|confirmation))"
        # Signing off from the event itself, not from messages: "unsubscribe from the
        # conference", "mich von der Konferenz abmelden".
        r"|(?:unsubscribe|unregister|deregister|sign off|sign out|abmelden|abmelde|austragen)"
        r"(?: (?:me|myself|us|mich|uns))? (?:from|of|for|von|fuer)"
        r" (?:the |this |der |dem |diese[rm]? )?"
        r"(?:conference|konferenz|klimakonferenz|event|veranstaltung|tagung|evening|abend)"
        # One's place given up for someone else: "so my place is free for somebody else", "cancel
        # my spot", "meinen Platz freigeben"; a booking for a hotel or a train is not the bot's.
        rf"|(?:cancel|give up|release|free up|freigeben|abgeben|stornieren|storniere) {_MY}"
        r" (?:place|spot|seat|platz|booking|buchung|reservation|reservierung)"
        r"(?!.*\b(?:hotel\w*|zimmer|room|restaurant|tisch|table|zug|train|flug|flight|bahn)\b)"
        # (Given up, as "so" or "for someone else" says: "Is my seat free?" asks about a seat.)
        # (Handing it to a named colleague is changing who comes.)
        rf"|(?:(?:so|damit)(?: that)? {_PLACE_FREE}(?: {_ELSE})?|{_PLACE_FREE} {_ELSE})"
        # Oneself prevented, not a speaker ("Ist der Redner verhindert?").
        r"|(?:ich bin|wir sind|^bin|^sind) (?:\w+ ){0,4}verhindert)\b"
        # "..., was nun?" after not coming asks what to do about it.
        r"(?: (?:was|what) (?:nun|now|jetzt|tun))?",
    ),
    _topic(
        "ticket",
        "ticket",
        f"qr code tuer door entrance admission badge {_MINE} vorzeigen ausdrucken drucken print "
        "smartphone zeigen zeige "
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
        # Not found any more: "Ticket nochmal schicken? Finde es im Chat nicht mehr".
        r"|(?:ticket|tickets|qr code|qr|eintrittskarte)(?: \w+){0,8} (?:cant find|cannot find"
        r"|can not find|finde|find)(?: (?!chat)\w+){0,3} (?:nicht mehr|no longer|anymore|any more"
        r"|nirgends|nowhere|(?:im|in the|in my|in dem|in diesem) (?:chat|verlauf|chatverlauf))"
        # ... the verb first: "finde aber den QR-Code für den Einlass nicht mehr", and asked for
        # again ("noch einmal schicken").
        # (Registered, as said before it: "habe mich angemeldet, finde aber den QR-Code nicht".)
        r"|(?:(?:angemeldet|registriert|registered|signed ?up) (?:i )?)?"
        r"(?:finde|find|cant find|cannot find|can not find) "
        rf"(?:\w+ ){{0,2}}{_TICKET}(?: \w+){{0,4}}"
        r" (?:nicht mehr|no longer|anymore|any more|nirgends|nowhere)"
        r"(?:(?: \w+){0,6} (?:schicken|senden|zuschicken|zusenden|send|resend))?"
        # (After not finding it any more.) Where one's own ticket is found: "Wo finde ich mein
        # Ticket für den Einlass?"; not a ticket office or machine, nor a train ticket.
        # ("Where" may already be taken as a question word.)
        r"|(?:(?:wo|where)(?: \w+){0,3} (?:ist|is|are|sind|bekomme|get)|finde|find|finden)"
        r"(?: (?:ich|i|man|we|wir|you|denn|eigentlich))* (?:mein|meine|meinen|my|unser|unsere|our"
        r"|das|the|den) (?:ticket|tickets|qr code|qr|eintrittskarte)"
        r"(?! (?:office|machine|counter|booth|schalter|automat|verkauf|shop))"
        r"|(?:ticket|tickets|qr|qr code|eintrittskarte)(?: \w+){0,3} (?:on|auf|am|im|in) (?:my |the"
        r" |meinem |dem )?(?:phone|mobile|handy|smartphone|iphone|android)"
        # Lost, or the message with it lost, and asked for again: "lost the ticket message, can
        # you send it again?", "die Nachricht mit dem Ticket gelöscht, bitte nochmal schicken".
        # Also deleted: "I accidentally deleted my ticket", "Ticket-Nachricht gelöscht".
        rf"|(?:{_BY_MISTAKE} )?(?:lost|verloren|verlegt|deleted|removed|geloescht|again|nochmal"
        rf"|noch mal|erneut"
        rf"|wieder) (?:\w+ ){{0,2}}{_TICKET}"
        rf"{_RESENT}?"
        rf"|{_TICKET} (?:\w+ ){{0,2}}(?:lost|verloren|verlegt|deleted|geloescht"
        r"|again|nochmal|noch mal|erneut|wieder|back|zurueck)"
        rf"{_RESENT}?"
        # The chat lost with the ticket in it: "deleted the chat, how do I get my QR code back?".
        rf"|(?:{_BY_MISTAKE} )?(?:deleted|geloescht|lost|verloren|cleared)(?: \w+){{0,2}}"
        r" (?:chat|chats|verlauf"
        r"|chatverlauf|messages?|nachrichten?)"
        # ... named with it, and asked for again: "deleted the message with my ticket, resend it".
        r"(?: (?:with|mit) (?:the |my |dem |meinem )?(?:ticket|tickets|qr code|qr|eintrittskarte)"
        rf"{_RESENT}?|(?=.*\b(?:ticket|tickets|qr|eintrittskarte)\b))"
        # ... said the German way round: "den Chat gelöscht, wie bekomme ich mein Ticket?".
        r"|(?:chat|chats|verlauf|chatverlauf|nachricht|nachrichten) (?:\w+ )?(?:geloescht|verloren)"
        r"(?=.*\b(?:ticket|tickets|qr|eintrittskarte)\b))\b",
    ),
    _topic(
        "calendar",
        "calendar",
        f"termin eintragen datei appointment invite file export iphone android {_MINE}",
        "Wie bekomme ich den Termin in meinen Kalender?",
        "Can I add the event to my calendar?",
        things="kalender kalendereintrag kalendereinladung ics outlook calendar ical",
        # Putting the event into a calendar: "in den Google-Kalender übernehmen", "into Outlook",
        # with an everyday verb after it ("in meinen Kalender packen", "in den Kalender setzen");
        # not "eintragen", a keyword that counts as well.
        # (The verb before it too: "add this to my Outlook calendar somehow".)
        # (... as an entry: "get this as an entry for my Outlook calendar", "als Termin".)
        phrase=r"\b(?:(?:(?:add|put|save|import|get) (?:it |this |that |the event |the date )?)?"
        r"(?:(?:as|als) (?:an |a |ein |einen )?(?:entry|eintrag|termin|appointment|event|invite"
        r"|einladung) )?"
        r"(?:in|into|to|zu|zum|ins|im|for|fuer) (?:(?:den|die|das|meinen|meine|mein|my"
        r"|the|your|our|unseren|unserem) )?(?:\w+ )?(?:kalender|calendar|outlook|ical)\w*"
        r"(?: (?:packen|packe|pack|tun|setzen|setze|stellen|legen|schreiben|uebernehmen|aufnehmen"
        r"|speichern|hinzufuegen|rein|hinein))?(?: (?:somehow|irgendwie))?"
        # Sending the event as a calendar entry: "Kalendereinladung schicken", "send an invite".
        r"|(?=(?:schick|send|zuschick|mail)\w* (?:\w+ ){0,3}(?:kalender\w*|calendar|ics|ical))"
        r"|(?=(?:kalender\w*|calendar|ics|ical) (?:\w+ ){0,2}(?:schicken|senden|zuschicken|send)))",
    ),
    _topic(
        "reminders",
        "reminders",
        "erinnern ausschalten abschalten einschalten abbestellen stoppen ausmachen ausgemacht "
        "anmachen anschalten aktivieren deaktivieren "
        # Not "sending": alone it is as near to "ending" ("when is the event ending?"); "stop
        # sending me reminders" is the phrase below.
        f"nachrichten remind reminded mute unsubscribe stop messages {_MINE}",
        "Wie schalte ich die Erinnerungen aus?",
        # Why none are needed: the date is noted down already, in one's diary.
        "Ich habe es mir schon notiert, I have noted it down in my diary already",
        "How do I turn off reminders?",
        things="erinnerung erinnerungen benachrichtigung benachrichtigungen reminder reminders "
        "notification notifications",
        # No more messages from the bot: "keine Erinnerungen mehr", "stop messaging me".
        phrase=r"\b(?:(?=(?:keine|no|stop|stopp|mute|pause)(?: \w+){0,2} (?:erinnerung\w*"
        r"|nachricht\w*|benachrichtigung\w*|reminders?|notifications?|messages?|pings?|spam))"
        r"|(?:stop|quit) (?:messaging|texting|pinging|spamming|sending|writing)(?: \w+){0,2}"
        r" (?:me|us)"
        r"|(?:nicht|nie) mehr (?:\w+ ){0,2}(?:schreiben|anschreiben|erinnern|benachrichtigen)"
        # Why none are needed, said after them: "stop sending me reminders, I'll remember".
        r"|(?:(?<=reminders )|(?<=erinnerungen )|(?<=notifications ))(?:ill|i will|i ll"
        r"|i can|ich denke|ich werde) (?:\w+ )?(?:remember|daran denken|dran denken|selbst daran"
        r"|daran)(?: (?:myself|it|selbst|schon))?(?= *$)"
        # Asked to stop reminding: "kannst du aufhören, mich ständig zu erinnern", "hör auf mich
        # zu erinnern", "stop reminding me all the time".
        r"|(?:aufhoeren|aufhoerst|aufhoert|aufhoer|hoer auf|hoert auf|hoeren sie auf|stop|quit"
        r"|stoppen)(?: \w+){0,3} (?:zu )?(?:erinnern|benachrichtigen|anschreiben|anzuschreiben"
        r"|reminding|notifying|pinging)"
        # Switched off, named before or after: "Die Erinnerungen nerven, kann ich die abstellen?",
        # "can I switch them off?". ("Abstellen" alone is parking a car or a bike.)
        # (A separable verb joined keeps its form: "wie stelle ich das ab" has "abstelle".)
        rf"|{_REMINDERS}(?: \w+){{0,6}} (?:{_OFF}|(?:switch|turn|shut)(?: (?:them|it|these|those"
        r"|that))? off|disable|get rid of)"
        rf"|(?:{_OFF}|(?:switch|turn|shut) off|disable|mute|silence|deactivate) (?:\w+ ){{0,3}}"
        rf"{_REMINDERS}"
        # Too many of them, or annoying: "die Erinnerungen nerven", "too many reminders".
        rf"|{_REMINDERS} (?:\w+ ){{0,2}}(?:nerven|nervt|nervig|stoeren|stoert|annoying|annoy"
        r"|annoys|bug me|bugging|too many|too often|too much|zu viele|zu oft|zu viel)"
        rf"|(?:zu viele|too many|so many|so viele|nervige[nr]?|annoying|staendige[nr]?|constant)"
        rf" (?:\w+ )?{_REMINDERS})\b",
    ),
    _topic(
        "language",
        "language",
        "umstellen einstellen wechseln sprachwahl spracheinstellung switch setting settings",
        "Wie stelle ich die Sprache um?",
        # Why another language is wanted: to practise or improve it, to understand better.
        "Ich möchte es üben oder lernen, I want to practise or improve it",
        "How do I change the language?",
        # Switching the language, or the bot (you, me) in a language: "Kann der Bot Englisch?",
        # "Can you talk to me in German?". The event's language has no "you" or "me".
        # "This chat" is the bot's, not a chat at the get-together: matched, it counts no more.
        # One's own poor German or English, said beside it (before or after), is why: "my German
        # is bad"; alone it may come before asking about the talks' language.
        # (... joined to it: "my German is bad and the bot writes to me in German".)
        # (... or asking whether it may be otherwise: "is it possible that this chat ...".)
        phrase=rf"\b(?:{_POOR_AT}(?: (?:and|und|so|but|aber|also|daher|deshalb|is it possible"
        # (A space after it, or before "this chat", which begins with one.)
        rf"|ist es moeglich)(?: \w+){{0,3}})?(?: |(?= )))?"
        rf"(?:{_SWITCH}{_GAP}(?:sprache|language)(?:{_GAP}{_LANGUAGES})?{_OF_CHAT}?"
        rf"|(?:sprache|language){_GAP}{_SWITCH}"
        # ... the chat's language switched, said passively: "how the language of this chat can
        # be switched to German", "wie die Sprache des Chats umgestellt werden kann".
        rf"|(?:sprache|language){_OF_CHAT}(?: \w+){{0,3}} (?:switched|changed|set|umgestellt"
        rf"|geaendert|gewechselt|eingestellt)(?: (?:to|auf|into|in) {_LANGUAGES})?"
        rf"|(?:{_TALK} (?:\w+ )?)?(?:{_YOU}|me|mir)(?: (?:in|auf|to|mit|with|me|mir|bitte|please"
        rf"|{_PARTICLES}|{_TALK}))* {_LANGUAGES}(?: (?:mit|with|to) (?:mir|me|uns|us))?"
        rf"(?: {_TALK})?{_ALWAYS}?{_FROM_NOW}"
        # ... instead of the one it uses: "statt auf Englisch", "instead of German".
        rf"(?: (?:statt|anstatt|instead of|rather than|not|nicht) (?:auf |in )?{_LANGUAGES})?"
        # The wrong language picked: "aus Versehen Englisch gewählt", "I chose German by mistake".
        rf"|(?:(?:aus versehen|versehentlich|falsch) )?{_LANGUAGES}(?: \w+)?"
        r" (?:gewaehlt|ausgewaehlt|eingestellt|angeklickt|erwischt)"
        rf"|(?:(?:accidentally|mistakenly|wrongly) )?(?:chose|chosen|selected|picked|clicked|set)"
        rf" {_LANGUAGES}(?: (?:by mistake|accidentally))?"
        # Switching to a language, and asking for it: "auf Deutsch umstellen", "switch to
        # German", "in English please", "speak English pls", "Bitte auf Deutsch antworten".
        rf"|(?:auf|to|into|zu|in|nach) {_LANGUAGES}(?: \w+)? {_SWITCH}"
        rf"|{_SWITCH}(?:{_CHAT}|(?: \w+)?){_BACK} (?:auf|to|into|zu|in|nach) {_LANGUAGES}"
        rf"|(?:{_CHAT}|{_IN_CHAT}){_BACK} (?:auf|to|into|in) {_LANGUAGES}(?: \w+)? {_SWITCH}"
        # A wish for another language: "lieber auf Deutsch", "prefer the messages in German".
        # A language preferred, and the chat asked about: "prefers German ... this chat".
        rf"|(?:prefer\w*|bevorzug\w*) {_LANGUAGES}(?=.*\b(?:chat|chats|bot|bots)\b)"
        rf"|(?:(?:haette|haetten|wuerde|wuerden|would|id)(?: \w+){{0,3}} )?(?:lieber|prefer\w*"
        rf"|rather)(?: \w+){{0,3}} (?:auf|in) {_LANGUAGES}"
        # ... with only a pronoun for the chat: "ich hätte es gern auf Deutsch" (not "gern die
        # Vorträge auf Deutsch").
        rf"|(?:haette|haetten|wuerde|wuerden|moechte|moechten|would like|want|need)"
        rf"(?: (?:ich|wir|es|das|ihn|sie|it|this|that|them))+(?: (?:gern|gerne|bitte|please))?"
        rf" (?:auf|in) {_LANGUAGES}"
        # This chat talking a language: "that this chat speaks English with me".
        # (The programme joins "speaks English" into one word.)
        rf"|{_CHAT} (?:\w+ )?(?:{_TALK} (?:\w+ )?(?:in |auf )?{_LANGUAGES}"
        r"|(?:speaks?|talks?|writes?)(?:english|german|deutsch|englisch))"
        r"(?: (?:mit|with|to) (?:mir|me|uns|us))?"
        # (Also whose: "die Nachrichten dieses Bots künftig auf Englisch".)
        rf"|(?:nachrichten|messages|antworten|answers|replies){_OF_CHAT}?(?: \w+){{0,2}}"
        r" (?:auf|in)"
        rf" {_LANGUAGES}"
        # Not any word of talking after it: "in English? Can I ask questions?" asks about the
        # talks.
        rf"|(?:auf|in) {_LANGUAGES} (?:bitte|please|pls|plz|{_REPLY}){_FROM_NOW}"
        rf"|(?:bitte|please|pls|plz) (?:\w+ )?(?:auf|in) {_LANGUAGES}(?: {_REPLY})?{_FROM_NOW}"
        r"|^(?:\w+ )?(?:speak|talk|write|reply|answer|antworte|schreib|sprich)"
        rf" (?:in )?{_LANGUAGES})(?:(?: (?:please|bitte|pls|plz))? {_POOR_AT})?\b",
    ),
    _topic(
        "delete",
        "deletemydata",
        "loeschen loesche loescht geloescht entfernen entferne delete erase remove forget wipe "
        f"{_MINE}",
        "Wie lösche ich meine Daten?",
        # Asked formally, as a request that it be done: "Sorgen Sie bitte dafür, dass ...".
        "Sorgen Sie bitte dafür, dass sie gelöscht werden; please make sure or ensure it is done",
        "How can I delete my data?",
        # Removing one's data or oneself from the bot; a photo is not the bot's data.
        # Matched with its "stored" or "personal": those words say "data", not "what is stored".
        phrase=r"\b(?:(?:loesch\w*|entfern\w*|delete|erase|remove|wipe|forget)(?: \w+){0,4}"
        r" (?:daten|data|informationen|information|account|konto|profil|profile|everything|alles)"
        r"(?:(?: \w+){0,3} (?:stored|gespeichert|kept|collected|gesammelt|saved|have))?"
        rf"{_FROM_SYSTEM}?"
        r"|(?:(?:personal|persoenlichen|gespeicherten|stored) )?(?:daten|data|angaben|alles"
        r"|everything|account|konto|profil) (?:\w+ ){0,3}(?:loeschen|loesche"
        r"|entfernen|entferne|geloescht|entfernt|deleted|erased|removed|wiped)"
        rf"{_FROM_SYSTEM}?"
        # Still registered: "auch wenn ich angemeldet bin" says when, not "sign up".
        r"(?:(?: \w+){0,3} (?:wenn|obwohl|solange|while|if|though|although) (?:ich|wir|i|we)"
        r"(?: \w+)? (?:angemeldet|registriert|registered|signed up))?"
        r"|forget (?:me|us|about me|about us|my)|vergiss mich|vergesst mich"
        # Oneself out of the bot's system: "remove me from your system"; off a list is cancelling.
        rf"|(?:loesch\w*|entfern\w*|delete|erase|remove|wipe) (?:\w+ )?(?:me|us|mich|uns)"
        rf"(?: \w+)?{_FROM_SYSTEM}|(?:mich|uns)(?: \w+)?{_FROM_SYSTEM} (?:loeschen|entfernen))\b",
    ),
    _topic(
        "data",
        "mydata",
        "daten gespeichert speichern speicherst speichert auskunft stored store data personal "
        # The formal word for "personal", as in "personenbezogene Daten".
        f"personenbezogen personenbezogene personenbezogenen {_MINE}",
        "Welche Daten speichert der Bot?",
        "What data do you store about me?",
        things="datenschutz dsgvo gdpr privacy",
        # What the bot keeps about the partner: "was wisst ihr über mich", "what do you have on
        # me". About someone else ("über Levermann") it is no question about one's data.
        # (Up to five words between: "which personal data does the bot save".)
        phrase=r"\b(?:(?:was|welche\w*|what|which)(?: \w+){0,5} (?:speicher\w*|store\w*|wisst"
        r"|weisst|wissen|know|habt|haben|have|hast|sammel\w*|collect\w*|keep\w*|behaltet|kennt"
        r"|save|saves|saving|hold|holding|retain\w*)"
        r"(?: \w+){0,2}"
        # ... or about the staff a data protection officer asks for: "about our employees".
        r" (?:ueber|von|about|on|of) (?:mich|mir|me|us|uns|(?:our|unsere\w*) (?:employees|staff"
        r"|colleagues|members|mitarbeite\w*|beschaeftigte\w*|kolleg\w*))(?= *$| (?:and|und)\b)"
        # ... and for how long ("und wie lange?"; its words may already be taken as "when").
        r"(?: +(?:and|und)(?: +(?:for )?(?:how long|wie lange))?(?= *$)"
        # ... and a copy of it: "and can I get a copy?", "und kann ich eine Kopie bekommen?".
        # ("... and whether I could receive a copy".)
        rf"|(?: +(?:and|und)(?: +\w+){{0,5}} +{_COPY}(?: \w+){{0,2}}(?= *$)))?"
        # ... and about those one registered: "und die Kollegen, die ich angemeldet habe".
        r"(?: (?:and|und) (?:\w+ ){0,6}(?:angemeldet|registriert|registered|signed up)"
        r"(?: habe| haben| hab)?)?"
        # ... said the German way round, the verb last: "welche personenbezogenen Daten Sie im
        # Rahmen meiner Anmeldung über mich speichern".
        r"|(?:was|welche\w*)(?: \w+){0,8} (?:ueber|von) (?:mich|uns)(?: \w+)? (?:speicher\w*"
        r"|gespeichert|gesammelt|sammel\w*|wisst|habt|haben|hast|kennt|aufbewahr\w*)(?= *$)"
        r"|(?:umgang mit|handle|handhabt|macht ihr mit|do you do with|happens to|happens with"
        r"|happen to|happen with|passiert mit|geschieht mit|wird aus|becomes of) (?:\w+ )?"
        rf"(?:meinen |my |our |unseren |the |den )?(?:\w+ )?{_DETAILS}{_GAVE}?{_OF_PARTNERS}?"
        # ... said the German way round: "wie Sie mit den Daten der Partner umgehen".
        rf"|mit (?:meinen |unseren |den |der )?(?:\w+ )?{_DETAILS}{_OF_PARTNERS}?"
        r" (?:umgehen|umgeht|umgegangen)"
        # Who sees what one gave; matched, "Angaben" no longer says "change them".
        rf"|(?:wer|who)(?: \w+){{0,3}} {_DETAILS}(?: \w+){{0,6}} {_SEE}{_GAVE}?{_GIVEN}?"
        rf"|(?:wer|who)(?: \w+){{0,4}} {_SEE}(?: \w+){{0,4}} {_DETAILS}{_GAVE}?{_GIVEN}?"
        # ("Who" may already be taken as a question word.)
        rf"|{_SEE}(?: \w+){{0,4}} {_DETAILS}(?: \w+){{0,3}} (?:gave|given|provided|entered"
        rf"|angegeben|gemacht|eingegeben){_GIVEN}?"
        # A copy of one's data, or it as a file ("eine Kopie meiner Daten", "die Daten als Datei",
        # "... data you saved. Can I get it as a file?"); a copy of the slides is no data of the
        # bot. (The data stays, for what is said of it: "a copy of the data you saved".)
        rf"|{_COPY}(?: \w+){{0,3}}(?= {_DETAILS}\b)|{_DETAILS}(?: \w+){{0,4}} {_AS_FILE}"
        rf"|{_DETAILS}(?: \w+){{0,12}}(?: (?:{_GET}|become|send|schicken|senden))?"
        rf" (?:this|it|that|them|es|das|sie|diese) {_AS_FILE}"
        # What it is for, said before the data: "for our internal documentation", "für unsere
        # Unterlagen".
        r"|(?:for|fuer) (?:our|my|unsere|meine) (?:internal |interne |own |eigene )?"
        r"(?:documentation|records|files|dokumentation|unterlagen|akten)"
        rf"(?=.*\b{_DETAILS}\b)"
        # How long it is kept ("how long" itself is taken by the question words), and whether it
        # is safe; not deleting what is kept.
        # Kept, and who sees it: "which of my data do you store ..., and who gets to see it?".
        rf"|{_DETAILS}(?: +\w+){{0,12}} +(?:and|und) (?:wer|who)"
        r" (?:gets to |can |may |darf |kann )?"
        rf"{_SEE}(?: (?:it|them|es|sie|das|die))?(?= *$)"
        rf"|{_DETAILS}(?: (?!loesch|delet|entfern|remov|eras)\w+){{0,4}} {_KEPT}"
        rf"|(?:(?:you|ihr|du|sie|bot) {_KEPT}|{_KEPT} (?:ihr|du|sie|der bot))(?: \w+){{0,2}}"
        rf" {_DETAILS}"
        # One's own: the data of a study is not the bot's.
        rf"|(?:my|meine|meinen|our|unsere|personal|persoenlichen) (?:\w+ )?{_DETAILS}"
        r"(?: \w+){0,3} (?:sicher|safe|secure|geschuetzt|protected)"
        # The data protection officer asks, for her organisation: whose officer she is, not what
        # is asked.
        r"|(?:datenschutzbeauftragte\w*|data protection officer)(?: (?:unserer|unseres|der|des"
        r"|von|of|for|at) (?:our |the |my |unserer |meiner )?\w+)?"
        # ... whose duty it is to check: "muss ich das prüfen", "I have to check this".
        r"(?:(?: \w+)? (?:muss|muessen|must|have to|need to)(?: \w+){0,3} (?:pruefen|ueberpruefen"
        r"|check"
        r"|verify|review))?"
        r"|data protection|datenschutz\w*)\b",
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
        "Kann ich sie direkt oder telefonisch erreichen? Can I reach or call them directly?",
        # Talking to a person, not to the bot: "mit einem Menschen sprechen", "talk to a human".
        # A person preferred: "I would rather talk to a person", "lieber mit einem Menschen".
        phrase=rf"\b(?:(?:(?:would |id )?(?:rather|lieber|prefer to) )?"
        r"(?:sprechen|reden|talk|speak|chat|write|schreiben)\w* (?:mit|to|with)"
        rf" (?:\w+ ){{0,2}}{_PEOPLE}"
        rf"|mit (?:\w+ ){{0,2}}{_PEOPLE} (?:\w+ ){{0,2}}(?:sprechen|reden|telefonieren|schreiben"
        r"|chatten|kontakt)"
        r"|(?:get|be|keep|stay) in touch|kontakt aufnehmen|in kontakt (?:treten|kommen)"
        # When the bot has no answer: "if you can't answer", "wenn der Bot nicht weiterweiß".
        r"|(?:you|du|bot|sie|ihr) (?:\w+ )?(?:cannot|cant|can not|couldnt|could not|are unable to)"
        r" (?:answer|help)|(?:kannst|kann|koennen|koennt) (?:\w+ ){0,3}nicht (?:beantworten|helfen)"
        r"|nicht (?:weiterweiss|weiter weiss|weiterhelfen|weiter helfen|weiterkommt)"
        r"|(?:you|bot) (?:\w+ )?(?:dont|doesnt|do not|does not|didnt|did not) know"
        r"(?: (?:the|an|that|this|it))?(?: answer)?"
        # A person one can talk to or call, also a real one: "a real person I can talk to",
        # "jemand, den ich anrufen kann", "einen echten Menschen, mit dem ich sprechen kann"
        # ("talk" is also the keynote's word); not someone who talks about something.
        r"|(?:(?:real|actual|live|echte[nmrs]?|richtige[nmrs]?) )?(?:person|human|mensch\w*"
        r"|jemand\w*|someone|somebody|anyone|anybody)"
        r" (?:(?:mit der|mit dem|den|die|with whom|whom|that) )?(?:i|ich|we|wir|man)"
        r" (?:\w+ ){0,2}(?:talk|speak|call|ring|anrufen|sprechen|reden|fragen|ask)"
        r"|(?:real|actual|live|echte[nmrs]?|richtige[nmrs]?) (?:person|human|mensch\w*)"
        # Someone of the organisers, to be reached: "jemanden vom Orga-Team erreichen", "reach
        # somebody from the organising team"; not a place reached.
        # (The verb may already be taken as asking the way.)
        r"|(?:(?:erreiche|erreichen|erreicht|reach|contact|kontaktiere|kontaktieren)"
        r"(?: (?:ich|i|we|wir|man))? )?(?:jemand\w*|someone|somebody|anyone|anybody|a person|eine"
        r" person) (?:vom|von|from|of|aus|im|in) (?:dem |the |your |eurem |ihrem )?"
        # (The organisers' word stays: as the topic's keyword it counts too.)
        r"(?=(?:orga\w*|team|veranstalter\w*|organi[sz]\w*)\b)"
        # The organisers reached (lookaheads: their words count as the topic's keywords).
        r"|(?=(?:erreichen|erreiche|reach|contact|kontaktieren|anrufen|call)"
        r" (?:the |die |den |das )?"
        r"(?:veranstalter\w*|organi[sz]\w*|orga\w*)\b)"
        r"|(?=(?:veranstalter\w*|organi[sz]\w*|orga\w*) (?:\w+ )?(?:direkt )?(?:erreichen"
        r"|kontaktieren|anrufen)\b)"
        # Directly, when something goes wrong: "reach the organisers directly in case something
        # goes wrong on the day".
        r"|(?:directly|direkt) (?:in case|falls|wenn|if|should) (?:something|anything|etwas|was"
        r"|es)(?: \w+)? (?:goes wrong|go wrong|schiefgeht|schief geht|schieflaeuft|schief laeuft"
        r"|nicht klappt)(?: (?:on|am|an) (?:the|dem) (?:day|tag))?"
        # Instead of the bot: "rather than a bot", "statt mit dem Bot".
        r"|(?:instead of|rather than|than|statt|anstatt|nicht mit|not|no|kein|keinen|keinem)"
        r" (?:mit |to |with )?"
        r"(?:a |the |dem |einem )?"
        r"bots?)"
        r"\b",
    ),
    _topic(
        "host",
        "programme",
        "veranstalter veranstalterin veranstaltet organisiert ausrichter gastgeber organiser "
        "organizer organises organizes organised organized organising organizing ausgerichtet "
        "host hosts hosted hosting dahinter behind",
        "Wer veranstaltet die Konferenz?",
        # Who it might be, named as a guess: a city, a ministry, a firm or an agency.
        "Steckt eine Stadt, eine Firma oder eine Agentur dahinter?",
        "Is it run by a city or an agency?",
        "Who organises the conference?",
        phrase=r"\b(?:(?:steckt|stecken) (?:\w+ ){0,3}(?:dahinter|hinter)"
        r"(?: (?:der|die|dem|diesem|dieser) (?:konferenz|veranstaltung|tagung|bot|chat))?"
        rf"{_GUESS}"
        # Who stands behind the bot or the event: "wer eigentlich hinter diesem Bot steht und die
        # Veranstaltung organisiert", "who is actually behind this bot and the conference".
        r"|(?:wer|who)(?: (?:eigentlich|actually|really|denn|is|s|genau|exactly))*"
        r" (?:hinter|behind)"
        r" (?:diesem |dem |der |this |the |den )?(?:bot|chatbot|chat|veranstaltung|konferenz|event"
        r"|conference)(?: (?:steht|stehen|steckt|stecken))?(?: (?:und|and) (?:\w+ ){0,2}"
        r"(?:veranstaltung|konferenz|event|conference)(?: (?:organisiert|veranstaltet|ausrichtet"
        rf"|organises|organizes|runs))?)?{_GUESS}"
        # Who runs the event itself, not the catering or the building.
        r"|who (?:is |s )?(?:actually |really )?(?:runs|running|puts on|putting on|behind"
        r"|organi[sz]es|organi[sz]ing|hosts|hosting) (?:this|it|the)"
        r"(?: (?:event|conference|evening|thing|whole thing|bot|invitation))?"
        # A guess after it: "..., the city?".
        r"(?: (?:the |a |an )?(?:city|ministry|company|firm|agency|university))?(?= *$)"
        # Why one asks: the link came from someone else ("I got this link from a colleague and
        # am not sure who is behind it"); matched only beside asking who is behind it.
        r"|(?:got|received|bekommen|erhalten|habe)(?: \w+){0,2} (?:link|einladung|invitation)"
        r"(?: (?:from|von|ueber|by) (?:a |an |my |einer |einem |meiner |meinem )?\w+)?"
        r"(?=.*\b(?:who|wer)\b(?: \w+){0,3} (?:behind|hinter|dahinter|runs|organi[sz]\w*"
        r"|veranstalt\w*|betreibt|steckt)\b)"
        # Who runs the bot, which the organisers do: "Wer betreibt eigentlich diesen Bot?", "who
        # operates this chatbot", "Wer ist der Betreiber des Bots?".
        r"|(?:wer|who)(?: \w+){0,2} (?:betreibt|betreiben|operates|operating|owns|made|built"
        r"|developed|programmed|entwickelt|programmiert|verantwortet|responsible for"
        r"|verantwortlich fuer)(?: \w+){0,2} (?:bots?|chatbots?|chat|telegram bot)\b"
        r"|(?:betreiber\w*|operator|owner|verantwortlich\w*) (?:\w+ ){0,2}(?:bots?|chatbots?)\b"
        r"|von wem (?:\w+ ){0,4}(?:ausgerichtet|organisiert|veranstaltet|durchgefuehrt)"
        r"|(?:conference|event|this|it|evening|veranstaltung|konferenz)(?: \w+)?"
        r" (?:run|organi[sz]ed|hosted|put on) by"
        r"|wer (?:richtet|organisiert|macht|veranstaltet) (?:das|die|den|es)(?: (?:ganze|hier"
        r"|eigentlich|denn|konferenz|veranstaltung|tagung|abend|event))*(?: aus)?(?= *$)"
        # Asked as which body: "Which institution is organising this conference?", "Welche
        # Einrichtung richtet die Konferenz aus?", "Von welcher Organisation wird das
        # veranstaltet?"; the event itself, not a football match or a party.
        r"|(?:which|what|welche[rsmn]?|von welche[rsmn]?) (?:\w+ )?(?:institution\w*"
        r"|organi[sz]ation\w*|einrichtung\w*|behoerde\w*|body|authority|stelle|firma|company"
        r"|agency|agentur|ministerium|ministry|department|amt|verein)"
        r"(?: (?:is|ist|are|sind|wird|hat|has|actually|eigentlich|denn|really))*"
        r" (?:organi[sz]ing|organi[sz]es|organi[sz]ed|hosting|hosts|hosted|running|runs|behind"
        r"|organisiert|veranstaltet|ausgerichtet|ausrichtet|richtet|steckt|stecken|macht)"
        r"(?: (?:this|the|it|das|die|den|es|diese|dieses|diesen))?(?: (?:whole|ganze))?"
        r"(?: (?:event|conference|evening|thing|veranstaltung|konferenz|tagung|abend|event))?"
        r"(?: (?:aus|dahinter|hinter|organisiert|veranstaltet|ausgerichtet))?(?= *$))",
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
