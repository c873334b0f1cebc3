"""``DESTINATION=download`` resumes: complete maps kept (after checking them), orphans of a killed run removed."""

from __future__ import annotations

import ee  # noqa: F401 - pinned in requirements-dev.txt: a broken install must fail, not skip
import pytest
from qgis.core import QgsProcessingException

from tests.fake_ee.fixtures import FAKE_PROJECT

DIRECT = {"TILES": "", "EXTENT": "-75.72,-75.70,45.40,45.42 [EPSG:4326]", "REGION_NAME": "site", "SENSOR": "S2",
          "YEAR": 2020, "MONTHS": ["Jul"], "PRODUCTS": ["LAI"], "RESOLUTION": 20, "DESTINATION": "download",
          "DRY_RUN": False, "PROJECT": FAKE_PROJECT}
LAI, QC = "site_2020_Jul_LAI_20m.tif", "site_2020_Jul_QC_20m.tif"


@pytest.fixture()
def params(tmp_path, monkeypatch) -> dict:
    from leaf_qgis.engines.gee import direct

    monkeypatch.setattr(direct, "MAX_REQUEST_BYTES", 40 * 40)  # several pieces per map
    return {**DIRECT, "PLAN": str(tmp_path / "plan.json"), "DOWNLOAD_FOLDER": str(tmp_path / "maps")}


def fetched(fake) -> int:
    return len(fake.requests_to("image:computePixels", "POST"))


def test_an_interrupted_direct_download_resumes(run_alg, signed_in, tmp_path, params, monkeypatch):
    from osgeo import gdal

    from leaf_qgis.engines.gee import session

    folder = tmp_path / "maps"
    run_alg("produce_gee", params)
    per_map = fetched(signed_in) // 2
    assert per_map > 1
    lai_bytes = (folder / LAI).read_bytes()
    # the second map fails half way for good (a dropped connection on every try): the first stays, nothing else
    monkeypatch.setattr(session, "RETRY", session.RETRY.but(attempts=1))
    (folder / QC).unlink()
    signed_in.clear_requests()
    signed_in.inject("reset", method="POST", path_contains="computePixels", skip=1)
    with pytest.raises(QgsProcessingException, match="could not be reached"):
        run_alg("produce_gee", params)
    assert sorted(p.name for p in folder.iterdir()) == [LAI]
    assert fetched(signed_in) == 2  # the complete LAI map was not fetched again
    # a killed run leaves its temporary files behind (an empty one among them)
    (folder / "site_2020_Jul_QC_20m.partial-0a1b2c3d.tif").write_bytes(b"")
    (folder / "site_2020_Jul_QC_20m.partial-deadbeef.tif").write_bytes(b"II*\x00half")
    (folder / "site_2020_Jul_QC_20m.partial-deadbeef.tif.aux.xml").write_text("<PAMDataset/>")
    (folder / "mine.partial-0a1b2c3d.tif").write_bytes(b"not ours")  # not a name of this plan: kept
    signed_in.clear_requests()
    result = run_alg("produce_gee", params)
    assert sorted(p.name for p in folder.iterdir()) == sorted([LAI, QC, "mine.partial-0a1b2c3d.tif"])
    assert fetched(signed_in) == per_map  # only the missing map
    assert (folder / LAI).read_bytes() == lai_bytes  # kept as it was
    assert sorted(result["OUTPUT_LAYERS"]) == [str(folder / LAI), str(folder / QC)]
    assert gdal.Open(str(folder / QC)).RasterXSize > 0
    assert not [p for p in folder.iterdir() if p.stat().st_size == 0]


def test_a_damaged_or_different_map_is_fetched_again(run_alg, signed_in, tmp_path, params):
    from osgeo import gdal

    folder = tmp_path / "maps"
    run_alg("produce_gee", params)
    per_map = fetched(signed_in) // 2
    qc = (folder / QC).read_bytes()
    (folder / QC).write_bytes(qc[: len(qc) // 2])  # truncated
    dataset = gdal.Open(str(folder / LAI), gdal.GA_Update)  # a map of another request under the same name
    dataset.SetMetadataItem("LEAF_EXPRESSION_SHA256", "0" * 64)
    dataset = None
    signed_in.clear_requests()
    run_alg("produce_gee", params)
    assert fetched(signed_in) == 2 * per_map
    assert gdal.Open(str(folder / LAI)).GetMetadataItem("LEAF_EXPRESSION_SHA256") != "0" * 64
    assert (folder / QC).stat().st_size == len(qc)
    signed_in.clear_requests()
    run_alg("produce_gee", params)  # now both complete: nothing fetched
    assert fetched(signed_in) == 0
