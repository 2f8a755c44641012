"""`mailintake run`: the scheduler and its jobs (poll, relay, daily digest and retention), IDLE, signals, health."""
