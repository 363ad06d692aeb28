"use strict";
// Trades the one-time secret in the address's fragment (never sent to the node in a URL, so never
// logged) for a session cookie, and takes it out of the address bar and the history first.
function signIn() {
  const params = new URLSearchParams(location.hash.slice(1));
  const secret = params.get("secret");
  history.replaceState(null, "", "/ui/login");
  const title = document.getElementById("title");
  const message = document.getElementById("message");
  title.textContent = "Signing in";
  message.textContent = "Checking the login address...";
  delete message.dataset.status;
  function refused(text) {
    title.textContent = "Cannot sign in";
    message.textContent = text;
    message.dataset.status = "401";
  }
  if (!secret) {
    refused("This address has no login secret. Run `node web` on the node's computer and open the address it prints.");
    return;
  }
  fetch("/ui/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ secret: secret }),
    credentials: "same-origin"
  }).then(function (r) {
    if (r.ok) {
      location.replace("/ui/");
      return;
    }
    return r.json().then(function (e) { refused(e.message); },
      function () { refused("The node refused the login (HTTP " + r.status + "). Run `node web` for a new address."); });
  }, function () {
    refused("The node did not answer: is it still running?");
  });
}

// A new address pasted into this tab changes only the fragment: no new page load, so listen.
window.addEventListener("hashchange", function () {
  if (location.hash) signIn();
});
signIn();
