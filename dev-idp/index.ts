import { createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Provider, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { buildDirectory, DEMO_ACCOUNTS, parseAccountsJson, type DemoAccount, type IdpAccount } from "./accounts.js";
import { contentSecurityPolicy, escapeHtml, newNonce, renderPage } from "./html.js";
import { handleInteraction } from "./interactions.js";

export { DEMO_ACCOUNTS, DEMO_PASSWORD, subjectFor, type DemoAccount } from "./accounts.js";

export type DevIdpOptions = {
  /** 0 picks a free port; the returned url reports the real one. Default 3001. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1, because every account's password is public. */
  host?: string;
  /** Default http://localhost:<listening port>. Must have no path. */
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  /** The relying party's base URL, default http://localhost:3000. */
  appUrl?: string;
  /** JSON array of { email, name } added to the demo accounts. */
  accountsFile?: string;
  extraAccounts?: readonly DemoAccount[];
  /**
   * Development only, for tests that prove the app refuses a misbehaving provider: every ID token it issues is
   * re-signed (validly, with its own key) for another audience or by another issuer. Unset, it behaves.
   */
  idTokenFault?: IdTokenFault;
}

export const ID_TOKEN_FAULTS = ["wrong-audience", "wrong-issuer"] as const;
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];

export type DevIdp = {
  url: string;
  close(): Promise<void>;
}

const SESSION_TTL_SECONDS = 60 * 60;

function rsaSigningKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey, jwk: { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" } };
}

type SigningKey = ReturnType<typeof rsaSigningKey>;

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** The same token with its audience or issuer swapped, signed again with the provider's own key. */
function faultyIdToken(idToken: string, fault: IdTokenFault, privateKey: KeyObject): string {
  const [header = "", payload = ""] = idToken.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (fault === "wrong-audience") claims.aud = "another-relying-party";
  else claims.iss = "https://idp.evil.example";
  const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign("RSA-SHA256").update(signingInput).sign(privateKey);
  return `${signingInput}.${base64url(signature)}`;
}

function setHtml(ctx: KoaContextWithOIDC, appOrigin: string, title: string, body: (nonce: string) => string): void {
  const nonce = newNonce();
  ctx.set("Content-Security-Policy", contentSecurityPolicy(appOrigin, nonce));
  ctx.type = "html";
  ctx.body = renderPage({ title, nonce, body: body(nonce) });
}

function providerConfiguration(
  options: { clientId: string; clientSecret: string; appUrl: string; appOrigin: string; signingKey: SigningKey },
  accounts: ReadonlyMap<string, IdpAccount>,
): Configuration {
  const { appUrl, appOrigin } = options;
  return {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: "Confide",
        redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${appUrl}/signed-out`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [options.signingKey.jwk] },
    cookies: {
      keys: [randomBytes(32).toString("base64url")],
      // Cookies ignore ports, so on localhost the IdP's must not share names with the app's.
      names: { session: "_idp_sid", interaction: "_idp_interaction", resume: "_idp_resume" },
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid"],
    responseTypes: ["code"],
    // Auth.js reads email and name from the ID token, not from userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: SESSION_TTL_SECONDS,
      IdToken: SESSION_TTL_SECONDS,
      Interaction: 10 * 60,
      Session: SESSION_TTL_SECONDS,
      Grant: SESSION_TTL_SECONDS,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          // Without logout=yes oidc-provider only forgets this client and keeps the IdP session,
          // so the next sign-in would be silent.
          if (!form.includes("</form>")) throw new Error("unexpected end-session form markup");
          const confirmForm = form.replace("</form>", '<input type="hidden" name="logout" value="yes"></form>');
          setHtml(ctx, appOrigin, "Signing out", (nonce) => `<h1>Signing you out</h1>
${confirmForm}
<noscript>
<p>JavaScript is turned off, so you need to continue signing out yourself.</p>
<button type="submit" form="op.logoutForm">Continue signing out</button>
</noscript>
<script nonce="${nonce}">document.getElementById("op.logoutForm").submit();</script>`);
        },
        async postLogoutSuccessSource(ctx) {
          setHtml(ctx, appOrigin, "Signed out", () => "<h1>You have signed out of the development identity provider</h1>");
        },
      },
    },
    interactions: {
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        claims: () => ({ sub: account.sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
    // The "skip consent" recipe: Confide is first-party, so it is granted what it asks for.
    async loadExistingGrant(ctx) {
      const { client, account, session, result, provider } = ctx.oidc;
      if (!client || !account) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    async renderError(ctx, out) {
      setHtml(ctx, appOrigin, "Error", () => `<h1>Sorry, there is a problem</h1>
<p><strong>${escapeHtml(out.error)}</strong>${out.error_description ? `: ${escapeHtml(out.error_description)}` : ""}</p>`);
    },
  };
}

export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const appUrl = (options.appUrl ?? "http://localhost:3000").replace(/\/+$/, "");
  const appOrigin = new URL(appUrl).origin;
  const fromFile = options.accountsFile
    ? parseAccountsJson(await readFile(options.accountsFile, "utf8"), options.accountsFile)
    : [];
  const accounts = buildDirectory([...DEMO_ACCOUNTS, ...(options.extraAccounts ?? []), ...fromFile]);

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3001, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = (options.issuer ?? `http://localhost:${port}`).replace(/\/+$/, "");
  if (new URL(issuer).pathname !== "/") {
    server.close();
    throw new Error(`DEV_IDP_ISSUER must not have a path: ${issuer}`);
  }

  const signingKey = rsaSigningKey();
  const provider = new Provider(
    issuer,
    providerConfiguration(
      {
        clientId: options.clientId ?? "confide-dev",
        clientSecret: options.clientSecret ?? "confide-dev-secret",
        appUrl,
        appOrigin,
        signingKey,
      },
      accounts,
    ),
  );
  provider.use(async (ctx, next) => {
    // A nonce-less baseline; pages we render replace it, and oidc-provider appends
    // script hashes to it for its own auto-submitting forms.
    ctx.set("Content-Security-Policy", contentSecurityPolicy(appOrigin));
    ctx.set("X-Content-Type-Options", "nosniff");
    await next();
  });
  const fault = options.idTokenFault;
  if (fault) {
    console.warn(`dev-idp: issuing faulty ID tokens (${fault})`);
    provider.use(async (ctx, next) => {
      await next();
      const body = ctx.path === "/token" && ctx.status === 200 ? ctx.body : undefined;
      if (typeof body === "object" && body !== null && "id_token" in body && typeof body.id_token === "string") {
        body.id_token = faultyIdToken(body.id_token, fault, signingKey.privateKey);
      }
    });
  }
  provider.on("server_error", (_ctx, error) => console.error("dev-idp server_error:", error));

  const providerCallback = provider.callback();
  const interactionContext = { provider, accounts, appOrigin };
  server.on("request", (req, res) => {
    const { pathname } = new URL(req.url ?? "/", issuer);
    const handled = pathname.startsWith("/interaction/")
      ? handleInteraction(interactionContext, req, res, pathname)
      : providerCallback(req, res);
    handled.catch((error: unknown) => {
      console.error("dev-idp:", error);
      if (res.headersSent) {
        res.destroy();
      } else {
        res.statusCode = 500;
        res.end("Internal Server Error");
      }
    });
  });

  return {
    url: issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (e.g. from fetch) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
