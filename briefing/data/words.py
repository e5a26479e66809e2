"""The few words data needs, per language: alt text of charts, total rows, changed figures.

Data, not code: one table per language (English, French, German, Spanish, Italian), English
for any other. Spaces before punctuation are written as the language sets them (U+00A0 before
``:`` and U+202F before ``;`` in French), so the text reads right with or without typography.
"""

from __future__ import annotations

NBSP = "\u00a0"
NNBSP = "\u202f"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "total": "Total",
        "chart.bar": "Bar chart",
        "chart.horizontal bar": "Horizontal bar chart",
        "chart.line": "Line chart",
        "chart.stacked bar": "Stacked bar chart",
        "by": "{y} by {x}",
        "colon": ": ",
        "semicolon": "; ",
        "highest": "the highest",
        "lowest": "the lowest",
        "summary": "{n} points from {first} to {last}",
        "extremes": "highest {high} ({high_at}), lowest {low} ({low_at}), last {last}",
        "series": "{name}",
        "changed": "{column} in {key}",
        "arrow": "{old} → {new}",
        "added": "new: {key}",
        "removed": "no longer listed: {key}",
        "more": "and {n} more",
        "and": "and",
    },
    "fr": {
        "total": "Total",
        "chart.bar": "Diagramme en barres",
        "chart.horizontal bar": "Diagramme en barres horizontales",
        "chart.line": "Graphique en courbes",
        "chart.stacked bar": "Diagramme en barres empilées",
        "by": "{y} par {x}",
        "colon": f"{NBSP}: ",
        "semicolon": f"{NNBSP}; ",
        "highest": "le plus élevé",
        "lowest": "le plus bas",
        "summary": "{n} points du {first} au {last}",
        "extremes": "maximum {high} ({high_at}), minimum {low} ({low_at}), dernier {last}",
        "series": "{name}",
        "changed": "{column} ({key})",
        "arrow": "{old} → {new}",
        "added": f"nouveau{NBSP}: {{key}}",
        "removed": f"retiré{NBSP}: {{key}}",
        "more": "et {n} autres",
        "and": "et",
    },
    "de": {
        "total": "Summe",
        "chart.bar": "Säulendiagramm",
        "chart.horizontal bar": "Balkendiagramm",
        "chart.line": "Liniendiagramm",
        "chart.stacked bar": "Gestapeltes Säulendiagramm",
        "by": "{y} nach {x}",
        "colon": ": ",
        "semicolon": "; ",
        "highest": "der höchste Wert",
        "lowest": "der niedrigste Wert",
        "summary": "{n} Punkte von {first} bis {last}",
        "extremes": "Höchstwert {high} ({high_at}), Tiefstwert {low} ({low_at}), zuletzt {last}",
        "series": "{name}",
        "changed": "{column} ({key})",
        "arrow": "{old} → {new}",
        "added": "neu: {key}",
        "removed": "entfallen: {key}",
        "more": "und {n} weitere",
        "and": "und",
    },
    "es": {
        "total": "Total",
        "chart.bar": "Gráfico de barras",
        "chart.horizontal bar": "Gráfico de barras horizontales",
        "chart.line": "Gráfico de líneas",
        "chart.stacked bar": "Gráfico de barras apiladas",
        "by": "{y} por {x}",
        "colon": ": ",
        "semicolon": "; ",
        "highest": "el más alto",
        "lowest": "el más bajo",
        "summary": "{n} puntos del {first} al {last}",
        "extremes": "máximo {high} ({high_at}), mínimo {low} ({low_at}), último {last}",
        "series": "{name}",
        "changed": "{column} ({key})",
        "arrow": "{old} → {new}",
        "added": "nuevo: {key}",
        "removed": "retirado: {key}",
        "more": "y {n} más",
        "and": "y",
    },
    "it": {
        "total": "Totale",
        "chart.bar": "Grafico a barre",
        "chart.horizontal bar": "Grafico a barre orizzontali",
        "chart.line": "Grafico a linee",
        "chart.stacked bar": "Grafico a barre in pila",
        "by": "{y} per {x}",
        "colon": ": ",
        "semicolon": "; ",
        "highest": "il più alto",
        "lowest": "il più basso",
        "summary": "{n} punti dal {first} al {last}",
        "extremes": "massimo {high} ({high_at}), minimo {low} ({low_at}), ultimo {last}",
        "series": "{name}",
        "changed": "{column} ({key})",
        "arrow": "{old} → {new}",
        "added": "nuovo: {key}",
        "removed": "non più presente: {key}",
        "more": "e altri {n}",
        "and": "e",
    },
}


def words(lang: str) -> dict[str, str]:
    """The words of a language (its primary subtag: ``fr-CA`` → ``fr``), English otherwise."""
    return WORDS.get(lang.split("-")[0].split("_")[0].lower(), WORDS["en"])
