"""What differs by language, as data: labels, hyphenation dictionary, stop words.

Add a language by adding an entry to ``LANGUAGES``; nothing else in the code names a language.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Language:
    """One language's data."""

    code: str  # primary BCP 47 tag
    pdf_lang: str  # what the PDF's /Lang says
    hyphenation: str  # pyphen dictionary name
    labels: dict[str, str]  # user-visible words of the layout, by key
    months: tuple[str, ...]  # month names, January first, for dates in running text
    date_pattern: str  # "{day} {month} {year}" and the like
    stop_words: frozenset[str] = field(default_factory=frozenset)  # for language detection


LANGUAGES: dict[str, Language] = {
    "fr": Language(
        code="fr",
        pdf_lang="fr-FR",
        hyphenation="fr_FR",
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
            "quoted": "«\u00a0{text}\u00a0»",
        },
        months=(
            "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
            "septembre", "octobre", "novembre", "décembre",
        ),
        date_pattern="{day} {month} {year}",
        stop_words=frozenset(
            "le la les des du un une et est en que qui dans pour pas sur au aux avec ce ces "
            "son sa ses leur leurs il elle ils nous vous mais ou donc être avoir été par".split()
        ),
    ),
    "en": Language(
        code="en",
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
            "quoted": "“{text}”",
        },
        months=(
            "January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December",
        ),
        date_pattern="{day} {month} {year}",
        stop_words=frozenset(
            "the and of to a in is that for it with as was on are be by this have from or "
            "an they which you were their has been not but what all".split()
        ),
    ),
    "de": Language(
        code="de",
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
            "quoted": "„{text}“",
        },
        months=(
            "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
            "September", "Oktober", "November", "Dezember",
        ),
        date_pattern="{day}. {month} {year}",
        stop_words=frozenset(
            "der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
            "auch es an als wie sind werden bei oder aus hat nach".split()
        ),
    ),
    "es": Language(
        code="es",
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
            "quoted": "«{text}»",
        },
        months=(
            "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
            "septiembre", "octubre", "noviembre", "diciembre",
        ),
        date_pattern="{day} de {month} de {year}",
        stop_words=frozenset(
            "el la los las de que y en un una es por con para no se su al lo como más "
            "pero sus le ya o este ha sí porque esta son entre".split()
        ),
    ),
    "it": Language(
        code="it",
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
            "quoted": "«{text}»",
        },
        months=(
            "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
            "settembre", "ottobre", "novembre", "dicembre",
        ),
        date_pattern="{day} {month} {year}",
        stop_words=frozenset(
            "il lo la i gli le di che e è un una per non in sono con si da del della dei "
            "delle al alla ma come anche più questo hanno".split()
        ),
    ),
}

DEFAULT_LANGUAGE = "en"


def language(code: str | None) -> Language:
    """The data for a language tag ("fr", "fr-CA", "de_DE"...), English when unknown."""
    primary = (code or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return LANGUAGES.get(primary, LANGUAGES[DEFAULT_LANGUAGE])
