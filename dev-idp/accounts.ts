import { createHash } from "node:crypto";

export type DemoAccount = {
  email: string;
  name: string;
  department?: string;
  site?: string;
}

/** Every account at the development IdP, built-in or extra, uses this password. */
export const DEMO_PASSWORD = "demo";

export const DEMO_ACCOUNTS = [
  { email: "alex.staff@example.org", name: "Alex Morgan", department: "Response Policing", site: "Euston Road" },
  { email: "sam.supporter@example.org", name: "Sam Patel", department: "Criminal Justice", site: "Keyham Lane" },
  { email: "casey.coordinator@example.org", name: "Casey Jones", department: "Contact Management", site: "Force HQ" },
  { email: "eve.equality@example.org", name: "Eve Okafor", department: "Equality Unit", site: "Force HQ" },
] as const satisfies readonly DemoAccount[];

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The OIDC `sub` for an email. Derived rather than random so it survives
 * restarts and the app's seed script can predict it.
 */
export function subjectFor(email: string): string {
  return createHash("sha256").update(normaliseEmail(email)).digest("hex").slice(0, 24);
}

export type IdpAccount = {
  sub: string;
} & DemoAccount

/** Builds the account directory; later entries with the same email replace earlier ones. */
export function buildDirectory(accounts: readonly DemoAccount[]): Map<string, IdpAccount> {
  const bySub = new Map<string, IdpAccount>();
  for (const account of accounts) {
    const email = normaliseEmail(account.email);
    const sub = subjectFor(email);
    bySub.set(sub, { ...account, email, sub });
  }
  return bySub;
}

export function parseAccountsJson(json: string, source: string): DemoAccount[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) {
    throw new Error(`${source}: expected a JSON array of { email, name }`);
  }
  return data.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null) {
      throw new Error(`${source}[${index}]: expected an object`);
    }
    const { email, name, department, site } = entry as Record<string, unknown>;
    if (typeof email !== "string" || !email.includes("@") || typeof name !== "string" || !name) {
      throw new Error(`${source}[${index}]: email and name must be non-empty strings`);
    }
    return {
      email,
      name,
      ...(typeof department === "string" ? { department } : {}),
      ...(typeof site === "string" ? { site } : {}),
    };
  });
}
