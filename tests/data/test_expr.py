"""``{{ … }}`` expressions: the language's filters, strict names, the sandbox, data as data."""

from __future__ import annotations

import pytest

from briefing.data.expr import Expander, find_expressions, slug
from briefing.data.load import parse_data
from briefing.errors import DataError

CASES = ("region;date;cases;share\n"  # machine-written percentages read in any language
         "Nord;2026-12-01;1 204;12%\n"
         "Nord;2026-12-02;1 388;14.5%\n"
         "Sud;2026-12-02;980;9%\n")
STATUS = (b'{"level": "orange", "markup": "<font color=red>x</font>", "stars": "**x**",'
          b' "regions": [{"name": "North", "cases": 3}], "rate": 0.125}')


def expander(lang: str = "fr") -> Expander:
    cases = parse_data(CASES.encode(), name="cases", file="cases.csv", fmt="csv", lang=lang)
    status = parse_data(STATUS, name="status", file="status.json", fmt="json", lang=lang)
    return Expander({"cases": cases, "status": status}, lang=lang, file="article.md")


NORD = "data.cases | selectattr('region', 'eq', 'Nord')"


@pytest.mark.parametrize(("expression", "fr", "en"), [
    ("data.cases | sum('cases')", "3\u202f572", "3,572"),
    ("data.cases | sum('cases') | number(1)", "3\u202f572,0", "3,572.0"),
    ("data.cases | max('cases')", "1\u202f388", "1,388"),
    ("data.cases | min('cases')", "980", "980"),
    ("data.cases | max('date') | date", "2 décembre 2026", "December 2, 2026"),
    ("data.cases | count", "3", "3"),
    ("data.cases | count('share')", "3", "3"),
    (f"{NORD} | latest('cases')", "1\u202f388", "1,388"),
    (f"({NORD} | latest).region", "Nord", "Nord"),
    (f"{NORD} | change('cases')", "+15\u00a0%", "+15%"),
    ("1204 | change(1388)", "-13\u00a0%", "-13%"),
    ("1000 | change(1000)", "0\u00a0%", "0%"),
    ("1388 | change(1204, 1)", "+15,3\u00a0%", "+15.3%"),
    ("data.cases[1].share", "14,5\u00a0%", "14.5%"),
    ("data.cases[0].share | percent(1)", "12,0\u00a0%", "12.0%"),
    ("data.status.rate | percent", "12,5\u00a0%", "12.5%"),
    ("data.cases[0].date | date('short')", "01/12/2026", "12/1/26"),
    ("data.cases[0].date | date('month')", "décembre 2026", "December 2026"),
    ("data.status.regions[0].name", "North", "North"),
    ("'Île-de-France (nord)' | slug", "ile-de-france-nord", "ile-de-france-nord"),
    ("data.cases[0].region | upper", "NORD", "NORD"),
])
def test_filters_speak_the_language(expression: str, fr: str, en: str) -> None:
    assert expander("fr").evaluate(expression, line=1) == fr
    assert expander("en").evaluate(expression, line=1) == en


def test_expand_replaces_each_expression() -> None:
    text = "Au total, {{ data.cases | sum('cases') }} cas ; niveau {{ data.status.level }}."
    assert expander().expand(text) == "Au total, 3\u202f572 cas ; niveau orange."
    assert expander().expand("no expression") == "no expression"


@pytest.mark.parametrize("expression", ["data.status.markup", "data.status.stars"])
def test_values_from_data_come_back_verbatim_as_plain_text(expression: str) -> None:
    value = expander().evaluate(expression, line=1)
    assert value in ("<font color=red>x</font>", "**x**")
    assert type(value) is str  # not a markup object: the renderer escapes it like all text


def test_protect_keeps_expressions_and_values_away_from_markdown() -> None:
    e = expander()
    protected = e.protect("a_{{ data.status.stars }}_b | {{ data.cases | count }}", line=7)
    assert "{{" not in protected.text and "_" in protected.text
    assert [x.line for x in protected.expressions] == [7, 7]
    assert e.restore(protected.text, protected) == "a_**x**_b | 3"


@pytest.mark.parametrize(("expression", "problem"), [
    ("nope", "unknown name 'nope' (names: data)"),
    ("data.cses", "no data named 'cses'; did you mean \"cases\"? (data: cases, status)"),
    ("data.cases[0].regon", "cases.csv, line 2 has no column 'regon'; did you mean "
                            "\"region\"?"),
    ("data.cases | sum('cses')", "cases.csv has no column 'cses'; did you mean \"cases\"?"),
    ("data.status.lvel", "status.json has no key 'lvel'; did you mean \"level\"?"),
    ("data.cases | numbr", "unknown filter 'numbr'; did you mean \"number\"?"),
    ("data.cases | sum('region')", "sum: cases.csv, line 2, column \"region\": 'Nord' is not "
                                   "a number"),
    ("data.cases | latest('cases')", 'latest: two rows share the latest "date"'),
    ("data.cases", "this does not give one value"),
    ("data.cases.cases", "data.cases is a table of 3 rows; use a filter"),
    ("data.cases[9]", "cases.csv has 3 rows; there is no row 9"),
    ("1 | change(0)", "the earlier value is 0"),
    ("data.cases[0].region | number", "'Nord' is not a number"),
    ("1 +", "not a valid expression"),
    ("1 / 0", "a division by zero"),
    ("'a' + 1", "these values do not go together"),
])
def test_errors_name_file_line_and_expression(expression: str, problem: str) -> None:
    with pytest.raises(DataError) as info:
        expander().evaluate(expression, line=12)
    message = info.value.message
    assert message.startswith(f"article.md, line 12: {{{{ {expression} }}}}: ")
    assert problem in message
    assert "Traceback" not in message and "0x" not in message


def test_expand_names_the_line_of_the_expression() -> None:
    with pytest.raises(DataError, match=r"^article.md, line 11: \{\{ nope \}\}: unknown name"):
        expander().expand("first line\nsecond {{ nope }}", line=10)
    with pytest.raises(DataError, match=r"^article.md, line 4: '\{\{' is not closed"):
        find_expressions("a\nb {{ x\n}}", file="article.md", line=3)
    with pytest.raises(DataError, match="an empty expression"):
        find_expressions("{{ }}", file="article.md")


@pytest.mark.parametrize(("expression", "problem"), [
    # attribute walking to the interpreter's internals
    ("''.__class__.__mro__[1].__subclasses__()", "the attribute '__class__' is not allowed"),
    ("data.cases[0].region.__class__.__base__", "the attribute '__class__' is not allowed"),
    ("(1).__class__.__init__.__globals__", "is not allowed"),
    ("data.cases.__class__", "data.cases is a table"),
    ("data.__class__", "no data named '__class__'"),
    ("data.cases[0]._values", "has no column '_values'"),
    ("data.cases[0].__init__.__globals__", "has no column '__init__'"),
    ("data.status.regions.__class__", "the attribute '__class__' is not allowed"),
    ("data.cases[0].date.__class__", "the attribute '__class__' is not allowed"),
    # format-string tricks
    ("'{0.__class__}'.format(1)", "calling 'format' is not allowed"),
    ("'{0.__globals__}'.format_map(data)", "calling 'format_map' is not allowed"),
    ("'%s' % data", "'%' on a text is not allowed"),
    ("'%999999999d' % 1", "'%' on a text is not allowed"),
    ("'x' | format(1)", "unknown filter 'format'"),
    ("'x' | attr('__class__')", "unknown filter 'attr'"),
    # globals that give a way out or exhaust resources
    ("range(10**9) | list", "unknown name 'range'"),
    ("lipsum(10**9)", "unknown name 'lipsum'"),
    ("cycler.__init__.__globals__", "not allowed"),
    ("namespace(a=1)", "unknown name 'namespace'"),
    ("self", "does not give one value"),
    ("self.__init__", "the attribute '__init__' is not allowed"),
    # resource exhaustion
    ("'a' * 10**9", "more than 10,000 items"),
    ("10**9 * 'a'", "more than 10,000 items"),
    ("[0] * 10**9", "more than 10,000 items"),
    ("9 ** (9 ** 9)", "a number too large"),
    ("9 ** 9 ** 9", "too large to print"),
    ("2 ** 100000", "a number too large"),
    ("10 ** 10 ** 2", "too large to print"),
    ("'a'.center(10**9)", "calling 'center' is not allowed"),
    ("'a'.zfill(10**9)", "calling 'zfill' is not allowed"),
    ("'a' | center(10**9)", "unknown filter 'center'"),
    ("'a' | indent(10**9)", "unknown filter 'indent'"),
    ("'a' | wordwrap(10**9)", "unknown filter 'wordwrap'"),
    ("[1] | batch(10**9)", "unknown filter 'batch'"),
    ("[1] | slice(10**9)", "unknown filter 'slice'"),
    ("('x' * 9000) | replace('', 'yy')", "more than 10,000 characters"),
    # no markup either way
    ("'<b>' | e", "unknown filter 'e'"),
    ("'<b>' | safe", "unknown filter 'safe'"),
])
def test_the_sandbox_holds(expression: str, problem: str) -> None:
    with pytest.raises(DataError) as info:
        expander().evaluate(expression, line=1)
    assert problem in info.value.message


def test_no_statements_only_expressions() -> None:
    text = "{% for i in range(10) %}x{% endfor %}"
    assert expander().expand(text) == text  # printed as typed, never run


def test_long_expressions_and_outputs_are_refused() -> None:
    with pytest.raises(DataError, match="an expression of 601 characters"):
        find_expressions("{{ " + "1" * 601 + " }}", file="article.md")
    with pytest.raises(DataError, match="gives 20,000 characters"):
        expander().evaluate("('ab' * 5000) ~ ('ab' * 5000)", line=1)


def test_slug() -> None:
    assert slug("  Flood -- Nord/Pas-de-Calais ") == "flood-nord-pas-de-calais"
    assert slug("Ærø") == "r"  # letters without an ASCII form are dropped
    assert slug(2026) == "2026"
