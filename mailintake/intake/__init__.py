"""The intake: every message in the mailbox becomes exactly one committed outcome, and only then leaves the INBOX.

poll (fetch a batch, two commits, move) → ledger (attempts, duplicates,
quarantine) → analysis (parse + triage, no transaction) → outcome (own mail,
robot, follow-up or new case, in `cases`).
"""
