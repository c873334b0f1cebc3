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
    assert result["TASK_COUNT"] == 5


def test_age_filter_uses_creation_time():
    from datetime import datetime, timezone

    from leaf_qgis.engines.gee import tasks

    operations = [{"name": f"projects/p/operations/{i}", "metadata": {"description": f"d{i}", "state": "PENDING",
                                                                       "createTime": created}}
                  for i, created in enumerate(["2024-05-01T10:00:00.5Z", "2024-04-01T10:00:00Z"])]
    now = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    assert [i.row.description for i in tasks.select(operations, max_age_hours=3, now=now)] == ["d0"]
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
    feedback = QgsProcessingFeedback()
    threading.Timer(0.3, feedback.cancel).start()
    result = run_alg("ee_tasks", {"ACTION": "wait", "PROJECT": FAKE_PROJECT, "POLL_SECONDS": 0.05,
                                  "TASK_TABLE": str(tmp_path / "t.csv")}, feedback=feedback)
    assert result["ACTIVE"] == 4
    assert all(op["metadata"]["state"] == "PENDING" for op in signed_in.operations.values())  # tasks go on


def download(run_alg, folder, tmp_path, **extra):
    return run_alg("ee_tasks", {"ACTION": "download", "PROJECT": FAKE_PROJECT, "FOLDER": str(folder),
                                "TASK_TABLE": str(tmp_path / "d.csv"), **extra})


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


def test_download_resumes_a_partial_file(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    (_bucket, name), data = next(iter(signed_in.objects.items()))
    folder = tmp_path / "maps"
    part = folder / (name + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:1000])
    download(run_alg, folder, tmp_path)
    assert (folder / name).read_bytes() == data and not part.exists()
    ranged = [r for r in signed_in.requests if name.split("/")[-1] in r.path and "alt" in r.query]
    assert len(ranged) == 1  # the first 1000 bytes were not fetched again (Range: bytes=1000-)


def test_interrupted_download_never_looks_complete_then_resumes(run_alg, signed_in, batch, tmp_path, monkeypatch):
    from leaf_qgis.engines.gee import submit

    signed_in.advance_all("SUCCEEDED")
    monkeypatch.setattr(submit, "DEFAULT_ATTEMPTS", 1)
    signed_in.inject("reset", method="GET", path_contains="/download/", times=1)
    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path)
    assert "could not be reached" in str(caught.value)
    assert not list(folder.rglob("*.tif"))
    monkeypatch.setattr(submit, "DEFAULT_ATTEMPTS", 5)
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 4


def test_a_dropped_download_is_retried(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    signed_in.inject("reset", method="GET", path_contains="/download/", times=2)
    assert download(run_alg, tmp_path / "maps", tmp_path)["DOWNLOADED"] == 4


def test_damaged_download_is_removed(run_alg, signed_in, batch, tmp_path):
    signed_in.advance_all("SUCCEEDED")
    signed_in.corrupt_downloads = 1
    folder = tmp_path / "maps"
    with pytest.raises(QgsProcessingException) as caught:
        download(run_alg, folder, tmp_path)
    assert "checksum does not match" in str(caught.value)
    assert not list(folder.rglob("*.part")) and not list(folder.rglob("*.tif"))
    assert download(run_alg, folder, tmp_path)["DOWNLOADED"] == 4


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
