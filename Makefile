# Set-up on a fresh Debian machine (as root): `make demo` runs the intake on embedded
# defaults, `make test` runs the whole test suite. Both install what is missing: the
# Debian packages below, and the project with its test extras into ./.venv (never
# into the system Python).
VENV ?= .venv
PYTHON := $(VENV)/bin/python
APT_PACKAGES = python3 python3-venv \
	dovecot-imapd postgresql chromium libatomic1 nginx systemd procps \
	fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
# libatomic1 for the node that drives Chromium (Playwright); nginx, systemd (systemd-analyze) and procps (pgrep)
# for the deployment tests; pango and fonts for the
# report's PDF (weasyprint); poppler-utils (pdftoppm, pdftotext) for the report tests

.PHONY: install system-packages demo test test-unit bench bench-ui faults

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The virtual environment, rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q -e '.[test]'
	@touch $@

install: system-packages $(VENV)/.installed

demo: install
	$(PYTHON) -m devkit.demo

test: install
	$(PYTHON) -m pytest

# The pure tests only: triage, parsing, answer policy, deadlines, config, composing mail, the layout. No servers.
test-unit: install
	$(PYTHON) -m pytest tests/unit

# The pipeline benchmark (prints a table, writes bench-results.json), then triage alone on the dev set.
bench: install
	$(PYTHON) -m devkit.bench
	$(PYTHON) -m devkit.triage_bench ../shared/eval/dev

# The staff pages (p50/p95 over HTTP against a real `mailintake serve`) and the year jobs over CASES generated
# cases (default 100,000; filling them takes a while), on SQLite, or PostgreSQL with POSTGRES_URL=...
CASES ?= 100000
bench-ui: install
	$(PYTHON) -m devkit.bench_ui --cases $(CASES) $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

# The crash and fault suite at a larger scale (about 1,000 messages, 180+
# crash rounds per database; ~15 minutes on 2 cores); prints the fault table.
faults: install
	MAILINTAKE_FAULT_SCALE=large MAILINTAKE_TEST_DATABASES=sqlite,postgresql MAILINTAKE_FAULT_REPORT=fault-report.json \
		$(PYTHON) -m pytest -q tests/faults
