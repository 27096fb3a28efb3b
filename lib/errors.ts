// Thrown by the data access layer when a row does not exist or the viewer may not see it: both become a 404,
// so "not yours" and "does not exist" cannot be told apart.
export class NotFoundError extends Error {
  constructor(readonly objectType: string) {
    super(`${objectType} not found`);
    this.name = "NotFoundError";
  }
}

// What a person is told when the database refuses to save. The transaction has rolled back, so nothing was saved,
// and the cause (a full disk, a read-only file, another writer holding the lock) may pass, so they can try again.
export const SERVICE_UNAVAILABLE_MESSAGE = "Confide cannot save changes at the moment. Nothing was saved. Try again later.";

// In production a page or action error reaches the error page with its digest only (Next.js keeps a digest that is
// already set and drops the message), so the digest is how app/error.tsx recognises this error. The random part
// is still a reference that pairs the page with the server's log line (instrumentation.ts).
const UNAVAILABLE_DIGEST_PREFIX = "confide-unavailable-";

// SQLite's answers when it cannot write now: disk full (FULL), the file or its directory is read-only (READONLY),
// another writer held the lock past busy_timeout (BUSY), or the disk failed or was remounted read-only under an
// open file (IOERR). Extended codes such as SQLITE_READONLY_DBMOVED or SQLITE_IOERR_WRITE count too.
const REFUSAL_CODES = /^SQLITE_(FULL|READONLY|BUSY|IOERR)(_[A-Z_]+)?$/;

export class ServiceUnavailableError extends Error {
  readonly digest = `${UNAVAILABLE_DIGEST_PREFIX}${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

  constructor(readonly code: string, options?: { cause?: unknown }) {
    super(`The database refused to save (${code})`, options);
    this.name = "ServiceUnavailableError";
  }
}

const codeOf = (error: unknown): unknown => (typeof error === "object" && error !== null && "code" in error ? error.code : undefined);

// The database's refusal as a ServiceUnavailableError, or undefined for any other error (a bug, a constraint),
// which must not be explained away as "try again later". Drizzle may wrap the driver's error, keeping it as cause.
export function serviceUnavailableFrom(error: unknown): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  const code = [codeOf(error), codeOf(cause)].find((c): c is string => typeof c === "string" && REFUSAL_CODES.test(c));
  return code ? new ServiceUnavailableError(code, { cause: error }) : undefined;
}

export type FailureView = { unavailable: boolean; reference?: string };

// For the error pages, which get what crossed from the server: is this the database refusing to save, and the
// reference to quote to the service desk. Never the message or stack, which could hold someone's details.
export function describeFailure(error: unknown): FailureView {
  const digest = typeof error === "object" && error !== null && "digest" in error ? error.digest : undefined;
  if (typeof digest !== "string" || !digest) return { unavailable: false };
  if (digest.startsWith(UNAVAILABLE_DIGEST_PREFIX)) return { unavailable: true, reference: digest.slice(UNAVAILABLE_DIGEST_PREFIX.length) };
  return { unavailable: false, reference: digest };
}
