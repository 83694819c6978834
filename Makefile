# Two commands do everything on a fresh machine: `make run` and `make test`.
# `make help` lists the rest.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PYBABEL := $(VENV)/bin/pybabel

PORT ?= 8000
WEB_WORKERS ?= 2
# pytest-xdist processes for `make test` (0 runs everything in one process).
PYTEST_WORKERS ?= 2
CHROMIUM := /usr/bin/chromium

# Created once by `make run`; var/ is gitignored.
SECRET_FILE := var/secret_key
MFA_KEY_FILE := var/mfa_encryption_key

# The demo: debug pages, e-mail printed on the console, and no authenticator app
# needed for directors and administrators.
RUN_ENV = DJANGO_DEBUG=1 REQUIRE_MFA_FOR_PRIVILEGED=false SITE_URL=http://127.0.0.1:$(PORT) \
	DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" MFA_ENCRYPTION_KEY="$$(cat $(MFA_KEY_FILE))"
# A fixed hash seed gives every pytest-xdist worker the same collection order even
# where a test parametrizes over a set. The tests speak plain HTTP to the test
# client and the live server, so production's HTTPS redirect is off.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-production DJANGO_DEBUG=0 PYTHONHASHSEED=0 \
	SECURE_SSL_REDIRECT=false MFA_ENCRYPTION_KEY=b21hdmFsdm9udGEtdGVzdHMtb25seS1rZXktMDAwMDA=
# The benchmark runs as production does (DEBUG off) on a database of its own.
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench.sqlite3
BENCH_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" MFA_ENCRYPTION_KEY="$$(cat $(MFA_KEY_FILE))" \
	DATABASE_URL=$(BENCH_DATABASE_URL) SECURE_SSL_REDIRECT=false

# Translations: every committed .po is compiled to a (gitignored) .mo with Babel,
# so no GNU gettext is needed to install or run.
PO_FILES := $(wildcard omavalvonta/locale/*/LC_MESSAGES/*.po omavalvonta/*/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help
help:  ## list the targets
	@echo "make run           set up (first time), migrate, load the demo, serve http://127.0.0.1:$(PORT)/"
	@echo "make test          install what the tests need and run the whole suite"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | grep -v -E '^(help|run|test):' \
		| awk 'BEGIN {FS = ":.*## "} {printf "make %-13s %s\n", $$1, $$2}'

# --- environment ----------------------------------------------------------------

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) not found. Install Python 3.11 or newer."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "ERROR: Python 3.11 or newer is needed, but $(PYTHON) is $$($(PYTHON) -V 2>&1)."; \
		echo "       Install a newer Python and point make at it, e.g. make run PYTHON=python3.12"; exit 1; }
	@echo "Creating $(VENV) with $$($(PYTHON) -V)..."
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "ERROR: could not create $(VENV). On Debian/Ubuntu: apt-get install python3-venv"; exit 1; }

# Stamp files: pip runs again only when a requirements file changes.
$(VENV)/.run-installed: requirements.txt | $(PY)
	@echo "Installing pinned dependencies (requirements.txt)..."
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(PY)
	@echo "Installing pinned dependencies (requirements.txt, requirements-test.txt)..."
	$(PIP) install --quiet -r requirements.txt -r requirements-test.txt
	@touch $@ $(VENV)/.run-installed

$(SECRET_FILE): | $(PY)
	@mkdir -p $(@D)
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@
	@echo "Generated a secret key in $@ (not committed)."

# The key that encrypts authenticator secrets (a Fernet key: 32 random bytes, base64).
$(MFA_KEY_FILE): | $(PY)
	@mkdir -p $(@D)
	@umask 077 && $(PY) -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' > $@.tmp && mv $@.tmp $@
	@echo "Generated an MFA encryption key in $@ (not committed)."

.PHONY: translations
translations: $(MO_FILES)  ## compile the .po files (Babel; no gettext needed)
	@$(if $(PO_FILES),:,echo "No .po files under omavalvonta/ yet: no translations to compile.")

# Babel silently skips a catalog whose header is marked fuzzy (makemessages
# writes new files so): fail instead, or the language would quietly stay English.
%.mo: %.po | $(VENV)/.run-installed
	@rm -f $@
	@$(PYBABEL) compile --statistics -i $< -o $@
	@test -f $@ || { echo "ERROR: $< was not compiled: its header is marked '#, fuzzy'."; \
		echo "       Delete that '#, fuzzy' line at the top once the translation is checked."; exit 1; }

# --- run ------------------------------------------------------------------------

# The web server and the worker run side by side, each in its own process group
# (started under set -m), so Ctrl-C reaches only this script, which stops both
# exactly once: the worker then finishes the message it is sending.
define SERVE_SCRIPT
web= worker=
stop() {
	trap - INT TERM HUP
	echo; echo "Stopping the web server and the worker..."
	[ -n "$$web" ] && kill -TERM "$$web" 2>/dev/null
	[ -n "$$worker" ] && kill -TERM "$$worker" 2>/dev/null
	wait
}
trap 'stop; exit 130' INT TERM HUP
set -m
$(RUN_ENV) WEB_WORKERS=$(WEB_WORKERS) $(VENV)/bin/gunicorn omavalvonta.wsgi:application -c gunicorn.conf.py \
	--bind 127.0.0.1:$(PORT) --log-level warning &
web=$$!
$(RUN_ENV) $(PY) manage.py worker &
worker=$$!
set +m
for _ in $$(seq 1 60); do
	kill -0 "$$web" 2>/dev/null || break
	$(PY) -c 'import urllib.request as u; u.urlopen("http://127.0.0.1:$(PORT)/accounts/login/", timeout=2)' 2>/dev/null && break
	sleep 0.5
done
echo
echo "=============================================================================="
$(RUN_ENV) $(PY) manage.py load_demo --print-logins \
	|| echo "(manage.py load_demo --print-logins failed: no demo sign-ins to show.)"
echo
echo "Open http://127.0.0.1:$(PORT)/ in your browser."
echo "Demo settings: DJANGO_DEBUG=1 (e-mails are printed here, not sent);"
echo "REQUIRE_MFA_FOR_PRIVILEGED=false (directors and administrators need no authenticator app)."
echo "The background worker (manage.py worker) runs beside the web server. Stop both with Ctrl-C."
echo "=============================================================================="
wait -n
status=$$?
echo "The web server or the worker stopped (exit $$status); stopping the other."
stop
exit $$status
endef
export SERVE_SCRIPT

.PHONY: run
run: $(VENV)/.run-installed pdf-libs translations $(SECRET_FILE) $(MFA_KEY_FILE)  ## set up, migrate, load the demo, serve on 127.0.0.1:$(PORT) with the worker
	@$(RUN_ENV) $(PY) manage.py migrate --noinput
	@$(RUN_ENV) $(PY) manage.py createcachetable --verbosity 0
	@$(RUN_ENV) $(PY) manage.py rename_uploads --verbosity 0
	@$(RUN_ENV) $(PY) manage.py shell --verbosity 0 -c 'import sys; from omavalvonta.organisation.models import Organisation; sys.exit(10 if Organisation.objects.exists() else 0)'; \
	case $$? in \
		0) echo "Loading the demo organisation (first run only; this takes a while)..."; \
		   $(RUN_ENV) $(PY) manage.py load_demo ;; \
		10) echo "The database already holds an organisation: the demo is not loaded again." ;; \
		*) echo "ERROR: could not read the database."; exit 1 ;; \
	esac
	@$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@bash -c "$$SERVE_SCRIPT"

# --- test -----------------------------------------------------------------------

.PHONY: chromium
chromium:  ## install Debian's Chromium for the browser tests (as root)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "NOTE: $(CHROMIUM) is missing, so the browser tests will be skipped."; \
		echo "      Install Debian's Chromium (sudo apt-get install chromium) and run make test again."; \
	fi

# WeasyPrint (the PDFs of plans and reports) needs Debian's pango and a font; no web fonts.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
.PHONY: pdf-libs
pdf-libs:  ## install pango and fonts for the PDFs (as root)
	@if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing pango and fonts for the PDFs..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); \
	else \
		echo "NOTE: pango or the DejaVu fonts are missing, so PDFs cannot be made (the PDF tests fail)."; \
		echo "      Install them (sudo apt-get install $(PDF_PACKAGES)) and run make again."; \
	fi

# pytest exits 5 when it collects no test (an ARGS that selects nothing): not a failure.
.PHONY: test
test: $(VENV)/.test-installed chromium pdf-libs translations  ## install what the tests need and run the whole suite
	@rc=0; $(TEST_ENV) $(PY) -m pytest -n $(PYTEST_WORKERS) $(ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests."; rc=0; fi; exit $$rc

.PHONY: pytest
pytest: $(VENV)/.test-installed translations  ## run pytest in one process with ARGS="...", e.g. ARGS="-x omavalvonta/deviations"
	$(TEST_ENV) $(PY) -m pytest $(ARGS)

# --- developer tools ------------------------------------------------------------

.PHONY: bench
bench: $(VENV)/.run-installed translations $(SECRET_FILE) $(MFA_KEY_FILE)  ## benchmark on var/bench.sqlite3 (BENCH_ARGS="...", BENCH_DATABASE_URL=...)
	@$(BENCH_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@$(BENCH_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	$(BENCH_ENV) $(PY) manage.py bench $(BENCH_ARGS)

# make lint, make faults and make load: their own tools (ruff, import-linter,
# radon, aiosmtpd, locust) beside the test dependencies; faults and load also need
# PostgreSQL for the throwaway cluster they start.
$(VENV)/.tools-installed: requirements-tools.txt $(VENV)/.test-installed
	@echo "Installing the lint, fault and load tools (requirements-tools.txt)..."
	$(PIP) install --quiet -r requirements-tools.txt
	@touch $@

.PHONY: postgresql
postgresql:  ## install PostgreSQL for make faults / make load (as root)
	@if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then :; \
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing PostgreSQL..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	else \
		echo "ERROR: PostgreSQL is missing: sudo apt-get install postgresql"; exit 1; \
	fi

# Not part of make test: minutes long, and it restarts a database it starts itself.
.PHONY: faults
faults: $(VENV)/.tools-installed postgresql translations  ## fault scenarios on a throwaway PostgreSQL + SMTP (FAULTS_ARGS="-k db")
	$(PY) tools/faults.py $(FAULTS_ARGS)

.PHONY: load
load: $(VENV)/.tools-installed translations $(if $(LOAD_DATABASE_URL),,postgresql)  ## locust against gunicorn (LOAD_DATABASE_URL=..., LOAD_ARGS="--seconds 20")
	$(PY) tools/load.py $(if $(LOAD_DATABASE_URL),--database-url "$(LOAD_DATABASE_URL)") $(LOAD_ARGS)

# ruff (rules and exceptions in pyproject.toml), import-linter (the floors of
# the house, [tool.importlinter] in pyproject.toml) and the complexity limit
# (radon, tools/check_complexity.py): all must pass before a change goes in.
.PHONY: lint
lint: $(VENV)/.tools-installed  ## ruff, import-linter (contracts in pyproject.toml), complexity at most 15
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) tools/check_complexity.py

.PHONY: messages
messages: $(VENV)/.run-installed  ## extract strings into omavalvonta/locale/{fi,sv,en} (needs GNU gettext)
	@command -v xgettext >/dev/null && command -v msgmerge >/dev/null || { \
		echo "ERROR: make messages needs GNU gettext (xgettext, msgmerge): apt-get install gettext"; exit 1; }
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l fi -l sv -l en --no-location --no-wrap \
		--ignore=.venv --ignore=staticfiles --ignore=var --ignore=test-artifacts --ignore=node_modules
	@# Sorted by message, without source locations: two branches that add strings
	@# touch different lines, and moving code between files changes no catalogue.
	@for po in $(PO_FILES); do msgattrib --no-obsolete --sort-output --no-wrap -o "$$po" "$$po"; done
	@echo "A new .po file starts with '#, fuzzy' in its header: delete that line once translated,"
	@echo "or make will refuse to compile it."

.PHONY: clean
clean:  ## remove .venv, collected static files, compiled translations, caches, test artifacts, the bench DB
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache var/bench.sqlite3*
	find omavalvonta -name '*.mo' -path '*/LC_MESSAGES/*' -delete
	find omavalvonta -name __pycache__ -type d -prune -exec rm -rf {} +
	@echo "Kept var/omavalvonta.sqlite3 (the demo database) and $(SECRET_FILE); rm -rf var to start afresh."
