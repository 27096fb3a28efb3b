// Shown only when the data access layer returned a count, which it does for 5 members or more. Below that, the
// page says nothing at all about size: "fewer than 5" is for the network's coordinators only.
export function memberCountText(count: number | null): string | null {
  return count === null ? null : `${count} members`;
}
