// The patient list's search as you type: the results are fetched and replaced as the
// search box changes (a short pause after the last key), and the address follows, so the
// view can be bookmarked. Without JavaScript the "Find" button does the same.
(function () {
  "use strict";

  const form = document.getElementById("patient-search");
  if (!form || !document.getElementById("patient-results") || !window.fetch) return;
  let timer = null;
  let latest = 0;

  async function refresh() {
    const query = new URLSearchParams(new FormData(form)).toString();
    const url = form.action.split("?")[0] + (query ? "?" + query : "");
    const asked = ++latest;
    const response = await fetch(url, { headers: { "X-Requested-With": "fetch" } });
    if (asked !== latest) return; // a newer search is on its way
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("patient-results");
    if (!fresh) return;
    document.getElementById("patient-results").replaceWith(fresh);
    history.replaceState(null, "", url);
  }

  form.querySelector('input[type="search"]').addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  form.querySelectorAll("select").forEach((select) => select.addEventListener("change", refresh));
})();
