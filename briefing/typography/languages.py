"""What differs by language, as data: labels, hyphenation dictionary, stop words, and the
typographic conventions the rules in ``briefing.typography.rules`` apply (quote pairs, spaces
before punctuation, the dash, the way dates are written, the spaces that tie numbers to what
they count, ordinal endings set as superscripts).

Add a language by adding an entry to ``LANGUAGES``, or a data file in the bundled assets'
``languages/`` folder (``ar.toml``: see its README). Nothing else in the code names a language,
except the heading words that make a section an FAQ, advice or a conclusion
(``read/sections.py``), which are matched in every language at once.
The five languages here carry their own month names and date patterns (the same as CLDR's long
dates, but for French "1er", a test checks): their dates need no Babel, which keeps a build in
these languages as fast as ever. The others (Arabic, Persian, Urdu, Hebrew, Chinese, Japanese,
Korean, Hindi, Marathi, and any language Babel knows) are dated through Babel
(``briefing.typography.locale``).

Dash convention (what a spaced double hyphen `` -- `` becomes): English uses an unspaced em
dash ("word—word", as in Chicago and most US/UK book typography); French, German, Spanish and
Italian use a spaced en dash ("mot – mot"), the common convention of their press. Spanish
dialogue and the RAE *raya* (``—``) cannot be told apart from a spaced double hyphen, so they
are left to the author.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import msgspec

from briefing.assets import asset

#: U+00A0 NO-BREAK SPACE and U+202F NARROW NO-BREAK SPACE, named for readability.
NBSP = "\u00a0"
NNBSP = "\u202f"


class Language(msgspec.Struct, frozen=True):
    """One language's data."""

    code: str  # primary BCP 47 tag
    pdf_lang: str  # what the PDF's /Lang says
    hyphenation: str  # pyphen dictionary name
    labels: dict[str, str]  # user-visible words of the layout, by key
    months: tuple[str, ...]  # month names, January first, for dates in running text
    date_pattern: str  # "{day} {month} {year}" and the like; "" (no months): dates by Babel
    stop_words: frozenset[str] = msgspec.field(default_factory=frozenset)  # detection, cut titles
    #: Primary opening and closing quotes, then secondary (quotes inside quotes).
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")
    apostrophe: str = "’"
    #: Space put inside the primary quotes (after the opening, before the closing one);
    #: "" removes spaces typed there; None leaves them as typed.
    quote_space: str | None = None
    #: Punctuation that takes a (no-break) space before it, and which space.
    space_before: dict[str, str] = msgspec.field(default_factory=dict)
    #: What a spaced double hyphen `` -- `` becomes, spaces included.
    dash: str = " – "
    #: Day numbers written specially in dates (French "1er").
    day_forms: dict[int, str] = msgspec.field(default_factory=dict)
    #: The space that ties a number to the word or unit after it ("15 décembre", "3 km"),
    #: and the one before a percent sign ("50 %").
    number_space: str = NBSP
    percent_space: str = NBSP
    #: Ordinal endings set as superscripts, as typed -> as set ("1er" -> "1ᵉʳ"); none: left
    #: as typed (English "1st").
    ordinals: dict[str, str] = msgspec.field(default_factory=dict)
    #: The language's English name, its main script (ISO 15924) and its direction.
    name: str = ""
    script: str = "Latn"
    direction: str = "ltr"

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES: dict[str, Language] = {
    "fr": Language(
        code="fr",
        name="French",
        pdf_lang="fr-FR",
        hyphenation="fr",
        labels={
            "faq": "Questions fréquentes",
            "page": "Page {page} / {pages}",
            "updated": "Mis à jour le {date}",
            "source": "Source",
            "kicker": "Briefing",
            "advice": "Nos conseils",
            "conclusion": "Conclusion",
            "notes": "Notes",
            "contents": "Sommaire",
            "article": "Article",
            "lead": "Introduction",
            "title": "Titre",
            "changed": "Modifié\u00a0: {items}",
            "faq_added": "Nouveau dans la FAQ\u00a0: {items}",
            "faq_removed": "Retiré de la FAQ\u00a0: {items}",
            "removed": "Retiré\u00a0: {items}",
            "online": "En ligne",
            "quoted": "«\u00a0{text}\u00a0»",
        },
        months=(
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
            "septembre", "octobre", "novembre", "décembre",
        ),
        date_pattern="{day} {month} {year}",
        quotes=("«", "»", "“", "”"),
        quote_space=NNBSP,
        space_before={"?": NNBSP, "!": NNBSP, ";": NNBSP, ":": NBSP},
        dash=" – ",
        day_forms={1: "1er"},
        percent_space=NNBSP,
        ordinals={
            "er": "ᵉʳ", "re": "ʳᵉ", "ers": "ᵉʳˢ", "res": "ʳᵉˢ", "e": "ᵉ", "es": "ᵉˢ",
            "nd": "ⁿᵈ", "nde": "ⁿᵈᵉ", "nds": "ⁿᵈˢ", "ndes": "ⁿᵈᵉˢ",
        },
        stop_words=_words(
            "le la les des du un une et est en que qui dans pour pas sur au aux avec ce ces "
            "son sa ses leur leurs il elle ils nous vous mais ou donc être avoir été par "
            "avant après sans sous vers chez entre contre depuis pendant selon"
        ),
    ),
    "en": Language(
        code="en",
        name="English",
        pdf_lang="en-GB",
        hyphenation="en_GB",
        labels={
            "faq": "Frequently asked questions",
            "page": "Page {page} / {pages}",
            "updated": "Updated {date}",
            "source": "Source",
            "kicker": "Briefing",
            "advice": "What to do",
            "conclusion": "Conclusion",
            "notes": "Notes",
            "contents": "Contents",
            "article": "Article",
            "lead": "Introduction",
            "title": "Title",
            "changed": "Changed: {items}",
            "faq_added": "New in the FAQ: {items}",
            "faq_removed": "Removed from the FAQ: {items}",
            "removed": "Removed: {items}",
            "online": "Online",
            "quoted": "“{text}”",
        },
        months=(
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ),
        date_pattern="{day} {month} {year}",
        quotes=("“", "”", "‘", "’"),
        dash="—",
        stop_words=_words(
            "the and of to a in is that for it with as was on are be by this have from or "
            "an they which you were their has been not but what all "
            "about after before into over under between against during without"
        ),
    ),
    "de": Language(
        code="de",
        name="German",
        pdf_lang="de-DE",
        hyphenation="de_DE",
        labels={
            "faq": "Häufige Fragen",
            "page": "Seite {page} / {pages}",
            "updated": "Aktualisiert am {date}",
            "source": "Quelle",
            "kicker": "Briefing",
            "advice": "Was tun",
            "conclusion": "Fazit",
            "notes": "Anmerkungen",
            "contents": "Inhalt",
            "article": "Artikel",
            "lead": "Einleitung",
            "title": "Titel",
            "changed": "Geändert: {items}",
            "faq_added": "Neu in den Fragen: {items}",
            "faq_removed": "Entfernt aus den Fragen: {items}",
            "removed": "Entfernt: {items}",
            "online": "Online",
            "quoted": "„{text}“",
        },
        months=(
            "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
            "September", "Oktober", "November", "Dezember",
        ),
        date_pattern="{day}. {month} {year}",
        quotes=("„", "“", "‚", "‘"),
        dash=" – ",
        stop_words=_words(
            "der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
            "auch es an als wie sind werden bei oder aus hat nach"
        ),
    ),
    "es": Language(
        code="es",
        name="Spanish",
        pdf_lang="es-ES",
        hyphenation="es",
        labels={
            "faq": "Preguntas frecuentes",
            "page": "Página {page} / {pages}",
            "updated": "Actualizado el {date}",
            "source": "Fuente",
            "kicker": "Informe",
            "advice": "Qué hacer",
            "conclusion": "Conclusión",
            "notes": "Notas",
            "contents": "Índice",
            "article": "Artículo",
            "lead": "Introducción",
            "title": "Título",
            "changed": "Modificado: {items}",
            "faq_added": "Nuevo en las preguntas: {items}",
            "faq_removed": "Retirado de las preguntas: {items}",
            "removed": "Retirado: {items}",
            "online": "En línea",
            "quoted": "«{text}»",
        },
        months=(
            "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
            "septiembre", "octubre", "noviembre", "diciembre",
        ),
        date_pattern="{day} de {month} de {year}",
        quotes=("«", "»", "“", "”"),
        quote_space="",
        dash=" – ",
        stop_words=_words(
            "el la los las de que y en un una es por con para no se su al lo como más "
            "pero sus le ya o este ha sí porque esta son entre"
        ),
    ),
    "it": Language(
        code="it",
        name="Italian",
        pdf_lang="it-IT",
        hyphenation="it_IT",
        labels={
            "faq": "Domande frequenti",
            "page": "Pagina {page} / {pages}",
            "updated": "Aggiornato il {date}",
            "source": "Fonte",
            "kicker": "Briefing",
            "advice": "Cosa fare",
            "conclusion": "Conclusione",
            "notes": "Note",
            "contents": "Indice",
            "article": "Articolo",
            "lead": "Introduzione",
            "title": "Titolo",
            "changed": "Modificato: {items}",
            "faq_added": "Nuovo nelle domande: {items}",
            "faq_removed": "Rimosso dalle domande: {items}",
            "removed": "Rimosso: {items}",
            "online": "Online",
            "quoted": "«{text}»",
        },
        months=(
            "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
            "settembre", "ottobre", "novembre", "dicembre",
        ),
        date_pattern="{day} {month} {year}",
        quotes=("«", "»", "“", "”"),
        quote_space="",
        dash=" – ",
        stop_words=_words(
            "il lo la i gli le di che e è un una per non in sono con si da del della dei "
            "delle al alla ma come anche più questo hanno"
        ),
    ),
}

DEFAULT_LANGUAGE = "en"


#: A BCP 47 language tag, loosely: a primary language and subtags ("fr", "pt-BR", "sr-Latn").
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def is_language_tag(code: str) -> bool:
    return LANGUAGE_TAG.fullmatch(code) is not None


def has_language_data(code: str | None) -> bool:
    """Whether typography rules and labels exist for this tag's language."""
    primary = _primary(code)
    return primary in LANGUAGES or _data_file_language(primary) is not None


def pdf_language(code: str | None) -> str:
    """What the PDF's /Lang says: the author's tag as given ("pt-BR", "fr-CA"), or the full
    tag of a known language given by its primary subtag alone ("fr" -> "fr-FR")."""
    if code and is_language_tag(code):
        tag = code.replace("_", "-")
        return language(tag).pdf_lang if "-" not in tag and has_language_data(tag) else tag
    return language(code).pdf_lang


def language(code: str | None) -> Language:
    """The data for a language tag ("fr", "fr-CA", "de_DE"...), English when unknown."""
    primary = _primary(code)
    return LANGUAGES.get(primary) or _data_file_language(primary) or LANGUAGES[DEFAULT_LANGUAGE]


def known_languages() -> list[str]:
    """The primary subtags of every language with data, those of ``LANGUAGES`` first."""
    files = sorted(p.stem for p in asset("languages").glob("*.toml"))
    return [*LANGUAGES, *(f for f in files if f not in LANGUAGES)]


def _primary(code: str | None) -> str:
    return (code or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()


#: The keys of a language data file, with their types.
_FILE_KEYS = {"name": str, "pdf_lang": str, "script": str, "direction": str, "hyphenation": str,
              "quotes": list, "dash": str, "quote_space": str, "labels": dict}


@cache
def _data_file_language(primary: str) -> Language | None:
    """A language from the bundled ``languages/<primary>.toml``, or None if there is none."""
    if not primary.isalpha() or not primary.isascii():
        return None
    path = asset("languages", f"{primary}.toml")
    if not path.is_file():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for key, value in data.items():
        expected = _FILE_KEYS.get(key)
        if expected is None or not isinstance(value, expected):
            raise ValueError(f"{path}: key {key!r} unknown or of the wrong type")
    labels = dict(LANGUAGES[DEFAULT_LANGUAGE].labels)
    missing = sorted(set(labels) - set(data["labels"]))
    if missing:
        raise ValueError(f"{path}: labels missing: {', '.join(missing)}")
    labels.update(data["labels"])
    quotes = tuple(data.get("quotes", ("“", "”", "‘", "’")))
    if len(quotes) != 4:
        raise ValueError(f"{path}: quotes must be four marks")
    return Language(
        code=primary,
        pdf_lang=data.get("pdf_lang", primary),
        hyphenation=data.get("hyphenation", ""),
        labels=labels,
        months=(),
        date_pattern="",
        quotes=(quotes[0], quotes[1], quotes[2], quotes[3]),
        quote_space=data.get("quote_space"),
        dash=data.get("dash", " – "),
        name=data.get("name", primary),
        script=data.get("script", "Latn"),
        direction=data.get("direction", "ltr"),
    )
