"use client";

import { useSyncExternalStore } from "react";

const subscribeNothing = () => () => {};

// False while the server renders and while the page hydrates, true afterwards: the page first matches what a
// browser without JavaScript gets, and only then is enhanced.
export function useHasJavaScript(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}
