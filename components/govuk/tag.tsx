import type { ReactNode } from "react";

import { cx } from "./field";

/** Blue is the default. Never rely on the colour alone: the text must say what the tag means. */
export type TagColour = "blue" | "grey" | "green" | "teal" | "purple" | "magenta" | "red" | "orange" | "yellow";

export type TagProps = { children: ReactNode; colour?: TagColour; className?: string };

export function Tag({ children, colour = "blue", className }: TagProps) {
  return <strong className={cx("govuk-tag", colour !== "blue" && `govuk-tag--${colour}`, className)}>{children}</strong>;
}
