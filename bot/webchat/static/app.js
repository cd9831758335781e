// The web chat page: talks JSON to /chat/api/*, draws replies with their buttons.
// Plain JavaScript, no libraries; all text goes in through textContent, never as HTML.
"use strict";

const LANGUAGE_NAMES = { vi: "VI", en: "EN" };
const $ = (id) => document.getElementById(id);
let state = null;
let busy = false;

async function api(path, body) {
  const options = body === undefined
    ? { credentials: "same-origin" }
    : body instanceof FormData
      ? { method: "POST", credentials: "same-origin", headers: { "X-Canbo-Chat": "1" }, body }
      : {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-Canbo-Chat": "1" },
          body: JSON.stringify(body),
        };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error || String(response.status));
    error.status = response.status;
    error.data = data;
    throw error;
  }
  return data;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function scrollDown() {
  const log = $("log");
  log.scrollTop = log.scrollHeight;
}

function say(who, text) {
  const bubble = element("div", "message " + who, text);
  $("log").append(bubble);
  scrollDown();
  return bubble;
}

// A picture (a report's chart) opens at full size when tapped; the viewer scrolls both ways.
function openViewer(picture) {
  const viewer = $("viewer");
  const full = viewer.querySelector("img");
  full.src = picture.src;
  full.alt = picture.alt;
  viewer.hidden = false;
  viewer.focus();
}

function closeViewer() {
  $("viewer").hidden = true;
}

function showReply(reply) {
  const bubble = say("bot", reply.text);
  if (reply.picture) {
    const picture = element("img");
    picture.src = reply.picture.url;
    picture.alt = reply.picture.name;
    picture.tabIndex = 0;
    picture.addEventListener("load", scrollDown);
    picture.addEventListener("click", () => openViewer(picture));
    picture.addEventListener("keydown", (event) => {
      if (event.key === "Enter") openViewer(picture);
    });
    bubble.append(picture);
  }
  if (reply.document) {
    const link = element("a", "file", "📄 " + reply.document.name);
    link.href = reply.document.url;
    link.download = reply.document.name;
    bubble.append(element("br"), link);
  }
  if (reply.buttons.length) {
    const choices = element("div", "choices");
    for (const row of reply.buttons) {
      const line = element("div", "row");
      for (const option of row) {
        const button = element("button", "", option.label);
        button.type = "button";
        button.addEventListener("click", () =>
          send({ callback_data: option.data, label: option.label }, option.label));
        line.append(button);
      }
      choices.append(line);
    }
    bubble.append(choices);
  }
  scrollDown();
}

function applyState(next) {
  const first = state === null;
  state = next;
  const strings = state.strings;
  document.documentElement.lang = state.language;
  document.title = strings.title;
  for (const node of document.querySelectorAll("[data-text]")) {
    node.textContent = strings[node.dataset.text];
  }
  for (const node of document.querySelectorAll("[data-label]")) {
    node.placeholder = strings[node.dataset.label];
    node.setAttribute("aria-label", strings[node.dataset.label]);
  }
  const languages = $("languages");
  languages.replaceChildren();
  for (const language of state.languages) {
    const button = element("button", "", LANGUAGE_NAMES[language] || language);
    button.type = "button";
    button.setAttribute("aria-pressed", String(language === state.language));
    button.addEventListener("click", () => switchLanguage(language));
    languages.append(button);
  }
  const menu = $("menu");
  menu.replaceChildren();
  for (const label of state.menu.flat()) {
    const button = element("button", "", label);
    button.type = "button";
    button.addEventListener("click", () => send({ text: label }, label));
    menu.append(button);
  }
  $("link").hidden = state.linked;
  $("menu").hidden = !state.linked;
  $("composer").hidden = !state.linked;
  $("signout").hidden = !state.linked;
  $("viewer").querySelector("button").setAttribute("aria-label", strings.close);
  if (first) showHistory(state.history || []);
  if (first && state.linked && strings.greeting && !(state.history || []).length) {
    say("bot", strings.greeting);
  }
}

// The conversation so far (kept by the server), so a reload loses nothing.
function showHistory(turns) {
  for (const turn of turns) {
    if (turn.question) say("me", turn.question);
    turn.replies.forEach(showReply);
  }
}

function failed(error) {
  say("error", (error.data && error.data.error && error.status === 429)
    ? error.data.error
    : (state ? state.strings.offline : "…"));
}

// Show a long answer from its start (with the question above it), a short one at the bottom.
function scrollToAnswer(question) {
  const log = $("log");
  log.scrollTop = Math.min(question.offsetTop - 8, log.scrollHeight - log.clientHeight);
}

async function send(body, shown, path = "/chat/api/message") {
  if (busy) return;
  busy = true;
  for (const button of document.querySelectorAll("button")) button.disabled = true;
  const question = say("me", shown);
  try {
    const data = await api(path, body);
    data.replies.forEach(showReply);
    applyState(data.state);
    scrollToAnswer(question);
  } catch (error) {
    failed(error);
  } finally {
    busy = false;
    for (const button of document.querySelectorAll("button")) button.disabled = false;
    (state && state.linked ? $("text") : $("code")).focus();
  }
}

async function switchLanguage(language) {
  try {
    applyState((await api("/chat/api/language", { language })).state);
  } catch (error) {
    failed(error);
  }
}

function submitted(form, input) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text }, text);
  });
}

document.addEventListener("DOMContentLoaded", async () => {
  submitted($("link-form"), $("code"));
  submitted($("composer"), $("text"));
  $("viewer").addEventListener("click", closeViewer);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeViewer();
  });
  $("attach").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", () => {
    const file = $("file").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file, file.name);
    $("file").value = "";
    send(form, "📎 " + file.name, "/chat/api/upload");
  });
  $("signout").addEventListener("click", async () => {
    try {
      await api("/chat/api/signout", {});
      window.location.reload();
    } catch (error) {
      failed(error);
    }
  });
  try {
    applyState(await api("/chat/api/session"));
  } catch (error) {
    failed(error);
  }
});
