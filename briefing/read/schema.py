"""The JSON Schema (draft 2020-12) of the YAML/JSON source format, printed by ``briefing schema``.

It is derived from the model's classes, the same declaration the loader
(``fields.load_briefing``) reads with, so the two cannot disagree: the shape of
``Briefing.as_dict()`` with its shorthands (a plain string wherever a paragraph, a list of
blocks or a list of spans is expected; a list item written as its blocks). Editors use it to
check and complete a ``brief.yaml`` (``# yaml-language-server: $schema=...``).
"""

from __future__ import annotations

from typing import Any

from briefing.convert import json_schema as derived
from briefing.model import FORMAT_VERSION, Briefing

SCHEMA_ID = "https://briefing.invalid/schema/briefing-1.json"


def json_schema() -> dict[str, Any]:
    """The schema, as plain data (``json.dumps`` it)."""
    return derived(Briefing, schema_id=SCHEMA_ID, title="briefing source",
                   extra_properties={"format": {"const": FORMAT_VERSION}})
