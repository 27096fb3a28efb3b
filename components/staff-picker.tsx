"use client";

import { useEffect, useId, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from "react";

import styles from "@/components/admin/staff-picker.module.css";
import { ErrorMessage, FormGroup, Hint, Label, cx, describedBy, type LabelSize } from "@/components/govuk/field";

// A field for choosing one member of staff, reusable wherever a form names a colleague (adding a supporter; people
// who must not be involved in a request).
//
// Without JavaScript it is a text input for the person's full email address, and the server looks them up. With
// JavaScript it becomes an ARIA 1.2 combobox: typing two or more letters asks /api/staff for up to 20 matches (names,
// department and site only), shown in a listbox; choosing one puts the person's name in the field and their opaque id
// in the hidden `staffId` input. The server must accept either and check that the person exists.

export type StaffOption = { id: string; name: string; department: string | null; site: string | null };

export type StaffPickerProps = {
  /** The text input's id; the error summary links to it. */
  id: string;
  /** The text input's name (what is posted without JavaScript). Defaults to the id. */
  name?: string;
  /** The hidden input that carries the chosen person's id. */
  staffIdName?: string;
  label: ReactNode;
  labelSize?: LabelSize;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  defaultStaffId?: string;
  /** Called when a person is chosen from the list, and with null when the choice is cleared by typing. */
  onChoose?: (option: StaffOption | null) => void;
};

export const STAFF_PICKER_HINT = "Type at least 2 letters of their name, or their full email address";
const MIN_LENGTH = 2;
const DEBOUNCE_MS = 250;

const subscribeNothing = () => () => {};

function useHasJavaScript(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}

function detail(option: StaffOption): string {
  return [option.department, option.site].filter(Boolean).join(", ");
}

type Search =
  | { state: "idle" }
  | { state: "done"; query: string; options: StaffOption[] }
  | { state: "failed"; query: string; message: string };

export function StaffPicker({
  id,
  name = id,
  staffIdName = "staffId",
  label,
  labelSize,
  hint = STAFF_PICKER_HINT,
  error,
  defaultValue = "",
  defaultStaffId = "",
  onChoose,
}: StaffPickerProps) {
  const enhanced = useHasJavaScript();
  const [text, setText] = useState(defaultValue);
  const [staffId, setStaffId] = useState(defaultStaffId);
  const [search, setSearch] = useState<Search>({ state: "idle" });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // The text of the last choice: searching again for the name just chosen would only reopen the list.
  const [chosenName, setChosenName] = useState<string | null>(defaultStaffId ? defaultValue : null);
  const listboxId = `${useId()}-listbox`;
  const hintId = `${id}-hint`;
  const errorId = error ? `${id}-error` : undefined;

  const query = text.trim();
  const wantsSearch = enhanced && query.length >= MIN_LENGTH && chosenName !== text;

  useEffect(() => {
    if (!wantsSearch) return;
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      try {
        const response = await fetch(`/api/staff?q=${encodeURIComponent(query)}`, {
          headers: { accept: "application/json" },
          cache: "no-store",
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (response.status === 429) {
          setSearch({ state: "failed", query, message: "Too many searches. Wait a minute and try again" });
        } else if (!response.ok) {
          setSearch({ state: "failed", query, message: "Search is not working at the moment. Enter their full email address instead" });
        } else {
          const body = (await response.json()) as { results: StaffOption[] };
          setSearch({ state: "done", query, options: body.results });
          setActive(-1);
          setOpen(true);
        }
      } catch {
        if (controller.signal.aborted) return;
        setSearch({ state: "failed", query, message: "Search is not working at the moment. Enter their full email address instead" });
      }
    }, DEBOUNCE_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [query, wantsSearch]);

  // Results belong to the text they were fetched for; older ones are never shown for newer text.
  const current = search.state !== "idle" && search.query === query && wantsSearch ? search : null;
  const options = current?.state === "done" ? current.options : [];
  const expanded = enhanced && open && options.length > 0;
  const activeOption = expanded && active >= 0 ? options[active] : undefined;
  const optionId = (index: number) => `${listboxId}-option-${index}`;

  let status = "";
  if (current?.state === "failed") status = current.message;
  else if (current?.state === "done") {
    status =
      options.length === 0
        ? "No matching staff"
        : `${options.length} ${options.length === 1 ? "result is" : "results are"} available. Use the up and down arrows to choose`;
  }

  function choose(option: StaffOption) {
    setChosenName(option.name);
    setText(option.name);
    setStaffId(option.id);
    setOpen(false);
    setActive(-1);
    onChoose?.(option);
  }

  function onChange(value: string) {
    setText(value);
    setOpen(true);
    if (staffId) {
      setChosenName(null);
      setStaffId("");
      onChoose?.(null);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      if (options.length === 0) return;
      event.preventDefault();
      setOpen(true);
      setActive((i) => (expanded ? Math.min(i + 1, options.length - 1) : 0));
    } else if (event.key === "ArrowUp") {
      if (!expanded) return;
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter") {
      // Enter chooses the highlighted person rather than submitting the form.
      if (activeOption) {
        event.preventDefault();
        choose(activeOption);
      }
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    }
  }

  return (
    <FormGroup error={Boolean(error)}>
      <Label htmlFor={id} size={labelSize}>
        {label}
      </Label>
      <Hint id={hintId}>{hint}</Hint>
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      <div className={styles.wrapper}>
        <input
          className={cx("govuk-input", error && "govuk-input--error")}
          id={id}
          name={name}
          type="text"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={describedBy(hintId, errorId)}
          value={text}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          {...(enhanced
            ? {
                role: "combobox",
                "aria-autocomplete": "list" as const,
                "aria-expanded": expanded,
                "aria-controls": listboxId,
                "aria-activedescendant": activeOption ? optionId(active) : undefined,
              }
            : {})}
        />
        <input type="hidden" name={staffIdName} value={staffId} />
        {enhanced && (
          <ul id={listboxId} role="listbox" aria-label="Matching staff" className={expanded ? styles.listbox : styles.hidden}>
            {options.map((option, index) => (
              <li
                key={option.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                className={cx("govuk-body govuk-!-margin-bottom-0", styles.option, index === active && styles.optionActive)}
                // Keep focus in the input, so the click does not blur it and close the list first.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(option)}
              >
                {option.name}
                {detail(option) && <span className={styles.optionDetail}>{detail(option)}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
      {enhanced && current && (current.state === "failed" || options.length === 0) && (
        <p className={cx("govuk-body-s", styles.noResults)}>
          {current.state === "failed" ? current.message : "No matching staff. Check the spelling, or enter their full email address."}
        </p>
      )}
      {enhanced && (
        <div role="status" className="govuk-visually-hidden">
          {status}
        </div>
      )}
    </FormGroup>
  );
}
