"""A question set beside its own articles/ folder is asked of an index of those articles alone."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from qabot.evaluation.folders import cache_folder, own_indexes

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

ARTICLE = """---
title: "Lighthouse keepers return to Carrick Point"
source: Western Shore Gazette
date: 2025-06-02
---

CARRICK POINT - Three keepers moved back into the Carrick Point lighthouse on Sunday, eleven years after the light
was automated, the Coastal Lights Trust said.

The trust spent 1.8 million pounds restoring the tower, which was built in 1871 and stands 41 metres tall.

"People wanted to see a lamp tended by hand again," said Morag Quinlan, the trust's director.
"""


def write_set(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "questions.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def lighthouse_set(tmp_path: Path) -> Path:
    (tmp_path / "lighthouse" / "articles").mkdir(parents=True)
    (tmp_path / "lighthouse" / "articles" / "001-keepers.md").write_text(ARTICLE, encoding="utf-8")
    return write_set(tmp_path / "lighthouse", [
        {"id": "l1", "question": "How much did the trust spend restoring the lighthouse tower?", "lang": "en",
         "type": "number", "answers": ["1.8 million pounds"],
         "gold": [{"doc": "001-keepers.md", "quote": "spent 1.8 million pounds restoring the tower"}]}])


def test_a_set_beside_an_articles_folder_gets_an_index_of_those_articles_alone(qa, tmp_path):
    own_set = lighthouse_set(tmp_path)
    plain = write_set(tmp_path / "plain", [])  # no articles/ beside it: asked of the index given
    (tmp_path / "seeded").mkdir()
    (tmp_path / "seeded" / "articles").symlink_to(SEEDS)  # the folder the given index was built from
    seeded = write_set(tmp_path / "seeded", [])
    own = own_indexes(qa, [str(own_set), str(plain), str(seeded)])
    assert list(own) == [str(own_set)]
    by = own[str(own_set)]
    assert [a["doc"] for a in by.index.articles()] == ["001-keepers.md"]
    answer = by.answer("How much did the trust spend restoring the lighthouse tower?")
    assert answer.answered and "1.8 million pounds" in answer.text
    assert {c.passage.doc for c in answer.citations} == {"001-keepers.md"}
    folder = Path(by.scratch.name)
    assert folder.is_dir()
    del by, own, answer
    import gc

    gc.collect()
    assert not folder.exists()  # the run's indexes go with the last answerer that reads them


def test_eval_asks_each_set_of_its_own_articles(seed_index_dir, tmp_path):
    index_copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_copy)
    seeds_set = write_set(tmp_path / "kz", [
        {"id": "k1", "question": "吉尔吉斯斯坦派出了多少辆装甲车？", "type": "number", "lang": "zh", "answers": ["8辆"],
         "gold": [{"doc": "003_43fb4c2225c36c2c.txt", "quote": "8辆装甲车"}]}])
    result = subprocess.run([sys.executable, "-m", "qabot", "eval", "--json", str(seeds_set), str(lighthouse_set(tmp_path)),
                             "--index", str(index_copy)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["qabot"]["all"]
    assert report["cite_ok"] == 1.0 and report["answer_acc"] == 1.0  # each cited from its own articles


def test_a_sets_index_kept_in_the_cache_is_brought_up_to_date_not_built_again(qa, tmp_path):
    own_set = lighthouse_set(tmp_path)
    cache = tmp_path / "cache"
    first = own_indexes(qa, [str(own_set)], cache=cache)[str(own_set)]
    kept = cache_folder(cache, own_set.parent / "articles", qa.embedder.id)
    manifest = json.loads((kept / "manifest.json").read_text(encoding="utf-8"))
    assert [a["doc"] for a in first.index.articles()] == ["001-keepers.md"] and manifest["passages"] >= 1
    again = own_indexes(qa, [str(own_set)], cache=cache)[str(own_set)]
    assert json.loads((kept / "manifest.json").read_text(encoding="utf-8"))["data"] == manifest["data"]  # nothing rebuilt
    assert "1.8 million pounds" in again.answer("How much did the trust spend restoring the lighthouse tower?").text
    (own_set.parent / "articles" / "002-visitors.md").write_text(ARTICLE.replace("Three keepers", "Visitors"),
                                                                 encoding="utf-8")
    grown = own_indexes(qa, [str(own_set)], cache=cache)[str(own_set)]
    assert sorted(a["doc"] for a in grown.index.articles()) == ["001-keepers.md", "002-visitors.md"]  # one joins
    assert cache_folder(cache, own_set.parent / "articles", "another-model") != kept  # one index per embedder


def test_an_unwritable_cache_falls_back_to_an_index_for_the_run(qa, tmp_path, caplog):
    own_set = lighthouse_set(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    own = own_indexes(qa, [str(own_set)], cache=blocker / "cache")  # cannot be made: a file stands in its path
    assert "1.8 million pounds" in own[str(own_set)].answer("How much did the trust spend restoring the lighthouse "
                                                           "tower?").text
    assert "cannot keep the sets' indexes" in caplog.text


def test_eval_keeps_a_sets_index_in_the_cache_it_is_given(seed_index_dir, tmp_path):
    index_copy = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_copy)
    own_set, cache = lighthouse_set(tmp_path), tmp_path / "cache"
    env = {**os.environ, "QABOT_SETS_CACHE": str(cache)}
    runs = [subprocess.run([sys.executable, "-m", "qabot", "eval", "--json", str(own_set), "--index", str(index_copy)],
                           capture_output=True, text=True, timeout=300, cwd=ROOT, env=env) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert [json.loads(r.stdout)["qabot"]["all"]["answer_acc"] for r in runs] == [1.0, 1.0]
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["lighthouse"]
