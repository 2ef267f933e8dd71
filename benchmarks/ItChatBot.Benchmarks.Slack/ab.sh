#!/usr/bin/env bash
# A paired comparison of two builds of the host under the same signed Slack load, with Bolt measured in the same turns:
# host A (this checkout), host B (another checkout), Bolt, then again, `slices` times; each side's latencies are pooled.
# run.sh compares one build with Bolt; this one tells whether a change moved our p99, which one run.sh each cannot do on
# a VM whose noise comes and goes over tens of seconds.
# Usage (from the repository root): bash benchmarks/ItChatBot.Benchmarks.Slack/ab.sh OTHER_CHECKOUT [rate=200] [seconds=10] [slices=4] [kinds="events commands"]
# OTHER_CHECKOUT is a clone at the commit to compare against (say `git clone . /tmp/base && git -C /tmp/base checkout X`).
set -euo pipefail
cd "$(dirname "$0")/../.."
other=$(cd "${1:?usage: ab.sh OTHER_CHECKOUT [rate] [seconds] [slices] [kinds]}" && pwd)
rate=${2:-200}; seconds=${3:-10}; slices=${4:-4}; kinds=${5:-events commands}
secret="bench-signing-secret-$(date +%s)"
work=$(mktemp -d)
source benchmarks/ItChatBot.Benchmarks.Slack/lib.sh
harness=benchmarks/ItChatBot.Benchmarks.Slack/bin/Release/net10.0/ItChatBot.Benchmarks.Slack.dll
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build benchmarks/ItChatBot.Benchmarks.Slack -c Release -v q -nologo >/dev/null
for checkout in . "$other"; do dotnet build "$checkout/src/ItChatBot.Host" -c Release -v q -nologo >/dev/null; done
(cd benchmarks/ItChatBot.Benchmarks.Slack/bolt && [ -d node_modules ] || npm install --no-audit --no-fund >/dev/null)

# One fake Slack API per host, at nice 19 as in run.sh, so that each host's drain can be watched on its own.
declare -A host_port api_port
for side in a b; do
  api_port[$side]=$(free_port); host_port[$side]=$(free_port)
  nice -n 19 dotnet "$harness" fake-slack --port "${api_port[$side]}" >"$work/fake-$side.log" 2>&1 & pids+=($!)
done
start_host() {
  local side=$1 checkout=$2
  DOTNET_GCgen0size=0x4000000 Slack__SigningSecret="$secret" Slack__BotToken=xoxb-bench \
    Slack__ApiBaseUrl="http://127.0.0.1:${api_port[$side]}/api/" Storage__LiteDb__Path="$work/bench-$side.db" \
    Logging__LogLevel__Default=Warning \
    dotnet run --project "$checkout/src/ItChatBot.Host" -c Release --no-build --no-launch-profile -- --urls "http://127.0.0.1:${host_port[$side]}" >"$work/host-$side.log" 2>&1 & pids+=($!)
}
start_host a .
start_host b "$other"
bolt_port=$(free_port)
SLACK_SIGNING_SECRET="$secret" PORT="$bolt_port" node benchmarks/ItChatBot.Benchmarks.Slack/bolt/app.js >"$work/bolt.log" 2>&1 & pids+=($!)

for side in a b; do
  for url in "http://127.0.0.1:${host_port[$side]}/healthz" "http://127.0.0.1:${api_port[$side]}/api/auth.test"; do
    for _ in $(seq 1 100); do curl -sf -X "$( [[ $url == *api* ]] && echo POST || echo GET )" "$url" >/dev/null && break; sleep 0.2; done
  done
done
for _ in $(seq 1 100); do grep -q listening "$work/bolt.log" && break; sleep 0.2; done

echo "A = $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes'), B = $(git -C "$other" rev-parse --short HEAD)$(git -C "$other" diff --quiet || echo ' + uncommitted changes')"
echo "rate $rate/s for $seconds s each, in $slices turn(s) of A, B, Bolt (B first in even turns); $(nproc) cores"
for kind in $kinds; do
  for slice in $(seq 1 "$slices"); do
    warmup=3; [ "$slice" -gt 1 ] && warmup=1
    order="a b"; [ $((slice % 2)) -eq 0 ] && order="b a"
    for side in $order; do
      load "host $side " "${host_port[$side]}" --kind "$kind" --warmup "$warmup" --out "$work/$side-$kind.txt"
      drained "host $side" "${api_port[$side]}"
    done
    load "bolt   " "$bolt_port" --kind "$kind" --warmup "$warmup" --out "$work/bolt-$kind.txt"
  done
  echo "pooled $kind, A against Bolt:"
  dotnet "$harness" percentiles "$work/a-$kind.txt" "$work/bolt-$kind.txt" | sed "s/^/  /"
  echo "pooled $kind, B against Bolt:"
  dotnet "$harness" percentiles "$work/b-$kind.txt" "$work/bolt-$kind.txt" | sed "s/^/  /"
done
