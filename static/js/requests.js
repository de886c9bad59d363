// The coordinator's requests page: "select all" per department and the ticked count in the
// bulk bar. Without JavaScript each row is still ticked one by one (the boxes stay hidden).
document.addEventListener("DOMContentLoaded", () => {
  const boxes = () => document.querySelectorAll("input[name=placement_ids]");
  const counter = document.querySelector("[data-ticked-count]");
  const showCount = () => {
    if (!counter) return;
    const ticked = [...boxes()].filter((box) => box.checked).length;
    counter.textContent = ticked ? "· " + counter.dataset.template.replace("{n}", ticked) : "";
  };
  const syncAll = (group) => {
    const all = document.querySelector(`[data-select-all="${group}"]`);
    if (!all) return;
    const rows = [...document.querySelectorAll(`input[data-group="${group}"]`)];
    const ticked = rows.filter((box) => box.checked).length;
    all.checked = ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  };
  document.querySelectorAll("[data-select-all-box]").forEach((box) => { box.hidden = false; });
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      document.querySelectorAll(`input[data-group="${all.dataset.selectAll}"]`).forEach((box) => {
        box.checked = all.checked;
      });
      showCount();
    });
    syncAll(all.dataset.selectAll);
  });
  boxes().forEach((box) => box.addEventListener("change", () => {
    syncAll(box.dataset.group);
    showCount();
  }));
  showCount();
});
