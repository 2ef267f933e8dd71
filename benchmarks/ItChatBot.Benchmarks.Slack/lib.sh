# Shared by run.sh and ab.sh (sourced; they set harness, secret, rate and seconds before calling these).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Our host keeps working after its load ends (every acked delivery is still processed and answered), and that work would
# run beside the next load, Bolt's included. Every processed delivery ends in a call to the fake Slack API, so wait until
# its count of calls stops growing for 3 s (at most 3 minutes).
# Usage: drained LABEL API_PORT
drained() {
  local label=$1 port=$2 last="" same=0 now waited
  for waited in $(seq 1 180); do
    now=$(curl -sf "http://127.0.0.1:$port/calls" || echo "?")
    if [ "$now" = "$last" ]; then
      same=$((same + 1))
      if [ "$same" -ge 3 ]; then echo "$label finished its backlog about $((waited - 3)) s after its load ($now Slack API calls so far)"; return 0; fi
    else
      same=0; last=$now
    fi
    sleep 1
  done
  echo "$label still busy after 3 minutes: $last"
}

# One load: load LABEL PORT --kind KIND [more load arguments]; its summary line is prefixed with LABEL.
load() {
  local label=$1 port=$2; shift 2
  dotnet "$harness" load --url "http://127.0.0.1:$port" --secret "$secret" --rate "$rate" --duration "$seconds" "$@" | sed "s/^/$label /" || true
}
