#!/usr/bin/env bash
# Installs the system packages eulereye needs (Debian/Ubuntu): Tesseract with the language
# models the tests and samples use, the fonts the sample-page generator draws with, the
# English word list of the dictionary-word share (wamerican; manifests, the report and the
# real-scan benchmark), and headless Chromium, which the report's browser tests load it in.
# Does nothing when they are already there.
set -euo pipefail
packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-frk tesseract-ocr-lat
          tesseract-ocr-script-frak fonts-dejavu-core fonts-liberation fonts-freefont-ttf
          wamerican)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Any Chromium on the PATH will do (CI's Ubuntu runners bring their own); else Debian's package.
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "eulereye needs: ${missing[*]} (no apt-get here: install them with your package manager)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
