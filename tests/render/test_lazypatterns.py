"""reportlab's slowest import-time pattern is compiled on first use: it behaves as the pattern
it stands for, and ``re.compile`` is the standard one again after the import."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import briefing.render  # noqa: F401  (imports reportlab's paragraph module the lazy way)
from briefing.render.lazypatterns import LazyPattern

paragraph = sys.modules["reportlab.platypus.paragraph"]

URLS = ["https://example.com/a/b?c=d", "http://192.168.0.1:8080/x", "www.exemple.fr/été",
        "not a url", "ftp://user:pw@host.example/path", "C:\\dir\\file", "mailto:x@y.z"]


def test_the_url_pattern_is_lazy_and_re_compile_is_restored() -> None:
    assert isinstance(paragraph.uri_pat, LazyPattern)
    assert re.compile.__module__ == "re"


@pytest.mark.parametrize("url", URLS)
def test_the_lazy_pattern_matches_as_the_compiled_one(url: str) -> None:
    lazy = paragraph.uri_pat
    real = re.compile(lazy.source, lazy.flags_given)
    found, expected = lazy.match(url), real.match(url)
    assert (found and found.groups()) == (expected and expected.groups())


def test_reportlab_splits_a_long_url_as_before() -> None:
    code = ("import reportlab.platypus.paragraph as p\n"
            f"print([p._uri_split_pairs(u) for u in {URLS!r}])\n")
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout
    lazy = subprocess.run([sys.executable, "-c", "import briefing.render\n" + code],
                          capture_output=True, text=True, check=True).stdout
    assert plain == lazy and "example.com" in lazy
