import { deactivateUserByEmail } from "@/db/queries/users";
import { deliverPendingMail } from "@/lib/mail";

// npm run deactivate -- <email> — marks a leaver, exactly as "Mark as a leaver" on their staff record does
// (/admin/staff): they cannot sign in again and every session ends now; they leave the directory, the roster, their
// networks and the Equality Unit; their requesters are asked to choose another supporter; their own open requests
// are withdrawn. Like the app, it says nothing about their own requests or networks.
async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    console.error("Usage: npm run deactivate -- <email>");
    process.exitCode = 2;
    return;
  }
  const address = email.toLowerCase();
  const outcome = deactivateUserByEmail(null, address);
  if (!outcome) {
    console.error(`No staff record for ${address}.`);
    process.exitCode = 1;
    return;
  }
  if (!outcome.ok) {
    console.log(`${address} is already marked as a leaver; nothing changed.`);
    return;
  }
  const { releasedRequests, retiredSupporter, roleRemoved } = outcome.summary;
  console.log(`Deactivated ${address}; their sessions have ended and they cannot sign in.`);
  if (retiredSupporter) console.log("They have been retired from the supporter roster and removed from the directory.");
  if (releasedRequests > 0) {
    console.log(`${releasedRequests} ${releasedRequests === 1 ? "requester has" : "requesters have"} been asked to choose another supporter.`);
  }
  if (roleRemoved) console.log("Their Equality Unit role has been removed.");

  // The notifications' emails go now rather than at the next maintenance run, which retries anything that fails.
  try {
    await deliverPendingMail();
  } catch (error) {
    console.error(`Emails will be sent by the next maintenance run (${error instanceof Error ? error.message : String(error)}).`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
