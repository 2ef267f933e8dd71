// The local web chat: pick who you are, talk to the bot, press card buttons.
// Replies come back in the response; later messages (approvals, queue updates) arrive by polling.
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { person: null, conversation: null, thread: null, after: 0, shown: new Map(), people: [] };

  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || `HTTP ${response.status}`);
    return data;
  }

  function showError(text) {
    $('error').textContent = text;
    $('error').hidden = !text;
  }

  function render(message) {
    const replaced = message.updateOf && state.shown.get(message.updateOf);
    const node = replaced || document.createElement('div');
    node.className = 'msg bot' + (message.ephemeral ? ' ephemeral' : '');
    node.dataset.id = message.id;
    node.dataset.thread = message.thread ?? '';
    // Only the card's HTML is markup (the server encodes everything in it); the rest goes in as text, never as HTML.
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.append(`${message.ephemeral ? 'only you can see this · ' : ''}${message.ticket ?? ''} `);
    const reply = document.createElement('button');
    reply.type = 'button';
    reply.className = 'reply';
    // A ticket's card at the top of the conversation (an approval request, say) starts that ticket's thread, as in Slack:
    // a reply under it goes to the ticket. Its id is the thread's (the first card's, when this one replaces it).
    reply.dataset.thread = message.thread ?? (message.ticket && !message.ephemeral ? (message.updateOf ?? message.id) : '');
    reply.textContent = 'reply in thread';
    meta.append(reply);
    node.innerHTML = message.html;
    node.prepend(meta);
    state.shown.set(message.id, node);
    if (message.updateOf) state.shown.set(message.updateOf, node);
    if (!replaced) $('messages').appendChild(node);
  }

  function renderMine(text) {
    const node = document.createElement('div');
    node.className = 'msg mine';
    node.textContent = text;
    $('messages').appendChild(node);
  }

  function accept(messages) {
    // A turn's replies may go to other conversations too (the queue, the requester's thread); show only this one's.
    for (const m of messages.filter((x) => x.conversation === state.conversation)) {
      if (m.seq > state.after) state.after = m.seq;
      if (!state.shown.has(m.id) || m.updateOf) render(m);
    }
  }

  async function poll() {
    if (!state.person) return;
    try {
      const data = await api('GET', `/chat/messages?conversation=${encodeURIComponent(state.conversation)}&person=${encodeURIComponent(state.person)}&after=${state.after}`);
      accept(data.messages.filter((m) => !state.shown.has(m.id)));
    } catch (e) { showError(e.message); }
  }

  async function send(event) {
    event.preventDefault();
    const text = $('text').value.trim();
    if (!text) return;
    $('text').value = '';
    renderMine(text);
    try {
      const data = await api('POST', '/chat/send', {
        person: state.person, text, conversation: state.conversation, thread: state.thread, clientMessageId: crypto.randomUUID(),
      });
      showError('');
      accept(data.messages);
    } catch (e) { showError(e.message); }
  }

  async function press(button) {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const card = button.closest('.card');
    const inputs = {};
    card.querySelectorAll('input[name]').forEach((i) => { inputs[i.name] = i.value; });
    const message = button.closest('.msg');
    try {
      const data = await api('POST', '/chat/actions', {
        person: state.person, actionId: button.dataset.actionId, value: button.dataset.value,
        conversation: state.conversation, thread: message.dataset.thread || null,
        inputs, clientMessageId: crypto.randomUUID(),
      });
      showError('');
      accept(data.messages);
    } catch (e) { showError(e.message); }
  }

  function setThread(thread) {
    state.thread = thread || null;
    $('thread-bar').hidden = !state.thread;
  }

  // Who you are and where you are live in the address (?person=erin&conversation=queue-it), so a reload, a bookmark or a
  // link to a colleague opens the same view; a value that names no one, or no conversation of theirs, is left out.
  const asked = new URLSearchParams(location.search);

  function remember() {
    const url = new URL(location.href);
    url.searchParams.set('person', state.person);
    url.searchParams.set('conversation', state.conversation);
    history.replaceState(null, '', url);
  }

  function switchTo() {
    state.person = $('person').value;
    const me = state.people.find((p) => p.id === state.person);
    $('conversation').replaceChildren(...(me?.conversations ?? []).map((c) => new Option(c.label, c.id)));
    const conversation = asked.get('conversation');
    if (conversation && (me?.conversations ?? []).some((c) => c.id === conversation)) $('conversation').value = conversation;
    asked.delete('conversation');
    switchConversation();
  }

  function switchConversation() {
    state.conversation = $('conversation').value;
    remember();
    state.after = 0;
    state.shown.clear();
    setThread(null);
    $('messages').innerHTML = '';
    poll();
  }

  async function start() {
    state.people = await api('GET', '/chat/people');
    // Names come from the directory (Okta, Graph), as people typed them: text, not markup.
    $('person').replaceChildren(...state.people
      .map((p) => new Option(`${p.displayName} — ${p.roles.filter((r) => r !== 'employee').join(', ') || 'employee'}`, p.id)));
    $('person').addEventListener('change', switchTo);
    $('conversation').addEventListener('change', switchConversation);
    $('composer').addEventListener('submit', send);
    $('leave-thread').addEventListener('click', () => setThread(null));
    $('messages').addEventListener('click', (e) => {
      const button = e.target.closest('button');
      if (!button) return;
      if (button.classList.contains('reply')) setThread(button.dataset.thread);
      else if (button.dataset.actionId) press(button);
    });
    const person = asked.get('person');
    if (person && state.people.some((p) => p.id === person)) $('person').value = person;
    if (state.people.length) switchTo();
    else showError('The directory is empty: run `dotnet run --project src/ItChatBot.Host -- seed-demo` first, or start the service once (it seeds the demo directory).');
    setInterval(poll, 2000);
  }

  start().catch((e) => showError(e.message));
})();
