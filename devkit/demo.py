"""`make demo`: the intake on embedded defaults against a local test mailbox.

Starts a throw-away Dovecot and a local SMTP sink under ./demo-run/, delivers
the sample mails of tests/mails/intake/, writes a config that differs from the
defaults only in the server connections, runs `db upgrade`, `poll --once` and
`outbox send` through the real CLI, then prints the resulting cases and the
acknowledgements the sink received (also saved as .eml under demo-run/sent/).
"""

from __future__ import annotations

import email
import email.policy
import faulthandler
import json
import os
import shutil
import signal
import sys
from datetime import datetime
from pathlib import Path

from mailintake.config import load
from mailintake.store.database import Database

from .devmail import LocalDovecot, SmtpSink
from .harness import CommandFailed, DaemonProcess, local_config, run_cli, write_config
from .yeargen import generate_year

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "mails" / "intake"
PASSWORD_ENV = "MAILINTAKE_IMAP_PASSWORD"


def main() -> int:
    # SIGTERM (also from `make`, which passes it on) unwinds like Ctrl-C: every server started here is stopped
    signal.signal(signal.SIGTERM, _unwind)
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1` prints where a demo that will not stop is waiting
    run_dir = Path("demo-run").resolve()
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    samples = sorted(SAMPLES.glob("*.eml"))
    sent_dir = run_dir / "sent"
    sent_dir.mkdir()
    with LocalDovecot(run_dir / "dovecot", users={"ombuds": "demo"}) as imap, SmtpSink() as smtp:
        imap.append_many("ombuds", "INBOX", [path.read_bytes() for path in samples])
        print(f"Delivered {len(samples)} sample mails to a local Dovecot on {imap.host}:{imap.port}; "
              f"the SMTP sink listens on {smtp.host}:{smtp.port}.")
        config = demo_config(run_dir, imap, smtp)
        env = {PASSWORD_ENV: "demo"}
        cli(config, env, "db", "upgrade")
        poll = cli(config, env, "poll", "--once")
        print(f"\n$ mailintake poll --once\n{poll}")
        show_cases(json.loads(cli(config, env, "cases", "list", "--json")))
        sent = cli(config, env, "outbox", "send")
        print(f"\n$ mailintake outbox send\n{sent}")
        show_acknowledgements(smtp, sent_dir)
        print(f"\nEverything is under {run_dir}: config.toml, mailintake.sqlite, the Maildir.")
        print(f"Try: MAILINTAKE_IMAP_PASSWORD=demo mailintake --config {config} cases show REF --json")
        if os.environ.get("MAILINTAKE_DEMO_REPORT", "1") != "0":
            show_annual_report(config, env, run_dir)
        serve_review_ui(config, env)
    return 0


def _unwind(signum, _frame) -> None:
    """Stop once: a second Ctrl-C or SIGTERM while the servers are being stopped is ignored, not let to cut
    that short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.exit(128 + signum)


def show_annual_report(config_path: Path, env: dict, run_dir: Path) -> None:
    """Two generated past years of decided cases (yeargen), then the report of the last one in each format."""
    config = load(config_path)
    year = datetime.now(config.intake.zone).year - 1
    database = Database(config.database.resolved_url())
    with database.unit_of_work() as session:
        for seeded in (year - 1, year):
            generate_year(session, config, seeded, seed=2026)
    database.dispose()
    print(f"\nGenerated {year - 1} and {year} with staff decisions (devkit.yeargen), then the annual report:")
    for fmt in ("html", "pdf", "csv"):
        out = run_dir / f"jaarverslag-{year}.{fmt}"
        cli(config_path, env, "report", "--year", str(year), "--format", fmt, "--out", str(out))
        print(f"  {out.as_uri()}")
    print(f"  (in the review UI: Jaarverslag, /jaarverslag/{year}.html)")


DEMO_LOGIN = ("demo", "demo-wachtwoord")


def serve_review_ui(config: Path, env: dict) -> None:
    """The staff review UI on the demo data, until Ctrl-C (MAILINTAKE_DEMO_SERVE=0 skips it)."""
    if os.environ.get("MAILINTAKE_DEMO_SERVE", "1") == "0":
        return
    port = os.environ.get("MAILINTAKE_DEMO_PORT", "8080")
    name, password = DEMO_LOGIN
    cli(config, env, "users", "add", name, "--role", "admin", input=password + "\n")
    with DaemonProcess(config, env=env, name="serve", args=("serve", "--port", port)) as serve:
        serve.wait_for("review UI on", timeout=60)  # printed once it listens
        # Ctrl-C from here on: unwind once, as SIGTERM does. Set before the line that says Ctrl-C stops it: started in
        # the background, the demo inherits an ignored SIGINT, and a Ctrl-C sent right after that line was lost.
        signal.signal(signal.SIGINT, _unwind)
        print(f"\nReview UI: http://127.0.0.1:{port}/   log in as {name} / {password}   (Ctrl-C stops it)", flush=True)
        serve.proc.wait()


def demo_config(run_dir: Path, imap: LocalDovecot, smtp: SmtpSink) -> Path:
    """A config that differs from the embedded defaults only in the server connections."""
    data = local_config(imap, smtp, "ombuds", f"sqlite:///{run_dir}/mailintake.sqlite", password_env=PASSWORD_ENV)
    return write_config(run_dir / "config.toml", data)


def show_acknowledgements(smtp: SmtpSink, sent_dir: Path) -> None:
    messages = smtp.messages
    print(f"\nThe local SMTP sink received {len(messages)} acknowledgements:")
    for number, envelope in enumerate(messages, 1):
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        (sent_dir / f"{number:03d}.eml").write_bytes(envelope.content)
        print(f"  to {', '.join(envelope.rcpt_tos):<38} {mail['Content-Language'] or '':<3} {mail['Subject']}")
    if messages:
        first = email.message_from_bytes(messages[0].content, policy=email.policy.default)
        print(f"\nThe first one, as the citizen reads it ({sent_dir / '001.eml'}):\n")
        print("\n".join("    " + line for line in first.get_body(("plain",)).get_content().splitlines()))


def cli(config: Path, env: dict, *args: str, input: str | None = None) -> str:
    try:
        return run_cli(config, *args, env=env, input=input).stdout.strip()
    except CommandFailed as exc:
        sys.exit(str(exc))


def show_cases(cases: list[dict]) -> None:
    print(f"\n{len(cases)} draft cases:")
    print(f"  {'reference':<16} {'lang':<4} {'service':<12} {'flags':<40} subject")
    for case in cases:
        flags = ",".join(case["flags"]) or "-"
        follow_ups = sum(1 for m in case["messages"] if m["outcome"] == "follow_up")
        extra = f" (+{follow_ups} follow-up)" if follow_ups else ""
        print(f"  {case['ref']:<16} {case['language']:<4} {str(case['service']):<12} {flags:<40} {case['subject'][:60]}{extra}")


if __name__ == "__main__":
    sys.exit(main())
