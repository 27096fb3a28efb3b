"use client";

import { useEffect } from "react";

// GOV.UK Frontend's template adds these classes with an inline script; Confide's Content-Security-Policy allows no
// inline script without a nonce, so a client effect adds them instead. They only ever appear with JavaScript on.
export function FrontendSupported() {
  useEffect(() => {
    document.body.classList.add("js-enabled");
    if ("noModule" in HTMLScriptElement.prototype) document.body.classList.add("govuk-frontend-supported");
  }, []);
  return null;
}
