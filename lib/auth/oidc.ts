import { env } from "@/lib/env";

// Endpoints come from the provider's discovery document, so any standards-compliant provider works
// (Entra ID, ADFS, Okta, Keycloak, the dev IdP) without hard-coded paths.
type Discovery = { issuer: string; userinfo_endpoint?: string; end_session_endpoint?: string };

let discovery: Promise<Discovery> | undefined;

function discoveryUrl(): URL {
  return new URL(".well-known/openid-configuration", withSlash(env().AUTH_OIDC_ISSUER));
}

export function discover(): Promise<Discovery> {
  discovery ??= fetch(discoveryUrl(), { cache: "no-store" })
    .then((response) => {
      if (!response.ok) throw new Error(`OIDC discovery failed with status ${response.status}`);
      return response.json() as Promise<Discovery>;
    })
    .catch((error: unknown) => {
      discovery = undefined; // try again on the next request rather than caching a failure
      throw error;
    });
  return discovery;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

// Asked only after a sign-in could not start, to tell "the identity provider is down" (come back later) from
// anything else. A fresh request, not the cached discovery: that may be from before the provider went down.
export async function identityProviderAnswers(): Promise<boolean> {
  try {
    const response = await fetch(discoveryUrl(), { cache: "no-store", signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

// Where to send the browser after our session is gone, so that the identity provider forgets the person too.
// No id_token_hint: the ID token carries the email address and would sit in the URL and in logs.
export async function endSessionUrl(): Promise<string> {
  const { APP_URL, AUTH_OIDC_ID } = env();
  const signedOut = new URL("/signed-out", APP_URL).toString();
  const { end_session_endpoint } = await discover();
  if (!end_session_endpoint) return signedOut;
  const url = new URL(end_session_endpoint);
  url.searchParams.set("client_id", AUTH_OIDC_ID);
  url.searchParams.set("post_logout_redirect_uri", signedOut);
  return url.toString();
}

export type OidcClaims = {
  sub: string;
  email?: string;
  preferred_username?: string;
  upn?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
};

// Some providers release email and name only from the userinfo endpoint, and some identify people by a login
// name (upn, preferred_username) rather than an email claim.
export async function completeProfile(claims: OidcClaims, accessToken: string | undefined): Promise<OidcClaims> {
  if ((claims.email || claims.preferred_username || claims.upn) && claims.name) return claims;
  const { userinfo_endpoint } = await discover();
  if (!userinfo_endpoint || !accessToken) return claims;
  const response = await fetch(userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` }, cache: "no-store" });
  if (!response.ok) return claims;
  const info = (await response.json()) as OidcClaims;
  return info.sub === claims.sub ? { ...info, ...claims, email: claims.email ?? info.email, name: claims.name ?? info.name } : claims;
}

export function identityOf(claims: OidcClaims): { email: string; name: string } {
  const email = (claims.email ?? claims.upn ?? claims.preferred_username ?? "").trim().toLowerCase();
  if (!email) throw new Error("The identity provider did not release an email address or login name");
  const name = claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(" ");
  return { email, name: name || email };
}
