"""Where the store lives when no URL is given."""

from __future__ import annotations

import os

__all__ = ["DEFAULT_URL", "ENV_VAR", "default_url"]

#: The environment variable that names the database when no URL is given.
ENV_VAR = "RISKSCREEN_DB"
#: The database used when neither a URL nor ``$RISKSCREEN_DB`` is given: a file in the
#: current folder.
DEFAULT_URL = "sqlite:///riskscreen.db"


def default_url(url: str | None = None) -> str:
    """``url`` if given, else ``$RISKSCREEN_DB``, else ``sqlite:///riskscreen.db``."""
    if url:
        return url
    return os.environ.get(ENV_VAR) or DEFAULT_URL
