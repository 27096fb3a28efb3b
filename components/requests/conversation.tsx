import type { RequestMessage, RequestView } from "@/db/queries/requests";
import { formatDateTime } from "./format";
import { MessageText } from "./message-text";

type Props = {
  messages: readonly RequestMessage[];
  erased: boolean;
  /** Which page of the conversation this is (page 1 is the latest messages) and a link to each page. */
  page?: RequestView["messagePage"];
  href?: (page: number) => string;
};

// Oldest first, like a letter exchange. The viewer's own messages are "You"; an anonymous requester is
// "Anonymous colleague" (the data access layer has already replaced the name). A long conversation shows its
// latest page, with a link to earlier messages above it (where they come in the reading order) and, on an earlier
// page, a link back to later ones below it.
export function Conversation({ messages, erased, page, href }: Props) {
  if (messages.length === 0) {
    return <p className="govuk-body">{erased ? "The conversation was erased with the request." : "No messages yet."}</p>;
  }
  const paged = page && href && page.pageCount > 1 ? { ...page, href } : null;
  return (
    <>
      {paged && (
        <p className="govuk-body" id="conversation-range">
          Showing messages {paged.from} to {paged.to} of {paged.total}.
          {paged.page < paged.pageCount && (
            <>
              {" "}
              <a className="govuk-link" href={paged.href(paged.page + 1)}>
                Show earlier messages
              </a>
            </>
          )}
        </p>
      )}
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
      {paged && paged.page > 1 && (
        <p className="govuk-body">
          <a className="govuk-link" href={paged.href(paged.page - 1)}>
            Show later messages
          </a>
        </p>
      )}
    </>
  );
}
