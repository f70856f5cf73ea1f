# Batch throughput (issue 12): pages per minute of `eulereye process` on many files.
.PHONY: bench-batch
COMPARE ?=
COMPARE_LABEL ?= other code
bench-batch: install  ## pages/min of `process` on a 20-page batch (COMPARE=DIR: against another source tree) -> bench/RESULTS.md
	$(PY) bench/batch.py $(if $(COMPARE),--compare $(COMPARE) --compare-label "$(COMPARE_LABEL)")
