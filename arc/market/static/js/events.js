// One event target for app-wide news: "logout", "connection", "queue" (the stored codes changed)
// and "trader" (another trader was chosen).

const bus = new EventTarget();

export function emit(name, detail = {}) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}

// Returns a function that removes the listener, for screens that listen only while shown.
export function on(name, listener) {
  const handler = (event) => listener(event.detail);
  bus.addEventListener(name, handler);
  return () => bus.removeEventListener(name, handler);
}
