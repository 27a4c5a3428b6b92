// Refreshes the parts of a page that keep themselves up to date (the queue's rows, a live
// role-play), every `data-refresh-seconds`, only while the tab is visible: it sends the element
// the "heard:refresh" event its hx-trigger listens for. This replaces htmx's trigger filter
// ("every 15s [document.visibilityState === 'visible']"), which htmx runs through eval and the
// Content-Security-Policy forbids (heard/lib/csp.py).
const due = new WeakMap(); // element -> when it next refreshes (ms)

setInterval(() => {
  if (document.visibilityState !== "visible" || !window.htmx) return;
  const now = Date.now();
  for (const element of document.querySelectorAll("[data-refresh-seconds]")) {
    const every = Number(element.dataset.refreshSeconds) * 1000;
    if (!due.has(element)) due.set(element, now + every);
    if (now >= due.get(element)) {
      due.set(element, now + every);
      htmx.trigger(element, "heard:refresh");
    }
  }
}, 1000);
