#!/usr/bin/env bash
# Refresh the English catalogue foodsafe/locale/en/LC_MESSAGES/django.po from every template
# and Python file, then compile django.mo (commit both: CI needs no gettext).
# Needs GNU gettext (apt-get install -y gettext). New strings come out with an empty msgstr:
# translate them (and any "#, fuzzy" guess) in the .po, then run this again to compile.
# An app with its own locale/ directory (foodsafe/accounts) would get an en/ catalogue of its
# own from makemessages; its strings are folded into ours and that catalogue removed, so all
# English lives in one file.
set -euo pipefail
cd "$(dirname "$0")/../.."
PO=foodsafe/locale/en/LC_MESSAGES/django.po
cp "$PO" "$PO.before"
trap 'rm -f "$PO.before" "$PO.tmp"' EXIT
DJANGO_SETTINGS_MODULE=foodsafe.settings .venv/bin/django-admin makemessages -l en \
    --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --ignore='*/migrations/*' \
    --no-obsolete >/dev/null
for app_po in foodsafe/*/locale/en/LC_MESSAGES/django.po; do
    [ -f "$app_po" ] || continue
    msgcat --use-first "$PO" "$app_po" -o "$PO.tmp" && mv "$PO.tmp" "$PO"
    rm -r "$(dirname "$(dirname "$app_po")")"
done
# Every translation we had for a message still in use (makemessages drops those it moved to an
# app's own catalogue), and no fuzzy guesses for new ones.
msgmerge --quiet --no-fuzzy-matching "$PO.before" "$PO" -o "$PO.tmp" && mv "$PO.tmp" "$PO"
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
msgfmt --check -o foodsafe/locale/en/LC_MESSAGES/django.mo "$PO"
echo "compiled $PO; untranslated: $((untranslated > 0 ? untranslated - 1 : 0)), fuzzy: $((fuzzy > 0 ? fuzzy - 1 : 0))"
