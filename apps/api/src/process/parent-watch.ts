/**
 * Calls `onGone` once the process that started this one has ended, seen as
 * this process being re-parented (to init or a subreaper). `npm start` needs
 * it: npm passes SIGINT/SIGTERM on to its script in some versions and not in
 * others, and when it exits without doing so, nothing else would tell the API
 * that its terminal session is over. `parent` is the parent process id taken
 * at start-up (default: now). Returns a function that stops watching.
 */
export function watchParent(
  onGone: () => void,
  options: { intervalMs?: number; ppid?: () => number; parent?: number } = {},
): () => void {
  const ppid = options.ppid ?? (() => process.ppid);
  // A parent taken earlier (at start-up) catches one that ended before the watch began.
  const parent = options.parent ?? ppid();
  const timer = setInterval(() => {
    if (ppid() === parent) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 250);
  // Watching must not by itself keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
