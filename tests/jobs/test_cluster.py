"""``briefing update --cluster``: builds on a real Dask cluster (a LocalCluster of two worker
processes over TCP on 127.0.0.1, started and stopped here), written and recorded here."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster

import briefing
from briefing.cli import cli
from briefing.errors import ClusterError
from briefing.jobs.bundle import Batch, build_batch
from briefing.jobs.cluster import Cluster
from briefing.jobs.manifest import load_manifest
from briefing.jobs.state import read_record
from briefing.jobs.update import Outcome, update
from tests.jobs.fakes import fake_build
from tests.jobs.procs import wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a local cluster of two worker processes (TCP on 127.0.0.1)."""
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           host="127.0.0.1", protocol="tcp",
                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def square(path: Path, colour: tuple[int, int, int]) -> None:
    from PIL import Image

    Image.new("RGB", (40, 40), colour).save(path)


def folder_of_briefings(folder: Path, count: int, *, editions: bool = False) -> None:
    """``count`` Markdown briefings sharing a theme file and an image in a subfolder."""
    (folder / "img").mkdir(parents=True)
    square(folder / "img" / "square.png", (200, 0, 0))
    (folder / "theme.toml").write_text('extends = "default"\n[colors]\naccent = "#CC0000"\n')
    tables = ['editions = "editions"\n'] if editions else []
    for number in range(count):
        (folder / f"n{number}.md").write_text(
            f"# Note {number}\n\nLead {number}.\n\n![A red square](img/square.png)\n\n"
            f"Text of note {number}.\n", encoding="utf-8")
        tables.append(f'[[briefing]]\nname = "n{number}"\nsource = "n{number}.md"\n'
                      f'theme = "theme.toml"\noutput = "out/n{number}.pdf"\n')
    (folder / "briefings.toml").write_text("\n".join(tables), encoding="utf-8")


def test_cluster_builds_the_same_bytes_and_records_as_here(tmp_path: Path,
                                                           scheduler: str) -> None:
    folder_of_briefings(tmp_path, 2)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cases.csv").write_text("district,cases\nNorth,12\nSouth,30\n")
    (tmp_path / "figures.md").write_text(
        "# Figures\n\n**{{ data.cases | sum(\"cases\") }} cases** in "
        "{{ data.cases | count }} districts.\n")
    (tmp_path / "broken.md").write_text("# Broken\n\n![Gone](img/missing.png)\n")
    with (tmp_path / "briefings.toml").open("a") as manifest:
        manifest.write('\n[[briefing]]\nname = "broken"\nsource = "broken.md"\n'
                       '\n[[briefing]]\nname = "figures"\nsource = "figures.md"\n'
                       'data = {cases = "data/cases.csv"}\noutput = "out/figures.pdf"\n')
    here = update(load_manifest(tmp_path), jobs=1)
    pdfs = {path.name: path.read_bytes() for path in (tmp_path / "out").iterdir()}
    records = {name: read_record(tmp_path / ".briefing", name.removesuffix(".pdf"))
               for name in pdfs}
    with Cluster(scheduler) as cluster:
        there = update(load_manifest(tmp_path), force=True, runner=cluster.run)
        stats = cluster.stats
    assert sorted(o.name for o in there.of("built")) == ["figures", "n0", "n1"]
    # Byte-identical: every PDF was left alone, as a rebuild here would leave it.
    assert not any(o.rewritten for o in there.of("built"))
    assert {path.name: path.read_bytes() for path in (tmp_path / "out").iterdir()} == pdfs
    for name, record in records.items():
        now = read_record(tmp_path / ".briefing", name.removesuffix(".pdf"))
        assert record is not None and now is not None
        assert (now.fingerprint, now.deps, now.resolved) == \
            (record.fingerprint, record.deps, record.resolved)
    # The error is said as it is here, with this machine's paths.
    [failed_here], [failed_there] = here.of("failed"), there.of("failed")
    assert failed_there.error == failed_here.error
    assert str(tmp_path) in (failed_there.error or "")
    # Each distinct file once: 4 sources, the theme file, the image and the data file.
    assert stats.files_shipped == 7
    assert stats.briefings == 4
    # Sent again at most once each, and only those whose first build looked for the image
    # folder before a build of their folder had found it (the data file is named: sent first).
    assert stats.resent <= 3


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(
        tmp_path: Path, scheduler: str) -> None:
    """Builds held in progress on both workers; one worker is killed; its builds run again
    elsewhere, and each briefing is built, written and recorded once."""
    names = [f"b{number}" for number in range(6)]
    for name in names:
        (tmp_path / f"{name}.txt").write_text(
            f"{name}\n\nSTART {tmp_path / ('started-' + name)} WAIT {tmp_path / 'go'}\n")
    (tmp_path / "briefings.toml").write_text("\n".join(
        f'[[briefing]]\nname = "{name}"\nsource = "{name}.txt"\n' for name in names))
    seen: list[Outcome] = []
    result: dict[str, object] = {}

    def run() -> None:
        try:
            with Cluster(scheduler) as cluster:
                result["summary"] = update(load_manifest(tmp_path), builder=fake_build,
                                           runner=cluster.run, on_outcome=seen.append)
        except BaseException as exc:
            result["summary"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    started = lambda: sorted(tmp_path.glob("started-*"))  # noqa: E731
    wait_until(lambda: len({p.read_text() for p in started() if p.read_text()}) == 2, 60,
               "builds in progress on both workers")
    victim = int(started()[0].read_text())
    os.kill(victim, signal.SIGKILL)
    (tmp_path / "go").touch()
    thread.join(120)
    assert not thread.is_alive()
    summary = result["summary"]
    assert not isinstance(summary, BaseException), summary
    assert sorted(o.name for o in summary.of("built")) == names  # type: ignore[attr-defined]
    assert Counter(o.name for o in seen) == Counter(names)
    for name in names:
        assert (tmp_path / f"{name}.pdf").read_bytes().endswith(
            (tmp_path / f"{name}.txt").read_bytes())
        assert read_record(tmp_path / ".briefing", name) is not None
    # The killed worker's builds ran again, in another process.
    pids = {int(p.read_text()) for p in started()}
    assert victim not in pids or len(pids) > 1


@pytest.mark.slow
def test_editions_are_recorded_once_when_a_worker_dies(tmp_path: Path, scheduler: str) -> None:
    folder_of_briefings(tmp_path, 10, editions=True)
    killed: list[int] = []
    client = Client(scheduler, set_as_default=False)
    try:
        pids: dict[str, int] = client.run(os.getpid)

        def kill_a_busy_worker(outcome: Outcome) -> None:
            if killed:
                return
            busy = [worker for worker, keys in client.processing().items() if keys]
            if busy:
                killed.append(pids[busy[0]])
                os.kill(pids[busy[0]], signal.SIGKILL)

        with Cluster(scheduler) as cluster:
            summary = update(load_manifest(tmp_path), runner=cluster.run,
                             on_outcome=kill_a_busy_worker)
    finally:
        client.close()
    assert killed, "no build was in progress when the first one came back"
    assert len(summary.of("built")) == 10 and not summary.of("failed")
    for number in range(10):
        records = sorted((tmp_path / "editions" / f"n{number}").glob("*.json"))
        assert [p.name for p in records] == ["0001.json"]
    assert Counter(o.name for o in summary.outcomes) == Counter(f"n{n}" for n in range(10))


def test_a_timeout_holds_on_a_worker(tmp_path: Path, scheduler: str) -> None:
    (tmp_path / "slow.txt").write_text("Slow\n\nSPIN 60\n")
    (tmp_path / "quick.txt").write_text("Quick\n\nDone.\n")
    (tmp_path / "briefings.toml").write_text(
        '[[briefing]]\nname = "slow"\nsource = "slow.txt"\ntimeout = 1\n\n'
        '[[briefing]]\nname = "quick"\nsource = "quick.txt"\n')
    started = time.monotonic()
    with Cluster(scheduler) as cluster:
        summary = update(load_manifest(tmp_path), builder=fake_build, runner=cluster.run)
    assert time.monotonic() - started < 40
    [slow] = summary.of("failed")
    assert slow.name == "slow" and slow.error == \
        "the build took longer than its timeout of 1 s"
    assert [o.name for o in summary.of("built")] == ["quick"]


def test_a_worker_of_another_version_is_refused(tmp_path: Path, scheduler: str) -> None:
    client = Client(scheduler, set_as_default=False)
    [worker, *_] = sorted(client.scheduler_info()["workers"])

    def pretend(version: str) -> None:
        import briefing as other

        other.__version__ = version

    try:
        client.run(pretend, "0.0.1-other", workers=[worker])
        with pytest.raises(ClusterError) as caught:
            Cluster(scheduler).__enter__()
        assert f"{worker} runs 0.0.1-other, this machine {briefing.__version__}" in \
            caught.value.message
        assert "install the same version of briefing on every worker" in caught.value.message
    finally:
        client.run(pretend, briefing.__version__, workers=[worker])
        client.close()
    # A worker that joins later refuses each batch it is given.
    refused = build_batch(Batch("r", "0.0.1-other", "", ("", time.gmtime and
                                                          __import__("datetime").date.today()),
                                ()), {}, fake_build)
    assert refused.refused is not None and "0.0.1-other" in refused.refused


def test_an_unreachable_scheduler_is_a_clear_error_within_10_seconds(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "a.txt").write_text("A\n\nText.\n")
    (tmp_path / "briefings.toml").write_text(
        f'[cluster]\naddress = "tcp://127.0.0.1:{port}"\n\n'
        '[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["update", str(tmp_path)])
    assert time.monotonic() - started < 10
    assert result.exit_code == ClusterError.exit_code
    line = result.output.strip()
    assert "\n" not in line and line.startswith(f"Error: --cluster tcp://127.0.0.1:{port}: "
                                                "no scheduler answered within")
    assert not (tmp_path / "a.pdf").exists()


def test_the_command_line_environment_and_manifest_name_the_cluster(
        tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """--cluster, then BRIEFING_CLUSTER, then the manifest's [cluster] address."""
    (tmp_path / "a.txt").write_text("A\n\nText.\n")
    (tmp_path / "briefings.toml").write_text(
        '[cluster]\naddress = "tcp://127.0.0.1:1"\n\n[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    monkeypatch.setenv("BRIEFING_CLUSTER", scheduler)
    result = CliRunner().invoke(cli, ["-q", "update", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    monkeypatch.setenv("BRIEFING_CLUSTER", "tcp://127.0.0.1:1")
    result = CliRunner().invoke(cli, ["-q", "update", "--force", "--cluster", scheduler,
                                      str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_without_dask_cluster_names_the_extra_and_update_never_imports_it(
        tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A\n\nText.\n")
    (tmp_path / "briefings.toml").write_text('[[briefing]]\nname = "a"\nsource = "a.txt"\n')
    script = (
        "import sys\n"
        "if sys.argv[1] == 'hide': sys.modules['distributed'] = None\n"
        "import atexit\n"
        "atexit.register(lambda: print('dask imported:', any(m.split('.')[0] in "
        "('dask', 'distributed') for m in sys.modules if sys.modules[m] is not None)))\n"
        "sys.argv = ['briefing', '-q', 'update', *sys.argv[2:]]\n"
        "from briefing.cli import main\nmain()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BRIEFING_CLUSTER", None)
    hidden = subprocess.run([sys.executable, "-c", script, "hide", "--cluster", "local:2"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert hidden.returncode == 1
    assert hidden.stderr.strip() == ("Error: --cluster needs dask[distributed], which is not "
                                     "installed: pip install 'briefing[cluster]'")
    here = subprocess.run([sys.executable, "-c", script, "keep"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert here.returncode == 0, here.stderr
    assert "dask imported: False" in here.stdout


def test_the_manifest_cluster_table_is_checked(tmp_path: Path) -> None:
    from briefing.errors import ManifestError
    from briefing.jobs.manifest import parse_manifest

    body = '[[briefing]]\nname = "a"\nsource = "a.txt"\n'
    (tmp_path / "a.txt").write_text("A\n\nText.\n")
    path = tmp_path / "briefings.toml"
    assert parse_manifest(f'[cluster]\naddress = "local:2"\n\n{body}', path).cluster == "local:2"
    assert parse_manifest(body, path).cluster is None
    with pytest.raises(ManifestError) as caught:
        parse_manifest(f'[cluster]\nadress = "local:2"\n\n{body}', path)
    assert 'line 2, [cluster], key "adress": unknown key; did you mean "address"?' in \
        caught.value.message
    with pytest.raises(ManifestError) as caught:
        parse_manifest(f"[cluster]\naddress = 8786\n\n{body}", path)
    assert '[cluster], key "address": expected a non-empty string, got 8786' in \
        caught.value.message


def test_a_cluster_address_is_checked_before_connecting() -> None:
    with pytest.raises(ClusterError, match="expected local:N with N from 1 to 256"):
        Cluster("local:0")
    with pytest.raises(ClusterError, match="expected a scheduler's address such as"):
        Cluster("tcp://a b")
