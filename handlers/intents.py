"""Free text to what it asks: "toi da dat chuan chua", "Tôi đã đạt chuẩn chưa?" and "am I
qualified" all mean /status; "xin chào" is a greeting; "giá vàng hôm nay" is none of ours.

A linear classifier (scikit-learn's LinearSVC) over character n-grams, which forgive typos and
missing diacritics, and word n-grams, trained once per process from the phrase set in
``handlers/phrases/`` (a file per label, written as officials ask). Text is folded first
(rules.text: no diacritics, lower case) and the usual chat abbreviations are spelled out
("ko" → "khong", "dc" → "duoc", "j" → "gi"). The method was chosen by its accuracy on a
held-out part of the phrase set that training never sees (tests/handlers/test_intents.py):
rapidfuzz against the same phrases reached 88%, this 96%.

When no label scores above ``THRESHOLD`` the text is not understood, and the closest topics are
offered instead. (Also requiring a margin over the second label, chosen by cross-validation on
the tuning part, understood fewer held-out phrasings: 95.5% against 96.4%.)
"""

from __future__ import annotations

import enum
import threading
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from handlers.topics import Topic
from rules.text import fold

THRESHOLD = -0.5  # the best LinearSVC score below which no label is sure
GUESSES = 3  # topics offered when a question is not understood


class SmallTalk(enum.Enum):
    """What is said to the bot that is not a question about a topic."""

    GREETING = "greeting"
    THANKS = "thanks"
    ACK = "ack"  # "ok", "vâng", "đã hiểu"
    OFF_TOPIC = "off_topic"
    SYMBOLS = "symbols"  # only emoji or punctuation


LABELS: dict[str, Topic | SmallTalk] = {
    **{topic.value: topic for topic in Topic},
    **{talk.value: talk for talk in SmallTalk if talk is not SmallTalk.SYMBOLS},
}

# Abbreviations people type, as folded words. Only those with one meaning: "bn" (bạn or bao
# nhiêu) and "hok" (không or học) are left for the classifier to read in context.
ABBREVIATIONS = {
    "ko": "khong",
    "k": "khong",
    "kg": "khong",
    "khg": "khong",
    "hong": "khong",
    "dc": "duoc",
    "j": "gi",
    "ji": "gi",
    "nhiu": "nhieu",
    "bh": "bao gio",
    "bgio": "bao gio",
    "bjo": "bao gio",
    "jo": "gio",
    "ntn": "nhu the nao",
    "vs": "voi",
    "mk": "minh",
    "mik": "minh",
    "trc": "truoc",
    "e": "em",
    "t": "toi",
}


@dataclass(frozen=True)
class Reading:
    """What a text was read as: a topic, small talk, or neither (then ``guesses``, the closest
    topics, best first)."""

    topic: Topic | None = None
    small_talk: SmallTalk | None = None
    guesses: tuple[Topic, ...] = ()


def normalise(text: str) -> str:
    """``text`` as the classifier reads it: folded, abbreviations spelled out."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


def phrases() -> list[tuple[str, str]]:
    """The tuning part of the phrase set: (phrasing, label) pairs."""
    found = []
    folder = resources.files("handlers") / "phrases"
    for label in LABELS:
        for line in (folder / f"{label}.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append((line.strip(), label))
    return found


class _Model:
    """The trained classifier. Importing scikit-learn and training take about a second, so
    it is built on first use (or ahead, by ``prepare``), once per process.

    A message is scored with the trained weights directly (``scores``): the same sums as the
    pipeline's ``decision_function`` (sublinear tf × idf, L2-normalised per vectorizer, dot the
    SVC's weights, plus its intercept) without building sparse matrices for one short text,
    which takes the pipeline many times as long (benchmarks/bench_free_text.py prints both;
    tests/handlers/test_intents.py checks that they agree)."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline, make_union
        from sklearn.svm import LinearSVC

        pairs = phrases()
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        svc = LinearSVC(C=1.0, random_state=0)
        self.pipeline: Any = make_pipeline(features, svc)
        self.pipeline.fit([normalise(text) for text, _ in pairs], [label for _, label in pairs])
        self.labels = [LABELS[str(label)] for label in svc.classes_]
        weights = np.ascontiguousarray(svc.coef_.T)  # a row of class weights per feature
        self._intercept = np.asarray(svc.intercept_, dtype=float)
        self._parts: list[tuple[Any, dict[str, int], Any, Any]] = []
        offset = 0
        for _name, vectorizer in features.transformer_list:
            size = len(vectorizer.vocabulary_)
            self._parts.append(
                (
                    vectorizer.build_analyzer(),
                    vectorizer.vocabulary_,
                    vectorizer.idf_,
                    weights[offset : offset + size],
                )
            )
            offset += size

    def scores(self, normalised: str) -> list[tuple[float, Topic | SmallTalk]]:
        """Every label with its score for ``normalised`` text, best first."""
        total = self._intercept.copy()
        for analyzer, vocabulary, idf, weights in self._parts:
            counts = Counter(
                index for index in map(vocabulary.get, analyzer(normalised)) if index is not None
            )
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
            values = (1.0 + np.log(tf)) * idf[columns]
            total += (values / np.linalg.norm(values)) @ weights[columns]
        ranked = zip((float(score) for score in total), self.labels, strict=True)
        return sorted(ranked, key=lambda pair: -pair[0])


_lock = threading.Lock()
_model: _Model | None = None


def prepare() -> _Model:
    """The classifier, trained now if it was not yet (safe from several threads)."""
    global _model
    with _lock:
        if _model is None:
            _model = _Model()
        return _model


def read(text: str) -> Reading:
    """What ``text`` asks or says."""
    normalised = normalise(text)
    if not normalised:  # emoji, punctuation, or nothing at all (a sticker)
        return Reading(small_talk=SmallTalk.SYMBOLS)
    ranked = prepare().scores(normalised)
    score, best = ranked[0]
    if score >= THRESHOLD:
        if isinstance(best, Topic):
            return Reading(topic=best)
        return Reading(small_talk=best)
    topics = tuple(label for _, label in ranked if isinstance(label, Topic))
    return Reading(guesses=topics[:GUESSES])
