import { SERVICE_UNAVAILABLE_MESSAGE, serviceUnavailableFrom } from "@/lib/errors";
import { logEvent } from "@/lib/log";

// A server action is a public endpoint: whoever posts to it chooses its arguments, not only the form React's client
// sends (a hand-made request can leave the form out, or pass a string or a number in its place). Anything that is
// not a form reads as an empty one, which the action's own checks then turn down like any incomplete form, rather
// than failing with a server error.
export function postedForm(posted: unknown): FormData {
  return posted instanceof FormData ? posted : new FormData();
}

/** What a write returned, or the message to show on the form when the database refused to save it. */
export type Saved<T> = { ok: true; data: T } | { ok: false; error: typeof SERVICE_UNAVAILABLE_MESSAGE };

/**
 * Runs a server action's write. When the database refuses it (disk full, read-only file, the lock held past
 * busy_timeout: db/client.ts has rolled it back, so nothing was saved), the action gets `{ ok: false, error }` to
 * return in its form state with the values the person typed, as a validation error is: thrown, the refusal would
 * reach the error page (or, without JavaScript, a bare 500) and lose what they wrote. Any other error is thrown on
 * unchanged: a bug must not read as "try again later", and redirect() and notFound() are errors Next.js handles.
 */
export async function savedOrRefused<T>(write: () => T | Promise<T>): Promise<Saved<T>> {
  try {
    return { ok: true, data: await write() };
  } catch (error) {
    const refusal = serviceUnavailableFrom(error);
    if (!refusal) throw error;
    // Instead of instrumentation.ts's request.error line, which a refusal returned as state no longer reaches.
    // Never the form's values: only what the database said and where.
    logEvent("error", "action.save_refused", { error: refusal.name, code: refusal.code, stack: refusal.stack });
    return { ok: false, error: SERVICE_UNAVAILABLE_MESSAGE };
  }
}
