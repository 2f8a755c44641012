"""Triage: pure, offline classification of one parsed message.

What kind of mail it is (`domain.KINDS`), which service a complaint concerns and the admissibility
flags (`domain.FLAGS`),
each with the evidence that produced it. No network, no database; the only input besides
the message is the vocabulary packaged as TOML next to this file (read once).

>>> from mailintake.triage import triage, TriageSettings
>>> verdict = triage(parsed, settings=TriageSettings())
>>> verdict.to_json()["kind"]
'complaint'
"""

from .core import triage
from .model import Evidence, Flag, TriageSettings, Verdict

__all__ = ["triage", "TriageSettings", "Verdict", "Flag", "Evidence"]
