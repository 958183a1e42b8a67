/* eslint-disable @typescript-eslint/no-unused-expressions -- an expression, evaluated in the page */
// Runs inside the page (read as text and evaluated there, untouched by any compiler).
// Resolves window.__bench at the first paint after an element matching `target` (holding `content`,
// unless null) appears: with origin "click", ms since the next click event's own timestamp; with
// "epoch", the paint's time in epoch ms. A requestAnimationFrame callback runs before the frame is
// painted; a task queued from it runs once that frame is out.
(target, content, origin) => {
  window.__bench = new Promise((resolve, reject) => {
    let start = 0;
    if (origin === 'click') {
      document.addEventListener('click', (event) => (start = event.timeStamp), { capture: true, once: true });
    }
    const present = () => [...document.querySelectorAll(target)].some((el) => content === null || el.textContent === content);
    const observer = new MutationObserver(() => {
      if (!present()) return;
      observer.disconnect();
      clearTimeout(timeout);
      requestAnimationFrame(() =>
        setTimeout(() => resolve(origin === 'click' ? performance.now() - start : performance.timeOrigin + performance.now()), 0),
      );
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    const timeout = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`${target} ${content ?? ''} did not appear within 15 s`));
    }, 15_000);
  });
};
