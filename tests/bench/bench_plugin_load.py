"""Plugin load time: classFactory + initProcessing (what QGIS and qgis_process do at start-up), measured in a fresh
interpreter each time, next to the cost of a bare QgsApplication start for scale."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys, time
from qgis.core import QgsApplication
app = QgsApplication([], False); app.initQgis()
t0 = time.perf_counter()
from leaf_qgis import classFactory
plugin = classFactory(None); plugin.initProcessing()
t1 = time.perf_counter()
print(f"{(t1 - t0) * 1000:.2f} {int('ee' in sys.modules)}")
"""


def main(runs: int = 5) -> None:
    times, ee_loaded = [], []
    home = tempfile.mkdtemp(prefix="leaf-bench-")
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                             env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": home,
                                  "QGIS_CUSTOM_CONFIG_PATH": home}).stdout.split()
        times.append(float(out[-2]))
        ee_loaded.append(out[-1] == "1")
    print(f"plugin load (classFactory + initProcessing): median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f} ms over {runs} runs; ee imported at load: {any(ee_loaded)}")


if __name__ == "__main__":
    main()
