import { deactivateUserByEmail } from "@/db/queries/users";

// npm run deactivate -- <email> — a leaver: they cannot sign in again and every session they have ends now.
const email = process.argv[2];
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
  console.error("Usage: npm run deactivate -- <email>");
  process.exit(2);
}
if (!deactivateUserByEmail(null, email)) {
  console.error(`No staff record for ${email}.`);
  process.exit(1);
}
console.log(`Deactivated ${email.toLowerCase()}; their sessions have ended.`);
