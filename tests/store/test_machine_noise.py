"""The noisy embedder that stands for another machine (docs/machine-noise.md) moves cosines by the measured size."""

import numpy as np

PASSAGES = ["托卡耶夫宣布1月10日为全国哀悼日。", "集安组织派出约2030名士兵前往哈萨克斯坦。",
            "阿拉木图机场一度被抗议者占领。", "The night market returns with 120 stalls."]
QUESTIONS = ["哪天是全国哀悼日？", "集安组织派了多少士兵？", "How many stalls are at the night market?"]


def test_noise_of_the_measured_size_the_same_for_a_text_each_time(embedder, noisy_embedder):
    real = embedder.embed(PASSAGES, "passage") @ embedder.embed(QUESTIONS, "query").T
    other = noisy_embedder()
    moved = other.embed(PASSAGES, "passage") @ other.embed(QUESTIONS, "query").T - real
    # the machines measured differ in cosines by 3.2-3.3e-4 on average, 1.4-1.7e-3 at most
    assert 1e-4 < np.abs(moved).mean() < 8e-4 and np.abs(moved).max() < 3e-3
    assert np.array_equal(other.embed(PASSAGES, "passage"), other.embed(PASSAGES, "passage"))
    assert not np.array_equal(noisy_embedder(seed=1).embed(PASSAGES, "passage"), other.embed(PASSAGES, "passage"))
    assert np.allclose(np.linalg.norm(other.embed(QUESTIONS, "query"), axis=1), 1.0, atol=1e-6)
    assert np.allclose(noisy_embedder(sigma=0.0).embed(QUESTIONS, "query"), embedder.embed(QUESTIONS, "query"),
                       atol=1e-6)
