// Polls a certificate batch's (or re-issue's) progress, done / total; reloads when it ends.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("#certificate-batch, #certificate-reissue").forEach(follow);
});

function follow(box) {
  const active = (state) => state === "queued" || state === "running";
  if (!active(box.dataset.state)) return;
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      const progress = await response.json();
      const text = box.querySelector("[data-batch-text]");
      const bar = box.querySelector("[data-batch-bar]");
      if (text) text.textContent = `${progress.state}: ${progress.done} / ${progress.total}`;
      if (bar && progress.total) bar.style.width = `${Math.round((100 * progress.done) / progress.total)}%`;
      if (!active(progress.state)) { window.location.reload(); return; }
    } catch (error) {
      // A failed poll is retried on the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
}
