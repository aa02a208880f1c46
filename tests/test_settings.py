from pathlib import Path

import pytest

from qabot.errors import ConfigError
from qabot.settings import Settings


def test_environment_then_flags():
    env = {"QABOT_INDEX": "/data/index", "QABOT_CORPUS": "/a:/b", "QABOT_K": "7", "TELEGRAM_BOT_TOKEN": " 1:x ",
           "QABOT_ALLOWED_USERS": "1, 2,3", "QABOT_ALLOWED_CHATS": "-100", "QABOT_RATE_LIMIT": "5"}
    settings = Settings.from_env(env)
    assert str(settings.index_dir) == "/data/index" and settings.corpus == ("/a", "/b") and settings.k == 7
    assert settings.telegram_token == "1:x" and settings.allowed_users == {1, 2, 3}
    assert settings.allowed_chats == {-100} and settings.rate_limit == 5
    flagged = settings.with_flags(index_dir="other", k=None, corpus=())
    assert str(flagged.index_dir) == "other" and flagged.k == 7 and flagged.corpus == ("/a", "/b")


@pytest.mark.parametrize("env, message", [
    ({"QABOT_K": "ten"}, "QABOT_K must be a whole number"),
    ({"QABOT_ALLOWED_USERS": "alice"}, "QABOT_ALLOWED_USERS must be comma-separated numeric ids"),
])
def test_bad_values_name_the_variable(env, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_secrets_stay_out_of_repr():
    assert "secret-token" not in repr(Settings(telegram_token="secret-token", webhook_secret="secret-token"))


def test_a_mounted_corpus_folder_is_the_corpus_once_anything_is_there(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    env = {"QABOT_MOUNTED_CORPUS": str(folder)}
    assert Settings.from_env(env).corpus == ()  # an empty, unmounted folder: the seeds
    (folder / "a.md").write_text("x", encoding="utf-8")
    assert Settings.from_env(env).corpus == (str(folder),)
    assert Settings.from_env({**env, "QABOT_CORPUS": "/explicit"}).corpus == ("/explicit",)


@pytest.mark.parametrize("env, cache", [
    ({"QABOT_SETS_CACHE": "/data/sets"}, "/data/sets"),
    ({"XDG_CACHE_HOME": "/xdg"}, "/xdg/qabot/sets"),
    ({"QABOT_SETS_CACHE": "off", "XDG_CACHE_HOME": "/xdg"}, None),
])
def test_where_eval_keeps_the_sets_indexes(env, cache):
    assert Settings.from_env(env).sets_cache == (None if cache is None else Path(cache))


def test_the_sets_cache_defaults_to_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Settings.from_env({}).sets_cache == tmp_path / ".cache" / "qabot" / "sets"
