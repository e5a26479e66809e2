"""briefing: turn an article-like text into a printable, designed and accessible PDF briefing."""

__version__ = "0.1.0"
