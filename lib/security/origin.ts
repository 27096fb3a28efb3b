import { env } from "@/lib/env";

// A state-changing request must come from our own pages: a missing Origin, the literal "null" (sandboxed frames,
// some redirects) and any other site are all refused.
export function isSameOrigin(origin: string | null | undefined): boolean {
  if (!origin || origin === "null") return false;
  return origin === new URL(env().APP_URL).origin;
}
