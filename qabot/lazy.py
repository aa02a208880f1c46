"""A stage package's public names → its `__getattr__` and `__all__`: each name is imported from its module on first
use, so that importing a package (and `qabot --help`) loads nothing heavy."""

from __future__ import annotations

import importlib


def exports(package: str, where: dict[str, list[str]]):
    """(`__getattr__`, `__all__`) for `package`, whose public names live in its modules: {module: [name, ...]}."""
    module_of = {name: f"{package}.{module}" for module, names in where.items() for name in names}

    def __getattr__(name: str):
        if name in module_of:
            return getattr(importlib.import_module(module_of[name]), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__, sorted(module_of)
