// Time goes through here so that tests can move it (session expiry, refresher reminders, retention).
export const clock = {
  now: (): Date => new Date(),
};
