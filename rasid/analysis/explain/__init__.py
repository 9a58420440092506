"""Why there: the actor's focus per place attributed to objectives, its shift explained, and a verdict per claim.

Modules: :mod:`.panel` (the unit-month table and objectives), :mod:`.models` (NB GLM, LightGBM attribution),
:mod:`.oos` (rolling out-of-sample check), :mod:`.shift` (change of share), :mod:`.claims` (verdicts),
:mod:`.evidence` (motive sentences and places), :mod:`.core` (:func:`explain`). docs/explain.md describes them.
"""

from __future__ import annotations

from rasid.analysis.explain.claims import (
    VERDICTS,
    Claim,
    claims_from_motives,
    default_claims,
    evaluate_claims,
    read_claims,
)
from rasid.analysis.explain.core import Explanation, explain
from rasid.analysis.explain.panel import (
    CLAIM_OBJECTIVES,
    MAIN_FEATURES,
    MODEL_FEATURES,
    OBJECTIVES,
    explain_frame,
    explain_panel,
)

__all__ = ["explain", "explain_panel", "explain_frame", "Explanation", "OBJECTIVES", "CLAIM_OBJECTIVES",
           "MODEL_FEATURES", "MAIN_FEATURES", "Claim", "read_claims", "claims_from_motives", "default_claims",
           "evaluate_claims", "VERDICTS"]
