# Benchmark in quick mode: one page, every system (see bench/README.md).
.PHONY: bench-quick
bench-quick: testdata install  ## one-page benchmark against plain tesseract; writes bench/RESULTS.md
	BENCH_QUICK=1 $(PY) bench/run.py
