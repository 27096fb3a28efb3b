import type { IncomingMessage, ServerResponse } from "node:http";
import type { Interaction, Provider } from "oidc-provider";
import { DEMO_PASSWORD, normaliseEmail, subjectFor, type IdpAccount } from "./accounts.js";
import { contentSecurityPolicy, escapeHtml, newNonce, renderPage } from "./html.js";

const LOGIN_ERROR = "Email or password is incorrect";
const MAX_BODY_BYTES = 16 * 1024;

export type InteractionContext = {
  provider: Provider;
  accounts: ReadonlyMap<string, IdpAccount>;
  appOrigin: string;
}

function sendHtml(res: ServerResponse, status: number, appOrigin: string, render: (nonce: string) => string): void {
  const nonce = newNonce();
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(appOrigin, nonce));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.end(render(nonce));
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Without setEncoding() an IncomingMessage yields Buffers.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function renderBanner(accounts: ReadonlyMap<string, IdpAccount>): string {
  const items = [...accounts.values()]
    .map((a) => `<li>${escapeHtml(a.name)}: <code>${escapeHtml(a.email)}</code></li>`)
    .join("");
  return `<aside class="dev-banner" aria-label="Development identity provider">
<p><strong>This is a development identity provider, not a real sign-in service.</strong>
Every demo account uses the password <code>${DEMO_PASSWORD}</code>.</p>
<ul>${items}</ul>
</aside>`;
}

function renderSignIn(ctx: InteractionContext, uid: string, nonce: string, email = "", failed = false): string {
  const errorSummary = failed
    ? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">There is a problem</h2>
<ul><li><a href="#email">${LOGIN_ERROR}</a></li></ul>
</div>`
    : "";
  const emailError = failed
    ? `<p id="email-error" class="error-message"><span class="visually-hidden">Error:</span> ${LOGIN_ERROR}</p>`
    : "";
  return renderPage({
    title: failed ? "Error: Sign in" : "Sign in",
    nonce,
    banner: renderBanner(ctx.accounts),
    body: `${errorSummary}
<h1>Sign in to the development identity provider</h1>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
<div class="field${failed ? " field-error" : ""}">
<label for="email">Email</label>
${emailError}
<input id="email" name="email" type="email" autocomplete="username" spellcheck="false" value="${escapeHtml(email)}"${failed ? ' aria-describedby="email-error"' : ""}>
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
</div>
<button type="submit">Sign in</button>
</form>`,
  });
}

function renderProblem(ctx: InteractionContext, res: ServerResponse, status: number, message: string): void {
  sendHtml(res, status, ctx.appOrigin, (nonce) =>
    renderPage({
      title: "Sign-in problem",
      nonce,
      body: `<h1>Sorry, there is a problem signing you in</h1>\n<p>${escapeHtml(message)}</p>`,
    }),
  );
}

/** The consent prompt should not appear (loadExistingGrant grants everything), but if it does, grant what it asks for. */
async function grantConsent(ctx: InteractionContext, req: IncomingMessage, res: ServerResponse, details: Interaction): Promise<void> {
  const { provider } = ctx;
  const accountId = details.session?.accountId;
  const clientId = details.params.client_id;
  if (!accountId || typeof clientId !== "string") {
    renderProblem(ctx, res, 400, "The sign-in request is incomplete. Go back to the app and try again.");
    return;
  }
  const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(" "));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(" "));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function findByEmail(accounts: ReadonlyMap<string, IdpAccount>, email: string): IdpAccount | undefined {
  return email ? accounts.get(subjectFor(normaliseEmail(email))) : undefined;
}

/** Handles GET /interaction/:uid and POST /interaction/:uid/login. */
export async function handleInteraction(ctx: InteractionContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(pathname);
  const uid = match?.[1];
  const isLogin = Boolean(match?.[2]);
  if (!uid || req.method !== (isLogin ? "POST" : "GET")) {
    renderProblem(ctx, res, 404, "Page not found.");
    return;
  }

  let details: Interaction;
  try {
    details = await ctx.provider.interactionDetails(req, res);
  } catch {
    // Usually an expired interaction or missing cookie: the user has to start again from the app.
    renderProblem(ctx, res, 400, "Your sign-in attempt has expired. Go back to the app and sign in again.");
    return;
  }
  if (details.uid !== uid) {
    renderProblem(ctx, res, 400, "Your sign-in attempt has expired. Go back to the app and sign in again.");
    return;
  }

  if (details.prompt.name === "consent") {
    await grantConsent(ctx, req, res, details);
    return;
  }
  if (details.prompt.name !== "login") {
    renderProblem(ctx, res, 400, `Unsupported sign-in step: ${details.prompt.name}.`);
    return;
  }

  if (!isLogin) {
    sendHtml(res, 200, ctx.appOrigin, (nonce) => renderSignIn(ctx, uid, nonce));
    return;
  }

  const form = await readForm(req);
  const email = form.get("email") ?? "";
  const account = findByEmail(ctx.accounts, email);
  if (!account || form.get("password") !== DEMO_PASSWORD) {
    sendHtml(res, 401, ctx.appOrigin, (nonce) => renderSignIn(ctx, uid, nonce, email, true));
    return;
  }
  await ctx.provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
}
