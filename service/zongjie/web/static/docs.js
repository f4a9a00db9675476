// Starts Swagger UI for /docs (a separate file: the page's CSP forbids inline scripts).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: box.dataset.url, dom_id: "#swagger-ui", deepLinking: true});
});
