"""Example Processing models shipped with the plugin (``*.model3``, written by :mod:`.build_models`).

The ``leaf`` provider offers each one as ``leaf:<model name>`` in the group "LEAF examples". Loading reads two small
XML files and imports no engine.
"""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent


def load_models(folder: Path = MODELS_DIR) -> list:
    """The models of ``folder``, each with its source file path; files QGIS cannot read are skipped."""
    from qgis.core import QgsProcessingModelAlgorithm

    models = []
    for path in sorted(Path(folder).glob("*.model3")):
        model = QgsProcessingModelAlgorithm()
        if model.fromFile(str(path)) and model.name():
            model.setSourceFilePath(str(path))
            models.append(model)
    return models


def add_example_models(provider) -> None:
    """Add the example models to ``provider``.

    A model resolves its steps (``leaf:produce_local``, ``native:zonalstatisticsfb``…) through the Processing
    registry, and it derives its output parameters from them. While the registry is still adding the provider (its
    ``load()`` runs first), the ``leaf`` steps cannot be resolved: the models are then loaded once, when the registry
    announces the provider, so that the toolbox, the modeler and ``qgis_process help`` see their outputs.
    """
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    provider_id = provider.id()
    if registry.providerById(provider_id) is not None:
        for model in load_models():
            provider.addAlgorithm(model)
        return
    # Still being added: the ``leaf`` steps could not be resolved yet, so the model files are read only once, by the
    # refresh below.

    def added(added_id: str) -> None:
        if added_id != provider_id:
            return
        registry.providerAdded.disconnect(added)
        if registry.providerById(provider_id) is provider:
            provider.refreshAlgorithms()

    registry.providerAdded.connect(added)
