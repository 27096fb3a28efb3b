import { NotificationBanner } from "@/components/govuk/notification-banner";
import type { ChainCheck } from "@/lib/audit";
import { formatEventTime } from "./format";

export type VerifyOutcome = ChainCheck & { checkedAt: string };

const count = (n: number) => n.toLocaleString("en-GB");

// The result of "Verify the log". An altered log is an error, styled and announced as one: it is the one thing on
// this page that needs someone to act.
export function VerifyResult({ result }: { result: VerifyOutcome }) {
  const checkedAt = formatEventTime(new Date(result.checkedAt));
  if (result.ok) {
    return (
      <NotificationBanner type="success" title="Log checked" titleId="verify-result-title">
        <p className="govuk-notification-banner__heading">
          The log is intact: {count(result.events)} {result.events === 1 ? "event" : "events"} checked
        </p>
        <p className="govuk-body">Checked at {checkedAt}. No event has been changed or removed since it was written.</p>
      </NotificationBanner>
    );
  }
  return (
    <div className="govuk-error-summary" role="alert" aria-labelledby="verify-result-title">
      <h2 className="govuk-error-summary__title" id="verify-result-title">
        The log has been altered: the chain breaks at event #{result.brokenAt}
      </h2>
      <div className="govuk-error-summary__body">
        <p className="govuk-body">
          Checked at {checkedAt}. The {count(result.events)} events before #{result.brokenAt} are intact. Event #
          {result.brokenAt}, or the one before it, has been changed or removed since it was written, so events from there on
          cannot be trusted.
        </p>
        <p className="govuk-body">
          Do not change anything else. Keep a copy of the database and its backups, and report it to the force&rsquo;s
          information security team.
        </p>
        <p className="govuk-body">
          <a className="govuk-link" href={`/admin/audit?before=${result.brokenAt + 1}`}>
            Show the events from #{result.brokenAt} back
          </a>
        </p>
      </div>
    </div>
  );
}
