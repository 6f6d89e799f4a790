// The key page's only script: the copy button of a new key. It is served
// by godoo itself, as the page's Content-Security-Policy requires.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var copied = function () {
        button.textContent = "Copied";
        button.setAttribute("data-copied", "true");
      };
      var fallback = function () {
        field.focus();
        field.select();
        if (document.execCommand("copy")) {
          copied();
        } else {
          button.textContent = "Select the key and copy it";
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, fallback);
      } else {
        fallback();
      }
    });
  });
});
