#!/usr/bin/env bash
# The main job, locally: build examples/hello once and push it to two local registries standing in
# for AWS and Azure, then verify every ref. Starts the testbed (dockerd + buildx + registries with
# auth; installs them as root on Debian when missing) and leaves it running: stop it with
#   tests/testbed/testbed.sh down
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

envfile=$(bash tests/testbed/testbed.sh up)
# shellcheck disable=SC1090
. "$envfile"

# A job-scoped docker config, as the workflow uses: logins go there, and it is removed at the end.
DOCKER_CONFIG=$(mktemp -d)
export DOCKER_CONFIG
trap 'rm -rf "$DOCKER_CONFIG"' EXIT
printf '%s' "$TESTBED_AWS_PASSWORD" | docker login --username "$TESTBED_AWS_USER" --password-stdin "$TESTBED_AWS_REGISTRY" >/dev/null
printf '%s' "$TESTBED_AZURE_PASSWORD" | docker login --username "$TESTBED_AZURE_USER" --password-stdin "$TESTBED_AZURE_REGISTRY" >/dev/null

bin/jbang run build --image examples/hello --path examples/hello \
  --run-id "local-$(date +%s)" --tag latest --build-arg GREETING=hi \
  --aws-registry "$TESTBED_AWS_REGISTRY" --azure-registry "$TESTBED_AZURE_REGISTRY" "$@"
