#!/usr/bin/env bash
# Refresh the translation template and merge it into the French and Spanish
# catalogues of helpdesk_support_pack.
#
# Usage: tools_dev/i18n_update.sh [DB] [ADDONS_PATH] [HTTP_PORT]
#   DB          scratch database (default hspt_i18n), dropped and rebuilt
#   ADDONS_PATH must list a folder where this repo is reachable as
#               helpdesk_support_pack, then Odoo's and the OCA addons
#               (default /tmp/addons-i18n,/opt/odoo18/addons)
#
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
python3 -m odoo -d "$DB" -i "$MODULE" --addons-path="$ADDONS" \
    --without-demo=all --stop-after-init --http-port="$PORT" --log-level=warn
python3 -m odoo -d "$DB" --addons-path="$ADDONS" \
    --i18n-export="$PWD/i18n/$MODULE.pot" --modules="$MODULE" \
    --stop-after-init --http-port="$PORT" --log-level=warn
for lang in fr es; do
    msgmerge --quiet --no-fuzzy-matching --no-wrap --backup=none \
        -U "i18n/$lang.po" "i18n/$MODULE.pot"
    msgattrib --no-wrap --no-obsolete -o "i18n/$lang.po" "i18n/$lang.po"
    msgfmt --check -o /dev/null --statistics "i18n/$lang.po" || true
done
dropdb --if-exists "$DB"
