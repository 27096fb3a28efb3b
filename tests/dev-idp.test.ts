import assert from "node:assert/strict";
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startDevIdp, subjectFor, type DevIdp } from "../dev-idp/index.js";

const CLIENT_ID = "confide-test";
const CLIENT_SECRET = "confide-test-secret";
const APP_URL = "http://localhost:3999";
const REDIRECT_URI = `${APP_URL}/api/auth/callback/oidc`;
const SIGNED_OUT_URI = `${APP_URL}/signed-out`;

/** A browser stand-in: fetch never follows redirects, so cookies are carried by hand. */
class Browser {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const res = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", value = ""] = pair.split(/=(.*)/s).map((part) => part.trim());
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.request(path, { method: "POST", body: new URLSearchParams(fields) });
  }
}

function location(res: Response): URL {
  const value = res.headers.get("location");
  assert.ok(value, `expected a redirect, got ${res.status}`);
  return new URL(value, res.url);
}

function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

type AuthRequest = {
  state: string;
  nonce: string;
  verifier: string;
  path: string;
}

function authorizationRequest(): AuthRequest {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const nonce = base64url(randomBytes(16));
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile",
    state,
    nonce,
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  });
  return { state, nonce, verifier, path: `/auth?${query}` };
}

/** Starts an authorization request and follows it to the sign-in page. */
async function openSignIn(browser: Browser): Promise<{ request: AuthRequest; interactionPath: string; html: string }> {
  const request = authorizationRequest();
  const auth = await browser.request(request.path);
  assert.equal(auth.status, 303);
  const interactionPath = location(auth).pathname;
  assert.match(interactionPath, /^\/interaction\/[\w-]+$/);
  const page = await browser.request(interactionPath);
  assert.equal(page.status, 200);
  return { request, interactionPath, html: await page.text() };
}

/** Follows redirects from a successful sign-in until they leave the IdP. */
async function followToApp(browser: Browser, res: Response): Promise<URL> {
  let current = res;
  for (let hops = 0; hops < 5; hops++) {
    const next = location(current);
    if (next.href.startsWith(APP_URL)) return next;
    current = await browser.request(next.href);
  }
  throw new Error("too many redirects");
}

function decodeJwtPart(part: string | undefined): Record<string, unknown> {
  assert.ok(part);
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("dev-idp", () => {
  let idp: DevIdp;
  let tempDir: string;
  let discovery: Record<string, string>;

  before(async () => {
    tempDir = await mkdtemp(join(tmpdir(), "dev-idp-test-"));
    const accountsFile = join(tempDir, "accounts.json");
    await writeFile(accountsFile, JSON.stringify([{ email: "Extra.Person@Example.org", name: "Extra Person" }]));
    idp = await startDevIdp({ port: 0, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, appUrl: APP_URL, accountsFile });
    discovery = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  });

  after(async () => {
    await idp.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  test("listens on a real port and uses it as the issuer", () => {
    assert.match(idp.url, /^http:\/\/localhost:\d+$/);
    assert.doesNotMatch(idp.url, /:0$/);
    assert.equal(discovery.issuer, idp.url);
  });

  test("discovery advertises the endpoints the app needs", () => {
    for (const key of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri"]) {
      assert.ok(discovery[key]?.startsWith(idp.url), `${key} missing`);
    }
  });

  test("an authorization request lands on an accessible sign-in form", async () => {
    const { html } = await openSignIn(new Browser(idp.url));
    assert.match(html, /<h1>Sign in to the development identity provider<\/h1>/);
    assert.match(html, /<label for="email">Email<\/label>/);
    assert.match(html, /<input id="email" name="email" type="email" autocomplete="username"/);
    assert.match(html, /<label for="password">Password<\/label>/);
    assert.match(html, /<input id="password" name="password" type="password"/);
    assert.match(html, /<button type="submit">Sign in<\/button>/);
    assert.match(html, /development identity provider/i);
    assert.match(html, /alex\.staff@example\.org/);
    assert.match(html, /extra\.person@example\.org/);
  });

  test("a wrong password or unknown email is rejected with 401 and keeps the email", async () => {
    const browser = new Browser(idp.url);
    const { interactionPath } = await openSignIn(browser);
    for (const [email, password] of [
      ["alex.staff@example.org", "wrong"],
      ["nobody@example.org", "demo"],
    ] as const) {
      const res = await browser.postForm(`${interactionPath}/login`, { email, password });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get("location"), null);
      const html = await res.text();
      assert.match(html, /role="alert"/);
      assert.match(html, /Email or password is incorrect/);
      assert.match(html, new RegExp(`value="${email.replace(/\./g, "\\.")}"`));
    }
  });

  test("signing in, exchanging the code, then signing out and back in", async () => {
    const browser = new Browser(idp.url);
    const { request, interactionPath } = await openSignIn(browser);

    const login = await browser.postForm(`${interactionPath}/login`, { email: "Alex.Staff@Example.org", password: "demo" });
    assert.equal(login.status, 303);
    const callback = await followToApp(browser, login);
    assert.equal(callback.origin + callback.pathname, REDIRECT_URI);
    assert.equal(callback.searchParams.get("state"), request.state);
    const code = callback.searchParams.get("code");
    assert.ok(code);

    const tokenRes = await fetch(discovery.token_endpoint!, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}` },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: request.verifier }),
    });
    assert.equal(tokenRes.status, 200);
    const tokens = (await tokenRes.json()) as { id_token: string; access_token: string };

    const [header, payload, signature] = tokens.id_token.split(".");
    assert.equal(decodeJwtPart(header).alg, "RS256");
    const jwks = (await (await fetch(discovery.jwks_uri!)).json()) as { keys: JsonWebKey[] };
    const key = jwks.keys.find((k) => k.kid === decodeJwtPart(header).kid);
    assert.ok(key && signature);
    assert.ok(
      verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey({ key, format: "jwk" }), Buffer.from(signature, "base64url")),
      "ID token signature does not verify",
    );
    const claims = decodeJwtPart(payload);
    assert.equal(claims.email, "alex.staff@example.org");
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, "Alex Morgan");
    assert.equal(claims.nonce, request.nonce);
    assert.equal(claims.sub, subjectFor("alex.staff@example.org"));

    const userinfo = await fetch(discovery.userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 200);
    assert.deepEqual(await userinfo.json(), {
      sub: subjectFor("alex.staff@example.org"),
      email: "alex.staff@example.org",
      email_verified: true,
      name: "Alex Morgan",
    });

    // RP-initiated logout exactly as the app sends it: client_id, no id_token_hint.
    const endSession = new URL(discovery.end_session_endpoint!);
    endSession.search = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: SIGNED_OUT_URI }).toString();
    const logoutPage = await browser.request(endSession.href);
    assert.equal(logoutPage.status, 200);
    const csp = logoutPage.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, "logout page CSP has a nonce");
    const logoutHtml = await logoutPage.text();
    assert.ok(logoutHtml.includes(`<script nonce="${nonce}">`));
    assert.match(logoutHtml, /<noscript>[\s\S]*Continue signing out[\s\S]*<\/noscript>/);
    // Submit exactly what the page's form holds, as the inline script would.
    const form = /<form id="op\.logoutForm" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(logoutHtml);
    assert.ok(form?.[1] && form[2]);
    const fields = Object.fromEntries(
      [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
    );
    assert.equal(fields.logout, "yes");
    assert.ok(fields.xsrf);

    const confirmed = await browser.postForm(form[1], fields);
    assert.equal(confirmed.status, 303);
    assert.equal(location(confirmed).href, SIGNED_OUT_URI);

    const again = await openSignIn(browser);
    assert.match(again.html, /<label for="password">Password<\/label>/);
  });

  test("accounts from the accounts file can sign in, matched case-insensitively", async () => {
    const browser = new Browser(idp.url);
    const { request, interactionPath } = await openSignIn(browser);
    const login = await browser.postForm(`${interactionPath}/login`, { email: "extra.person@example.org", password: "demo" });
    const callback = await followToApp(browser, login);
    assert.equal(callback.searchParams.get("state"), request.state);
    assert.ok(callback.searchParams.get("code"));
  });

  test("a logout without a post_logout_redirect_uri ends on the IdP's own page", async () => {
    const browser = new Browser(idp.url);
    const res = await browser.request(`/session/end/success`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /You have signed out of the development identity provider/);
  });
});
