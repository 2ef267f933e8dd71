// The baseline for the ack-latency benchmark: a minimal Bolt app that does what Slack requires of an endpoint
// (verify the v0 signature, ack) and nothing else. Bolt checks the signature and the 5-minute window itself.
// SLACK_SIGNING_SECRET and PORT come from the environment; no Slack API call is made (no token verification).
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  token: 'xoxb-benchmark-not-used',
  tokenVerificationEnabled: false,
  botId: 'BBOT',
  botUserId: 'UBOT',
  endpoints: ['/slack/events', '/slack/commands'],
  logLevel: LogLevel.ERROR,
});

app.event('message', async () => {});
app.event('app_mention', async () => {});
app.command('/it', async ({ ack }) => { await ack(); });
app.command('/kpi', async ({ ack }) => { await ack(); });

(async () => {
  const port = Number(process.env.PORT || 3000);
  await app.start({ port, host: '127.0.0.1' });
  console.log(`bolt listening on http://127.0.0.1:${port}`);
})();
