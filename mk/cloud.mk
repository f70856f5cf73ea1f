# Cloud benchmarks (the scaler Lambda zip is built by `make lambda-zip`, mk/terraform.mk).
.PHONY: bench-cloud
bench-cloud: install  ## RunTask calls for 10,000 pages, worker cold start; writes bench/CLOUD.md
	$(PY) bench/cloud.py
