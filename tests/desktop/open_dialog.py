"""Run inside the real QGIS desktop (``qgis --code open_dialog.py``): open a leaf algorithm's Processing dialog,
screenshot it, write the QGIS message log, and quit. Paths and the algorithm come from the environment
(``LEAF_DESKTOP_OUT``, ``LEAF_DESKTOP_ALG``); ``tests/desktop/check_desktop.py`` drives it."""

import os
import traceback

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface, plugins

OUT = os.environ["LEAF_DESKTOP_OUT"]
ALGORITHM = os.environ.get("LEAF_DESKTOP_ALG", "leaf:produce_gee")
messages = []


def remember(message, tag, level):
    messages.append(f"{tag}\t{int(level)}\t{message}")


QgsApplication.messageLog().messageReceived.connect(remember)


def finish():
    with open(os.path.join(OUT, "log.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(messages))
    QgsApplication.instance().exit(0)


def open_dialog():
    report = []
    try:
        import processing

        report.append(f"plugin_loaded={'leaf_qgis' in plugins}")
        report.append(f"algorithm={QgsApplication.processingRegistry().algorithmById(ALGORITHM) is not None}")
        dialog = processing.createAlgorithmDialog(ALGORITHM, {})
        dialog.show()
        dialog.resize(900, 700)

        def shoot():
            dialog.grab().save(os.path.join(OUT, "dialog.png"))
            iface.mainWindow().grab().save(os.path.join(OUT, "main_window.png"))
            dialog.close()
            finish()

        QTimer.singleShot(1500, shoot)
    except Exception:  # report anything to the driver, then quit
        report.append("error=" + traceback.format_exc().replace("\n", " | "))
        QTimer.singleShot(100, finish)
    with open(os.path.join(OUT, "report.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(report))


QTimer.singleShot(2000, open_dialog)
_ = Qgis
