// Survey builder: show the choices and pick limits only for the kinds of question that use them.
// Without JavaScript every field stays visible and the server ignores what does not apply.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("kind");
  if (!kind) return;
  const uses = { choices: ["single_choice", "multiple_choice"], min_picks: ["multiple_choice"], max_picks: ["multiple_choice"] };
  const update = () => {
    for (const [id, kinds] of Object.entries(uses)) {
      const field = document.getElementById(id)?.closest(".field");
      if (field) field.hidden = !kinds.includes(kind.value);
    }
  };
  kind.addEventListener("change", update);
  update();
});
