#!/usr/bin/env bash
# Ack latency of /slack/events and /slack/commands on loopback: ItChatBot (Release, real LiteDB file, the inbound
# processor and outbox running against a fake Slack API) versus a minimal @slack/bolt app, same signed load.
# Usage (from the repository root): bash benchmarks/ItChatBot.Benchmarks.Slack/run.sh [rate=200] [seconds=30] [slices=1]
# With slices > 1 each side gets that many loads of `seconds`, taken in turns (ours, Bolt, ours, ...), and the
# latencies of all its slices are pooled into one p50/p90/p99 per side: on a VM whose noise comes and goes over tens of
# seconds, one load each is closer to a coin flip than a comparison.
set -euo pipefail
cd "$(dirname "$0")/../.."
rate=${1:-200}; seconds=${2:-30}; slices=${3:-1}
secret="bench-signing-secret-$(date +%s)"
work=$(mktemp -d)
source benchmarks/ItChatBot.Benchmarks.Slack/lib.sh
api_port=$(free_port); host_port=$(free_port); bolt_port=$(free_port)
harness=benchmarks/ItChatBot.Benchmarks.Slack/bin/Release/net10.0/ItChatBot.Benchmarks.Slack.dll
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build benchmarks/ItChatBot.Benchmarks.Slack -c Release -v q -nologo >/dev/null
dotnet build src/ItChatBot.Host -c Release -v q -nologo >/dev/null
(cd benchmarks/ItChatBot.Benchmarks.Slack/bolt && [ -d node_modules ] || npm install --no-audit --no-fund >/dev/null)

# The fake Slack API stands in for Slack's servers, which are not on the machine being measured: at nice 19 its work
# (200 calls a second from our outbox while our load runs, none during Bolt's) yields the cores to the two servers.
nice -n 19 dotnet "$harness" fake-slack --port "$api_port" >"$work/fake.log" 2>&1 & pids+=($!)
# DOTNET_GCgen0size is the host's recommended runtime setting (README, "Running in production"; `dotnet run` takes it
# from the launch profile, which --no-launch-profile skips, so it is given here).
DOTNET_GCgen0size=0x4000000 Slack__SigningSecret="$secret" Slack__BotToken=xoxb-bench Slack__ApiBaseUrl="http://127.0.0.1:$api_port/api/" \
  Storage__LiteDb__Path="$work/bench.db" Logging__LogLevel__Default=Warning \
  dotnet run --project src/ItChatBot.Host -c Release --no-build --no-launch-profile -- --urls "http://127.0.0.1:$host_port" >"$work/host.log" 2>&1 & pids+=($!)
SLACK_SIGNING_SECRET="$secret" PORT="$bolt_port" node benchmarks/ItChatBot.Benchmarks.Slack/bolt/app.js >"$work/bolt.log" 2>&1 & pids+=($!)

for url in "http://127.0.0.1:$host_port/healthz" "http://127.0.0.1:$api_port/api/auth.test"; do
  for _ in $(seq 1 100); do curl -sf -X "$( [[ $url == *api* ]] && echo POST || echo GET )" "$url" >/dev/null && break; sleep 0.2; done
done
for _ in $(seq 1 100); do grep -q listening "$work/bolt.log" && break; sleep 0.2; done

echo "rate $rate/s for $seconds s each, after a 3 s warm-up (1 s for later slices), in $slices slice(s) each; $(nproc) cores"
for kind in events commands; do
  for slice in $(seq 1 "$slices"); do
    warmup=3; [ "$slice" -gt 1 ] && warmup=1
    load "itchatbot" "$host_port" --kind "$kind" --warmup "$warmup" --out "$work/itchatbot-$kind.txt"
    drained itchatbot "$api_port"
    load "bolt     " "$bolt_port" --kind "$kind" --warmup "$warmup" --out "$work/bolt-$kind.txt"
  done
  if [ "$slices" -gt 1 ]; then
    dotnet "$harness" percentiles "$work/itchatbot-$kind.txt" "$work/bolt-$kind.txt" | sed "s/^/pooled    /"
  fi
done
# Diagnostic: the same load of commands this app does not have (/deploy): verified and answered, not stored.
drained itchatbot "$api_port"
load "itchatbot" "$host_port" --kind unknown-commands
