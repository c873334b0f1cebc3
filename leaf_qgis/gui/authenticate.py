"""Plugin menu action "Authenticate with Earth Engine…": the browser sign-in of ``earthengine authenticate``.

Why in QGIS: most users of Earth Engine in QGIS fail at the first sign-in, often because the terminal they use runs a
different Python than QGIS. Running ``ee.Authenticate()`` from inside QGIS writes the standard credentials file
(``~/.config/earthengine/credentials``, shared with the earthengine CLI and the official Earth Engine plugin) with the
very package QGIS will use. The flow waits for the browser in a worker thread while the Qt event loop keeps running, so
QGIS does not freeze; ``ee`` is imported only when the action is triggered.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QInputDialog, QMessageBox, QProgressDialog

from ..core.errors import LeafError
from ..i18n import tr

TIMEOUT_SECONDS = 300.0
"""How long the browser sign-in may take before we give up waiting (the official plugin uses the same)."""


def _run_in_thread(target: Any, parent: Any) -> tuple[bool, Any, BaseException | None]:
    """Run ``target()`` in a daemon thread while showing a cancellable progress dialog.

    Returns (finished, result, error). A cancelled or timed-out sign-in leaves the thread waiting for the browser;
    it is a daemon thread and ends with QGIS or when the browser answers.
    """
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = target()
        except BaseException as error:  # reported to the user below
            outcome["error"] = error

    thread = threading.Thread(target=work, name="leaf-ee-authenticate", daemon=True)
    dialog = QProgressDialog(tr("Sign in to Earth Engine in the browser window that just opened…"),
                             tr("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(tr("Authenticate with Earth Engine"))
    dialog.setMinimumDuration(0)
    dialog.show()
    thread.start()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while thread.is_alive() and not dialog.wasCanceled() and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            thread.join(0.05)
    finally:
        dialog.close()
    if thread.is_alive():
        return False, None, None
    return True, outcome.get("result"), outcome.get("error")


def authenticate_interactively(parent: Any = None) -> bool:
    """Sign in to Earth Engine with the default browser flow; True when credentials were written or already valid.

    Every outcome is reported in a message box; error texts pass through :func:`redact` so no token is shown.
    """
    from ..engines.gee import session

    title = tr("Authenticate with Earth Engine")
    try:
        ee = session.import_ee()
    except LeafError as error:
        QMessageBox.warning(parent, title, error.render(tr))
        return False
    # Port 0: a free port each time, so a retry after a cancelled or timed-out sign-in is not blocked by the port
    # the abandoned attempt still holds.
    finished, _result, error = _run_in_thread(lambda: ee.Authenticate(auth_mode="localhost:0", force=True), parent)
    if not finished:
        QMessageBox.warning(parent, title, tr("The sign-in was cancelled or did not complete in time. Run the action "
                                              "again, or run 'earthengine authenticate' in a terminal."))
        return False
    if error is not None:
        message = session.translate_error(error).render(tr)
        QMessageBox.warning(parent, title, message)
        return False
    session.reset()  # the next run signs in with the new credentials, not an earlier session's
    QMessageBox.information(parent, title, tr("Earth Engine credentials were saved to {path}.")
                            .format(path=session.redact(session.credentials_path())))
    ask_project_id(parent)
    return True


def ask_project_id(parent: Any = None) -> str | None:
    """Ask once for the Cloud project id (the most common stumbling block after sign-in) and keep it in the settings
    the algorithms read; a project *name* is refused with the explanation, and the question asked again."""
    from .. import settings
    from ..engines.gee import session

    title = tr("Earth Engine Cloud project")
    current = settings.ee_project()
    while True:
        text, ok = QInputDialog.getText(
            parent, title,
            tr("Google Cloud project id registered for Earth Engine (lowercase letters, digits and hyphens, e.g. "
               "my-leaf-project; not the project's display name):"),
            text=current)
        if not ok:
            return None
        try:
            project = session.check_project_id(text)
        except LeafError as error:
            QMessageBox.warning(parent, title, error.render(tr))
            current = text
            continue
        settings.set_value(settings.EE_PROJECT, project)
        return project
