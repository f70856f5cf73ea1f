"""Zip lambda_src/scaler.py reproducibly (fixed timestamp), so Terraform's source hash only
changes when the code does. Usage: build-lambda-zip.py OUT.zip"""

import sys
import zipfile
from pathlib import Path

source = Path(__file__).resolve().parents[1] / "lambda_src" / "scaler.py"
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as archive:
    entry = zipfile.ZipInfo("scaler.py", date_time=(1980, 1, 1, 0, 0, 0))
    entry.external_attr = 0o644 << 16
    archive.writestr(entry, source.read_bytes())
