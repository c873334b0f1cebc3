"""``leaf:ee_tasks`` — follow the Earth Engine tasks of a batch: list, cancel, wait for them, download their files.

Thin: parameters → :mod:`leaf_qgis.engines.gee.tasks`. Why in Processing and not only in the Code Editor: the user
who submitted a national batch from QGIS should see which tasks failed and why, and get the files home, without
leaving QGIS; and a model can chain produce_gee → ee_tasks (wait, download) → load_outputs.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from .. import settings
from ..core.errors import QT_TRANSLATE_NOOP, LeafError
from .base import LeafAlgorithm

ACTIONS = ["list", "cancel", "wait", "download"]
STATES = ["READY", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CANCEL_REQUESTED"]
CANCELLED_BY_ACTION = {
    "list": QT_TRANSLATE_NOOP(
        "leaf", "Cancelled after listing: the task table {table} lists the {total} tasks selected; nothing was changed "
                "on Earth Engine."),
    "cancel": QT_TRANSLATE_NOOP(
        "leaf", "Cancelled: {asked} of {total} unfinished tasks were asked to stop; the others go on (task table: "
                "{table}). Run 'cancel' again to stop the rest."),
    "wait": QT_TRANSLATE_NOOP(
        "leaf", "Cancelled: the waiting stopped, the Earth Engine tasks go on (task table: {table}). Run 'wait' again "
                "to follow them."),
    "download": QT_TRANSLATE_NOOP(
        "leaf", "Cancelled: {downloaded} files were downloaded in full and stay in {folder}; an interrupted file "
                "resumes on the next run. The Earth Engine tasks are not affected (task table: {table})."),
}
"""What a cancelled run of each ACTION did and left: a cancelled 'cancel' has asked some tasks to stop, a cancelled
'wait' or 'download' has changed nothing on Earth Engine — one text for all said the wrong thing for some."""


class EeTasksAlgorithm(LeafAlgorithm):
    ACTION = "ACTION"
    FILTER = "FILTER"
    STATES = "STATES"
    MAX_AGE_HOURS = "MAX_AGE_HOURS"
    INCLUDE_FOREIGN = "INCLUDE_FOREIGN_TASKS"
    PROJECT = "PROJECT"
    POLL_SECONDS = "POLL_SECONDS"
    FOLDER = "FOLDER"
    TASK_TABLE = "TASK_TABLE"
    TASK_COUNT = "TASK_COUNT"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"
    DOWNLOADED = "DOWNLOADED"
    group_key = "earth_engine"
    help_anchor = "leafee_tasks"
    #: A cancellation before the action (while listing the tasks); after it, the action's own text
    #: (:data:`CANCELLED_BY_ACTION`).
    cancelled_text = QT_TRANSLATE_NOOP("leaf", "Cancelled: nothing was changed on Earth Engine, no task table was "
                                               "written.")

    def name(self) -> str:
        return "ee_tasks"

    def displayName(self) -> str:
        return self.tr("Earth Engine tasks (list, cancel, wait, download)")

    def tags(self) -> list[str]:
        return self.tr("earth engine,gee,tasks,export,download,cancel,wait,cloud storage").split(",")

    def shortHelpString(self) -> str:
        return self.tr(
            "<p>Follows the export tasks this plugin submitted to an Earth Engine project (PROJECT, or the plugin "
            "setting): tasks whose description is a LEAF output name (e.g. tile55_2020_Jul_LAI_20m). The project's "
            "other tasks are left alone unless INCLUDE FOREIGN TASKS is checked.</p>"
            "<p><b>Filter</b>: tasks whose description starts with FILTER (e.g. tile55_2020), in the chosen STATES, "
            "created at most MAX_AGE_HOURS ago (0: any age). When a task was run several times, its latest run "
            "counts.</p>"
            "<p><b>list</b>: writes the TASK TABLE (CSV or JSON: id, description, state, destination, error). FAILED "
            "tasks are reported with their description and the server's error message.</p>"
            "<p><b>cancel</b>: lists in the log, then asks Earth Engine to stop, the selected tasks that are not "
            "finished.</p>"
            "<p><b>wait</b>: polls every POLL_SECONDS until every selected task is COMPLETED, FAILED or CANCELLED; "
            "cancelling stops the waiting, not the tasks.</p>"
            "<p><b>download</b>: copies the files of COMPLETED Cloud Storage exports into FOLDER (keeping their "
            "folders). Interrupted downloads resume; every file is checked against the checksum Cloud Storage "
            "gives before it appears under its final name; files already complete are not downloaded again. "
            "Objects whose name would land outside FOLDER (.., absolute paths, odd characters) are skipped; a damaged "
            "or unreachable object does not stop the others; both are listed at the end and the run fails.</p>"
        )

    def initAlgorithm(self, config=None) -> None:
        self.add_enum(self.ACTION, self.tr("Action"), ACTIONS, "list")
        self.addParameter(QgsProcessingParameterString(
            self.FILTER, self.tr("Description starts with"), optional=True))
        self.add_enum(self.STATES, self.tr("States (none: all)"), STATES, None, multiple=True, optional=True)
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_AGE_HOURS, self.tr("Created at most this many hours ago (0: any age)"),
            QgsProcessingParameterNumber.Double, defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterBoolean(
            self.INCLUDE_FOREIGN, self.tr("Include tasks this plugin did not create (all of the Cloud project's "
                                          "tasks)"), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            self.PROJECT, self.tr("Earth Engine Cloud project id (default: plugin setting)"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.POLL_SECONDS, self.tr("Seconds between checks (wait)"), QgsProcessingParameterNumber.Double,
            defaultValue=30.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.FOLDER, self.tr("Download folder (download)"), optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.TASK_TABLE, self.tr("Task table"), self.tr("CSV files (*.csv);;JSON files (*.json)")))
        for key, label in ((self.TASK_COUNT, self.tr("Tasks selected")),
                           (self.COMPLETED, self.tr("Tasks completed")),
                           (self.FAILED, self.tr("Tasks failed")),
                           (self.ACTIVE, self.tr("Tasks ready or running")),
                           (self.CANCELLED, self.tr("Tasks cancelled")),
                           (self.DOWNLOADED, self.tr("Files downloaded"))):
            self.addOutput(QgsProcessingOutputNumber(key, label))
        self.addOutput(QgsProcessingOutputFolder(self.FOLDER, self.tr("Download folder")))

    def execute(self, parameters: dict, context, feedback) -> dict[str, Any]:
        """Parameters → :mod:`leaf_qgis.engines.gee.tasks` (list, then the action); the task table is written
        whatever happens, failures and download problems reported at the end."""
        from ..engines.gee import session, tasks

        action = self.parameterAsEnumString(parameters, self.ACTION, context) or "list"
        table_path = str(tasks.check_table_writable(
            self.parameterAsFileOutput(parameters, self.TASK_TABLE, context)))
        folder = ""
        if action == "download":
            folder = self.parameterAsString(parameters, self.FOLDER, context).strip()
            if not folder:
                raise LeafError(QT_TRANSLATE_NOOP("leaf", "Choose the download FOLDER."))
        project = self.parameterAsString(parameters, self.PROJECT, context).strip() or settings.ee_project()
        ee = self.earth_engine(project)
        retry = session.policy().retry
        items = self.selected(ee, parameters, context, feedback, project, retry)

        def progress(done: int, total: int) -> bool:
            feedback.setProgress(100.0 * done / max(total, 1))
            return not feedback.isCanceled()

        result = None
        asked = 0
        count = len(tasks.cancellable(items) if action == "cancel" else items)  # counted before the action
        try:
            if action == "cancel":
                asked = self.cancel(ee, items, progress, feedback, retry)
            elif action == "wait":
                tasks.wait(ee, items, poll_seconds=self.parameterAsDouble(parameters, self.POLL_SECONDS, context),
                           progress=progress, cancelled=feedback.isCanceled if feedback is not None else None,
                           **retry)  # stops only when cancelled (checked below)
            elif action == "download":
                result = self.download(items, folder, progress, feedback, retry)
        finally:
            tasks.write_task_table([i.row for i in items], table_path, project=project)
        if feedback is not None and feedback.isCanceled():
            raise LeafError(CANCELLED_BY_ACTION[action], table=table_path, total=count, asked=asked, folder=folder,
                            downloaded=result.downloaded if result is not None else 0)
        for description, message in tasks.failures(items):
            feedback.reportError(self.tr("Task {description} FAILED: {message}").format(
                description=description, message=message), False)
        downloaded = result.downloaded if result is not None else 0
        if result is not None and result.problems:
            raise LeafError(QT_TRANSLATE_NOOP(
                "leaf", "{count} files were not downloaded (the {downloaded} others are in {folder}):\n{problems}"),
                count=len(result.problems), downloaded=downloaded, folder=folder,
                problems="\n".join(f"- {p.render(self.tr)}" for p in result.problems))
        states = [i.row.state for i in items]
        return {
            self.TASK_TABLE: table_path, self.TASK_COUNT: len(items), self.COMPLETED: states.count("COMPLETED"),
            self.FAILED: states.count("FAILED"), self.ACTIVE: states.count("READY") + states.count("RUNNING"),
            self.CANCELLED: states.count("CANCELLED") + states.count("CANCEL_REQUESTED"),
            self.DOWNLOADED: downloaded, self.FOLDER: folder,
        }

    def selected(self, ee: Any, parameters: dict, context, feedback, project: str, retry: dict) -> list:
        """The tasks the filter selects (one listing), said in the log."""
        from ..engines.gee import tasks

        include_foreign = self.parameterAsBool(parameters, self.INCLUDE_FOREIGN, context)
        items = tasks.list_tasks(ee, self.parameterAsString(parameters, self.FILTER, context).strip(),
                                 [s for s in self.parameterAsEnumStrings(parameters, self.STATES, context) if s],
                                 self.parameterAsDouble(parameters, self.MAX_AGE_HOURS, context),
                                 include_foreign=include_foreign, **retry)
        if include_foreign:
            feedback.pushWarning(self.tr("{count} tasks selected in project {project}, including tasks this plugin "
                                         "did not create.").format(count=len(items), project=project))
        else:
            feedback.pushInfo(self.tr("{count} tasks of this plugin selected in project {project} (other tasks of "
                                      "the project are left alone).").format(count=len(items), project=project))
        return items

    def cancel(self, ee: Any, items: list, progress, feedback, retry: dict) -> int:
        """List, then cancel, the unfinished tasks; returns how many were asked to stop."""
        from ..engines.gee import tasks

        pending = tasks.cancellable(items)
        feedback.pushInfo(self.tr("Cancelling {count} unfinished tasks:").format(count=len(pending)))
        for item in pending:
            feedback.pushInfo(self.tr("  to cancel: {description} ({state}, task {task})").format(
                description=item.row.description, state=item.row.state, task=item.row.task_id))
        asked = tasks.cancel(ee, pending, progress=progress, **retry)
        feedback.pushInfo(self.tr("Asked Earth Engine to cancel {count} tasks.").format(count=asked))
        return asked

    def download(self, items: list, folder: str, progress, feedback, retry: dict) -> Any:
        """The files of the completed Cloud Storage tasks, into ``folder`` (each file and problem in the log)."""
        from ..engines.gee import session, tasks

        def on_file(description: str, path: Any, outcome: str) -> None:
            feedback.pushInfo(self.tr("{description}: {path} ({outcome})").format(
                description=description, path=str(path), outcome=outcome))

        def on_problem(error: LeafError) -> None:
            feedback.reportError(error.render(self.tr), False)

        skipped = [i.row.description for i in items if i.row.state == "COMPLETED" and not i.bucket]
        if skipped:
            feedback.pushWarning(self.tr(
                "{count} completed tasks are not Cloud Storage exports (Drive or asset): nothing to download "
                "for them ({names}).").format(count=len(skipped), names=", ".join(skipped[:5])))
        result = tasks.download(items, folder, session.current_credentials(), progress=progress,
                                cancelled=feedback.isCanceled, on_file=on_file, on_problem=on_problem, **retry)
        feedback.pushInfo(self.tr("{downloaded} files downloaded, {present} already complete ({mb:.1f} MB) "
                                  "in {folder}.").format(downloaded=result.downloaded, present=result.present,
                                                         mb=result.bytes / 1e6, folder=folder))
        return result
