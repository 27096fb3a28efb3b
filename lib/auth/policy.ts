// Session rules, kept pure so that tests can check them at any moment in time.

// Idle timeout of 30 minutes: staff use shared terminals in stations.
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
// Absolute lifetime of 12 hours, one long shift: activity cannot keep a session alive beyond it.
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;

export function sessionIsValid(
  session: { expires: Date; createdAt: Date; deactivatedAt: Date | null },
  now: Date,
): boolean {
  if (session.deactivatedAt) return false;
  if (session.expires.getTime() <= now.getTime()) return false;
  return now.getTime() - session.createdAt.getTime() < ABSOLUTE_LIFETIME_MS;
}
