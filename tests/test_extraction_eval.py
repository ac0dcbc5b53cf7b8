"""Scoring predictions against gold quotes (analysis/extraction_eval.py)."""

from __future__ import annotations

import pytest

from analysis.extraction_eval import evaluate_extraction, format_report, match, prf


@pytest.mark.parametrize(
    "pred, gold, expected",
    [
        ([[[0, 10]]], [[[0, 10]]], [(0, 0)]),
        # overlap of 5 is half of the shorter (10): a match
        ([[[0, 10]]], [[[5, 40]]], [(0, 0)]),
        # overlap of 4 is less than half of the shorter: no match
        ([[[0, 10]]], [[[6, 40]]], []),
        # one-to-one: the larger overlap wins, the other gold stays unmatched
        ([[[0, 20]]], [[[0, 12]], [[12, 20]]], [(0, 0)]),
        # pieces: overlap is counted over all pieces
        ([[[0, 5], [10, 15]]], [[[0, 15]]], [(0, 0)]),
        ([], [[[0, 5]]], []),
    ],
)
def test_match(pred, gold, expected) -> None:
    assert match(pred, gold) == expected


def test_prf_handles_empty() -> None:
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert prf(1, 2, 1) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}


def _rec(start, end, kind="direct", speaker="Ann Lee", actor="expert", doc="d1", pieces=None):
    return {
        "doc_id": doc, "start": start, "end": end, "pieces": pieces or [[start, end]],
        "kind": kind, "speaker": speaker, "actor_type": actor, "quote": "",
    }


def test_evaluate_direct_and_all() -> None:
    gold = [
        _rec(0, 20),
        _rec(30, 50),
        _rec(60, 90, kind="indirect", speaker="critics", actor="other"),
    ]
    pred = [
        # one record with two pieces covers the two gold records of a split quote
        _rec(0, 50, pieces=[[0, 20], [30, 50]]),
        _rec(60, 90, kind="indirect", speaker="Critics", actor="expert"),
        _rec(100, 110, speaker="Bo", doc="d1"),
    ]
    result = evaluate_extraction(pred, gold)
    d = result["direct"]
    assert (d["n_gold"], d["n_predicted"], d["n_matched"]) == (2, 3, 2)
    assert d["recall"] == 1.0 and d["speaker_accuracy"] == 1.0
    a = result["all"]
    assert (a["n_gold"], a["n_predicted"], a["n_matched"]) == (3, 4, 3)
    assert a["speaker_accuracy"] == 1.0  # case and punctuation are ignored
    assert a["actor_type_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert len(a["false_positives"]) == 1 and not a["misses"]


def test_documents_are_matched_separately() -> None:
    result = evaluate_extraction([_rec(0, 10, doc="a")], [_rec(0, 10, doc="b")])
    assert result["all"]["n_matched"] == 0


def test_anonymity_is_compared_on_matched_quotes_that_record_it() -> None:
    gold = [{**_rec(0, 10), "anonymous": True, "speaker_mention": "two officials familiar with it"},
            {**_rec(20, 30), "anonymous": False},
            _rec(40, 50)]  # a gold file may not record anonymity
    pred = [{**_rec(0, 10), "anonymous": False}, {**_rec(20, 30), "anonymous": False},
            {**_rec(40, 50), "anonymous": True}]
    a = evaluate_extraction(pred, gold)["all"]
    assert (a["anonymous_agree"], a["anonymous_compared"]) == (1, 2)
    assert a["anonymous_accuracy"] == 0.5
    assert [w["gold"]["start"] for w in a["wrong_anonymous"]] == [0]
    report = format_report({"direct": a, "all": a})
    assert "anonymous agree 1 of 2" in report
    assert ("ANONYMITY: '': gold two officials familiar with it (anonymous), "
            "predicted Ann Lee (named)") in report
