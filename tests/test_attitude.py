"""Attitude toward the change itself (analysis/stance/attitude.py)."""

from __future__ import annotations

import pytest

from analysis.stance.attitude import FEATURES, ChangeAttitude, attitude
from analysis.stance.features import build_pipeline, frame

ISSUE = "Closing the harbour to cruise ships"


@pytest.mark.parametrize("text, expected", [
    ("We strongly support this decision.", (1.0, 0.0)),
    ("We welcome today's announcement.", (1.0, 0.0)),
    ("They back the administration's latest move.", (1.0, 0.0)),
    ("I condemn it.", (0.0, 1.0)),
    ("We object to this plan.", (0.0, 1.0)),
    # the issue's own verb names the change
    ("We support closing the harbour.", (1.0, 0.0)),
    ("I welcome the decision to close the harbour.", (1.0, 0.0)),
    # a negation before the verb turns it round
    ("We cannot support this decision.", (0.0, 1.0)),
    ("We will not stand behind this plan.", (0.0, 1.0)),
    ("We do not oppose the move.", (1.0, 0.0)),
    # aimed at something else than the change, or at nothing: no attitude toward it
    ("We support the harbour workers.", (0.0, 0.0)),
    ("We regret the end of the policy.", (0.0, 0.0)),
    ("We neither welcome nor oppose it.", (0.0, 0.0)),
    ("Go back to this step of the plan.", (0.0, 0.0)),
    ("The decision was announced on Monday.", (0.0, 0.0)),
    # someone else's attitude, or a decision that names another change
    ("Critics who oppose this decision are wrong.", (0.0, 0.0)),
    ("We support the decision to keep the harbour open.", (0.0, 0.0)),
    # "against" and "in favour of" are attitudes too
    ("We are not against this decision.", (1.0, 0.0)),
    ("We are firmly in favour of the move.", (1.0, 0.0)),
    # a verdict said of the change counts the same way
    ("It is a wise decision.", (1.0, 0.0)),
    ("This decision is the right call.", (1.0, 0.0)),
    ("It's long overdue.", (1.0, 0.0)),
    ("Closing the harbour is a step in the right direction.", (1.0, 0.0)),
    ("It would be a grave mistake.", (0.0, 1.0)),
    ("This reckless move will cost the town its jobs.", (0.0, 1.0)),
    ("It is wrong to close the harbour.", (0.0, 1.0)),
    ("The council is right to close the harbour.", (1.0, 0.0)),
    ("The mayor would not be wrong to close the harbour.", (1.0, 0.0)),
    ("Critics are wrong to worry.", (0.0, 0.0)),
    ("This is no betrayal of the town.", (1.0, 0.0)),
    ("This isn't a mistake.", (1.0, 0.0)),
    # ... and not when said of something else
    ("It is a dangerous world out there.", (0.0, 0.0)),
    ("It is wrong to leave the workers without pay.", (0.0, 0.0)),
    ("Keeping the harbour open was a mistake, and that was wrong.", (0.0, 0.0)),
    ("Critics who call this decision reckless are wrong.", (0.0, 0.0)),
    ("That is the right of every port.", (0.0, 0.0)),
    ("They will respond with necessary measures.", (0.0, 0.0)),
    ("It may not be catastrophic, but it worries me.", (0.0, 0.0)),
    # ... or when it is someone else's, or in question
    ("They tell me it isn't dangerous, and then they tell me not to touch it.", (0.0, 0.0)),
    ("Critics claim this decision is reckless.", (0.0, 0.0)),
    ("We are told it is a wise decision.", (0.0, 0.0)),
    ("We say it is a wise decision.", (1.0, 0.0)),
    ("Nobody knows whether she supports the measure.", (0.0, 0.0)),
])
def test_attitude_toward_the_change(text: str, expected: tuple[float, float]) -> None:
    assert attitude(text, ISSUE) == expected


def test_attitude_block_is_in_the_polarity_stage_only() -> None:
    X = frame(["We welcome it.", "We condemn this move.", "Vote on Monday."], [ISSUE] * 3)
    block = ChangeAttitude().fit(X)
    assert block.transform(X).toarray().tolist() == [[1, 0], [0, 1], [0, 0]]
    assert list(block.get_feature_names_out()) == list(FEATURES)
    model = build_pipeline(kind="lr", calibrate=False, two_stage=True, attitude=True,
                           char=False, cross=False)
    model.fit(frame(["We welcome it.", "We condemn it.", "Vote on Monday."] * 4, [ISSUE] * 12),
              ["supportive", "opposed", "neutral"] * 4)
    assert "attitude" in model.polarity_.named_steps["features"].named_transformers_
    assert "attitude" not in model.neutral_.named_steps["features"].named_transformers_
