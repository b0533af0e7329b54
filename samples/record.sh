#!/usr/bin/env bash
# Re-records the bundled samples from real Prosody servers and real Smack clients, through the
# xmppscope proxy (TLS intercepted), into samples/src/main/resources/samples/*.xscap.
# Needs what the test suite needs (Prosody, dnsmasq): run .ci/install-deps first.
# Usage: samples/record.sh [federation|negotiation|failures ...]   (default: all)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
declare -A class=([federation]=RecordFederationSample [negotiation]=RecordNegotiationSample [failures]=RecordFailuresSample)
names=("$@")
((${#names[@]})) || names=(federation negotiation failures)
tests=()
for n in "${names[@]}"; do
  [[ -n "${class[$n]:-}" ]] || { echo "record.sh: unknown sample '$n' (federation, negotiation, failures)" >&2; exit 1; }
  tests+=("${class[$n]}")
done
IFS=,
./mvnw -B -ntp -pl samples -am verify -Dtest="${tests[*]}" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dxmppscope.samples.dir="$here/src/main/resources/samples"
