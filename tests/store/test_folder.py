import json
import re
import shutil

import numpy as np
import pytest

from qabot.errors import CorpusError, IndexFolderError
from qabot.ingest.passages import CUTTING
from qabot.store.build import build_index
from qabot.store.embed import Embedder
from qabot.store.folder import load_index, read_manifest, stale_reason
from tests.conftest import DATA


class BrokenEmbedder(Embedder):
    """An embedder that fails part-way, as a crash or Ctrl-C during indexing would."""

    def __init__(self, real: Embedder):
        self.id, self.dim, self.real, self.calls = real.id, real.dim, real, 0

    def embed(self, texts, kind):
        self.calls += 1
        if self.calls > 1:
            raise KeyboardInterrupt
        return self.real.embed(texts, kind)


def test_index_folder_holds_plain_versioned_files(seed_index_dir, embedder):
    manifest = json.loads((seed_index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "qabot-index 2"
    assert manifest["embedder"] == {"id": embedder.id, "dim": 384}
    assert set(manifest["files"]) == {f"00{i}_" + n for i, n in enumerate(
        ["3d1e31ddb775a502.txt", "56ee838238a0b77d.txt", "79e70fd7e8a55cd2.txt", "43fb4c2225c36c2c.txt",
         "2dd93752a08fcbe6.txt"])}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    data = seed_index_dir / manifest["data"]
    assert {p.name for p in data.iterdir()} == {"passages.jsonl", "dense.faiss", "bm25", "sentences.npy",
                                                "sentence_offsets.npy", "tokens.jsonl",
                                                "passage_offsets.npy", "passage_docs.npy", "passage_docs.json"}
    assert (data / "bm25" / "params.index.json").exists()
    assert not list(seed_index_dir.rglob("*.pkl"))
    index = load_index(seed_index_dir, embedder.id)
    assert index.dense.ntotal == len(index.passages) == manifest["passages"]
    norms = np.linalg.norm(index.dense.reconstruct_n(0, 5), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)
    assert index.sentence_offsets[-1] == len(index.sentence_vectors) > len(index.passages)
    lines = (data / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    assert [p.id for p in index.passages] == [json.loads(line)["id"] for line in lines]
    assert index.passages[-1].id == json.loads(lines[-1])["id"]
    docs = json.loads((data / "passage_docs.json").read_text(encoding="utf-8"))
    assert [docs[i] for i in index.passages.doc_of] == [json.loads(line)["doc"] for line in lines]


def test_an_index_without_row_columns_still_loads(tmp_path, seed_index_dir, embedder):
    copy = tmp_path / "old-index"
    shutil.copytree(seed_index_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    for name in ("passage_offsets.npy", "passage_docs.npy", "passage_docs.json"):
        (copy / manifest["data"] / name).unlink()
    old, new = load_index(copy, embedder.id), load_index(seed_index_dir, embedder.id)
    assert list(old.passages) == list(new.passages)
    assert old.passages.doc_of.tolist() == new.passages.doc_of.tolist()


def test_reindexing_embeds_only_new_and_changed_articles(corpus_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(index_dir, [corpus_copy], embedder, progress=False)
    assert len(first.added) == 5 and first.embedded == first.passages
    assert stale_reason(read_manifest(index_dir)) is None

    again = build_index(index_dir, [corpus_copy], embedder, progress=False)
    assert not again.changed_anything and again.embedded == 0

    (corpus_copy / "plain_no_front_matter.txt").write_text("水库今天开始泄洪。\n", encoding="utf-8")
    (corpus_copy / "iso_date.md").unlink()
    shutil.copy(DATA / "bad" / "good.md", corpus_copy / "new.md")
    assert stale_reason(read_manifest(index_dir)) == "1 new, 1 changed, 1 removed file(s)"
    update = build_index(index_dir, [corpus_copy], embedder, progress=False)
    assert update.added == ("new.md",)
    assert update.changed == ("plain_no_front_matter.txt",)
    assert update.removed == ("iso_date.md",)
    assert update.embedded == 1 + 6  # the changed article's one passage; the new article's four, caption, byline
    index = load_index(index_dir, embedder.id)
    assert "水库今天开始泄洪。" in [p.text for p in index.passages]
    assert not [p for p in index.passages if p.doc == "iso_date.md"]
    # reused vectors still belong to their passages
    row = next(i for i, p in enumerate(index.passages) if p.doc == "markdown_body.markdown")
    fresh = embedder.embed([index.passages[row].text], "passage")[0]
    assert float(index.dense.reconstruct(row) @ fresh) > 0.999
    assert len([p for p in index_dir.iterdir() if p.name.startswith("data-")]) == 1  # old data removed


def test_an_index_cut_by_an_older_qabot_is_read_again(corpus_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(index_dir, [corpus_copy], embedder, progress=False)
    manifest = read_manifest(index_dir)
    assert manifest["cutting"] == CUTTING
    del manifest["cutting"]  # as written before bylines were passages: its unchanged files' passages lack them
    (index_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert "cut into passages by another qabot version" in stale_reason(read_manifest(index_dir))
    again = build_index(index_dir, [corpus_copy], embedder, progress=False)
    assert again.embedded == again.passages == first.passages  # every article read and embedded again
    assert read_manifest(index_dir)["cutting"] == CUTTING and stale_reason(read_manifest(index_dir)) is None


def test_touching_a_file_without_changing_it_changes_nothing(corpus_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(index_dir, [corpus_copy], embedder, progress=False)
    path = corpus_copy / "iso_date.md"
    path.write_bytes(path.read_bytes())
    assert stale_reason(read_manifest(index_dir)) is None


def test_a_crash_while_indexing_leaves_the_previous_index_intact(corpus_copy, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(index_dir, [corpus_copy], embedder, progress=False)
    before = (index_dir / "manifest.json").read_text(encoding="utf-8")
    for name in ("a.md", "b.md"):
        # distinct paragraphs: identical ones would be embedded once, in one batch, before the crash
        (corpus_copy / name).write_text("---\ntitle: x\n---\n" + "".join(f"<p>{name}新的第{i}段。</p>" for i in range(20)),
                                        encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index(index_dir, [corpus_copy], BrokenEmbedder(embedder), rebuild=True, progress=False)
    assert (index_dir / "manifest.json").read_text(encoding="utf-8") == before
    assert len(load_index(index_dir, embedder.id).passages) == json.loads(before)["passages"]


def test_an_index_of_another_embedder_is_refused_with_the_rebuild_command(seed_index_dir):
    with pytest.raises(IndexFolderError, match="rebuild it with: qabot index"):
        load_index(seed_index_dir, "st:some-other-model")


@pytest.mark.parametrize("damage", ["truncate_manifest", "delete_faiss", "truncate_passages", "no_manifest"])
def test_a_damaged_or_missing_index_is_a_clear_error(seed_index_dir, tmp_path, embedder, damage):
    index_dir = tmp_path / "copy"
    shutil.copytree(seed_index_dir, index_dir)
    data = index_dir / read_manifest(index_dir)["data"]
    if damage == "truncate_manifest":
        text = (index_dir / "manifest.json").read_text(encoding="utf-8")
        (index_dir / "manifest.json").write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "delete_faiss":
        (data / "dense.faiss").unlink()
    elif damage == "truncate_passages":
        lines = (data / "passages.jsonl").read_text(encoding="utf-8").splitlines()
        (data / "passages.jsonl").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    else:
        (index_dir / "manifest.json").unlink()
    with pytest.raises(IndexFolderError, match="qabot index --index"):
        load_index(index_dir, embedder.id)


def test_a_folder_with_other_files_is_not_overwritten(tmp_path, corpus_copy, embedder):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(IndexFolderError, match="not a qabot index"):
        build_index(folder, [corpus_copy], embedder, progress=False)
    assert (folder / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_a_corpus_with_no_readable_article_is_an_error(tmp_path, embedder):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no readable articles"):
        build_index(tmp_path / "index", [empty], embedder, progress=False)


def test_bad_files_are_skipped_and_the_rest_indexed(tmp_path, embedder):
    report = build_index(tmp_path / "index", [DATA / "bad"], embedder, progress=False)
    assert set(report.added) == {"good.md", "gbk.md"}  # a GB18030 file is read (with a warning)
    assert set(report.skipped) == {"binary.txt", "broken_yaml.md", "no_body.md"}
    # the skipped files are remembered, so they do not make the index look stale
    assert stale_reason(read_manifest(tmp_path / "index")) is None


def test_a_second_copy_of_an_article_is_skipped_naming_the_first(tmp_path, embedder, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (DATA / "bad" / "good.md").read_text(encoding="utf-8")
    (corpus / "a.md").write_text(text, encoding="utf-8")
    (corpus / "b.md").write_text(text + "\n\n", encoding="utf-8")  # other bytes, the same article
    (corpus / "a copy.md").write_text(text, encoding="utf-8")  # read first, but the longer name
    with caplog.at_level("WARNING"):
        report = build_index(tmp_path / "index", [corpus], embedder, progress=False)
    assert report.added == ("a.md",) and set(report.skipped) == {"a copy.md", "b.md"}
    assert "b.md: the same article as a.md" in caplog.text and "a copy.md: the same article as a.md" in caplog.text
    assert stale_reason(read_manifest(tmp_path / "index")) is None
    (corpus / "a.md").unlink()  # the copy indexed gone, another is indexed in its place
    report = build_index(tmp_path / "index", [corpus], embedder, progress=False)
    assert report.added == ("b.md",) and report.removed == ("a.md",) and report.skipped == ("a copy.md",)


def test_an_hnsw_index_answers_like_the_exact_one(corpus_copy, tmp_path, embedder):
    from qabot.question.filters import Filters
    from qabot.search.searcher import Searcher

    build_index(tmp_path / "flat", [corpus_copy], embedder, progress=False, dense="flat")
    build_index(tmp_path / "hnsw", [corpus_copy], embedder, progress=False, dense="hnsw")
    exact, graph = load_index(tmp_path / "flat", embedder.id), load_index(tmp_path / "hnsw", embedder.id)
    assert graph.manifest["dense"]["type"] == "hnsw" and exact.manifest["dense"]["type"] == "flat"
    for question in ("How many stalls are at the night market?", "水库蓄水量是多少？"):
        ids = [h.passage.id for h in Searcher(exact, embedder).search(question, k=5)]
        assert [h.passage.id for h in Searcher(graph, embedder).search(question, k=5)] == ids
    filtered = Searcher(graph, embedder).search("bridge", k=5, filters=Filters(source="Coastal"))
    assert filtered and all(h.passage.source == "Coastal Times" for h in filtered)


def test_auto_picks_exact_search_for_small_indexes_and_a_graph_for_large_ones():
    from qabot.store.build import EXACT_UP_TO, dense_kind

    assert dense_kind("auto", 117) == "flat" and dense_kind("auto", EXACT_UP_TO + 1) == "hnsw"
    assert dense_kind("flat", 10**7) == "flat"
    with pytest.raises(IndexFolderError, match="choose from auto, flat, hnsw"):
        dense_kind("ivf", 10)


def test_a_running_answerer_picks_up_a_rebuilt_index(corpus_copy, tmp_path, embedder):
    from qabot.qa import QA

    index_dir = tmp_path / "index"
    build_index(index_dir, [corpus_copy], embedder, progress=False)
    qa = QA(load_index(index_dir, embedder.id), embedder)
    assert not qa.reload_if_changed()
    (corpus_copy / "ferry.md").write_text("---\ntitle: Ferry\n---\n<p>The island ferry now leaves every 40 "
                                          "minutes.</p>", encoding="utf-8")
    build_index(index_dir, [corpus_copy], embedder, progress=False)
    assert qa.reload_if_changed()
    assert "every 40 minutes" in qa.answer("How often does the island ferry leave?").text
    assert not qa.reload_if_changed()


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_a_new_article_is_appended_to_the_dense_index_and_searchable(corpus_copy, tmp_path, embedder, kind):
    from qabot.search.searcher import Searcher

    index_dir = tmp_path / "index"
    build_index(index_dir, [corpus_copy], embedder, progress=False, dense=kind)
    before = load_index(index_dir, embedder.id)
    old_rows = [p.id for p in before.passages]
    (corpus_copy / "aaa_first_by_name.md").write_text(
        "---\ntitle: Lighthouse\n---\n<p>The old lighthouse was repainted red and white in March.</p>",
        encoding="utf-8")
    report = build_index(index_dir, [corpus_copy], embedder, progress=False, dense=kind)
    assert report.added == ("aaa_first_by_name.md",) and report.embedded == 1
    after = load_index(index_dir, embedder.id)
    assert [p.id for p in after.passages][: len(old_rows)] == old_rows  # old rows keep their place
    assert after.passages[-1].doc == "aaa_first_by_name.md"
    assert np.allclose(after.dense.reconstruct_n(0, len(old_rows)), before.dense.reconstruct_n(0, len(old_rows)))
    hits = Searcher(after, embedder).search("What colour was the lighthouse painted?", k=3)
    assert hits[0].passage.doc == "aaa_first_by_name.md"


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_removing_an_article_marks_its_rows_instead_of_rebuilding(corpus_copy, tmp_path, embedder, kind):
    from qabot.qa import QA
    from qabot.question.filters import Filters

    index_dir = tmp_path / "index"
    build_index(index_dir, [corpus_copy], embedder, progress=False, dense=kind)
    before = read_manifest(index_dir)
    old = load_index(index_dir, embedder.id)
    victim = old.passages[0].doc
    question = old.passages[0].text[:40]
    assert QA(old, embedder).searcher.search(question, k=1)[0].passage.doc == victim
    (corpus_copy / victim).unlink()
    report = build_index(index_dir, [corpus_copy], embedder, progress=False, dense=kind)
    assert report.removed == (victim,)
    after = read_manifest(index_dir)
    old_dense = index_dir / before["data"] / "dense.faiss"
    assert not old_dense.exists()  # the old generation is gone ...
    new_data = index_dir / after["data"]
    assert (new_data / "dense.faiss").stat().st_nlink >= 1 and after["deleted"] > 0  # ... its files live on, marked
    index = load_index(index_dir, embedder.id)
    assert index.dense.ntotal == len(index.passages) == before["passages"]
    searcher = QA(index, embedder).searcher
    for mode in ("hybrid", "dense", "keyword"):
        assert all(h.passage.doc != victim for h in searcher.search(question, k=50, mode=mode)), mode
    assert all(h.passage.doc != victim for h in searcher.search(question, k=50, filters=Filters(since="1900-01-01")))
    assert victim not in {a["doc"] for a in index.articles()}
    # putting it back (or any other change) rewrites the data folder and drops the marks
    (corpus_copy / victim).write_text((DATA / "odd" / victim).read_text(encoding="utf-8"), encoding="utf-8")
    build_index(index_dir, [corpus_copy], embedder, progress=False, dense=kind)
    again = load_index(index_dir, embedder.id)
    assert not len(again.deleted) and len(again.passages) == before["passages"]
    assert QA(again, embedder).searcher.search(question, k=1)[0].passage.doc == victim


class CountingEmbedder(Embedder):
    """The real model, counting what reaches it (the edge: what the encoder is asked to do)."""

    def __init__(self, real):
        self.real, self.id, self.dim = real, real.id, real.dim
        self.dense: list[str] = []

    def embed(self, texts, kind):
        self.dense += list(texts)
        return self.real.embed(texts, kind)


def test_each_distinct_text_reaches_the_encoder_once(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shared = "集安组织出动了2030名士兵。"  # a one-sentence paragraph that both articles print
    for name, extra in (("a", "托卡耶夫发表讲话。局势已经基本稳定下来。"), ("b", "阿拉木图机场恢复运行。")):
        (corpus / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: 2022-01-10\n---\n{shared}\n\n{extra}\n",
                                           encoding="utf-8")
    counting = CountingEmbedder(embedder)
    report = build_index(tmp_path / "index", [corpus], counting, progress=False)
    index = load_index(tmp_path / "index", embedder.id)
    texts = [p.text for p in index.passages]
    assert len(texts) == 4 and texts.count(shared) == 2
    # three distinct passages, and the two sentences of the one passage that has two; each once
    assert sorted(counting.dense) == sorted({*texts, "托卡耶夫发表讲话。", "局势已经基本稳定下来。"})
    assert report.work.texts == 5
    assert report.passes == pytest.approx(sum(len(t) for t in counting.dense) / sum(map(len, texts)))
    # a one-sentence passage's sentence vector is its passage vector; both copies of the shared text agree
    rows = [i for i, t in enumerate(texts) if t == shared]
    vectors = index.dense.reconstruct_batch(np.asarray(rows))
    assert np.array_equal(vectors[0], vectors[1])
    for row in rows:
        assert np.allclose(index.sentence_rows(row)[0].astype(np.float32), vectors[0], atol=1e-3)


def test_indexing_says_what_it_embeds_a_line_a_stage_when_not_on_a_terminal(corpus_copy, tmp_path, embedder, capsys):
    report = build_index(tmp_path / "index", [corpus_copy], embedder)  # pytest's stderr is not a terminal
    err = capsys.readouterr().err
    assert re.search(r"embedding \d+ passages, then their sentences, on cpu", err)
    assert f"embedded {report.work.texts} texts in" in err and "\r" not in err  # lines, no bar
    build_index(tmp_path / "quiet", [corpus_copy], embedder, progress=False)
    assert capsys.readouterr().err == ""


def test_a_failure_beside_the_encoder_stops_it_instead_of_embedding_the_rest(embedder):
    from qabot.ingest.passages import Passage
    from qabot.store.vectors import derive_vectors

    rows = [Passage(id=f"d#{i}", doc="d", paragraph=i, text=f"第{i}段：集安组织出动了{2000 + i}名士兵。", title="t",
                    source="s", date="2022-01-10") for i in range(160)]
    counting = CountingEmbedder(embedder)

    def fails():
        raise ValueError("the word cutting failed")

    with pytest.raises(ValueError, match="word cutting"):
        derive_vectors(rows, counting, progress=False, meanwhile=fails)
    assert len(counting.dense) < len(rows)  # the encoder stopped at its next batch
