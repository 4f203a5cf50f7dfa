"""Offline question matching: which programme topic is a partner's free-text question about?

Every FAQ entry and every agenda item becomes a topic with weighted terms taken from the
programme file: keywords, example questions, titles, speakers and descriptions, and for `show:`
entries the shown part of the programme itself (venue name, keynote speaker, event date). Terms
are weighted like IDF, so a word only one topic knows says more than a word many share.

A question is normalised (case, umlauts, ß, accents, punctuation) and stripped of stop words;
each remaining word is looked up exactly, as an inflection, fuzzily with rapidfuzz (typos) or as
part of a German compound. A topic's confidence is the share of the question's information it
explains, so words the programme does not know ("Hotel", "Fußballspiel") pull it down, and
question words (when, where) are only weak hints. A strong programme keyword outweighs one
unknown filler word ("funding for our projects"), but not an unknown noun, and not when it only
says where or when ("wifi at the venue"). Beside a strong term, an unknown word that only says
where, when or for whom ("Kaffee in der Pause") or names an aspect of a known thing
("WLAN-Passwort") counts less; two words that together spell a term are that term ("Kinder
betreuen"). A keyword of several words ("plus one") is one term that only the whole phrase
matches. A why-question excuses no unknown word ("Warum ist die Straßenbahn so voll?" asks about
the world), and a learned entry whose wordings each name several things needs two of them. When
the programme knows every word, a clear lead over the runner-up is enough. A thing the bot
handles ("Ticket", "Kalender") is strong like a programme keyword, but a noun beside it says which
one is meant ("Tickets für das Konzert"); a question word counts less beside a strong term of a
topic it does not hint at ("Wo finde ich mein Ticket?"); English words after an article count as
nouns ("a job opening"), a destination ("Bus nach Dresden") is no mere circumstance, and a time
counted from the event ("the day before") says nothing about its date. An unknown word opening a
question is its subject ("Regnet es am 10. Juni?" asks about rain), a count ("two people") only
says how many. Without a clear winner there is no answer: a confident wrong answer is worse than
relaying the question to the organisers.

Whole messages: an example wording of a topic, asked as written, is that topic; the question
sentence of a message decides before the context around it ("what time does it finish? need to
tell my wife"); greetings, sign-offs and words about who asks ("unsere Geschäftsführung fragt")
are filler. A name of several words ("Alte Handelsbörse") is one term, and beside a name alone
no unknown word is excused ("Ist Levermann verheiratet?"). Asking to contribute something ("Kann
ich einen Vortrag halten?") is a request for the organisers.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.programme.model import RELAY, AgendaItem, FaqEntry, Localized, Programme
from bot.questions.builtin import BUILTIN_TOPICS, PREFIX, BuiltinTopic
from bot.questions.classifier import CLEARLY_BEYOND, TopicClassifier, classifier_for

# Work limits: questions are short, so a 4096-character message (Telegram's limit) is cut to
# what a long question needs and costs no more than one.
MAX_QUESTION_CHARS = 400
MAX_QUESTION_WORDS = 32
# Longer than any real word (German compounds included): not looked up, so it costs nothing.
MAX_WORD_CHARS = 40

# Confidence (0..100) a topic needs, and how close the runner-up may come before the question
# counts as ambiguous.
MIN_CONFIDENCE = 60.0
# When the programme knows every word, the question is about one of its topics: a clear lead over
# the runner-up is what matters ("Ich muss meine Anmeldung stornieren").
MIN_CONFIDENCE_ALL_KNOWN = 45.0
MAX_RUNNER_UP_SHARE = 0.75

# How much a term says about a topic, by where the topic got it from.
W_KEYWORD = 1.0
W_TITLE = 1.0
W_NAME = 1.0  # speaker, venue name and address
W_IMPLIED = 0.8  # implied by the kind of topic: "speaker" for a talk, the keynote's title
W_TOPIC_ID = 0.8  # the words of the topic id, e.g. dress_code
W_EXAMPLE = 0.6  # content words of the example questions
W_SHARED_WITH_FAQ = 0.5  # an agenda line's word that an FAQ entry has as keyword
W_DESCRIPTION = 0.4  # running text: descriptions, directions, abstract
W_ANSWER = 0.3  # the written answer of an FAQ entry
W_LEARNED = 1.0  # a wording partners really used, saved by an organiser
# The venue's name for the directions: below the venue's own weight by more than the runner-up
# may come, so that the name alone is the venue.
W_WAY_TO_VENUE = 0.7
W_DATE = 0.9  # weekday and month of the event: a question names them for other things too
# Terms below this only support a topic something stronger points at; alone they halve its
# confidence ("toilet" in the accessibility text does not make a question about accessibility).
W_DECISIVE = 0.5
# A keyword, title or name of the programme that few topics have is strong: a question holding it
# is about that topic even when it also holds a word the programme does not know ("funding for
# our projects").
W_STRONG = 1.0
MIN_STRONG_IDF = 2.5

# A learned entry whose every wording has this many content words needs two of them in a
# question.
MIN_LEARNED_TERMS_FOR_TWO = 3

# Information of a question-word family, or of a stop word a topic lists as keyword ("why").
HINT_INFO = 1.0
# A built-in topic's phrase ("change the language") says as much as a keyword only it has.
PHRASE_INFO = 3.0
# "How do I get to ..." asks the way, whatever place it names: more than a question word.
DIRECTIONS_INFO = 2.5
# A "when" question also fits the keynote and every agenda item, but less than the event.
TIMED_HINT = 0.5
# A word no topic knows makes it likely the question is about something else ...
UNKNOWN_INFO = 2.6
# ... the more so when it is capitalised inside a sentence: a noun or a name ("Bier", "Berlin").
UNKNOWN_NOUN_INFO = 3.5
# Beside a strong term, an unknown word not written as a noun is more likely filler than the
# subject ("I use a wheelchair"): it counts this share of its information for that topic.
UNKNOWN_BESIDE_STRONG = 0.5
# ... and one inside a prepositional phrase only says where, when or for whom ("Kaffee in der
# Pause", "parking for visitors"), noun or not.
UNKNOWN_IN_PHRASE_BESIDE_STRONG = 0.25

# How much an unknown word counts in a sentence beside the question: it says why one asks ("Da
# ich aus Chemnitz anreise und meine Rückfahrt noch buchen muss, ..."), unless the question
# points back at a thing it names.
CONTEXT_SHARE = 0.25

# Similarities of the kinds of word match (an exact match is 1.0; fuzzy ones give their ratio).
SIM_INFLECTION = 0.9
SIM_INFLECTION_BESIDE_EXACT = 0.6
SIM_COMPOUND = 0.85
SIM_PART_OF_COMPOUND = 0.7


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: frozenset[str] = _word_set(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber sondern denn ich du
    er sie es ihn ihm ihnen wir ihr mich mir dich dir uns euch sich man jemand jemanden jemandem
    mein meine
    meinen meinem meiner dein deine ihre ihren ihrem ihrer unser unsere unseren unserem unserer euer
    eure euren eurem eurer ist sind war
    waren bin bist seid sein seine wird werden wirst wurde wuerde wuerden hat haben habe hab hast
    hatte hatten gibt gib geben gab gebe gehts gibts kann koennen kannst koennte koennten konnte
    darf duerfen darfst muss muessen musst soll sollen sollte sollten will wollen willst moechte
    moechten mag mit von vom zu zur zum bei beim in im ins an am ans auf aus fuer ueber unter vor
    nach hinter neben um bis ab durch gegen ohne seit wann wo wohin woher wer wen wem wessen was
    wie warum wieso weshalb welche welcher welches welchen welchem worueber wofuer worum womit
    wozu woran wovon ob nicht kein keine keinen noch schon auch nur mal doch ja nein bitte danke
    dank hallo moin servus da dort dorthin hier hin her rein raus so sehr gerne gern etwa
    eigentlich genau vielleicht eventuell dann also wieder nochmal ganz ganze viel viele mehr
    etwas nichts alle alles dies diese dieser dieses diesem diesen jetzt heute morgen danach
    irgendwo irgendwie irgendwann geht gehen gehe komme kommen kommt kommst sagen sag sage sagt
    wissen weiss weisst findet finden statt stattfinden machen mache macht gemacht tun brauche
    brauchen halten haelt sehen sieht aussehen zeigen zeig lassen stelle stellen stellt bietet
    bieten bedeutet bedeuten heisst fange faengt los gut gute guten beste besten nahe naehe
    naechste naechsten ungefaehr bereits immer wirklich vorhanden beruflich gesprochen eig bzw
    usw info infos information informationen frage fragen moeglichkeit moeglichkeiten option
    optionen auswahl sache thema laeuft gehoert gehoeren verfuegbar inklusive inbegriffen abend
    abends werde erzaehlt erzaehlen erzaehl moeglich noetig notwendig erlaubt pflicht problem
    okay ok klar nehmen nehme nimmt liegt liegen vorher nachher spaeter naechstes ueberhaupt
    konferenz konferenzen veranstaltung veranstaltungen tagung jeder jede jedes jeden jedem
    andere anderen anderer anderes anderem beide beiden einige einigen mehrere manche sowas
    irgendwas niemand nen nem art sachen benutzen nutzen lautet lauten leider hinein herein
    hinaus heraus gelegenheit
    gelegenheiten bekomme bekommst bekommt bekommen bekam kriege kriegst kriegt kriegen erhalte
    erhaelt erhaeltst erhalten sitze sitzt sitzen trotzdem dennoch dran drauf drin drueber fragt
    fragte gefragt erst erstmal haette haetten falls egal herr herrn
    genaue genauen genauer genaues exakt exakte exakten problemlos einfach schnell kurz kurze
    kurzen nochmals schicken schickt schickst zuschicken senden sendet zusenden erwartet
    erwarten passiert passieren wichtig wichtige richtig richtige klein kleine kleinen kleiner
    kleines neu neue neuen neuer neues bleibt bleiben bleibe erscheinen erscheine gerade
    waehrend besser lieber solln unseres geehrtes geehrte muesste muessten erklaeren erklaert
    erklaere pro oft ding dinge heut eigtl nich nix evtl vllt vlt zb als wollte wollten
    stattfindet bevor teil mitteilen mitteile verraten waere waeren duerfte duerften
    freundlich dankbar bitten veranlassen voraussichtlich gedacht bestehen besteht
    tue tust bringen bringe bringt stehen denken denke glauben glaube meint hoffen hoffe
    wuenschen wuensche planen plane versuchen versuche schaffen schaffe klappen klappt
    funktionieren funktioniert passen passt gelten gilt reichen reicht antworten erfahren
    erfahre kennen kenne verstehen verstehe lesen hoeren hoere beachten beachte vorbereiten
    empfiehlt raten betreffen betrifft eher ziemlich bisschen normalerweise grundsaetzlich
    generell allgemein jedenfalls sowieso eh halt wahrscheinlich bestimmt unbedingt extra
    speziell besonders falsch schwierig kompliziert gleich schlecht schoen toll super
    prima lieb nett fertig bereit dabei damit davon dazu ansonsten sonst ausserdem zusaetzlich
    circa ca

    the a an and or but i me my mine you your yours he him his she her it its we us our they
    them their is are was were be been being am do does did doing done have has had having can
    could may might must shall should will would there here this that these those what whats
    which who whom whose when where why how hows wheres whens whos to of in on at by for with
    from about into over under after before until till up down out off as if then than so not no yes
    please pls plz thanks thank thx hello hi hey any some anything something somewhere anywhere
    much many more just also too very really again anyway along afterwards get got go going
    goes gonna want wanna need needed required necessary know tell let lets im ive id youre dont
    doesnt isnt arent cant wont near nearby nearest close closest good best today tomorrow
    tonight see show give gives giving come comes coming put make made take taken takes send
    leave mean means held located happening possible possibility opportunity opportunities
    options available included find evening full whole entire complete only everything all
    other else still yet already sure fine like able exactly around allowed mandatory
    obligatory conference conferences event events meeting use using used every each another
    both few several someone anyone somebody anybody everyone everybody nobody didnt wasnt werent
    havent hasnt hadnt wouldnt couldnt shouldnt theyre thats theres heres kind sort type thing
    things stuff question questions sorry unfortunately chance chances receive receives received
    others whether ask asks asked asking wonder wondering wondered
    exact precise precisely easy easily quick quickly small little new expect expected
    happen happens happening anymore actually basically right important guy guys check
    checking remain remains appear wants such often during better myself explain per uses
    tmrw tmr approx abt btw since without between roughly somehow beforehand accidentally
    mention keeping sits part way kindly confirm pass briefly involve involves grateful
    advise able appreciate
    generally usually normally probably maybe perhaps definitely certainly pretty fairly
    somewhat bit lot great nice cool awesome wrong special specific general usual extra
    either neither though although however otherwise besides instance example think thought hope
    hoping guess suppose believe try trying tried planning manage seem seems say said told knew
    understand hear heard look looking looks wanted wish love prefer consider decide
    """
)

_LONG_STOP_WORDS = sorted(word for word in STOP_WORDS if len(word) >= 6)

# Who is asking, and for whom in their organisation: context of the question, not its subject
# ("Our HR team asks whether ...", "Can our managing director come along?").
_ASKER_WORDS = _word_set(
    """
    abteilung fachabteilung personalabteilung kommunikationsabteilung marketingabteilung
    geschaeftsfuehrung geschaeftsfuehrer geschaeftsfuehrerin vorstand vorstaende leitung chef
    chefin vorgesetzte vorgesetzter kostenstelle buchhaltung sekretariat assistenz buero
    firma unternehmen betrieb organisation verein institut genossenschaft startup ngo
    department team hr management manager managing director ceo boss supervisor office
    accounting assistant organization institute association nachhaltigkeitsteam sustainability
    communications
    """
)

# Greetings and sign-offs contain content-looking words ("Guten Tag" is not a question about the
# day, "Sehr geehrte Damen und Herren" names no people who want to come).
_GREETING_RE = re.compile(
    r"\b(?:guten (?:tag|morgen|abend)|good (?:morning|afternoon|evening)"
    r"|(?:sehr geehrte|liebe) (?:damen und herren|frau|herr)|sehr geehrtes (?:orga ?)?team"
    r"|(?:liebe|lieber|hallo) (?:orga ?team|team|zusammen)"
    r"|(?:mit )?(?:freundlichen|besten|beste|viele|vielen|liebe|lieben|herzliche|herzlichen)"
    r" gruessen?|vielen dank(?: im voraus| vorab)?|danke (?:im voraus|vorab)|lg|vg|mfg"
    r"|(?:kind|best|warm) regards|(?:many )?thanks in advance"
    r"|dear (?:team|organi[sz]ers|all|sir or madam|sir|madam|sirs)|to whom it may concern"
    r"|hi there|hello there)\b"
)
# Asking for the current time is small talk, not a question about the event's time.
_CLOCK_RE = re.compile(r"\b(?:what time is it|wie spaet ist es|wie ?viel uhr ist es)\b")
# Asking to contribute something (a talk, a stand, a presentation of one's project) is a request
# for the organisers, though it names a thing of the programme ("Kann ich einen Vortrag halten?",
# "Könnte Herr Levermann bei uns einen Vortrag halten?"). Only with an article or "our": "Can I
# present my ticket?" is about the ticket.
_ONES_OWN = r"(?:einen|eine|ein|unseren|unsere|unser|meinen|meine|mein)"
_CONTRIBUTE = (
    r"(?:halten|vorstellen|praesentieren|ausstellen|aufbauen|anbieten|moderieren|auslegen"
    r"|verteilen)"
)
_OWN_CONTRIBUTION_RE = re.compile(
    r"\b(?:kann|koennen|koennte|koennten|darf|duerfen|moechte|moechten|wuerde|wuerden)"
    rf"(?: (?!ob\b)\w+){{1,8}}? {_ONES_OWN}(?: \w+){{1,3}}? {_CONTRIBUTE}\b"
    # The same asked indirectly: "ob wir einen kurzen Vortrag halten können".
    rf"|\bob (?:ich|wir)(?: \w+){{0,6}}? {_ONES_OWN}(?: \w+){{1,5}}? {_CONTRIBUTE}"
    r" (?:koennen|koennten|duerfen|duerften)\b"
    r"|\b(?:can|could|may) (?:i|we)(?: \w+)? (?:give|hold|host|run|present|exhibit|set up"
    r"|organi[sz]e|moderate|pitch|hand out|distribute) (?:a|an|our)\b"
    # Taking the stage ("Kann mein Chef kurz auf der Bühne was sagen?").
    r"|\b(?:kann|koennen|koennte|darf|duerfen|can|could|may)\b(?: \w+){0,6}?"
    r" (?:auf die buehne|auf der buehne|on stage|onto the stage|on the stage)\b"
    # Sponsoring is always an offer to the organisers ("das Get-together sponsern").
    r"|\bsponsor(?:n|ing|ed|s)?\b|\bsponser(?:n|t)\b"
)
# "On site" says where something else is ("Parkplatz vor Ort?", "wifi at the venue").
_ON_SITE_RE = re.compile(
    r"\b(?:vor ort|on site|onsite|at the venue|am veranstaltungsort|in der location)\b"
)
# "Time for networking" asks about the networking, not about the event's time.
_TIME_FOR_RE = re.compile(r"\b(?:time|zeit) (?:for|fuer|zum|zur)\b")
# A time counted from the event or from now says when something else happens ("remind me the
# day before", "eine Woche vorher", "on crutches since last week"), not when the event is.
_RELATIVE_TIME_RE = re.compile(
    r"\b(?:(?:the|a|one|two|three|\d+) )?(?:day|days|week|weeks|hour|hours|evening|night)"
    r" (?:before|beforehand|ahead|prior|earlier|in advance)\b"
    r"|\b(?:(?:am|einen|ein|eine|zwei|drei|\d+) )?(?:tag|tage|woche|wochen|stunde|stunden|abend)"
    r" (?:davor|vorher|zuvor|vorab)\b|\bvor(?:tag|abend)\b"
    r"|\b(?:since|seit) (?:(?:last|a|one|two|three|letzter|letzten|einer|einem|zwei|drei|\d+) )?"
    r"(?:week|weeks|month|months|year|years|woche|wochen|monat|monaten|jahr|jahren)\b"
)
# Where one heard of a thing and how short the answer may be are not what is asked ("dieser
# Klimastadtvertrag, von dem alle reden", "everyone keeps talking about", "in a few words").
_ASIDE_RE = re.compile(
    r"\b(?:von|ueber) (?:dem|den|der|die|das|denen) (?:alle|jeder|man) (?:\w+ )?"
    r"(?:reden|redet|sprechen|spricht)\b"
    r"|\b(?:everyone|everybody|people) (?:is |are |keeps? )?(?:talking|speaking|mentioning)"
    r"(?: about)?\b"
    r"|\bin (?:a )?(?:few|couple of|two|three|wenigen|ein paar|zwei|drei)"
    r" (?:words|sentences|worten|saetzen)\b|\b(?:in a nutshell|kurz und knapp|quick one)\b"
    r"|\b(?:a )?lots? of\b"
)
# Polite ways into a question say nothing about what is asked ("Mich würde interessieren, ob",
# "Wären Sie so freundlich, mir mitzuteilen", "I'd be grateful if you could").
_POLITE_RE = re.compile(
    r"\bmich (?:wuerde|wuerden|wuerde es) (?:sehr |besonders )?interessieren\b"
    r"|\b(?:ich waere|waeren sie) (?:ihnen )?(?:so freundlich|sehr dankbar|dankbar)\b"
    r"|\bduerfte ich (?:sie )?(?:fragen|bitten)\b|\bich moechte sie bitten\b"
    r"|\bi(?:d| would) be (?:grateful|interested to know|interested in knowing)\b"
    r"|\bwould you be able to\b|\bi would appreciate it\b|\bmay i ask\b"
)
# "This year", "this time" and "this occasion" name the event asked about ("Who is the speaker
# this year?", "welche Kleidung für diesen Anlass").
_THIS_TIME_RE = re.compile(
    r"\b(?:this (?:year|time|occasion)|(?:in |fuer )?diese[mns]? (?:jahr|mal|anlass)|diesmal)\b"
)
_FILLERS = (
    _GREETING_RE,
    _CLOCK_RE,
    _TIME_FOR_RE,
    _RELATIVE_TIME_RE,
    _THIS_TIME_RE,
    _ASIDE_RE,
    _POLITE_RE,
    _ON_SITE_RE,
)


def _without_fillers(text: str) -> str:
    """A normalised text without greetings, asides and other words around the question."""
    for filler in _FILLERS:
        text = filler.sub(" ", text)
    return text


# "Why is the tram so full?" asks about a state of the world, rarely about the programme: in a
# why-question no word is excused for standing beside a strong keyword.
_WHY_RE = re.compile(r"\b(?:warum|wieso|weshalb|weswegen|why|how come)\b")

# Question-word families, by the part of the programme they hint at. They never decide on their
# own when the question also holds words about something else. Words about time ("beginnt",
# "ends") belong to the "when" family: the rest of the question says *what* begins.
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "event",
        re.compile(
            r"\b(?:wann|when|whens|what time|wie ?viel uhr|um wie ?viel|how long|wie lange?"
            r"|uhrzeit|uhr|beginn|beginnt|beginnen|begin|begins|beginning|start|starts|starting|anfang"
            r"|anfangen|faengt|anfaengt|ende|endet|enden|end|ends|finish|finishes|dauer|dauert"
            r"|kick ?off|abends|nachmittags|vormittags|tagsueber|(?:in the|am) (?:evening|afternoon"
            r"|morning|abend|nachmittag|vormittag))\b"
        ),
    ),
    (
        "venue",
        re.compile(
            r"\b(?:wo|where|wheres|wohin|welche[rnm]? stadt|(?:which|what) (?:city|town))\b"
        ),
    ),
    (
        "directions",
        re.compile(
            r"\b(?:wie (?:komm|gelang|fahr)\w*"
            r"|how (?:do|can|should|to) (?:i |we )?get (?:to|there|from|into))\b"
        ),
    ),
    # How far says less: it is asked of other places too ("How far is Vilnius?").
    ("distance", re.compile(r"\b(?:wie weit|how far)\b")),
)

# Words that a shown keynote and an agenda item with a speaker answer to.
_SPEAKING_WORDS = (
    "speaker speakers speak speaks speaking speech spricht sprechen redet rede redner rednerin"
)
# Last parts of German compounds that add nothing: "Parkmöglichkeiten" is about parking.
_GENERIC_COMPOUND_TAILS = _word_set(
    """
    moeglichkeit moeglichkeiten situation info infos informationen frage fragen angebot angebote
    optionen option regel regeln regelung regelungen zeit zeiten plan plaene gerecht freundlich
    tauglich
    """
)
# Endings that turn one form of a word into another: parken/park, kostet/kosten, offered/offers.
_INFLECTION_ENDINGS = _word_set("e en n s es er ern ers t et st te ten ed d ing em in ung") | {""}
_LINKING_LETTERS = ("", "s", "n", "en", "es")
_ACADEMIC_TITLES = _word_set("prof dr med phil rer nat ing")
_WEEKDAYS = (
    "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "monday tuesday wednesday thursday friday saturday sunday",
)
_MONTHS = (
    "januar februar maerz april mai juni juli august september oktober november dezember",
    "january february march april may june july august september october november december",
)

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_APOSTROPHE_RE = re.compile(r"['’`´]")
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
_HYPHENATED_RE = re.compile(r"\w+(?:-\w+)+")
_SENTENCE_RE = re.compile(r"[.!?:;\n]+")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_CLAUSE_RE = re.compile(r"[.!?:;,\n]+")
_VERB_PARTICLES = _word_set("an ab um aus ein zu")
_SEPARABLE_PREFIXES = ("auf", "an", "ab", "aus", "ein", "mit", "nach", "vor", "zu", "um", "weg")
_SEPARABLE = "|".join(_SEPARABLE_PREFIXES)
_PREPOSITIONS = _word_set(
    """
    am im an auf aus bei beim mit nach von vom zu zum zur fuer ueber unter vor hinter neben ins
    at on in to from for with by of about near into
    """
)
# "The mayor of Dresden", "Bürgermeister von Dresden": the phrase says which one is meant. So
# does a destination: "the next bus to Dresden" goes elsewhere, the directions go to the venue.
_CIRCUMSTANTIAL_PREPOSITIONS = _PREPOSITIONS - _word_set("of von vom nach to")
_TO_TOWN = _word_set("nach aus from")
# What follows "of" is a noun even in lower case: it names which one ("the mayor of dresden").
_OF = _word_set("of von vom")
_AS = _word_set("als as")
_DETERMINERS = _word_set(
    """
    der die das den dem des ein eine einen einem einer mein meine meinen meinem meiner unser
    unsere unseren unserem unserer dein deine ihr ihre ihren ihrem the a an my our your their this
    that these those its his her nen ne nem ner
    """
)

# A count says how many, not what about ("register two people"), written out or not.
_NUMBER_WORDS = _word_set(
    """
    zwei drei vier fuenf sechs sieben acht neun zehn beiden
    two three four five six seven eight nine ten
    """
)

# Quantifiers and "which" introduce a noun as articles do ("any good bars", "which hotel").
_ENGLISH_DETERMINERS = _word_set(
    "the a an my our your their this that these those its his her any some no which what whose"
)


@dataclass(frozen=True)
class Match:
    """The topic a question is about and how sure the answerer is (0..100)."""

    topic: str  # a FaqEntry.topic, or f"agenda:{i}" with i an index into programme.agenda_sorted
    score: float


@lru_cache(maxsize=1 << 16)  # rebuilding after a learned entry changed reads the same texts
def normalise(text: str) -> str:
    """Fold case, umlauts, ß, accents and punctuation, so "Handelsbörse" == "HANDELSBOERSE"."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    text = _APOSTROPHE_RE.sub("", text)
    if not text.isascii():
        # Combining accents and invisible format characters (soft hyphen, zero-width space) go.
        text = "".join(
            c
            for c in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
        )
    return _NON_WORD_RE.sub(" ", text).strip()


LEARNED_PREFIX = "learned:"


@dataclass(frozen=True)
class LearnedTopic:
    """An answer the organisers taught the bot, found by the wordings partners asked it in."""

    topic: str  # f"learned:{id}"
    wordings: tuple[str, ...]

    @classmethod
    def of(cls, entry_id: int, wordings: Iterable[str]) -> LearnedTopic:
        return cls(f"{LEARNED_PREFIX}{entry_id}", tuple(wordings))


def learned_id(topic: str) -> int | None:
    """The learned entry's id of a matched topic, or None for a programme or built-in topic."""
    return int(topic.removeprefix(LEARNED_PREFIX)) if topic.startswith(LEARNED_PREFIX) else None


class Answerer:
    """Built once per programme and set of learned entries (rebuilt when either changes)."""

    def __init__(
        self,
        programme: Programme,
        builtin: tuple[BuiltinTopic, ...] = BUILTIN_TOPICS,
        learned: Iterable[LearnedTopic] = (),
        *,
        train: bool = True,  # False: without a model until one is trained (classifier_for)
    ) -> None:
        topics, hints = _collect_topics(programme, builtin)
        learned = tuple(learned)
        for entry in learned:
            _add_terms(topics.setdefault(entry.topic, {}), (" ".join(entry.wordings), W_LEARNED))
        self._hints = hints
        self._examples = _example_wordings(programme, builtin, learned)
        self._classifier = classifier_for(programme, train=train)
        # A question clearly beyond the programme is ranked twice, for all topics and for taught
        # entries only: the second reads the first's rankings (kept for one question).
        self._ranked = lru_cache(maxsize=8)(self._ranking)
        self._names = _name_terms(programme)
        self._places = frozenset(
            e.topic for e in programme.faq if e.show in ("venue", "directions")
        )
        self._phrases = _phrase_pattern(programme)
        self._venue_name = normalise(programme.event.venue.name)
        self._at_venue = _venue_as_place(programme)
        builtin_ids = {own.topic for own in builtin}
        self._builtin_ids = frozenset(builtin_ids)
        self._intents = _intent_hints(programme, topics, builtin)

        # Words of the event's own name ("Klimakonferenz", "Leipzig") say nothing about a topic,
        # unless a topic has one of them as keyword.
        event = programme.event
        context = _word_set(normalise(f"{_both(event.title)} {_both(event.host)}"))
        keywords = (
            {normalise(k) for e in programme.faq for k in e.keywords}
            | {normalise(k) for item in programme.agenda for k in item.keywords}
            | {normalise(k) for topic in builtin for k in topic.keywords}
        )
        self._ignored = STOP_WORDS | (context - keywords)
        # Content words of each learned entry's shortest wording.
        self._learned_size = {
            entry.topic: min(
                (len(set(_words(wording)) - self._ignored) for wording in entry.wordings),
                default=0,
            )
            for entry in learned
        }

        # An agenda line mentioning "drinks" must not tie with the catering entry made for them.
        faq_keywords = {w for entry in programme.faq for k in entry.keywords for w in _words(k)}
        by_term: dict[str, dict[str, float]] = defaultdict(dict)
        for topic, terms in topics.items():
            for term, weight in terms.items():
                if term in self._ignored:
                    continue
                if topic.startswith("agenda:") and term in faq_keywords:
                    weight = min(weight, W_SHARED_WITH_FAQ)
                by_term[term][topic] = weight
        self._by_term: dict[str, dict[str, float]] = dict(by_term)

        # IDF over topics with a soft document frequency: a mention in an answer text counts less.
        # Counted over the programme's and the bot's topics: saving learned entries about other
        # things must not change how the existing topics are told apart.
        count = max(sum(not topic.startswith(LEARNED_PREFIX) for topic in topics), 1)
        self._idf = {
            term: math.log(1 + count / max(sum(weights.values()), 1.0))
            for term, weights in by_term.items()
        }
        # How much a question word tells when it is this term: little if only running text has it.
        self._strength = {term: self._idf[term] * max(w.values()) for term, w in by_term.items()}
        self._decisive = {term: max(w.values()) >= W_DECISIVE for term, w in by_term.items()}
        # For the bot's own topics only the keywords that name a thing: their other terms are
        # verbs ("change", "cancel") whose object says what is meant ("cancel my hotel booking").
        things = {(own.topic, normalise(word)) for own in builtin for word in own.things}
        self._strong = {
            term: frozenset(
                t
                for t, w in weights.items()
                if w >= W_STRONG and (t not in builtin_ids or (t, term) in things)
            )
            for term, weights in by_term.items()
            if self._idf[term] >= MIN_STRONG_IDF
        }

        self._vocabulary = sorted(by_term)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        by_tail: dict[str, list[str]] = defaultdict(list)
        for term in self._vocabulary:
            if len(term) >= 4:
                by_prefix[term[:4]].append(term)
            # "bahnhof" finds "hauptbahnhof": the last part of a compound names what it is.
            for split in range(4, len(term) - 4):
                by_tail[term[split:]].append(term)
        self._by_prefix = dict(by_prefix)
        self._by_tail = dict(by_tail)

    def match(self, question: str) -> Match | None:
        """The topic of a question, or None when no topic is clearly the one meant."""
        question = question[:MAX_QUESTION_CHARS]
        normalised = normalise(question)
        if (example := self._examples.get(normalised)) is not None:
            return Match(topic=example, score=100.0)
        self._ranked.cache_clear()
        model = self._classifier
        found = self._matched(question) if model is None else self._weighed(question, model)
        if found is not None and _OWN_CONTRIBUTION_RE.search(normalised):
            # Only what the organisers answered about it before may answer it.
            return found if learned_id(found.topic) is not None else None
        return found

    def _weighed(self, question: str, model: TopicClassifier) -> Match | None:
        """The topic the question's words name (`_matched`), weighed by a model trained on the
        programme's example questions against the others. A topic the model has no examples
        of (a new FAQ entry) the words decide alone; a taught entry is a relay to the model:
        it answers what the programme does not."""
        scores = model.scores(question)
        found = None if model.settled(scores) else self._matched(question)
        taught = found is not None and learned_id(found.topic) is not None
        if found is not None and not taught and found.topic not in model.known:
            return found
        named = RELAY if taught else found.topic if found is not None else None
        topic, score = model.decide(scores, named)
        if topic != RELAY:
            return Match(topic=topic, score=round(50.0 * (1.0 + min(score, 1.0)), 1))
        if taught:
            return found
        if score >= CLEARLY_BEYOND and self._learned_size:
            # Clearly beyond the programme: its topics that kept a taught entry from being the
            # clear one are out of the running.
            return self._matched(question, learned_only=True)
        return None

    def _matched(self, question: str, learned_only: bool = False) -> Match | None:
        """The topic the question's words name (with `learned_only`, among taught entries).

        Partners often add a sentence of context ("what time does it finish? need to tell my
        wife"): the question sentence decides, unless the whole message has a clearer topic
        ("Ich sitze im Rollstuhl. Ist der Saal erreichbar?") or the question none.
        """
        found = None
        focus = _question_focus(question)
        if focus is not None and not self._elliptic(focus):
            found = self._answer(focus, learned_only)
        whole = self._answer(question, learned_only)
        if found is None or (whole is not None and self._clearer(whole, found, focus)):
            found = whole
        return found

    def _clearer(self, whole: Match, found: Match, focus: str | None) -> bool:
        """Whether the whole message's topic beats its question's: by a higher score, or because
        the question names nothing, not even the event ("Die Unterstützungsangebote – wann
        kommen die dran?")."""
        words = set(normalise(focus or "").split())
        return whole.score > found.score or (words <= self._ignored and not words & _EVENT_WORDS)

    def _elliptic(self, focus: str) -> bool:
        """A question of a word or two without a content word ("when?", "wo genau?") asks
        about the sentence before it; a longer one ("Bis wann geht es ungefähr?") stands alone."""
        words = normalise(focus).split()
        return len(words) < 3 and set(words) <= self._ignored

    def _answer(self, text: str, learned_only: bool = False) -> Match | None:
        """The venue named as the place of something else says where, not what is asked
        ("Gibt es Parkplätze an der Alten Handelsbörse?"); if nothing else is asked, it is."""
        if self._at_venue.search(normalise(text)):
            found = self._decide(*self._ranked(text, at_venue=True), learned_only)
            if found is not None:
                return found
        return self._decide(*self._ranked(text), learned_only)

    def _decide(
        self, ranked: list[tuple[str, float]], all_known: bool, learned_only: bool = False
    ) -> Match | None:
        if learned_only:
            ranked = [(topic, score) for topic, score in ranked if learned_id(topic) is not None]
        if not ranked:
            return None
        topic, score = ranked[0]
        # The venue is where every other topic happens: beside one of them it is no rival
        # ("Ist der Ort barrierefrei?").
        rivals = [s for t, s in ranked[1:] if t not in self._places or topic in self._places]
        runner_up = rivals[0] if rivals else 0.0
        needed = MIN_CONFIDENCE_ALL_KNOWN if all_known else MIN_CONFIDENCE
        if score < needed or runner_up > MAX_RUNNER_UP_SHARE * score:
            return None
        return Match(topic=topic, score=round(score, 1))

    def rank(self, question: str) -> list[tuple[str, float]]:
        """Every topic with some evidence and its confidence, best first (also for tuning)."""
        return self._ranking(question)[0]

    def _ranking(
        self, question: str, at_venue: bool = False
    ) -> tuple[list[tuple[str, float]], bool]:
        """The ranking, and whether the programme knows every word of the question; with
        `at_venue`, the venue named as a place ("in der Alten Handelsbörse") is filler."""
        question = question[:MAX_QUESTION_CHARS]
        text = _without_fillers(self._join_separable_verbs(question))
        if at_venue:
            text = self._at_venue.sub(" ", text)
        why = _WHY_RE.search(text) is not None
        text = self._phrases.sub(self._phrase_term_of, text)
        lower_case = not any(c.isupper() for c in question)
        nouns = (
            set(_content_words(question))
            | _after_determiners(written := text.split(), lower_case)
            | _in_prepositional_phrase(written, _OF)
        )
        gains: dict[str, float] = defaultdict(float)
        decisive: set[str] = set()  # topics with more than supporting evidence
        strong_terms: dict[str, set[str]] = defaultdict(set)  # topic: its strong terms found
        # Question words (not circumstances) that each learned entry explains.
        learned_words: dict[str, set[str]] = defaultdict(set)
        information = 0.0
        hinted_only = 0.0  # from stop words some topics list ("who", "why")
        # Question words and the topics they hint at: "where" in "Wo finde ich mein Ticket?"
        # says where the ticket is, and counts less against a strong term of another topic.
        question_words: list[tuple[float, frozenset[str]]] = []
        # Information of words the programme does not explain: (amount, kind, topics whose
        # running text has the word). How much it counts depends on the topic (see _excused).
        unexplained: list[tuple[float, str, frozenset[str]]] = []

        def hint(hinted: dict[str, float]) -> None:
            nonlocal information
            amount = max(hinted.values(), default=HINT_INFO)
            information += amount
            if amount <= HINT_INFO:
                question_words.append((amount, frozenset(hinted)))
            for topic, weight in hinted.items():
                gains[topic] += weight
            decisive.update(hinted)

        for pattern, hinted in self._intents:
            text, found = pattern.subn(" ", text)
            if found:
                hint(hinted)
        words = self._join_compounds_written_apart(list(map(_without_zu, text.split())), nouns)
        modifiers = _in_prepositional_phrase(words)
        circumstances = _in_prepositional_phrase(words, _CIRCUMSTANTIAL_PREPOSITIONS)
        aspects = self._aspects_of_known(question)
        subjects = _sentence_subjects(question)
        context, context_named = _context_words(question)
        # "nach", "aus" and "from" name a town or country: only one the programme names exactly
        # is its place ("Wie komme ich nach Halle?", "by car from Halle" are not about the hall).
        towns = _in_prepositional_phrase(words, _TO_TOWN)
        # "als kleiner Verein", "as a research institute": the role of who asks.
        roles = _in_prepositional_phrase(
            [w for w in words if w not in self._ignored or w in _AS], _AS
        )
        for word in list(dict.fromkeys(words))[:MAX_QUESTION_WORDS]:
            if word in self._ignored:
                if word in self._hints:
                    hint(self._hints[word])
                    hinted_only += HINT_INFO
                continue
            if word in _ASKER_WORDS and (word in roles or word not in self._by_term):
                continue
            if word in subjects and word in self._by_term:
                continue
            another_town = word in towns and word not in self._by_term
            candidates = {} if another_town or len(word) > MAX_WORD_CHARS else self._lookup(word)
            if not candidates and self._misspelt_stop_word(word):
                continue
            unknown = 0.0 if _is_number(word) or len(word) < 3 else UNKNOWN_INFO
            if word in nouns:
                unknown = UNKNOWN_NOUN_INFO
            strength = max((self._strength[term] for term in candidates), default=0.0)
            best: dict[str, float] = {}
            for term, similarity in candidates.items():
                for topic, weight in self._by_term[term].items():
                    best[topic] = max(best.get(topic, 0.0), similarity * weight * self._idf[term])
                    if weight >= W_DECISIVE:
                        decisive.add(topic)
                    if topic.startswith(LEARNED_PREFIX) and word not in modifiers:
                        learned_words[topic].add(word)
                if similarity >= SIM_INFLECTION:
                    for topic in self._strong.get(term, ()):
                        if word not in modifiers or topic.startswith(LEARNED_PREFIX):
                            strong_terms[topic].add(term)
            part_only = max(candidates.values(), default=1.0) <= SIM_PART_OF_COMPOUND
            if part_only or not any(self._decisive[term] for term in candidates):
                # Unknown, known only from running text ("Halle" ~ "hall"), or only a part of it
                # ("Personalausweis"): its information beyond what the programme explains counts
                # as that of an unknown word.
                missing = max(unknown - strength, 0.0)
                if missing > 0:
                    kind = (
                        (_NOUN_IN_PHRASE if word in nouns else _IN_PHRASE)
                        if word in circumstances
                        else _FILLER
                        if word not in nouns or word in aspects
                        else _NOUN
                    )
                    if word in context and not (word in nouns and context_named):
                        missing *= CONTEXT_SHARE
                    unexplained.append((missing, kind, frozenset(best)))
            information += strength
            for topic, gain in best.items():
                gains[topic] += gain

        # A learned entry answers one question: when its wordings name several things, one of
        # them alone is another question ("rent a bike" is not "charging stations for e-bikes").
        decisive -= {
            topic
            for topic, size in self._learned_size.items()
            if size >= MIN_LEARNED_TERMS_FOR_TWO and len(learned_words[topic]) < 2
        }
        lone_hint = information == hinted_only and len(words) <= 1  # "Wer?", "Why?"
        if lone_hint or information + sum(missing for missing, _, _ in unexplained) <= 0:
            return [], False
        # A name says who or what, not what about them is asked: beside a name alone no unknown
        # word is excused ("Ist Levermann verheiratet?", "Wann wurde die Handelsbörse gebaut?").
        strong = {topic for topic, terms in strong_terms.items() if not terms <= self._names}
        if why:
            strong.clear()
        scores = {
            topic: min(
                100.0,
                100.0
                * gain
                / (
                    information
                    - _hints_excused(topic, topic in strong, question_words)
                    + _excused(topic, topic in strong, unexplained, topic in self._builtin_ids)
                ),
            )
            * (1.0 if topic in decisive else 0.5)
            for topic, gain in gains.items()
        }
        ranked = sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
        return ranked, not unexplained

    def _phrase_term_of(self, found: re.Match[str]) -> str:
        return _phrase_term(self._venue_name if found.group("venue") else found.group())

    def _misspelt_stop_word(self, word: str) -> bool:
        """A word one typo away from a stop word ("konferrenz", "dsa") says no more than it: a
        long one by any typo, a short one only by two swapped letters."""
        if len(word) >= 6:
            return (
                process.extractOne(word, _LONG_STOP_WORDS, scorer=fuzz.ratio, score_cutoff=88.0)
                is not None
            )
        return any(
            f"{word[:i]}{word[i + 1]}{word[i]}{word[i + 2 :]}" in STOP_WORDS
            for i in range(len(word) - 1)
        )

    def _join_compounds_written_apart(self, words: list[str], nouns: set[str]) -> list[str]:
        """Two neighbouring words that together are a programme term are that term: informal
        German splits compounds ("Kinder betreuen" for "Kinderbetreuung", "Park Platz")."""
        joined: list[str] = []
        index = 0
        while index < len(words):
            pair = "".join(words[index : index + 2])
            if (
                index + 1 < len(words)
                and min(len(words[index]), len(words[index + 1])) >= 3
                and not {words[index], words[index + 1]} & self._ignored
                and len(pair) <= MAX_WORD_CHARS
                and self._forms(pair)
            ):
                if nouns & {words[index], words[index + 1]}:
                    nouns.add(pair)
                joined.append(pair)
                index += 2
            else:
                joined.append(words[index])
                index += 1
        return joined

    def _aspects_of_known(self, question: str) -> frozenset[str]:
        """Later parts of hyphenated compounds whose first part the programme knows: the
        compound names an aspect of a known thing ("WLAN-Passwort"), not another thing, as an
        unknown first part would ("Kita-Gebühren")."""
        found: set[str] = set()
        for compound in _HYPHENATED_RE.findall(question[:MAX_QUESTION_CHARS]):
            first, *rest = normalise(compound).split()
            if any(self._decisive[term] for term in self._lookup(first)):
                found.update(rest)
        return frozenset(found)

    def _join_separable_verbs(self, question: str) -> str:
        """The normalised question with German separable verbs joined where the programme or a
        built-in topic knows the verb: "Wie melde ich mich an?" asks about "anmelden", "Wie
        stelle ich die Sprache um?" about "umstellen". The particle ends the clause."""
        clauses = []
        for clause in _CLAUSE_RE.split(question):
            words = normalise(clause).split()
            if len(words) >= 3 and words[-1] in _VERB_PARTICLES:
                particle = words[-1]
                verb = next((w for w in words[:-1] if self._forms(particle + w)), None)
                if verb is not None:
                    words = [w for w in words[:-1] if w != verb] + [particle + verb]
            clauses.append(" ".join(words))
        return " ".join(clauses)

    def _lookup(self, word: str) -> dict[str, float]:
        """The programme terms a question word stands for, with their similarity (0..1)."""
        found: dict[str, float] = {}
        if word in self._by_term:
            found[word] = 1.0
        if len(word) < 4:
            return found
        # Beside an exact match, another form of the word is weaker evidence:
        # "networking" is the get-together, "network" the climate city contract.
        inflection = SIM_INFLECTION_BESIDE_EXACT if found else SIM_INFLECTION
        for term in self._by_prefix.get(word[:4], ()):
            if term != word and _same_stem(word, term):
                found[term] = inflection
        # Short stems: "fees", "cars", "taxen", "ending".
        for ending in ("s", "es", "e", "n", "en", "ing", "ed"):
            stem = word.removesuffix(ending)
            if stem != word and len(stem) == 3 and stem in self._by_term:
                found[stem] = inflection
        if found:  # another form of a known word is no typo of a third ("ending" / "sending")
            return found
        # Typos: one letter missing or added in a short word, one wrong or swapped in a
        # middling one ("kenyote"), about two in a long one ("Levermnn", "Handelsborse").
        cutoff = 88.0 if len(word) <= 5 else 85.0 if len(word) <= 7 else 80.0
        for term, score, _ in process.extract(
            word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
        ):
            found[term] = max(found.get(term, 0.0), score / 100.0)
        if not found and len(word) >= 5:
            for term in self._by_tail.get(word, ()):
                found[term] = SIM_PART_OF_COMPOUND
        if not found and len(word) >= 8:
            found = self._compound_parts(word)
        if not found:
            # A particle verb is about its verb: "aufladen" is charging ("laden").
            for particle in _SEPARABLE_PREFIXES:
                verb = word.removeprefix(particle)
                if verb != word and len(verb) >= 4 and verb in self._by_term:
                    found[verb] = SIM_PART_OF_COMPOUND
        return found

    def _compound_parts(self, word: str) -> dict[str, float]:
        """Known parts of a German compound; its last part carries the meaning.

        "Parkmöglichkeiten" is about parking ("Möglichkeiten" says nothing) and "Abendessen" is
        food, but "Filmfestival" is no question about filming.
        """
        found: dict[str, float] = {}
        if _PARTICIPLE_RE.match(word):  # "angemessen" is no "essen"
            return found
        for split in range(4, len(word) - 3):
            head, tail = word[:split], word[split:]
            heads = self._forms(head)
            for link in _LINKING_LETTERS:
                rest = tail[len(link) :]
                if not tail.startswith(link) or len(rest) < 4:
                    continue
                if rest in self._by_term:
                    found[rest] = SIM_COMPOUND
                    found.update(dict.fromkeys(heads, SIM_COMPOUND))
                elif rest in _GENERIC_COMPOUND_TAILS or rest in self._ignored:
                    found.update(dict.fromkeys(heads, SIM_COMPOUND))
                elif len(head) * 2 >= len(word):
                    for term in heads:
                        found.setdefault(term, SIM_PART_OF_COMPOUND)
        return found

    def _forms(self, stem: str) -> list[str]:
        """Programme terms that are the same word as `stem` ("foerder" -> "foerderung")."""
        if stem in self._by_term:
            return [stem]
        return [term for term in self._by_prefix.get(stem[:4], ()) if _same_stem(stem, term)]


# Kinds of unexplained word, by how likely it is the subject of the question.
_NOUN = "noun"  # an unknown noun or name: likely what the question is about
_FILLER = "filler"  # not written as a noun, or an aspect of a known thing ("WLAN-Passwort")
_IN_PHRASE = "in phrase"  # after a preposition: where, when or for whom
# A noun after a preposition: a circumstance of a programme topic ("Kaffee in der Pause"), but
# beside a thing of the bot's own it says which one is meant ("Tickets für das Konzert").
_NOUN_IN_PHRASE = "noun in phrase"


def _hints_excused(
    topic: str, is_strong: bool, question_words: list[tuple[float, frozenset[str]]]
) -> float:
    """The information of question words that a strong term of a topic they do not hint at
    takes off: they ask where or when that thing is ("Wo finde ich mein Ticket?")."""
    if not is_strong:
        return 0.0
    return sum(
        amount * (1.0 - UNKNOWN_BESIDE_STRONG)
        for amount, hinted in question_words
        if topic not in hinted
    )


def _excused(
    topic: str,
    is_strong: bool,
    unexplained: list[tuple[float, str, frozenset[str]]],
    about_the_bot: bool = False,
) -> float:
    """The information of unexplained words a topic has to account for. Beside a strong term of
    the topic, filler and prepositional phrases count less, and so does a noun the topic's own
    running text mentions ("barrierefreier Eingang")."""
    if not is_strong:
        return sum(missing for missing, _, _ in unexplained)
    # A circumstance is excused only when the rest of the question is known: in "Is the zoo
    # open on Sunday?" the unknown "zoo" is the subject, and the phrase is no mere detail.
    subject_known = all(kind in (_IN_PHRASE, _NOUN_IN_PHRASE) for _, kind, _ in unexplained)
    total = 0.0
    for missing, kind, supporting in unexplained:
        if kind == _NOUN_IN_PHRASE:
            kind = _NOUN if about_the_bot else _IN_PHRASE
        if kind == _IN_PHRASE and subject_known:
            total += missing * UNKNOWN_IN_PHRASE_BESIDE_STRONG
        elif kind != _NOUN or topic in supporting:
            total += missing * UNKNOWN_BESIDE_STRONG
        else:
            total += missing
    return total


def _collect_topics(
    programme: Programme, builtin: tuple[BuiltinTopic, ...]
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Each topic's terms with weights, and the stop words some topics list as keyword.

    A built-in topic about the bot adds its words to a programme entry with the same id.
    """
    topics: dict[str, dict[str, float]] = {}
    hints: dict[str, dict[str, float]] = defaultdict(dict)
    keynote_topic = _keynote_topic(programme)
    for entry in programme.faq:
        topics[entry.topic] = _faq_terms(entry, programme)
        for keyword in map(normalise, entry.keywords):
            if keyword in STOP_WORDS:  # "why" as keyword: a hint, not evidence
                hints[keyword][entry.topic] = HINT_INFO
    for own in builtin:
        _add_terms(
            topics.setdefault(own.topic, {}),
            (" ".join(own.keywords), W_KEYWORD),
            (" ".join(own.examples), W_EXAMPLE),
        )
        for keyword in map(normalise, own.keywords):
            if keyword in STOP_WORDS:
                hints[keyword][own.topic] = HINT_INFO
    for index, item in enumerate(programme.agenda_sorted):
        topic = f"agenda:{index}"
        if keynote_topic and _is_keynote_item(item, programme):
            # The shown keynote answers this better than a line of the agenda.
            topic = keynote_topic
        _add_terms(topics.setdefault(topic, {}), *_agenda_texts(item))
        for keyword in map(normalise, item.keywords):
            if keyword in STOP_WORDS:
                hints[keyword][topic] = HINT_INFO
    return topics, dict(hints)


def _name_terms(programme: Programme) -> frozenset[str]:
    """The words of the names of people and places the programme shows."""
    venue, keynote = programme.event.venue, programme.keynote
    speakers = [keynote.speaker, *(item.speaker for item in programme.agenda if item.speaker)]
    return frozenset(_words(" ".join([_name(venue.name), *(_name(_person(s)) for s in speakers)])))


def _example_wordings(
    programme: Programme, builtin: tuple[BuiltinTopic, ...], learned: tuple[LearnedTopic, ...]
) -> dict[str, str]:
    """Each example wording of a topic, normalised: asked as written, it is that topic's
    question, however the scores would weigh its words. One that two topics share is neither's."""
    found: dict[str, set[str]] = defaultdict(set)
    for entry in programme.faq:
        for wording in (*entry.questions.de, *entry.questions.en):
            found[normalise(wording)].add(entry.topic)
    for own in builtin:
        for wording in own.examples:
            found[normalise(wording)].add(own.topic)
    for entry in learned:
        for wording in entry.wordings:
            found[normalise(wording)].add(entry.topic)
    return {wording: topic for wording, (topic, *others) in found.items() if not others}


def _faq_terms(entry: FaqEntry, programme: Programme) -> dict[str, float]:
    """An FAQ topic's terms: its own words plus those of the part of the programme it shows."""
    event, keynote = programme.event, programme.keynote
    texts: list[tuple[str, float]] = [
        (entry.topic.removeprefix(PREFIX).replace("_", " "), W_TOPIC_ID),
        (" ".join([*entry.questions.de, *entry.questions.en]), W_EXAMPLE),
        (_keyword_text(entry.keywords), W_KEYWORD),
        (_both(entry.answer), W_ANSWER),
    ]
    if entry.show == "event":
        names, numbers = _date_words(programme)
        # A bare number (day, year, hour) could be anything: it only supports the date.
        # Another weekday or month is still a question about the date ("Dienstag oder Mittwoch?").
        calendar = " ".join((*_WEEKDAYS, *_MONTHS))
        texts += [(names, W_DATE), (numbers, W_DESCRIPTION), (calendar, W_DESCRIPTION)]
    elif entry.show == "venue":
        texts.append((f"{_name(event.venue.name)} {event.venue.address}", W_NAME))
    elif entry.show == "directions":
        # The way leads to the venue: "How do I get to the Handelsbörse?"
        texts += [
            (_both(event.venue.directions), W_DESCRIPTION),
            (_name(event.venue.name), W_WAY_TO_VENUE),
        ]
    elif entry.show == "accessibility":
        texts.append((_both(event.venue.accessibility), W_DESCRIPTION))
    elif entry.show == "keynote":
        texts += [
            (_name(_person(keynote.speaker)), W_NAME),
            (_SPEAKING_WORDS, W_IMPLIED),
            (f"{_both(keynote.title)} {_both(keynote.affiliation)}", W_IMPLIED),
            (f"{_both(keynote.abstract)} {_both(keynote.role)}", W_DESCRIPTION),
        ]
    terms: dict[str, float] = {}
    _add_terms(terms, *texts)
    return terms


def _agenda_texts(item: AgendaItem) -> list[tuple[str, float]]:
    """An agenda item answers to its title, keywords, speaker and description."""
    texts = [
        (_both(item.title), W_TITLE),
        (_keyword_text(item.keywords), W_KEYWORD),
        (_both(item.description), W_DESCRIPTION),
    ]
    if item.speaker:
        texts += [(_name(_person(item.speaker)), W_NAME), (_SPEAKING_WORDS, W_IMPLIED)]
    return texts


def _keyword_text(keywords: Iterable[str]) -> str:
    """Keywords as terms: one of several words is a phrase, one term that only the whole phrase
    matches ("plus one", "plus-one", "stock exchange"): its words alone may mean other things
    ("What is 2 plus 2?")."""
    return " ".join(_phrase_term(normalise(k)) if _is_phrase(k) else k for k in keywords)


def _is_phrase(keyword: str) -> bool:
    return len(normalise(keyword).split()) > 1


def _phrase_term(phrase: str) -> str:
    return phrase.replace(" ", "")


def _name(name: str) -> str:
    """A name's words, and the whole name as one term: "Alte Handelsbörse" names one thing, so
    a question naming it holds one strong term, not two."""
    return f"{name} {_phrase_term(normalise(name))}"


def _phrase_pattern(programme: Programme) -> re.Pattern[str]:
    """The venue's name and the programme's keyword phrases and names of several words, to find
    in a normalised question (longest first)."""
    keywords = [k for e in programme.faq for k in e.keywords]
    keywords += [k for item in programme.agenda for k in item.keywords]
    keywords += [_person(programme.keynote.speaker)]
    keywords += [_person(item.speaker) for item in programme.agenda if item.speaker]
    phrases = sorted({normalise(k) for k in keywords if _is_phrase(k)}, key=len, reverse=True)
    venue = _inflected(normalise(programme.event.venue.name))
    alternatives = "|".join([f"(?P<venue>{venue})", *map(re.escape, phrases)])
    return re.compile(rf"\b(?:{alternatives})\b")


def _inflected(name: str) -> str:
    """A pattern for a name whose leading words inflect in German ("in der Alten Handelsbörse")."""
    *leading, last = name.split()
    return " ".join([*(f"{re.escape(word)}[nmrs]?" for word in leading), re.escape(last)])


# A place named after these says where ("in der Nähe der Alten Handelsbörse", "at the Old Stock
# Exchange"); "zur Handelsbörse" and "in welchem Gebäude" ask about the place itself.
_LOCATIVE = (
    r"(?:in der naehe (?:der|des|von)|an|am|in|im|bei|beim|nahe|neben|vor|hinter|near|next to"
    r"|close to|inside|at|by)"
)


def _venue_as_place(programme: Programme) -> re.Pattern[str]:
    """The venue's name and the words its entry knows it by, after a locative preposition."""
    name = normalise(programme.event.venue.name)
    names = {name.split()[-1]}
    names |= {normalise(k) for e in programme.faq if e.show == "venue" for k in e.keywords}
    alternatives = "|".join(
        [_inflected(name), *map(re.escape, sorted(names, key=len, reverse=True))]
    )
    return re.compile(rf"\b{_LOCATIVE} (?:(?:der|dem|den|die|das|des|the) )?(?:{alternatives})\b")


def _add_terms(terms: dict[str, float], *texts: tuple[str, float]) -> None:
    """Add the words of each text with its weight, keeping the strongest weight per word."""
    for text, weight in texts:
        for word in _words(text):
            if len(word) >= 2 and terms.get(word, 0.0) < weight:
                terms[word] = weight


def _intent_hints(
    programme: Programme, topics: dict[str, dict[str, float]], builtin: tuple[BuiltinTopic, ...]
) -> tuple[tuple[re.Pattern[str], dict[str, float]], ...]:
    """Which topics each question-word family hints at: the entry showing that part, and for
    "when" more weakly everything with a time of its own (the keynote, the agenda items)."""
    timed = {topic: TIMED_HINT for topic in topics if topic.startswith("agenda:")}
    keynote_topic = _keynote_topic(programme)
    if keynote_topic:
        timed[keynote_topic] = TIMED_HINT
    intents = []
    for part, pattern in _INTENTS:
        amount = DIRECTIONS_INFO if part == "directions" else HINT_INFO
        shown = "directions" if part == "distance" else part
        hinted = {entry.topic: amount for entry in programme.faq if entry.show == shown}
        if part == "event":
            hinted = timed | {own.topic: TIMED_HINT for own in builtin if own.timed} | hinted
        if hinted:
            intents.append((pattern, hinted))
    intents += [(re.compile(own.phrase), {own.topic: PHRASE_INFO}) for own in builtin if own.phrase]
    return tuple(intents)


def _keynote_topic(programme: Programme) -> str | None:
    return next((entry.topic for entry in programme.faq if entry.show == "keynote"), None)


def _is_keynote_item(item: AgendaItem, programme: Programme) -> bool:
    """An agenda line about the keynote: the same speaker, or the keynote's title in its title."""
    keynote = programme.keynote
    if item.speaker and _person(item.speaker) == _person(keynote.speaker):
        return True
    title = normalise(_both(item.title))
    return any(normalise(text) in title for text in (keynote.title.de, keynote.title.en))


def _words(text: str) -> list[str]:
    """Normalised words of a programme text; hyphenated ones also joined ("gettogether")."""
    words = normalise(text).split()
    words += [normalise(part).replace(" ", "") for part in _HYPHENATED_RE.findall(text)]
    return words


def _both(text: Localized | None) -> str:
    return "" if text is None else f"{text.de} {text.en}"


def _person(name: str) -> str:
    """A speaker's name without academic titles, which say nothing about who is meant."""
    return " ".join(word for word in normalise(name).split() if word not in _ACADEMIC_TITLES)


def _date_words(programme: Programme) -> tuple[str, str]:
    """Words a question about the date may use: weekday and month, and the numbers of day, year
    and hours of the event."""
    starts, ends = programme.event.starts_at, programme.event.ends_at
    names = [
        word
        for weekdays, months in zip(_WEEKDAYS, _MONTHS, strict=True)
        for word in (weekdays.split()[starts.weekday()], months.split()[starts.month - 1])
    ]
    numbers = (starts.day, starts.year, starts.hour, ends.hour)
    return " ".join(names), " ".join(map(str, numbers))


def _in_prepositional_phrase(
    words: list[str], prepositions: frozenset[str] = _PREPOSITIONS
) -> frozenset[str]:
    """Words that follow a preposition ("wifi at the venue", "Wetter am 10. Juni"): they say
    where or when, while the question is about something else."""
    found: set[str] = set()
    after = False
    for word in words:
        if word in prepositions:
            after = True
        elif after and not (word in _DETERMINERS or _is_number(word)):
            found.add(word)
            after = False
    return frozenset(found)


def _after_determiners(words: list[str], lower_case: bool = False) -> frozenset[str]:
    """Words right after an English article or possessive: likely nouns, though English writes
    them in lower case ("a job opening", "a concert ticket"). A German word there is more often
    an adjective ("ein eigener Stand"), and German nouns are capitalised anyway, unless the
    partner writes all in lower case ("kann ich meinen hund mitbringen"). Stop words between
    them are skipped ("any good bars")."""
    determiners = _ENGLISH_DETERMINERS | _DETERMINERS if lower_case else _ENGLISH_DETERMINERS
    content = [w for w in words if w in determiners or w not in STOP_WORDS]
    return frozenset(
        word
        for before, word in itertools.pairwise(content)
        if before in determiners and len(word) >= 3 and not _is_number(word)
    )


# Sentence ends, but not the dot of a date or number ("am 10. Juni"); a dash between words ends
# a thought as well ("my colleague has celiac disease – anything gluten free?").
_SENTENCE_END_RE = re.compile(r"(?<=[?!])\s*|(?<=[^\d\s.]\.)\s+|\s*\n\s*|\s+[–—-]\s+|:\s+")
# A question that points back at its context ("Ich habe einen Hund. Darf ich ihn mitbringen?")
# is not understood without it.
_POINTING_BACK = _word_set(
    "er ihn ihm ihnen sie es das dies dafuer damit dazu davon dahin dorthin dort he she they it"
    " them him her"
    " this that there"
)


def _question_focus(question: str) -> str | None:
    """The question sentences of a message that also holds other sentences, or None.

    Context after the question only explains why one asks; context before it is dropped only
    when the question does not point back at it.
    """
    found = _asked(question)
    if found is None:
        return None
    focus, after_context = found
    return None if after_context and _points_back(focus) else focus


def _asked(question: str) -> tuple[str, bool] | None:
    """What a message asks, when it holds more than that, and whether context came before it.

    The sentences ending with a question mark, without a reason or condition opening them
    ("Da ich aus Chemnitz anreise, ..."); typed without a question mark, the clause that opens
    the question ("wann ist das ende, muss danach noch meinen zug kriegen", "wüsste ich gern,
    um wie viel Uhr es endet").
    """
    sentences = [s.strip() for s in _SENTENCE_END_RE.split(question) if s.strip()]
    asked = [i for i, sentence in enumerate(sentences) if sentence.endswith("?")]
    if asked and asked[0] > 0:
        # A question that goes on after a dash: "Who is behind this bot – the city or the EU?"
        opened = sentences[asked[0] - 1]
        if opened[-1] not in ".!" and _opens_question(opened):
            asked.insert(0, asked[0] - 1)
    if asked:
        parts = [_without_reason(sentences[i]) for i in asked]
        if len(asked) == len(sentences) and parts == [sentences[i] for i in asked]:
            return None
        before = sentences[: asked[0]]
        return " ".join(parts), parts[0] != sentences[asked[0]] or any(map(_says_something, before))
    if "?" in question:
        return None
    clauses = [c.strip() for s in sentences for c in s.split(",") if c.strip()]
    opening = [i for i, clause in enumerate(clauses) if _opens_question(clause)][:1]
    if opening and len(clauses) > 1:
        return clauses[opening[0]], opening[0] > 0
    if indirect := _INDIRECT_RE.search(question):  # "Our team would like to know where ..."
        return question[indirect.end() :], True
    return None


# Asking by way of what one wants to know: the question starts after it.
_INDIRECT_RE = re.compile(
    r"\b(?:know|wissen|wondering|wonder|fragen|tell me|sagen|mitteilen|confirm|erfahren)\b,?"
    r" (?=(?:ob|whether|if|wo|wann|wie|was|welche\w*|wer|where|when|how|what|which|who)\b)",
    re.IGNORECASE,
)


def _says_something(sentence: str) -> bool:
    """Whether a sentence is more than a greeting or filler ("Hallo!", "Quick one:")."""
    return not set(_without_fillers(normalise(sentence)).split()) <= STOP_WORDS


_LEADING = _PREPOSITIONS | _word_set("um ab bis seit until till since")
_REASONS = _word_set("da weil wenn falls nachdem als because since as if when")


def _first_word(text: str) -> str:
    return next(iter(normalise(text).split()), "")


def _without_reason(sentence: str) -> str:
    """A sentence without the clauses of reason or condition it opens with."""
    clauses = sentence.split(",")
    while len(clauses) > 1 and _first_word(clauses[0]) in _REASONS:
        clauses = clauses[1:]
    return ",".join(clauses).strip()


# "There" and "es" that point nowhere: "Is there a cloakroom?", "Gibt es einen Dresscode?".
_EXISTENTIAL_RE = re.compile(r"\b(?:is|are|was|were) there\b|\bgibt es\b", re.IGNORECASE)


_QUESTION_WORDS = _word_set(
    "wann wo wohin wie was wer welche welcher welches welchen warum wieso gibt gibts"
    " when where how what who which why whats wheres whens hows"
)


def _context_words(question: str) -> tuple[frozenset[str], bool]:
    """Words only in what a message says beside its question, and whether the question points
    back at them ("Ich habe einen Hund. Darf ich ihn mitbringen?")."""
    found = _asked(question)
    if found is None:
        return frozenset(), False
    focus = found[0]
    context = frozenset(set(normalise(question).split()) - set(normalise(focus).split()))
    return context, _points_back(focus)


def _opens_question(clause: str) -> bool:
    """Whether a clause is a question about something ("wann ist das ende"), not only a question
    word and filler ("who do i ask")."""
    words = normalise(clause).split()
    if words[:1] in (["ob"], ["whether"]):
        return True
    if len(words) > 1 and words[0] in _LEADING:  # "um wie viel Uhr", "ab wann"
        words = words[1:]
    return bool(words) and words[0] in _QUESTION_WORDS and not set(words) <= STOP_WORDS


def _points_back(sentence: str) -> bool:
    """Whether a sentence refers to what came before; "Sie" inside a sentence is the polite
    "you" ("Könnten Sie mir sagen, ...")."""
    words = _LETTERS_RE.findall(_EXISTENTIAL_RE.sub(" ", sentence))
    return any(
        normalise(word) in _POINTING_BACK and not (word == "Sie" and index > 0)
        for index, word in enumerate(words)
    )


# The event itself, however a partner calls it.
_EVENT_WORDS = _word_set(
    "konferenz veranstaltung tagung feier abend ding ganze event conference evening thing it es"
)
_OPENERS = _word_set(
    "mein meine meinem meinen meiner unser unsere unserem unseren my our ein eine einer a an"
)


def _sentence_subjects(question: str) -> frozenset[str]:
    """Whom a statement or clause before the question opens with ("Meine Kollegin sitzt im
    Rollstuhl.", "Ein Kollege hat eine Nussallergie –", "meine kollegin sitzt im rolli, kommt sie
    da rein?"): whom the question is for, not what it is about. In the question itself the
    person may be the subject ("Meine Kollegin möchte auch kommen?")."""
    found: set[str] = set()
    for sentence in _SENTENCE_END_RE.split(question):
        clauses = sentence.split(",")
        if sentence.endswith("?"):
            clauses = clauses[:-1]
        for clause in clauses:
            words = normalise(clause).split()
            if len(words) >= 3 and words[0] in _OPENERS:
                found.add(words[1])
    return frozenset(found)


def _is_number(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS


def _content_words(question: str) -> frozenset[str]:
    """Normalised words likely to say what a sentence is about: those written with a capital
    inside it (nouns and names), and its first word, which a question opens with only when it
    is no question word or common verb (those are stop words): "Regnet es am 10. Juni?" asks
    about rain, the date only says when."""
    nouns: set[str] = set()
    for sentence in _SENTENCE_RE.split(question):
        words = _LETTERS_RE.findall(sentence)
        nouns.update(normalise(word) for word in words[1:] if word[:1].isupper())
        nouns.update(normalise(word) for word in words[:1] if len(word) >= 3)
    return frozenset(nouns)


# A particle verb's participle ("angemessen", "vorgestellt") is one word, not a compound.
_PARTICIPLE_RE = re.compile(rf"(?:{_SEPARABLE})ge")
# A particle verb's infinitive with "zu" inside ("mitzuteilen", "anzumelden").
_ZU_INFINITIVE_RE = re.compile(rf"({_SEPARABLE})zu(\w{{4,}})")


def _without_zu(word: str) -> str:
    """ "anzumelden" -> "anmelden": the verb without the "zu" of its infinitive."""
    found = _ZU_INFINITIVE_RE.fullmatch(word)
    return found.expand(r"\1\2") if found else word


def _same_stem(word: str, term: str) -> bool:
    """Inflections share a stem and differ only in a usual ending ("kostet" / "kosten")."""
    common = 0
    for a, b in zip(word, term, strict=False):
        if a != b:
            break
        common += 1
    return (
        common >= 4
        and word[common:] in _INFLECTION_ENDINGS
        and term[common:] in _INFLECTION_ENDINGS
    )
