"""Development tooling, not shipped in the wheel: local mail servers, mail and year generators, benchmarks, the demo,
and the harness (config writer, CLI runner, daemon process) they and the tests share."""
