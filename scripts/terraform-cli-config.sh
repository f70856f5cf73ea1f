#!/usr/bin/env bash
# Writes a Terraform CLI config that takes providers from a local filesystem mirror when the
# machine has one (offline machines such as ours: the folder holding
# registry.terraform.io/hashicorp/aws), and prints its path. Elsewhere Terraform uses the
# registry as usual and this prints nothing.
set -euo pipefail
out=${1:-.tfcli/terraformrc}
mirror=${TF_PROVIDER_MIRROR:-}
if [ -z "$mirror" ]; then
  for d in /opt/tf-plugins /usr/share/terraform/plugins "$HOME/.terraform.d/plugins"; do
    [ -d "$d/registry.terraform.io/hashicorp/aws" ] && mirror=$d && break
  done
fi
[ -n "$mirror" ] || exit 0
mkdir -p "$(dirname "$out")"
cat > "$out" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
CFG
echo "$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
