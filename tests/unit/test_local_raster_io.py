"""Block windows, grids, destination checks and the atomic output set of the local engine (no QGIS)."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
from osgeo import gdal

from leaf_qgis.core.errors import LeafError
from leaf_qgis.rasters import raster_io
from leaf_qgis.rasters.raster_io import Grid, OutputSet, OutputSpec, Window, windows
from tests.local_factory import write_raster


@pytest.mark.parametrize("width,height,max_pixels", [(5490, 5490, 1_500_000), (200, 200, 1_500_000),
                                                      (50_000, 300, 1_500_000), (700, 1000, 65_536), (1, 1, 10)])
def test_windows_cover_the_raster_once_tile_aligned_and_bounded(width, height, max_pixels):
    found = windows(width, height, max_pixels)
    cover = np.zeros((height, width), dtype=np.int32)
    for w in found:
        cover[w.yoff:w.yoff + w.ysize, w.xoff:w.xoff + w.xsize] += 1
        assert w.xoff % raster_io.TILE == 0 and w.yoff % raster_io.TILE == 0
        assert w.pixels <= max(max_pixels, raster_io.TILE**2)
    assert (cover == 1).all()


def test_full_s2_tile_is_processed_in_windows_of_four_whole_tiles():
    found = windows(5490, 5490)
    assert found[0] == Window(0, 0, 1024, 256) and found[5] == Window(5120, 0, 370, 256)
    assert len(found) == 6 * 22


def test_grid_comparison_tolerates_rounding_but_not_a_shift_or_another_crs(tmp_path):
    a = Grid(10, 10, (0.0, 20.0, 0.0, 100.0, 0.0, -20.0), _wkt(3979))
    assert a.same_as(Grid(10, 10, (1e-9, 20.0, 0.0, 100.0, 0.0, -20.0), _wkt(3979)))
    assert not a.same_as(Grid(10, 10, (10.0, 20.0, 0.0, 100.0, 0.0, -20.0), _wkt(3979)))
    assert not a.same_as(Grid(10, 11, a.geotransform, a.projection))
    assert not a.same_as(Grid(10, 10, a.geotransform, _wkt(32614)))
    assert "EPSG:3979" in a.describe()


def test_open_raster_names_the_parameter_and_the_path(tmp_path):
    with pytest.raises(LeafError, match=r"LANDCOVER.*nothing\.tif"):
        raster_io.open_raster(str(tmp_path / "nothing.tif"), "LANDCOVER")


def _wkt(epsg):
    from tests.local_factory import srs_wkt

    return srs_wkt(epsg)


def _spec(path, key="LAI"):
    return OutputSpec(key, str(path), gdal.GDT_Byte, 255, scale=0.05, offset=0.0, predictor=2)


def test_output_set_writes_atomically_with_scale_nodata_and_tiling(tmp_path):
    grid = Grid(300, 20, (0.0, 20.0, 0.0, 0.0, 0.0, -20.0), _wkt(3979))
    target = tmp_path / "sub" / "lai.tif"
    with OutputSet([_spec(target)], grid, {"LEAF_SENSOR": "S2"}) as outputs:
        outputs.write("LAI", Window(0, 0, 300, 20), np.full((20, 300), 7, np.uint8))
        assert not target.exists()  # nothing visible before the commit
        done = outputs.commit()
    assert done == {"LAI": str(target)}
    ds = gdal.Open(str(target))
    band = ds.GetRasterBand(1)
    assert band.GetScale() == 0.05 and band.GetNoDataValue() == 255
    assert band.GetBlockSize() == [256, 256]
    assert ds.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert ds.GetMetadataItem(raster_io.LEAF_OUTPUT_TAG) == "LAI" and ds.GetMetadataItem("LEAF_SENSOR") == "S2"
    assert os.listdir(target.parent) == ["lai.tif"]


def test_output_set_leaves_nothing_behind_on_error(tmp_path):
    grid = Grid(10, 10, (0.0, 20.0, 0.0, 0.0, 0.0, -20.0), _wkt(3979))
    with pytest.raises(RuntimeError), OutputSet([_spec(tmp_path / "new" / "deeper" / "lai.tif")], grid):
        raise RuntimeError("boom")
    assert os.listdir(tmp_path) == []


def test_destinations_refuse_foreign_files_inputs_duplicates_and_non_geotiff(tmp_path):
    user_file = tmp_path / "mine.tif"
    write_raster(user_file, np.zeros((2, 2), np.uint8))
    with pytest.raises(LeafError, match="already exists and is not a LEAF output"):
        raster_io.check_destinations({"LAI": str(user_file)}, [])
    with pytest.raises(LeafError, match="is one of the inputs"):
        raster_io.check_destinations({"LAI": str(user_file)}, [str(user_file)])
    with pytest.raises(LeafError, match="same file"):
        raster_io.check_destinations({"LAI": str(tmp_path / "a.tif"), "QC": str(tmp_path / "a.tif")}, [])
    with pytest.raises(LeafError, match="GeoTIFF only"):
        raster_io.check_destinations({"LAI": str(tmp_path / "a.png")}, [])
    with pytest.raises(LeafError, match="existing folder"):
        (tmp_path / "dir.tif").mkdir()
        raster_io.check_destinations({"LAI": str(tmp_path / "dir.tif")}, [])
    assert sorted(os.listdir(tmp_path)) == ["dir.tif", "mine.tif"]


def test_a_previous_leaf_output_may_be_replaced(tmp_path):
    grid = Grid(4, 4, (0.0, 20.0, 0.0, 0.0, 0.0, -20.0), _wkt(3979))
    target = tmp_path / "lai.tif"
    for value in (3, 9):
        raster_io.check_destinations({"LAI": str(target)}, [])
        with OutputSet([_spec(target)], grid) as outputs:
            outputs.write("LAI", Window(0, 0, 4, 4), np.full((4, 4), value, np.uint8))
            outputs.commit()
    assert gdal.Open(str(target)).ReadAsArray()[0, 0] == 9


def test_a_second_run_of_the_same_process_waits_for_the_first(tmp_path):
    """QGIS runs Processing algorithms in threads of one process: the lock's process id is then ours, and the second
    run must neither take the lock over nor delete the first run's temporary file."""
    grid = Grid(4, 4, (0.0, 20.0, 0.0, 0.0, 0.0, -20.0), _wkt(3979))
    target = tmp_path / "lai.tif"
    with OutputSet([_spec(target)], grid) as first:
        partial = [name for name in os.listdir(tmp_path) if ".partial-" in name]
        assert open(str(target) + raster_io.LOCK_SUFFIX, encoding="ascii").read() == str(os.getpid())
        with pytest.raises(LeafError, match="being written by another run") as caught:
            OutputSet([_spec(target)], grid).__enter__()
        assert "delete the lock file" in str(caught.value) and raster_io.LOCK_SUFFIX in str(caught.value)
        assert [name for name in os.listdir(tmp_path) if ".partial-" in name] == partial  # still there
        first.write("LAI", Window(0, 0, 4, 4), np.full((4, 4), 7, np.uint8))
        first.commit()
    assert gdal.Open(str(target)).ReadAsArray()[0, 0] == 7
    assert sorted(os.listdir(tmp_path)) == ["lai.tif"]  # lock released, nothing left aside
    with OutputSet([_spec(target)], grid) as again:  # and the next run may take it
        again.write("LAI", Window(0, 0, 4, 4), np.full((4, 4), 8, np.uint8))
        again.commit()
    assert gdal.Open(str(target)).ReadAsArray()[0, 0] == 8


@pytest.fixture()
def read_only_folder(tmp_path):
    """A folder nobody can write into, not even root (chmod, plus the immutable attribute when root)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
    try:
        (folder / "probe").touch()
    except OSError:
        pass
    else:
        (folder / "probe").unlink()
        pytest.skip("cannot make a read-only folder on this file system")
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_read_only_folder_is_refused_before_writing(read_only_folder):
    with pytest.raises(LeafError, match="read-only"):
        raster_io.check_destinations({"QC": str(read_only_folder / "qc.tif")}, [])
    assert os.listdir(read_only_folder) == []


def test_run_cache_holds_two_rows_of_input_blocks_and_48_mb_at_least(tmp_path, monkeypatch):
    """A 256-px tiled stack needs little (48 MB, the floor); 1024-px tiles across a wide raster need two block rows,
    also behind a VRT (a Sentinel-2 product's stack: its sources' blocks count); a VRT whose sources cannot be
    opened gets 192 MB; one block per band (an untiled JPEG 2000) is capped at 512 MB."""
    from leaf_qgis.rasters.raster_io import CACHE_BYTES, MAX_CACHE_BYTES, MIN_CACHE_BYTES, run_cache_bytes

    def stack(name: str, size: int, bands: int, options: list[str]) -> gdal.Dataset:
        ds = gdal.GetDriverByName("GTiff").Create(str(tmp_path / name), size, size, bands, gdal.GDT_UInt16, options)
        ds.SetGeoTransform((300000.0, 20.0, 0.0, 5500020.0, 0.0, -20.0))
        return ds

    small = stack("tiled.tif", 3660, 8, ["TILED=YES", "SPARSE_OK=YES"])
    assert run_cache_bytes([small]) == MIN_CACHE_BYTES
    wide = stack("wide.tif", 10980, 4, ["TILED=YES", "BLOCKXSIZE=1024", "BLOCKYSIZE=1024", "SPARSE_OK=YES"])
    row = 11 * 1024 * 1024 * 2  # 11 tiles across, uint16, per band
    assert run_cache_bytes([wide]) == 2 * 4 * row
    assert run_cache_bytes([small, wide]) == 2 * (4 * row + 8 * 15 * 256 * 256 * 2)
    files = []
    for name in ("B04.tif", "B8A.tif", "B11.tif"):  # one band per file, as in a Sentinel-2 product
        stack(name, 10980, 1, ["TILED=YES", "BLOCKXSIZE=1024", "BLOCKYSIZE=1024", "SPARSE_OK=YES"]).FlushCache()
        files.append(str(tmp_path / name))
    vrt = gdal.BuildVRT(str(tmp_path / "stack.vrt"), files, separate=True)
    assert run_cache_bytes([vrt]) == 2 * 3 * row
    monkeypatch.setattr(vrt, "GetFileList", lambda: [str(tmp_path / "stack.vrt"), str(tmp_path / "gone.tif")])
    assert run_cache_bytes([vrt]) == CACHE_BYTES
    untiled = stack("untiled.tif", 12000, 2, ["BLOCKYSIZE=12000", "SPARSE_OK=YES"])
    assert run_cache_bytes([untiled]) == MAX_CACHE_BYTES


def test_a_tif_and_a_tiff_runs_keep_each_others_temporary_files(tmp_path):
    """Two runs of one process writing a.tif and a.tiff in one folder (two Processing threads): each temporary file
    keeps its output's extension, so preparing a.tiff neither takes a.tif's for a leftover nor is taken by it; the
    leftover of a killed a.tiff run is still removed, and a.tif's is recognised under the name it always had."""
    assert raster_io.partial_name("a.tif", "0123abcd") == "a.partial-0123abcd.tif"
    assert raster_io.partial_name("a.tiff", "0123abcd") == "a.partial-0123abcd.tiff"
    assert raster_io.partial_name("a", "0123abcd") == "a.partial-0123abcd"
    grid = Grid(4, 4, (0.0, 20.0, 0.0, 0.0, 0.0, -20.0), _wkt(3979))
    for name in ("a.partial-deadbeef.tiff", "a.partial-deadbeef.tiff.aux.xml"):  # a killed a.tiff run
        (tmp_path / name).write_bytes(b"half")
    with OutputSet([_spec(tmp_path / "a.tif")], grid) as tif:
        ours = [name for name in os.listdir(tmp_path) if name.endswith(".tif") and ".partial-" in name]
        assert len(ours) == 1 and raster_io.PARTIAL_PATTERN.match(ours[0]).group("stem", "extension") == ("a", ".tif")
        assert (tmp_path / "a.partial-deadbeef.tiff").exists()  # not a.tif's to remove
        with OutputSet([_spec(tmp_path / "a.tiff")], grid) as tiff:
            assert not (tmp_path / "a.partial-deadbeef.tiff").exists()
            assert not (tmp_path / "a.partial-deadbeef.tiff.aux.xml").exists()
            assert (tmp_path / ours[0]).exists()  # the running a.tif's file is kept
            tiff.write("LAI", Window(0, 0, 4, 4), np.full((4, 4), 5, np.uint8))
            tiff.commit()
        tif.write("LAI", Window(0, 0, 4, 4), np.full((4, 4), 6, np.uint8))
        tif.commit()
    assert sorted(os.listdir(tmp_path)) == ["a.tif", "a.tiff"]
    assert gdal.Open(str(tmp_path / "a.tif")).ReadAsArray()[0, 0] == 6
    assert gdal.Open(str(tmp_path / "a.tiff")).ReadAsArray()[0, 0] == 5
