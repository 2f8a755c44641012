# Set-up on a fresh Debian machine: `make demo` runs the intake on embedded
# defaults, `make test` runs the whole test suite. Both install what is missing.
PYTHON ?= python3
APT_PACKAGES = dovecot-imapd postgresql chromium fonts-dejavu-core \
	libpango-1.0-0 libpangoft2-1.0-0 poppler-utils  # weasyprint (report PDF); pdftoppm/pdftotext (report tests)

.PHONY: install system-packages demo test bench faults

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

install: system-packages
	$(PYTHON) -m pip install -q -e '.[test]'

demo: install
	$(PYTHON) -m mailintake.demo

test: install
	$(PYTHON) -m pytest

# The pipeline benchmark (prints a table, writes bench-results.json), then triage alone on the dev set.
bench: install
	$(PYTHON) -m mailintake.bench
	$(PYTHON) -m mailintake.triage.bench ../shared/eval/dev

# The crash and fault suite at a larger scale (about 1,000 messages, 180+
# crash rounds per database; ~15 minutes on 2 cores); prints the fault table.
FAULT_TESTS = tests/test_crash_points.py tests/test_server_faults.py tests/test_scale_out.py tests/test_state_machine.py
faults: install
	MAILINTAKE_FAULT_SCALE=large MAILINTAKE_TEST_DATABASES=sqlite,postgresql MAILINTAKE_FAULT_REPORT=fault-report.json \
		$(PYTHON) -m pytest -q $(FAULT_TESTS)
