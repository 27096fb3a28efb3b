"use client";

import { useActionState, useState, type FormEvent, type ReactNode } from "react";

import { startImportAction } from "@/app/admin/staff/import/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { cx, ErrorMessage, FormGroup, Hint } from "@/components/govuk/field";
import { MAX_FILE_BYTES, MAX_ROWS } from "@/db/validation/staff-import-limits";

const MB = (MAX_FILE_BYTES / 1024 / 1024).toLocaleString("en-GB");
const TOO_BIG = `The selected file must be smaller than ${MB} MB`;

// The upload form. Without JavaScript the browser posts the file and the page comes back with the action's state.
// With it, a file over the size limit is refused before it is sent (the server refuses it too). `children` (the
// page's heading and guidance) go between the error summary, which belongs at the top, and the form.
export function ImportForm({ children }: { children: ReactNode }) {
  const [state, action, pending] = useActionState(startImportAction, undefined);
  const [localError, setLocalError] = useState<string | undefined>();
  const error = localError ?? state?.fieldErrors.file[0];

  function checkSize(event: FormEvent<HTMLFormElement>) {
    const input = event.currentTarget.elements.namedItem("file");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    if (file && file.size > MAX_FILE_BYTES) {
      event.preventDefault();
      setLocalError(TOO_BIG);
    } else {
      setLocalError(undefined);
    }
  }

  return (
    <>
      <ErrorSummary errors={error ? [{ href: "#file", text: error }] : []} />
      {children}
      <form action={action} onSubmit={checkSize} noValidate>
        <FormGroup error={Boolean(error)}>
          <h2 className="govuk-label-wrapper">
            <label className="govuk-label govuk-label--m" htmlFor="file">
              Upload a CSV file
            </label>
          </h2>
          <Hint id="file-hint">
            Up to {MB} MB and {MAX_ROWS.toLocaleString("en-GB")} rows. Save it from your spreadsheet as “CSV UTF-8 (comma delimited)”.
          </Hint>
          {error && <ErrorMessage id="file-error">{error}</ErrorMessage>}
          <input
            className={cx("govuk-file-upload", error && "govuk-file-upload--error")}
            id="file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={cx("file-hint", error && "file-error")}
          />
        </FormGroup>
        <Button disabled={pending}>Import staff records</Button>
      </form>
    </>
  );
}
