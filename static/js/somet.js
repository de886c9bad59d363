// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
// Phones (issue 21): a cell of a table marked .table-cards carries its column's heading as
// data-label, which somet.css shows before the value when the rows become cards (< 576 px).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.table-cards").forEach((table) => {
    const headings = [];
    table.querySelectorAll(":scope > thead > tr:last-child > th").forEach((th) => {
      for (let span = 0; span < (th.colSpan || 1); span += 1) headings.push(th.textContent.trim());
    });
    table.querySelectorAll(":scope > tbody > tr").forEach((row) => {
      let column = 0;
      for (const cell of row.cells) {
        const heading = headings[column];
        if (heading && cell.colSpan === 1 && !cell.hasAttribute("data-label")) cell.dataset.label = heading;
        column += cell.colSpan || 1;
      }
    });
  });
  // A table that still scrolls sideways (wide grids) can be scrolled from the keyboard too.
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.tabIndex = 0;
  });
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-confirm]").forEach((element) => {
    element.addEventListener("submit", (event) => {
      if (!window.confirm(element.dataset.confirm)) event.preventDefault();
    });
  });
});
