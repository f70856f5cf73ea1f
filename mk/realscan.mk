# Real archive scans (issue 10): eulereye beside plain tesseract and the library's OCR.
.PHONY: bench-real
bench-real: testdata install  ## real-scan benchmark (straddle, order, dictionary words, speed) -> bench/RESULTS.md
	$(PY) bench/real.py
