// education_plans: a filter over the long list of learning objectives in the activity form.
// Without JavaScript the whole list shows; with it, typing narrows the checkboxes by code or
// words of the title, and hides the theme headings left empty. Ticked objectives stay shown.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("objective-filter-text")?.dataset || {};
  document.querySelectorAll(".objective-picker fieldset").forEach((fieldset) => {
    const list = fieldset.querySelector(":scope > div");
    const checks = Array.from(fieldset.querySelectorAll(".form-check"));
    if (!list || checks.length < 8) return;
    const input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm objective-filter";
    input.placeholder = text.placeholder || "";
    input.setAttribute("aria-label", text.label || "Filter");
    list.insertAdjacentElement("beforebegin", input);
    input.addEventListener("input", () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      checks.forEach((check) => {
        const match = words.every((w) => check.textContent.toLowerCase().includes(w));
        check.hidden = !match && !check.querySelector("input").checked;
      });
      list.querySelectorAll(":scope > strong").forEach((heading) => {
        let next = heading.nextElementSibling;
        let shown = false;
        while (next && next.tagName !== "STRONG") {
          shown = shown || !next.hidden;
          next = next.nextElementSibling;
        }
        heading.hidden = !shown;
      });
    });
  });
});
