import { randomBytes } from "node:crypto";

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * form-action must include the app: browsers apply it to the redirects that
 * follow a form submission (sign-in and sign-out both end on the app).
 */
export function contentSecurityPolicy(appOrigin: string, nonce?: string): string {
  const inline = nonce ? `'nonce-${nonce}'` : "'self'";
  return [
    "default-src 'none'",
    `script-src ${inline}`,
    `style-src ${inline}`,
    `form-action 'self' ${appOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

const STYLES = `
body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c;background:#fff}
.dev-banner{background:#fff7bf;border-bottom:5px solid #ffdd00;padding:15px 20px}
.dev-banner p{margin:0 0 10px}
.dev-banner ul{margin:0;padding-left:20px;font-size:16px}
main{max-width:640px;margin:0 auto;padding:30px 20px}
h1{font-size:32px;line-height:1.2;margin:0 0 30px}
.field{margin-bottom:25px}
label{display:block;font-weight:700;margin-bottom:5px}
input{box-sizing:border-box;width:100%;max-width:420px;font:inherit;padding:5px;border:2px solid #0b0c0c;min-height:40px}
input:focus,button:focus,a:focus{outline:3px solid #ffdd00;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
.field-error{border-left:5px solid #d4351c;padding-left:15px}
.field-error input{border-color:#d4351c}
.error-message{color:#d4351c;font-weight:700;margin:0 0 10px}
.error-summary{border:5px solid #d4351c;padding:15px 20px;margin-bottom:30px}
.error-summary h2{font-size:24px;margin:0 0 15px}
.error-summary ul{margin:0;padding:0;list-style:none}
.error-summary a{color:#d4351c;font-weight:700}
button{font:inherit;font-weight:400;color:#fff;background:#00703c;border:0;box-shadow:0 2px 0 #002d18;padding:8px 12px;cursor:pointer}
button:hover{background:#005a30}
.visually-hidden{position:absolute;width:1px;height:1px;margin:0;padding:0;overflow:hidden;clip:rect(0 0 0 0);border:0;white-space:nowrap}
code{font-size:inherit;font-weight:700}
`;

export type PageOptions = {
  title: string;
  nonce: string;
  body: string;
  banner?: string;
}

export function renderPage({ title, nonce, body, banner = "" }: PageOptions): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Development identity provider</title>
<style nonce="${nonce}">${STYLES}</style>
</head>
<body>
${banner}
<main id="main-content">
${body}
</main>
</body>
</html>`;
}
