"""Why a rule fired or not: ``riskscreen explain`` and the API behind it.

::

    from riskscreen import Screener
    from riskscreen.explain import explain, render_explanation

    explanation = explain(Screener(), {"id": "obs-1", "category": "gas_safety", ...})
    print(render_explanation(explanation))
    explanation.rule("GAS-004").outcome        # "fired", "not_fired", "insufficient", ...

For every candidate rule it gives the outcome (fired, not fired, insufficient with what
was missing, excluded by ``unless``, outside its validity dates or jurisdiction, disabled
by an override), the clauses that decided it and the values of the symbols it read.
"""

from .explainer import describe_clause, explain, explain_rule
from .model import OUTCOME_LABELS, Clause, Explanation, Outcome, RuleExplanation
from .text import render_explanation, render_rule

__all__ = [
    "OUTCOME_LABELS",
    "Clause",
    "Explanation",
    "Outcome",
    "RuleExplanation",
    "describe_clause",
    "explain",
    "explain_rule",
    "render_explanation",
    "render_rule",
]
