// After django-otp-webauthn registers a passkey, reload the devices page so the new
// passkey is listed (the library only announces it with an event). A static file, so the
// strict Content-Security-Policy (no inline scripts) holds.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
