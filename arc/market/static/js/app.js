// The trader app: screens by path, the header, tabs and status line, and the service worker.

import { post } from "./api.js";
import { on } from "./events.js";
import { countsFor, importCodes, startSending, stopSending } from "./queue.js";
import { waitingSentence } from "./queue-panel.js";
import { lastRecordedCount, loadRecorded } from "./recorded.js";
import * as changePassword from "./screens/change-password.js";
import * as history from "./screens/history.js";
import * as login from "./screens/login.js";
import * as lostPassword from "./screens/lost-password.js";
import * as payment from "./screens/payment.js";
import * as record from "./screens/record.js";
import * as scan from "./screens/scan.js";
import * as traders from "./screens/traders.js";
import {
  canType, clearCopies, clearLegacyCodes, clearSession, getToken, getTrader, getTraders, isLoggedIn, legacyCodes,
} from "./session.js";

// access: "guest" = only when logged out; "any" = always; "user" = logged in; "trader" = logged in
// with a trader chosen.
const ROUTES = {
  "/login": { screen: login, access: "guest" },
  "/lost-password": { screen: lostPassword, access: "guest" },
  "/change-password": { screen: changePassword, access: "any" },
  "/traders": { screen: traders, access: "user" },
  "/": { screen: record, access: "trader", tab: "record" },
  "/scan": { screen: scan, access: "trader", tab: "scan" },
  "/payment": { screen: payment, access: "trader", tab: "payment" },
  "/history": { screen: history, access: "trader", tab: "history" },
};
// Paths of the previous app, still on home screens and in old e-mails.
const ALIASES = { "/request": "/lost-password", "/user": "/traders", "/account": "/history" };

const main = document.getElementById("main");
const tabs = document.getElementById("tabs");
const menu = document.getElementById("menu");
const menuButton = document.getElementById("menu-button");
const traderName = document.getElementById("trader-name");
const connection = document.getElementById("connection");
const paymentCount = document.getElementById("payment-count");

let current = null;
let firstRender = true;
// Set when a new version of the app has taken over; the page reloads at the next safe moment.
let updateWaiting = false;

// Return the address to go to instead of `path`, or null when `path` may be shown.
function redirectFor(path, query) {
  const route = ROUTES[path];
  const loggedIn = isLoggedIn();
  const trader = getTrader();
  if (route.access === "guest" && loggedIn) {
    return query.get("redirect") || "/";
  }
  if ((route.access === "user" || route.access === "trader") && !loggedIn) {
    return `/login?redirect=${encodeURIComponent(path)}`;
  }
  if (route.access === "trader" && !trader) {
    return `/traders?redirect=${encodeURIComponent(path)}`;
  }
  // Areas whose vouchers must be scanned have no typing screen.
  if (path === "/" && trader && !canType(trader)) {
    return "/scan";
  }
  return null;
}

// Only the app's own screens, so a `redirect` parameter cannot send the trader elsewhere.
function internalUrl(target) {
  const url = new URL(target, window.location.origin);
  if (url.origin !== window.location.origin) {
    return new URL("/", window.location.origin);
  }
  return url;
}

export function navigate(target, { replace = false, state = null } = {}) {
  const url = internalUrl(target);
  // A new version is ready: load it now, between screens, rather than in the middle of one.
  if (updateWaiting && state === null) {
    window.location[replace ? "replace" : "assign"](url.href);
    return;
  }
  window.history[replace ? "replaceState" : "pushState"](state, "", url.pathname + url.search);
  render();
}

function render() {
  const url = new URL(window.location.href);
  let path = ALIASES[url.pathname] || url.pathname;
  if (!ROUTES[path]) {
    path = "/";
  }
  const redirect = redirectFor(path, url.searchParams);
  if (redirect) {
    navigate(redirect, { replace: true });
    return;
  }
  if (path !== url.pathname) {
    window.history.replaceState(window.history.state, "", path + url.search);
  }

  if (current && current.stop) {
    current.stop();
  }
  const route = ROUTES[path];
  const trader = getTrader();
  main.replaceChildren();
  current = route.screen.show(main, { navigate, query: url.searchParams, state: window.history.state, trader }) || null;
  document.title = `${route.screen.title} – Rose Vouchers`;
  updateChrome(route);
  closeMenu();

  // After a change of screen, put the focus where the trader (or their screen reader) starts.
  if (!firstRender) {
    const target = (current && current.focus) || main.querySelector("h1");
    if (target === main.querySelector("h1")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }
  firstRender = false;
}

function updateChrome(route) {
  const trader = getTrader();
  const loggedIn = isLoggedIn();
  const showTabs = route.access === "trader" && trader;
  tabs.hidden = !showTabs;
  document.body.classList.toggle("with-tabs", Boolean(showTabs));
  menuButton.hidden = !loggedIn;
  traderName.hidden = !(loggedIn && trader);
  traderName.textContent = trader ? trader.name : "";
  document.getElementById("change-trader").hidden = getTraders().length < 2;
  document.getElementById("tab-record").hidden = !canType(trader);
  for (const link of tabs.querySelectorAll("a")) {
    if (link.dataset.tab === route.tab) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  updateStatus();
  updatePaymentCount();
}

// The line under the header: no signal, and how many codes wait on this phone.
async function updateStatus() {
  const trader = getTrader();
  const parts = [];
  if (!navigator.onLine) {
    parts.push("No signal. Codes you record are kept on this phone.");
  }
  if (trader && isLoggedIn()) {
    parts.push(waitingSentence(await countsFor(trader.id)));
  }
  const text = parts.filter(Boolean).join(" ");
  connection.textContent = text;
  connection.hidden = text === "";
  connection.classList.toggle("offline", !navigator.onLine);
}

function showPaymentCount(count) {
  paymentCount.hidden = !count;
  paymentCount.textContent = count ? `${count}` : "";
  paymentCount.setAttribute("aria-label", count ? `${count} waiting` : "");
}

function updatePaymentCount() {
  const trader = getTrader();
  showPaymentCount(trader ? lastRecordedCount(trader.id) : null);
}

// Fetch the recorded list again after codes were recorded, at most every few seconds.
let countTimer = null;

function refreshPaymentCountSoon() {
  clearTimeout(countTimer);
  countTimer = setTimeout(async () => {
    const trader = getTrader();
    if (trader && isLoggedIn() && navigator.onLine) {
      try {
        showPaymentCount((await loadRecorded(trader.id)).items.length);
      } catch {
        // The badge keeps its last count.
      }
    }
  }, 3000);
}

function openMenu() {
  menu.hidden = false;
  menuButton.setAttribute("aria-expanded", "true");
  menu.querySelector("a:not([hidden]), button").focus();
}

function closeMenu() {
  menu.hidden = true;
  menuButton.setAttribute("aria-expanded", "false");
}

async function logOut() {
  const token = getToken();
  stopSending();
  // Tell the service, but do not wait: logging out must work without a signal too.
  if (token) {
    post("/logout").catch(() => {});
  }
  // The request above has read the token already, so the session can go now.
  clearSession();
  clearCopies();
  navigate("/login", { state: { reason: "user" } });
}

// Send the waiting codes of every trader this login may act for.
function startSendingForLogin() {
  const ids = getTraders().map((trader) => trader.id);
  const trader = getTrader();
  if (trader) {
    ids.push(trader.id);
  }
  if (ids.length) {
    startSending(ids);
  }
}

async function importLegacyCodes() {
  const { traderId, codes } = legacyCodes();
  if (traderId && codes.length) {
    await importCodes(traderId, codes);
    clearLegacyCodes();
  }
}

// True when reloading now would lose nothing the trader is doing: no half-typed input.
function safeToReload() {
  return ![...main.querySelectorAll("input")].some((input) => input.type !== "radio" && input.type !== "checkbox" && input.value !== input.defaultValue);
}

function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  // A page that opened with no worker in control is taken over by the first worker: that is no
  // update. Every later take-over is a new version.
  let controlled = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!controlled) {
      controlled = true;
      return;
    }
    if (updateWaiting) {
      return;
    }
    updateWaiting = true;
    if (safeToReload()) {
      window.location.reload();
    }
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).then((registration) => {
    // An installed app may stay open for days: look for a new version whenever it is shown again.
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        registration.update().catch(() => {});
      }
    });
  }).catch((error) => console.warn("The service worker could not be registered.", error));
}

function start() {
  menuButton.addEventListener("click", () => (menu.hidden ? openMenu() : closeMenu()));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      closeMenu();
      menuButton.focus();
    }
  });
  document.getElementById("logout-button").addEventListener("click", logOut);

  // Links marked data-link change screen without reloading the page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-link]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      navigate(link.getAttribute("href"));
    }
  });
  window.addEventListener("popstate", render);

  on("logout", ({ reason }) => {
    stopSending();
    navigate("/login", { replace: true, state: { reason } });
  });
  on("trader", startSendingForLogin);
  on("queue", updateStatus);
  on("recorded", refreshPaymentCountSoon);
  on("connection", updateStatus);
  window.addEventListener("online", updateStatus);
  window.addEventListener("offline", updateStatus);

  importLegacyCodes().catch((error) => console.error("Importing unsent codes failed.", error)).finally(() => {
    if (isLoggedIn()) {
      startSendingForLogin();
    }
  });
  render();
  registerServiceWorker();
}

start();
