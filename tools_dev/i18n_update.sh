#!/usr/bin/env bash
# Refresh the translation template (demo data included: the demo's products,
# categories and teams are shipped records too) and merge it into the French and Spanish
# catalogues of helpdesk_support_pack.
#
# Usage: tools_dev/i18n_update.sh [DB] [ADDONS_PATH] [HTTP_PORT]
#   DB          scratch database (default hspt_i18n), dropped and rebuilt
#   ADDONS_PATH must list a folder where this repo is reachable as
#               helpdesk_support_pack, then Odoo's and the OCA addons
#               (default /tmp/addons-i18n,/opt/odoo18/addons)
#
# Entries that left the template stay as obsolete (#~) entries, so that
# their translation comes back if the term comes back.
# Afterwards translate the new empty / fuzzy entries, then run:
#   msgfmt --check -o /dev/null --statistics i18n/fr.po
#   msgfmt --check -o /dev/null --statistics i18n/es.po
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-hspt_i18n}
ADDONS=${2:-/tmp/addons-i18n,/opt/odoo18/addons}
PORT=${3:-8251}
MODULE=helpdesk_support_pack

dropdb --if-exists "$DB"
trap 'dropdb --if-exists "$DB"' EXIT
python3 -m odoo -d "$DB" -i "$MODULE" --addons-path="$ADDONS" \
    --stop-after-init --http-port="$PORT" --log-level=warn
LOG=$(mktemp)
POT=$(mktemp --suffix=.pot)
python3 -m odoo -d "$DB" --addons-path="$ADDONS" \
    --i18n-export="$POT" --modules="$MODULE" \
    --stop-after-init --http-port="$PORT" --log-level=warn 2>&1 | tee "$LOG"
# Odoo skips a whole Python file when Babel cannot evaluate one of the
# arguments of a _() / env._() call (e.g. an f-string): its terms would then
# silently vanish from the template.
if grep -q "Failed to extract terms" "$LOG"; then
    echo "ERROR: some files could not be scanned for terms (see above);" \
        "fix them before merging, the template is incomplete." >&2
    exit 1
fi
# The checkout's own .build/addons/helpdesk_support_pack link (make test) is
# walked too: keep the references of the addon's real files only.
sed -i -e "/^#: [a-z]*:addons\/$MODULE\/\.build\//d" "$POT"
mv "$POT" "i18n/$MODULE.pot"
chmod 644 "i18n/$MODULE.pot"
rm -f "$LOG"
for lang in fr es; do
    msgmerge --quiet --no-fuzzy-matching --backup=none \
        -U "i18n/$lang.po" "i18n/$MODULE.pot"
done
# OCA's po checks (`make lint` runs them): their layout (lines wrapped as Odoo
# exports them) and no translation equal to its source.
oca-checks-po --fix --no-verbose "i18n/$MODULE.pot" i18n/fr.po i18n/es.po || true
for lang in fr es; do
    msgfmt --check -o /dev/null --statistics "i18n/$lang.po" || true
done
