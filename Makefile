# Set-up on a fresh Debian machine: `make demo` runs the intake on embedded
# defaults, `make test` runs the whole test suite. Both install what is missing.
PYTHON ?= python3
APT_PACKAGES = dovecot-imapd postgresql chromium fonts-dejavu-core \
	libpango-1.0-0 libpangoft2-1.0-0 poppler-utils  # weasyprint (report PDF); pdftoppm/pdftotext (report tests)

.PHONY: install system-packages demo test bench

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

bench: install
	$(PYTHON) -m mailintake.bench_triage ../shared/eval/dev
