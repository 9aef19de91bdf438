// The signed-in token and user, kept in this tab's session storage only (never in a URL).
const TOKEN_KEY = 'vitals.token';
const USER_KEY = 'vitals.user_id';
const WINDOW_KEY = 'vitals.window_days';

/** @returns {{ token: string, userId: string } | undefined} */
export function loadSession() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const userId = sessionStorage.getItem(USER_KEY);
  return token && userId ? { token, userId } : undefined;
}

export function saveSession({ token, userId }) {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(USER_KEY, userId);
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  sessionStorage.removeItem(WINDOW_KEY);
}

/** The window last chosen in this tab (days), so a reload shows the same one. */
export function savedWindowDays() {
  return sessionStorage.getItem(WINDOW_KEY) ?? undefined;
}

export function saveWindowDays(days) {
  sessionStorage.setItem(WINDOW_KEY, days);
}
