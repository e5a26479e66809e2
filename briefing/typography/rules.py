"""The typographic rules, one small named function each, applied in ``RULES`` order.

What they change (the language's data in ``languages.py`` says how):

- ``ellipsis``: three full stops ``...`` become an ellipsis ``…`` (four or more stay as typed);
- ``double_hyphen``: a spaced double hyphen `` -- `` becomes the language's dash
  (``Language.dash``: "—" in English, " – " elsewhere);
- ``double_quotes``: straight double quotes ``"`` become the language's quotes, the primary pair
  outside and the secondary pair inside other quotes (French « », English “ ”, German „ “...);
- ``single_quotes``: straight single quotes ``'`` become apostrophes ``’``, or the secondary
  quotes when they clearly open and close a quotation;
- ``quote_spacing``: the space inside the primary quotes is set to the language's
  (``Language.quote_space``: U+202F in French, none in Italian and Spanish);
- ``space_before_punctuation``: the space before ``? ! ; :`` is set to the language's
  (``Language.space_before``: U+202F before ``? ! ;`` and U+00A0 before ``:`` in French),
  replacing any ordinary space typed there; ``10:30`` and ``a;b`` (no space after) are left alone;
- ``ordinals``: an ordinal's ending is set in superscript letters where the language says so
  (``Language.ordinals``: French ``1er`` → ``1ᵉʳ``, ``2e`` → ``2ᵉ``, ``XXIe`` → ``XXIᵉ``;
  English ``1st`` stays as typed); the letters stay the same letters (``2ème`` is left alone);
- ``number_ties``: the space typed between a number and the word or unit after it becomes a
  no-break space (``15 décembre``, ``20 heures``, ``3 km``; ``Language.number_space``), and the
  one before ``%`` or ``‰`` the language's (U+202F in French), so that no line ends on a number
  whose noun or unit starts the next; not before the language's small words (``en 2026 les``).

What they never change: code spans, footnote references, URLs, e-mail addresses, character
references (``&amp;``) and anything between ``<`` and ``>`` that looks like a tag. Those are
masked with a placeholder before the rules run and put back, exactly as typed, afterwards.

The rules work on the text of a whole paragraph at once (so a quote opened in one span can
close in another) and the span boundaries are carried through every change.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import msgspec

from briefing.model import Inline, Span
from briefing.typography.languages import Language

#: Stands for a masked piece (code, URL, tag...) while the rules run. A word-like character.
PLACEHOLDER = "\ufffc"

_END = r"[^\s<>.,;:!?»”’\"')\]]"
# Each alternative starts only where its first run of characters starts (the look-behinds), so
# a 100 KB token is scanned once, not once per character.
_PROTECTED = re.compile(
    r"<[/!?]?[A-Za-z][^<>\n]*>"  # something that looks like a tag
    rf"|(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]*):/{{2}}[^\s<>]*{_END}"  # scheme://...
    rf"|\b(?:mailto|javascript|data|tel|file|urn):[^\s<>]*{_END}"
    rf"|\bwww\.[^\s<>]*{_END}"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"  # character reference
    rf"|{PLACEHOLDER}"
)

#: What every protected piece has (a tag's "<", a URL's or address's ":", "@", "&", "www."):
#: a text with none of them has nothing to mask.
_PROTECTED_MARKS = ("<", ":", "@", "&", "www.", PLACEHOLDER)

_SPACES = "[ \t\u00a0\u202f\u2009]"
_QUOTES = "«»“”‘’„‚"
_OPENERS = "([{—–-/" + _QUOTES
_CLOSERS = ".,;:!?)]}…—–-" + _QUOTES


@dataclass(frozen=True, slots=True)
class Marked:
    """Text with span boundaries (``cuts``: offsets where each span after the first starts)."""

    text: str
    cuts: tuple[int, ...]

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Marked:
        """``pattern.sub`` that moves the boundaries along; one inside a match goes to its start."""
        if not self.cuts:  # one span: nothing to move
            text, count = pattern.subn(repl, self.text)
            return Marked(text, ()) if count else self
        out: list[str] = []
        moves: list[tuple[int, int, int, int]] = []  # old and new (start, end) of each match
        last = 0
        size = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            out.append(self.text[last:start])
            size += start - last
            replacement = repl(match)
            out.append(replacement)
            moves.append((start, end, size, size + len(replacement)))
            size += len(replacement)
            last = end
        if not moves:
            return self
        out.append(self.text[last:])
        return Marked("".join(out), tuple(_move(cut, moves) for cut in self.cuts))

    def with_chars(self, changes: dict[int, str]) -> Marked:
        """The text with single characters replaced by single characters."""
        if not changes:
            return self
        chars = list(self.text)
        for index, char in changes.items():
            chars[index] = char
        return Marked("".join(chars), self.cuts)

    def pieces(self) -> list[str]:
        """The text cut back into one piece per span."""
        bounds = (0, *self.cuts, len(self.text))
        return [self.text[a:b] for a, b in itertools.pairwise(bounds)]


def _move(cut: int, moves: list[tuple[int, int, int, int]]) -> int:
    """Where a boundary goes: shifted by the matches before it; a match's start if inside one."""
    delta = 0
    for start, end, new_start, new_end in moves:
        if cut <= start:
            break
        if cut < end:
            return new_start
        delta = new_end - end
    return cut + delta


Rule = Callable[[Marked, Language], Marked]


def ellipsis(text: Marked, lang: Language) -> Marked:
    """``...`` → ``…``."""
    if "..." not in text.text:
        return text
    return text.sub(_ELLIPSIS, lambda m: "…")


_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def double_hyphen(text: Marked, lang: Language) -> Marked:
    """`` -- `` → the language's dash."""
    if "--" not in text.text:
        return text
    return text.sub(_DOUBLE_HYPHEN, lambda m: lang.dash)


_DOUBLE_HYPHEN = re.compile(r"(?<=\S)[ \u00a0]+--[ \u00a0]+(?=\S)")


def _kind(text: str, index: int) -> tuple[bool, bool]:
    """Whether the quote character at ``index`` can open, and whether it can close."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    can_open = not after.isspace() and (before.isspace() or before in _OPENERS)
    can_close = not before.isspace() and (after.isspace() or after in _CLOSERS)
    return can_open, can_close


def double_quotes(text: Marked, lang: Language) -> Marked:
    """Straight ``"`` → the language's quotes, secondary ones inside other quotes."""
    p_open, p_close, s_open, s_close = lang.quotes
    s = text.text
    changes: dict[int, str] = {}
    stack: list[str] = []  # closing quote expected for each open quotation
    for match in _quote_chars(p_open, p_close).finditer(s):
        i = match.start()
        char = match.group()
        if char == p_open:  # a quotation already typed with the language's quotes
            stack.append(p_close)
        elif char == p_close and stack and stack[-1] == p_close:
            stack.pop()
        elif char == '"':
            can_open, can_close = _kind(s, i)
            opening = (can_open and not can_close) or (can_open == can_close and not stack)
            if opening:
                changes[i] = s_open if stack else p_open
                stack.append(s_close if stack else p_close)
            elif stack:
                changes[i] = stack.pop()
            elif not (i > 0 and s[i - 1].isdigit()):  # 12" (inches) stays as typed
                changes[i] = p_close
    return text.with_chars(changes)


@cache
def _quote_chars(p_open: str, p_close: str) -> re.Pattern[str]:
    return re.compile(f'[{re.escape(p_open + p_close)}"]')


_SINGLE_QUOTE = re.compile("'")


def single_quotes(text: Marked, lang: Language) -> Marked:
    """Straight ``'`` → apostrophe, or secondary quotes around a quotation."""
    _, _, s_open, s_close = lang.quotes
    s = text.text
    changes: dict[int, str] = {}
    opened: list[int] = []
    for match in _SINGLE_QUOTE.finditer(s):
        i = match.start()
        changes[i] = lang.apostrophe
        can_open, can_close = _kind(s, i)
        if can_open and not can_close:
            opened.append(i)
        elif can_close and opened:
            changes[opened.pop()] = s_open
            changes[i] = s_close
    return text.with_chars(changes)


def quote_spacing(text: Marked, lang: Language) -> Marked:
    """The space inside the primary quotes → the language's."""
    if lang.quote_space is None:
        return text
    space = lang.quote_space
    p_open, p_close = lang.quotes[0], lang.quotes[1]
    opening, closing = _quote_spacing_patterns(p_open, p_close)
    if p_open in text.text:
        text = text.sub(opening, lambda m: m.group(1) + space)
    if p_close in text.text:
        text = text.sub(closing, lambda m: space + m.group(1))
    return text


@cache
def _quote_spacing_patterns(p_open: str, p_close: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(rf"({re.escape(p_open)}){_SPACES}*(?=[^\s])"),
        re.compile(rf"(?<=[^\s]){_SPACES}*({re.escape(p_close)})"),
    )


def space_before_punctuation(text: Marked, lang: Language) -> Marked:
    """The space before ``? ! ; :`` → the language's."""
    if not lang.space_before or not any(mark in text.text for mark in lang.space_before):
        return text
    pattern = _punctuation_pattern("".join(sorted(lang.space_before)))
    return text.sub(pattern, lambda m: lang.space_before[m.group(1)] + m.group(1))


@cache
def _punctuation_pattern(marks: str) -> re.Pattern[str]:
    cls = re.escape(marks)
    return re.compile(
        rf"(?<=[^\s{cls}«“„‚(\[{{]){_SPACES}*([{cls}])"
        rf"(?=$|[\s{cls}.,…»”“’\"')\]])"
    )


def ordinals(text: Marked, lang: Language) -> Marked:
    """``1er`` → ``1ᵉʳ``, ``2e`` → ``2ᵉ`` (the language's endings only)."""
    if not lang.ordinals:
        return text
    pattern = _ordinal_pattern(tuple(sorted(lang.ordinals, key=len, reverse=True)))
    return text.sub(pattern, lambda m: m.group(1) + lang.ordinals[m.group(2)])


@cache
def _ordinal_pattern(endings: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(e) for e in endings)
    return re.compile(rf"(?<![\w.,-])(\d{{1,4}}|[IVX]{{1,6}})({alternatives})(?![\w-])")


_SUPERSCRIPT_LETTERS = "ᵉʳˢⁿᵈ"
_NUMBER_TIE = re.compile(
    rf"(?<![\w.,/:-])(\d+(?:[.,]\d+)*[{_SUPERSCRIPT_LETTERS}]*|[IVX]+[{_SUPERSCRIPT_LETTERS}]+)"
    r"[ \t]+"
    r"(?=([^\W\d_][\w’'-]*|[%‰°€$£]))"
)


def number_ties(text: Marked, lang: Language) -> Marked:
    """A number and the word, unit or sign after it: tied with a no-break space."""

    def tie(match: re.Match[str]) -> str:
        after = match.group(2)
        if after in "%‰":
            return match.group(1) + lang.percent_space
        if after.lower() in lang.stop_words:
            return match.group(0)
        return match.group(1) + lang.number_space

    return text.sub(_NUMBER_TIE, tie)


#: The rules, in the order they run.
RULES: tuple[Rule, ...] = (
    ellipsis,
    double_hyphen,
    double_quotes,
    single_quotes,
    quote_spacing,
    space_before_punctuation,
    ordinals,
    number_ties,
)


def _mask(text: str) -> tuple[str, list[str]]:
    """The text with protected pieces replaced by the placeholder, and those pieces in order."""
    kept: list[str] = []
    if not any(mark in text for mark in _PROTECTED_MARKS):
        return text, kept

    def hide(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return PLACEHOLDER

    return _PROTECTED.sub(hide, text), kept


def _unmask(text: str, kept: list[str]) -> str | None:
    parts = text.split(PLACEHOLDER)
    if len(parts) != len(kept) + 1:
        return None
    out = [parts[0]]
    for piece, after in zip(kept, parts[1:], strict=True):
        out += [piece, after]
    return "".join(out)


def _protected(span: Span) -> bool:
    return span.code or span.note is not None


def typeset_spans(spans: Inline, lang: Language) -> Inline:
    """The spans of one paragraph with the rules applied to their text (never to code)."""
    if not spans:
        return spans
    masked: list[str] = []
    kept: list[list[str]] = []
    for span in spans:
        if _protected(span):
            masked.append(PLACEHOLDER)
            kept.append([span.text])
        else:
            text, pieces = _mask(span.text)
            masked.append(text)
            kept.append(pieces)
    cuts: list[int] = []
    offset = 0
    for piece in masked[:-1]:
        offset += len(piece)
        cuts.append(offset)
    marked = Marked("".join(masked), tuple(cuts))
    for rule in RULES:
        marked = rule(marked, lang)
    out: list[Span] = []
    for span, piece, pieces in zip(spans, marked.pieces(), kept, strict=True):
        if _protected(span):
            out.append(span)
            continue
        unmasked = _unmask(piece, pieces)
        if unmasked is None:  # cannot happen: no rule matches a placeholder; stay safe anyway
            return spans
        out.append(span if unmasked == span.text else msgspec.structs.replace(span, text=unmasked))
    return tuple(out)


def typeset_text(text: str, lang: Language) -> str:
    """One piece of plain text with the rules applied."""
    return typeset_spans((Span(text),), lang)[0].text
