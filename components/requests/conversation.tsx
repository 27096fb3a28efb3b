import type { RequestMessage } from "@/db/queries/requests";
import { formatDateTime } from "./format";
import { MessageText } from "./message-text";

type Props = { messages: readonly RequestMessage[]; erased: boolean };

// Oldest first, like a letter exchange. The viewer's own messages are "You"; an anonymous requester is
// "Anonymous colleague" (the data access layer has already replaced the name).
export function Conversation({ messages, erased }: Props) {
  if (messages.length === 0) {
    return <p className="govuk-body">{erased ? "The conversation was erased with the request." : "No messages yet."}</p>;
  }
  return (
    <ol className="govuk-list confide-conversation" aria-label="Messages, oldest first">
      {messages.map((message) => (
        <li key={message.id} className="govuk-!-margin-bottom-6">
          <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{message.author}</h3>
          <p className="govuk-body-s govuk-!-margin-bottom-2">
            <time dateTime={message.at.toISOString()}>{formatDateTime(message.at)}</time>
          </p>
          <div className="govuk-inset-text govuk-!-margin-top-0">
            <MessageText text={message.body} />
          </div>
        </li>
      ))}
    </ol>
  );
}
