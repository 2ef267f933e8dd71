# Teams: the Microsoft 365 Agents Playground (npm) for the end-to-end test in tests/ItChatBot.Teams.Tests.
# Sourced by .ci/run: no `exit`, no `set -e`; returns non-zero when something could not be installed.
# Exports AGENTS_PLAYGROUND = the playground's executable; the test fails (not skips) without it.
itchatbot_teams_setup() {
  local version="0.2.28"
  local dir="${ITCHATBOT_TOOLS:-$HOME/.cache/itchatbot}/agentsplayground-$version"
  local bin="$dir/node_modules/.bin/agentsplayground"
  if ! command -v npm >/dev/null 2>&1; then
    echo "teams: installing nodejs and npm (Debian)"
    if [ "$(id -u)" -eq 0 ]; then
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || return 1
    else
      { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || return 1
    fi
  fi
  if [ ! -x "$bin" ]; then
    echo "teams: installing @microsoft/m365agentsplayground@$version into $dir"
    mkdir -p "$dir" || return 1
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "@microsoft/m365agentsplayground@$version" || return 1
  fi
  [ -x "$bin" ] || { echo "teams: $bin is missing after install"; return 1; }
  export AGENTS_PLAYGROUND="$bin"
  echo "teams: AGENTS_PLAYGROUND=$AGENTS_PLAYGROUND"
}
itchatbot_teams_setup
