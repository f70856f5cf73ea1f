# Output formats (issue 13): what --formats all costs on the 1895 page.
.PHONY: bench-formats
bench-formats: install  ## extra output formats' share of page time, PDF size and text agreement -> bench/RESULTS.md
	$(PY) bench/formats.py
