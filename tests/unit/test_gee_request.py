"""Bad Earth Engine requests are refused with a clear message before anything is built or written."""

from __future__ import annotations

from datetime import date

import pytest

from leaf_qgis.core.errors import LeafError
from leaf_qgis.core.periods import Period
from leaf_qgis.engines.gee import request as rq

TILE = rq.tile_regions(["tile55"])


def make(**kw):
    args = dict(regions=TILE, sensor_key="S2", periods=[Period.month(2020, 7)], outputs=["LAI"], resolution_m=20)
    args.update(kw)
    return rq.make_request(**args)


def test_valid_request():
    request = make(outputs=["lai", "date", "QC"])
    assert request.products == ("LAI",) and request.maps == ("DATE",)
    assert request.outputs_per_period() == ("LAI", "QC", "DATE")


@pytest.mark.parametrize("kw,fragment", [
    (dict(sensor_key="L8", periods=[Period.month(2010, 7)]), "2013"),
    (dict(sensor_key="L5", periods=[Period.month(2013, 7)]), "2012"),
    (dict(sensor_key="S2", periods=[Period.month(2016, 7)]), "2017"),
    (dict(sensor_key="S2_10M"), "Unknown sensor"),
    (dict(outputs=["LAI", "NDVI"]), "Unknown product"),
    (dict(outputs=[]), "at least one"),
    (dict(resolution_m=5), "resolution"),
    (dict(resolution_m=50000), "resolution"),
    (dict(resolution_m=70), "300 000"),
    (dict(destination="gcs", bucket="Bad_Bucket"), "bucket"),
    (dict(destination="gcs", bucket=""), "bucket"),
    (dict(destination="gcs", bucket="google-maps"), "bucket"),
    (dict(folder="a/b"), "folder"),
    (dict(folder='bad:name'), "folder"),
    (dict(destination="asset", asset_root="my folder"), "asset"),
    (dict(destination="ftp"), "destination"),
    (dict(periods=[]), "period"),
    (dict(regions=[]), "region"),
])
def test_bad_requests(kw, fragment):
    with pytest.raises(LeafError) as error:
        make(**kw)
    assert fragment.lower() in str(error.value).lower()


def test_bad_tiles_months_dates_and_regions():
    with pytest.raises(LeafError, match="tile58"):
        rq.tile_regions(["tile55", "tile58"])
    with pytest.raises(LeafError, match="13"):
        Period.month(2020, 13)
    with pytest.raises(LeafError, match="before"):
        Period.date_range(date(2020, 7, 2), date(2020, 7, 1))
    with pytest.raises(LeafError, match="empty"):
        rq.custom_region("aoi", {"type": "Polygon", "coordinates": []})
    with pytest.raises(LeafError, match="file names"):
        rq.custom_region("my aoi", {"type": "Polygon", "coordinates": [[[-75, 45], [-74, 45], [-74, 46], [-75, 45]]]})


def test_custom_region_outside_coverage():
    with pytest.raises(LeafError, match="outside"):
        rq.custom_region("paris", {"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 48]]]})


def test_custom_regions_accept_any_resolution_in_range():
    region = rq.custom_region("aoi", {"type": "Polygon", "coordinates": [[[-75, 45], [-74, 45], [-74, 46],
                                                                          [-75, 45]]]})
    assert rq.make_request([region], "S2", [Period.month(2020, 7)], ["LAI"], 70).resolution_m == 70


def test_a_zero_area_custom_region_and_a_future_year_are_refused():
    from leaf_qgis.core.sensors import SENSORS

    request = rq
    line = {"type": "Polygon", "coordinates": [[[-76.0, 45.0], [-75.0, 45.0], [-76.0, 45.0]]]}
    with pytest.raises(LeafError, match="zero area"):
        request.custom_region("flat", line)
    with pytest.raises(LeafError, match=r"2031-07-01 – 2031-07-31 is in the future \(today is 2030-05-01\).*up to "
                                        r"2030"):
        request.check_year(SENSORS["S2"], Period.month(2031, 7), today=date(2030, 5, 1))
    request.check_year(SENSORS["S2"], Period.month(2030, 4), today=date(2030, 5, 1))  # begun: accepted
