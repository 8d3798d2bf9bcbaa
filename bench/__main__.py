"""`python -m bench`: measure the engine and the game, print one table, write bench/RESULTS.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from .runner import RESULTS, Config, main


def parse(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one tiny story, one run each: shows the bench works, measures nothing")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5; 3 for 10,000 scenes)")
    parser.add_argument("--sizes", type=int, nargs="+", help="story sizes in scenes (default 100 1000 10000)")
    parser.add_argument("--big", action="store_true", help="add a 50,000-scene story (one run; about ten minutes more)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (default bench/RESULTS.md)")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    out = None if args.no_write else args.out
    if args.quick:
        return Config(sizes=args.sizes or (30,), runs=1, heavy_runs=1, playthroughs=(20,), ui_steps=2, out=out)
    sizes = tuple(args.sizes or (100, 1_000, 10_000)) + ((50_000,) if args.big else ())
    return Config(sizes=sizes, runs=args.runs, heavy_runs=min(args.runs, 3), out=out)


if __name__ == "__main__":
    raise SystemExit(main(parse()))
