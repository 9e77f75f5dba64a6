// Positions and agreements: small helpers, no inline scripts (the CSP forbids them).
document.addEventListener("DOMContentLoaded", () => {
  // Choosing a measure type fills in its usual element group and default value, and labels
  // the quantity with the type's unit. The types come from <script id="measure-types"
  // type="application/json"> (data, never executed).
  const data = document.getElementById("measure-types");
  if (data) {
    const types = JSON.parse(data.textContent);
    const container = document.getElementById("measures-forms");
    const quantityLabel = (select) => {
      const prefix = select.name.replace(/-measure_type$/, "");
      return document.querySelector(`label[for="id_${prefix}-quantity"]`);
    };
    const describe = (select) => {
      const type = types[select.value];
      const label = quantityLabel(select);
      if (!label) return;
      if (!label.dataset.text) label.dataset.text = label.textContent.trim();
      label.textContent = type && type.unit ? `${label.dataset.text} (${type.unit})` : label.dataset.text;
    };
    container.addEventListener("change", (event) => {
      const select = event.target;
      if (!select.name || !select.name.endsWith("-measure_type")) return;
      const type = types[select.value];
      const prefix = select.name.replace(/-measure_type$/, "");
      if (type) {
        const element = document.getElementById(`id_${prefix}-element`);
        if (element) element.value = type.element;
        const target = document.getElementById(`id_${prefix}-${type.quantity ? "quantity" : "amount"}`);
        if (target && !target.value && type.default) target.value = type.default;
      }
      describe(select);
    });
    container.querySelectorAll("select[name$='-measure_type']").forEach(describe);
  }
});
