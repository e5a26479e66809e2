"""``python -m briefing``."""

from briefing.cli import main

if __name__ == "__main__":  # not when a worker process of ``--cluster local:N`` starts
    main()
