#!/usr/bin/env bash
# Regenerates the Istio bindings in imports/ from the Istio CRDs kept in ../shared (see imports/README.md).
# Run from the repository root: npm run import:istio
set -euo pipefail
schemas=${SCHEMAS_DIR:-../shared/schemas}
rm -f imports/*.istio.io.ts
npx cdk8s import "$schemas/istio/1.22.8/crd-all.gen.yaml" --language typescript --output imports
