// "Copy the address": a button with data-copy-from="<input id>" copies that input's text and
// says so in the element its aria-describedby names (a polite live region). No inline script:
// the Content-Security-Policy forbids it.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy-from]").forEach((button) => {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copyFrom);
      const status = document.getElementById(button.getAttribute("aria-describedby"));
      if (!field) return;
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch (error) {
        // No clipboard API (plain http, older browser): the selected text copies the old way.
        copied = document.execCommand && document.execCommand("copy");
      }
      if (status) status.textContent = copied ? button.dataset.copiedText : "";
    });
  });
});
