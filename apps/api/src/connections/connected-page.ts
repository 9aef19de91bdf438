/** What the person's browser shows once the callback has connected Dexcom. */
export interface ConnectedPageContent {
  /** Days of readings the first run imports (the backfill window). */
  backfillDays: number;
}

/**
 * A small page for the browser Dexcom redirected back: no script, no
 * external resource, one inline style (which the app's Content-Security-
 * Policy allows), and nothing from the request (no code, state or user id)
 * in it, so nothing there can be injected or leak.
 */
export function connectedPage({ backfillDays }: ConnectedPageContent): string {
  const days = Math.max(0, Math.round(backfillDays));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dexcom connected · Vitals</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.5rem}</style>
</head>
<body>
<h1>Dexcom is connected</h1>
<p>Vitals is importing your Dexcom readings of the last ${days} days now, and keeps them up to date from here on.</p>
<p>You can close this window.</p>
</body>
</html>
`;
}
