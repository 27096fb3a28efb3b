import type { Db } from "@/db/client";
import { audit } from "@/lib/audit";
import { logEvent } from "@/lib/log";
import { hitMemoryRateLimit, type RateLimiter } from "@/lib/rate-limit";

// Failed sign-in callbacks are audited (auth.ts' logger.error hands every Auth.js error here) by the class of
// reason only: never the error's message, claims, state or code, which can hold personal data or secrets.
//
//   check_failed   our own checks of the callback: the state, nonce or PKCE cookie is missing, unreadable or
//                  belongs to another sign-in (a login-CSRF or a tampered callback)
//   idp_refused    the identity provider turned the sign-in down: an error in the callback, or it refused to
//                  exchange the code (used before, or a PKCE verifier that is not the sign-in's)
//   token_invalid  the ID token failed its checks: another audience or issuer, expired, malformed
//   other          anything else that broke a callback (the provider's profile without an address, a database error)
//
// A deactivated account is audited where it is refused, by the signIn callback in auth.ts (auth.sign_in, denied,
// naming the person), so it is not audited again here.
export type SignInFailure = "check_failed" | "idp_refused" | "token_invalid" | "other";

export const SIGN_IN_FAILED = "auth.sign_in_failed";

// Once per reason per minute per process, through the staff search's in-memory limiter (lib/rate-limit.ts): anyone
// can send bad callbacks as fast as they like, and one locked, fsynced audit write each would be a way to load the
// server and grow the log without bound. The first failure of a reason in a minute writes auth.sign_in_failed; the
// second writes the limiter's own rate_limit.refused (object type sign_in, no actor), which says a flood began;
// after that nothing more is written in that minute. What is lost is the count, not the fact.
export const SIGN_IN_FAILURE_LIMIT: RateLimiter = { name: "sign-in-failed", limit: 1, windowMs: 60_000, objectType: "sign_in" };

// The Auth.js error types a failed callback arrives as (@auth/core lib/actions/callback): InvalidCheck for a check
// cookie that is missing or unreadable, OAuthCallbackError when the provider sent an error back, and
// CallbackRouteError around whatever else was thrown, with the original error as cause.err.
const CALLBACK_ERRORS = new Set(["InvalidCheck", "OAuthCallbackError", "CallbackRouteError", "OAuthAccountNotLinked"]);

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

/** The class of a failed sign-in callback, or null when the error is not one (or is audited elsewhere). */
export function signInFailureOf(error: Error): SignInFailure | null {
  const type = field(error, "type");
  if (typeof type !== "string" || !CALLBACK_ERRORS.has(type)) return null;
  if (type === "InvalidCheck") return "check_failed";
  if (type === "OAuthCallbackError") return "idp_refused";
  if (type === "OAuthAccountNotLinked") return "other";
  // oauth4webapi's errors, by their stable codes; the message is read only to tell the state check from the
  // other malformed-response checks that share its code.
  const cause = field(error, "cause");
  const original = field(cause, "err");
  const code = field(original, "code");
  const claim = field(field(original, "cause"), "claim");
  switch (code) {
    case "OAUTH_INVALID_RESPONSE":
      return original instanceof Error && original.message.includes('"state"') ? "check_failed" : "token_invalid";
    case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
      return claim === "nonce" || claim === "s_hash" ? "check_failed" : "token_invalid";
    case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
    case "OAUTH_PARSE_ERROR":
    case "OAUTH_KEY_SELECTION_FAILED":
      return "token_invalid";
    case "OAUTH_RESPONSE_BODY_ERROR":
    case "OAUTH_AUTHORIZATION_RESPONSE_ERROR":
    case "OAUTH_WWW_AUTHENTICATE_CHALLENGE":
      return "idp_refused";
    default:
      return "other";
  }
}

/**
 * Audits a failed sign-in callback (within the limit above) and returns its class; does nothing for other errors.
 * `actorId` is asked only when an event is written: the person already signed in on this browser, or null.
 * Never throws: it runs inside Auth.js' error handling, where a throw would turn the sign-in problem page into a 500.
 */
export function auditSignInFailure(
  error: Error,
  actorId: () => string | null,
  options: { now?: Date; db?: Db } = {},
): SignInFailure | null {
  const reason = signInFailureOf(error);
  if (!reason) return null;
  try {
    if (hitMemoryRateLimit(SIGN_IN_FAILURE_LIMIT, reason, { ...options, actorId: null }).ok) {
      audit(
        {
          actorId: actorId(),
          action: SIGN_IN_FAILED,
          objectType: "sign_in",
          objectId: reason,
          outcome: reason === "other" ? "failure" : "denied",
        },
        options.db,
      );
    }
  } catch (failure) {
    logEvent("error", "auth.sign_in_failure_not_audited", { reason, name: failure instanceof Error ? failure.name : undefined });
  }
  return reason;
}
