import { NotificationBanner } from "@/components/govuk/notification-banner";

// Shown after an action sends the person back to the request. The address bar and browser history hold only which
// of these it was: never a name and never a word of the request.
export const DONE_MESSAGES = {
  replied: "Your message has been sent",
  acknowledged: "You have acknowledged this request. The colleague has been told.",
  started: "The request is now in progress",
  closed: "The request has been closed. The colleague has been told.",
  declined: "You have declined this request. The colleague has been told why.",
  handover_proposed: "Your suggestion has been sent. The request stays with you unless the colleague agrees.",
  handover_accepted: "Your request has been handed over. Your new supporter has been told.",
  handover_refused: "Your request stays with your supporter.",
  withdrawn: "You have withdrawn your request",
  erased: "Your request has been erased",
} as const;

export type RequestDone = keyof typeof DONE_MESSAGES;

export const isRequestDone = (value: unknown): value is RequestDone =>
  typeof value === "string" && Object.hasOwn(DONE_MESSAGES, value);

export function DoneBanner({ done }: { done: RequestDone | undefined }) {
  if (!done) return null;
  return <NotificationBanner type="success" heading={DONE_MESSAGES[done]} />;
}
