"""Run every benchmark script (benchmarks/bench_*.py) in turn; each prints its figures and ratios."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    only = sys.argv[1:]
    for script in sorted(Path(__file__).parent.glob("bench_*.py")):
        if only and not any(o in script.stem for o in only):
            continue
        print(f"\n=== {script.stem} ===", flush=True)
        sys.argv = [str(script)]  # each script parses its own (empty) arguments
        runpy.run_path(str(script), run_name="__main__")
