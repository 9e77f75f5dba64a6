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
  // Inline formsets: <button data-formset-add="PREFIX"> appends a copy of <template
  // id="PREFIX-empty"> to #PREFIX-forms and counts it in the management form. Without
  // JavaScript the button stays hidden and the formset's blank row is used.
  document.querySelectorAll("[data-formset-add]").forEach((button) => {
    const prefix = button.dataset.formsetAdd;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const template = document.getElementById(`${prefix}-empty`);
    const forms = document.getElementById(`${prefix}-forms`);
    if (!total || !template || !forms) return;
    button.classList.remove("d-none");
    button.addEventListener("click", () => {
      const index = Number(total.value);
      forms.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", index));
      total.value = index + 1;
      forms.lastElementChild.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    });
  });
});
