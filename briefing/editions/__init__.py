"""Editions: what changed between builds, the editions folder, publishing, notifications.

``diff`` compares two models; ``store`` keeps the numbered editions of each briefing;
``record`` builds a source into a new edition (with the page-1 notice and change bars);
``publish`` maintains a static folder for readers; ``notify`` tells people.
"""
