import express, { Router } from 'express';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The page's own files: HTML, ES modules and CSS, served as they are (no build step). */
const STATIC_DIR = join(import.meta.dirname, 'static');

/**
 * The charting library's files, resolved in its installed package. Only
 * these two files are served: node_modules itself is never exposed.
 */
function uplotFiles(): { script: string; style: string } {
  const dist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js'));
  return { script: join(dist, 'uPlot.esm.js'), style: join(dist, 'uPlot.min.css') };
}

/**
 * `GET /app/`: the dashboard (docs in the API README, "The dashboard").
 * Static files under the app's CSP (same-origin scripts only, no inline
 * script); the page reads the API with the bearer token its user pastes.
 */
export function appPageRoutes(): Router {
  const uplot = uplotFiles();
  // Strict, so that `/app` (redirected) and `/app/` (the page) are two routes.
  const router = Router({ strict: true });
  router.get('/app', (_req, res) => {
    res.redirect(301, '/app/');
  });
  router.get('/app/vendor/uPlot.esm.js', (_req, res) => {
    res.type('text/javascript').sendFile(uplot.script);
  });
  router.get('/app/vendor/uPlot.min.css', (_req, res) => {
    res.type('text/css').sendFile(uplot.style);
  });
  router.use('/app', express.static(STATIC_DIR, { index: 'index.html', redirect: false }));
  return router;
}
