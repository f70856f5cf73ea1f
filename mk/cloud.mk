# Cloud pieces: the scaler Lambda zip (boto3 comes with the runtime) and the cloud benchmarks.
.PHONY: lambda-zip bench-cloud
lambda-zip: build/scaler.zip  ## zip lambda_src/ for the scaler Lambda (build/scaler.zip)
build/scaler.zip: lambda_src/scaler.py
	@mkdir -p build
	$(PYTHON) scripts/build-lambda-zip.py $@

bench-cloud: install  ## RunTask calls for 10,000 pages, worker cold start; writes bench/CLOUD.md
	$(PY) bench/cloud.py
