// The annual wheel: a print button (hidden without JavaScript; the browser's own print works).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.classList.remove("d-none");
    button.addEventListener("click", () => window.print());
  });
});
