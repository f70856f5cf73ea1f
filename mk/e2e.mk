# Local end-to-end platform (docs/local-cloud.md): moto server + terraform apply of terraform/
# + a runner playing Lambda and Fargate. `make test` runs the same scenarios with the rest.
.PHONY: e2e local-up local-down
LOCAL_STATE := e2e/work/local

e2e: install  ## stand the platform up locally, push pages through it with faults; writes e2e/RESULTS.md
	$(PY) -m pytest tests/e2e -p no:cacheprovider -n 2 --dist loadgroup --durations=10
	cp e2e/work/RESULTS.md e2e/RESULTS.md
	@cat e2e/RESULTS.md

local-up: install  ## keep the local platform running (then: source e2e/work/local/env)
	@mkdir -p $(LOCAL_STATE)
	@nohup $(PY) -m e2e up > $(LOCAL_STATE)/up.log 2>&1 &
	@for i in $$(seq 300); do \
	  [ -f $(LOCAL_STATE)/env ] && { tail -1 $(LOCAL_STATE)/up.log; exit 0; }; \
	  [ -f $(LOCAL_STATE)/pid ] || [ $$i -lt 10 ] || { cat $(LOCAL_STATE)/up.log; exit 1; }; \
	  sleep 1; done; echo "timed out; see $(LOCAL_STATE)/up.log"; exit 1

local-down:  ## stop the local platform started by local-up
	@$(PY) -m e2e down
