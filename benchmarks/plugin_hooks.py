"""The cost of the plugin hooks per record, and of screening with every installed plugin.

    python benchmarks/plugin_hooks.py            # the bundled sample, 5 times over

Prints µs per record for the two record hooks alone (``riskscreen_enrich`` and
``riskscreen_check`` through the plugin host, every installed plugin) and for the whole
screening with the shipped screener. CPU time, best of several runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from timing import best

from riskscreen import Observation, Screener
from riskscreen.readers import read_records


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--input", default="examples/observations.jsonl")
    parser.add_argument("--times", type=int, default=5, help="how many times the input is repeated")
    args = parser.parse_args()
    screener = Screener()
    records = list(read_records(args.input)) * args.times
    observations = [o for o in map(screener.validate, records) if isinstance(o, Observation)]
    prepared = [(o, screener.record_for(o)) for o in observations]
    host = screener.plugin_host

    def hooks() -> None:
        for observation, record in prepared:
            errors: list[Any] = []
            host.enrich(observation, dict(record.symbols["derived"]), errors)
            host.check(observation, record, errors, ())

    screener.screen_many(records[:200])
    hook_time = best(hooks, repeat=5)
    screen_time = best(lambda: screener.screen_many(records), repeat=3)
    print(f"plugin hooks (enrich + check): {hook_time / len(prepared) * 1e6:.1f} µs/record")
    per_record = screen_time / len(records) * 1e6
    print(f"shipped screener, screen_many: {per_record:.1f} µs/record ({len(records)} records)")


if __name__ == "__main__":
    main()
