"""Property tests of the path policy: generated references (``..``, links in and out, absolute
paths, URLs, unicode, trailing newlines, FIFOs, folders) either reach a regular file inside the
scope, or are refused with one clear line; never anything else. Outputs spelled in any way
never land on an input or on each other."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing.errors import BriefingError
from briefing.paths import Scope, check_outputs, is_file_name, real, same_file


def _tree() -> Path:
    """A fixed tree: ``src`` and ``assets`` are the scope; ``outside`` is not."""
    root = Path(tempfile.mkdtemp(prefix="briefing-paths-"))
    src, assets, outside = root / "src", root / "assets", root / "outside"
    for folder in (src / "sub", assets / "logos", outside):
        folder.mkdir(parents=True)
    for path in (src / "a.png", src / "sub" / "b.png", src / "ü.png", src / "with space.png",
                 assets / "logos" / "logo.png", outside / "secret.png", src / "a.png\n"):
        path.write_bytes(b"\x89PNG")
    (src / "in_link").symlink_to("sub")
    (src / "out_link").symlink_to(outside)
    (src / "file_out_link.png").symlink_to(outside / "secret.png")
    (src / "dangling.png").symlink_to(root / "nowhere.png")
    (src / "dir.png").mkdir()
    os.mkfifo(src / "fifo.png")
    return root


ROOT = _tree()
SCOPE = Scope.of(ROOT / "src", ROOT / "assets")
PARTS = ["..", ".", "", "src", "sub", "in_link", "out_link", "a.png", "b.png", "ü.png",
         "with space.png", "secret.png", "outside", "fifo.png", "dir.png", "file_out_link.png",
         "dangling.png", "logos", "logo.png", "~", "a.png\n", "\n", "x\x00y", "\\..\\"]
PREFIXES = ["", "", "", "/", "//", "file://", "http://host/", f"{ROOT}/", f"{ROOT}/src/",
            "C:\\", "~/", "data:image/png;base64,"]

refs = st.builds(
    lambda prefix, parts, tail: prefix + "/".join(parts) + tail,
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(PARTS), min_size=1, max_size=6),
    st.sampled_from(["", "", "\n", "/", " ", "#frag"]),
) | st.text(max_size=40)


@settings(max_examples=300)  # microseconds each
@given(refs)
@example("out_link/secret.png")
@example("file_out_link.png")
@example("in_link/b.png")
@example("a.png\n")
@example("fifo.png")
@example("src/../outside/secret.png")
def test_a_reference_reaches_a_regular_file_inside_the_scope_or_nothing(ref: str) -> None:
    try:
        found = SCOPE.reach(ref, what="image", where="t.md")
    except BriefingError as exc:
        message = exc.format_message()
        assert message.startswith("t.md: image ") and "\n" not in message
        return
    assert found == real(found) and found.is_file() and not found.is_symlink()
    assert any(found.is_relative_to(real(root)) for root in (ROOT / "src", ROOT / "assets"))
    assert not found.is_relative_to(real(ROOT / "outside"))
    assert ".." not in ref.replace("\\", "/").split("/")


NAMES = ["src", "sub", "in_link", "out_link", "outside", ".", "..", "a.png", "out.pdf",
         "secret.png", "b.png"]
spelled = st.lists(st.sampled_from(NAMES), min_size=1, max_size=5).map(
    lambda parts: ROOT.joinpath(*parts))


@settings(max_examples=200)
@given(spelled, spelled)
def test_two_outputs_are_one_file_exactly_when_the_policy_says_so(a: Path, b: Path) -> None:
    same = os.path.realpath(a) == os.path.realpath(b) or (
        a.exists() and b.exists() and os.path.samefile(a, b))
    assert same_file(a, b) == same
    if same:
        with pytest.raises(BriefingError, match="same file"):
            check_outputs([("-o", a), ("--preview", b)])
    else:
        check_outputs([("-o", a), ("--preview", b)])


@settings(max_examples=200)
@given(spelled)
def test_an_output_is_never_an_input_however_it_is_spelled(output: Path) -> None:
    inputs = [("the source itself", ROOT / "src" / "a.png"),
              ("the secret", ROOT / "outside" / "secret.png")]
    clash = any(os.path.realpath(output) == os.path.realpath(path) for _, path in inputs)
    if clash:
        with pytest.raises(BriefingError, match="give the output another name"):
            check_outputs([("-o", output)], inputs)
    else:
        check_outputs([("-o", output)], inputs)


@given(st.text(max_size=30))
def test_a_file_name_is_one_safe_word(name: str) -> None:
    if is_file_name(name):
        assert name not in (".", "..") and Path(name).name == name
        assert not any(c in name for c in "/\\\n\r\t\x00 ") and not name.startswith(("-", "."))
