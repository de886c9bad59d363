// Planning pages: follow a background plan's progress, and print the timeline.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  const box = document.querySelector("[data-plan-progress]");
  if (!box) return;
  const bar = box.querySelector("[data-plan-progress-bar]");
  const text = box.querySelector("[data-plan-progress-text]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      const run = await response.json();
      if (run.outcome !== "queued" && run.outcome !== "running") {
        window.location.reload();
        return;
      }
      const total = run.total || 3;
      bar.style.width = `${Math.round((100 * run.done) / total)}%`;
      text.textContent = text.textContent.replace(/\d+(\D+)\d+/, `${run.done}$1${total}`);
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1500);
});
