"""Helpers the tests share: paths and mails, the world, the fault kit, the proxy, PostgreSQL, hostile mail, years."""
