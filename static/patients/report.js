// The progress report's Print button: the browser's print, with the report's print styles.
(function () {
  "use strict";
  const button = document.getElementById("print-report");
  if (button) button.addEventListener("click", () => window.print());
})();
