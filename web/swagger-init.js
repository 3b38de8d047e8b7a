/* Starts Swagger UI on /docs. A file of its own, so that the page needs no inline script.
   Requests are same-origin, so fetch sends the session cookie by itself (credentials
   "same-origin"): no requestInterceptor is needed, and none may drop it. No validator badge: it
   would send the document to validator.swagger.io. */
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
  displayRequestDuration: true,
});
