// skilltick dashboard: small progressive enhancements; every page works without them.
"use strict";

// A login link's token leaves the address bar (history, screenshots, a shared screen) as the
// page loads; its button posts the token from the form.
if (window.location.pathname === "/login" && new URLSearchParams(window.location.search).has("token")) {
  window.history.replaceState(null, "", "/login");
}

function showTriggerFields(form) {
  const checked = form.querySelector('input[name="trigger_type"]:checked');
  const hidden = form.querySelector('input[type="hidden"][name="trigger_type"]');
  const type = checked ? checked.value : hidden ? hidden.value : null;
  if (!type) return;
  form.querySelectorAll("[data-trigger]").forEach((field) => {
    field.hidden = field.dataset.trigger !== type;
  });
}

function loadRunRows(details) {
  if (!details.open || details.dataset.loaded) return;
  details.dataset.loaded = "1";
  const target = details.querySelector(".rows");
  fetch(details.dataset.rows, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => { target.innerHTML = html; })
    .catch(() => { delete details.dataset.loaded; });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.automation").forEach((form) => {
    showTriggerFields(form);
    form.addEventListener("change", (event) => {
      if (event.target.name === "trigger_type") showTriggerFields(form);
    });
  });
  document.querySelectorAll("details[data-rows]").forEach((details) => {
    details.addEventListener("toggle", () => loadRunRows(details));
  });
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
