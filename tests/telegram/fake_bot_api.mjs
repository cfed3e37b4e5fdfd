// A fake Telegram Bot API server on loopback, for tests (../../../shared/reference/telegram.md §10): the real
// URL scheme (/bot<token>/<method>, methods case-insensitive), parameters from the query string, form or
// JSON bodies (structured values as native JSON or JSON text), the {"ok","result"} envelope with the real
// error codes and descriptions, getUpdates long polling with offsets (confirming, clamping, 409 for a second
// poller or a set webhook), messages with HTML parsed into text and UTF-16 entities, inline and reply
// keyboards validated, edits ("message is not modified"), deletions, callback queries and their answers,
// setMyCommands, webhooks, and injected flood control (429 with parameters.retry_after and Retry-After).
//
// The test drives users from JavaScript: fake.user(), fake.sendText(), fake.press(), fake.chat(); a small
// HTTP side channel under /_fake/ does the same for manual runs (node fake_bot_api.mjs --port 8090).
import http from 'node:http';
import { URL } from 'node:url';

const BUTTON_FIELDS = ['callback_data', 'url', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay'];
const DEFAULT_UPDATES = ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'inline_query', 'chosen_inline_result',
  'callback_query', 'shipping_query', 'pre_checkout_query', 'poll', 'poll_answer', 'my_chat_member', 'chat_join_request'];
const NOT_MODIFIED = 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    this.code = code;
    this.description = description;
    this.parameters = parameters;
  }
}

const utf16 = (s) => s.length;  // JS strings are UTF-16: length counts code units
const byteLength = (s) => Buffer.byteLength(s, 'utf8');

// Parses Telegram's HTML subset into plain text and entities (offsets in UTF-16 units).
export function parseHtml(html) {
  const tags = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough',
    strike: 'strikethrough', del: 'strikethrough', code: 'code', pre: 'pre', a: 'text_link', 'tg-spoiler': 'spoiler',
    span: 'spoiler', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji' };
  let text = '';
  const entities = [];
  const stack = [];
  let i = 0;
  const bytesBefore = (k) => byteLength(html.slice(0, k));
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw new ApiError(400, `Bad Request: can't parse entities: Unclosed start tag at byte offset ${bytesBefore(i)}`);
      const raw = html.slice(i + 1, end);
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim().toLowerCase();
        const open = stack.pop();
        if (!open || open.name !== name) {
          throw new ApiError(400, `Bad Request: can't parse entities: Unmatched end tag at byte offset ${bytesBefore(i)}, expected "</${open ? open.name : ''}>", found "</${name}>"`);
        }
        const length = utf16(text) - open.offset;
        if (length > 0) {
          const e = { offset: open.offset, length, type: tags[name] };
          if (open.url) e.url = open.url;
          entities.push(e);
        }
      } else {
        const m = /^([a-zA-Z-]+)(\s+.*)?$/s.exec(raw);
        const name = m ? m[1].toLowerCase() : raw;
        if (!m || !(name in tags)) throw new ApiError(400, `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${bytesBefore(i)}`);
        const open = { name, offset: utf16(text) };
        if (name === 'a') {
          const href = /href\s*=\s*"([^"]*)"/.exec(m[2] || '');
          if (!href) throw new ApiError(400, `Bad Request: can't parse entities: Can't find end of href at byte offset ${bytesBefore(i)}`);
          open.url = href[1];
        }
        stack.push(open);
      }
      i = end + 1;
    } else if (c === '&') {
      const semi = html.indexOf(';', i);
      const name = semi > i ? html.slice(i + 1, semi) : '';
      const named = { lt: '<', gt: '>', amp: '&', quot: '"' };
      if (name in named) text += named[name];
      else if (/^#\d+$/.test(name)) text += String.fromCodePoint(Number(name.slice(1)));
      else if (/^#x[0-9a-f]+$/i.test(name)) text += String.fromCodePoint(parseInt(name.slice(2), 16));
      else {
        text += '&';  // Telegram keeps an unknown entity as text
        i += 1;
        continue;
      }
      i = semi + 1;
    } else if (c === '>') {
      // A bare '>' is accepted by Telegram's parser; we keep it (our bot escapes it anyway).
      text += c;
      i += 1;
    } else {
      text += c;
      i += 1;
    }
  }
  if (stack.length) throw new ApiError(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1].name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function validateMarkup(markup, { inlineOnly = false } = {}) {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  if (markup.inline_keyboard !== undefined) {
    if (!Array.isArray(markup.inline_keyboard)) throw new ApiError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of markup.inline_keyboard) {
      if (!Array.isArray(row)) throw new ApiError(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const b of row) {
        if (!b || typeof b.text !== 'string' || b.text === '') throw new ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        const kinds = BUTTON_FIELDS.filter((f) => b[f] !== undefined);
        if (kinds.length !== 1) throw new ApiError(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must have exactly one of the optional fields");
        if (b.callback_data !== undefined) {
          if (typeof b.callback_data !== 'string' || byteLength(b.callback_data) < 1 || byteLength(b.callback_data) > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
        }
      }
    }
    return markup;
  }
  if (inlineOnly) throw new ApiError(400, 'Bad Request: inline keyboard expected');
  if (markup.keyboard !== undefined) {
    if (!Array.isArray(markup.keyboard) || !markup.keyboard.every(Array.isArray)) throw new ApiError(400, 'Bad Request: field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    for (const row of markup.keyboard) for (const b of row) {
      const t = typeof b === 'string' ? b : b && b.text;
      if (typeof t !== 'string' || t === '') throw new ApiError(400, 'Bad Request: keyboard button text is empty');
    }
    if (markup.input_field_placeholder !== undefined && (markup.input_field_placeholder.length < 1 || markup.input_field_placeholder.length > 64)) throw new ApiError(400, 'Bad Request: input field placeholder is too long');
    return markup;
  }
  if (markup.remove_keyboard === true || markup.force_reply === true) return markup;
  throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
}

const COMMAND_RE = /^\/[a-z0-9_]{1,32}$/;

export class FakeBotApi {
  constructor({ token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', username = 'tradebridge_test_bot', firstName = 'TB Test', clock = () => Date.now() } = {}) {
    this.token = token;
    this.botId = Number(token.split(':')[0]);
    this.bot = { id: this.botId, is_bot: true, first_name: firstName, username };
    this.clock = clock;
    this.users = new Map();       // id -> {user, blocked, started}
    this.chats = new Map();       // chat id -> {nextId, messages: Map(id -> message record)}
    this.updates = [];            // {update_id, body, deliveries}
    this.nextUpdateId = 815000001;
    this.confirmed = 0;           // updates below this id are gone
    this.allowedUpdates = null;   // null: the default set
    this.webhook = null;          // {url, secret_token, allowed_updates}
    this.pollers = [];            // pending getUpdates: {resolve, timer, res}
    this.calls = [];              // every API call: {method, params, at, status, description}
    this.callbacks = new Map();   // id -> {answered, text, show_alert, at}
    this.nextCallbackId = 477248523815829376n;
    this.floods = [];             // {method, count, retry_after}
    this.commands = new Map();    // scope key -> commands
    this.listeners = new Set();
    this.seq = 0;
    this.deliveries = new Map();  // update_id -> how many getUpdates answers carried it                 // grows with every message sent or edited: "changed since" without clock ties
  }

  // ---- server ----

  async start(port = 0) {
    this.server = http.createServer((req, res) => this.serve(req, res).catch((e) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${e.message}` }));
    }));
    this.server.keepAliveTimeout = 60000;
    await new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this.url;
  }

  async stop() {
    for (const p of this.pollers.splice(0)) { clearTimeout(p.timer); p.resolve([]); }
    if (this.server) {
      this.server.closeAllConnections?.();
      await new Promise((resolve) => this.server.close(resolve));
    }
  }

  async serve(req, res) {
    const url = new URL(req.url, 'http://x');
    const body = await new Promise((resolve) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    if (url.pathname.startsWith('/_fake/')) return this.control(url, req, body, res);
    // An optional /via/<name> before /bot: several processes sharing one token each get their own base URL,
    // so a test can tell whose call it was (call.via).
    const m = /^(?:\/via\/([^/]+))?\/bot([^/]*)\/(?:test\/)?([^/]+)$/.exec(url.pathname);
    const send = (status, payload, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, via, token, rawMethod] = m;
    const id = token.split(':')[0];
    if (!token.includes(':') || token.length > 80 || token.startsWith('0') || !/^\d+$/.test(id) || Number(id) <= 0) {
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized: invalid token specified' });
    }
    if (token !== this.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const params = this.params(url, req.headers['content-type'] || '', body);
    if (params instanceof ApiError) return send(400, { ok: false, error_code: 400, description: params.description });
    const method = rawMethod.toLowerCase();
    const call = { method: rawMethod, params, at: this.clock(), status: 200, via };
    this.calls.push(call);
    const flood = this.floods.find((f) => f.method.toLowerCase() === method && f.count > 0);
    if (flood) {
      flood.count -= 1;
      call.status = 429;
      call.description = `Too Many Requests: retry after ${flood.retry_after}`;
      return send(429, { ok: false, error_code: 429, description: call.description, parameters: { retry_after: flood.retry_after } },
        { 'Retry-After': String(flood.retry_after) });
    }
    const handler = this.methods()[method];
    if (!handler) {
      call.status = 404;
      return send(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
    try {
      const result = await handler.call(this, params, req, res);
      if (res.writableEnded) return undefined;  // a poller answered by another call
      send(200, { ok: true, result });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      call.status = e.code;
      call.description = e.description;
      const payload = { ok: false, error_code: e.code, description: e.description };
      if (e.parameters) payload.parameters = e.parameters;
      if (!res.writableEnded) send(e.code, payload, e.code === 429 && e.parameters ? { 'Retry-After': String(e.parameters.retry_after) } : {});
    }
    this.emit();
    return undefined;
  }

  params(url, contentType, body) {
    const p = {};
    for (const [k, v] of url.searchParams) p[k] = v;
    if (body) {
      if (contentType.startsWith('application/json')) {
        let j;
        try { j = JSON.parse(body); } catch { return new ApiError(400, "Bad Request: can't parse JSON encoded request: unexpected end of data"); }
        if (j && typeof j === 'object' && !Array.isArray(j)) Object.assign(p, j);
      } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
        for (const [k, v] of new URLSearchParams(body)) p[k] = v;
      }
    }
    return p;
  }

  // ---- parameter readers: native JSON values, or their text ----

  int(p, name, { required = false } = {}) {
    const v = p[name];
    if (v === undefined || v === '') {
      if (required) throw new ApiError(400, `Bad Request: ${name} is empty`);
      return undefined;
    }
    const n = typeof v === 'number' ? v : /^-?\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : NaN;
    if (!Number.isSafeInteger(n)) throw new ApiError(400, `Bad Request: ${name} is not a number`);
    return n;
  }

  structured(p, name) {
    const v = p[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v;
    try { return JSON.parse(v); } catch { throw new ApiError(400, `Bad Request: can't parse ${name} JSON object`); }
  }

  bool(p, name) {
    const v = p[name];
    if (v === undefined) return false;
    if (typeof v === 'boolean') return v;
    return ['true', 'yes', '1'].includes(String(v).trim().toLowerCase());
  }

  chatOf(p) {
    const id = this.int(p, 'chat_id');
    if (id === undefined) throw new ApiError(400, 'Bad Request: chat_id is empty');
    const chat = this.chats.get(id);
    if (!chat) throw new ApiError(400, 'Bad Request: chat not found');
    return { id, chat };
  }

  // ---- the Bot API ----

  methods() {
    return {
      getme() { return { ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false }; },
      getupdates(p, req, res) { return this.getUpdates(p, req, res); },
      setwebhook(p) {
        const url = p.url === undefined ? '' : String(p.url);
        const secret = p.secret_token === undefined ? undefined : String(p.secret_token);
        if (secret !== undefined && secret.length > 256) throw new ApiError(400, 'Bad Request: secret token is too long');
        if (secret !== undefined && !/^[A-Za-z0-9_-]*$/.test(secret)) throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
        if (url && !url.startsWith('https://')) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        if (!url) { this.webhook = null; return true; }
        this.webhook = { url, secret_token: secret, allowed_updates: this.structured(p, 'allowed_updates') };
        for (const poller of this.pollers.splice(0)) poller.fail(409, 'Conflict: terminated by setWebhook request');
        return true;
      },
      deletewebhook(p) {
        this.webhook = null;
        if (this.bool(p, 'drop_pending_updates')) this.confirmed = this.nextUpdateId;
        return true;
      },
      getwebhookinfo() {
        return { url: this.webhook ? this.webhook.url : '', has_custom_certificate: false, pending_update_count: this.pending().length };
      },
      sendmessage(p) { return this.sendMessage(p); },
      editmessagetext(p) { return this.editMessage(p, true); },
      editmessagereplymarkup(p) { return this.editMessage(p, false); },
      deletemessage(p) {
        const { chat } = this.chatOf(p);
        const id = this.int(p, 'message_id', { required: true });
        const m = chat.messages.get(id);
        if (!m || m.deleted) throw new ApiError(400, 'Bad Request: message to delete not found');
        if (this.clock() - m.message.date * 1000 > 48 * 3600 * 1000) throw new ApiError(400, "Bad Request: message can't be deleted for everyone");
        m.deleted = true;
        m.deletedAt = this.clock();
        return true;
      },
      deletemessages(p) {
        const { chat } = this.chatOf(p);
        const ids = this.structured(p, 'message_ids');
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) throw new ApiError(400, 'Bad Request: message identifiers are not specified');
        for (const id of ids) { const m = chat.messages.get(Number(id)); if (m && !m.deleted) { m.deleted = true; m.deletedAt = this.clock(); } }
        return true;
      },
      answercallbackquery(p) {
        const q = this.callbacks.get(String(p.callback_query_id || ''));
        if (!q || q.answered) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
        const text = p.text === undefined ? '' : String(p.text);
        if ([...text].length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
        Object.assign(q, { answered: true, text, show_alert: this.bool(p, 'show_alert'), answeredAt: this.clock() });
        return true;
      },
      setmycommands(p) {
        const commands = this.structured(p, 'commands');
        if (!Array.isArray(commands) || commands.length > 100) throw new ApiError(400, "Bad Request: can't parse commands JSON object");
        for (const c of commands) {
          if (!c || typeof c.command !== 'string' || !COMMAND_RE.test('/' + c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw new ApiError(400, 'Bad Request: command description is empty');
        }
        this.commands.set(JSON.stringify(this.structured(p, 'scope') || { type: 'default' }) + '|' + (p.language_code || ''), commands);
        return true;
      },
      getmycommands(p) { return this.commands.get(JSON.stringify(this.structured(p, 'scope') || { type: 'default' }) + '|' + (p.language_code || '')) || []; },
      deletemycommands(p) { this.commands.delete(JSON.stringify(this.structured(p, 'scope') || { type: 'default' }) + '|' + (p.language_code || '')); return true; },
      sendchataction(p) {
        this.chatOf(p);
        const actions = ['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note'];
        if (!actions.includes(p.action)) throw new ApiError(400, 'Bad Request: wrong parameter action in request');
        return true;
      },
    };
  }

  pending() {
    const allowed = this.allowedUpdates && this.allowedUpdates.length ? this.allowedUpdates : DEFAULT_UPDATES;
    return this.updates.filter((u) => u.update_id >= this.confirmed && allowed.includes(u.kind));
  }

  getUpdates(p, req, res) {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    let offset = this.int(p, 'offset');
    const limit = Math.min(Math.max(this.int(p, 'limit') ?? 100, 1), 100);
    const timeout = Math.min(Math.max(this.int(p, 'timeout') ?? 0, 0), 50);
    const allowed = this.structured(p, 'allowed_updates');
    if (allowed !== undefined) this.allowedUpdates = allowed;
    if (offset !== undefined) {
      if (offset < 0) {
        const queue = this.updates.filter((u) => u.update_id >= this.confirmed);
        const from = queue[Math.max(queue.length + offset, 0)];
        offset = from ? from.update_id : this.nextUpdateId;
      }
      if (offset > this.confirmed) {
        this.confirmed = offset;
        this.updates = this.updates.filter((u) => u.update_id >= offset);
      }
    }
    // Only one poller: a newer request ends the older one with 409.
    for (const poller of this.pollers.splice(0)) poller.fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    const take = () => {
      const batch = this.pending().slice(0, limit);
      for (const u of batch) {
        u.deliveries += 1;
        this.deliveries.set(u.update_id, (this.deliveries.get(u.update_id) || 0) + 1);
      }
      return batch.map((u) => u.body);
    };
    const ready = take();
    if (ready.length || timeout === 0) return ready;
    return new Promise((resolve, reject) => {
      const poller = {
        resolve: (v) => { clearTimeout(poller.timer); this.pollers = this.pollers.filter((x) => x !== poller); resolve(v); },
        fail: (code, description) => { clearTimeout(poller.timer); reject(new ApiError(code, description)); },
        wake: () => {
          if (res.destroyed || !res.socket || res.socket.destroyed) { poller.resolve([]); return; }  // its client is gone
          const batch = take();
          if (batch.length) poller.resolve(batch);
        },
        timer: setTimeout(() => poller.resolve([]), timeout * 1000),
      };
      // A client that hangs up (a killed process) stops polling.
      res.on('close', () => { if (!res.writableEnded) { clearTimeout(poller.timer); this.pollers = this.pollers.filter((x) => x !== poller); } });
      this.pollers.push(poller);
    });
  }

  newMessage(chatId, fields) {
    const chat = this.chats.get(chatId);
    const id = chat.nextId++;
    const message = { message_id: id, ...fields, date: Math.floor(this.clock() / 1000) };
    chat.messages.set(id, { message, deleted: false, edits: [], sentAt: this.clock(), changed: ++this.seq });
    return message;
  }

  chatJson(chatId) {
    const u = this.users.get(chatId).user;
    const c = { id: chatId, first_name: u.first_name };
    if (u.username) c.username = u.username;
    c.type = 'private';
    return c;
  }

  render(p) {
    if (p.text === undefined || String(p.text) === '') throw new ApiError(400, 'Bad Request: message text is empty');
    const raw = String(p.text);
    if (byteLength(raw) > 32768) throw new ApiError(400, 'Bad Request: text is too long');
    const mode = p.parse_mode === undefined ? '' : String(p.parse_mode);
    let parsed = { text: raw, entities: [] };
    if (mode.toLowerCase() === 'html') parsed = parseHtml(raw);
    else if (mode && !['markdown', 'markdownv2', 'none'].includes(mode.toLowerCase())) throw new ApiError(400, 'Bad Request: unsupported parse_mode');
    if (utf16(parsed.text) > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    if (parsed.text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    return parsed;
  }

  sendMessage(p) {
    const { id } = this.chatOf(p);
    const u = this.users.get(id);
    if (u.blocked) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (!u.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    const { text, entities } = this.render(p);
    const markup = validateMarkup(this.structured(p, 'reply_markup'));
    const fields = { from: this.bot, chat: this.chatJson(id), text };
    if (entities.length) fields.entities = entities;
    const lpo = this.structured(p, 'link_preview_options');
    if (lpo) fields.link_preview_options = lpo;
    if (markup && markup.inline_keyboard) fields.reply_markup = markup;
    const message = this.newMessage(id, fields);
    const record = this.chats.get(id).messages.get(message.message_id);
    record.fromBot = true;
    record.markup = markup;  // reply keyboards too, for assertions
    record.html = String(p.text);
    return message;
  }

  editMessage(p, withText) {
    const { id, chat } = this.chatOf(p);
    const mid = this.int(p, 'message_id', { required: true });
    const m = chat.messages.get(mid);
    if (!m || m.deleted) throw new ApiError(400, 'Bad Request: message to edit not found');
    if (!m.fromBot) throw new ApiError(400, "Bad Request: message can't be edited");
    const markup = validateMarkup(this.structured(p, 'reply_markup'), { inlineOnly: true });
    let text = m.message.text;
    let entities = m.message.entities;
    if (withText) ({ text, entities } = this.render(p));
    const before = JSON.stringify([m.message.text, m.message.entities || [], m.message.reply_markup || null]);
    const after = JSON.stringify([text, entities && entities.length ? entities : [], markup || null]);
    if (before === after) throw new ApiError(400, NOT_MODIFIED);
    m.edits.push({ text: m.message.text, reply_markup: m.message.reply_markup, at: this.clock() });
    m.changed = ++this.seq;
    m.message = { ...m.message, text, edit_date: Math.floor(this.clock() / 1000) };
    if (entities && entities.length) m.message.entities = entities; else delete m.message.entities;
    if (markup) m.message.reply_markup = markup; else delete m.message.reply_markup;  // left out: the keyboard goes
    if (withText) m.html = String(p.text);
    m.markup = markup;
    return m.message;
  }

  // ---- the users' side ----

  user(id, { first_name = `User${id}`, username, language_code = 'en' } = {}) {
    if (!this.users.has(id)) {
      const user = { id, is_bot: false, first_name };
      if (username) user.username = username;
      user.language_code = language_code;
      this.users.set(id, { user, blocked: false, started: false });
      this.chats.set(id, { nextId: 1, messages: new Map() });
    }
    return this.users.get(id).user;
  }

  // Updates made inside fn reach the poller together, in one getUpdates answer.
  together(fn) {
    this.holding = true;
    try { return fn(); } finally {
      this.holding = false;
      for (const poller of [...this.pollers]) poller.wake();
    }
  }

  pushUpdate(kind, payload) {
    const update = { update_id: this.nextUpdateId++, [kind]: payload };
    this.updates.push({ update_id: update.update_id, kind, body: update, deliveries: 0 });
    if (!this.holding) for (const poller of [...this.pollers]) poller.wake();
    this.emit();
    return update;
  }

  // A text message from a user (a bot_command entity when it starts with /); returns {message, update}.
  sendText(userId, text) {
    const u = this.users.get(userId) || (this.user(userId), this.users.get(userId));
    u.started = true;
    u.blocked = false;
    const fields = { from: u.user, chat: this.chatJson(userId), text };
    const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    if (cmd) fields.entities = [{ offset: 0, length: cmd[0].length, type: 'bot_command' }];
    const message = this.newMessage(userId, fields);
    const update = this.pushUpdate('message', message);
    return { message, update };
  }

  // Presses a button of a bot message in the user's chat, found by its text (or callback data).
  press(userId, messageId, which) {
    const chat = this.chats.get(userId);
    const m = chat.messages.get(messageId);
    if (!m || m.deleted) throw new Error(`no message ${messageId} in chat ${userId}`);
    const buttons = (m.message.reply_markup?.inline_keyboard || []).flat();
    const b = buttons.find((x) => x.text === which || x.callback_data === which);
    if (!b) throw new Error(`message ${messageId} has no button ${which}: ${JSON.stringify(buttons.map((x) => x.text))}`);
    const id = String(this.nextCallbackId++);
    this.callbacks.set(id, { answered: false, at: this.clock(), data: b.callback_data });
    const q = { id, from: this.users.get(userId).user, message: m.message, chat_instance: '-7766554433221100', data: b.callback_data };
    const update = this.pushUpdate('callback_query', q);
    return { id, update };
  }

  // The same update once more, as Telegram does for a poller that never confirmed it.
  redeliver(update) {
    this.updates.push({ update_id: update.update_id, kind: Object.keys(update).find((k) => k !== 'update_id'), body: update, deliveries: 0 });
    this.updates.sort((a, b) => a.update_id - b.update_id);
    if (this.confirmed > update.update_id) this.confirmed = update.update_id;
    for (const poller of [...this.pollers]) poller.wake();
  }

  block(userId, blocked = true) {
    this.users.get(userId).blocked = blocked;
    this.pushUpdate('my_chat_member', {
      chat: this.chatJson(userId), from: this.users.get(userId).user, date: Math.floor(this.clock() / 1000),
      old_chat_member: { user: this.bot, status: blocked ? 'member' : 'kicked' },
      new_chat_member: { user: this.bot, status: blocked ? 'kicked' : 'member' },
    });
  }

  flood(method, count, retryAfter) { this.floods.push({ method, count, retry_after: retryAfter }); }

  // Every message of a chat, oldest first: {message_id, fromBot, text, html, deleted, edits, markup, sentAt}.
  chat(userId) {
    const chat = this.chats.get(userId);
    if (!chat) return [];
    return [...chat.messages.values()].map((m) => ({
      message_id: m.message.message_id, fromBot: !!m.fromBot, text: m.message.text, html: m.html, deleted: m.deleted,
      deletedAt: m.deletedAt, edits: m.edits, markup: m.markup, reply_markup: m.message.reply_markup, sentAt: m.sentAt, changed: m.changed,
      buttons: (m.message.reply_markup?.inline_keyboard || []).flat().map((b) => b.text),
    }));
  }

  botMessages(userId) { return this.chat(userId).filter((m) => m.fromBot && !m.deleted); }
  lastBotMessage(userId) { const all = this.botMessages(userId); return all[all.length - 1]; }

  // Resolves when fn() returns something truthy (re-checked after every API call or new update).
  waitFor(fn, { ms = 20000, what = 'condition' } = {}) {
    return new Promise((resolve, reject) => {
      let last;
      const check = () => {
        try { last = fn(); } catch (e) { last = e; }
        if (last && !(last instanceof Error)) { cleanup(); resolve(last); return true; }
        return false;
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out after ${ms} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`)); }, ms);
      const poll = setInterval(check, 50);
      const listener = () => check();
      const cleanup = () => { clearTimeout(timer); clearInterval(poll); this.listeners.delete(listener); };
      this.listeners.add(listener);
      check();
    });
  }

  emit() { for (const l of [...this.listeners]) l(); }

  // ---- the side channel for manual runs ----

  control(url, req, body, res) {
    const reply = (status, payload) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(payload)); };
    let j = {};
    try { j = body ? JSON.parse(body) : {}; } catch { return reply(400, { error: 'bad JSON' }); }
    try {
      switch (`${req.method} ${url.pathname}`) {
        case 'POST /_fake/users': return reply(200, this.user(Number(j.id), j));
        case 'POST /_fake/send': return reply(200, this.sendText(Number(j.user_id), String(j.text)));
        case 'POST /_fake/press': return reply(200, this.press(Number(j.user_id), Number(j.message_id), String(j.button)));
        case 'POST /_fake/block': this.block(Number(j.user_id), j.blocked !== false); return reply(200, {});
        case 'POST /_fake/flood': this.flood(String(j.method), Number(j.count || 1), Number(j.retry_after || 1)); return reply(200, {});
        case 'GET /_fake/chat': return reply(200, this.chat(Number(url.searchParams.get('user_id'))));
        case 'GET /_fake/calls': return reply(200, this.calls);
        default: return reply(404, { error: 'unknown control path' });
      }
    } catch (e) {
      return reply(400, { error: e.message });
    }
  }
}

// node fake_bot_api.mjs [--port 8090] [--token T]: a fake Bot API to point `serve --telegram-api-url` at.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, d) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const fake = new FakeBotApi({ token: arg('--token', undefined) });
  const url = await fake.start(Number(arg('--port', '8090')));
  console.log(JSON.stringify({ listening: url, token: fake.token }));
}
