// Copy a read-only field's text: <button data-copy="INPUT_ID" data-copied="Copied">.
// Without JavaScript (or a clipboard) the button stays hidden and the field can be selected.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) return;
    button.classList.remove("d-none");
    const label = button.textContent;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(input.value);
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = label; }, 2000);
    });
  });
});
