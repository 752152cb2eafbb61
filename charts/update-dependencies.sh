#!/usr/bin/env sh
# Vendors the local chart dependencies (file://) into each chart's charts/ folder, offline:
# the library into every service chart first, then the service charts into the umbrella.
# Run it before `helm lint`, `helm template` or `helm install` of these charts; the .tgz files
# it writes are not committed. HELM may name the helm binary (default: helm on PATH).
set -eu
cd "$(dirname "$0")"
helm_bin="${HELM:-helm}"
for chart in gateway auth merchants payments webhooks web expe-operator expe; do
  "$helm_bin" dependency update --skip-refresh "$chart" >/dev/null
done
