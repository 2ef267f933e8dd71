// The dashboard reads the same JSON API as everyone else (/api/kpi/*, DESIGN §6); no number is computed here.
const names = { mttr: 'MTTR', fcr: 'FCR', sla: 'SLA compliance', csat: 'CSAT', escalation: 'Escalation rate', backlog: 'Backlog', automation: 'AI resolution rate' };

function format(value, unit) {
  if (value === null || value === undefined) return 'no data';
  if (unit === 'ratio') return `${Math.round(value * 1000) / 10}%`;
  if (unit === 'hours') return `${Math.round(value * 100) / 100} h`;
  return `${Math.round(value * 100) / 100}`;
}

// An API time (ISO 8601) as the chat cards write one: "2026-11-07 09:31", in UTC.
function utc(iso) {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? (iso ?? '') : time.toISOString().slice(0, 16).replace('T', ' ');
}

function arrow(now, before) {
  if (now === null || before === null || now === undefined || before === undefined) return '';
  return now > before ? '↑' : now < before ? '↓' : '→';
}

// The change against the previous period: the arrow and, where the API says which way the metric improves
// (`better`: "higher" or "lower"), whether this change is better or worse; the class colours it.
function trend(metric) {
  const now = metric.value, before = (metric.previous || {}).value;
  const shown = arrow(now, before);
  if (!shown || now === before || !metric.better) return element('span', { class: 'trend' }, shown);
  const verdict = (now > before) === (metric.better === 'higher') ? 'better' : 'worse';
  return element('span', { class: `trend ${verdict}`, title: `${verdict} than the previous period` }, `${shown} ${verdict}`);
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach(c => node.append(c));
  return node;
}

// The rest of DESIGN §4 that a lead reads at a glance, each from its own /api/kpi/{metric} over the summary's period,
// with the line that says what its number is made of (fields the API gives beside the value).
const more = {
  volume: ['Volume', () => null],
  frt: ['First response', m => m.median === null || m.median === undefined ? null : `median ${format(m.median, 'hours')}`],
  deflection: ['Deflection rate', m => `${m.deflected} answered by an article · ${m.created} tickets`],
  workflows: ['Workflow failure rate', m => `${m.failed} failed of ${m.ended} ended · ${m.started} started`],
  approvals: ['Approval enforcement', m => `${m.unapproved} without an approval · ${m.denied} denied · ${m.expired} expired`
    + (m.latencyMedianHours === null || m.latencyMedianHours === undefined ? '' : ` · median wait ${format(m.latencyMedianHours, 'hours')}`)],
  overrides: ['Override rate', m => `${m.overridden} of ${m.count} runs`],
  savings: ['Savings', m => m.cost === null || m.cost === undefined ? null : `${m.cost.toLocaleString('en')} ${m.currency} at ${m.hourlyRate} ${m.currency} an hour`],
  access: ['Access changes', m => `${m.overdueRevocations} overdue revocations`],
};

function card(metric) {
  const previous = metric.previous || {};
  const box = element('div', { class: 'card', 'data-metric': metric.metric },
    element('h2', {}, names[metric.metric] || (more[metric.metric] || [metric.metric])[0]),
    element('div', { class: 'value' }, `${format(metric.value, metric.unit)} `, trend(metric)),
    element('div', { class: 'previous' }, `previous ${format(previous.value, metric.unit)} · over ${metric.count}`));
  if (metric.segments && metric.segments.length) {
    const table = element('table');
    metric.segments.forEach(s => table.append(element('tr', {}, element('td', {}, s.key), element('td', {}, format(s.value, metric.unit)), element('td', {}, `${s.count}`))));
    box.append(table);
  }
  const detail = more[metric.metric] && more[metric.metric][1](metric);
  if (detail) box.append(element('div', { class: 'detail' }, detail));
  if (metric.metric === 'automation') {
    const split = [['aiResolved', 'AI-resolved'], ['aiAssisted', 'AI-assisted'], ['unassisted', 'unassisted']]
      .map(([k, label]) => `${label} ${metric[k].count}`).join(' · ');
    box.append(element('div', { class: 'previous' }, split));
  }
  return box;
}

// Once Api:Keys is set, /api wants the key from this page too (DESIGN §6); it is kept for this tab only.
const keyName = 'itchatbot.apiKey';

function send(url, method) {
  const key = sessionStorage.getItem(keyName);
  return fetch(url, { method, headers: key ? { Authorization: `Bearer ${key}` } : {} });
}

const get = url => send(url, 'GET');
const post = url => send(url, 'POST');

// What the service could not do (GET /api/inbox/failed, GET /api/outbox/failing), each with the retry its API offers.
// Shown only when there is something; the numbers above never depend on it.
// The APIs are asked for one row more than is shown, so the title can say when there are more than the page lists.
const problemRows = 20;

function problemTable(title, columns, all, retry) {
  if (!all.length) return element('div');
  const rows = all.slice(0, problemRows);
  const heading = all.length > problemRows ? `${title} (${problemRows} shown; there are more)` : `${title} (${rows.length})`;
  const table = element('table', {}, element('tr', {}, ...[...columns, ''].map(c => element('th', {}, c))));
  rows.forEach(row => {
    const button = element('button', { type: 'button', 'data-retry': row.id }, retry.label);
    const tr = element('tr', { 'data-id': row.id }, ...row.cells.map(c => element('td', {}, c ?? '')), element('td', {}, button));
    button.addEventListener('click', async () => {
      button.disabled = true;
      const response = await post(retry.url(row.id));
      const body = await response.json().catch(() => ({}));
      document.getElementById('problems-status').textContent = response.ok
        ? retry.done(row.id, body)
        : `${row.id}: ${body.detail || `the API answered ${response.status}`}`;
      if (response.ok) tr.remove(); else button.disabled = false;
    });
    table.append(tr);
  });
  return element('div', {}, element('h3', {}, heading), table);
}

async function problems() {
  const [inbox, outbox] = await Promise.all([get(`/api/inbox/failed?max=${problemRows + 1}`), get(`/api/outbox/failing?max=${problemRows + 1}`)]);
  if (!inbox.ok || !outbox.ok) return;
  const failed = (await inbox.json()).deliveries;
  const failing = (await outbox.json()).messages;
  document.getElementById('problems').hidden = failed.length + failing.length === 0;
  document.getElementById('failed-deliveries').replaceChildren(problemTable(
    'Requests whose handling failed',
    ['delivery', 'channel', 'failed at (UTC)', 'error'],
    failed.map(d => ({ id: d.platformId, cells: [d.platformId, d.channel, utc(d.processedAt), d.error] })),
    { label: 'Retry', url: id => `/api/inbox/${encodeURIComponent(id)}/retry`, done: id => `${id}: retried; it is handled as if it had just arrived.` }));
  document.getElementById('failing-messages').replaceChildren(problemTable(
    'Messages the platforms refuse',
    ['message', 'ticket', 'channel', 'attempts', 'last error', 'next attempt (UTC)'],
    failing.map(m => ({ id: m.id, cells: [m.title, m.ticket, m.channel, `${m.attempts}`, m.lastError, m.nextAttemptAt ? utc(m.nextAttemptAt) : ''] })),
    { label: 'Send now', url: id => `/api/outbox/${encodeURIComponent(id)}/retry`, done: id => `${id}: queued to be sent now.` }));
}

// An <img src> cannot send the key, so each chart is fetched and shown from a blob.
async function chart(name, range) {
  const image = element('img', { alt: `${name} chart` });
  const response = await get(`/api/kpi/charts/${name}.png?${range}`);
  if (response.ok) image.src = URL.createObjectURL(await response.blob());
  return image;
}

// The teams are configured, not fixed: the picker is filled from the API once it answers.
async function teams() {
  const picker = document.getElementById('team');
  if (picker.options.length > 1) return;
  const response = await get('/api/kpi/teams');
  if (response.ok) picker.append(...(await response.json()).teams.map(name => new Option(name, name)));
}

async function load(event) {
  if (event) event.preventDefault();
  await teams();
  const team = document.getElementById('team').value;
  const period = document.getElementById('period').value;
  const query = `period=${encodeURIComponent(period)}${team ? `&team=${encodeURIComponent(team)}` : ''}`;
  const status = document.getElementById('status');
  status.textContent = 'Loading…';
  const response = await get(`/api/kpi/summary?${query}`);
  const body = await response.json().catch(() => ({}));
  document.getElementById('key-form').hidden = response.status !== 401;
  if (!response.ok) {
    // A bad parameter says { error }; a refusal is a problem document with its reason in detail.
    status.textContent = body.error || body.detail || `The API answered ${response.status}.`;
    return;
  }
  status.textContent = `${team || 'All teams'} · ${utc(body.from)} – ${utc(body.to)} UTC · ${body.value} tickets created`;
  const reading = document.getElementById('reading');
  reading.replaceChildren(element('p', {}, `MTTR with FCR: ${body.reading.mttrFcr}`), element('p', {}, `SLA with CSAT: ${body.reading.slaCsat}`));
  document.getElementById('cards').replaceChildren(...body.metrics.map(card));
  const range = `from=${encodeURIComponent(body.from)}&to=${encodeURIComponent(body.to)}${team ? `&team=${encodeURIComponent(team)}` : ''}`;
  document.getElementById('more-cards').replaceChildren(...await Promise.all(Object.keys(more).map(async name => {
    const answer = await get(`/api/kpi/${name}?${range}`);
    return answer.ok ? card(await answer.json()) : element('div', { class: 'card', 'data-metric': name }, element('h2', {}, more[name][0]), `The API answered ${answer.status}.`);
  })));
  document.getElementById('charts').replaceChildren(...await Promise.all(['backlog', 'ai-rate', 'ttr', 'sla'].map(name => chart(name, range))));
  await problems();
}

document.getElementById('scope').addEventListener('submit', load);
document.getElementById('key-form').addEventListener('submit', event => {
  event.preventDefault();
  sessionStorage.setItem(keyName, document.getElementById('key').value.trim());
  document.getElementById('key').value = '';
  load();
});
load();
