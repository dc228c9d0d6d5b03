// Wegweiser web chat. Server text only ever reaches the page through textContent / text nodes.

const API_URL = "/api/chat";
const UPDATES_URL = "/api/chat/updates";
// While a counsellor has the conversation, the page asks this often for their replies.
const UPDATES_EVERY_MS = 3000;
const MAX_LENGTH = 4000;
const COUNTER_FROM = 3500;
const REQUEST_TIMEOUT_MS = 30000;
const HISTORY_LIMIT = 200;
const FALLBACK_CHROME = "en";
const RTL_LANGUAGES = new Set(["ar", "fa", "ps", "ckb", "ur", "he"]);
const LANGUAGE_ALIASES = { prs: "fa" };
const STORAGE_KEYS = {
  session: "wegweiser.session",
  language: "wegweiser.language",
  history: "wegweiser.history",
  seen: "wegweiser.seen",
  handover: "wegweiser.handover",
};
// Emergency and helpline numbers are short, so they are recognised by value, not by shape.
const SHORT_NUMBERS = new Set(["110", "112", "116016", "116111", "116117", "116123"]);
const PHONE_PATTERN = /(^|[^\p{L}\p{N}+])(\+?\d[\d\u00a0 /-]*\d)(?![\p{L}\p{N}])/gu;

const LANGUAGES = [
  { code: "de", endonym: "Deutsch", greeting: "Willkommen" },
  { code: "en", endonym: "English", greeting: "Welcome" },
  { code: "ar", endonym: "العربية", greeting: "أهلاً وسهلاً" },
  { code: "fa", endonym: "فارسی", greeting: "خوش آمدید" },
  { code: "uk", endonym: "Українська", greeting: "Ласкаво просимо" },
  { code: "ru", endonym: "Русский", greeting: "Добро пожаловать" },
  { code: "tr", endonym: "Türkçe", greeting: "Hoş geldiniz" },
];

// U+2068/U+2069 isolate the Latin product name inside right-to-left sentences.
const CHROME = {
  de: {
    title: "Wegweiser – Chat für Neuzugewanderte",
    skip: "Zum Eingabefeld springen",
    language: "Sprache",
    conversation: "Unterhaltung",
    inputLabel: "Ihre Nachricht",
    placeholder: "Nachricht schreiben …",
    send: "Senden",
    typing: "Wegweiser schreibt …",
    error: "Verbindungsproblem, bitte versuchen Sie es noch einmal",
    retry: "Erneut versuchen",
    counter: "Noch {n} Zeichen",
    you: "Sie:",
    welcomeHint: "Wählen Sie eine Sprache oder schreiben Sie einfach Ihre Frage.",
  },
  en: {
    title: "Wegweiser – chat for newcomers",
    skip: "Skip to the message field",
    language: "Language",
    conversation: "Conversation",
    inputLabel: "Your message",
    placeholder: "Write a message…",
    send: "Send",
    typing: "Wegweiser is typing…",
    error: "Connection problem, please try again",
    retry: "Try again",
    counter: "{n} characters left",
    you: "You:",
    welcomeHint: "Choose a language or simply type your question.",
  },
  ar: {
    title: "\u2068Wegweiser\u2069 – دردشة للقادمين الجدد",
    skip: "انتقل إلى حقل الرسالة",
    language: "اللغة",
    conversation: "المحادثة",
    inputLabel: "رسالتك",
    placeholder: "اكتب رسالتك…",
    send: "إرسال",
    typing: "\u2068Wegweiser\u2069 يكتب…",
    error: "مشكلة في الاتصال، يرجى المحاولة مرة أخرى",
    retry: "إعادة المحاولة",
    counter: "الأحرف المتبقية: {n}",
    you: "أنت:",
    welcomeHint: "اختر لغة أو اكتب سؤالك مباشرة.",
  },
  fa: {
    title: "\u2068Wegweiser\u2069 – گفتگو برای تازه‌واردان",
    skip: "رفتن به کادر پیام",
    language: "زبان",
    conversation: "گفتگو",
    inputLabel: "پیام شما",
    placeholder: "پیام خود را بنویسید…",
    send: "ارسال",
    typing: "\u2068Wegweiser\u2069 در حال نوشتن است…",
    error: "مشکل در اتصال، لطفاً دوباره تلاش کنید",
    retry: "تلاش دوباره",
    counter: "نویسه‌های باقی‌مانده: {n}",
    you: "شما:",
    welcomeHint: "یک زبان انتخاب کنید یا سؤال خود را بنویسید.",
  },
  uk: {
    title: "Wegweiser – чат для новоприбулих",
    skip: "Перейти до поля повідомлення",
    language: "Мова",
    conversation: "Розмова",
    inputLabel: "Ваше повідомлення",
    placeholder: "Напишіть повідомлення…",
    send: "Надіслати",
    typing: "Wegweiser пише…",
    error: "Проблема зі з’єднанням, спробуйте ще раз",
    retry: "Спробувати ще раз",
    counter: "Залишилося символів: {n}",
    you: "Ви:",
    welcomeHint: "Оберіть мову або просто напишіть своє запитання.",
  },
  ru: {
    title: "Wegweiser – чат для новоприбывших",
    skip: "Перейти к полю сообщения",
    language: "Язык",
    conversation: "Разговор",
    inputLabel: "Ваше сообщение",
    placeholder: "Напишите сообщение…",
    send: "Отправить",
    typing: "Wegweiser печатает…",
    error: "Проблема с подключением, попробуйте ещё раз",
    retry: "Повторить",
    counter: "Осталось символов: {n}",
    you: "Вы:",
    welcomeHint: "Выберите язык или просто напишите свой вопрос.",
  },
  tr: {
    title: "Wegweiser – yeni gelenler için sohbet",
    skip: "Mesaj alanına geç",
    language: "Dil",
    conversation: "Sohbet",
    inputLabel: "Mesajınız",
    placeholder: "Bir mesaj yazın…",
    send: "Gönder",
    typing: "Wegweiser yazıyor…",
    error: "Bağlantı sorunu, lütfen tekrar deneyin",
    retry: "Tekrar dene",
    counter: "{n} karakter kaldı",
    you: "Siz:",
    welcomeHint: "Bir dil seçin ya da sorunuzu doğrudan yazın.",
  },
};

/**
 * @typedef {{title: string, payload: string, lang?: string}} Choice
 * @typedef {{title: string, url: string}} Link
 * @typedef {{kind: "welcome", chosen: number | null}} WelcomeEntry
 * @typedef {{kind: "user", text: string, lang?: string}} UserEntry
 * @typedef {{kind: "bot", text: string, language: string | null, buttons: Choice[], links: Link[],
 *            chosen: number | null}} BotEntry
 * @typedef {WelcomeEntry | UserEntry | BotEntry} Entry
 */

const $ = (id) => document.getElementById(id);
const ui = {
  root: document.documentElement,
  skip: $("skip-link"),
  select: $("language"),
  placeholderOption: $("language-placeholder"),
  languageLabel: $("language-label"),
  log: $("log"),
  typing: $("typing"),
  typingText: $("typing-text"),
  error: $("error"),
  errorText: $("error-text"),
  retry: $("retry"),
  form: $("composer"),
  input: $("input"),
  inputLabel: $("input-label"),
  send: $("send"),
  sendLabel: $("send-label"),
  counter: $("counter"),
};

function probeStorage(name) {
  try {
    const store = window[name];
    store.setItem("wegweiser.probe", "1");
    store.removeItem("wegweiser.probe");
    return store;
  } catch {
    return null;
  }
}

const localStore = probeStorage("localStorage");
const sessionStore = probeStorage("sessionStorage");

function readStored(store, key) {
  try {
    return store ? store.getItem(key) : null;
  } catch {
    return null;
  }
}

function writeStored(store, key, value) {
  try {
    store?.setItem(key, value);
  } catch {
    // A full or blocked storage only costs persistence across reloads; the chat itself keeps working.
  }
}

function newSessionId() {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  // randomUUID exists only in secure contexts; a plain-http intranet deployment still needs a random id.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function baseLanguage(tag) {
  if (typeof tag !== "string" || tag.trim() === "") {
    return null;
  }
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGE_ALIASES[base] ?? base;
}

function directionOf(language) {
  return RTL_LANGUAGES.has(language) ? "rtl" : "ltr";
}

function guessChromeLanguage() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const code = baseLanguage(tag);
    if (code && CHROME[code]) {
      return code;
    }
  }
  return "de";
}

function changeLanguagePayload(code) {
  return `/change_language{"language": "${code}"}`;
}

function languageFromPayload(payload) {
  const match = /^\/change_language\s*(\{.*\})\s*$/s.exec(payload);
  if (!match) {
    return null;
  }
  try {
    return baseLanguage(JSON.parse(match[1]).language);
  } catch {
    return null;
  }
}

function loadHistory() {
  try {
    const parsed = JSON.parse(readStored(sessionStore, STORAGE_KEYS.history) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((entry) => entry && typeof entry.kind === "string") : [];
  } catch {
    return [];
  }
}

const state = {
  session: readStored(localStore, STORAGE_KEYS.session) ?? "",
  /** The language the server last answered in; null until the conversation has one. */
  language: baseLanguage(readStored(localStore, STORAGE_KEYS.language)),
  /** @type {Entry[]} */
  history: loadHistory(),
  busy: false,
  /** The request body that has not been answered yet; kept so "try again" can resend it. */
  pending: null,
  /** How many messages outside answers (a counsellor's) the page has shown. */
  seen: Number.parseInt(readStored(localStore, STORAGE_KEYS.seen) ?? "0", 10) || 0,
  /** Whether a counsellor has the conversation: then the page asks for their replies. */
  handover: readStored(localStore, STORAGE_KEYS.handover) === "true",
  updatesTimer: null,
};

if (!state.session) {
  state.session = newSessionId();
  writeStored(localStore, STORAGE_KEYS.session, state.session);
}

function saveHistory() {
  if (state.history.length > HISTORY_LIMIT) {
    state.history.splice(0, state.history.length - HISTORY_LIMIT);
  }
  writeStored(sessionStore, STORAGE_KEYS.history, JSON.stringify(state.history));
}

// ---- page chrome -------------------------------------------------------------------------------

function chromeLanguage() {
  if (state.language && CHROME[state.language]) {
    return state.language;
  }
  return state.language ? FALLBACK_CHROME : guessChromeLanguage();
}

function applyChrome() {
  const code = chromeLanguage();
  const text = CHROME[code];
  const pageLanguage = state.language ?? code;
  ui.root.lang = pageLanguage;
  ui.root.dir = directionOf(pageLanguage);
  document.title = text.title;

  const labelled = [
    [ui.skip, text.skip],
    [ui.languageLabel, text.language],
    [ui.placeholderOption, text.language],
    [ui.typingText, text.typing],
    [ui.errorText, text.error],
    [ui.retry, text.retry],
    [ui.inputLabel, text.inputLabel],
    [ui.sendLabel, text.send],
  ];
  for (const [element, value] of labelled) {
    element.textContent = value;
  }
  for (const element of ui.log.querySelectorAll("[data-chrome]")) {
    element.textContent = text[element.dataset.chrome];
    element.dir = directionOf(code);
  }
  ui.log.setAttribute("aria-label", text.conversation);
  ui.input.placeholder = text.placeholder;

  // Chrome shown in English for a language without translations must still be announced as English.
  const mismatched = code !== pageLanguage;
  for (const element of [...labelled.map(([element]) => element), ui.log, ui.input, ui.counter]) {
    if (mismatched) {
      element.lang = code;
    } else {
      element.removeAttribute("lang");
    }
  }

  const known = LANGUAGES.some((language) => language.code === state.language);
  ui.select.value = known ? state.language : "";
  updateCounter();
}

function setLanguage(code) {
  if (!code || code === state.language) {
    return;
  }
  state.language = code;
  writeStored(localStore, STORAGE_KEYS.language, code);
  applyChrome();
}

function fillLanguageSelect() {
  for (const language of LANGUAGES) {
    const option = document.createElement("option");
    option.value = language.code;
    option.lang = language.code;
    option.dir = directionOf(language.code);
    option.textContent = language.endonym;
    ui.select.append(option);
  }
}

// ---- rendering ---------------------------------------------------------------------------------

function isPhoneNumber(candidate) {
  const digits = candidate.replace(/\D/g, "");
  if (SHORT_NUMBERS.has(digits)) {
    return true;
  }
  return /^[+0]/.test(candidate) && digits.length >= 6 && digits.length <= 15;
}

/** Appends text as text nodes; phone numbers become tel: links kept left-to-right inside RTL text. */
function appendTextWithPhoneLinks(parent, text) {
  let done = 0;
  for (const match of text.matchAll(PHONE_PATTERN)) {
    const number = match[2];
    if (!isPhoneNumber(number)) {
      continue;
    }
    const start = match.index + match[1].length;
    parent.append(text.slice(done, start));
    const link = document.createElement("a");
    link.className = "bubble__phone";
    link.href = `tel:${number.replace(/[^\d+]/g, "")}`;
    link.dir = "ltr";
    link.textContent = number;
    parent.append(link);
    done = start + number.length;
  }
  parent.append(text.slice(done));
}

function safeUrl(raw) {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function senderLabel(chromeKey, fixedText) {
  const label = document.createElement("span");
  label.className = "visually-hidden";
  const code = chromeLanguage();
  if (chromeKey) {
    label.dataset.chrome = chromeKey;
    label.textContent = CHROME[code][chromeKey];
  } else {
    label.textContent = fixedText;
  }
  // An explicit dir keeps the label out of the bubble's dir="auto" guess, which belongs to the message.
  label.dir = directionOf(code);
  return label;
}

function paragraph(className, text) {
  const element = document.createElement("p");
  element.className = className;
  appendTextWithPhoneLinks(element, text);
  return element;
}

/**
 * @param {WelcomeEntry | BotEntry} entry
 * @param {Choice[]} choices
 */
function renderChoices(entry, choices, language) {
  const group = document.createElement("div");
  group.className = "choices";
  if (language) {
    group.lang = language;
    group.dir = directionOf(language);
  }
  choices.forEach((choice, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "choice";
    button.textContent = choice.title;
    if (choice.lang) {
      button.lang = choice.lang;
      button.dir = directionOf(choice.lang);
    }
    button.addEventListener("click", (event) => choose(entry, index, choice, group, event));
    group.append(button);
  });
  markChosen(group, entry.chosen);
  return group;
}

function markChosen(group, chosen) {
  if (chosen === null || chosen === undefined) {
    return;
  }
  [...group.children].forEach((button, index) => {
    button.disabled = true;
    button.classList.toggle("choice--chosen", index === chosen);
  });
}

function welcomeChoices() {
  return LANGUAGES.map((language) => ({
    title: language.endonym,
    payload: changeLanguagePayload(language.code),
    lang: language.code,
  }));
}

/** @param {WelcomeEntry} entry */
function renderWelcome(entry) {
  const turn = document.createElement("div");
  turn.className = "turn turn--bot";
  const bubble = document.createElement("div");
  bubble.className = "bubble bubble--welcome";
  bubble.append(senderLabel(null, "Wegweiser:"));

  const greetings = document.createElement("p");
  greetings.className = "welcome__greetings";
  LANGUAGES.forEach((language, index) => {
    if (index > 0) {
      greetings.append(" · ");
    }
    const greeting = document.createElement("span");
    greeting.lang = language.code;
    greeting.dir = directionOf(language.code);
    greeting.textContent = language.greeting;
    greetings.append(greeting);
  });

  const hint = document.createElement("p");
  hint.className = "welcome__hint";
  hint.dataset.chrome = "welcomeHint";
  hint.textContent = CHROME[chromeLanguage()].welcomeHint;

  bubble.append(greetings, hint);
  turn.append(bubble, renderChoices(entry, welcomeChoices(), null));
  return turn;
}

/** @param {UserEntry} entry */
function renderUser(entry) {
  const turn = document.createElement("div");
  turn.className = "turn turn--user";
  const bubble = document.createElement("div");
  bubble.className = "bubble bubble--user";
  bubble.dir = "auto";
  if (entry.lang) {
    bubble.lang = entry.lang;
  }
  const text = document.createElement("p");
  text.className = "bubble__text";
  text.textContent = entry.text;
  bubble.append(senderLabel("you"), text);
  turn.append(bubble);
  return turn;
}

/** @param {BotEntry} entry */
function renderBot(entry) {
  const turn = document.createElement("div");
  turn.className = "turn turn--bot";
  const bubble = document.createElement("div");
  bubble.className = "bubble bubble--bot";
  if (entry.language) {
    bubble.lang = entry.language;
    bubble.dir = directionOf(entry.language);
  } else {
    bubble.dir = "auto";
  }
  bubble.append(senderLabel(null, "Wegweiser:"), paragraph("bubble__text", entry.text));

  if (entry.links.length > 0) {
    const list = document.createElement("ul");
    list.className = "bubble__links";
    for (const link of entry.links) {
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.target = "_blank";
      anchor.rel = "noopener noreferrer";
      anchor.dir = "auto";
      anchor.textContent = link.title;
      const item = document.createElement("li");
      item.append(anchor);
      list.append(item);
    }
    bubble.append(list);
  }
  turn.append(bubble);
  if (entry.buttons.length > 0) {
    turn.append(renderChoices(entry, entry.buttons, entry.language));
  }
  return turn;
}

/** @param {Entry} entry */
function render(entry) {
  if (entry.kind === "welcome") {
    return renderWelcome(entry);
  }
  return entry.kind === "user" ? renderUser(entry) : renderBot(entry);
}

/** @param {Entry} entry */
function addEntry(entry) {
  state.history.push(entry);
  saveHistory();
  const turn = render(entry);
  ui.log.append(turn);
  return turn;
}

function scrollToEnd() {
  window.scrollTo({ top: document.documentElement.scrollHeight });
}

// ---- talking to the server ---------------------------------------------------------------------

/** @returns {BotEntry[]} */
function parseResponse(data) {
  if (!data || !Array.isArray(data.replies)) {
    throw new Error("unexpected response");
  }
  const language = baseLanguage(data.language) ?? state.language;
  return data.replies.map((reply) => ({
    kind: "bot",
    text: typeof reply?.text === "string" ? reply.text : "",
    language,
    buttons: (Array.isArray(reply?.buttons) ? reply.buttons : [])
      .filter((button) => typeof button?.title === "string" && typeof button?.payload === "string")
      .map((button) => ({ title: button.title, payload: button.payload })),
    links: (Array.isArray(reply?.links) ? reply.links : [])
      .map((link) => ({ title: link?.title, url: safeUrl(link?.url) }))
      .filter((link) => link.url !== null)
      .map((link) => ({ title: typeof link.title === "string" && link.title ? link.title : link.url, url: link.url })),
    chosen: null,
  }));
}

function setBusy(busy) {
  state.busy = busy;
  ui.typing.hidden = !busy;
  ui.send.setAttribute("aria-disabled", String(busy));
}

function showError(visible) {
  ui.error.hidden = !visible;
}

async function deliver() {
  if (state.busy || state.pending === null) {
    return;
  }
  setBusy(true);
  showError(false);
  scrollToEnd();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(API_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(state.pending),
      signal: controller.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const data = await response.json();
    const replies = parseResponse(data);
    state.pending = null;
    setBusy(false);
    receive(replies);
    setHandover(data.handover === true);
  } catch {
    setBusy(false);
    showError(true);
  } finally {
    clearTimeout(timer);
  }
}

/** @param {BotEntry[]} replies */
function receive(replies) {
  const language = replies.find((reply) => reply.language)?.language;
  if (language) {
    setLanguage(language);
  }
  const question = [...ui.log.querySelectorAll(".turn--user")].pop();
  for (const reply of replies) {
    addEntry(reply);
  }
  // Long answers are read from their start: bring the question to the top rather than jumping to the end.
  if (question) {
    question.scrollIntoView({ block: "start" });
  } else {
    scrollToEnd();
  }
}

function setHandover(active) {
  state.handover = active;
  writeStored(localStore, STORAGE_KEYS.handover, String(active));
  if (active && state.updatesTimer === null) {
    state.updatesTimer = setInterval(fetchUpdates, UPDATES_EVERY_MS);
  } else if (!active && state.updatesTimer !== null) {
    clearInterval(state.updatesTimer);
    state.updatesTimer = null;
  }
}

async function fetchUpdates() {
  const query = new URLSearchParams({ session: state.session, seen: String(state.seen) });
  try {
    const response = await fetch(`${UPDATES_URL}?${query}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (!response.ok) {
      return;
    }
    const data = await response.json();
    const replies = parseResponse(data);
    if (Number.isInteger(data.seen)) {
      state.seen = data.seen;
      writeStored(localStore, STORAGE_KEYS.seen, String(state.seen));
    }
    if (replies.length > 0) {
      for (const reply of replies) {
        addEntry(reply);
      }
      scrollToEnd();
    }
    setHandover(data.handover === true);
  } catch {
    // The next interval tries again; a counsellor's reply waits on the server meanwhile.
  }
}

function send(fields) {
  state.pending = { session: state.session, ...fields };
  deliver();
}

function submitInput() {
  const text = ui.input.value.trim();
  if (text === "" || state.busy) {
    return;
  }
  ui.input.value = "";
  fitInput();
  updateCounter();
  addEntry({ kind: "user", text });
  scrollToEnd();
  send({ text });
}

/**
 * @param {WelcomeEntry | BotEntry} entry
 * @param {Choice} choice
 */
function choose(entry, index, choice, group, event) {
  if (state.busy || (entry.chosen !== null && entry.chosen !== undefined)) {
    return;
  }
  entry.chosen = index;
  markChosen(group, index);
  const language = languageFromPayload(choice.payload);
  addEntry({ kind: "user", text: choice.title, lang: choice.lang ?? language ?? state.language ?? undefined });
  if (language) {
    setLanguage(language);
  }
  // A keyboard press (detail 0) loses focus with the now disabled button; a tap must not pop up the keyboard.
  if (event.detail === 0) {
    ui.input.focus({ preventScroll: true });
  }
  scrollToEnd();
  send({ payload: choice.payload });
}

function chooseFromHeader() {
  const code = ui.select.value;
  const language = LANGUAGES.find((candidate) => candidate.code === code);
  if (!language || state.busy) {
    applyChrome();
    return;
  }
  addEntry({ kind: "user", text: language.endonym, lang: code });
  setLanguage(code);
  scrollToEnd();
  send({ payload: changeLanguagePayload(code) });
}

// ---- input -------------------------------------------------------------------------------------

function fitInput() {
  // dir="auto" only once there is text: an empty field keeps the page direction for its placeholder.
  if (ui.input.value.trim() === "") {
    ui.input.removeAttribute("dir");
  } else {
    ui.input.dir = "auto";
  }
  ui.input.style.height = "auto";
  const borders = ui.input.offsetHeight - ui.input.clientHeight;
  ui.input.style.height = `${ui.input.scrollHeight + borders}px`;
}

function updateCounter() {
  const left = MAX_LENGTH - ui.input.value.length;
  if (ui.input.value.length < COUNTER_FROM) {
    ui.counter.hidden = true;
    ui.counter.textContent = "";
    return;
  }
  ui.counter.hidden = false;
  ui.counter.textContent = CHROME[chromeLanguage()].counter.replace("{n}", String(left));
  ui.counter.classList.toggle("composer__counter--limit", left <= 0);
}

function start() {
  fillLanguageSelect();
  if (state.history.length === 0) {
    state.history.push({ kind: "welcome", chosen: null });
    saveHistory();
  }
  for (const entry of state.history) {
    ui.log.append(render(entry));
  }
  applyChrome();

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitInput();
  });
  ui.input.addEventListener("keydown", (event) => {
    // isComposing: Enter that confirms an IME candidate must not send a half-typed message.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitInput();
    }
  });
  ui.input.addEventListener("input", () => {
    fitInput();
    updateCounter();
  });
  ui.select.addEventListener("change", chooseFromHeader);
  ui.retry.addEventListener("click", deliver);
  scrollToEnd();
  if (state.handover) {
    setHandover(true);
    fetchUpdates();
  }
}

start();
