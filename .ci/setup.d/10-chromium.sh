# Headless Chromium and its driver for the browser tests (Selenium). Sourced by .ci/run.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${ITCHATBOT_APT_UPDATED:-}" ]; then apt-get update -qq && export ITCHATBOT_APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null || return 1
fi
export CHROME_BIN="$(command -v chromium)"
export CHROMEDRIVER_BIN="$(command -v chromedriver)"
echo "chromium: $("$CHROME_BIN" --version 2>/dev/null)"
