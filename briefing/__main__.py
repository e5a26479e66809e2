"""The ``briefing`` command (``python -m briefing``, and the installed script)."""

from briefing.runtime import pace_collector

# The command's process collects cycles at briefing's pace (``runtime.py``) before click and
# the pipeline are imported.
pace_collector()

from briefing.cli import main  # noqa: E402

if __name__ == "__main__":  # not when a worker process of ``--cluster local:N`` starts
    main()
