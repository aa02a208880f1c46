"""Answer: a `Question` and its candidate passages → a cited `Answer` with a confidence. `reader` traces the
question (candidates and their feature rows, `features`), ranks passages and sentences and decides whether to
answer with the four fitted models of `model` (`params.json`), and `compose` writes the reply: each sentence with
its [n], "the articles do not say" below the threshold, one reply for a question in parts."""

from qabot.lazy import exports

__getattr__, __all__ = exports(__name__, {
    "compose": ["Answer", "Citation"],
    "model": ["Params", "load"],
    "reader": ["RULES", "Reader", "Trace"],
})
