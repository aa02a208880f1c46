import io
import os
import subprocess
import sys

from qabot.frontends.repl import run
from tests.conftest import ROOT


class Pipe(io.StringIO):
    def isatty(self):
        return False


def test_piped_questions_and_commands(qa):
    out = Pipe()
    code = run(qa, stdin=Pipe("德国外交部副发言人是谁？\n:sources\n:help\n:bogus\n\n:quit\n托卡耶夫是谁？\n"), stdout=out)
    text = out.getvalue()
    assert code == 0
    assert "霍夫曼" in text and "[1] " in text  # the answer and its citation list
    assert "2022-01-10  观察者网  托卡耶夫定性：未遂政变" in text  # :sources
    assert ":quit" in text  # :help
    assert "unknown command :bogus" in text
    assert text.count("[1] ") == 1  # nothing after :quit was answered


def test_bare_help_and_exit_are_commands_not_questions(qa):
    out = Pipe()
    assert run(qa, stdin=Pipe("help\n？？？\nexit\n德国外交部副发言人是谁？\n"), stdout=out) == 0
    text = out.getvalue()
    assert ":quit" in text  # the help
    assert "no words to look up" in text  # punctuation alone is no question
    assert "[1] " not in text  # nothing was answered, before exit or after it


def test_a_command_typed_with_a_chinese_keyboards_colon_is_a_command(qa):
    out = Pipe()
    assert run(qa, stdin=Pipe("：help\n：quit\n德国外交部副发言人是谁？\n"), stdout=out) == 0
    text = out.getvalue()
    assert ":quit" in text and "[1] " not in text  # the help, then nothing answered after ：quit


def test_end_of_input_ends_the_session(qa):
    out = Pipe()
    assert run(qa, stdin=Pipe("德国外交部副发言人是谁？"), stdout=out) == 0
    assert "霍夫曼" in out.getvalue()


def test_repl_command_with_a_pipe(seed_index_dir):
    result = subprocess.run([sys.executable, "-m", "qabot", "repl", "--index", str(seed_index_dir)],
                            input="上合组织反恐机构设在哪个城市？\n", capture_output=True, text=True, timeout=120,
                            cwd=ROOT, env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "塔什干" in result.stdout


def test_the_banner_shows_the_active_filters(seed_index_dir):
    """At a terminal (a pseudo-terminal here) the banner says which articles the filters leave."""
    import pty
    import select
    import time

    main, side = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "qabot", "repl", "--index", str(seed_index_dir), "--source",
                                "半岛网", "--since", "2022-01-08"], stdin=side, stdout=side, stderr=subprocess.PIPE,
                               cwd=ROOT, env={**os.environ, "QABOT_HISTORY": os.devnull})
    os.close(side)
    seen = b""
    deadline = time.monotonic() + 120
    while b"? " not in seen and time.monotonic() < deadline and process.poll() is None:
        if select.select([main], [], [], 1)[0]:
            seen += os.read(main, 4096)
    os.write(main, b":quit\n")
    assert process.wait(timeout=60) == 0, process.stderr.read()
    os.close(main)
    banner = seen.decode("utf-8", "replace").splitlines()[0]
    assert banner.startswith("qabot: 5 articles, ") and "with --source 半岛网 --since 2022-01-08" in banner


def test_sources_lists_the_articles_the_filters_leave_and_how_many_they_hide(qa):
    from qabot.question.filters import Filters

    out = Pipe()
    assert run(qa, filters=Filters(source="半岛网"), stdin=Pipe(":sources\n"), stdout=out) == 0
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    articles = qa.index.articles()
    kept = [a for a in articles if "半岛网" in a["source"]]
    assert 0 < len(kept) < len(articles)
    assert all("半岛网" in line for line in lines[:-1]) and len(lines) == len(kept) + 1
    assert lines[-1] == f"({len(articles) - len(kept)} more left out by --source 半岛网)"
