"""The package reads as the pipeline: stage subpackages with a docstring and their exports, imports running one way
(front ends → answer → search → question, store → ingest → language), and modules small enough to read at once."""

import ast
import importlib

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "qabot"
# A stage may import the stages of a lower rank only (and `errors`, `settings`, which every stage may read).
RANK = {"language": 0, "ingest": 1, "store": 2, "question": 2, "search": 3, "answer": 4, "qa": 5, "evaluation": 6,
        "frontends": 7}
BASE = {"errors", "settings", "lazy", ""}  # "": qabot's own __version__
STAGES = [name for name in RANK if (PACKAGE / name).is_dir()]
MOST_LINES = 450  # "about 400": a module one reads in a sitting


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path):
    """(imported qabot module, imported names) of every import in the file, including those inside functions."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qabot":
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "qabot":
                    yield alias.name, []


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_every_stage_is_a_subpackage_that_says_what_goes_in_and_comes_out():
    assert set(STAGES) == set(RANK) - {"qa"}
    for stage in STAGES:
        package = importlib.import_module(f"qabot.{stage}")
        opening = (package.__doc__ or "").split("\n")[0]
        assert "→" in opening or "↔" in opening, f"qabot/{stage}/__init__.py: say what goes in and comes out"
        for name in package.__all__:  # each export resolves (lazily: nothing heavy is loaded by the package)
            assert getattr(package, name) is not None, (stage, name)


def test_imports_run_one_way_down_the_pipeline():
    wrong = []
    for path, module in _modules():
        here = _stage(module)
        if here not in RANK:
            continue
        for target, _ in _imports(path):
            there = _stage(target)
            if there in BASE or there == here:
                continue
            if RANK[there] >= RANK[here]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_base_modules_import_no_stage():
    for name in BASE - {""}:
        imported = {_stage(target) for target, _ in _imports(PACKAGE / f"{name}.py")}
        assert imported <= BASE, (name, imported)


def test_no_module_reaches_into_another_stages_private_names():
    wrong = [f"{module}: {target} {names}" for path, module in _modules() for target, names in _imports(path)
             if _stage(target) != _stage(module) and any(n.startswith("_") and n != "__version__" for n in names)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_short_and_open_with_what_they_do(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MOST_LINES
    if path.name not in ("__main__.py",) and text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path} has no opening docstring"


def test_tests_mirror_the_package():
    for stage in STAGES:
        assert (ROOT / "tests" / stage).is_dir(), f"tests/{stage}/ is missing"
