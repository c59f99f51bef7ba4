# Build / lint / test tooling of the Odoo 18.0 addon helpdesk_support_pack.
#
# The repository root IS the addon (its __manifest__.py is at the top), and the
# checkout may be named anything: Odoo gets the addon through the symlink
# .build/addons/helpdesk_support_pack -> $(CURDIR).
#
#   make deps    set up the machine, doing only what is missing (each step says
#                what it does and how long it took; "nothing to install" when
#                all is there): Debian packages (apt-get, through sudo when not
#                root), PostgreSQL started, the current user's role, Odoo 18.0
#                from its official nightly source (into .build/venv when the
#                system Python is externally managed), the OCA helpdesk addons,
#                lint and test tools, prettier (tools_dev/setup_machine.sh)
#   make lint    ruff check + ruff format --check, pylint-odoo (OCA mandatory
#                checks, blocking), oca-checks-odoo-module, oca-checks-po,
#                prettier --check, eslint, README.rst, index.html and
#                README.md up to date with readme/
#   make format  ruff --fix, ruff format, prettier --write, eslint --fix,
#                oca-checks-po --fix
#   make test    deps + lint + the set-up script's own tests (stubs, no
#                network) + the wheel's build, metadata and file list (the
#                addon only: no development file, see .gitattributes) + the
#                addon's whole Odoo test suite on a fresh
#                throw-away database (no demo data), then the suites of
#                helpdesk_mgmt, helpdesk_mgmt_sla and helpdesk_mgmt_timesheet
#                on that database with the addon installed, and the demo
#                data installed on another (make run's database); log in
#                .build/test.log (TEST_LOG=...); last line:
#                "odoo: N passed, M failed; host addons: K passed, L failed"
#   make pytest  deps of the tests + pytest-odoo; the addon's tests under
#                pytest on an existing database, without updating the addon
#                (fast single-test runs): PYTEST_DB (support_pack_pytest,
#                created once with the addon and no demo data when missing;
#                PYTEST_UPDATE=1 updates the addon first, after a change of
#                models, views or data), PYTEST_ARGS (default tests), e.g.
#                  make pytest PYTEST_ARGS=tests/test_support_level.py
#                  make pytest PYTEST_ARGS='tests/test_x.py::TestX::test_y'
#                  make pytest PYTEST_ARGS="-k counters -x"
#                HttpCase tests (portal pages, tours) run on pytest-odoo's
#                own Odoo server (--odoo-http)
#   make run     deps + demo database support_pack_demo (with demo data),
#                served on http://localhost:8069
#   make bench   on throw-away databases: the cost of posting against the host
#                addons alone, 8 agents over JSON-RPC on a --workers=4 server
#                (host addons alone and with the addon, side by side),
#                SLA ticket creation, the jobs (docs/DEVELOP.md)
#   make i18n    refresh the .pot and merge it into fr.po / es.po
#   make readme  README.rst, static/description/index.html and README.md
#                from the readme/ fragments (`make lint` fails when stale)
#   make clean   remove .build
#
# Variables that can be overridden: PYTHON_BASE, PYTHON, TEST_PORT, TEST_LOG, TEST_HOST_MODULES,
# TEST_EMAIL_FROM, RUN_PORT, DEMO_DB, PYTEST_DB, PYTEST_ARGS, PYTEST_UPDATE,
# PYTEST_DATA_DIR, PYTEST_LOG_LEVEL,
# ODOO_NIGHTLY_URL, ODOO_INSTALL_TIMEOUT, NPM.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

ADDON := helpdesk_support_pack
NPM ?= npm
BUILD := $(CURDIR)/.build
# The interpreter: .build/venv's when the set-up made one (the system Python is
# externally managed, PEP 668), else PYTHON_BASE.  Recursive on purpose: a
# recipe that runs after `deps` created the venv gets the venv's python.
PYTHON_BASE ?= python3
VENV := $(BUILD)/venv
PYTHON ?= $(shell if [ -x '$(VENV)/bin/python' ]; then echo '$(VENV)/bin/python'; else echo '$(PYTHON_BASE)'; fi)
ADDONS_DIR := $(BUILD)/addons
ADDON_LINK := $(ADDONS_DIR)/$(ADDON)
ODOO_CFG := $(BUILD)/odoo.cfg
TEST_LOG := $(BUILD)/test.log
TEST_PORT ?= 8169
RUN_PORT ?= 8069
DEMO_DB ?= support_pack_demo

# Odoo is run as `python3 -m odoo` (same interpreter as the checks; the `odoo`
# console script of a source install can be broken by pkg_resources).  odoo-bin
# sets TZ=UTC before importing odoo and `python -m odoo` does not, so the
# recipes that run Odoo export TZ=UTC.
ODOO = $(PYTHON) -m odoo

ODOO_NIGHTLY_URL ?= https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz
ODOO_INSTALL_TIMEOUT ?= 900

# helpdesk_mgmt_sla: the 18.0.2.x series this addon is tested with (the same
# range as depends_override in pyproject.toml)
OCA_REQS := 'odoo-addon-helpdesk-mgmt==18.0.*' 'odoo-addon-helpdesk-mgmt-timesheet==18.0.*' 'odoo-addon-helpdesk-mgmt-sla==18.0.2.*' 'odoo-addon-contract==18.0.*' 'odoo-addon-product-contract==18.0.*'
# Versions of OCA's oca-addons-repo-template for 18.0 (ruff, pylint-odoo 9.3,
# odoo-pre-commit-hooks 0.1, prettier 3.3.3 + plugin-xml 3.4.1 in package.json).
LINT_REQS := 'ruff==0.9.9' 'pylint-odoo==9.3.*' 'oca-odoo-pre-commit-hooks==0.1.*'
# Odoo's HttpCase drives Chromium through the DevTools websocket (portal tour);
# whool builds the wheel `make test` checks.
TEST_REQS := 'websocket-client' 'whool==1.3.1'
# `make pytest` only: pytest-odoo 2.x runs Odoo 18.0's tests under pytest
PYTEST_REQS := 'pytest-odoo==2.*'
# README.rst and index.html are generated from readme/ with it (an Odoo
# requirement; `make lint` needs it without Odoo)
DOC_REQS := 'docutils>=0.17'

# The machine's set-up (tools_dev/setup_machine.sh), shared by every target that
# needs it; --steps limits it.
SETUP = PYTHON_BASE='$(PYTHON_BASE)' VENV='$(VENV)' SETUP_BUILD_DIR='$(BUILD)' \
	ODOO_NIGHTLY_URL='$(ODOO_NIGHTLY_URL)' ODOO_INSTALL_TIMEOUT='$(ODOO_INSTALL_TIMEOUT)' \
	bash $(CURDIR)/tools_dev/setup_machine.sh
pip_args = $(foreach r,$(1),--pip $(r))

# oca-checks-odoo-module (OCA's XML/CSV/manifest checks that left pylint-odoo).
# It looks for __manifest__.py in the parents of the given path but stops at
# the git top-level, so it silently checks nothing when the addon IS the
# repository root: hiding git from it (GIT_DIR) makes it look up to "/".
OCA_CHECKS = env GIT_DIR=$(BUILD)/no-git $(PYTHON) -m oca_pre_commit_hooks
# OCA's checks of the translation files (oca-checks-po: layout, duplicates,
# placeholders kept in the translation, no translation equal to its source)
OCA_CHECKS_PO = $(PYTHON) -c 'import sys; from oca_pre_commit_hooks.cli_po import main; sys.exit(main())'
PO_FILES = i18n/$(ADDON).pot i18n/fr.po i18n/es.po

PRETTIER := $(CURDIR)/node_modules/.bin/prettier
ESLINT := $(CURDIR)/node_modules/.bin/eslint
ESLINT_FILES := 'static/src/**/*.js' 'static/tests/**/*.js'
PRETTIER_FILES := '**/*.{xml,yml,yaml,js,css,scss,md}' '!**/i18n/**' '!**/static/lib/**' '!.build/**' '!node_modules/**'

# Comma-separated --addons-path: the addon's symlink folder, odoo/addons, and
# the classic <odoo source root>/addons when it exists.  OCA wheels in
# site-packages/odoo/addons are found by Odoo by itself (odoo.addons.__path__).
ADDONS_PATH_CMD = $(PYTHON) -c 'import os, odoo.addons.base as b; a = os.path.dirname(os.path.dirname(b.__file__)); r = os.path.join(os.path.dirname(os.path.dirname(a)), "addons"); print(",".join(["$(ADDONS_DIR)", a] + ([r] if os.path.isdir(r) else [])))'

.PHONY: i18n readme help deps deps-lint link odoo-cfg lint format test pytest run bench clean

help:
	@sed -n '/^#   make/,/^#$$/{p;/^#$$/q}' $(firstword $(MAKEFILE_LIST)) | sed -e 's/^# \{0,1\}//'

# ---------------------------------------------------------------- deps
# The machine's whole set-up (what .ci/run relies on: it only runs make test).
deps:
	@$(SETUP) $(call pip_args,$(OCA_REQS) $(LINT_REQS) $(DOC_REQS) $(TEST_REQS)) --node-dir '$(CURDIR)'

# What lint and format need (no Odoo, no PostgreSQL).
deps-lint:
	@$(SETUP) --steps python,node $(call pip_args,$(LINT_REQS) $(DOC_REQS)) --node-dir '$(CURDIR)'

link:
	@mkdir -p "$(ADDONS_DIR)"
	ln -sfn "$(CURDIR)" "$(ADDON_LINK)"

# an empty config file, so that ~/.odoorc or $$ODOO_RC never leak into the runs
odoo-cfg:
	@mkdir -p "$(BUILD)"
	printf '[options]\n' > "$(ODOO_CFG)"

# ---------------------------------------------------------------- lint
lint: deps-lint link
	@rc=0
	step() { echo "+ $$*"; "$$@" || { rc=1; echo "^^^ FAILED: $$1 $$2 $$3"; }; }
	step $(PYTHON) -m ruff check --no-fix .
	step $(PYTHON) -m ruff format --check .
	if [ -f __manifest__.py ]; then
	  step $(PYTHON) -m pylint --rcfile=$(CURDIR)/.pylintrc-mandatory --output-format=text "$(ADDON_LINK)"
	  step $(OCA_CHECKS) "$(ADDON_LINK)"
	else
	  echo "(no __manifest__.py yet: pylint-odoo and oca-checks-odoo-module skipped)"
	fi
	step $(OCA_CHECKS_PO) --no-verbose $(PO_FILES)
	step "$(PRETTIER)" --check --no-error-on-unmatched-pattern $(PRETTIER_FILES)
	step "$(ESLINT)" --max-warnings=0 --no-error-on-unmatched-pattern $(ESLINT_FILES)
	step $(PYTHON) tools_dev/gen_readme.py --check
	if [ $$rc -ne 0 ]; then echo "lint: FAILED (\`make format\` fixes formatting, \`make readme\` the README)" >&2; exit 1; fi
	echo "lint: OK"

format: deps-lint link
	@if [ -f __manifest__.py ]; then
	  echo "+ oca-checks-odoo-module --fix"
	  $(OCA_CHECKS) --fix "$(ADDON_LINK)" || true
	fi
	echo "+ ruff check --fix"
	$(PYTHON) -m ruff check --fix --exit-zero .
	echo "+ ruff format"
	$(PYTHON) -m ruff format .
	echo "+ prettier --write"
	"$(PRETTIER)" --write --log-level=warn --no-error-on-unmatched-pattern $(PRETTIER_FILES)
	echo "+ eslint --fix"
	"$(ESLINT)" --fix --no-error-on-unmatched-pattern $(ESLINT_FILES) || true
	echo "+ oca-checks-po --fix"
	$(OCA_CHECKS_PO) --fix --no-verbose $(PO_FILES) || true

# ---------------------------------------------------------------- test
# Host addons whose own test suites run on the test database with this addon
# installed (DESIGN.md: "the host addons' own test suites still pass with this
# addon installed").  Their post_install tests run in the install run, after
# this addon is installed.  Their at_install tests would run there while each
# host addon installs, before this addon is, and prove nothing: each test file
# holding at_install tests runs instead through --test-file on the same
# database, in the registry where this addon is loaded.
TEST_HOST_MODULES ?= helpdesk_mgmt helpdesk_mgmt_sla helpdesk_mgmt_timesheet
# Host addons whose suites read their demo records (OCA's CI runs them with demo
# data): they run in step 3, on the database installed with the demo data, as
# tests of this addon tagged hsp_demo (tests/test_host_<module>.py subclass the
# host's test classes, so they run once this addon is installed); the summary
# counts them as the host's.
TEST_DEMO_HOST_MODULES ?= contract product_contract
# Host tests that need the host's demo records (helpdesk_mgmt.helpdesk_category_1,
# helpdesk_mgmt.helpdesk_team_2), which a --without-demo database lacks: they
# error out with or without this addon.  (The same routes are tested with own
# fixtures in tests/test_support_portal_authorization.py.)
TEST_HOST_SKIP ?= -/helpdesk_mgmt:TestHelpdeskPortal.test_submit_ticket_01,-/helpdesk_mgmt:TestHelpdeskPortal.test_submit_ticket_02,-/helpdesk_mgmt_timesheet:TestHelpdeskPortal.test_submit_ticket_team
comma := ,
TEST_TAGS = $(subst $() ,,/$(ADDON)$(comma)-hsp_demo$(foreach m,$(TEST_HOST_MODULES),$(comma)/$(m)$(comma)-at_install/$(m))$(if $(TEST_HOST_SKIP),$(comma)$(TEST_HOST_SKIP)))
# The host test files that hold at_install tests (Odoo's own loader and tag
# selector; argv: addons path, modules).
TEST_HOST_FILES_CMD = $(PYTHON) -c 'import sys; from odoo.tools import config; config.parse_config(["--addons-path=" + sys.argv[1], "--test-enable", "--log-level=warn"]); from odoo.modules.module import initialize_sys_path; initialize_sys_path(); from odoo.tests import loader; from odoo.tests.tag_selector import TagsSelector; at = TagsSelector("at_install"); [print(t.__file__) for m in sys.argv[2:] for t in loader.get_test_modules(m) if any(at.check(c) for c in loader.get_module_test_cases(t))]'
# A sender for the mails the suites send (a --without-demo company has no email:
# mail.mail would log an ERROR for each of them).
TEST_EMAIL_FROM ?= odoo-test@example.com

test: deps lint link odoo-cfg
	@if [ ! -f __manifest__.py ]; then
	  echo "ERROR: no __manifest__.py at $(CURDIR): there is no addon to test" >&2
	  echo "odoo: 0 passed, 0 failed; host addons: 0 passed, 0 failed"
	  exit 1
	fi
	# 0. the set-up script (stubs, no network) and the wheel; their result
	# counts in the exit code, the Odoo suite runs whatever it is
	checks_rc=0
	echo "+ $(PYTHON) tools_dev/test_setup_machine.py"
	$(PYTHON) $(CURDIR)/tools_dev/test_setup_machine.py </dev/null || checks_rc=1
	echo "+ $(PYTHON) tools_dev/check_wheel.py $(BUILD)/wheel"
	$(PYTHON) $(CURDIR)/tools_dev/check_wheel.py "$(BUILD)/wheel" </dev/null || checks_rc=1
	export TZ=UTC
	addons_path="$$($(ADDONS_PATH_CMD))"
	port="$$($(PYTHON) $(CURDIR)/tools_dev/free_port.py $(TEST_PORT))"
	db="hsp_test_$$$$"
	data_dir="$(BUILD)/data"
	cleanup() { dropdb --if-exists "$$db" >/dev/null 2>&1 || true; rm -rf "$$data_dir/filestore/$$db"; }
	trap cleanup EXIT
	trap 'cleanup; exit 130' INT TERM
	cleanup
	mkdir -p "$$(dirname "$(TEST_LOG)")"
	# (with .ONESHELL make strips a leading '-' from recipe lines: no line
	# may start with an option)
	common=($(ODOO) -c "$(ODOO_CFG)" --addons-path="$$addons_path" --data-dir="$$data_dir")
	common+=(-d "$$db" --db-filter="^$$db\$$" --stop-after-init --max-cron-threads=0)
	common+=(--http-interface=127.0.0.1 --http-port="$$port" --log-level=test)
	common+=(--email-from="$(TEST_EMAIL_FROM)")
	# 1. install the addon (no demo data); its tests, the hosts' post_install ones
	cmd=("$${common[@]}" -i $(ADDON) --test-tags '$(TEST_TAGS)' --without-demo=all)
	echo "+ $${cmd[*]} 2>&1 | tee $(TEST_LOG)"
	rc=0
	"$${cmd[@]}" </dev/null 2>&1 | tee "$(TEST_LOG)" || rc=$$?
	rcs=(--rc "$$rc")
	hosts=()
	# 2. the hosts' at_install tests, file by file, on the same database
	for host in $(TEST_HOST_MODULES); do hosts+=(--host-module "$$host"); done
	host_files="$$($(TEST_HOST_FILES_CMD) "$$addons_path" $(TEST_HOST_MODULES))" \
	  || echo "ERROR: cannot list the test files of $(TEST_HOST_MODULES)" | tee -a "$(TEST_LOG)"
	if [ "$$rc" -eq 0 ] || grep -q "tests when loading database" "$(TEST_LOG)"; then
	  for file in $$host_files; do
	    cmd=("$${common[@]}" --test-file="$$file")
	    echo "+ $${cmd[*]} 2>&1 | tee -a $(TEST_LOG)"
	    rc=0
	    "$${cmd[@]}" </dev/null 2>&1 | tee -a "$(TEST_LOG)" || rc=$$?
	    rcs+=(--rc "$$rc")
	  done
	fi
	cleanup
	# 3. the demo data installs (`make run`'s database), on its own database,
	# then the suites of $(TEST_DEMO_HOST_MODULES) run there (tag hsp_demo)
	db="hsp_demo_$$$$"
	cmd=("$${common[@]}" -d "$$db" --db-filter="^$$db\$$" -i $(ADDON) --test-tags hsp_demo)
	echo "+ $${cmd[*]} (the demo data) 2>&1 | tee -a $(TEST_LOG)"
	rc=0
	"$${cmd[@]}" </dev/null 2>&1 | tee -a "$(TEST_LOG)" || rc=$$?
	rcs+=(--rc "$$rc")
	for host in $(TEST_DEMO_HOST_MODULES); do hosts+=(--host-module "$$host"); done
	cleanup
	trap - EXIT INT TERM
	if [ "$$checks_rc" -ne 0 ]; then
	  echo "ERROR: the set-up script's tests, the wheel's checks or the demo data failed (see above): make test fails"
	fi
	summary_rc=0
	$(PYTHON) $(CURDIR)/tools_dev/odoo_test_summary.py "$${rcs[@]}" --module $(ADDON) "$${hosts[@]}" "$(TEST_LOG)" || summary_rc=$$?
	if [ "$$checks_rc" -ne 0 ]; then exit 1; fi
	exit "$$summary_rc"

# ---------------------------------------------------------------- pytest
# pytest-odoo loads the registry of PYTEST_DB as it is (no -u: the tests'
# Python is read afresh, the database's models, views and data are not) and
# runs the selected tests as Odoo's runner runs post_install tests.  pytest
# names a test module after the addon's folder (odoo.addons.<folder>...): the
# tests are collected through .build/addons/helpdesk_support_pack, whatever the
# checkout is called, so a path of PYTEST_ARGS in the checkout is rewritten to
# it.  (--odoo-http: pytest-odoo starts an Odoo HTTP server for the HttpCase
# tests, which it skips otherwise.)  Each run starts with Odoo's "ERROR ...
# Importing test framework" and its stack: pytest-odoo imports odoo.tests
# before it turns test mode on, and that error is harmless (turning test mode
# on earlier would run every installed addon's at_install tests).
PYTEST_DB ?= support_pack_pytest
PYTEST_ARGS ?= tests
PYTEST_UPDATE ?=
PYTEST_DATA_DIR ?= $(BUILD)/data
PYTEST_LOG_LEVEL ?= warn
pytest: link odoo-cfg
	@$(SETUP) --steps system,postgresql,odoo,python $(call pip_args,$(OCA_REQS) $(TEST_REQS) $(PYTEST_REQS))
	if [ ! -f __manifest__.py ]; then echo "ERROR: no __manifest__.py at $(CURDIR)" >&2; exit 1; fi
	export TZ=UTC
	addons_path="$$($(ADDONS_PATH_CMD))"
	common=(-c "$(ODOO_CFG)" --addons-path="$$addons_path" --data-dir="$(PYTEST_DATA_DIR)")
	common+=(-d "$(PYTEST_DB)" --db-filter="^$(PYTEST_DB)\$$" --stop-after-init --no-http)
	if [ "$$(psql -d template1 -XAtc "SELECT 1 FROM pg_database WHERE datname = '$(PYTEST_DB)'")" != 1 ]; then
	  echo "+ creating database $(PYTEST_DB) with $(ADDON), without demo data"
	  $(ODOO) "$${common[@]}" -i $(ADDON) --without-demo=all --log-level=warn </dev/null
	elif [ -n "$(PYTEST_UPDATE)" ]; then
	  echo "+ updating $(ADDON) on $(PYTEST_DB)"
	  $(ODOO) "$${common[@]}" -u $(ADDON) --log-level=warn </dev/null
	fi
	args=($(PYTEST_ARGS))
	for i in "$${!args[@]}"; do
	  a="$${args[$$i]}"
	  a="$${a#$(CURDIR)/}"
	  if [[ "$$a" != /* && "$$a" != -* && -e "$${a%%::*}" ]]; then args[$$i]="$(ADDON_LINK)/$$a"; fi
	done
	cmd=($(PYTHON) -m pytest --rootdir="$(ADDON_LINK)" -o cache_dir="$(BUILD)/pytest_cache")
	cmd+=(--odoo-config="$(ODOO_CFG)" --odoo-database="$(PYTEST_DB)" --odoo-addons-path="$$addons_path")
	cmd+=(--odoo-log-level="$(PYTEST_LOG_LEVEL)" --odoo-http --odoo-extra="data-dir=$(PYTEST_DATA_DIR)")
	cmd+=(--odoo-extra="db-filter=^$(PYTEST_DB)\$$" --odoo-extra="email-from=$(TEST_EMAIL_FROM)")
	echo "+ $${cmd[*]} $${args[*]}"
	exec "$${cmd[@]}" "$${args[@]}" </dev/null

# ---------------------------------------------------------------- run
run: deps link odoo-cfg
	@if [ ! -f __manifest__.py ]; then echo "ERROR: no __manifest__.py at $(CURDIR)" >&2; exit 1; fi
	export TZ=UTC
	addons_path="$$($(ADDONS_PATH_CMD))"
	common=(-c "$(ODOO_CFG)" --addons-path="$$addons_path" -d $(DEMO_DB) --db-filter="^$(DEMO_DB)\$$")
	if [ "$$(psql -d template1 -XAtc "SELECT 1 FROM pg_database WHERE datname = '$(DEMO_DB)'")" = 1 ]; then
	  echo "+ database $(DEMO_DB) exists: updating $(ADDON)"
	  init=(-u $(ADDON))
	else
	  echo "+ creating database $(DEMO_DB) with demo data and $(ADDON)"
	  init=(-i $(ADDON))
	fi
	$(ODOO) "$${common[@]}" "$${init[@]}" --stop-after-init --no-http </dev/null
	printf '%s\n' '' \
	  '=====================================================================' \
	  ' Odoo 18.0 with $(ADDON): http://localhost:$(RUN_PORT)  (database $(DEMO_DB))' \
	  ' Log in as:' \
	  '   admin  / admin    administrator' \
	  '   demo   / demo     salesperson Marc Demo' \
	  '   portal / portal   portal customer Joel Willis' \
	  ' Stop with Ctrl-C.' \
	  '=====================================================================' ''
	exec $(ODOO) "$${common[@]}" --http-interface=127.0.0.1 --http-port=$(RUN_PORT)

# ---------------------------------------------------------------- misc
# Timesheet line creation with this addon vs the host addons without it (ratio,
# queries per line); 8 agents over JSON-RPC on an
# Odoo --workers=4 server, on one ticket with the host addons alone and with
# this addon, then on a ticket each of one pack (calls/s, failed calls side by
# side, longest wait of a queued posting, balance proof);
# SLA ticket creation (two targets vs OCA's one); the jobs (expiry of 10,000
# packs, SLA alerts over 10,000 targets) and closing a ticket with the report
# queued vs not sent (tools_dev/bench_jobs.py); the similar solved tickets
# among 100,000 (tools_dev/bench_knowledge.py); the scripts share
# tools_dev/bench_common.py (docs/DEVELOP.md). Each part runs even when the
# one before failed; the target fails if one of them did. Sizes, e.g.:
#   make bench BENCH_ARGS='--customers 300 --lines 100' BENCH_WORKERS_ARGS='--lines 10'
BENCH_ARGS ?=
BENCH_WORKERS_ARGS ?=
BENCH_SLA_ARGS ?=
BENCH_JOBS_ARGS ?=
BENCH_KNOWLEDGE_ARGS ?=
bench: deps
	@export TZ=UTC
	rc=0
	$(PYTHON) tools_dev/bench.py $(BENCH_ARGS) || rc=1
	$(PYTHON) tools_dev/bench_workers.py $(BENCH_WORKERS_ARGS) || rc=1
	$(PYTHON) tools_dev/bench_sla.py $(BENCH_SLA_ARGS) || rc=1
	$(PYTHON) tools_dev/bench_jobs.py $(BENCH_JOBS_ARGS) || rc=1
	$(PYTHON) tools_dev/bench_knowledge.py $(BENCH_KNOWLEDGE_ARGS) || rc=1
	exit $$rc

# Refresh i18n/helpdesk_support_pack.pot and merge it into fr.po and es.po.
# (the addon is linked from a folder outside the checkout: the export walks the
# addon's folder and would follow .build/addons back into it)
i18n: deps link
	@tmp="$$(mktemp -d)"
	trap 'rm -rf "$$tmp"' EXIT
	ln -s "$(CURDIR)" "$$tmp/$(ADDON)"
	addons="$$($(ADDONS_PATH_CMD) | sed "s#$(ADDONS_DIR)#$$tmp#")"
	tools_dev/i18n_update.sh hsp_i18n_$$$$ "$$addons" $$($(PYTHON) tools_dev/free_port.py 8179)

# README.rst, static/description/index.html (the Apps screen's page) and
# README.md from readme/*.md (tools_dev/gen_readme.py, docs/DEVELOP.md)
readme: deps-lint
	@$(PYTHON) tools_dev/gen_readme.py

clean:
	rm -rf "$(BUILD)"
