"""What staff do: the queue, decisions on cases, what to do about mail that made no case, accounts, the audit log,
deadlines, and the fixed lists they choose from."""
