import { NotificationBanner } from "@/components/govuk/notification-banner";

const HEADINGS = {
  approved: "Request approved. The person has been told.",
  declined: "Request declined. The person has been told.",
  removed: "Member removed. The person has been told.",
  updated: "The network\u2019s page has been updated.",
} as const;

// Shown after a decision, or an edit of the network's page, redirects back to the console. It names nobody: the
// address bar and the browser history hold only the outcome.
export function OutcomeBanner({ outcome }: { outcome: keyof typeof HEADINGS | undefined }) {
  if (!outcome) return null;
  return <NotificationBanner type="success" heading={HEADINGS[outcome]} />;
}
