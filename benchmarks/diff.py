"""How long comparing two editions takes: ``python benchmarks/diff.py`` prints a Markdown table.

One article paragraph of N random words (2,000 made-up words drawn with Zipf's law, so that
words repeat as in real text: the commonest is 1 word in 8), compared with: the same words shuffled (everything moved), 1 % of the
words replaced, and a sentence inserted in the middle. ``compare`` is what every new edition
runs (once) and what ``briefing diff`` prints. Target (issue 13): a changed 15,000-word
paragraph diffs in under 1 s. ``--quick`` skips the 60,000-word row.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.editions.diff import compare  # noqa: E402
from briefing.model import Briefing  # noqa: E402
from briefing.read import read_briefing  # noqa: E402


def model(folder: Path, name: str, words: list[str]) -> Briefing:
    path = folder / f"{name}.txt"
    path.write_text("Title of the notice. The lead.\n" + " ".join(words) + ".\n", encoding="utf-8")
    briefing, _ = read_briefing(path, lang="en")
    return briefing


def timed(old: Briefing, new: Briefing, runs: int = 3) -> tuple[float, str]:
    times, summary = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        summary = compare(old, new).summary()
        times.append(time.perf_counter() - started)
    return statistics.median(times), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the largest size")
    args = parser.parse_args()
    chance = random.Random(13)
    vocabulary = ["".join(chance.choice("abcdefghijklmnopqrstuvwxyz")
                          for _ in range(chance.randint(2, 9))) for _ in range(2000)]
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]

    def draw(count: int) -> list[str]:
        return chance.choices(vocabulary, weights, k=count)

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in (7500, 15000, 30000) + (() if args.quick else (60000,)):
            words = draw(size)
            old = model(folder, f"old{size}", words)
            shuffled = words[:]
            chance.shuffle(shuffled)
            edited = [draw(1)[0] if chance.random() < 0.01 else w for w in words]
            inserted = words[: size // 2] + "a sentence added in the middle".split() + words[size // 2:]
            for label, new_words in (("shuffled", shuffled), ("1 % replaced", edited),
                                     ("a sentence inserted", inserted)):
                seconds, summary = timed(old, model(folder, f"new{size}", new_words))
                target = ""
                if size == 15000:
                    target = f"< 1 s {'met' if seconds < 1 else 'NOT met'}"
                rows.append((f"{size:,} words, {label}", f"{seconds:.3f} s ({summary})", target))
    print("| compare() of one paragraph | time (what it reports) | target |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
