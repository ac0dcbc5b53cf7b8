"""Features for the stance model: the quote text and the issue text, nothing else.

In: a DataFrame with exactly the columns `text` and `issue` (see `frame`). Out: `build_pipeline()`,
one scikit-learn `Pipeline` (ColumnTransformer of TF-IDF blocks + a calibrated linear classifier).
The speaker and the actor type are never inputs: the dashboard charts stance *by* actor type, so
using them would be circular. `INPUT_COLUMNS` is the only thing the ColumnTransformer selects, and
every other column is dropped.

Custom transformers follow the scikit-learn estimator rules (STYLE.md 13): `__init__` stores
keyword hyperparameters only, `fit` returns `self`, learned attributes end in `_`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

INPUT_COLUMNS: tuple[str, str] = ("text", "issue")

# Words that carry polarity are kept even though generic stop lists drop them.
_KEEP = {
    "not", "no", "never", "nor", "against", "without", "cannot", "none", "neither", "more",
    "less", "few", "only", "too", "very", "least", "all", "nothing", "should", "must",
}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS - _KEEP) | {"said", "says", "say", "would", "will"}
# Letters, digits and inner apostrophes/hyphens; used by every word-level block so that explanation
# terms always map back onto words of the quote.
WORD_PATTERN = r"(?u)\b\w[\w'-]*\w\b|\b\w\b"
_WORD_RE = re.compile(WORD_PATTERN)


# News text uses typographic quotes and dashes; the training statements mostly do not.
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": " - ", "\u00a0": " "})


def normalise(text: str) -> str:
    """Typographic apostrophes, quotes and dashes as plain ASCII, so "we’re" meets "we're"."""
    return (text or "").translate(_TYPOGRAPHY)


def words(text: str) -> list[str]:
    """Lowercased word tokens, as the word-level features see them."""
    return _WORD_RE.findall(normalise(text).lower())


def content_words(text: str) -> list[str]:
    """Lowercased word tokens without stop words (polarity words kept), in order, deduplicated."""
    seen: dict[str, None] = {}
    for w in words(text):
        if w not in STOP_WORDS and not w.isdigit():
            seen.setdefault(w, None)
    return list(seen)


def stem(word: str) -> str:
    """A crude prefix stem so that 'mines'/'mine' and 'lifting'/'lift' meet across issues."""
    return word[:5]


def lemma(word: str) -> str:
    """A small suffix stripper for lexicon matching: banning/bans/ban -> ban, rules/rule -> rul."""
    w = word.lower()
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]
            break
    else:
        if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            w = w[:-1]
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


# Issue direction (rules as data, see issue_direction.txt): an issue sentence names a change
# ("Lifting the ban", "Cutting aid"); whether supporting it means more or less military force
# flips the polarity of the same quote words. direction = verb sign x object sign.
_DIRECTION_FILE = Path(__file__).with_name("issue_direction.txt")


_LEXICON_SECTIONS = ("negative_verbs", "negative_nominals", "restraint_objects", "object_end",
                     "carrier_nouns", "wrapper_verbs")


def _load_direction_lexicon() -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {name: set() for name in _LEXICON_SECTIONS}
    current = None
    for line in _DIRECTION_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        if current == "object_end":
            sections[current].update(line.lower().split())
        elif current in sections:
            sections[current].update(lemma(w) for w in line.lower().split())
    return {name: frozenset(found) for name, found in sections.items()}


_LEXICON = _load_direction_lexicon()
_NEG_VERBS, _NEG_NOMINALS = _LEXICON["negative_verbs"], _LEXICON["negative_nominals"]
_RESTRAINT, _OBJECT_END = _LEXICON["restraint_objects"], _LEXICON["object_end"]
_CARRIERS, _WRAPPERS = _LEXICON["carrier_nouns"], _LEXICON["wrapper_verbs"]


_DETERMINERS = frozenset({"the", "a", "an"})
_CONTRACTIONS = frozenset({"it's", "that's", "what's", "there's", "here's", "let's", "who's"})


def _without_leading_possessive(issue: str) -> list[str]:
    """The issue's words without a leading owner: "Finland's withdrawal", "The UK's exit", "The
    United States' exit" name who makes the change, not the change. Only determiners and names
    may stand before the possessive ("Banning Russia's oil exports" keeps its verb)."""
    tokens = _WORD_RE.findall(issue)
    lowered = [t.lower() for t in tokens]
    for i, (token, w) in enumerate(zip(tokens, lowered)):
        possessive = (w.endswith("'s") and w not in _CONTRACTIONS) or (
            w.endswith("s") and re.search(rf"\b{re.escape(token)}'(\s|$)", issue) is not None)
        if possessive:
            return lowered[i + 1:] or lowered
        if not (w in _DETERMINERS or (i > 0 and token[:1].isupper())):
            break
    return lowered


@lru_cache(maxsize=4096)  # every row of a batch asks, and a batch has few distinct issues
def issue_direction(issue: str) -> float:
    """+1 when supporting the issue means more force/fewer limits, -1 when it means restraint.

    The first word of the issue is read as its verb ("Banning", "Keeping", "Finland's
    withdrawal"); a negative verb (ban, cut, lift, withdraw...) flips the sign, and so does an
    object that is itself a restraint (a ban, a convention, civilian-harm rules, humanitarian
    corridors) or a change named as a noun ("halting the destruction of ..."). Only the object
    phrase counts: it ends at a word of `[object_end]` ("in exchange for nuclear limits"), except
    right after the verb ("an end to the ban") and after a carrier noun ("funding for").
    "Urging X to <change>" is read as the change, "Urging an end to X" as the ending.
    Issues without a verb ("Atheism", "gun control") get +1, i.e. no flip.
    """
    all_words = _without_leading_possessive(normalise(issue))
    if all_words and lemma(all_words[0]) in _WRAPPERS:
        urged = next((i for i, w in enumerate(all_words) if w in ("to", "for")), len(all_words))
        between = {lemma(w) for w in content_words(" ".join(all_words[1:urged]))}
        if between & (_NEG_VERBS | _NEG_NOMINALS):  # "Urging an end to the ban"
            return issue_direction(" ".join(all_words[1:]))
        if urged + 1 < len(all_words):  # "Urging Congress to restore the ban"
            return issue_direction(" ".join(all_words[urged + 1:]))
    meaningful = set(content_words(" ".join(all_words)))
    content = [i for i, w in enumerate(all_words) if w in meaningful]
    if not content:
        return 1.0
    verb_at = content[0]
    cut = next((i for i, w in enumerate(all_words)
                if i > verb_at + 1 and w in _OBJECT_END and lemma(all_words[i - 1]) not in _CARRIERS),
               len(all_words))
    ws = content_words(" ".join(all_words[verb_at:cut]))
    verb, rest = lemma(ws[0]), [lemma(w) for w in ws[1:]]
    sign = -1.0 if verb in _NEG_VERBS | _NEG_NOMINALS else 1.0
    # "Halting the (planned) destruction of the stockpiles": the object is itself a change.
    if any(lemma(w) in _NEG_NOMINALS and _word_after(all_words, w) == "of" for w in ws[1:3]):
        sign = -sign
    if any(o in _RESTRAINT for o in rest):
        sign = -sign
    return sign


def _word_after(all_words: list[str], word: str) -> str:
    i = all_words.index(word)
    return all_words[i + 1] if i + 1 < len(all_words) else ""


def frame(texts: Sequence[str], issues: Sequence[str]) -> pd.DataFrame:
    """The model's input: one row per quote, columns `text` and `issue` only."""
    if len(texts) != len(issues):
        raise ValueError(f"{len(texts)} texts but {len(issues)} issues")
    return pd.DataFrame(
        {"text": [normalise(t) for t in texts], "issue": [normalise(i) for i in issues]},
        columns=list(INPUT_COLUMNS),
    )


def as_frame(X: Any) -> pd.DataFrame:
    """The (text, issue) input as a DataFrame, whether it came as one or as rows."""
    return X if isinstance(X, pd.DataFrame) else pd.DataFrame(X, columns=list(INPUT_COLUMNS))


class Tfidf(TfidfVectorizer):
    """`TfidfVectorizer` that saves its fitted vocabulary as one array of terms, not a dict.

    skops stores a dict as one node per key; with about 230,000 terms over the model's blocks,
    reading them back was most of the model's load time. The array is in column order, so the
    dict is rebuilt exactly on load; features and predictions are the same.
    """

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())  # may be the live __dict__ itself: never edit that
        vocabulary = state.get("vocabulary_")
        if isinstance(vocabulary, dict):
            terms = [""] * len(vocabulary)
            for term, column in vocabulary.items():
                terms[column] = term
            state["vocabulary_"] = np.asarray(terms, dtype=str)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        terms = state.get("vocabulary_")
        if isinstance(terms, np.ndarray):
            state = {**state, "vocabulary_": {str(t): i for i, t in enumerate(terms.tolist())}}
        super().__setstate__(state)


class StatelessTransformer(BaseEstimator, TransformerMixin):
    """A transformer of (text, issue) rows that learns nothing: `fit` only records the input width."""

    def fit(self, X: Any, y: Any = None) -> StatelessTransformer:
        self.n_features_in_ = 2
        return self


class IssueTextPairs(StatelessTransformer):
    """Target-aware tokens: every (issue word, quote word) pair as one token `issueword|quoteword`.

    A linear model over these learns how a quote word's polarity flips with the issue's wording
    ("cutting aid" vs "approving aid"), which plain quote n-grams cannot. Output is one string per
    row for a whitespace-token TfidfVectorizer.
    """

    def __init__(self, max_quote_words: int = 40):
        self.max_quote_words = max_quote_words

    def transform(self, X: Any) -> np.ndarray:
        X = as_frame(X)
        out = []
        for text, issue in zip(X["text"], X["issue"]):
            iw = [stem(w) for w in content_words(issue)]
            tw = content_words(text)[: self.max_quote_words]
            out.append(" ".join(f"{i}|{t}" for i in iw for t in tw))
        return np.asarray(out, dtype=object)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["pairs"], dtype=object)


class IssueNgrams(StatelessTransformer):
    """Issue-specific copies of the quote's word uni- and bigrams: `issuekey|ngram`.

    For issues seen in training this is a per-issue model inside the shared one (what the
    SemEval-2016 baselines train separately per target); for unseen issues the block is silent.
    """

    def transform(self, X: Any) -> np.ndarray:
        X = as_frame(X)
        out = []
        for text, issue in zip(X["text"], X["issue"]):
            key = "_".join(stem(w) for w in content_words(issue)) or "none"
            ws = words(text)
            grams = ws + [f"{a}_{b}" for a, b in zip(ws, ws[1:])]
            out.append(" ".join(f"{key}|{g}" for g in grams))
        return np.asarray(out, dtype=object)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(["issue_ngrams"], dtype=object)


class DenseCues(StatelessTransformer):
    """A few dense columns per (text, issue) row, each row from one function of the pair: a
    subclass names the columns in `FEATURES` and computes them in `cues` (`QuoteShape`,
    `valence.Valence`, `attitude.ChangeAttitude`)."""

    FEATURES: tuple[str, ...] = ()

    def cues(self, text: str, issue: str) -> Sequence[float]:
        raise NotImplementedError

    def transform(self, X: Any) -> sparse.csr_matrix:
        X = as_frame(X)
        rows = [self.cues(text, issue) for text, issue in zip(X["text"], X["issue"])]
        return sparse.csr_matrix(np.asarray(rows, dtype=float).reshape(-1, len(self.FEATURES)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(self.FEATURES, dtype=object)


class QuoteShape(DenseCues):
    """Two dense cues for 'neutral': how long the quote is and how much of the issue it mentions.

    Short fragments ("weak,") and quotes that never touch the issue's words are mostly neutral.
    """

    FEATURES = ("log_length", "fragment", "issue_overlap")

    def cues(self, text: str, issue: str) -> Sequence[float]:
        n = len(words(text))
        issue_stems = {stem(w) for w in content_words(issue)}
        text_stems = {stem(w) for w in content_words(text)}
        overlap = len(issue_stems & text_stems) / max(len(issue_stems), 1)
        return [np.log1p(n) / 4.0, float(n <= 3), overlap]


class SignedText(BaseEstimator, TransformerMixin):
    """Quote word n-grams (TF-IDF) multiplied by the issue's direction (`issue_direction`).

    A linear model reads polarity from these: "civilians" weighs toward supportive for a
    restraint issue and toward opposed for a force issue, with one shared weight.
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), min_df: int = 1,
                 negation_scope: int = 0):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.negation_scope = negation_scope

    def fit(self, X: Any, y: Any = None) -> SignedText:
        X = as_frame(X)
        self.vectorizer_ = Tfidf(
            token_pattern=WORD_PATTERN, ngram_range=self.ngram_range, min_df=self.min_df,
            sublinear_tf=True, preprocessor=_negation_preprocessor(self.negation_scope),
        ).fit(X["text"])
        self.n_features_in_ = 2
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        X = as_frame(X)
        d = np.asarray([issue_direction(i) for i in X["issue"]], dtype=float)
        return sparse.csr_matrix(self.vectorizer_.transform(X["text"]).multiply(d[:, None]))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()


def _negation_preprocessor(scope: int) -> Any:
    """None (lowercase only) when `scope` is 0, else a `NegationScope` of that many words."""
    if not scope:
        return None
    from analysis.stance.negation import NegationScope

    return NegationScope(scope)


def _word_tfidf(negation_scope: int = 0) -> TfidfVectorizer:
    return Tfidf(
        token_pattern=WORD_PATTERN, ngram_range=(1, 2), sublinear_tf=True, min_df=1, max_df=0.9,
        preprocessor=_negation_preprocessor(negation_scope),
    )


def _char_tfidf() -> TfidfVectorizer:
    return Tfidf(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)


def build_features(
    cross: bool = True, shape: bool = True, signed: bool = True, char: bool = True,
    emb: float = 0.0, word: bool = True, per_issue: bool = False, negation_scope: int = 0,
    valence: bool = False, attitude: bool = False,
) -> ColumnTransformer:
    """The feature union over `text` and `issue`; every other column is dropped."""
    blocks: list[tuple[str, Any, Any]] = []
    if word:
        blocks.append(("word", _word_tfidf(negation_scope), "text"))
    if emb:
        from analysis.stance.embed import SentenceEmbedding

        blocks.append(("emb", SentenceEmbedding(weight=emb), list(INPUT_COLUMNS)))
    if char:
        blocks.append(("char", _char_tfidf(), "text"))
    if signed:
        blocks.append(("signed", SignedText(negation_scope=negation_scope), list(INPUT_COLUMNS)))
    if cross:
        pairs = Pipeline(
            [
                ("pairs", IssueTextPairs()),
                ("tfidf", Tfidf(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)),
            ]
        )
        blocks.append(("cross", pairs, list(INPUT_COLUMNS)))
    if per_issue:
        ngrams = Pipeline(
            [
                ("ngrams", IssueNgrams()),
                ("tfidf", Tfidf(token_pattern=r"\S+", lowercase=False, sublinear_tf=True)),
            ]
        )
        blocks.append(("issue", ngrams, list(INPUT_COLUMNS)))
    if shape:
        blocks.append(("shape", QuoteShape(), list(INPUT_COLUMNS)))
    if valence:
        from analysis.stance.valence import Valence

        blocks.append(("valence", Valence(), list(INPUT_COLUMNS)))
    if attitude:
        from analysis.stance.attitude import ChangeAttitude

        blocks.append(("attitude", ChangeAttitude(), list(INPUT_COLUMNS)))
    return ColumnTransformer(blocks, remainder="drop", sparse_threshold=1.0)


def build_classifier(kind: str = "lr", C: float = 4.0, calibrate: bool = True, seed: int = 0) -> Any:
    """A linear classifier; wrapped in temperature-scaling calibration when `calibrate`."""
    if kind == "lr":
        base: Any = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        method = "temperature"
    elif kind == "svm":
        base = LinearSVC(C=C, class_weight="balanced", random_state=seed)
        # Temperature scaling (softmax of decision values / T, T > 0) never changes the argmax;
        # per-class sigmoids fitted on out-of-fold scores can invert it when those are poor.
        method = "temperature"
    else:
        raise ValueError(f"unknown classifier kind {kind!r}")
    if not calibrate:
        return base
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(base, method=method, cv=cv, ensemble=False)


def build_pipeline(
    kind: str = "lr", C: float = 4.0, cross: bool = True, shape: bool = True,
    signed: bool = True, char: bool = True, emb: float = 0.0, word: bool = True,
    per_issue: bool = False, calibrate: bool = True, seed: int = 0, two_stage: bool = False,
    experts: int = 0, negation_scope: int = 0, valence: bool = False, attitude: bool = False,
) -> Any:
    """The stance model: features over quote and issue text, then a calibrated linear classifier.

    Args:
        kind: "lr" (logistic regression) or "svm" (linear SVM, sigmoid-calibrated).
        C: inverse regularisation strength.
        cross: add the target-aware issue-word x quote-word pairs.
        shape: add quote length and issue-overlap cues.
        signed: add quote n-grams signed by the issue's direction (`issue_direction`).
        char: add character 2-5-gram TF-IDF of the quote.
        emb: weight of the MiniLM sentence-embedding block (0 = off; see `embed.py`).
        word: add word 1-2-gram TF-IDF of the quote.
        per_issue: add issue-specific copies of the quote's word n-grams (`IssueNgrams`).
        negation_scope: when > 0, the word and signed n-grams read this many words after a
            negator as negated (`negation.py`); two-stage models use it in the polarity stage.
        valence: add the quote's VADER tone (`valence.py`); two-stage models use it in the
            stance-bearing-vs-neutral stage.
        attitude: add whether the quote approves or disapproves of the change itself
            (`attitude.py`); two-stage models use it in the polarity stage.
        calibrate: wrap the classifier in `CalibratedClassifierCV`.
        seed: random state of the calibration folds.
        two_stage: split the decision in two (`TwoStageStance`): stance-bearing vs neutral
            without the target-aware blocks, then the polarity with them.
        experts: when > 0, wrap it all in `IssueExperts`: an issue with at least this many
            labelled statements also gets a model of its own, mixed in by a weight chosen out
            of fold.

    Returns:
        An unfitted `Pipeline` (or `TwoStageStance`, or `IssueExperts`) taking a
        `frame(texts, issues)` DataFrame.
    """
    params = dict(kind=kind, C=C, cross=cross, shape=shape, signed=signed, char=char, emb=emb,
                  word=word, per_issue=per_issue, calibrate=calibrate, seed=seed,
                  negation_scope=negation_scope, valence=valence, attitude=attitude)
    if experts:
        from analysis.stance.experts import IssueExperts

        return IssueExperts(shared_params={**params, "two_stage": two_stage},
                            min_examples=experts, seed=seed)
    if two_stage:
        return TwoStageStance(
            neutral_params={**params, "cross": False, "per_issue": False, "signed": False,
                            "negation_scope": 0, "attitude": False},
            polarity_params={**params, "char": False, "valence": False},
        )
    return Pipeline(
        [
            ("features", build_features(
                cross=cross, shape=shape, signed=signed, char=char, emb=emb, word=word,
                per_issue=per_issue, negation_scope=negation_scope, valence=valence,
                attitude=attitude,
            )),
            ("clf", build_classifier(kind, C=C, calibrate=calibrate, seed=seed)),
        ]
    )


NEUTRAL, STANCE_BEARING = "neutral", "stance"
CLASSES = ("supportive", "opposed", "neutral")  # analysis.records.STANCES, without importing it


class TwoStageStance(BaseEstimator, ClassifierMixin):
    """Two linear pipelines: is the quote stance-bearing at all, and if so, which side.

    Stage 1 (neutral vs stance-bearing) sees the quote's own words, shape cues and tone
    (`valence.py`) but none of the target-aware blocks, so it cannot learn "claim-like issue =
    never neutral" (DESIGN.md's trap). Stage 2 (supportive vs opposed) is trained on
    stance-bearing statements only and sees the issue-signed, issue x quote and per-issue blocks,
    with negation scopes marked in its n-grams (`negation.py`), whether the quote approves or
    disapproves of the change itself (`attitude.py`), and without character n-grams (unsigned
    surface cues that carry topic, not polarity, across issues).
    P(neutral) = P1(neutral); P(supportive) = (1 - P1(neutral)) * P2(supportive); likewise opposed.
    """

    def __init__(self, neutral_params: dict | None = None, polarity_params: dict | None = None):
        self.neutral_params = neutral_params
        self.polarity_params = polarity_params

    def fit(self, X: Any, y: Any) -> TwoStageStance:
        y = np.asarray(y)
        self.neutral_ = build_pipeline(**(self.neutral_params or {}))
        self.neutral_.fit(X, np.where(y == NEUTRAL, NEUTRAL, STANCE_BEARING))
        bearing = np.flatnonzero(y != NEUTRAL)
        X_b = X.iloc[bearing] if hasattr(X, "iloc") else X[bearing]
        self.polarity_ = build_pipeline(**(self.polarity_params or {}))
        self.polarity_.fit(X_b, y[bearing])
        self.classes_ = np.asarray(CLASSES, dtype=object)
        self.n_features_in_ = 2
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        p1 = self.neutral_.predict_proba(X)[:, list(self.neutral_.classes_).index(NEUTRAL)]
        p2 = self.polarity_.predict_proba(X)
        sup = p2[:, list(self.polarity_.classes_).index("supportive")]
        opp = p2[:, list(self.polarity_.classes_).index("opposed")]
        return np.column_stack([(1 - p1) * sup, (1 - p1) * opp, p1])

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def stage_for(self, label: str) -> tuple[Pipeline, str]:
        """The pipeline that decided `label`, and the label as that stage knows it."""
        return (self.neutral_, NEUTRAL) if label == NEUTRAL else (self.polarity_, label)
