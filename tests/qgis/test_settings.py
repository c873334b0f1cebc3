def test_settings_appear_in_processing_options(leaf_provider):
    from processing.core.ProcessingConfig import ProcessingConfig
    from qgis.core import QgsSettings

    from leaf_qgis import settings

    assert ProcessingConfig.settings[settings.NETWORKS_FOLDER].group == leaf_provider.name()
    QgsSettings().setValue(settings.PREFIX + settings.NETWORKS_FOLDER, "/data/networks")
    try:
        ProcessingConfig.readSettings()
        assert ProcessingConfig.getSetting(settings.NETWORKS_FOLDER) == "/data/networks"
        assert settings.networks_folder() == "/data/networks"
    finally:
        QgsSettings().remove(settings.PREFIX + settings.NETWORKS_FOLDER)
