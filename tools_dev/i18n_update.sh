#!/usr/bin/env bash
# Refresh the translation template, demo data included (the demo's products,
# categories and teams are shipped records too), and merge it into the French
# and Spanish catalogues (`make i18n`): tools_dev/i18n_update.sh DB ADDONS_PATH
# HTTP_PORT (DB: a scratch database, dropped and rebuilt; ADDONS_PATH: a folder
# where this repository is reachable as helpdesk_support_pack, then Odoo's addons).
# Entries that left the template stay obsolete (#~), so that their translation
# comes back with the term. Then translate the new empty / fuzzy entries.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1 MODULE=helpdesk_support_pack
odoo=(python3 -m odoo -d "$DB" --addons-path="$2" --http-port="$3" --log-level=warn --stop-after-init)
LOG=$(mktemp) POT=i18n/$MODULE.pot
dropdb --if-exists "$DB"
trap 'dropdb --if-exists "$DB"; rm -f "$LOG"' EXIT
"${odoo[@]}" -i "$MODULE"
"${odoo[@]}" --i18n-export="$POT" --modules="$MODULE" 2>&1 | tee "$LOG"
# Odoo skips a whole Python file when Babel cannot evaluate an argument of a
# _() call (an f-string): its terms would silently vanish from the template.
if grep -q "Failed to extract terms" "$LOG"; then
    git checkout -- "$POT"
    echo "ERROR: some files could not be scanned for terms (see above): fix them" >&2
    exit 1
fi
# the .build/addons/helpdesk_support_pack link (make test) is walked too
sed -i -e "/^#: [a-z]*:addons\/$MODULE\/\.build\//d" "$POT"
for lang in fr es; do msgmerge --quiet --no-fuzzy-matching --backup=none -U "i18n/$lang.po" "$POT"; done
# OCA's po checks (`make lint`): Odoo's line wrapping, no translation equal to its source
oca-checks-po --fix --no-verbose "$POT" i18n/fr.po i18n/es.po || true
for lang in fr es; do msgfmt --check -o /dev/null --statistics "i18n/$lang.po" || true; done
