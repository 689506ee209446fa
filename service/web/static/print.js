/* Shows the print button on the summary page (without JavaScript the browser's own print works). */
(function () {
  "use strict";
  var button = document.getElementById("print-button");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
})();
