// GridSafe sandbox page: the roster, one person's chat with the bot, the clock. Plain DOM, no libraries.
"use strict";

const CONFIG = window.GRIDSAFE;
const UI = CONFIG.ui;
const $ = (id) => document.getElementById(id);

const state = {
  channel: "telegram", // which of the person's chats this tab shows: "telegram" or "wecom"
  wecomUser: null,  // their WeCom account, when the WeCom chat is shown
  personId: null,   // whose chat this tab shows
  userId: null,     // their simulated Telegram account
  answersSeen: null,
  actionsSeen: null,
  lastBotId: 0,
  fetching: false,
  again: false,
  rosterTimer: null,
  samples: [],
  stick: true,
};

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function toast(text, kind = "") {
  const node = el("div", { class: `toast ${kind}`, text, role: kind === "error" ? "alert" : "status" });
  $("toasts").append(node);
  setTimeout(() => node.remove(), kind === "error" ? 9000 : 6000);
}

async function api(method, path, body) {
  const options = { method };
  if (body instanceof FormData) options.body = body;
  else if (body !== undefined) {
    options.body = JSON.stringify(body);
    options.headers = { "Content-Type": "application/json" };
  }
  const response = await fetch(path, options);
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(answer.error || `${response.status}`, "error");
    throw new Error(answer.error || String(response.status));
  }
  return answer;
}

// ---- roster ----------------------------------------------------------------------------------

function personButton(person) {
  const button = el("button", {
    type: "button", class: "person", title: [person.town, person.village].filter(Boolean).join(""),
    dataset: { id: String(person.id), search: [person.name, person.town, person.village, person.role_name].join(" ") },
    onclick: () => choosePerson(person.id),
  }, el("span", { class: "name", text: person.name }), el("span", { class: `badge role-${person.role}`, text: person.role_name }));
  if (!person.bound) button.append(el("span", { class: "unbound", text: UI.unbound }));
  if (person.id === state.personId) button.classList.add("current");
  return button;
}

async function loadRoster() {
  const roster = await api("GET", "/api/roster");
  const open = new Set([...document.querySelectorAll("#people details[open]")].map((d) => d.dataset.key));
  const root = $("people");
  root.replaceChildren();
  if (roster.city.length) {
    const city = el("details", { dataset: { key: "city" } }, el("summary", { text: UI.city }));
    city.open = true;
    roster.city.forEach((p) => city.append(personButton(p)));
    root.append(city);
  }
  for (const town of roster.towns) {
    const key = `t:${town.name}`;
    const details = el("details", { class: "town", dataset: { key } }, el("summary", { text: town.name }));
    if (town.people.length) {
      details.append(el("div", { class: "group-label", text: UI.town_level }));
      town.people.forEach((p) => details.append(personButton(p)));
    }
    for (const village of town.villages) {
      const vkey = `v:${town.name}:${village.name}`;
      const vdetails = el("details", { class: "village", dataset: { key: vkey } }, el("summary", { text: village.name }));
      vdetails.open = true;
      village.people.forEach((p) => vdetails.append(personButton(p)));
      details.append(vdetails);
    }
    details.open = open.has(key) || roster.towns.length <= 3;
    root.append(details);
  }
  applySearch();
}

function scheduleRoster() {
  if (state.rosterTimer) return;
  state.rosterTimer = setTimeout(() => { state.rosterTimer = null; loadRoster(); }, 800);
}

function applySearch() {
  const words = $("search").value.trim().split(/\s+/).filter(Boolean);
  for (const button of document.querySelectorAll("#people .person")) {
    const hit = words.every((w) => button.dataset.search.includes(w));
    button.hidden = !hit;
  }
  for (const details of [...document.querySelectorAll("#people details")].reverse()) {
    const visible = details.querySelector(".person:not([hidden])");
    details.hidden = !visible;
    if (words.length && visible) details.open = true;
  }
}

// ---- one chat -----------------------------------------------------------------------------------

async function choosePerson(id) {
  state.personId = id;
  state.userId = null;
  state.stick = true;
  state.answersSeen = null;
  state.actionsSeen = null;
  history.replaceState(null, "", `#p=${id}`);
  document.querySelectorAll(".person.current").forEach((b) => b.classList.remove("current"));
  document.querySelector(`.person[data-id="${id}"]`)?.classList.add("current");
  if (state.channel === "wecom") {
    renderWeCom(await api("POST", `/api/people/${id}/wecom/open`));
  } else {
    render(await api("POST", `/api/people/${id}/open`));
  }
  scheduleRoster();
}

// The person's chat with the WeCom app (the loopback WeCom server's deliveries): texts, images, cards.
function renderWeCom(data) {
  const chat = data.chat || { userid: null, messages: [] };
  state.wecomUser = chat.userid;
  $("empty").hidden = true;
  for (const id of ["chat-head", "messages", "composer"]) $(id).hidden = false;
  $("chat-name").textContent = data.person.name;
  $("keyboard").hidden = true;
  renderMessages(chat.messages);
}

async function showChannel(channel) {
  state.channel = channel;
  document.body.dataset.channel = channel;
  $("on-telegram").classList.toggle("current", channel === "telegram");
  $("on-wecom").classList.toggle("current", channel === "wecom");
  for (const id of ["menu-button", "photo-label", "file-label", "location-button"]) $(id).hidden = channel === "wecom";
  if (state.personId !== null) await choosePerson(state.personId);
}

async function refreshChat() {
  if (state.personId === null) return;
  if (state.fetching) { state.again = true; return; }
  state.fetching = true;
  try {
    if (state.channel === "wecom") return renderWeCom(await api("GET", `/api/people/${state.personId}/wecom`));
    const data = await api("GET", `/api/people/${state.personId}`);
    if (data.chat === null) return choosePerson(state.personId);
    render(data);
  } finally {
    state.fetching = false;
    if (state.again) { state.again = false; refreshChat(); }
  }
}

function render(data) {
  const { person, chat } = data;
  state.userId = chat.user_id;
  state.samples = data.samples;
  document.title = `${person.name} · ${UI.title}`;
  $("empty").hidden = true;
  for (const id of ["chat-head", "messages", "composer"]) $(id).hidden = false;
  $("chat-name").textContent = person.name;
  $("chat-role").textContent = person.role_name;
  $("chat-role").className = `badge role-${person.role}`;
  $("chat-scope").textContent = [person.town, person.village].filter(Boolean).join(" · ");
  $("new-tab").href = `#p=${person.id}`;
  renderMessages(chat.messages);
  renderKeyboard(chat.keyboard);
  renderMenu(chat.menu);
  renderAction(chat);
  const answers = chat.answers;
  if (state.answersSeen !== null) answers.slice(state.answersSeen).forEach((a) => a.text && toast(a.text, a.alert ? "alert" : ""));
  state.answersSeen = answers.length;
}

function renderMessages(messages) {
  const box = $("messages");
  box.replaceChildren();
  let album = null;
  for (const m of messages) {
    if (m.album && album && album.dataset.album === m.album && album.dataset.from === m.from) {
      addContent(album, m);
      continue;
    }
    const bubble = el("div", { class: `msg from-${m.from}`, dataset: { id: String(m.id), from: m.from, album: m.album || "" } });
    addContent(bubble, m);
    box.append(bubble);
    album = m.album ? bubble : null;
  }
  const lastBot = messages.filter((m) => m.from === "bot").map((m) => m.id).pop() || 0;
  if (lastBot > state.lastBotId) $("action").hidden = true;
  state.lastBotId = lastBot;
  stickToBottom();
}

// The chat follows new messages unless the reader scrolled up; photos loading later keep it at the bottom.
function stickToBottom() {
  if (state.stick) $("messages").scrollTop = $("messages").scrollHeight;
}

function addContent(bubble, m) {
  if (m.photo || m.photo_url) {
    let grid = bubble.querySelector(".photos");
    if (!grid) { grid = el("div", { class: "photos" }); bubble.prepend(grid); }
    const src = m.photo_url || `/api/files/${encodeURIComponent(m.photo)}`;
    grid.append(el("img", { class: "thumb", src, alt: "", onclick: () => enlarge(src), onload: stickToBottom }));
  }
  if (m.document) {
    const name = m.document.file_name || "file";
    bubble.append(el("a", {
      class: "document", href: `/api/files/${encodeURIComponent(m.document.file_id)}`, download: name,
    }, el("span", { class: "icon", text: "↓" }), el("span", { text: name })));
  }
  if (m.voice) {
    const voice = el("div", { class: "voice" }, el("span", { text: UI.voice.replace("{n}", m.voice.duration) }));
    voice.append(el("audio", { controls: "", preload: "none", src: `/api/files/${encodeURIComponent(m.voice.file_id)}` }));
    bubble.append(voice);
  }
  if (m.file_url) {
    bubble.append(el("a", { class: "document", href: m.file_url }, el("span", { class: "icon", text: "↓" })));
  }
  if (m.location) {
    bubble.append(el("div", { class: "location", text: `${UI.location}：${m.location.latitude}, ${m.location.longitude}` }));
  }
  const body = m.text ?? m.caption;
  if (body) {
    const text = el("div", { class: "text", text: body });
    if (m.edited) text.append(el("span", { class: "edited", text: UI.edited }));
    bubble.append(text);
  }
  for (const row of m.buttons || []) {
    const line = el("div", { class: "inline-row" });
    for (const b of row) {
      if (b.data !== undefined) {
        line.append(el("button", { type: "button", class: "inline", text: b.text, onclick: () => press(m.id, b.data) }));
      } else {
        line.append(el("a", { href: b.url || "#", target: "_blank", rel: "noopener", text: b.text }));
      }
    }
    bubble.append(line);
  }
}

function enlarge(src) {
  $("lightbox-img").src = src;
  $("lightbox").showModal();
}

function renderKeyboard(rows) {
  const box = $("keyboard");
  box.replaceChildren();
  box.hidden = !rows;
  for (const row of rows || []) {
    const line = el("div", { class: "row" });
    for (const b of row) {
      line.append(el("button", {
        type: "button", text: b.text, dataset: { location: String(b.location) },
        onclick: () => (b.location ? openLocation() : sendText(b.text)),
      }));
    }
    box.append(line);
  }
}

function renderMenu(commands) {
  const box = $("menu");
  box.replaceChildren(...commands.map((c) => el("button", {
    type: "button", dataset: { command: c.command },
    onclick: () => { box.hidden = true; sendText(`/${c.command}`); },
  }, el("b", { text: `/${c.command}` }), el("span", { text: c.description }))));
}

function renderAction(chat) {
  if (state.actionsSeen !== null && chat.actions > state.actionsSeen && chat.action_label) {
    $("action").textContent = chat.action_label;
    $("action").hidden = false;
    setTimeout(() => { $("action").hidden = true; }, 5000);
  }
  state.actionsSeen = chat.actions;
}

// ---- sending ------------------------------------------------------------------------------------

const personPath = (what) => `/api/people/${state.personId}/${state.channel === "wecom" ? "wecom/" : ""}${what}`;

async function sendText(text) {
  if (!text.trim()) return;
  await api("POST", personPath("text"), { text });
}

async function press(messageId, data) {
  await api("POST", personPath("press"), { message_id: messageId, data });
}

function tooLarge(files) {
  const limit = CONFIG.max_upload_mb * 1024 * 1024;
  const big = [...files].find((f) => f.size > limit);
  if (big) toast(CONFIG.errors.too_large.replace("{name}", big.name).replaceAll("{limit}", CONFIG.max_upload_mb), "error");
  return Boolean(big);
}

async function upload(input, what, field) {
  const files = [...input.files];
  input.value = "";
  if (!files.length || tooLarge(files)) return;
  const form = new FormData();
  const caption = $("input").value.trim();
  if (caption && what === "photos") { form.append("caption", caption); $("input").value = ""; }
  files.forEach((f) => form.append(field, f, f.name));
  await api("POST", personPath(what), form);
}

function openLocation() {
  const box = $("samples");
  box.replaceChildren(...state.samples.map((p, i) => el("button", {
    type: "button", class: "sample", text: UI.sample.replace("{n}", String(i + 1)),
    onclick: () => { $("lat").value = p.latitude; $("lon").value = p.longitude; },
  })));
  if (state.samples.length) { $("lat").value = state.samples[0].latitude; $("lon").value = state.samples[0].longitude; }
  $("location-dialog").showModal();
}

// ---- clock, reset, live updates -----------------------------------------------------------------

async function loadClock() {
  const clock = await api("GET", "/api/clock");
  showClock(clock);
}

function showClock(clock) {
  $("clock-now").textContent = clock.label;
  $("clock-now").dataset.now = clock.now;
  if (!$("clock-at").value) $("clock-at").value = clock.now.slice(0, 16);
}

async function jump(body) {
  const answer = await api("POST", "/api/clock", body);
  showClock(answer);
  toast(answer.message);
}

function listen() {
  const source = new EventSource("/api/events");
  source.onmessage = (event) => {
    const data = JSON.parse(event.data);
    if (data.type === "wecom") {
      if (state.channel === "wecom" && state.personId !== null && (state.wecomUser === null || data.userid === state.wecomUser)) refreshChat();
    } else if (data.type === "chat") {
      // userId is unknown while a chat is being opened: its first answer may come before the page has it.
      if (state.channel === "telegram" && state.personId !== null && (state.userId === null || data.user_id === state.userId)) refreshChat();
      scheduleRoster();
    } else if (data.type === "clock") {
      loadClock();
    } else if (data.type === "reset") {
      toast(UI.reset_done);
      loadRoster();
      loadClock();
      if (state.personId !== null) choosePerson(state.personId);
    }
  };
  source.onopen = () => { document.body.dataset.live = "1"; };
  source.onerror = () => { delete document.body.dataset.live; };
}

function wire() {
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = UI[node.dataset.t];
  for (const node of document.querySelectorAll("[data-t-placeholder]")) node.placeholder = UI[node.dataset.tPlaceholder];
  $("search").addEventListener("input", applySearch);
  $("on-telegram").addEventListener("click", () => showChannel("telegram").catch(() => {}));
  $("on-wecom").addEventListener("click", () => showChannel("wecom").catch(() => {}));
  $("messages").addEventListener("scroll", () => {
    const box = $("messages");
    state.stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  });
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("input").value;
    if (!text.trim()) return;
    $("input").value = "";
    sendText(text).catch(() => { $("input").value = text; });
  });
  $("input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("photo-input").addEventListener("change", () => upload($("photo-input"), "photos", "photo"));
  $("file-input").addEventListener("change", () => upload($("file-input"), "file", "file"));
  $("menu-button").addEventListener("click", () => { $("menu").hidden = !$("menu").hidden; });
  $("location-button").addEventListener("click", openLocation);
  $("location-cancel").addEventListener("click", () => $("location-dialog").close());
  $("location-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { latitude: Number($("lat").value), longitude: Number($("lon").value) };
    api("POST", personPath("location"), body).then(() => $("location-dialog").close(), () => {});
  });
  $("lightbox").addEventListener("click", () => $("lightbox").close());
  for (const button of document.querySelectorAll("[data-preset]")) {
    button.addEventListener("click", () => jump({ preset: button.dataset.preset }).catch(() => {}));
  }
  $("clock-jump").addEventListener("click", () => jump({ at: $("clock-at").value }).catch(() => {}));
  $("reset").addEventListener("click", () => {
    if (confirm(UI.reset_confirm)) api("POST", "/api/reset").catch(() => {});
  });
}

async function main() {
  wire();
  listen();
  await Promise.all([loadRoster(), loadClock()]);
  const match = location.hash.match(/^#p=(\d+)$/);
  if (match) await choosePerson(Number(match[1]));
  document.body.dataset.ready = "1";
}

window.addEventListener("hashchange", () => {
  const match = location.hash.match(/^#p=(\d+)$/);
  if (match && Number(match[1]) !== state.personId) choosePerson(Number(match[1]));
});

main();
