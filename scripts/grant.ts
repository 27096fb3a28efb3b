import { sql } from "drizzle-orm";

import { db } from "@/db/client";
import { currentEqualityUnitCount, grantEqualityUnitRole, revokeEqualityUnitRole } from "@/db/queries/staff-admin";
import { users } from "@/db/schema";
import { clock } from "@/lib/clock";

// npm run grant -- <email> equality-unit [--revoke]
// The way to appoint the first Equality Unit member; later ones are appointed on their staff record (/admin/staff).
// The grant and the revocation are the app's own steps (db/queries/staff-admin.ts), audited in the same transaction,
// with no actor: the person at the command line is not a user. Unlike the app, the command line may remove the last
// member, since it is also how a server's operator recovers from a wrong appointment; it warns when it does.
const ROLE_NAMES = { "equality-unit": "equality_unit" } as const;

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run grant -- <email> equality-unit [--revoke]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const revoke = args.includes("--revoke");
const [email, roleName] = args.filter((a) => a !== "--revoke");
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) usage("Give the person's email address.");
if (!roleName || !(roleName in ROLE_NAMES)) usage(`Unknown role "${roleName ?? ""}".`);
const normalised = email.toLowerCase();

const outcome = db.transaction(
  (tx) => {
    const existing = tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${normalised}`).get();
    if (revoke) {
      if (!existing) return "not_member";
      const revoked = revokeEqualityUnitRole(tx, { userId: existing.id, actorId: null, keepOne: false });
      if (revoked !== "revoked") return revoked;
      return currentEqualityUnitCount(tx) === 0 ? "revoked_last" : "revoked";
    }
    // Someone who has never signed in gets a staff record now; single sign-on matches it by email later.
    const id = existing?.id ?? tx.insert(users).values({ email: normalised }).returning({ id: users.id }).get().id;
    return grantEqualityUnitRole(tx, { userId: id, actorId: null, now: clock.now() });
  },
  { behavior: "immediate" },
);

switch (outcome) {
  case "granted":
    console.log(`Granted ${roleName} to ${normalised}.`);
    break;
  case "already_granted":
    console.log(`${normalised} already has ${roleName}; nothing changed.`);
    break;
  case "leaver":
    console.error(`${normalised} is marked as a leaver. Reinstate them on their staff record (/admin/staff) first.`);
    process.exitCode = 1;
    break;
  case "revoked":
    console.log(`Revoked ${roleName} from ${normalised}.`);
    break;
  case "revoked_last":
    console.log(`Revoked ${roleName} from ${normalised}.`);
    console.warn("Nobody has the Equality Unit role now. Appoint someone with npm run grant -- <email> equality-unit.");
    break;
  case "not_member":
    console.log(`${normalised} does not have ${roleName}; nothing changed.`);
    break;
}
