#!/usr/bin/env sh
# Copies the shared values schema of the service charts into each of them (Helm reads only a
# chart's own values.schema.json). The chart tests fail when a copy differs.
set -eu
cd "$(dirname "$0")"
for chart in gateway auth merchants payments webhooks web; do
  cp expe-lib/service-values.schema.json "$chart/values.schema.json"
done
