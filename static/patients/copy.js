// "Copy" buttons: copy the text of the input they name.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", () => {
      const input = document.getElementById(button.dataset.copy);
      const status = document.getElementById("copy-status");
      input.select();
      navigator.clipboard.writeText(input.value).then(
        () => { status.textContent = "Copied."; },
        () => { status.textContent = "Select the link and copy it with Ctrl+C."; }
      );
    });
  });
})();
