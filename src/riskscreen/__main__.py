"""``python -m riskscreen``."""

from .cli.main import run

run()
