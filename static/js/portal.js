// Small behaviours that work without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Selects marked data-autosubmit submit their form on change (the button stays for keyboards
  // without JavaScript, hidden when JavaScript runs).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  document.querySelectorAll(".js-hide").forEach((el) => el.classList.add("d-none"));
  // Confirm before destructive submits: <button data-confirm="…">.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
