"""``leaf:ee_tasks`` against the fake Earth Engine server: list/filter, cancel, wait, download (resumable, verified)."""

from __future__ import annotations

import json
import threading

import ee  # noqa: F401 - pinned in requirements-dev.txt: a broken install must fail, not skip
import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback

from tests.fake_ee.fixtures import FAKE_PROJECT

SUBMIT = {"TILES": "tile55,tile56", "SENSOR": "S2", "YEAR": 2020, "MONTHS": ["Jul"], "PRODUCTS": ["LAI"],
          "RESOLUTION": 20, "DESTINATION": "gcs", "BUCKET": "leaf-maps", "DRY_RUN": False, "PROJECT": FAKE_PROJECT}


@pytest.fixture()
def batch(run_alg, signed_in, tmp_path) -> list[str]:
    """A submitted 4-task batch (2 tiles × July × LAI + QC); returns the descriptions in plan order."""
    run_alg("produce_gee", {**SUBMIT, "PLAN": str(tmp_path / "plan.json")})
    plan = json.loads((tmp_path / "plan.json").read_text())
    return [e["description"] for e in plan["exports"]]


def table(path) -> list[dict]:
    import csv

    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_list_and_filter(run_alg, signed_in, batch, tmp_path):
    signed_in.set_state(next(iter(signed_in.operations)), "RUNNING")
    signed_in.add_operation("someone_else_task", project=FAKE_PROJECT)
    out = tmp_path / "list.csv"
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(out)})
    assert result["TASK_COUNT"] == 4 and result["ACTIVE"] == 4  # someone else's task is not ours
    assert "someone_else_task" not in {r["description"] for r in table(out)}
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(out),
                                  "INCLUDE_FOREIGN_TASKS": True})
    assert result["TASK_COUNT"] == 5 and result["ACTIVE"] == 5
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "FILTER": "tile56_",
                                  "TASK_TABLE": str(out)})
    assert result["TASK_COUNT"] == 2 and {r["description"] for r in table(out)} == set(batch[2:])
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "STATES": ["RUNNING"],
                                  "TASK_TABLE": str(out)})
    assert result["TASK_COUNT"] == 1 and table(out)[0]["state"] == "RUNNING"
    assert table(out)[0]["destination"].startswith("gs://leaf-maps/tile55_2020/tile55_2020_Jul_")
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "MAX_AGE_HOURS": 1,
                                  "TASK_TABLE": str(out)})
    assert result["TASK_COUNT"] == 4


def test_age_filter_uses_creation_time():
    from datetime import datetime, timezone

    from leaf_qgis.engines.gee import tasks

    operations = [{"name": f"projects/p/operations/{i}",
                   "metadata": {"description": f"tile5{i}_2024_Apr_LAI_20m", "state": "PENDING", "createTime": created}}
                  for i, created in enumerate(["2024-05-01T10:00:00.5Z", "2024-04-01T10:00:00Z"])]
    now = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    recent = tasks.select(operations, max_age_hours=3, now=now)
    assert [i.row.description for i in recent] == ["tile50_2024_Apr_LAI_20m"]
    assert len(tasks.select(operations, now=now)) == 2


def test_failed_task_message_is_surfaced(run_alg, signed_in, batch, tmp_path):
    name = next(iter(signed_in.operations))
    signed_in.set_state(name, "FAILED", "Cloud Storage bucket leaf-maps does not exist or is not writable.")
    errors: list[str] = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, error, fatalError=False):  # noqa: N803 - Qt names
            errors.append(error)

    out = tmp_path / "t.json"
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(out)},
                     feedback=Feedback())
    assert result["FAILED"] == 1
    assert errors == [f"Task {batch[0]} FAILED: Cloud Storage bucket leaf-maps does not exist or is not writable."]
    failed = [t for t in json.loads(out.read_text())["tasks"] if t["state"] == "FAILED"]
    assert failed[0]["error"].startswith("Cloud Storage bucket leaf-maps")


def test_cancel(run_alg, signed_in, batch, tmp_path):
    signed_in.set_state(next(iter(signed_in.operations)), "SUCCEEDED")
    result = run_alg("ee_tasks", {"ACTION": "cancel", "PROJECT": FAKE_PROJECT, "FILTER": "tile55_",
                                  "TASK_TABLE": str(tmp_path / "t.csv")})
    assert result["CANCELLED"] == 1 and result["COMPLETED"] == 1
    states = sorted(op["metadata"]["state"] for op in signed_in.operations.values())
    assert states == ["CANCELLED", "PENDING", "PENDING", "SUCCEEDED"]
    assert len(signed_in.requests_to(":cancel", "POST")) == 1


def test_wait_until_done(run_alg, signed_in, batch, tmp_path):
    timer = threading.Timer(0.4, signed_in.advance_all, args=("SUCCEEDED",))
    timer.start()
    try:
        result = run_alg("ee_tasks", {"ACTION": "wait", "PROJECT": FAKE_PROJECT, "POLL_SECONDS": 0.1,
                                      "TASK_TABLE": str(tmp_path / "t.csv")})
    finally:
        timer.cancel()
    assert result["COMPLETED"] == 4 and result["ACTIVE"] == 0
    assert {r["state"] for r in table(tmp_path / "t.csv")} == {"COMPLETED"}


def test_wait_can_be_cancelled(run_alg, signed_in, batch, tmp_path):
    """Cancelling stops the waiting, not the tasks: the run fails with the one cancellation message, which names the
    task table (written, the four tasks still active)."""
    feedback = QgsProcessingFeedback()
    threading.Timer(0.3, feedback.cancel).start()
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("ee_tasks", {"ACTION": "wait", "PROJECT": FAKE_PROJECT, "POLL_SECONDS": 0.05,
                             "TASK_TABLE": str(tmp_path / "t.csv")}, feedback=feedback)
    assert str(caught.value) == (
        f"Cancelled: the waiting stopped, the Earth Engine tasks go on (task table: {tmp_path}/t.csv). Run 'wait' "
        "again to follow them.")
    assert [r["state"] for r in table(tmp_path / "t.csv")] == ["READY"] * 4
    assert all(op["metadata"]["state"] == "PENDING" for op in signed_in.operations.values())  # tasks go on


def test_cancel_during_a_long_pause_between_polls_returns_at_once(run_alg, signed_in, batch, tmp_path):
    """POLL_SECONDS 600: Cancel pressed 0.3 s into the pause stops the waiting within a poll step, not 10 min."""
    import time

    feedback = QgsProcessingFeedback()
    threading.Timer(0.3, feedback.cancel).start()
    start = time.monotonic()
    with pytest.raises(QgsProcessingException, match="the waiting stopped"):
        run_alg("ee_tasks", {"ACTION": "wait", "PROJECT": FAKE_PROJECT, "POLL_SECONDS": 600,
                             "TASK_TABLE": str(tmp_path / "t.csv")}, feedback=feedback)
    assert time.monotonic() - start < 3.0
    assert [r["state"] for r in table(tmp_path / "t.csv")] == ["READY"] * 4


def test_cancelled_cancel_says_how_many_tasks_were_asked_to_stop(run_alg, signed_in, batch, tmp_path, cancelling):
    """A cancelled 'cancel' has asked some tasks to stop: the message says how many of how many, and that the others
    go on (it used to say "the Earth Engine tasks go on" and talk about downloads)."""
    feedback = cancelling(2)  # two tasks asked to stop, then the user cancels
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("ee_tasks", {"ACTION": "cancel", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")},
                feedback=feedback)
    asked = len(signed_in.requests_to(":cancel", "POST"))
    assert 0 < asked < 4
    assert str(caught.value) == (
        f"Cancelled: {asked} of 4 unfinished tasks were asked to stop; the others go on (task table: "
        f"{tmp_path}/t.csv). Run 'cancel' again to stop the rest.")
    states = sorted(op["metadata"]["state"] for op in signed_in.operations.values())
    assert states == ["CANCELLED"] * asked + ["PENDING"] * (4 - asked)
    assert sorted(r["state"] for r in table(tmp_path / "t.csv")) == ["CANCEL_REQUESTED"] * asked + ["READY"] * (
        4 - asked)


def test_cancelled_list_and_download_say_what_they_left(run_alg, signed_in, batch, tmp_path, cancelling):
    """A cancelled 'list' changed nothing and wrote the table; a cancelled 'download' names the files it finished and
    the folder they stay in."""
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")},
                feedback=cancelling(0))
    assert str(caught.value) == (
        f"Cancelled after listing: the task table {tmp_path}/t.csv lists the 4 tasks selected; nothing was changed on "
        "Earth Engine.")
    assert len(table(tmp_path / "t.csv")) == 4
    signed_in.advance_all("SUCCEEDED")
    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path, feedback=cancelling(3))
    files = sorted(p for p in folder.rglob("*.tif"))
    assert 0 < len(files) < 4
    assert str(caught.value) == (
        f"Cancelled: {len(files)} files were downloaded in full and stay in {folder}; an interrupted file resumes on "
        f"the next run. The Earth Engine tasks are not affected (task table: {tmp_path}/d.csv).")


def download(run_alg, folder, tmp_path, feedback=None, **extra):
    return run_alg("ee_tasks", {"ACTION": "download", "PROJECT": FAKE_PROJECT, "FOLDER": str(folder),
                                "TASK_TABLE": str(tmp_path / "d.csv"), **extra}, feedback=feedback)


def test_download_completed_files(run_alg, signed_in, batch, tmp_path):
    from osgeo import gdal

    signed_in.advance_all("SUCCEEDED")
    folder = tmp_path / "maps"
    result = download(run_alg, folder, tmp_path)
    assert result["DOWNLOADED"] == 4 and result["FOLDER"] == str(folder)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == sorted(f"{d.split('_')[0]}_2020/{d}.tif" for d in batch)
    assert gdal.Open(str(folder / files[0])).RasterCount == 1
    # a second run finds them complete and downloads nothing
    signed_in.clear_requests()
    again = download(run_alg, folder, tmp_path)
    assert again["DOWNLOADED"] == 0
    assert not signed_in.requests_to("/download/")


def our_partial(folder, bucket: str, name: str):
    """The plugin's own partial file for object ``name`` (as the bucket listing describes it)."""
    import requests

    from leaf_qgis.engines.gee import tasks

    http = requests.Session()
    listed = {o["name"]: o for o in tasks.list_objects(http, bucket, name)}
    return tasks.partial_path(folder / name, bucket, listed[name])


def test_download_resumes_a_partial_file(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    (bucket, name), data = next(iter(signed_in.objects.items()))
    folder = tmp_path / "maps"
    part = our_partial(folder, bucket, name)
    assert part.name.startswith(name.split("/")[-1] + ".leaf-") and part.name.endswith(".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:1000])
    signed_in.clear_requests()
    download(run_alg, folder, tmp_path)
    assert (folder / name).read_bytes() == data and not part.exists()
    ranged = [r for r in signed_in.requests if name.split("/")[-1] in r.path and "alt" in r.query]
    assert len(ranged) == 1 and ranged[0].range == "bytes=1000-"  # the first 1000 not fetched again


def test_a_user_file_at_the_target_is_kept_and_reported(run_alg, signed_in, batch, tmp_path):
    """A file of the user's with an object's name is never replaced: that object is skipped with a message saying
    what to do, the others are downloaded."""
    signed_in.advance_all("SUCCEEDED")
    (_bucket, name), _data = next(iter(signed_in.objects.items()))
    folder = tmp_path / "maps"
    mine = folder / name
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"my own map, not LEAF's")
    log = Log()
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path, feedback=log)
    message = str(caught.value)
    assert message.startswith(f"1 files were not downloaded (the 3 others are in {folder}")
    assert (f"Skipped gs://leaf-maps/{name}: the file '{mine}' already exists and is not a download of this object"
            in message)
    assert "Move or rename that file, or choose another download folder" in message
    assert mine.read_bytes() == b"my own map, not LEAF's"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")]  # no partial file left beside it
    for (_b, other), data in signed_in.objects.items():
        if other != name:
            assert (folder / other).read_bytes() == data
    assert any("already exists and is not a download of this object" in line for line in log.lines)
    assert not [r for r in signed_in.requests_to("/download/") if name.split("/")[-1] in r.path]  # not even fetched
    # once the user moved it away, the next run fetches the object
    mine.rename(tmp_path / "mine.tif")
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 1
    assert (folder / name).read_bytes() == signed_in.objects[("leaf-maps", name)]
    assert (tmp_path / "mine.tif").read_bytes() == b"my own map, not LEAF's"


def test_a_file_that_appears_during_the_download_is_kept(signed_in, tmp_path):
    """The user saves a file at the target while its bytes arrive: it stays, our verified bytes wait in the partial
    file, and once the user's file is gone the next run moves them into place without fetching again."""
    import requests

    from leaf_qgis.engines.gee import tasks

    name, data = "tile55_2020/tile55_2020_Jul_LAI_20m.tif", b"\x01" * 300_000
    signed_in.put_object("leaf-maps", name, data)
    item = tasks.list_objects(requests.Session(), "leaf-maps", name)[0]
    target = tmp_path / name

    def user_saves_a_file() -> bool:
        if not target.exists():
            target.write_bytes(b"saved by the user")
        return False

    with pytest.raises(tasks.TargetExistsError):
        tasks.download_object(requests.Session(), "leaf-maps", item, target, cancelled=user_saves_a_file)
    assert target.read_bytes() == b"saved by the user"
    part = tasks.partial_path(target, "leaf-maps", item)
    assert part.read_bytes() == data
    target.unlink()
    signed_in.clear_requests()
    assert tasks.download_object(requests.Session(), "leaf-maps", item, target) == "downloaded"
    assert target.read_bytes() == data and not part.exists() and not signed_in.requests_to("/download/")


def test_a_foreign_part_file_is_not_touched(run_alg, signed_in, batch, tmp_path):
    """``<file>.part`` that the plugin did not write (another tool's, the user's) is neither resumed nor removed."""
    signed_in.advance_all("SUCCEEDED")
    folder = tmp_path / "maps"
    foreign = {}
    for index, ((_bucket, name), data) in enumerate(signed_in.objects.items()):
        path = folder / (name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        # a prefix of the right bytes, garbage, and a file longer than the object: none may be appended to or deleted
        foreign[path] = [data[:1000], b"someone else's bytes", data + b"tail"][index % 3]
        path.write_bytes(foreign[path])
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 4
    for path, content in foreign.items():
        assert path.read_bytes() == content
    for (_bucket, name), data in signed_in.objects.items():
        assert (folder / name).read_bytes() == data
    assert not [r for r in signed_in.requests_to("/download/") if r.range]  # nothing resumed
    assert not list(folder.rglob("*.leaf-*.part"))  # our own partial files were moved into place


def test_interrupted_download_never_looks_complete_then_resumes(run_alg, signed_in, batch, tmp_path, monkeypatch):
    from leaf_qgis.engines.gee import session

    signed_in.advance_all("SUCCEEDED")
    monkeypatch.setattr(session, "RETRY", session.RETRY.but(attempts=1))
    signed_in.inject("reset", method="GET", path_contains="/download/", times=1)
    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path)
    assert "1 files were not downloaded (the 3 others are in" in str(caught.value)
    assert len(list(folder.rglob("*.tif"))) == 3  # the batch went on past it
    missing = [n for (_b, n) in signed_in.objects if not (folder / n).exists()]  # never a file that looks complete
    assert len(missing) == 1 and f"gs://leaf-maps/{missing[0]} could not be downloaded" in str(caught.value)
    monkeypatch.setattr(session, "RETRY", session.RETRY.but(attempts=5))
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 1


def test_a_dropped_download_is_retried(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    signed_in.inject("reset", method="GET", path_contains="/download/", times=2)
    assert download(run_alg, tmp_path / "maps", tmp_path)["DOWNLOADED"] == 4


def test_damaged_transfer_is_fetched_again_once(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    signed_in.corrupt_downloads = 1
    folder = tmp_path / "maps"
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 4
    assert len(signed_in.requests_to("/download/")) == 5


def test_truncated_transfer_resumes(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    signed_in.truncate_downloads = 1
    folder = tmp_path / "maps"
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 4
    ranged = [r for r in signed_in.requests_to("/download/")]
    assert len(ranged) == 5  # the cut one resumed with a Range request
    for (_bucket, name), data in signed_in.objects.items():
        assert (folder / name).read_bytes() == data


def test_a_damaged_object_does_not_stop_the_batch(run_alg, signed_in, batch, tmp_path):
    """6 objects (4 maps, one of them in 3 shards), one persistently damaged: 5 fetched, 1 reported, run fails."""
    signed_in.advance_all("SUCCEEDED")
    prefix = f"tile56_2020/{batch[2]}"
    data = signed_in.objects.pop(("leaf-maps", prefix + ".tif"))
    shards = [f"{prefix}-0000000000-0000000000.tif", f"{prefix}-0000000000-0000016384.tif",
              f"{prefix}-0000016384-0000000000.tif"]
    for index, name in enumerate(shards):
        signed_in.put_object("leaf-maps", name, data + bytes([index]))
    assert len(signed_in.objects) == 6
    signed_in.damaged_objects.add(shards[1])
    errors: list[str] = []

    class Feedback(QgsProcessingFeedback):
        def reportError(self, error, fatalError=False):  # noqa: N803 - Qt names
            errors.append(error)

    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path, feedback=Feedback())
    message = str(caught.value)
    assert message.startswith("1 files were not downloaded (the 5 others are in")
    assert f"gs://leaf-maps/{shards[1]} is damaged" in message
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert written == sorted(n for (_b, n) in signed_in.objects if n != shards[1])
    assert any(f"gs://leaf-maps/{shards[1]} is damaged" in e for e in errors)  # said when it happened, too
    assert len(table(tmp_path / "d.csv")) == 4  # the task table is written all the same


HOSTILE = ["/../../../../ESCAPED1.tif", "/..\\..\\ESCAPED2.tif", "/x\x00/ESCAPED3.tif", "/\x1b[31mESCAPED4.tif",
           "/a//ESCAPED5.tif", "/C:ESCAPED6.tif", "/./ESCAPED7.tif"]


def test_objects_named_outside_the_folder_are_skipped(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    for hostile in HOSTILE:
        signed_in.put_object("leaf-maps", f"tile55_2020/{batch[0]}{hostile}", b"evil")
    folder = tmp_path / "deep" / "maps"
    log = Log()
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path, feedback=log)
    message = str(caught.value)
    assert message.startswith("7 files were not downloaded (the 4 others are in")
    for index in range(1, 8):
        assert f"ESCAPED{index}.tif: its name would put the file outside the download folder" in message
    assert message.count("Skipped the object gs://leaf-maps/tile55_2020/") == 7
    assert "\x00" not in message and "\x1b" not in message  # control characters are shown escaped
    assert "x\\x00/ESCAPED3.tif" in message
    assert [p for p in tmp_path.rglob("*ESCAPED*")] == []
    assert len(list(folder.rglob("*.tif"))) == 4
    assert sum("Skipped the object" in line for line in log.lines) == 7  # each said as it happened


def test_safe_target_rules(tmp_path):
    from leaf_qgis.engines.gee.tasks import safe_target

    assert safe_target(tmp_path, "tile55_2020/tile55_2020_Jul_LAI_20m.tif") == (
        tmp_path / "tile55_2020" / "tile55_2020_Jul_LAI_20m.tif")
    assert safe_target(tmp_path, "région été/carte (1).tif") == tmp_path / "région été" / "carte (1).tif"
    for name in ["../x.tif", "a/../../x.tif", "/etc/x.tif", "a\\b.tif", "a/\x00.tif", "a//b.tif", "C:x.tif",
                 "a/CON.tif", "a/nul.txt.tif", "a/./b.tif", "a/b.tif.", "a/b.tif ", "", "a/\x7f.tif", "a/b:c.tif",
                 "a/b|c.tif", "a/b*c.tif", "a/b?.tif", "a/<b>.tif", 'a/"b".tif']:
        assert safe_target(tmp_path, name) is None, name


def test_unwritable_download_folder(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, blocker / "maps", tmp_path)
    assert "cannot be written" in str(caught.value)


def test_missing_bucket_is_reported_in_plain_words(run_alg, signed_in, tmp_path):
    signed_in.put_object("other-bucket", "x.tif", b"x")
    operation = signed_in.add_operation("tile55_2020_Jul_LAI_20m", state="PENDING", project=FAKE_PROJECT)
    operation["metadata"]["destinationUris"] = [
        "https://console.developers.google.com/storage/browser/gone-bucket/tile55_2020/"]
    signed_in.set_state(operation["name"], "SUCCEEDED")
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, tmp_path / "maps", tmp_path)
    assert "The specified bucket does not exist: gone-bucket" in str(caught.value)


def test_download_needs_a_folder_and_a_project(run_alg, signed_in, tmp_path):
    with pytest.raises(QgsProcessingException, match="FOLDER"):
        run_alg("ee_tasks", {"ACTION": "download", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")})
    with pytest.raises(QgsProcessingException, match="No Google Cloud project"):
        run_alg("ee_tasks", {"ACTION": "list", "PROJECT": "", "TASK_TABLE": str(tmp_path / "t.csv")})


class Log(QgsProcessingFeedback):
    """Keeps every line the algorithm writes to the Processing log, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info):
        self.lines.append(info)

    def pushWarning(self, warning):
        self.lines.append(warning)

    def reportError(self, error, fatalError=False):  # noqa: N803
        self.lines.append(error)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def test_cancel_leaves_foreign_tasks_alone_and_lists_first(run_alg, signed_in, batch, tmp_path):
    foreign = [signed_in.add_operation("someone_else_task", project=FAKE_PROJECT),
               signed_in.add_operation("tile55_2020_Jul_LAI_20m", project=FAKE_PROJECT, kind="EXPORT_FEATURES"),
               signed_in.add_operation("my_analysis_2020", state="RUNNING", project=FAKE_PROJECT)]
    log = Log()
    result = run_alg("ee_tasks", {"ACTION": "cancel", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")},
                     feedback=log)
    assert result["CANCELLED"] == 4 and result["TASK_COUNT"] == 4
    assert [op["metadata"]["state"] for op in foreign] == ["PENDING", "PENDING", "RUNNING"]
    assert len(signed_in.requests_to(":cancel", "POST")) == 4
    listed = [line for line in log.lines if line.startswith("  to cancel: ")]
    assert sorted(line.split()[2] for line in listed) == sorted(batch)
    assert log.lines.index(listed[-1]) < next(i for i, line in enumerate(log.lines) if line.startswith("Asked"))
    # explicitly asked for: all of the project's unfinished tasks
    result = run_alg("ee_tasks", {"ACTION": "cancel", "PROJECT": FAKE_PROJECT, "INCLUDE_FOREIGN_TASKS": True,
                                  "TASK_TABLE": str(tmp_path / "t.csv")})
    assert [op["metadata"]["state"] for op in foreign] == ["CANCELLED"] * 3


def test_stalled_listing_times_out_and_is_retried_in_words(run_alg, signed_in, batch, tmp_path, monkeypatch):
    import time

    from leaf_qgis.engines.gee import session

    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 0.3)
    signed_in.inject("slow", delay=2.0, method="GET", path_contains="/operations", times=1)
    log = Log()
    started = time.monotonic()
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")},
                     feedback=log)
    assert time.monotonic() - started < 1.8  # did not wait for the stalled answer
    assert result["TASK_COUNT"] == 4
    assert "Earth Engine did not answer within 0.3 s; retrying in 0 s (2/5)." in log.lines


def test_stalled_listing_gives_up_with_a_clear_message(run_alg, signed_in, batch, tmp_path, monkeypatch):
    from leaf_qgis.engines.gee import session

    monkeypatch.setattr(session, "REQUEST_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(session, "RETRY", session.RETRY.but(attempts=2))
    signed_in.inject("slow", delay=1.0, method="GET", path_contains="/operations", times=2)
    with pytest.raises(QgsProcessingException) as caught:
        run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")})
    assert str(caught.value).startswith("Earth Engine did not answer within 0.2 s, even after several tries")


def test_503_with_an_unusual_text_is_retried(run_alg, signed_in, batch, tmp_path):
    signed_in.clear_requests()
    signed_in.inject("status", 503, method="GET", path_contains="/operations", message="Backend taking a nap, zzz.")
    log = Log()
    result = run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")},
                     feedback=log)
    assert result["TASK_COUNT"] == 4
    assert "Earth Engine answered HTTP 503 (unavailable); retrying in 0 s (2/5)." in log.lines
    assert len(signed_in.requests_to("/operations", "GET")) == 2


def test_a_400_mentioning_quota_is_not_retried(run_alg, signed_in, batch, tmp_path):
    signed_in.clear_requests()
    signed_in.inject("status", 400, method="GET", path_contains="/operations",
                     message="Invalid page token; quota, rate limit and backend error are not the problem.")
    with pytest.raises(QgsProcessingException):
        run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(tmp_path / "t.csv")})
    assert len(signed_in.requests_to("/operations", "GET")) == 1


def test_an_echoed_bare_token_reaches_neither_the_log_nor_the_table(run_alg, signed_in, tmp_path, capfd):
    signed_in.token_prefix = "ya29.a0AfB_fake"
    run_alg("produce_gee", {**SUBMIT, "PLAN": str(tmp_path / "plan.json")})
    token = signed_in.issued_tokens[-1]
    assert token.startswith("ya29.")
    name = next(iter(signed_in.operations))
    signed_in.set_state(name, "FAILED", f"Denied for {token}; refresh_token 1//0gSecretRefresh123; "
                                        "client GOCSPX-SecretClient_9; https://storage.googleapis.com/b/o?"
                                        "X-Goog-Credential=x&X-Goog-Signature=deadbeef01 (end)")
    signed_in.inject("status", 503, method="GET", path_contains="/operations", message="Overloaded: {token}")
    log = Log()
    out = tmp_path / "t.csv"
    run_alg("ee_tasks", {"ACTION": "list", "PROJECT": FAKE_PROJECT, "TASK_TABLE": str(out)}, feedback=log)
    captured = capfd.readouterr()
    everything = log.text + captured.out + captured.err + out.read_text()
    for secret in (token, "0gSecretRefresh123", "SecretClient_9", "deadbeef01"):
        assert secret not in everything
    failed = next(r for r in table(out) if r["state"] == "FAILED")
    assert failed["error"].startswith("Denied for [REDACTED]; refresh_token [REDACTED]; client [REDACTED];")
    assert failed["error"].endswith("X-Goog-Signature=[REDACTED] (end)")
