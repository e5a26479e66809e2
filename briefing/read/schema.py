"""The JSON Schema (draft 2020-12) of the YAML/JSON source format, printed by ``briefing schema``.

It describes what ``Briefing.from_dict`` accepts: the shape of ``Briefing.as_dict()`` and its
shortcuts (a plain string wherever a paragraph, a list of blocks or a list of spans is
expected; a list item written as its blocks). Editors use it to check and complete a
``brief.yaml`` (``# yaml-language-server: $schema=...``).
"""

from __future__ import annotations

from typing import Any

from briefing.model import FORMAT_VERSION, SectionKind

SCHEMA_ID = "https://briefing.invalid/schema/briefing-1.json"


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _obj(
    properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _block(
    kind: str, properties: dict[str, Any], required: tuple[str, ...] = (), description: str = ""
) -> dict[str, Any]:
    properties = {"type": {"const": kind}, **properties}
    return _obj(properties, ("type", *required), description=description)


def json_schema() -> dict[str, Any]:
    """The schema, as plain data (``json.dumps`` it)."""
    defs: dict[str, Any] = {
        "span": {
            "description": "A run of text with uniform formatting, or a plain string.",
            "oneOf": [
                {"type": "string"},
                _obj(
                    {
                        "text": {"type": "string"},
                        "bold": {"type": "boolean"},
                        "italic": {"type": "boolean"},
                        "code": {"type": "boolean", "description": "printed exactly as typed"},
                        "href": _text("link target; only http, https and mailto become links"),
                        "lang": _text("BCP 47 tag when the span is in another language"),
                        "note": _text("footnote label when the span is a footnote reference"),
                    },
                    ("text",),
                ),
            ],
        },
        "inline": {
            "description": "Inline text: a string, or a list of spans.",
            "oneOf": [{"type": "string"}, {"type": "array", "items": _ref("span")}],
        },
        "paragraph": {
            "description": "A paragraph: a string, or an object with spans (or text).",
            "oneOf": [
                {"type": "string"},
                _obj(
                    {
                        "type": {"const": "paragraph"},
                        "spans": _ref("inline"),
                        "text": _ref("inline"),
                    }
                ),
            ],
        },
        "heading": _block(
            "heading",
            {"text": {"type": "string"}, "level": {"type": "integer", "minimum": 1, "maximum": 6}},
            ("text",),
            "A sub-heading inside a section (level 3 and below).",
        ),
        "list": _block(
            "list",
            {
                "items": {"type": "array", "items": _ref("listItem")},
                "ordered": {"type": "boolean"},
                "start": {"type": "integer", "minimum": 0},
            },
            ("items",),
            "A bulleted or numbered list.",
        ),
        "listItem": {
            "description": "A list item: a block, a list of blocks, or {blocks: [...]}.",
            "anyOf": [
                _ref("block"),
                {"type": "array", "items": _ref("block")},
                _obj({"blocks": _ref("blocks")}, ("blocks",)),
            ],
        },
        "quote": _block("quote", {"blocks": _ref("blocks")}, (), "A block quotation."),
        "code": _block(
            "code",
            {"text": {"type": "string"}, "language": {"type": ["string", "null"]}},
            ("text",),
            "Preformatted code, printed exactly as typed.",
        ),
        "image": _block(
            "image",
            {"src": _text("a local image, relative to the source's folder"),
             "alt": _text("what the image shows, for readers who cannot see it"),
             "caption": _text("printed under the image")},
            ("src",),
            "A local image.",
        ),
        "table": _block(
            "table",
            {
                "header": {"type": "array", "items": _ref("inline")},
                "rows": {"type": "array", "items": {"type": "array", "items": _ref("inline")}},
                "align": {
                    "type": "array",
                    "items": {"enum": ["left", "center", "right", ""]},
                },
            },
            (),
            "A table: one header row and body rows.",
        ),
        "typedBlock": {
            "oneOf": [
                _ref(name) for name in ("heading", "list", "quote", "code", "image", "table")
            ],
        },
        "block": {
            "description": "A block: a paragraph (string or object) or a typed block.",
            "anyOf": [_ref("paragraph"), _ref("typedBlock")],
        },
        "blocks": {
            "description": "Blocks: a string (one paragraph) or a list of blocks.",
            "oneOf": [{"type": "string"}, {"type": "array", "items": _ref("block")}],
        },
        "faqEntry": _obj(
            {"question": {"type": "string", "minLength": 1}, "answer": _ref("blocks")},
            ("question",),
            description="A question and its answer.",
        ),
        "section": _obj(
            {
                "kind": {"enum": [k.value for k in SectionKind], "default": "article"},
                "heading": {"type": ["string", "null"]},
                "blocks": _ref("blocks"),
                "entries": {"type": "array", "items": _ref("faqEntry")},
            },
            description="A section, in reading order; FAQ sections hold entries.",
        ),
        "footnote": _obj(
            {"label": {"type": "string"}, "blocks": _ref("blocks")},
            description="A footnote, referenced by spans whose note is its label.",
        ),
        "meta": _obj(
            {
                "lang": {"type": ["string", "null"], "description": "BCP 47 tag: fr, en..."},
                "date": {"type": ["string", "null"], "format": "date"},
                "author": {"type": ["string", "null"]},
                "organisation": {"type": ["string", "null"]},
                "source": {"type": ["string", "null"], "format": "uri"},
                "subtitle": {"type": ["string", "null"]},
                "tags": {
                    "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
                },
                "theme": {"type": ["string", "null"]},
                "logo": {"type": ["string", "null"]},
                "correction": {"type": "boolean"},
            },
            description="What the briefing says about itself.",
        ),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "briefing source",
        "description": "A briefing written as data (YAML or JSON): the model of briefing.",
        **_obj(
            {
                "format": {"const": FORMAT_VERSION},
                "title": {"type": "string", "minLength": 1, "pattern": r"\S"},
                "lead": {
                    "description": "The lead (standfirst): a string or a list of paragraphs; "
                                   "lists and other blocks go in a section.",
                    "oneOf": [{"type": "string"}, {"type": "array", "items": _ref("paragraph")}],
                },
                "sections": {"type": "array", "items": _ref("section")},
                "footnotes": {"type": "array", "items": _ref("footnote")},
                "meta": _ref("meta"),
            },
            ("title",),
        ),
        "$defs": defs,
    }
