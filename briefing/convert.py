"""Plain data (YAML, JSON, TOML, the command line) into typed structs, and back.

One conversion for the model, the build options and the themes. msgspec converts and checks
(types, ranges, patterns, dates, unknown keys); this module adds what it does not do:

- **shorthands**, declared on the classes as plain data (``ClassVar``), applied by one pass
  directed by the types before msgspec converts:
  ``shorthand = "text"`` (a value that is not a mapping, or a block given where this class is
  expected, stands for ``{"text": value}``; with ``wraps_mappings``, any mapping without that
  key too); ``aliases = {"organization": "organisation"}``
  (other names of keys); ``default_member = True`` (in a tagged union, a mapping without the
  tag, or a plain value, is this class); a list field given one item is a list of one; a text
  field marked ``Meta(extra={"split": ","})`` given one string is split; a number where text is
  expected is its text (YAML reads ``subtitle: 2026`` as a number); enum and literal values
  match in any case (they are declared in lower case);
- **messages** in the project's words, naming the field: ``sections[1].entries[0].question:
  missing``, ``meta.titel: unknown key``, ``heading.level: expected a whole number from 1 to 6,
  got 9`` (``FieldError``; the caller adds the file and the line);
- **every error at once** (``load_fields``: each key converted alone), for themes and
  manifests; the model stops at its first error;
- **the JSON Schema** of a class, with its shorthands (``json_schema``), and the rows of a
  reference table of its fields (``field_rows``).

It imports nothing of ours.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, Literal, TypeVar, Union

import msgspec

T = TypeVar("T")


class FieldError(ValueError):
    """A value that cannot be converted: where (``sections[1].kind``) and why."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


# --- the types of fields ---------------------------------------------------------------------


class _Type(msgspec.Struct, frozen=True):
    """A field's type, taken apart: the base type, its constraints and extras, and whether
    None or UNSET may stand for it."""

    base: Any
    meta: tuple[msgspec.Meta, ...] = ()
    optional: bool = False  # None is accepted
    unset: bool = False  # UNSET is accepted (the field may be left out)
    members: tuple[Any, ...] = ()  # of a union of several types

    @property
    def extra(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for meta in self.meta:
            out.update(meta.extra or {})
        return out

    def constraint(self, name: str) -> Any:
        return next((getattr(m, name) for m in self.meta if getattr(m, name) is not None), None)


@functools.cache
def _analyse(tp: Any) -> _Type:
    metas: list[msgspec.Meta] = []
    optional = unset = False
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp, *extras = typing.get_args(tp)
            metas += [m for m in extras if isinstance(m, msgspec.Meta)]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(tp)]
            optional = optional or type(None) in args
            unset = unset or msgspec.UnsetType in args
            rest = [a for a in args if a not in (type(None), msgspec.UnsetType)]
            if len(rest) == 1:
                tp = rest[0]
                continue
            return _Type(Union[tuple(rest)], tuple(metas), optional, unset,  # noqa: UP007
                         tuple(rest))
        return _Type(tp, tuple(metas), optional, unset)


@functools.cache
def struct_fields(cls: type[msgspec.Struct]) -> dict[str, tuple[_Type, Any]]:
    """Each field of a struct class: its analysed type and its raw annotation."""
    annotations: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}))
    raw = [annotations.get(name) for name in cls.__struct_fields__]
    if any(tp is None or isinstance(tp, str) for tp in raw):  # postponed: evaluate them
        raw = [f.type for f in msgspec.structs.fields(cls)]
    return {name: (_analyse(tp), tp) for name, tp in zip(cls.__struct_fields__, raw,
                                                           strict=True)}


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _is_seq(tp: Any) -> bool:
    return typing.get_origin(tp) in (tuple, list, frozenset, set)


# --- shorthands -------------------------------------------------------------------------------


def prepare(tp: Any, value: Any) -> Any:
    """``value`` with the shorthands of ``tp`` (and of everything inside it) written out."""
    info = _analyse(tp)
    if value is None or value is msgspec.UNSET:
        return value
    if info.members:
        return _prepare_union(info, value)
    base = info.base
    if _is_struct(base):
        return _prepare_struct(base, value)
    if _is_seq(base):
        split = info.extra.get("split")
        if isinstance(value, str) and split:
            return [part.strip() for part in value.split(split) if part.strip()]
        if not isinstance(value, list | tuple):
            value = [value]  # one item stands for a list of one
        args = typing.get_args(base)
        item = args[0] if args else Any
        return [prepare(item, v) for v in value]
    if base is str and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number where text is expected is its text
    if base is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str):
            return value.strip()
    if isinstance(value, str) and _lowered(base):
        return value.lower()
    return value


def _lowered(base: Any) -> bool:
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return True
    return typing.get_origin(base) is Literal


def _prepare_union(info: _Type, value: Any) -> Any:
    structs = [m for m in info.members if _is_struct(m)]
    tagged = [m for m in structs if m.__struct_config__.tag_field is not None]
    if tagged:
        field = tagged[0].__struct_config__.tag_field
        default = next((m for m in tagged if getattr(m, "default_member", False)), None)
        if isinstance(value, Mapping) and field in value:
            tag = value[field]
            tag = tag.lower() if isinstance(tag, str) else tag
            member = next((m for m in tagged if m.__struct_config__.tag == tag), None)
            if member is None:
                return {**value, field: tag}  # msgspec says the kind is unknown
            return {**_prepare_struct(member, value), field: tag}
        if default is not None:
            prepared = _prepare_struct(default, value)
            return {**prepared, field: default.__struct_config__.tag} \
                if isinstance(prepared, dict) else prepared
        return value
    for member in info.members:  # untagged: the first whose shape fits
        if _is_struct(member) and isinstance(value, Mapping):
            return _prepare_struct(member, value)
        if not _is_struct(member) and not isinstance(value, Mapping):
            return prepare(member, value)
    return value


def _prepare_struct(cls: type[msgspec.Struct], value: Any) -> Any:
    shorthand: str | None = getattr(cls, "shorthand", None)
    tag_field = cls.__struct_config__.tag_field
    if shorthand is not None and (not isinstance(value, Mapping) or (
            tag_field is None and "type" in value) or (
            getattr(cls, "wraps_mappings", False) and shorthand not in value)):
        value = {shorthand: value}  # a plain value, or a block, stands for the whole
    if not isinstance(value, Mapping):
        return value
    aliases: Mapping[str, str] = getattr(cls, "aliases", {})
    fields = struct_fields(cls)
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = aliases.get(key, key) if isinstance(key, str) else key
        if name in fields:
            out[name] = prepare(fields[name][1], item)
        else:
            out[name] = item
    return out


# --- conversion and its messages ---------------------------------------------------------------


def load(cls: type[T], data: Any, *, path: str = "") -> T:
    """``data`` converted to ``cls`` (shorthands written out first); the first problem
    raises a ``FieldError`` naming the field under ``path``."""
    prepared = prepare(cls, data)
    try:
        return msgspec.convert(prepared, cls)
    except msgspec.ValidationError as exc:
        raise explain(exc, cls, prepared, path) from None


def load_fields(cls: type[T], data: Mapping[str, Any], *, prefix: str = "",
                ignore: frozenset[str] = frozenset()) -> tuple[T | None, list[FieldError]]:
    """A struct from a mapping, every problem found at once: each key is converted alone,
    then the whole (for the fields that are missing). ``ignore``: keys left to the caller."""
    assert _is_struct(cls)
    if not ignore:  # the usual case, all good: one conversion
        try:
            return msgspec.convert(prepare(cls, data), cls), []
        except msgspec.ValidationError:
            pass  # find every problem, key by key
    fields = struct_fields(cls)  # type: ignore[arg-type]
    aliases: Mapping[str, str] = getattr(cls, "aliases", {})
    errors: list[FieldError] = []
    good: dict[str, Any] = {}
    for key, value in data.items():
        if key in ignore:
            continue
        name = aliases.get(key, key)
        if name not in fields:
            errors.append(FieldError(f"{prefix}{key}", f"unknown key{_hint(key, fields)}"))
            continue
        annotation = fields[name][1]
        try:
            good[name] = load(annotation, value, path=f"{prefix}{name}")
        except FieldError as exc:
            errors.append(exc)
    if errors:
        return None, errors
    try:
        return msgspec.convert(good, cls, builtin_types=_BUILTIN), []
    except msgspec.ValidationError as exc:
        return None, [explain(exc, cls, good, prefix.rstrip("."))]


#: Types kept as they are when a struct is made of values already converted.
_BUILTIN = (dt.date, dt.datetime, bytes)

_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


def explain(exc: msgspec.ValidationError, cls: Any, data: Any, prefix: str = "") -> FieldError:
    """msgspec's error, in the project's words, with the field's path."""
    found = _AT.match(str(exc))
    assert found is not None
    what, raw_path = found["what"], found["path"] or ""
    parts = _path_parts(raw_path)
    field_type = _type_at(cls, parts)
    value = _value_at(data, parts)
    missing = re.match(r"Object missing required field `([^`]+)`", what)
    if missing:
        parts = [*parts, missing[1]]
        return FieldError(_show(prefix, parts), "missing")
    unknown = re.match(r"Object contains unknown field `([^`]+)`", what)
    if unknown:
        owner = field_type.base if field_type else None
        if field_type is not None and field_type.members and isinstance(value, Mapping):
            owner = next((m for m in field_type.members if _is_struct(m)
                          and value.get(m.__struct_config__.tag_field) == m.__struct_config__.tag),
                         None)
        known = struct_fields(owner) if _is_struct(owner) else {}
        return FieldError(_show(prefix, [*parts, unknown[1]]),
                          f"unknown key{_hint(unknown[1], known)}")
    return FieldError(_show(prefix, parts), _message(what, field_type, value, parts))


def _message(what: str, info: _Type | None, value: Any, parts: list[str | int]) -> str:
    got = _got(value)
    extra = info.extra if info else {}
    if "expected" in extra and re.match(r"Expected `str` matching regex", what):
        return f"expected {extra['expected']}, got {value!r}"
    if what.startswith("Invalid RFC3339 encoded date") or (
            info is not None and info.base is dt.date and what.startswith("Expected")):
        return f"not a date (YYYY-MM-DD): {value!r}"
    if what.startswith(("Invalid enum value", "Invalid value")):
        choices = _choices(info, parts)
        if parts and parts[-1] == "type":
            return f"unknown block type {value!r}; use one of {choices}"
        return f"expected one of {choices}, got {value!r}"
    if info is not None and info.base in (int, float) and what.startswith("Expected"):
        return _range(info, value)
    if what.startswith("Expected `bool`"):
        return f"expected true or false, got {value!r}"
    if what.startswith("Expected `str` of length >="):
        return "missing"
    if what.startswith("Expected `str`"):
        return f"expected text, got {got}"
    if what.startswith("Expected `array`"):
        return f"expected a list, got {got}"
    if what.startswith("Expected `object`"):
        return f"expected a table of keys and values, got {got}"
    return what[0].lower() + what[1:]


def _range(info: _Type | None, value: Any) -> str:
    if info is None:
        return f"expected a number, got {value!r}"
    whole = info.base is int
    low = info.constraint("ge")
    high = info.constraint("le")
    unit = f" {info.extra['unit']}" if "unit" in info.extra else ""
    kind = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        return f"expected {kind} from {low:g} to {high:g}{unit}, got {value!r}"
    if low is not None:
        return f"expected {kind} of {low:g}{unit} or more, got {value!r}"
    return f"expected {kind}, got {value!r}"


def _got(value: Any) -> str:
    return kind_of(value)


def kind_of(value: Any) -> str:
    """What a value of YAML, JSON or TOML is, in words (``a number``, not Python's ``int``)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table of keys and values"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date or time"
    return "a value of another kind"


def _choices(info: _Type | None, parts: list[str | int]) -> str:
    if info is None:
        return "?"
    base = info.base
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return ", ".join(str(m.value) for m in base)
    if typing.get_origin(base) is Literal:
        return ", ".join(repr(v) if v == "" else str(v) for v in typing.get_args(base))
    if info.members:  # the tag of a tagged union
        return ", ".join(str(m.__struct_config__.tag) for m in info.members if _is_struct(m))
    return "?"


def _hint(key: str, known: Mapping[str, Any]) -> str:
    import difflib  # only on a mistake: not on a build's path

    close = difflib.get_close_matches(str(key), sorted(known), n=1)
    return f'; did you mean "{close[0]}"?' if close else ""


_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def _path_parts(raw: str) -> list[str | int]:
    return [int(index) if index else key for key, index in _PART.findall(raw)]


def _show(prefix: str, parts: list[str | int]) -> str:
    out = prefix
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _value_at(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _type_at(cls: Any, parts: list[str | int]) -> _Type | None:
    """The type of the field at a path of a struct class (through unions of tagged structs,
    using the tag met on the way is not needed: a field name finds its member)."""
    info = _analyse(cls)
    for part in parts:
        base = info.base
        if isinstance(part, int):
            if not _is_seq(base):
                return None
            args = typing.get_args(base)
            info = _analyse(args[0] if args else Any)
            continue
        candidates = [m for m in (info.members or (base,)) if _is_struct(m)]
        if part == "type" and info.members:
            return info  # the tag of a tagged union
        found = None
        for member in candidates:
            fields = struct_fields(member)
            if part in fields:
                found = fields[part][0]
                break
            if part == member.__struct_config__.tag_field:
                return _Type(info.base, members=tuple(candidates))
        if found is None:
            return None
        info = found
    return info


# --- the JSON Schema, and reference tables -------------------------------------------------------


def json_schema(cls: type[msgspec.Struct], *, schema_id: str, title: str,
                extra_properties: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what ``load(cls, …)`` accepts: msgspec's schema,
    with the shorthands, aliases and leniencies of the classes written in."""
    schema = msgspec.json.schema(cls)
    defs: dict[str, Any] = schema.pop("$defs", {})
    classes = {c.__name__: c for c in _reachable(cls)}
    for name, definition in defs.items():
        struct = classes.get(name)
        if struct is None or definition.get("type") != "object":
            continue
        props: dict[str, Any] = definition.get("properties", {})
        for key, prop in list(props.items()):
            props[key] = _lenient(prop)
        if getattr(struct, "default_member", False):
            tag_field = struct.__struct_config__.tag_field
            definition["required"] = [r for r in definition.get("required", [])
                                      if r != tag_field]
        for alias, target in getattr(struct, "aliases", {}).items():
            props[alias] = props[target]
        definition.pop("title", None)
        shorthand = getattr(struct, "shorthand", None)
        if shorthand is not None:
            short = props[shorthand]
            defs[name] = {"description": definition.pop("description", ""),
                          "anyOf": [*short.get("anyOf", [short]), definition]}
    _drop_discriminators(defs)
    top = defs[cls.__name__]
    if extra_properties:
        top["properties"] = {**dict(extra_properties), **top["properties"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id,
            "title": title, **top, "$defs": {k: v for k, v in defs.items() if k != cls.__name__}}


def _lenient(prop: dict[str, Any]) -> dict[str, Any]:
    """A property as the conversion accepts it: a list given one item, a number for text."""
    kept = {k: v for k, v in prop.items() if k in ("default", "description")}
    body = {k: v for k, v in prop.items() if k not in ("default", "description")}
    if body.get("type") == "array" and "items" in body:
        return {**kept, "anyOf": _dedupe([body, *_flat(body["items"])])}
    if body.get("type") == "string" and not ({"pattern", "enum", "format"} & set(body)):
        return {**prop, "type": ["string", "number"]}
    if "anyOf" in body:
        body["anyOf"] = [_lenient(b) if isinstance(b, dict) else b for b in body["anyOf"]]
        return {**kept, **body}
    return prop


def _flat(schema: Any) -> list[Any]:
    return list(schema["anyOf"]) if isinstance(schema, dict) and "anyOf" in schema \
        and len(schema) == 1 else [schema]


def _dedupe(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _drop_discriminators(node: Any) -> None:
    """OpenAPI's ``discriminator`` would contradict a default member (no tag needed)."""
    if isinstance(node, dict):
        node.pop("discriminator", None)
        for value in node.values():
            _drop_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_discriminators(value)


def _reachable(cls: Any) -> Iterator[type[msgspec.Struct]]:
    seen: set[Any] = set()
    stack = [cls]
    while stack:
        tp = stack.pop()
        info = _analyse(tp)
        for member in info.members or (info.base,):
            if _is_seq(member):
                stack += list(typing.get_args(member)[:1])
            elif _is_struct(member) and member not in seen:
                seen.add(member)
                yield member
                stack += [raw for _, raw in struct_fields(member).values()]


class FieldRow(msgspec.Struct, frozen=True):
    """One field of a struct, for a reference table."""

    key: str  # dotted: page.margin_top
    type: str  # "number (mm)", "true or false", "text", "one of left, right"...
    range: str  # "5 to 60", "" when none
    default: Any  # dt.MISSING-like: the marker REQUIRED when the field must be given
    doc: str


REQUIRED = "(required)"


def field_rows(cls: type[msgspec.Struct], prefix: str = "",
               describe: Callable[[_Type], str] | None = None) -> list[FieldRow]:
    """The fields of ``cls`` (and of the structs inside it, dotted), in declaration order."""
    rows: list[FieldRow] = []
    for info in msgspec.structs.fields(cls):
        analysed = _analyse(info.type)
        key = f"{prefix}{info.name}"
        if _is_struct(analysed.base) and not analysed.members:
            rows += field_rows(analysed.base, f"{key}.", describe)
            continue
        doc = next((m.description for m in analysed.meta if m.description), "")
        low, high = analysed.constraint("ge"), analysed.constraint("le")
        span = f"{low:g} to {high:g}" if low is not None and high is not None else ""
        if info.default is not msgspec.NODEFAULT:
            default: Any = info.default
        elif info.default_factory is not msgspec.NODEFAULT:
            default = info.default_factory()
        else:
            default = REQUIRED
        rows.append(FieldRow(key, (describe or type_name)(analysed), span, default, doc))
    return rows


def type_name(info: _Type) -> str:
    """A type as a person reads it."""
    base = info.base
    unit = f" ({info.extra['unit']})" if "unit" in info.extra else ""
    if info.extra.get("kind"):
        return str(info.extra["kind"])
    if base is bool:
        return "true or false"
    if base in (int, float):
        return ("whole number" if base is int else "number") + unit
    if base is str:
        return "text"
    if base is dt.date:
        return "date (YYYY-MM-DD)"
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in base)
    if typing.get_origin(base) is Literal:
        return "one of " + ", ".join(str(v) for v in typing.get_args(base))
    if _is_seq(base):
        args = typing.get_args(base)
        return f"list of {type_name(_analyse(args[0]))}" if args else "list"
    return getattr(base, "__name__", str(base))
