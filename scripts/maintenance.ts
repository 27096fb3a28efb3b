import { startupCheck } from "@/lib/startup";
import { formatSummary, runMaintenance } from "@/lib/maintenance";
import { logEvent } from "@/lib/log";

// npm run maintenance — the roster lifecycle (lapse overdue supporters, refresher reminders, end pauses), request
// acknowledgement reminders and Equality Unit alerts, the retention erase of ended requests (then a WAL checkpoint),
// and mail delivery with retries. Run it hourly from cron; it is safe to run again or twice at once (README:
// Maintenance). The summary line has counts only, never who or what.
async function main(): Promise<void> {
  // Same refusals as the server: an invalid configuration or a database whose migrations are behind.
  startupCheck();
  const summary = await runMaintenance();
  logEvent("info", "maintenance.done", summary);
  console.log(formatSummary(summary));
}

main().catch((error: unknown) => {
  // Ids and error codes only reach the log; the stack says where, never what anyone wrote.
  logEvent("error", "maintenance.failed", { error: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exitCode = 1;
});
