// The login and the chosen trader, kept in localStorage under the keys the previous trader app used,
// so traders who had it installed stay logged in when this version replaces it.

const TOKEN_KEY = "NetMgr.token";
const USER_KEY = "Store.user";
const TRADER_KEY = "Store.trader";

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function write(key, value) {
  localStorage.setItem(key, JSON.stringify(value));
}

// The token object is the login (or refresh) reply plus `requestTime`, the second it was stored.
export function getToken() {
  const token = read(TOKEN_KEY);
  return token && token.access_token ? token : null;
}

export function setToken(reply) {
  write(TOKEN_KEY, {
    access_token: reply.access_token,
    expires_in: reply.expires_in,
    refresh_token: reply.refresh_token,
    requestTime: Math.floor(Date.now() / 1000),
  });
}

export function isLoggedIn() {
  return getToken() !== null;
}

// The previous app stored the trader list one level deeper (`traders[0]` was the list).
export function getTraders() {
  const user = read(USER_KEY);
  if (!user || !Array.isArray(user.traders)) {
    return [];
  }
  return Array.isArray(user.traders[0]) ? user.traders[0] : user.traders;
}

export function setTraders(traders) {
  write(USER_KEY, { ...(read(USER_KEY) || {}), traders });
}

export function getTrader() {
  const trader = read(TRADER_KEY);
  return trader && trader.id ? trader : null;
}

// `vouchers` stays an empty list: the previous app kept its unsent codes there, this one in IndexedDB.
export function setTrader(trader) {
  write(TRADER_KEY, { ...trader, vouchers: [] });
}

// Taps are turned off for areas whose vouchers must be scanned (the sponsor's `can_tap` is false).
export function canType(trader) {
  return !(trader && trader.featureOverride && trader.featureOverride.pageAccess
    && trader.featureOverride.pageAccess.tap === false);
}

export function shortcode(trader) {
  return (trader && trader.market && trader.market.sponsor_shortcode) || "";
}

// Codes the previous app had not sent yet (`[{code, online}]` in the stored trader), with its id.
export function legacyCodes() {
  const trader = read(TRADER_KEY);
  if (!trader || !Array.isArray(trader.vouchers)) {
    return { traderId: null, codes: [] };
  }
  const codes = trader.vouchers.map((voucher) => (typeof voucher === "string" ? voucher : voucher && voucher.code))
    .filter((code) => typeof code === "string" && code.trim() !== "");
  return { traderId: trader.id, codes };
}

// Called once those codes are safely in IndexedDB, so they are imported only once.
export function clearLegacyCodes() {
  const trader = read(TRADER_KEY);
  if (trader && Array.isArray(trader.vouchers) && trader.vouchers.length > 0) {
    write(TRADER_KEY, { ...trader, vouchers: [] });
  }
}

// Log out: forget the token, the traders and the choice. Unsent codes stay in IndexedDB, tied to
// their trader, and are sent when someone logs in for that trader again.
export function clearSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
  localStorage.removeItem(TRADER_KEY);
}

// Small per-trader copies of the last lists fetched, shown when there is no signal.
export function saveCopy(name, traderId, value) {
  write(`arc.copy.${name}.${traderId}`, { savedAt: Date.now(), value });
}

export function loadCopy(name, traderId) {
  return read(`arc.copy.${name}.${traderId}`);
}

export function clearCopies() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith("arc.copy.")) {
      localStorage.removeItem(key);
    }
  }
}
