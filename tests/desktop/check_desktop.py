"""QGIS Desktop check (``make desktop-check``): the real QGIS desktop under Xvfb with a throwaway profile and the
deployed plugin opens the Processing dialog of a leaf algorithm; we keep a screenshot and fail on any Python error
in the QGIS message log or if the plugin or the algorithm is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(algorithm: str = "leaf:produce_gee") -> int:
    out = ROOT / "build" / "desktop-check"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*"):
        old.unlink()
    plugins = ROOT / "build" / "desktop-plugins"
    subprocess.run(["make", "-s", "-C", str(ROOT), "deploy", f"DEST={plugins}"], check=True)
    profile = Path(tempfile.mkdtemp(prefix="leaf-desktop-"))
    ini = profile / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nleaf_qgis=true\n[qgis]\nshowTips=false\ncheckVersion=false\n"
                   "allowCrashReporting=false\n")
    env = dict(os.environ, QGIS_PLUGINPATH=str(plugins), LEAF_DESKTOP_OUT=str(out), LEAF_DESKTOP_ALG=algorithm,
               PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}")
    env.pop("QT_QPA_PLATFORM", None)
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--profiles-path", str(profile), "--nologo",
           "--noversioncheck", "--code", str(ROOT / "tests" / "desktop" / "open_dialog.py")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    report = (out / "report.txt").read_text() if (out / "report.txt").exists() else ""
    log = (out / "log.txt").read_text() if (out / "log.txt").exists() else ""
    python_errors = [line for line in log.splitlines() if line.startswith("Python") and "\t2\t" in line]
    print(report)
    problems = []
    if "plugin_loaded=True" not in report:
        problems.append("plugin not loaded")
    if "algorithm=True" not in report:
        problems.append(f"{algorithm} not registered")
    if "error=" in report:
        problems.append("dialog failed")
    if python_errors:
        problems.append("Python errors in the message log:\n" + "\n".join(python_errors))
    if not (out / "dialog.png").exists():
        problems.append(f"no screenshot (QGIS exit code {done.returncode})\n{done.stderr[-2000:]}")
    if problems:
        print("DESKTOP CHECK FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"desktop check passed: screenshot {out / 'dialog.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
