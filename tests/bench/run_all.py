"""`make bench`: every benchmark in this folder, one after the other, figures printed."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    only = sys.argv[1:]
    for script in sorted(HERE.glob("bench_*.py")):
        if only and not any(name in script.name for name in only):
            continue
        print(f"== {script.stem}")
        runpy.run_path(str(script), run_name="__main__")
