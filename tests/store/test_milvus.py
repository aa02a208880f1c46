"""The Milvus store on a real milvus-lite file: same answers as FAISS, incremental updates, filters, bad input."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from qabot.errors import IndexFolderError
from qabot.evaluation.metrics import load_questions, score
from qabot.frontends.cli import main
from qabot.ingest.passages import CUTTING
from qabot.qa import QA
from qabot.question.filters import Filters
from qabot.settings import Settings
from qabot.store.embed import Embedder
from qabot.store.milvus import LIMITS, MilvusError, build_milvus, collection_names, connect, open_milvus
from tests.conftest import DATA, SEEDS

pytestmark = pytest.mark.milvus
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev.jsonl"
OWN = DATA / "questions.jsonl"  # our own questions about the seeds, in the dev set's format, always here


@pytest.fixture(scope="session")
def seed_milvus(tmp_path_factory, embedder) -> str:
    uri = str(tmp_path_factory.mktemp("milvus") / "seeds.db")
    build_milvus(uri, [SEEDS], embedder, progress=False)
    return uri


@pytest.fixture(scope="session")
def milvus_qa(seed_milvus, embedder) -> QA:
    return QA(open_milvus(seed_milvus, embedder.id), embedder)


@pytest.mark.slow
@pytest.mark.parametrize("question_set", [OWN, pytest.param(DEV, marks=pytest.mark.skipif(
    not DEV.exists(), reason="the shared dev set is not beside this checkout"))], ids=["own", "dev"])
def test_a_question_set_scores_within_002_of_the_faiss_store(qa, milvus_qa, question_set):
    questions = load_questions(question_set)
    faiss = score(questions, [qa.answer(q.question) for q in questions])
    milvus = score(questions, [milvus_qa.answer(q.question) for q in questions])
    for metric in ("hit@1", "hit@5", "mrr@10", "cite_ok", "answer_acc", "false_abstain", "abstain"):
        assert abs(faiss[metric] - milvus[metric]) <= 0.02, (metric, faiss[metric], milvus[metric])


def test_answers_cite_the_same_passages_as_with_faiss(qa, milvus_qa):
    for question in ("吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？", "Who did Tokayev blame for the unrest?"):
        ours, theirs = qa.answer(question), milvus_qa.answer(question)
        assert theirs.answered == ours.answered
        assert [c.passage.id for c in theirs.citations] == [c.passage.id for c in ours.citations]
        assert theirs.text == ours.text


def test_a_question_about_what_the_articles_never_mention_is_refused_as_with_faiss(qa, milvus_qa):
    question = "托卡耶夫的夫人叫什么名字？"  # the passages' vectors come from the collection
    ours, theirs = qa.answer(question), milvus_qa.answer(question)
    assert not theirs.answered and theirs.text == ours.text


def test_filters_are_pushed_down_to_milvus(milvus_qa):
    question = "哈萨克斯坦骚乱造成多少人死亡？"
    by_source = milvus_qa.searcher.search(question, k=20, filters=Filters(source="半岛"))
    assert by_source and all("半岛" in h.passage.source for h in by_source)
    dated = milvus_qa.searcher.search(question, k=20, filters=Filters(since="2022-01-09", until="2022-01-10"))
    assert dated and all("2022-01-09" <= h.passage.date[:10] <= "2022-01-10" for h in dated)
    assert milvus_qa.searcher.search(question, filters=Filters(since="2030-01-01")) == []


def test_sources_and_sizes_come_from_the_collection(milvus_qa, qa):
    assert milvus_qa.index.articles() == qa.index.articles()
    assert milvus_qa.index.size == qa.index.size


def test_updates_upsert_changed_and_delete_removed_articles(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", corpus)
    uri = str(tmp_path / "m.db")
    first = build_milvus(uri, [corpus], embedder, progress=False)
    assert first.added and first.embedded == first.passages
    again = build_milvus(uri, [corpus], embedder, progress=False)
    assert not again.changed_anything and again.embedded == 0
    index = open_milvus(uri, embedder.id)
    victim, kept = sorted(index.files)[:2]
    question = QA(index, embedder).searcher.search(index.files[victim]["title"], k=1)[0].passage.text[:30]
    (corpus / victim).unlink()
    path = corpus / kept
    path.write_text(path.read_text(encoding="utf-8") + "\n\n<p>新增的一段：湖面结冰，渡船停航三天。</p>\n",
                    encoding="utf-8")
    report = build_milvus(uri, [corpus], embedder, progress=False)
    assert report.removed == (victim,) and report.changed == (kept,)
    assert 0 < report.embedded < report.passages
    index = open_milvus(uri, embedder.id)
    assert victim not in index.files and index.size == report.passages
    searcher = QA(index, embedder).searcher
    assert all(h.passage.doc != victim for h in searcher.search(question, k=50))
    assert searcher.search("渡船停航", k=1)[0].passage.doc == kept


def test_a_collection_cut_by_an_older_qabot_is_built_again_once(tmp_path, embedder):
    from qabot.store.milvus import read_json, write_json

    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", corpus)
    uri = str(tmp_path / "m.db")
    first = build_milvus(uri, [corpus], embedder, progress=False)
    client = connect(uri)
    client.load_collection(collection_names("qabot")[2])
    meta = read_json(client, "qabot", "meta")
    assert meta["cutting"] == CUTTING
    del meta["cutting"]  # as written before bylines were passages
    write_json(client, "qabot", "meta", meta)
    again = build_milvus(uri, [corpus], embedder, progress=False)
    assert again.embedded == again.passages == first.passages and set(again.added) == set(first.added)
    assert open_milvus(uri, embedder.id).meta["cutting"] == CUTTING
    assert build_milvus(uri, [corpus], embedder, progress=False).embedded == 0


def test_a_running_reader_picks_up_the_indexers_update(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", corpus)
    uri = str(tmp_path / "m.db")
    build_milvus(uri, [corpus], embedder, progress=False)
    reader = QA(open_milvus(uri, embedder.id), embedder)
    before = reader.index.generation
    (corpus / "new.md").write_text("---\ntitle: 冰湖\ndate: 2024-01-02\n---\n<p>湖面结冰，渡船停航三天。</p>\n",
                                   encoding="utf-8")
    build_milvus(uri, [corpus], embedder, progress=False)
    reader.index._checked = 0.0  # the reader asks Milvus at most every few seconds; now is such a time
    assert reader.reload_if_changed()
    assert reader.index.generation != before
    assert reader.searcher.search("渡船停航", k=1)[0].passage.doc == "new.md"


def test_text_over_the_varchar_limit_is_cut_with_a_warning_and_the_rest_kept(tmp_path, embedder, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    long_title = "很长的标题" * (LIMITS["title"] // 10)
    (corpus / "a.md").write_text(f"---\ntitle: {long_title}\ndate: 2024-01-01\n---\n<p>第一段正文。</p>\n"
                                 "<p>第二段正文，讲的是另一件事。</p>\n", encoding="utf-8")
    (corpus / "b.md").write_text("---\ntitle: 短标题\ndate: 2024-01-02\n---\n<p>别的文章。</p>\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="qabot"):
        report = build_milvus(str(tmp_path / "m.db"), [corpus], embedder, progress=False)
    assert report.passages == report.embedded == 3
    assert any("title" in r.getMessage() and "cut" in r.getMessage() for r in caplog.records)
    index = open_milvus(str(tmp_path / "m.db"), embedder.id)
    hit = QA(index, embedder).searcher.search("第一段正文", k=1)[0]
    assert len(hit.passage.title.encode("utf-8")) <= LIMITS["title"] and hit.passage.title.startswith("很长的标题")


class _Other(Embedder):
    id = "other-model"
    dim = 384


def test_an_index_of_another_embedder_is_refused_with_the_rebuild_command(seed_milvus):
    with pytest.raises(IndexFolderError, match="--rebuild"):
        open_milvus(seed_milvus, _Other.id)


def test_a_missing_index_says_how_to_build_it(tmp_path, embedder):
    with pytest.raises(IndexFolderError, match="qabot index --store milvus"):
        open_milvus(str(tmp_path / "empty.db"), embedder.id)


def test_an_unreachable_milvus_is_one_line_naming_the_uri(capsys):
    uri = "http://127.0.0.1:9"  # the discard port: nothing listens there
    with pytest.raises(MilvusError, match="127.0.0.1:9"):
        connect(uri)
    assert main(["ask", "--store", "milvus", "--milvus-uri", uri, "谁？"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and uri in err[0] and "Traceback" not in err[0]


def test_milvus_without_a_uri_is_a_setting_error(capsys):
    assert main(["ask", "--store", "milvus", "谁？"]) == 2
    assert "--milvus-uri" in capsys.readouterr().err


def test_a_cited_passage_is_found_again_by_its_id(milvus_qa, qa):
    cited = milvus_qa.answer("吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？").citations[0].passage
    assert milvus_qa.index.passage_by_id(cited.id) == cited == qa.index.passage_by_id(cited.id)
    assert milvus_qa.index.passage_by_id("nope.md#1") is None is qa.index.passage_by_id("nope.md#1")
    assert milvus_qa.index.passages_of(cited.doc) == qa.index.passages_of(cited.doc)  # an article, in order
    assert cited in qa.index.passages_of(cited.doc) and milvus_qa.index.passages_of("nope.md") == []


def test_the_cli_indexes_updates_and_answers_through_milvus(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QABOT_STORE", "milvus")
    monkeypatch.setenv("QABOT_MILVUS_URI", str(tmp_path / "cli.db"))
    assert Settings.from_env().store == "milvus"
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", corpus)
    assert main(["index", "--corpus", str(corpus)]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["index"]) == 0  # no --corpus: the folders the index was built from, not the seeds
    out = capsys.readouterr().out
    assert "0 added, 0 changed, 0 removed" in out and "removed:" not in out
    assert main(["sources"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["ask", "--json", "这些文章讲了什么？"]) == 0
    assert '"question"' in capsys.readouterr().out
