import { env } from "@/lib/env";

// Endpoints come from the provider's discovery document, so any standards-compliant provider works
// (Entra ID, ADFS, Okta, Keycloak, the dev IdP) without hard-coded paths.
type Discovery = { issuer: string; userinfo_endpoint?: string; end_session_endpoint?: string };

let discovery: Promise<Discovery> | undefined;

function discoveryUrl(): URL {
  return new URL(".well-known/openid-configuration", withSlash(env().AUTH_OIDC_ISSUER));
}

// A provider that accepts the connection but never answers must not hold a sign-in or a sign-out open forever.
const DISCOVERY_TIMEOUT_MS = 5_000;

async function fetchDiscovery(): Promise<Discovery> {
  const response = await fetch(discoveryUrl(), { cache: "no-store", signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`OIDC discovery failed with status ${response.status}`);
  }
  return (await response.json()) as Discovery;
}

export function discover(): Promise<Discovery> {
  discovery ??= fetchDiscovery().catch((error: unknown) => {
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
    const response = await fetch(discoveryUrl(), { cache: "no-store", signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Shown on /signed-out when sign-out could not reach the identity provider (app/signed-out/page.tsx). */
export const SSO_UNREACHABLE = "unreachable";

// Where to send the browser after our session is gone, so that the identity provider forgets the person too.
// No id_token_hint: the ID token carries the email address and would sit in the URL and in logs.
//
// The provider is asked afresh (not the cached discovery, which may be from before it went down): sending the
// browser to a provider that does not answer would leave the person on a browser error page instead of being
// told they are signed out. When it does not answer, our side of sign-out has still happened, and /signed-out
// says they may still be signed in to single sign-on.
export async function endSessionUrl(): Promise<{ url: string; identityProviderAnswered: boolean }> {
  const { APP_URL, AUTH_OIDC_ID } = env();
  const signedOut = new URL("/signed-out", APP_URL);
  let endSession: string | undefined;
  try {
    endSession = (await fetchDiscovery()).end_session_endpoint;
  } catch {
    signedOut.searchParams.set("sso", SSO_UNREACHABLE);
    return { url: signedOut.toString(), identityProviderAnswered: false };
  }
  if (!endSession) return { url: signedOut.toString(), identityProviderAnswered: true };
  const url = new URL(endSession);
  url.searchParams.set("client_id", AUTH_OIDC_ID);
  url.searchParams.set("post_logout_redirect_uri", signedOut.toString());
  return { url: url.toString(), identityProviderAnswered: true };
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
