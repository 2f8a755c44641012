"""Triage: pure, offline classification of one parsed message.

What kind of mail it is, which service a complaint concerns and the admissibility flags,
each with the evidence that produced it. No network, no database; the only input besides
the message is the vocabulary packaged as TOML next to this file (read once).

>>> from mailintake.triage import triage, TriageSettings
>>> verdict = triage(parsed, settings=TriageSettings())
>>> verdict.to_json()["kind"]
'complaint'
"""

from .core import triage
from .model import FLAGS, KINDS, SERVICES, Evidence, Flag, TriageSettings, Verdict

__all__ = ["triage", "TriageSettings", "Verdict", "Flag", "Evidence", "KINDS", "SERVICES", "FLAGS"]
