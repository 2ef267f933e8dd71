// A minimal botbuilder echo bot, the comparison point for the Teams ack-latency benchmark
// (benchmarks/ItChatBot.Benchmarks.Teams). No app id, so botbuilder skips auth, as ItChatBot's
// Teams:DevelopmentNoAuth does. Plain node:http, so the only dependency is botbuilder itself.
// Usage: PORT=0 node index.js   (prints "Listening on N")
const http = require('node:http');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication, ActivityHandler } = require('botbuilder');

const auth = new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' });
const adapter = new CloudAdapter(auth);
adapter.onTurnError = async (context, error) => { console.error(error); };

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`Echo: ${context.activity.text}`);
      await next();
    });
  }
}
const bot = new EchoBot();

// The small slice of the express/restify request and response that CloudAdapter.process uses.
function wrap(req, res, body) {
  req.body = body;
  const response = {
    status(code) { res.statusCode = code; return response; },
    header(name, value) { res.setHeader(name, value); return response; },
    send(payload) {
      if (payload !== undefined && payload !== null) {
        if (typeof payload === 'object') { res.setHeader('Content-Type', 'application/json'); res.write(JSON.stringify(payload)); }
        else res.write(String(payload));
      }
      return response;
    },
    end() { res.end(); return response; },
  };
  return response;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/messages') { res.statusCode = 404; res.end(); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.statusCode = 400; res.end(); return; }
    const response = wrap(req, res, body);
    try { await adapter.process(req, response, (context) => bot.run(context)); }
    catch (e) { console.error(e); if (!res.writableEnded) { res.statusCode = 500; res.end(); } }
  });
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`Listening on ${server.address().port}`));
